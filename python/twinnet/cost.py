"""Cross-entropy cost (contract section 6; twin of ``R/cost.R``)."""

import numpy as np

from .validate import check_labels, check_shape_as


def compute_cost(AL, Y, ZL=None):
    """Binary cross-entropy averaged over the m examples.

    Parameters
    ----------
    AL : ndarray of shape (1, m)
        Output probabilities.
    Y : ndarray of shape (1, m)
        Labels in {0, 1}.
    ZL : ndarray of shape (1, m), optional
        Output pre-activations. When given, the cost is computed from them as
        ``max(z, 0) - z*y + log1p(exp(-|z|))``, finite for every finite ``ZL``
        (this is what the training loop records). Otherwise the textbook
        formula, ``log a`` where y = 1 and ``log(1 - a)`` where y = 0, which is
        ``inf`` when a wrong prediction is certain to machine precision.

    Returns
    -------
    float
    """
    Y = check_labels(Y, None)
    m = Y.shape[1]
    if ZL is not None:
        ZL = check_shape_as(np.asarray(ZL, dtype=np.float64), Y, "ZL")
        return float(_cost_sum(ZL, Y) / m)
    AL = check_shape_as(np.asarray(AL, dtype=np.float64), Y, "AL")
    with np.errstate(divide="ignore"):
        logs = np.where(Y == 1.0, np.log(AL), np.log(1.0 - AL))
    return float(-np.sum(logs) / m)


def _cost_sum(ZL, Y):
    """``sum[max(z, 0) - z y + log1p(exp(-|z|))]``: m times the cost from ``Z_L`` (the sum a mini-batch adds)."""
    return np.sum(np.maximum(ZL, 0.0) - ZL * Y + np.log1p(np.exp(-np.abs(ZL))))

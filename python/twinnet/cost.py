"""Cross-entropy cost (contract section 6; twin of ``R/cost.R``)."""

import numpy as np

from .validate import check_labels, check_shape_as, describe, input_error


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
        ZL = check_shape_as(_cost_numeric(ZL, "ZL"), Y, "ZL")
        finite = np.isfinite(ZL)
        if not finite.all():
            raise input_error("ZL", "finite values (no NaN or Inf)", f"{int(ZL.size - np.count_nonzero(finite))} "
                                                                    "non-finite value(s)")
        return _cost_from_z(ZL, Y)
    AL = check_shape_as(_cost_numeric(AL, "AL"), Y, "AL")
    bad = ~((AL >= 0.0) & (AL <= 1.0))  # NaN is outside
    if bad.any():
        raise input_error("AL", "probabilities in [0, 1]",
                          f"{int(np.count_nonzero(bad))} value(s) outside, e.g. {float(AL[bad][0])!r}")
    with np.errstate(divide="ignore"):
        logs = np.where(Y == 1.0, np.log(AL), np.log(1.0 - AL))
    return float(-np.sum(logs) / m)


def _cost_numeric(x, arg):
    """``x`` as a float64 array, or the contract's refusal of a non-numeric one."""
    if isinstance(x, (list, tuple)):
        x = np.asarray(x)
    if not isinstance(x, np.ndarray) or x.dtype.kind not in "iuf":
        raise input_error(arg, "a 2-D numeric matrix", describe(x), TypeError)
    return np.asarray(x, dtype=np.float64)


def _cost_sum(ZL, Y):
    """``sum[max(z, 0) - z y + log1p(exp(-|z|))]``: m times the cost from ``Z_L`` (the sum a mini-batch adds)."""
    return np.sum(np.maximum(ZL, 0.0) - ZL * Y + np.log1p(np.exp(-np.abs(ZL))))


def _cost_from_z(ZL, Y):
    """The cost from the output pre-activations, without checks (the training loop's; contract section 6)."""
    return float(_cost_sum(ZL, Y) / Y.shape[1])

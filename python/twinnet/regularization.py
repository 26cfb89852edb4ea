"""L2 regularisation and inverted dropout (contract sections 32 and 33; twin of ``R/regularization.R``).

The course's second part, week 1: ``compute_cost_with_regularization`` adds
``(1/m) (lambd/2) sum_l ||W_l||^2`` to the cross-entropy, the backward pass
adds ``(lambd/m) W_l`` to every ``dW_l`` (``L_model_backward(..., lambd)``),
and inverted dropout keeps each unit of a hidden layer with probability
``keep_prob``, scaling the kept ones by ``1 / keep_prob``
(``L_model_forward(..., keep_prob, masks)``). The masks come from a seeded
stream -- portable or numpy's -- so that a seed fixes every mask, bit for
bit, in both languages.
"""

import numbers

import numpy as np

from .cost import compute_cost
from .rng import STREAMS, _DrawStream
from .validate import (
    check_choice,
    check_count,
    check_labels,
    check_layer_dims,
    check_nonnegative,
    check_parameters,
    check_seed,
    describe,
    input_error,
    shape_str,
)


def _l2_sum(weights):
    """``sum_l sum(W_l * W_l)`` over the weight matrices, layer 1 first (biases are not penalised)."""
    total = 0.0
    for W in weights:
        total += float(np.vdot(W, W))
    return total


def _l2_cost(weights, lambd, m):
    """The course's L2 term: ``(1/m) * (lambd/2) * sum_l ||W_l||^2``."""
    return (1.0 / m) * (lambd / 2.0) * _l2_sum(weights)


def compute_cost_with_regularization(AL, Y, parameters, lambd, ZL=None):
    """The cross-entropy (:func:`~twinnet.compute_cost`) plus the L2 term of every weight matrix.

    Parameters
    ----------
    AL : ndarray of shape (1, m)
    Y : ndarray of shape (1, m)
    parameters : dict
        ``W1, b1, ..., WL, bL``; the weights are penalised, the biases not.
    lambd : float
        The regularisation strength, >= 0 (the course's ``lambd``; scikit-learn's ``alpha``).
    ZL : ndarray of shape (1, m), optional
        As in :func:`~twinnet.compute_cost`: the cost from ``Z_L`` when given.

    Returns
    -------
    float
        ``compute_cost(AL, Y, ZL) + (1/m) * (lambd/2) * sum_l sum(W_l ** 2)``.
    """
    Y = check_labels(Y, None)
    dims = check_parameters(parameters)
    lambd = check_nonnegative(lambd, "lambd")
    cross_entropy = compute_cost(AL, Y, ZL)
    return cross_entropy + _l2_cost([parameters[f"W{l}"] for l in range(1, len(dims))], lambd, Y.shape[1])


def check_keep_prob(keep_prob, L, arg="keep_prob"):
    """``keep_prob``: one number in (0, 1], or one per hidden layer; returned as a tuple of L - 1 floats.

    The output layer is never dropped (contract section 33).
    """
    expected = f"a number in (0, 1], or {L - 1} of them (one per hidden layer)"
    if isinstance(keep_prob, np.ndarray) and keep_prob.ndim <= 1:
        keep_prob = keep_prob.tolist()
    values = [keep_prob] if isinstance(keep_prob, numbers.Number) else keep_prob
    if not isinstance(values, (list, tuple)):
        raise input_error(arg, expected, describe(keep_prob), TypeError)
    if len(values) not in (1, L - 1):
        raise input_error(arg, expected, f"{len(values)} values")
    for v in values:
        if not isinstance(v, numbers.Real) or isinstance(v, (bool, np.bool_)) or not np.isfinite(v) or not 0 < v <= 1:
            raise input_error(arg, expected, describe(v))
    return tuple(float(v) for v in values) * (L - 1) if len(values) == 1 else tuple(float(v) for v in values)


def dropout_masks(layer_dims, m, keep_prob, seed=1, stream="portable"):
    """The dropout masks of one forward pass of ``m`` examples, from a freshly seeded stream.

    For every hidden layer l = 1..L-1 whose ``keep_prob`` is below 1, in
    order: ``n_l * m`` uniforms filled row by row into ``n_l x m`` (numpy's
    ``rand(n_l, m)``), and ``D_l = 1`` where the uniform is below
    ``keep_prob``, else 0. With ``stream="numpy"`` and seed 1 these are the
    course's ``forward_propagation_with_dropout`` masks; a training run draws
    its masks from one such stream, continuing from batch to batch (contract
    section 33), and its first masks are these.

    Parameters
    ----------
    layer_dims : sequence of int
        ``(n_x, n_1, ..., n_L)``.
    m : int
        The number of examples (columns) of the pass.
    keep_prob : float or sequence of float
        In (0, 1]: one for every hidden layer, or one per hidden layer.
    seed : int, default 1
    stream : {"portable", "numpy"}, default "portable"

    Returns
    -------
    dict
        ``D<l>`` (float 0/1 arrays of shape (n_l, m)) for the layers with ``keep_prob`` below 1.
    """
    dims = check_layer_dims(layer_dims, output_one=False)
    m = check_count(m, "m")
    keep = check_keep_prob(keep_prob, len(dims) - 1)
    seed = check_seed(seed)
    check_choice(stream, STREAMS, "stream")
    return _draw_masks(_DrawStream(seed, stream), dims, m, keep)


def _draw_masks(draws, dims, m, keep):
    """One pass's masks from the stream ``draws``: ``D_l = (uniforms < keep_prob_l)`` for the dropped layers."""
    masks = {}
    for l in range(1, len(dims) - 1):
        if keep[l - 1] < 1.0:
            u = draws.uniform(dims[l] * m).reshape(dims[l], m)
            masks[f"D{l}"] = (u < keep[l - 1]).astype(np.float64)
    return masks


def _check_masks(masks, dims, m, keep, arg="masks"):
    """The masks L_model_forward applies: exactly D_l of the layers with keep_prob < 1, n_l x m, 0/1 values."""
    dropped = [f"D{l}" for l in range(1, len(dims) - 1) if keep[l - 1] < 1.0]
    expected = ("the masks " + (", ".join(dropped) if dropped else "(none)") +
                " of the hidden layers with keep_prob < 1 (from dropout_masks()), n_l x m of 0/1 values")
    if masks is None:
        if dropped:
            raise input_error(arg, expected, "None")
        return None
    if not isinstance(masks, dict):
        raise input_error(arg, expected, describe(masks), TypeError)
    if sorted(masks) != sorted(dropped):
        raise input_error(arg, expected, "keys " + (", ".join(sorted(map(str, masks))) or "(none)"))
    out = {}
    for l in range(1, len(dims) - 1):
        key = f"D{l}"
        if key not in masks:
            continue
        D = masks[key]
        if not isinstance(D, np.ndarray) or D.ndim != 2 or D.dtype.kind not in "biuf":
            raise input_error(f'{arg}["{key}"]', f"a {dims[l]} x {m} matrix of 0/1 values", describe(D), TypeError)
        if D.shape != (dims[l], m):
            raise input_error(f'{arg}["{key}"]', f"a {dims[l]} x {m} matrix of 0/1 values",
                              f"shape {shape_str(D.shape)}")
        if not np.all((D == 0) | (D == 1)):
            raise input_error(f'{arg}["{key}"]', f"a {dims[l]} x {m} matrix of 0/1 values", "other values")
        out[key] = D.astype(np.float64)
    return out


def _check_cache_masks(caches, keep):
    """Every cache of a layer with keep_prob < 1 holds its mask ``D`` (of the shape of its Z)."""
    for l in range(1, len(caches)):
        if keep[l - 1] < 1.0:
            cache = caches[l - 1]
            D = cache.get("D") if isinstance(cache, dict) else None
            if not isinstance(D, np.ndarray) or D.shape != np.shape(cache.get("Z")):
                raise input_error("caches", f"a dropout mask D of the shape of Z in the cache of layer {l} "
                                            "(keep_prob < 1 there: L_model_forward with masks)",
                                  "none" if D is None else describe(D))

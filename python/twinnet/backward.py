"""Backward propagation (contract section 7; twin of ``R/backward.R``)."""

import numpy as np

from .activations import ACTIVATIONS
from .regularization import _check_cache_masks, check_keep_prob
from .validate import (
    check_choice,
    check_labels,
    check_linear_backward,
    check_nonnegative,
    check_shape_as,
    describe,
    input_error,
    shape_str,
)


def linear_backward(dZ, cache, need_dA_prev=True):
    """Gradients of one linear step from ``dZ``: returns ``(dA_prev, dW, db)``.

    ``dA_prev`` is ``None`` when ``need_dA_prev`` is false (layer 1).
    """
    check_linear_backward(dZ, cache)
    A_prev, W = cache["A_prev"], cache["W"]
    m = A_prev.shape[1]
    dW = (dZ @ A_prev.T) / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = W.T @ dZ if need_dA_prev else None
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation, need_dA_prev=True):
    """One layer: ``dZ = dA * g'(Z)``, then :func:`linear_backward`."""
    backward = ACTIVATIONS[check_choice(activation, tuple(ACTIVATIONS), "activation")][1]
    if not isinstance(cache, dict) or "Z" not in cache:
        raise input_error("cache", "a mapping with A_prev, W, b, Z (from linear_activation_forward)", describe(cache),
                          TypeError)
    if getattr(dA, "shape", None) != getattr(cache["Z"], "shape", ()):
        raise input_error("dA", f"the shape of cache[\"Z\"], {shape_str(getattr(cache['Z'], 'shape', ()))}",
                          describe(dA) if not hasattr(dA, "shape") else f"shape {shape_str(dA.shape)}")
    return linear_backward(backward(dA, cache["Z"]), cache, need_dA_prev)


def L_model_backward(AL, Y, caches, hidden_activation="relu", lambd=0.0, keep_prob=1.0):
    """Gradients of the cost for every layer.

    Parameters
    ----------
    AL : ndarray of shape (1, m)
    Y : ndarray of shape (1, m)
    caches : list of dict
        As returned by :func:`~twinnet.L_model_forward`.
    hidden_activation : {"relu", "tanh", "sigmoid", "leaky_relu"}, default "relu"
    lambd : float, default 0.0
        L2 regularisation (contract section 32): ``(lambd / m) * W_l`` is added to every ``dW_l``.
    keep_prob : float or sequence of float, default 1.0
        Inverted dropout (contract section 33), as given to ``L_model_forward``:
        ``dA_l`` becomes ``dA_l * D_l / keep_prob_l`` with the mask ``D`` of
        the cache of layer l.

    Returns
    -------
    dict
        ``dW1, db1, ..., dWL, dbL`` and ``dA1 ... dA(L-1)``; ``dA0`` is not computed.
    """
    Y = check_labels(Y, np.shape(AL)[1] if np.ndim(AL) == 2 else None)
    check_shape_as(AL, Y, "AL")  # the output layer has one unit: 1 x m, as Y
    check_choice(hidden_activation, tuple(ACTIVATIONS), "hidden_activation")
    if not isinstance(caches, (list, tuple)) or len(caches) == 0:
        raise input_error("caches", "the non-empty list of caches from L_model_forward", type(caches).__name__, TypeError)
    lambd = check_nonnegative(lambd, "lambd")
    keep = check_keep_prob(keep_prob, len(caches))
    _check_cache_masks(caches, keep)
    return _backward_pass(np.asarray(AL, dtype=np.float64), Y, caches, hidden_activation, lambd, keep)


def _backward_pass(AL, Y, caches, hidden_activation, lambd=0.0, keep=None):
    """L_model_backward without the argument checks (for the training loop)."""
    L = len(caches)
    grads = {}
    dZ = AL - Y
    backward = ACTIVATIONS[hidden_activation][1]
    for l in range(L, 0, -1):
        cache = caches[l - 1]
        if l < L:
            dZ = backward(grads[f"dA{l}"], cache["Z"])
        dA_prev, grads[f"dW{l}"], grads[f"db{l}"] = linear_backward(dZ, cache, need_dA_prev=l > 1)
        if lambd > 0:  # the course: dW = (1/m) dZ A_prev^T + (lambd W) / m
            grads[f"dW{l}"] = grads[f"dW{l}"] + (lambd * cache["W"]) / cache["A_prev"].shape[1]
        if l > 1:
            if keep is not None and keep[l - 2] < 1.0:  # the mask of layer l - 1, then / keep_prob
                dA_prev = dA_prev * caches[l - 2]["D"]
                dA_prev /= keep[l - 2]
            grads[f"dA{l - 1}"] = dA_prev
    return grads

"""Forward propagation (contract section 5; twin of ``R/forward.R``)."""

from .activations import ACTIVATIONS
from .regularization import _check_masks, check_keep_prob
from .validate import check_choice, check_linear, check_matrix, check_parameters


def linear_forward(A_prev, W, b):
    """``Z = W A_prev + b``, with ``b`` broadcast over the m columns."""
    check_linear(A_prev, W, b)
    Z = W @ A_prev
    Z += b  # in place: no second n_l x m array
    return Z


def linear_activation_forward(A_prev, W, b, activation):
    """One layer: returns ``(A, cache)`` with ``cache = {"A_prev", "W", "b", "Z"}``."""
    forward = ACTIVATIONS[check_choice(activation, tuple(ACTIVATIONS), "activation")][0]
    Z = linear_forward(A_prev, W, b)
    return forward(Z), {"A_prev": A_prev, "W": W, "b": b, "Z": Z}


def L_model_forward(X, parameters, hidden_activation="relu", keep_prob=1.0, masks=None):
    """Layers 1..L-1 with ``hidden_activation``, layer L with sigmoid.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
    parameters : dict
        ``W1, b1, ..., WL, bL``; any output size ``n_L``.
    hidden_activation : {"relu", "tanh", "sigmoid", "leaky_relu"}, default "relu"
    keep_prob : float or sequence of float, default 1.0
        Inverted dropout (contract section 33): the probability of keeping a
        unit, one for every hidden layer or one per hidden layer, in (0, 1].
        The output layer is never dropped; 1 is no dropout.
    masks : dict, optional
        The masks ``D<l>`` of the layers with ``keep_prob`` below 1 (as
        :func:`~twinnet.dropout_masks` draws them): ``A_l`` becomes
        ``A_l * D_l / keep_prob_l`` and the cache of layer l keeps ``D``.

    Returns
    -------
    (AL, caches)
        ``AL`` of shape (n_L, m) (1 x m for the binary classifier);
        ``caches[l - 1]`` is the cache of layer l.
    """
    return _checked_forward(X, parameters, hidden_activation, output_one=False, keep_prob=keep_prob, masks=masks)


def _checked_forward(X, parameters, hidden_activation, output_one, keep_prob=1.0, masks=None):
    """L_model_forward, with ``output_one`` to require n_L = 1 (for the predictions, which never drop)."""
    X = check_matrix(X, "X")
    dims = check_parameters(parameters, n_x=X.shape[0], output_one=output_one)
    check_choice(hidden_activation, tuple(ACTIVATIONS), "hidden_activation")
    keep = check_keep_prob(keep_prob, len(dims) - 1)
    masks = _check_masks(masks, dims, X.shape[1], keep)
    return _forward_pass(X, parameters, hidden_activation, len(dims) - 1, keep, masks)


def _forward_pass(X, parameters, hidden_activation, L, keep=None, masks=None):
    """L_model_forward without the argument checks (for the training loop)."""
    caches = []
    A = X
    for l in range(1, L + 1):
        activation = hidden_activation if l < L else "sigmoid"
        A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], activation)
        if masks and f"D{l}" in masks:  # inverted dropout: A * D, then / keep_prob (A is the activation's new array)
            cache["D"] = masks[f"D{l}"]
            A *= cache["D"]
            A /= keep[l - 1]
        caches.append(cache)
    return A, caches

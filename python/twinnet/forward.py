"""Forward propagation (contract section 5; twin of ``R/forward.R``)."""

from .activations import ACTIVATIONS
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


def L_model_forward(X, parameters, hidden_activation="relu"):
    """Layers 1..L-1 with ``hidden_activation``, layer L with sigmoid.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
    parameters : dict
        ``W1, b1, ..., WL, bL``; any output size ``n_L``.
    hidden_activation : {"relu", "tanh", "sigmoid", "leaky_relu"}, default "relu"

    Returns
    -------
    (AL, caches)
        ``AL`` of shape (n_L, m) (1 x m for the binary classifier);
        ``caches[l - 1]`` is the cache of layer l.
    """
    return _checked_forward(X, parameters, hidden_activation, output_one=False)


def _checked_forward(X, parameters, hidden_activation, output_one):
    """L_model_forward, with ``output_one`` to require n_L = 1 (for the predictions)."""
    X = check_matrix(X, "X")
    dims = check_parameters(parameters, n_x=X.shape[0], output_one=output_one)
    check_choice(hidden_activation, tuple(ACTIVATIONS), "hidden_activation")
    return _forward_pass(X, parameters, hidden_activation, len(dims) - 1)


def _forward_pass(X, parameters, hidden_activation, L):
    """L_model_forward without the argument checks (for the training loop)."""
    caches = []
    A = X
    for l in range(1, L + 1):
        activation = hidden_activation if l < L else "sigmoid"
        A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], activation)
        caches.append(cache)
    return A, caches

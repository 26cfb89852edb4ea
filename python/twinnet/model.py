"""Training and prediction (contract sections 8 and 9; twin of ``R/model.R``)."""

import numpy as np
import pandas as pd

from .activations import ACTIVATIONS
from .backward import _backward
from .cost import compute_cost
from .forward import L_model_forward, _forward
from .initialize import INIT_SCHEMES, initialize_parameters
from .validate import (
    check_choice,
    check_count,
    check_labels,
    check_layer_dims,
    check_matrix,
    check_positive_finite,
    check_seed,
    describe,
    input_error,
)


def recorded_iterations(num_iterations, print_every):
    """The iterations whose cost the history keeps: every ``print_every``-th and the last."""
    its = list(range(0, num_iterations, print_every))
    if its[-1] != num_iterations - 1:
        its.append(num_iterations - 1)
    return its


def L_layer_model(X, Y, layer_dims, learning_rate=0.0075, num_iterations=2500, seed=1,
                  hidden_activation="relu", scheme="xavier", print_every=100, callback=None):
    """Train an L-layer network by full-batch gradient descent.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (1, m)
        Labels in {0, 1}.
    layer_dims : sequence of int
        ``(n_x, n_1, ..., 1)``; ``layer_dims[0]`` must equal ``n_x``.
    learning_rate : float, default 0.0075
    num_iterations : int, default 2500
    seed : int, default 1
        Seed of the portable stream for the initial parameters.
    hidden_activation : {"relu", "tanh", "sigmoid", "leaky_relu"}, default "relu"
    scheme : {"xavier", "he", "scaled", "standard"}, default "xavier"
    print_every : int, default 100
        Record the cost every ``print_every`` iterations (and at the last one).
        Nothing is printed.
    callback : callable, optional
        ``callback(iteration, cost)`` is called each time a cost is recorded
        (for progress displays; its return value is ignored).

    Returns
    -------
    (parameters, costs)
        The trained parameters and a DataFrame with the columns
        ``iteration`` (int) and ``cost`` (float).
    """
    X = check_matrix(X, "X")
    Y = check_labels(Y, X.shape[1])
    dims = check_layer_dims(layer_dims, n_x=X.shape[0])
    learning_rate = check_positive_finite(learning_rate, "learning_rate")
    num_iterations = check_count(num_iterations, "num_iterations")
    seed = check_seed(seed)
    check_choice(hidden_activation, tuple(ACTIVATIONS), "hidden_activation")
    check_choice(scheme, tuple(INIT_SCHEMES), "scheme")
    print_every = check_count(print_every, "print_every")
    if callback is not None and not callable(callback):
        raise input_error("callback", "a function or None", describe(callback), TypeError)

    parameters = initialize_parameters(dims, seed, scheme)
    L = len(dims) - 1
    record = set(recorded_iterations(num_iterations, print_every))
    iterations, costs = [], []
    for i in range(num_iterations):
        AL, caches = _forward(X, parameters, hidden_activation, L)
        if i in record:
            iterations.append(i)
            costs.append(compute_cost(AL, Y, caches[-1]["Z"]))
            if callback is not None:
                callback(i, costs[-1])
        grads = _backward(AL, Y, caches, hidden_activation)
        for l in range(1, L + 1):
            parameters[f"W{l}"] -= learning_rate * grads[f"dW{l}"]
            parameters[f"b{l}"] -= learning_rate * grads[f"db{l}"]
    history = pd.DataFrame({"iteration": np.asarray(iterations, dtype=np.int64),
                            "cost": np.asarray(costs, dtype=np.float64)})
    return parameters, history


def predict_proba(X, parameters, hidden_activation="relu"):
    """``A_L``, the probability of class 1 for every column of X (shape (1, m))."""
    return L_model_forward(X, parameters, hidden_activation)[0]


def predict_class(X, parameters, hidden_activation="relu"):
    """1 where ``A_L > 0.5``, else 0: an int array of shape (1, m).

    The course calls it ``predict``; see docs/contract.md section 1 for the name.
    """
    return (predict_proba(X, parameters, hidden_activation) > 0.5).astype(np.int64)


def accuracy(X, Y, parameters, hidden_activation="relu"):
    """The share of ``predict_class(X, ...)`` equal to ``Y``."""
    X = check_matrix(X, "X")
    Y = check_labels(Y, X.shape[1])
    return float(np.mean(predict_class(X, parameters, hidden_activation) == Y))

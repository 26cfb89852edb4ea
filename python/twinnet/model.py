"""Training and prediction (contract sections 8 and 9; twin of ``R/model.R``)."""

import numpy as np
import pandas as pd

from .activations import ACTIVATIONS, sigmoid_forward
from .cost import compute_cost
from .data import load_catvnoncat
from .forward import _checked_forward
from .initialize import INIT_SCHEMES, initialize_parameters
from .minibatch import _check_training_options, _train_minibatch
from .rng import STREAMS
from .solver import LAYER1, SOLVERS, _choose_for
from .validate import (
    check_choice,
    check_count,
    check_initial_parameters,
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
                  hidden_activation="relu", scheme="xavier", print_every=100, callback=None,
                  solver="auto", stream="portable", parameters=None, lambd=0.0, keep_prob=1.0,
                  mini_batch_size=None, optimizer="gd", beta=0.9, beta1=0.9, beta2=0.999, epsilon=1e-8,
                  decay=None, decay_rate=1.0, time_interval=1000, mini_batch_seed=10, dropout_seed=1):
    """Train an L-layer network: full-batch gradient descent, or the course's improvements.

    Without the options after ``parameters`` this is the course's first-part
    loop (contract section 8). With any of them on -- L2, dropout,
    mini-batches, momentum or Adam, a learning-rate decay -- it is the
    optimiser path of contract section 36, where an "iteration" is an epoch.

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
        Seed of the stream for the initial parameters.
    hidden_activation : {"relu", "tanh", "sigmoid", "leaky_relu"}, default "relu"
    scheme : {"xavier", "he", "scaled", "standard"}, default "xavier"
    print_every : int, default 100
        Record the cost every ``print_every`` iterations (and at the last one).
        Nothing is printed.
    callback : callable, optional
        ``callback(iteration, cost)`` is called each time a cost is recorded
        (for progress displays; its return value is ignored).
    solver : {"auto", "direct", "gram"}, default "auto"
        How the first layer is trained (contract section 22): ``"direct"`` as
        written in the contract, ``"gram"`` through ``G = X^T X`` (the same
        parameters in exact arithmetic, much less work when ``m < n_x``),
        ``"auto"`` whichever :func:`~twinnet.choose_solver` picks.
    stream : {"portable", "numpy"}, default "portable"
        The stream of the initial parameters (:func:`~twinnet.initialize_parameters`);
        ``"numpy"`` with seed 1 gives the course's.
    parameters : dict, optional
        Initial parameters ``W1, b1, ..., WL, bL`` to train from instead of
        drawing them (their shapes must be those of ``layer_dims``; ``seed``,
        ``scheme`` and ``stream`` are then checked but not used). They are
        copied: the caller's arrays are not changed.
    lambd : float, default 0.0
        L2 regularisation strength, >= 0 (contract section 32; scikit-learn's ``alpha``).
    keep_prob : float or sequence of float, default 1.0
        Inverted dropout (contract section 33): the probability of keeping a
        hidden unit, in (0, 1], one for all hidden layers or one per hidden
        layer; the output layer is never dropped.
    mini_batch_size : int, optional
        1..m: train on :func:`~twinnet.random_mini_batches` of this size,
        reshuffled every epoch (contract section 34); None: the full batch,
        in column order.
    optimizer : {"gd", "momentum", "adam"}, default "gd"
        Contract section 35; ``beta`` is momentum's, ``beta1``, ``beta2`` and
        ``epsilon`` Adam's (its ``t`` counts the updates).
    beta, beta1, beta2 : float, default 0.9, 0.9, 0.999
        In [0, 1).
    epsilon : float, default 1e-8
        Adam's, > 0.
    decay : {None, "update_lr", "schedule_lr_decay"}, default None
        Learning-rate decay per epoch, as the course's model applies it
        (contract section 35), with ``decay_rate`` (>= 0) and, for
        ``"schedule_lr_decay"``, ``time_interval`` (epochs, >= 1).
    decay_rate : float, default 1.0
    time_interval : int, default 1000
    mini_batch_seed : int, default 10
        The course's ``seed = 10``: epoch e (0-based) is shuffled with seed
        ``mini_batch_seed + e + 1`` (modulo 2^31), from ``stream``.
    dropout_seed : int, default 1
        Seed of the one stream (``stream``) that all the dropout masks of the
        run are drawn from, batch after batch.

    Returns
    -------
    (parameters, costs)
        The trained parameters and a DataFrame with the columns
        ``iteration`` (int; the epoch on the optimiser path) and ``cost``
        (float; on the optimiser path, the epoch's cost: the sum of its
        batches' costs, each at the parameters before the batch's update,
        over m, plus the L2 term).
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

    check_choice(solver, SOLVERS, "solver")
    check_choice(stream, STREAMS, "stream")
    if parameters is not None:
        parameters = check_initial_parameters(parameters, dims)
    options = _check_training_options(dims, X.shape[1], stream, lambd, keep_prob, mini_batch_size, optimizer, beta,
                                      beta1, beta2, epsilon, decay, decay_rate, time_interval, mini_batch_seed,
                                      dropout_seed)
    chosen = _choose_for(X, dims, num_iterations, solver, options["plain"])

    if parameters is None:
        parameters = initialize_parameters(dims, seed, scheme, stream)
    record = recorded_iterations(num_iterations, print_every)
    if options["plain"]:
        parameters, costs = _train_loop(X, Y, parameters, len(dims) - 1, learning_rate, num_iterations,
                                        hidden_activation, record, callback, LAYER1[chosen])
    else:
        parameters, costs = _train_minibatch(X, Y, parameters, len(dims) - 1, learning_rate, num_iterations,
                                             hidden_activation, record, callback, options)
    history = pd.DataFrame({"iteration": np.asarray(record, dtype=np.int64),
                            "cost": np.asarray(costs, dtype=np.float64)})
    return parameters, history


def _train_loop(X, Y, parameters, L, learning_rate, num_iterations, hidden_activation, record, callback,
                layer1_class):
    """The training loop (contract section 8): returns ``(parameters, costs)``, ``costs`` those of ``record``.

    ``parameters`` is updated in place (and returned).

    Layers 2..L are written out here; layer 1 is ``layer1_class`` (the direct
    or the gram solver, python/twinnet/solver.py), which gives ``Z1`` and
    takes ``(dZ1, db1)``. Same arithmetic as L_model_forward /
    L_model_backward / update_parameters, without their checks, copies and
    dicts, and without dA0.
    """
    g, g_backward = ACTIVATIONS[hidden_activation]
    m = X.shape[1]
    W = [None] + [parameters[f"W{l}"] for l in range(1, L + 1)]
    b = [None] + [parameters[f"b{l}"] for l in range(1, L + 1)]
    layer1 = layer1_class(X, W[1], b[1], learning_rate)
    A = [X] + [None] * L
    Z = [None] * (L + 1)
    recorded = set(record)
    costs = []
    dA = None  # dA_l, carried from layer l + 1 down to layer l
    for i in range(num_iterations):
        for l in range(1, L + 1):
            if l == 1:
                Z[1] = layer1.forward()
            else:
                Z[l] = W[l] @ A[l - 1]
                Z[l] += b[l]
            A[l] = g(Z[l]) if l < L else sigmoid_forward(Z[l])
        if i in recorded:
            costs.append(compute_cost(A[L], Y, Z[L]))
            if callback is not None:
                callback(i, costs[-1])
        dZ = A[L] - Y
        for l in range(L, 0, -1):
            if l < L:
                dZ = g_backward(dA, Z[l])
            db = dZ.sum(axis=1, keepdims=True) / m
            if l == 1:
                layer1.update(dZ, db)
            else:
                dW = (dZ @ A[l - 1].T) / m
                dA = W[l].T @ dZ  # before W[l] changes
                W[l] -= learning_rate * dW
                b[l] -= learning_rate * db
    parameters["W1"], parameters["b1"] = layer1.finish()
    return parameters, costs


def predict_proba(X, parameters, hidden_activation="relu"):
    """``A_L``, the probability of class 1 for every column of X (shape (1, m))."""
    return _checked_forward(X, parameters, hidden_activation, output_one=True)[0]


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


#: The application notebook's two models (course 1, week 4, assignment 2, "Deep Neural Network -
#: Application"), as arguments of :func:`L_layer_model`: the course's two_layer_model (its
#: initialize_parameters: seed 1, weights * 0.01) and L_layer_model (initialize_parameters_deep:
#: seed 1, weights / sqrt(n_(l-1))), both from numpy's stream.
COURSE_MODELS = {
    "two_layer": {"layer_dims": [12288, 7, 1], "learning_rate": 0.0075, "num_iterations": 2500, "seed": 1,
                  "hidden_activation": "relu", "scheme": "scaled", "print_every": 100, "stream": "numpy"},
    "four_layer": {"layer_dims": [12288, 20, 7, 5, 1], "learning_rate": 0.0075, "num_iterations": 2500, "seed": 1,
                   "hidden_activation": "relu", "scheme": "xavier", "print_every": 100, "stream": "numpy"},
}


def course_models(folder, num_iterations=2500, solver="auto"):
    """Train the application notebook's two models (:data:`COURSE_MODELS`) on the cat / non-cat files.

    Parameters
    ----------
    folder : str or path-like
        The folder of ``train_catvnoncat.h5`` and ``test_catvnoncat.h5``
        (:func:`~twinnet.load_catvnoncat`, pixels / 255 as in the course).
    num_iterations : int, default 2500
        The notebook's 2500, or fewer for a quick look.
    solver : {"auto", "direct", "gram"}, default "auto"

    Returns
    -------
    dict
        ``"two_layer"`` and ``"four_layer"``, each a dict with ``parameters``,
        ``costs`` (the cost history, every 100 iterations and the last),
        ``train_accuracy`` and ``test_accuracy``. The notebook's published
        values are in ``fixtures/course-*.json`` (contract section 23).
    """
    train_X, train_Y, test_X, test_Y, _ = load_catvnoncat(folder)
    out = {}
    for name, config in COURSE_MODELS.items():
        parameters, costs = L_layer_model(train_X, train_Y, **dict(config, num_iterations=num_iterations,
                                                                   solver=solver))
        out[name] = {"parameters": parameters, "costs": costs,
                     "train_accuracy": accuracy(train_X, train_Y, parameters),
                     "test_accuracy": accuracy(test_X, test_Y, parameters)}
    return out

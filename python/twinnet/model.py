"""Training and prediction (contract sections 8 and 9; twin of ``R/model.R``)."""

import math

import numpy as np
import pandas as pd

from .activations import ACTIVATIONS
from .cost import _cost_from_z
from .data import load_catvnoncat
from .forward import _forward_pass
from .initialize import INIT_SCHEMES, _layer_arrays, initialize_parameters
from .limits import check_memory, dims_text, forward_need, history_need, n_recorded, training_need
from .minibatch import _check_training_options, _train_minibatch
from .rng import STREAMS
from .solver import LAYER1, SOLVERS, _blas_threads, _choose_for, _loop_threads
from .validate import (
    COUNT_MAX,
    check_choice,
    check_count,
    check_finite_parameters,
    check_initial_parameters,
    check_labels,
    check_layer_dims,
    check_matrix,
    check_positive_finite,
    check_seed,
    check_parameters,
    describe,
    input_error,
)


def recorded_iterations(num_iterations, print_every):
    """The iterations whose cost the history keeps: every ``print_every``-th and the last (int64 array)."""
    its = np.arange(0, num_iterations, print_every, dtype=np.int64)
    if its[-1] != num_iterations - 1:
        its = np.append(its, np.int64(num_iterations - 1))
    return its


class TrainingDiverged(ValueError):
    """Training stopped at the first iteration whose cost is not finite (contract section 8).

    A ``ValueError`` whose message has the contract section 12 form, naming
    ``learning_rate`` (or ``X`` when the very first cost is not finite), with
    what training had reached: ``iteration`` (the iteration whose cost is not
    finite), ``parameters`` (the parameters that gave it) and ``costs`` (the
    cost history recorded before it, a DataFrame).
    """

    def __init__(self, message, iteration, parameters, costs):
        super().__init__(message)
        self.iteration = iteration
        self.parameters = parameters
        self.costs = costs


def _cost_words(cost):
    """"NaN", "Inf" or "-Inf" (the same words in R)."""
    return "NaN" if cost != cost else ("Inf" if cost > 0 else "-Inf")


def _diverged_message(iteration, cost, learning_rate, X, updated):
    """The one line of TrainingDiverged (the same text in R's twinnet_diverged condition).

    ``updated``: whether any update had been made (none at iteration 0 of the full-batch loop, none before
    the first mini-batch's); before any, X is the cause.
    """
    if not updated:
        big = max(float(np.max(X)), -float(np.min(X)))
        return (f"`X`: expected values small enough for the cost to be finite; got values up to {big:g} in absolute "
                f"value: the cost of iteration 0 is {_cost_words(cost)}, before any update (training stopped; "
                f"scale X down, e.g. divide it by its largest value)")
    return (f"`learning_rate`: expected a step small enough for the cost to stay finite; got {learning_rate:g}: the "
            f"cost of iteration {iteration} is {_cost_words(cost)} (training diverged and stopped there; try a smaller "
            f"learning rate, e.g. {learning_rate / 10:g})")


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

    Raises
    ------
    TrainingDiverged
        At the first iteration (epoch) whose cost is not finite (a
        ``ValueError`` naming ``learning_rate``, or ``X`` when no update has
        been made yet), with ``iteration``, ``parameters`` and ``costs`` as
        training had reached them. Sizes whose memory need is above
        :func:`~twinnet.memory_limit` are refused before anything is
        allocated.
    """
    X = check_matrix(X, "X")
    Y = check_labels(Y, X.shape[1])
    dims = check_layer_dims(layer_dims, n_x=X.shape[0])
    learning_rate = check_positive_finite(learning_rate, "learning_rate")
    num_iterations = check_count(num_iterations, "num_iterations", maximum=COUNT_MAX)
    seed = check_seed(seed)
    check_choice(hidden_activation, tuple(ACTIVATIONS), "hidden_activation")
    check_choice(scheme, tuple(INIT_SCHEMES), "scheme")
    print_every = check_count(print_every, "print_every", maximum=COUNT_MAX)
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
    check_training_memory(dims, X.shape[1], num_iterations, print_every, chosen == "gram")

    if parameters is None:
        parameters = initialize_parameters(dims, seed, scheme, stream)
    record = recorded_iterations(num_iterations, print_every)
    if options["plain"]:
        with _blas_threads(_loop_threads(X.shape[0], X.shape[1], dims[1], chosen)):  # small products: one thread
            parameters, costs = _train_loop(X, Y, parameters, len(dims) - 1, learning_rate, num_iterations,
                                            hidden_activation, record, callback, LAYER1[chosen])
    else:
        parameters, costs = _train_minibatch(X, Y, parameters, len(dims) - 1, learning_rate, num_iterations,
                                             hidden_activation, record, callback, options)
    return parameters, _history(record, costs)


def _history(iterations, costs):
    """The cost history: a DataFrame with the int column ``iteration`` and the float column ``cost``."""
    return pd.DataFrame({"iteration": np.asarray(iterations, dtype=np.int64),
                         "cost": np.asarray(costs, dtype=np.float64)})


def check_training_memory(dims, m, num_iterations, print_every, gram, arg="layer_dims"):
    """Refuse (contract section 29) a training whose cost history or whole need exceeds the memory limit.

    The history is named by ``print_every`` (its spacing decides its length);
    the rest by ``arg``, the layer sizes as the caller knows them
    (``layer_dims``; the estimators' ``hidden_layers``).
    """
    check_memory(history_need(num_iterations, print_every), "print_every",
                 f"{print_every} with num_iterations = {num_iterations} "
                 f"({n_recorded(num_iterations, print_every)} recorded costs)")
    check_memory(training_need(dims, m, num_iterations, print_every, gram), arg,
                 f"{dims_text(dims)} on {m} examples")


def _train_loop(X, Y, parameters, L, learning_rate, num_iterations, hidden_activation, record, callback,
                layer1_class):
    """The training loop (contract section 8): returns ``(parameters, costs)``, ``costs`` those of ``record``.

    ``parameters`` is updated in place (and returned). At the first iteration whose
    cost is not finite it stops with :class:`TrainingDiverged`.

    Layers 2..L are written out here; layer 1 is ``layer1_class`` (the direct
    or the gram solver, python/twinnet/solver.py), which gives ``Z1`` and
    takes ``(dZ1, db1)``. Same arithmetic as L_model_forward /
    L_model_backward / update_parameters, without their checks, copies and
    dicts, and without dA0. Every array the loop writes is allocated once,
    before the first iteration, and overwritten by every iteration (``out=``);
    for relu and the output sigmoid it uses the ``*_finite`` twins of the
    activations below, which give the same values on finite input.
    """
    g, g_backward = ACTIVATIONS[hidden_activation]
    relu = hidden_activation == "relu"
    m = X.shape[1]
    W, b = _layer_arrays(parameters, L)
    layer1 = layer1_class(X, W[1], b[1], learning_rate)
    forward1, update1 = layer1.forward, layer1.update  # looked up once, not every iteration
    n = [X.shape[0]] + [W[l].shape[0] for l in range(1, L + 1)]
    # the buffers: Z_l and A_l (l >= 2; layer 1 gives its own Z1), dA_(l-1), dW_l, db_l, dZ_L
    Z = [None, None] + [np.empty((n[l], m)) for l in range(2, L + 1)]
    A = [X] + [np.empty((n[l], m)) for l in range(1, L + 1)]
    dA = [None] + [np.empty((n[l], m)) for l in range(1, L)]
    dW = [None] + [np.empty_like(W[l]) for l in range(1, L + 1)]
    db = [None] + [np.empty_like(b[l]) for l in range(1, L + 1)]
    dZL = np.empty((1, m))
    iterations = np.asarray(record, dtype=np.int64)
    costs = np.empty(iterations.size)
    k = 0  # the next record
    caller = np.geterr()  # the callback runs under the caller's floating-point error handling
    with np.errstate(all="ignore"):  # a non-finite cost is reported below, in one line
        for i in range(num_iterations):
            for l in range(1, L + 1):
                if l == 1:
                    Z[1] = forward1()
                else:
                    np.matmul(W[l], A[l - 1], out=Z[l])  # Z_l = W_l A_(l-1) + b_l
                    Z[l] += b[l]
                if l == L:
                    A[L] = _sigmoid_forward_finite(Z[L])
                elif relu:
                    np.maximum(Z[l], 0.0, out=A[l])  # relu_forward
                else:
                    A[l] = g(Z[l])
            # The cost of every iteration is checked: where it is not recorded, through sum|Z_L|,
            # which bounds it (each term is at most |z| + log 2), so it is computed only when needed.
            recorded = k < iterations.size and i == iterations[k]
            cost = _cost_from_z(Z[L], Y) if recorded or not np.abs(Z[L]).sum() <= _SAFE_SUM else 0.0
            if not math.isfinite(cost):
                parameters["W1"], parameters["b1"] = layer1.finish()
                raise TrainingDiverged(_diverged_message(i, cost, learning_rate, X, i > 0), i, parameters,
                                       _history(iterations[:k], costs[:k]))
            if recorded:
                costs[k] = cost
                k += 1
                if callback is not None:
                    with np.errstate(**caller):
                        callback(i, cost)
            dZ = np.subtract(A[L], Y, out=dZL)  # dZ_L = A_L - Y
            for l in range(L, 0, -1):
                if l < L:
                    dZ = _relu_backward_finite(dA[l], Z[l]) if relu else g_backward(dA[l], Z[l])
                np.add.reduce(dZ, axis=1, keepdims=True, out=db[l])  # db_l = sum(dZ_l) / m
                db[l] /= m
                if l == 1:
                    update1(dZ, db[1])
                else:
                    np.matmul(dZ, A[l - 1].T, out=dW[l])  # dW_l = dZ_l A_(l-1)^T / m
                    dW[l] /= m
                    np.matmul(W[l].T, dZ, out=dA[l - 1])  # dA_(l-1), before W[l] changes
                    dW[l] *= learning_rate
                    W[l] -= dW[l]  # W_l -= alpha dW_l
                    db[l] *= learning_rate
                    b[l] -= db[l]  # b_l -= alpha db_l
    parameters["W1"], parameters["b1"] = layer1.finish()
    return parameters, costs


def _relu_backward_finite(dA, Z):
    """relu_backward() for the training loop, where every value is finite, written into ``dA``.

    ``dA * (Z > 0)``: the same values as ``np.where(Z > 0, dA, 0.0)`` (a zero
    gradient may come out as -0, which equals 0 and changes no later sum or
    update), in one pass and without a new array. Twin of R's relu_backward_finite.
    """
    return np.multiply(dA, Z > 0, out=dA)


def _sigmoid_forward_finite(Z):
    """sigmoid_forward() for the training loop: the same values (``1 / (1 + e)`` or ``e / (1 + e)``,
    ``e = exp(-|Z|)``, one division each), with ``1 + e`` computed once. Twin of R's sigmoid_forward_finite."""
    e = np.exp(-np.abs(Z))
    return np.divide(np.where(Z >= 0, 1.0, e), 1.0 + e)


#: Below this, sum|Z_L| proves the cost finite (it is at most sum|Z_L| + m log 2).
_SAFE_SUM = 1e300


def predict_proba(X, parameters, hidden_activation="relu"):
    """``A_L``, the probability of class 1 for every column of X (shape (1, m)).

    Never NaN: non-finite parameters are refused, and so is an X for which the
    network overflows (contract section 9).
    """
    X = check_matrix(X, "X")
    dims = check_parameters(parameters, n_x=X.shape[0], output_one=True)
    check_finite_parameters(parameters, dims)
    check_choice(hidden_activation, tuple(ACTIVATIONS), "hidden_activation")
    check_memory(forward_need(dims, X.shape[1]), "X", f"{X.shape[1]} examples for the layers {dims_text(dims)}")
    with np.errstate(all="ignore"):
        AL = _forward_pass(X, parameters, hidden_activation, len(dims) - 1)[0]
    bad = np.isnan(AL)
    if bad.any():
        raise input_error("X", "values for which the network's output is a number",
                          f"{int(np.count_nonzero(bad))} example(s) whose output is NaN (an overflow inside the "
                          f"network: scale X down)")
    return AL


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

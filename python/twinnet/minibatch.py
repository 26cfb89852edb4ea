"""Mini-batches and the optimiser path of training (contract sections 34 and 36; twin of ``R/minibatch.R``).

``random_mini_batches`` is the course's: a permutation of the columns, then
full batches and one smaller last batch. ``_train_minibatch`` is the second
training loop of :func:`~twinnet.L_layer_model`, kept apart from the
full-batch gradient-descent loop of python/twinnet/model.py (which it
reproduces bit for bit when no option is used): it runs whenever one of the
course's second-part options is on -- L2 (``lambd``), dropout
(``keep_prob``), mini-batches, momentum or Adam, a learning-rate decay --
one epoch per "iteration", the seed of the mini-batches advanced once per
epoch as the course does, the cost recorded per epoch.
"""

import math

import numpy as np

from .activations import ACTIVATIONS, sigmoid_forward
from .cost import _cost_sum
from .initialize import _layer_arrays
from .optimizers import DECAYS, OPTIMIZERS, STEPS, _epoch_learning_rate
from .regularization import _draw_masks, _l2_sum, check_keep_prob
from .rng import STREAMS, _DrawStream, rng_permutation
from .validate import (
    SEED_MAX,
    _is_whole,
    check_choice,
    check_count,
    check_decay_factor,
    check_labels,
    check_matrix,
    check_nonnegative,
    check_optional_choice,
    check_positive_finite,
    check_seed,
    describe,
    input_error,
)


def check_mini_batch_size(mini_batch_size, m, allow_none=True, arg="mini_batch_size"):
    """A whole number in 1..m (or None, the full batch, when ``allow_none``); returned as int or None."""
    expected = f"a whole number in 1..{m} (the number of examples)" + (" or None" if allow_none else "")
    if mini_batch_size is None and allow_none:
        return None
    if not _is_whole(mini_batch_size) or not 1 <= mini_batch_size <= m:
        raise input_error(arg, expected, describe(mini_batch_size))
    return int(mini_batch_size)


def _batch_columns(perm, mini_batch_size):
    """The columns of each mini-batch: ``perm`` cut into full batches, then the smaller rest (if any)."""
    return [perm[k:k + mini_batch_size] for k in range(0, len(perm), mini_batch_size)]


def random_mini_batches(X, Y, mini_batch_size=64, seed=0, stream="portable"):
    """The course's mini-batches: the columns shuffled by a seeded permutation, then cut.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (1, m)
        Labels in {0, 1}.
    mini_batch_size : int, default 64
        1..m. The batches hold ``mini_batch_size`` columns each, the last one
        the ``m mod mini_batch_size`` left over (when there are any).
    seed : int, default 0
    stream : {"portable", "numpy"}, default "portable"
        The permutation is :func:`~twinnet.rng_permutation` ``(m, seed, stream)``:
        with ``"numpy"``, ``np.random.seed(seed); np.random.permutation(m)``,
        the course's.

    Returns
    -------
    list of (X_batch, Y_batch)
        In order; the R twin returns the same batches as a list of ``list(X, Y)``.
    """
    X = check_matrix(X, "X")
    Y = check_labels(Y, X.shape[1])
    size = check_mini_batch_size(mini_batch_size, X.shape[1], allow_none=False)
    perm = rng_permutation(X.shape[1], check_seed(seed), check_choice(stream, STREAMS, "stream"))
    return [(X[:, cols], Y[:, cols]) for cols in _batch_columns(perm, size)]


def _epoch_seed(mini_batch_seed, epoch):
    """The seed of the mini-batches of epoch ``epoch`` (0-based): advanced before each epoch, as the course does."""
    return (mini_batch_seed + epoch + 1) % (SEED_MAX + 1)


def _epoch_permutations(m, mini_batch_seed, num_epochs, stream):
    """``epoch -> the permutation of that epoch's mini-batches`` (0-based epochs).

    ``rng_permutation(m, _epoch_seed(mini_batch_seed, epoch), stream)``; for
    the numpy stream that is numpy's own ``RandomState(seed).permutation(m)``
    (without the state's round trip through numpy_seed). The R twin seeds
    the numpy stream of many epochs at once.
    """
    if stream == "numpy":
        return lambda epoch: np.random.RandomState(_epoch_seed(mini_batch_seed, epoch)).permutation(m)
    return lambda epoch: rng_permutation(m, _epoch_seed(mini_batch_seed, epoch), stream)


def _check_training_options(dims, m, stream, lambd, keep_prob, mini_batch_size, optimizer, beta, beta1, beta2,
                            epsilon, decay, decay_rate, time_interval, mini_batch_seed, dropout_seed):
    """The options of contract section 36, checked (in argument order); ``plain`` when none is on.

    Plain training (no L2, no dropout, the full batch, gradient descent, a
    constant learning rate) is the full-batch loop's; anything else is the
    optimiser path's (and the gram solver's exactness is gone, section 22).
    """
    o = {
        "lambd": check_nonnegative(lambd, "lambd"),
        "keep_prob": check_keep_prob(keep_prob, len(dims) - 1),
        "mini_batch_size": check_mini_batch_size(mini_batch_size, m),
        "optimizer": check_choice(optimizer, OPTIMIZERS, "optimizer"),
        "beta": check_decay_factor(beta, "beta"),
        "beta1": check_decay_factor(beta1, "beta1"),
        "beta2": check_decay_factor(beta2, "beta2"),
        "epsilon": check_positive_finite(epsilon, "epsilon"),
        "decay": check_optional_choice(decay, DECAYS, "decay"),
        "decay_rate": check_nonnegative(decay_rate, "decay_rate"),
        "time_interval": check_count(time_interval, "time_interval"),
        "mini_batch_seed": check_seed(mini_batch_seed, "mini_batch_seed"),
        "dropout_seed": check_seed(dropout_seed, "dropout_seed"),
        "stream": stream,
    }
    o["plain"] = _plain_training(o["lambd"], o["keep_prob"], o["mini_batch_size"], o["optimizer"], o["decay"])
    return o


def _plain_training(lambd, keep, mini_batch_size, optimizer, decay):
    """No option of contract section 36 is on: the full-batch gradient-descent loop trains (and gram may)."""
    return lambd == 0 and all(k == 1.0 for k in keep) and mini_batch_size is None and optimizer == "gd" \
        and decay is None


def _updates_per_epoch(m, mini_batch_size):
    """How many parameter updates an epoch makes: the number of mini-batches (1 for the full batch)."""
    return 1 if mini_batch_size is None else -(-m // mini_batch_size)


def _column_gatherer(X):
    """``gather(cols)``: the columns ``cols`` of X, copied into a buffer kept for each batch size.

    Only those columns are read. A column-major X (the course's ``X_orig.reshape(m, -1).T`` is one) has
    them contiguous: they are the rows of ``X.T``, copied row by row into a column-major buffer. A
    row-major X has them strided; ``np.take`` along the columns reads them in place (it would copy a
    whole non-contiguous X first, so any other layout goes through fancy indexing). The buffer is
    overwritten by the next batch of the same size.
    """
    buffers = {}
    by_rows = X.flags.f_contiguous and not X.flags.c_contiguous

    def gather(cols):
        out = buffers.get(len(cols))
        if out is None:
            out = buffers[len(cols)] = np.empty((X.shape[0], len(cols)), order="F" if by_rows else "C")
        if by_rows:
            np.take(X.T, cols, axis=0, out=out.T, mode="clip")  # cols are in range: no checking pass
        elif X.flags.c_contiguous:
            np.take(X, cols, axis=1, out=out, mode="clip")
        else:
            out[...] = X[:, cols]
        return out

    return gather


def _train_minibatch(X, Y, parameters, L, learning_rate, num_epochs, hidden_activation, record, callback, options):
    """The optimiser path (contract section 36): returns ``(parameters, costs)``, ``costs`` those of ``record``.

    ``parameters`` is updated in place (and returned). Each epoch: the
    learning rate of the decay; the mini-batches (without ``mini_batch_size``,
    the full batch in column order); for each batch, forward propagation
    with the dropout masks drawn from one stream (seeded once with
    ``dropout_seed``), the batch's cost sum, backward propagation (dropout
    masks, L2), and the optimiser's update of every layer (``t`` counted per
    batch). The epoch's cost is the sum over its batches divided by m: the
    course's ``cost_total / m``. At the first batch that makes the epoch's
    cost non-finite it stops with :class:`~twinnet.model.TrainingDiverged`
    (the parameters that gave it, the costs recorded before; contract
    section 8). The only copy of X is the batch's columns, into a buffer kept
    for each batch size (_column_gatherer).
    """
    o = options
    g, g_backward = ACTIVATIONS[hidden_activation]
    n_x, m = X.shape
    W, b = _layer_arrays(parameters, L)
    dims = [n_x] + [W[l].shape[0] for l in range(1, L + 1)]
    keep, lambd, size = o["keep_prob"], o["lambd"], o["mini_batch_size"]
    draws = _DrawStream(o["dropout_seed"], o["stream"]) if any(k < 1.0 for k in keep) else None
    permutation = None if size is None else _epoch_permutations(m, o["mini_batch_seed"], num_epochs, o["stream"])
    step = STEPS[o["optimizer"]](W, b, o)
    dW = [None] + [np.empty_like(W[l]) for l in range(1, L + 1)]  # the gradients' buffers
    X_batch, Y_batch = _column_gatherer(X), _column_gatherer(np.ascontiguousarray(Y))
    recorded = set(record)
    costs = []
    A = [None] * (L + 1)
    Z = [None] * (L + 1)
    masks = {}
    dA = None  # dA_l, carried from layer l + 1 down to layer l
    updated = False  # whether a batch has updated the parameters (TrainingDiverged's cause: X before any)
    for epoch in range(num_epochs):
        rate = _epoch_learning_rate(o["decay"], learning_rate, epoch, o["decay_rate"], o["time_interval"])
        batches = (None,) if size is None else _batch_columns(permutation(epoch), size)
        total = 0.0
        for cols in batches:
            if cols is None:
                A[0], Yb = X, Y
            else:
                A[0], Yb = X_batch(cols), Y_batch(cols)
            mb = A[0].shape[1]
            if draws is not None:
                masks = _draw_masks(draws, dims, mb, keep)
            with np.errstate(all="ignore"):  # a non-finite cost is reported below, in one line
                for l in range(1, L + 1):
                    Z[l] = W[l] @ A[l - 1]
                    Z[l] += b[l]
                    if l < L:
                        A[l] = g(Z[l])
                        if f"D{l}" in masks:  # inverted dropout
                            A[l] *= masks[f"D{l}"]
                            A[l] /= keep[l - 1]
                    else:
                        A[l] = sigmoid_forward(Z[l])
                total += _cost_sum(Z[L], Yb)
                if lambd > 0:
                    total += (lambd / 2.0) * _l2_sum(W[1:])
            if not math.isfinite(total):  # the epoch's cost cannot be finite: stop before this batch's update
                from .model import TrainingDiverged, _diverged_message, _history  # (model.py imports this module)
                raise TrainingDiverged(_diverged_message(epoch, total / m, rate, X, updated), epoch, parameters,
                                       _history(record[:len(costs)], costs))
            step.begin()
            dZ = A[L] - Yb
            for l in range(L, 0, -1):
                if l < L:
                    if f"D{l}" in masks:
                        dA *= masks[f"D{l}"]
                        dA /= keep[l - 1]
                    dZ = g_backward(dA, Z[l])
                grad = np.matmul(dZ, A[l - 1].T, out=dW[l])
                grad /= mb
                if lambd > 0:
                    grad += (lambd * W[l]) / mb
                db = dZ.sum(axis=1, keepdims=True) / mb
                if l > 1:
                    dA = W[l].T @ dZ  # before W[l] changes
                step.update(l, W[l], b[l], grad, db, rate)
            updated = True
        cost = total / m
        if epoch in recorded:
            costs.append(cost)
            if callback is not None:
                callback(epoch, cost)
    return parameters, costs

"""How the first layer is trained: the "direct" path and the exact "gram" fast path.

Contract section 22; twin of ``R/solver.R``.

Full-batch gradient descent only ever uses ``W1`` through ``Z1 = W1 X + b1``
and ``dW1 = (1/m) dZ1 X^T``. With the Gram matrix ``G = X^T X`` (m x m,
computed once), one update of ``W1`` moves ``Z1`` by

    Z1 <- Z1 - (alpha/m) dZ1 G - alpha db1        (db1 broadcast over columns)

so the "gram" solver keeps ``Z1`` itself, accumulates ``C = sum_t dZ1(t)`` and
materialises ``W1 = W1(0) - (alpha/m) C X^T`` once, at the end. Each
iteration then costs ``n1 m^2`` multiply-adds for the first layer instead of
the direct path's ``2 n1 n_x m``: the same parameters in exact arithmetic, far
less work when ``m < n_x``.
"""

import sys
from contextlib import contextmanager

import numpy as np

from .minibatch import _plain_training, check_mini_batch_size
from .optimizers import DECAYS, OPTIMIZERS
from .regularization import check_keep_prob
from .validate import (
    check_choice,
    check_count,
    check_layer_dims,
    check_matrix,
    check_nonnegative,
    check_optional_choice,
    describe,
    input_error,
)

#: The solver names ``L_layer_model`` accepts.
SOLVERS = ("auto", "direct", "gram")

#: What ``solver="gram"`` is refused with when X^T X could overflow (same text in R).
GRAM_OVERFLOW = ('"auto" or "direct": the Gram matrix X^T X of this X could overflow '
                 "(n_x * max|X|^2 > DBL_MAX / 2)")
#: What ``solver="gram"`` is refused with when a training option of contract section 36 is on (same text in R).
GRAM_PLAIN_ONLY = ('"auto" or "direct" with these options: the gram solver trains only plain full-batch '
                   "gradient descent (no lambd, keep_prob, mini_batch_size, optimizer or decay)")


def solver_work(n_x, m, n_1, num_iterations):
    """Multiply-adds of the first layer's matrix products, per solver.

    ``direct``: ``num_iterations * 2 n1 n_x m`` (``W1 X`` and ``dZ1 X^T`` every
    iteration). ``gram``: ``n_x m (m + 1) / 2`` for ``G`` (a symmetric rank-k
    product), ``2 n1 n_x m`` for ``Z1(0) = W1(0) X`` and the final ``C X^T``,
    and ``num_iterations * n1 m^2`` for ``dZ1 G``. The other layers cost the
    same in both and are left out. Returns ``(direct, gram)`` as floats.
    """
    n_x, m, n_1, T = float(n_x), float(m), float(n_1), float(num_iterations)
    direct = T * 2.0 * n_1 * n_x * m
    gram = n_x * m * (m + 1.0) / 2.0 + 2.0 * n_1 * n_x * m + T * n_1 * m * m
    return direct, gram


def gram_is_safe(X):
    """True when no entry of ``X^T X`` can overflow: ``n_x * max|X|^2 <= DBL_MAX / 2``."""
    big = max(float(X.max()), -float(X.min()))
    return big <= np.sqrt(sys.float_info.max / 2.0 / X.shape[0])


def choose_solver(X, layer_dims, num_iterations=2500, solver="auto", lambd=0.0, keep_prob=1.0,
                  mini_batch_size=None, optimizer="gd", decay=None):
    """The solver ``L_layer_model`` uses for these arguments: ``"direct"`` or ``"gram"``.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
    layer_dims : sequence of int
        ``(n_x, n_1, ..., 1)``.
    num_iterations : int, default 2500
    solver : {"auto", "direct", "gram"}, default "auto"
        ``"auto"`` picks ``"gram"`` when ``m < n_x``, when its first-layer
        work (:func:`solver_work`) is smaller than the direct path's, and when
        ``X^T X`` cannot overflow; otherwise ``"direct"``.
    lambd, keep_prob, mini_batch_size, optimizer, decay
        The training options of ``L_layer_model`` (contract section 36): with
        any of them on, training takes the optimiser path, which is
        ``"direct"`` only (``"auto"`` picks it, ``"gram"`` is refused).

    Returns
    -------
    str
        ``"direct"`` or ``"gram"``.

    Raises
    ------
    ValueError
        For an unknown solver, or ``solver="gram"`` with an ``X`` whose Gram
        matrix could overflow (the one case where gram would not reproduce
        the direct path).
    """
    X = check_matrix(X, "X")
    dims = check_layer_dims(layer_dims, n_x=X.shape[0])
    num_iterations = check_count(num_iterations, "num_iterations")
    check_choice(solver, SOLVERS, "solver")
    plain = _plain_training(check_nonnegative(lambd, "lambd"), check_keep_prob(keep_prob, len(dims) - 1),
                            check_mini_batch_size(mini_batch_size, X.shape[1]),
                            check_choice(optimizer, OPTIMIZERS, "optimizer"),
                            check_optional_choice(decay, DECAYS, "decay"))
    return _choose_for(X, dims, num_iterations, solver, plain)


def _choose_for(X, dims, num_iterations, solver, plain):
    """_choose_solver_unchecked for training that is ``plain`` (contract section 36) or not: then "direct",
    and "gram" refused."""
    if plain:
        return _choose_solver_unchecked(X, dims, num_iterations, solver)
    if solver == "gram":
        raise input_error("solver", GRAM_PLAIN_ONLY, describe(solver))
    return "direct"


def _choose_solver_unchecked(X, dims, num_iterations, solver):
    """choose_solver without the argument checks."""
    if solver == "direct":
        return "direct"
    if solver == "gram":
        if not gram_is_safe(X):
            raise input_error("solver", GRAM_OVERFLOW, describe(solver))
        return "gram"
    n_x, m = X.shape
    direct, gram = solver_work(n_x, m, dims[1], num_iterations)
    return "gram" if m < n_x and gram < direct and gram_is_safe(X) else "direct"


#: Multiply-adds of a matrix product below which a second BLAS thread does not pay: the full-batch
#: loop then runs on one thread (contract section 22, "Threads"; docs/performance.md has the measurements).
SMALL_PRODUCT = 8e6


def _loop_threads(n_x, m, n_1, solver):
    """The BLAS threads of the full-batch loop: 1 when its largest product is small, else None.

    The largest product of one iteration is ``W1 X`` / ``dZ1 X^T`` (direct,
    ``n1 n_x m`` multiply-adds each) or ``dZ1 G`` (gram, ``n1 m^2``); below
    :data:`SMALL_PRODUCT` one thread is used, otherwise the BLAS's own count
    (None). Small products shared between threads spend more time handing
    over than multiplying, and idle OpenBLAS threads spin.
    """
    largest = float(n_1) * m * m if solver == "gram" else float(n_1) * n_x * m
    return 1 if largest < SMALL_PRODUCT else None


@contextmanager
def _blas_threads(n):
    """Run the block with ``n`` BLAS threads (None: as they are), then restore the count, also on error.

    Through threadpoolctl, which finds numpy's BLAS (OpenBLAS, MKL, BLIS, ...);
    with a BLAS it cannot control nothing changes. Its controller is made at
    the first call and kept (making one scans the loaded libraries: about a
    millisecond).
    """
    if n is None:
        yield
        return
    if _blas_threads.controller is None:
        from threadpoolctl import ThreadpoolController
        _blas_threads.controller = ThreadpoolController().select(user_api="blas")
    with _blas_threads.controller.limit(limits=n):
        yield


_blas_threads.controller = None


class DirectLayer1:
    """The first layer as the contract writes it: ``Z1 = W1 X + b1``, ``W1 -= alpha dW1``."""

    def __init__(self, X, W1, b1, learning_rate):
        self.X, self.W1, self.b1, self.learning_rate = X, W1, b1, learning_rate
        self.m = X.shape[1]
        self.dW1 = np.empty_like(W1)  # reused every iteration: no allocation of n1 x n_x
        self.Z1 = np.empty((W1.shape[0], self.m))  # likewise

    def forward(self):
        Z1 = np.matmul(self.W1, self.X, out=self.Z1)
        Z1 += self.b1
        return Z1

    def update(self, dZ1, db1):
        dW1 = np.matmul(dZ1, self.X.T, out=self.dW1)  # X.T is a view: BLAS reads X transposed
        dW1 /= self.m
        dW1 *= self.learning_rate
        self.W1 -= dW1
        self.b1 -= self.learning_rate * db1

    def finish(self):
        """The trained ``(W1, b1)``."""
        return self.W1, self.b1


class GramLayer1:
    """The first layer through ``G = X^T X``: keeps ``Z1`` and ``C``, never ``W1`` until the end."""

    def __init__(self, X, W1, b1, learning_rate):
        self.X, self.W1, self.b1, self.learning_rate = X, W1, b1, learning_rate
        self.m = X.shape[1]
        self.G = X.T @ X  # numpy recognises X^T X and uses a symmetric rank-k product
        self.Z1 = W1 @ X
        self.Z1 += b1  # Z1(0): the same numbers as the direct path's first iteration
        self.C = np.zeros_like(self.Z1)
        self.step = learning_rate / self.m
        self.dZ1G = np.empty_like(self.Z1)  # reused every iteration, as is delta
        self.delta = np.empty_like(b1)

    def forward(self):
        return self.Z1

    def update(self, dZ1, db1):
        self.C += dZ1
        dZ1G = np.matmul(dZ1, self.G, out=self.dZ1G)
        dZ1G *= self.step
        self.Z1 -= dZ1G  # Z1 -= (dZ1 G) s
        delta = np.multiply(self.learning_rate, db1, out=self.delta)
        self.Z1 -= delta
        self.b1 -= delta

    def finish(self):
        """The trained ``(W1, b1)``: ``W1 = W1(0) - (alpha/m) C X^T``, written into the caller's W1."""
        self.W1 -= (self.C @ self.X.T) * self.step
        return self.W1, self.b1


LAYER1 = {"direct": DirectLayer1, "gram": GramLayer1}

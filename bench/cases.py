"""The benchmark's cases: the cat/non-cat experiment, the circles demo, the Dogs-vs-Cats shape ("large") and the
mini-batch Adam workload; and the matrix products of one full-batch iteration (the limit of its time)."""

import os
from pathlib import Path

import numpy as np

import twinnet as tn

ROOT = Path(__file__).resolve().parents[1]
CAT_DIMS = [12288, 20, 7, 5, 1]
LARGE_DIMS = [3072, 7, 5, 1]
LARGE_M = 21000
LEARNING_RATE = 0.0075
#: The demo's circles (README, `twinnet compare`; cli.py's defaults): 1000 points, [2, 16, 8, 1], 0.05, 5000 iterations.
CIRCLES_DIMS = [2, 16, 8, 1]
CIRCLES_LEARNING_RATE = 0.05
#: The mini-batch workload (issue 15): one epoch of Adam in batches of 64 on the Dogs-vs-Cats shape.
MINIBATCH_DIMS = [3072, 64, 16, 1]
MINIBATCH_OPTIONS = {"mini_batch_size": 64, "optimizer": "adam"}
ADAM_LEARNING_RATE = 0.001
CASES = ("catvnoncat", "circles", "large", "minibatch")


class Case:
    """One benchmark case: X (n_x x m), Y, the layer sizes, the iterations and where the data came from.

    ``options`` are L_layer_model's training options of the case (contract section 36; none for the
    full-batch cases), ``reference`` the variant the others are compared with (speed-up, final cost).
    """

    def __init__(self, name, X, Y, dims, iterations, source, lr=LEARNING_RATE, options=None):
        self.name, self.X, self.Y, self.dims, self.iterations, self.source = name, X, Y, dims, iterations, source
        self.lr = lr
        self.options = dict(options or {})
        self.reference = "python-adam" if self.options else "textbook"

    @property
    def unit(self):
        """What an iteration is: a full-batch step, or an epoch of mini-batches."""
        return "epoch" if self.options.get("mini_batch_size") else "iteration"

    def count(self):
        """The iterations with their unit: "2500 iterations", "1 epoch"."""
        return f"{self.iterations} {self.unit}{'' if self.iterations == 1 else 's'}"

    def describe_options(self):
        """The training options as the report prints them ("" for the full-batch cases)."""
        if not self.options:
            return ""
        size = self.options["mini_batch_size"]
        updates = -(-self.shape[1] // size)
        return (f"{self.options['optimizer']}, learning rate {self.lr}, {updates} mini-batches of {size} "
                f"per epoch; ")

    @property
    def shape(self):
        return self.X.shape


def shared_data_dir(arg=None):
    return Path(arg or os.environ.get("TWINNET_SHARED_DATA") or ROOT.parent / "shared" / "data")


def catvnoncat_case(iterations, data_dir):
    """The 209 training images of the cat/non-cat files (load_catvnoncat), or random data of their shape."""
    folder = shared_data_dir(data_dir) / "catvnoncat"
    if (folder / "train_catvnoncat.h5").is_file():
        X, Y = tn.load_catvnoncat(folder)[:2]
        source = "real: train_catvnoncat.h5 (209 images)"
    else:
        rng = np.random.default_rng(1)
        X = rng.random((12288, 209))
        Y = (rng.random((1, 209)) < 0.35).astype(np.float64)
        source = f"random of the cat/non-cat shape ({folder} absent)"
    return Case("catvnoncat", np.ascontiguousarray(X), Y, CAT_DIMS, iterations, source)


def circles_case(iterations):
    """The demo's circles: make_circles(1000, seed = 1), the training set of `twinnet compare`."""
    X, Y = tn.make_circles(1000, seed=1)
    return Case("circles", X, Y, CIRCLES_DIMS, iterations, "make_circles(1000, seed = 1), the demo's",
                lr=CIRCLES_LEARNING_RATE)


def large_case(iterations):
    """The Dogs-vs-Cats shape: Kaggle's 25,000 pictures at 32 x 32 (3072 features), about 21,000 for training;
    random pixels, so that the case needs no download (auto picks direct: m > n_x)."""
    rng = np.random.default_rng(2)
    X = rng.random((LARGE_DIMS[0], LARGE_M))  # float64 directly: no temporary copy
    Y = (rng.random((1, LARGE_M)) < 0.5).astype(np.float64)
    return Case("large", X, Y, LARGE_DIMS, iterations,
                "the Dogs-vs-Cats shape: random uniform [0, 1), labels random")


def minibatch_case(epochs):
    """The large case's shape held column-major, [3072, 64, 16, 1], Adam on mini-batches of 64 (329 per epoch).

    Column-major as the course's flattening makes it (``X_orig.reshape(m, -1).T``): each example's
    features contiguous, as in the examples-as-rows copy PyTorch and scikit-learn get (the same memory).
    """
    rng = np.random.default_rng(2)
    X = rng.random((LARGE_M, LARGE_DIMS[0])).T  # float64 directly, column-major: no temporary copy
    Y = (rng.random((1, LARGE_M)) < 0.5).astype(np.float64)
    return Case("minibatch", X, Y, MINIBATCH_DIMS, epochs, "random uniform [0, 1), column-major, labels random",
                lr=ADAM_LEARNING_RATE, options=MINIBATCH_OPTIONS)


def make_case(name, iterations, data_dir):
    if name == "catvnoncat":
        return catvnoncat_case(iterations, data_dir)
    if name == "circles":
        return circles_case(iterations)
    return large_case(iterations) if name == "large" else minibatch_case(iterations)


def iteration_products(dims, solver):
    """The matrix products of one full-batch iteration: (label, kind, l) in the loop's order.

    Kinds: ``"W A"`` (forward, ``W_l A_(l-1)``), ``"dZ A^T"`` (``dW_l``),
    ``"W^T dZ"`` (``dA_(l-1)``, none for l = 1) and, for the gram solver,
    ``"dZ G"`` (``dZ1 G``, which replaces both ``W1 X`` and ``dZ1 X^T``).
    Their times, each product alone, add up to the limit of the iteration's time.
    """
    L = len(dims) - 1
    out = []
    for l in range(1, L + 1):
        out.append(("dZ1 G", "dZ G", 1) if l == 1 and solver == "gram" else (f"W{l} A{l - 1}", "W A", l))
    for l in range(L, 0, -1):
        if not (l == 1 and solver == "gram"):
            out.append((f"dZ{l} A{l - 1}^T", "dZ A^T", l))
        if l > 1:
            out.append((f"W{l}^T dZ{l}", "W^T dZ", l))
    return out


def product_flops(dims, m, kind, l):
    """Floating-point operations (2 per multiply-add) of one product of ``iteration_products``."""
    return 2.0 * dims[l] * m * (m if kind == "dZ G" else dims[l - 1])

"""The benchmark's cases: the cat/non-cat experiment, a large case and the mini-batch Adam workload."""

import os
from pathlib import Path

import numpy as np

import twinnet as tn

ROOT = Path(__file__).resolve().parents[1]
CAT_DIMS = [12288, 20, 7, 5, 1]
LARGE_DIMS = [3072, 7, 5, 1]
LARGE_M = 21000
LEARNING_RATE = 0.0075
#: The mini-batch workload (issue 15): one epoch of Adam in batches of 64 on the Dogs-vs-Cats shape.
MINIBATCH_DIMS = [3072, 64, 16, 1]
MINIBATCH_OPTIONS = {"mini_batch_size": 64, "optimizer": "adam"}
ADAM_LEARNING_RATE = 0.001
CASES = ("catvnoncat", "large", "minibatch")


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


def large_case(iterations):
    rng = np.random.default_rng(2)
    X = rng.random((LARGE_DIMS[0], LARGE_M))  # float64 directly: no temporary copy
    Y = (rng.random((1, LARGE_M)) < 0.5).astype(np.float64)
    return Case("large", X, Y, LARGE_DIMS, iterations, "random uniform [0, 1), labels random")


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
    return large_case(iterations) if name == "large" else minibatch_case(iterations)

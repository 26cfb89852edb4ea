"""The benchmark's cases: the cat/non-cat experiment and a large case (the data and the network)."""

import os
from pathlib import Path

import numpy as np

import twinnet as tn

ROOT = Path(__file__).resolve().parents[1]
CAT_DIMS = [12288, 20, 7, 5, 1]
LARGE_DIMS = [3072, 7, 5, 1]
LARGE_M = 21000
LEARNING_RATE = 0.0075
CASES = ("catvnoncat", "large")


class Case:
    """One benchmark case: X (n_x x m), Y, the layer sizes, the iterations and where the data came from."""

    def __init__(self, name, X, Y, dims, iterations, source):
        self.name, self.X, self.Y, self.dims, self.iterations, self.source = name, X, Y, dims, iterations, source
        self.lr = LEARNING_RATE

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


def make_case(name, iterations, data_dir):
    return catvnoncat_case(iterations, data_dir) if name == "catvnoncat" else large_case(iterations)

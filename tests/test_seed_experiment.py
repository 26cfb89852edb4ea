"""The seed experiment in both languages (needs ../shared/data/catvnoncat/).

[12288, 20, 7, 5, 1], relu, xavier, learning rate 0.0075, 2500 iterations,
the same seed in Python and in R: initial parameters bit for bit, the cost
history within 1e-9 (contract section 13), predictions identical.
"""

import numpy as np
import pytest
from helpers import RUN_TOL, assert_close, assert_identical, require_data

import twinnet

pytestmark = [pytest.mark.slow, pytest.mark.realdata]

DIMS = [12288, 20, 7, 5, 1]


def load(folder):
    h5py = pytest.importorskip("h5py")
    out = []
    for split in ("train", "test"):
        with h5py.File(folder / f"{split}_catvnoncat.h5", "r") as f:
            x = np.asarray(f[f"{split}_set_x"], dtype=np.float64)
            y = np.asarray(f[f"{split}_set_y"], dtype=np.float64)
        out += [x.reshape(x.shape[0], -1).T / 255.0, y.reshape(1, -1)]
    return out


@pytest.fixture(scope="module")
def cats():
    return load(require_data("catvnoncat"))


@pytest.mark.parametrize("solver", ["direct", "gram"])
def test_seed_experiment_python_vs_r(r, cats, solver):
    """The textbook loop ("direct") and the exact fast path ("gram", what "auto" picks here)."""
    X, Y, X_test, Y_test = cats
    kw = dict(learning_rate=0.0075, num_iterations=2500, seed=1, hidden_activation="relu",
              scheme="xavier", print_every=100, solver=solver)
    p0 = twinnet.initialize_parameters(DIMS, 1, "xavier")
    p0_r = r.initialize_parameters(DIMS, 1, "xavier")
    for k in p0:
        assert_identical(f"initial {k}", p0[k], p0_r[k])
    params_py, costs_py = twinnet.L_layer_model(X, Y, DIMS, **kw)
    fit_r = r.L_layer_model(X, Y, DIMS, **kw)
    assert list(costs_py["iteration"]) == list(fit_r["costs"]["iteration"])
    assert_close("2500-iteration costs", costs_py["cost"].to_numpy(), fit_r["costs"]["cost"].to_numpy(), RUN_TOL)
    for name, A, B in (("train", X, Y), ("test", X_test, Y_test)):
        assert_identical(f"{name} predictions", twinnet.predict_class(A, params_py),
                         r.predict_class(A, fit_r["parameters"]))
    # It learned: the seed's figures (train accuracy 0.98-1.00 over seeds 1-10).
    assert twinnet.accuracy(X, Y, params_py) >= 0.95

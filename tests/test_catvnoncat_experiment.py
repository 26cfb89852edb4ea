"""The cat/non-cat experiment in both languages (needs ../shared/data/catvnoncat/).

[12288, 20, 7, 5, 1], relu, xavier, learning rate 0.0075, 2500 iterations,
the same seed in Python and in R: initial parameters bit for bit, the cost
of every iteration within 1e-9 (contract section 13, after its stability condition),
predictions identical.
"""

import pytest
from helpers import (RUN_TOL, assert_close, assert_decisive, assert_identical, assert_stable, catvnoncat,
                     python_run, r_run)

import twinnet

pytestmark = [pytest.mark.slow, pytest.mark.realdata]

CAT_DIMS = [12288, 20, 7, 5, 1]
KW = dict(learning_rate=0.0075, num_iterations=2500, seed=1, hidden_activation="relu", scheme="xavier")


@pytest.mark.parametrize("solver", ["direct", "gram"])
def test_catvnoncat_experiment_python_vs_r(r, solver):
    """The textbook loop ("direct") and the exact fast path ("gram", what "auto" picks here)."""
    X, Y, X_test, Y_test, _ = catvnoncat()
    p0 = twinnet.initialize_parameters(CAT_DIMS, 1, "xavier")
    p0_r = r.initialize_parameters(CAT_DIMS, 1, "xavier")
    for k in p0:
        assert_identical(f"initial {k}", p0[k], p0_r[k])
    assert_stable(X, Y, CAT_DIMS, **KW)
    params_py, costs_py = python_run(X, Y, CAT_DIMS, solver=solver, **KW)
    fit_r = r_run(r, f"catvnoncat-{solver}", X, Y, CAT_DIMS, solver=solver, **KW)  # testthat's, in test.sh
    assert list(costs_py["iteration"]) == list(fit_r["costs"]["iteration"]) == list(range(2500))
    assert_close("2500-iteration costs", costs_py["cost"].to_numpy(), fit_r["costs"]["cost"].to_numpy(), RUN_TOL)
    for name, A in (("train", X), ("test", X_test)):
        assert_decisive(f"{name} probabilities", twinnet.predict_proba(A, params_py))
        assert_identical(f"{name} predictions", twinnet.predict_class(A, params_py),
                         r.predict_class(A, fit_r["parameters"]))
    # It learned: the experiment's figures (train accuracy 0.98-1.00 over seeds 1-10).
    assert twinnet.accuracy(X, Y, params_py) >= 0.95

"""The optimization notebook's runs on the moons (course 2, week 2), in both languages.

"Optimization Methods" (course 2 of the Deep Learning Specialization, week 2,
W2A1/Optimization_methods.ipynb in github.com/greyhatguy007/deep-learning-
specialization at commit dcc0454449e8c0bc0d7aa63dbf640b4a138c3c6b): its
load_dataset is ``np.random.seed(3); sklearn.datasets.make_moons(n_samples=300,
noise=.2)``, its model [2, 5, 2, 1] (initialisation seed 3, randn * sqrt(2 /
n_(l-1))), mini-batches of 64 reshuffled every epoch with the seed 10 + epoch
+ 1, 5000 epochs. Four runs (gradient descent, momentum and Adam at learning
rate 0.0007; gradient descent at 0.1 with update_lr) are in
fixtures/course-042 ... course-045 with the notebook's printed costs (every
1000 epochs, 6 decimals) and training accuracy (full precision): both
languages must print the same, and each run is stable (contract section 13:
growth about 1 over 25,000 updates), so the two languages are also held to
each other at the long-run tolerance, and predict the same classes.
"""

import numpy as np
import pytest
from helpers import (RUN_TOL, assert_close, assert_decisive, assert_identical, assert_stable, fixture_paths,
                     load_fixture, r_run)
from test_course import assert_printed

import twinnet

pytestmark = pytest.mark.slow

RUNS = [f for f in (load_fixture(p) for p in fixture_paths()) if f["kind"] == "course"
        and f["adapter"] == "moons_notebook"]


def moons(fx):
    d = fx["inputs"]["make_moons"]
    return twinnet.make_moons(d["n_samples"], d["noise"], d["seed"], d["stream"])


def arguments(fx):
    return {k: v for k, v in fx["config"].items() if k not in ("layer_dims", "print_every")}


def test_the_moons_are_scikit_learns():
    """make_moons with the numpy stream is scikit-learn's, transposed, bit for bit (scikit-learn is an extra)."""
    datasets = pytest.importorskip("sklearn.datasets")
    state = np.random.get_state()
    try:
        np.random.seed(3)
        Xs, ys = datasets.make_moons(n_samples=300, noise=.2)  # the notebook's load_dataset
    finally:
        np.random.set_state(state)
    X, Y = moons(RUNS[0])
    assert_identical("X", Xs.T, X)
    assert_identical("Y", ys.reshape(1, -1).astype(float), Y)


@pytest.fixture(scope="module")
def python_runs():
    """Each run's stability (contract section 13) and Python's run (every epoch recorded), once."""
    out = {}
    for fx in RUNS:
        X, Y = moons(fx)
        out[fx["id"]] = assert_stable(X, Y, fx["config"]["layer_dims"], RUN_TOL, **arguments(fx))
    return out


@pytest.mark.parametrize("fx", RUNS, ids=[f["name"] for f in RUNS])
def test_python_prints_the_notebooks_costs(python_runs, fx):
    s = python_runs[fx["id"]]
    course = fx["course_expected"]
    costs = s["costs"]["cost"].to_numpy()
    assert_printed(f"python {fx['name']} costs", course["costs"]["cost"], costs[course["costs"]["iteration"]],
                   fx["printed"]["costs"])
    X, Y = moons(fx)
    assert_printed(f"python {fx['name']} accuracy", course["accuracy"], twinnet.accuracy(X, Y, s["parameters"]),
                   fx["printed"]["accuracy"])
    assert s["growth"] < 10, s["message"]


@pytest.mark.parametrize("fx", RUNS, ids=[f["name"] for f in RUNS])
def test_r_prints_the_notebooks_costs_and_matches_python(r, python_runs, fx):
    X, Y = moons(fx)
    out = r_run(r, fx["id"], X, Y, fx["config"]["layer_dims"], **arguments(fx))  # testthat's, in test.sh
    it = np.asarray(out["costs"]["iteration"])
    course = fx["course_expected"]
    got = np.asarray(out["costs"]["cost"])[np.isin(it, course["costs"]["iteration"])]
    assert_printed(f"r {fx['name']} costs", course["costs"]["cost"], got, fx["printed"]["costs"])
    acc = r.accuracy(X, Y, out["parameters"])
    assert_printed(f"r {fx['name']} accuracy", course["accuracy"], acc, fx["printed"]["accuracy"])
    s = python_runs[fx["id"]]
    assert list(it) == list(s["costs"]["iteration"])  # every epoch, in both
    assert_close(f"{fx['name']} costs, Python vs R", s["costs"]["cost"].to_numpy(), np.asarray(out["costs"]["cost"]),
                 RUN_TOL)
    p = twinnet.predict_proba(X, s["parameters"])
    assert_decisive(f"{fx['name']} probabilities", p)
    assert_identical("classes", twinnet.predict_class(X, s["parameters"]), r.predict_class(X, out["parameters"]))

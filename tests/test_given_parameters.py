"""Training from given parameters (L_layer_model(parameters=...)) and any output size before training.

Contract section 8: with ``parameters``, L_layer_model trains from them instead of drawing them, so
a run continued from its own parameters is the same run; section 5: initialisation and forward
propagation take any output size, cost / backward / training keep 1 x m. In both languages.
"""

import numpy as np
import pytest
from helpers import assert_close, assert_identical

import twinnet

DIMS = [2, 5, 3, 1]


@pytest.fixture(scope="module")
def data():
    return twinnet.make_circles(60, seed=2)


def test_a_run_continued_from_its_parameters_is_the_same_run(twin, data):
    X, Y = data
    kw = dict(print_every=1, solver="direct")
    whole_p, whole = twin.L_layer_model(X, Y, DIMS, 0.3, 20, 4, **kw)
    half_p, _ = twin.L_layer_model(X, Y, DIMS, 0.3, 10, 4, **kw)
    rest_p, rest = twin.L_layer_model(X, Y, DIMS, 0.3, 10, **kw, parameters=half_p)
    # the same operations in the same order: bit for bit
    assert_identical(f"{twin.lang} costs", whole["cost"].to_numpy()[10:], rest["cost"].to_numpy())
    for k in whole_p:
        assert_identical(f"{twin.lang} {k}", whole_p[k], rest_p[k])


def test_given_parameters_replace_the_draw(twin, data):
    X, Y = data
    p0 = twinnet.initialize_parameters(DIMS, 4)
    _, drawn = twin.L_layer_model(X, Y, DIMS, 0.3, 15, 4, print_every=1, solver="direct")
    # seed, scheme and stream are checked but not used when the parameters are given
    _, given = twin.L_layer_model(X, Y, DIMS, 0.3, 15, 99, scheme="he", print_every=1, solver="direct",
                                  stream="numpy", parameters=p0)
    assert_identical(f"{twin.lang} costs", drawn["cost"].to_numpy(), given["cost"].to_numpy())


def test_the_callers_parameters_are_not_changed(data):
    X, Y = data
    p0 = twinnet.initialize_parameters(DIMS, 4)
    copy = {k: v.copy() for k, v in p0.items()}
    for solver in ("direct", "gram"):
        trained, _ = twinnet.L_layer_model(X, Y, DIMS, 0.3, 5, solver=solver, parameters=p0)
        for k in p0:
            assert_identical(k, copy[k], p0[k])
            assert trained[k] is not p0[k]


def test_given_parameters_python_vs_r(r, data):
    X, Y = data
    start, _ = twinnet.L_layer_model(X, Y, DIMS, 0.3, 7, 3)
    p_py, c_py = twinnet.L_layer_model(X, Y, DIMS, 0.3, 30, print_every=1, parameters=start)
    fit = r.L_layer_model(X, Y, DIMS, 0.3, 30, print_every=1, parameters=start)
    assert_close("costs", c_py["cost"].to_numpy(), fit["costs"]["cost"].to_numpy())
    for k in p_py:
        assert_close(k, p_py[k], fit["parameters"][k])


def test_any_output_size_before_training(twin):
    X = np.array([[1.0, -2.0, 0.5], [3.0, 2.0, -1.0]])
    p = twin.initialize_parameters([2, 4, 3], 7, "xavier")
    assert p["W2"].shape == (3, 4) and p["b2"].shape == (3, 1)
    AL, caches = twin.L_model_forward(X, p, "relu")
    A1 = np.maximum(p["W1"] @ X + p["b1"], 0)
    assert_close(f"{twin.lang} A_L", 1 / (1 + np.exp(-(p["W2"] @ A1 + p["b2"]))), AL)
    assert caches[-1]["Z"].shape == (3, 3)


def test_any_output_size_python_vs_r(r):
    p = twinnet.initialize_parameters([5, 4, 3], 3, "scaled", stream="numpy")
    q = r.initialize_parameters([5, 4, 3], 3, "scaled", stream="numpy")
    for k in p:
        assert_identical(k, p[k], q[k])
    X = twinnet.rng_normal(10, 1, stream="numpy").reshape(5, 2)
    assert_close("A_L", twinnet.L_model_forward(X, p)[0], r.L_model_forward(X, p)["AL"])

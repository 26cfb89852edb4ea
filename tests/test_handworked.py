"""Tiny networks worked out by hand, and the contract's edge rules, in both languages.

The expected values are written from the maths (see the comments), with
``math`` for the one transcendental function; none comes from twinnet.
"""

import math

import numpy as np
import pytest
from helpers import assert_close


def sig(z):
    return 1.0 / (1.0 + math.exp(-z))


def test_logistic_regression_by_hand(twin):
    # X = [1, -2], Y = [1, 0], W = 0.5, b = 0.25  ->  Z = [0.75, -0.75], A = [s, 1 - s], s = sig(0.75)
    X = np.array([[1.0, -2.0]])
    Y = np.array([[1.0, 0.0]])
    p = {"W1": np.array([[0.5]]), "b1": np.array([[0.25]])}
    s = sig(0.75)
    AL, caches = twin.L_model_forward(X, p, "relu")
    assert_close("Z1", [[0.75, -0.75]], caches[0]["Z"])
    assert_close("A1", [[s, 1 - s]], AL)
    # both terms are -log(s): cost = log(1 + exp(-0.75))
    assert_close("cost", math.log1p(math.exp(-0.75)), twin.compute_cost(AL, Y, caches[0]["Z"]))
    assert_close("textbook cost", math.log1p(math.exp(-0.75)), twin.compute_cost(AL, Y))
    g = twin.L_model_backward(AL, Y, caches, "relu")
    # dZ = (1 - s) * [-1, 1]; dW = (1/2)((s-1)*1 + (1-s)*(-2)) = -1.5 (1 - s); db = 0
    assert_close("dW1", [[-1.5 * (1 - s)]], g["dW1"])
    assert abs(g["db1"][0, 0]) < 1e-16
    assert set(g) == {"dW1", "db1"}


def test_two_layer_relu_by_hand(twin):
    X = np.array([[1.0, 2.0], [3.0, -1.0]])
    Y = np.array([[1.0, 0.0]])
    p = {"W1": np.array([[1.0, 0.0], [0.5, -1.0]]), "b1": np.array([[0.0], [1.0]]),
         "W2": np.array([[1.0, -0.5]]), "b2": np.array([[-0.5]])}
    # Z1 = [[1, 2], [0.5 - 3 + 1, 1 + 1 + 1]] = [[1, 2], [-1.5, 3]];  A1 = [[1, 2], [0, 3]]
    # Z2 = [1 - 0 - 0.5, 2 - 1.5 - 0.5] = [0.5, 0];  A2 = [s, 0.5] with s = sig(0.5)
    s = sig(0.5)
    AL, caches = twin.L_model_forward(X, p, "relu")
    assert_close("Z1", [[1, 2], [-1.5, 3]], caches[0]["Z"])
    assert_close("A1", [[1, 2], [0, 3]], caches[1]["A_prev"])
    assert_close("Z2", [[0.5, 0]], caches[1]["Z"])
    assert_close("A2", [[s, 0.5]], AL)
    # cost = (log(1 + e^-0.5) + log 2) / 2
    assert_close("cost", (math.log1p(math.exp(-0.5)) + math.log(2)) / 2, twin.compute_cost(AL, Y, caches[1]["Z"]))
    g = twin.L_model_backward(AL, Y, caches, "relu")
    # dZ2 = [s - 1, 0.5]; dW2 = dZ2 A1^T / 2 = [s/2, 0.75]; db2 = (s - 0.5)/2
    assert_close("dW2", [[s / 2, 0.75]], g["dW2"])
    assert_close("db2", [[(s - 0.5) / 2]], g["db2"])
    # dA1 = W2^T dZ2 = [[s - 1, 0.5], [(1 - s)/2, -0.25]]
    assert_close("dA1", [[s - 1, 0.5], [(1 - s) / 2, -0.25]], g["dA1"])
    # dZ1 = dA1 * relu'(Z1) = [[s - 1, 0.5], [0, -0.25]]; dW1 = dZ1 X^T / 2; db1 = rowsums / 2
    assert_close("dW1", [[s / 2, (3 * s - 3.5) / 2], [-0.25, 0.125]], g["dW1"])
    assert_close("db1", [[(s - 0.5) / 2], [-0.125]], g["db1"])
    # A2 = 0.5 exactly is not > 0.5: class 0
    assert np.array_equal(twin.predict_class(X, p, "relu"), [[1, 0]])
    assert twin.accuracy(X, Y, p, "relu") == 1.0


def test_update_is_w_minus_alpha_dw_and_leaves_input_alone(twin):
    p = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[3.0]])}
    g = {"dW1": np.array([[0.5, -1.0]]), "db1": np.array([[2.0]])}
    out = twin.update_parameters(p, g, 0.1)
    assert_close("W1", [[1.0 - 0.05, 2.0 + 0.1]], out["W1"])
    assert_close("b1", [[3.0 - 0.2]], out["b1"])
    assert p["W1"][0, 0] == 1.0 and p["b1"][0, 0] == 3.0


def test_sigmoid_never_overflows(twin):
    Z = np.array([[-1000.0, -40.0, 0.0, 40.0, 1000.0]])
    with np.errstate(over="raise", invalid="raise"):
        A = np.asarray(twin.sigmoid_forward(Z))
    assert np.all(np.isfinite(A))
    assert A[0, 0] == 0.0 and A[0, 4] == 1.0 and A[0, 2] == 0.5
    assert_close("sigmoid(-40)", [[math.exp(-40) / (1 + math.exp(-40))]], A[:, 1:2])


def test_derivatives_at_the_kink(twin):
    Z = np.array([[-1.0, 0.0, 2.0]])
    dA = np.array([[3.0, 3.0, 3.0]])
    assert np.array_equal(twin.relu_backward(dA, Z), [[0.0, 0.0, 3.0]])
    assert_close("leaky", [[0.03, 0.03, 3.0]], twin.leaky_relu_backward(dA, Z))
    assert_close("leaky slope", [[0.6, 0.6, 3.0]], twin.leaky_relu_backward(dA, Z, 0.2))
    assert_close("leaky forward", [[-0.01, 0.0, 2.0]], twin.leaky_relu_forward(Z))
    t = math.tanh(2.0)
    assert_close("tanh'", [[3 * (1 - math.tanh(-1.0) ** 2), 3.0, 3 * (1 - t * t)]], twin.tanh_backward(dA, Z))
    s = sig(2.0)
    assert_close("sigmoid'", [[3 * sig(-1) * (1 - sig(-1)), 0.75, 3 * s * (1 - s)]], twin.sigmoid_backward(dA, Z))


def test_cost_from_logits_is_finite_where_textbook_is_not(twin):
    ZL = np.array([[1000.0, -1000.0, 3.0]])
    Y = np.array([[0.0, 1.0, 1.0]])
    AL = np.asarray(twin.sigmoid_forward(ZL))
    # the two confident mistakes cost 1000 each; the third log(1 + e^-3)
    expected = (1000.0 + 1000.0 + math.log1p(math.exp(-3.0))) / 3
    assert_close("cost from Z_L", expected, twin.compute_cost(AL, Y, ZL))
    assert twin.compute_cost(AL, Y) == math.inf


def test_cost_forms_agree_where_textbook_is_finite(twin):
    # |z| <= 3 keeps the textbook form well conditioned: for large |z| its 1 - a cancels
    # (a = 1 - 3e-7 at z = 15 leaves 1 - a with a relative error near 1e-10), and the
    # two forms then differ by that much because the textbook one is inaccurate.
    rng = np.random.default_rng(3)
    ZL = np.clip(rng.normal(0, 1.5, size=(1, 40)), -3, 3)
    Y = (rng.random((1, 40)) > 0.5).astype(float)
    AL = np.asarray(twin.sigmoid_forward(ZL))
    assert_close("cost forms", twin.compute_cost(AL, Y), twin.compute_cost(AL, Y, ZL))


@pytest.mark.parametrize("n_it,every,expected", [(250, 100, [0, 100, 200, 249]), (201, 100, [0, 100, 200]),
                                                 (1, 100, [0]), (5, 2, [0, 2, 4])])
def test_cost_history_iterations(twin, n_it, every, expected):
    X = np.array([[0.5, -1.0, 2.0]])
    Y = np.array([[1.0, 0.0, 1.0]])
    params, costs = twin.L_layer_model(X, Y, [1, 1], 0.1, n_it, 1, "relu", "xavier", every)
    assert list(costs["iteration"]) == expected
    assert costs["iteration"].dtype.kind == "i" and costs["cost"].dtype.kind == "f"
    # iteration 0's cost is the cost of the initial parameters
    p0 = twin.initialize_parameters([1, 1], 1, "xavier")
    AL, caches = twin.L_model_forward(X, p0, "relu")
    assert_close("cost at iteration 0", twin.compute_cost(AL, Y, caches[0]["Z"]), costs["cost"][0])


def test_init_schemes_scale_the_same_draws(twin):
    z = twin.rng_sample(9, 0, 3 * 2 + 2)[1]
    W_std = twin.initialize_parameters([3, 2, 1], 9, "standard")
    assert np.array_equal(W_std["W1"], z[:6].reshape(2, 3))  # row by row
    assert np.array_equal(W_std["W2"], z[6:].reshape(1, 2))
    for scheme, f in (("scaled", lambda w, n: w * 0.01), ("xavier", lambda w, n: w / math.sqrt(n)),
                      ("he", lambda w, n: w * math.sqrt(2.0 / n))):
        p = twin.initialize_parameters([3, 2, 1], 9, scheme)
        assert np.array_equal(p["W1"], f(W_std["W1"], 3)), scheme
        assert np.array_equal(p["W2"], f(W_std["W2"], 2)), scheme
        assert np.array_equal(p["b1"], np.zeros((2, 1)))

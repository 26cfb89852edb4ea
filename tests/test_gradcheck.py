"""Central-difference gradient checks (contract section 10), per activation and depth, both languages."""

import numpy as np
import pytest

import twinnet
import twinnet.gradcheck as gc

DEPTHS = {1: [4, 1], 2: [4, 3, 1], 3: [4, 5, 3, 1], 4: [4, 3, 3, 2, 1]}


def data(seed, n_x=4, m=7):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n_x, m)), (rng.random((1, m)) > 0.5).astype(float)


@pytest.mark.parametrize("act", ["relu", "tanh", "sigmoid", "leaky_relu"])
@pytest.mark.parametrize("L", [1, 2, 3, 4])
def test_gradient_check(twin, act, L):
    X, Y = data(10 * L + len(act))
    p = twin.initialize_parameters(DEPTHS[L], seed=L, scheme="standard")
    # Nonzero biases: with zero biases a dead layer puts the next Z exactly on the
    # relu kink, where the one-sided differences disagree and no check applies.
    g = np.random.default_rng(L)
    p = {k: (g.normal(0, 0.5, v.shape) if k.startswith("b") else v) for k, v in p.items()}
    diff = twin.gradient_check(X, Y, p, act)
    assert diff < 1e-7, f"{twin.lang} {act} L={L}: relative difference {diff:.3g}"


def test_gradient_check_catches_a_wrong_gradient(monkeypatch):
    """The check can fail: a backward pass that halves one gradient is caught."""
    X, Y = data(1)
    p = twinnet.initialize_parameters(DEPTHS[2], seed=2, scheme="standard")
    real = gc._backward_pass

    def wrong(*args):
        g = real(*args)
        g["dW1"] = g["dW1"] * 0.5
        return g

    monkeypatch.setattr(gc, "_backward_pass", wrong)
    assert gc.gradient_check(X, Y, p, "tanh") > 1e-3


def test_gradient_check_r_and_python_agree_on_what_they_measure(r):
    X, Y = data(5)
    p = twinnet.initialize_parameters(DEPTHS[3], seed=7, scheme="he")
    a = twinnet.gradient_check(X, Y, p, "tanh", 1e-5)
    b = r.gradient_check(X, Y, p, "tanh", 1e-5)
    # Both are ~1e-10 truncation + rounding noise; they must be of the same (small) size.
    assert a < 1e-7 and b < 1e-7


@pytest.mark.parametrize("act", ["relu", "tanh", "sigmoid", "leaky_relu"])
@pytest.mark.parametrize("L", [1, 2, 3])
def test_gradient_check_with_L2(twin, act, L):
    """Contract section 32: the L2 term in the cost and (lambd / m) W in the gradients agree, on every activation."""
    X, Y = data(20 * L + len(act))
    p = twin.initialize_parameters(DEPTHS[L], seed=L + 5, scheme="standard")
    g = np.random.default_rng(L + 5)
    p = {k: (g.normal(0, 0.5, v.shape) if k.startswith("b") else v) for k, v in p.items()}
    diff = twin.gradient_check(X, Y, p, act, 1e-7, 0.7)
    assert diff < 1e-7, f"{twin.lang} {act} L={L} lambd=0.7: relative difference {diff:.3g}"


def test_gradient_check_catches_a_missing_L2_gradient(monkeypatch):
    """The check can fail: a backward pass that forgets the L2 term is caught."""
    X, Y = data(2)
    p = twinnet.initialize_parameters(DEPTHS[2], seed=3, scheme="standard")
    real = gc._backward_pass
    monkeypatch.setattr(gc, "_backward_pass", lambda AL, Y, caches, act, lambd=0.0, keep=None: real(AL, Y, caches, act))
    assert gc.gradient_check(X, Y, p, "tanh", 1e-7, 2.0) > 1e-3

"""Momentum, Adam and learning-rate decay (contract section 35), both languages.

The course's functions are checked by hand on one entry, and against the
course's published tests (fixtures/course-*.json, tests/test_course.py); the
training loop's in-place steps must give their numbers bit for bit (the loop
is those functions, made lean), and R must give them within 1e-12.
"""

import math

import numpy as np
import pytest
from helpers import assert_close

import twinnet
from twinnet.optimizers import STEPS, _epoch_learning_rate


def one(x):
    return {"W1": np.array([[x]]), "b1": np.array([[0.0]])}


def test_momentum_by_hand():
    p, g = one(1.0), {"dW1": np.array([[0.5]]), "db1": np.array([[2.0]])}
    v = twinnet.initialize_velocity(p)
    assert sorted(v) == ["dW1", "db1"] and v["dW1"].shape == (1, 1) and v["dW1"][0, 0] == 0.0
    p1, v1 = twinnet.update_parameters_with_momentum(p, g, v, 0.9, 0.1)
    assert v1["dW1"][0, 0] == pytest.approx(0.05, rel=1e-15)          # 0.9 * 0 + 0.1 * 0.5
    assert p1["W1"][0, 0] == pytest.approx(1.0 - 0.1 * 0.05, rel=1e-15)
    assert p["W1"][0, 0] == 1.0 and v["dW1"][0, 0] == 0.0              # the caller's are not changed


def test_adam_by_hand():
    """t = 1: v_corrected = g, s_corrected = g^2, the step lr * g / (|g| + epsilon)."""
    p, g = one(1.0), {"dW1": np.array([[0.5]]), "db1": np.array([[-2.0]])}
    v, s = twinnet.initialize_adam(p)
    p1, v1, s1, vc, sc = twinnet.update_parameters_with_adam(p, g, v, s, 1, 0.1, 0.9, 0.999, 1e-8)
    assert vc["dW1"][0, 0] == pytest.approx(0.5, rel=1e-14) and sc["dW1"][0, 0] == pytest.approx(0.25, rel=1e-12)
    assert p1["W1"][0, 0] == pytest.approx(1.0 - 0.1 * 0.5 / (0.5 + 1e-8), rel=1e-14)
    assert p1["b1"][0, 0] == pytest.approx(0.0 + 0.1 * 2.0 / (2.0 + 1e-8), rel=1e-14)
    assert v1["dW1"][0, 0] == pytest.approx(0.05, rel=1e-15) and s1["dW1"][0, 0] == pytest.approx(0.00025, rel=1e-12)


def test_the_decays_by_hand():
    assert twinnet.update_lr(0.5, 2, 1) == pytest.approx(0.5 / 3, rel=1e-15)
    assert twinnet.schedule_lr_decay(0.5, 100, 1, 100) == 0.25
    assert twinnet.schedule_lr_decay(0.5, 99, 1, 100) == 0.5        # the floor: 99 // 100 = 0
    assert twinnet.schedule_lr_decay(0.3, 1000, 0.25, 100) == pytest.approx(0.3 / 3.5, rel=1e-15)
    assert twinnet.update_lr(0.5, 7, 0.0) == 0.5


def test_the_course_applies_the_decay_after_each_epoch():
    """Epoch 0 at the initial rate; epoch e at decay(lr0, e - 1) (the course updates the rate at the end of epoch i)."""
    assert _epoch_learning_rate("update_lr", 0.1, 0, 1.0, 1000) == 0.1
    assert _epoch_learning_rate("update_lr", 0.1, 1, 1.0, 1000) == 0.1
    assert _epoch_learning_rate("update_lr", 0.1, 2, 1.0, 1000) == twinnet.update_lr(0.1, 1, 1.0)
    assert _epoch_learning_rate("schedule_lr_decay", 0.1, 1001, 1.0, 1000) == twinnet.schedule_lr_decay(0.1, 1000, 1.0)
    assert _epoch_learning_rate(None, 0.1, 50, 1.0, 1000) == 0.1


def test_powers_are_the_c_librarys():
    """beta ** t is pow(): numpy's own power may round differently (SIMD); the contract says pow."""
    for t in (1, 2, 3, 17, 1000, 25000):
        assert 0.999 ** t == math.pow(0.999, t)


def random_state(shapes, seed):
    g = np.random.default_rng(seed)
    return {k: g.normal(size=s) for k, s in shapes.items()}


SHAPES = {"W1": (3, 4), "b1": (3, 1), "W2": (1, 3), "b2": (1, 1)}


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "adam"])
def test_the_loops_steps_are_the_functions_bit_for_bit(optimizer):
    """Three updates through the in-place steps of the training loop equal the course's functions'."""
    p = random_state(SHAPES, 1)
    o = {"beta": 0.8, "beta1": 0.85, "beta2": 0.95, "epsilon": 1e-7}
    W = [None, p["W1"].copy(), p["W2"].copy()]
    b = [None, p["b1"].copy(), p["b2"].copy()]
    step = STEPS[optimizer](W, b, o)
    ref = {k: v.copy() for k, v in p.items()}
    v, s = twinnet.initialize_adam(p)
    for t in range(1, 4):
        grads = {"d" + k: x for k, x in random_state(SHAPES, 10 + t).items()}
        step.begin()
        for l in (1, 2):
            step.update(l, W[l], b[l], grads[f"dW{l}"].copy(), grads[f"db{l}"].copy(), 0.05)
        if optimizer == "gd":
            ref = twinnet.update_parameters(ref, grads, 0.05)
        elif optimizer == "momentum":
            ref, v = twinnet.update_parameters_with_momentum(ref, grads, v, 0.8, 0.05)
        else:
            ref, v, s, _, _ = twinnet.update_parameters_with_adam(ref, grads, v, s, t, 0.05, 0.85, 0.95, 1e-7)
    for l in (1, 2):
        assert np.array_equal(W[l], ref[f"W{l}"]) and np.array_equal(b[l], ref[f"b{l}"]), (optimizer, l)


def test_the_updates_take_parameters_whose_shapes_do_not_chain():
    """Entry by entry (the course's week-2 tests: W1 2 x 3, W2 3 x 3)."""
    p = random_state({"W1": (2, 3), "b1": (2, 1), "W2": (3, 3), "b2": (3, 1)}, 3)
    g = {"d" + k: x for k, x in random_state({"W1": (2, 3), "b1": (2, 1), "W2": (3, 3), "b2": (3, 1)}, 4).items()}
    v, s = twinnet.initialize_adam(p)
    assert twinnet.update_parameters(p, g, 0.1)["W2"].shape == (3, 3)
    assert twinnet.update_parameters_with_momentum(p, g, v, 0.9, 0.1)[0]["W2"].shape == (3, 3)
    assert twinnet.update_parameters_with_adam(p, g, v, s, 1)[0]["b2"].shape == (3, 1)


def test_r_gives_the_same_updates(r):
    p = random_state(SHAPES, 5)
    g = {"d" + k: x for k, x in random_state(SHAPES, 6).items()}
    v = {"d" + k: x for k, x in random_state(SHAPES, 7).items()}
    s = {"d" + k: np.abs(x) for k, x in random_state(SHAPES, 8).items()}
    py = twinnet.update_parameters_with_momentum(p, g, v, 0.7, 0.03)
    rr = r.update_parameters_with_momentum(p, g, v, 0.7, 0.03)
    for k in p:
        assert_close(f"momentum {k}", py[0][k], rr["parameters"][k])
    py = twinnet.update_parameters_with_adam(p, g, v, s, 7, 0.02, 0.8, 0.9, 1e-4)
    rr = r.update_parameters_with_adam(p, g, v, s, 7, 0.02, 0.8, 0.9, 1e-4)
    for name, i in (("parameters", 0), ("v", 1), ("s", 2), ("v_corrected", 3), ("s_corrected", 4)):
        for k in py[i]:
            assert_close(f"adam {name} {k}", py[i][k], rr[name][k])
    assert r.update_lr(0.5, 2, 1) == twinnet.update_lr(0.5, 2, 1)
    assert r.schedule_lr_decay(0.3, 1000, 0.25, 100) == twinnet.schedule_lr_decay(0.3, 1000, 0.25, 100)
    assert list(r.eval("twinnet::OPTIMIZERS")) == list(twinnet.OPTIMIZERS)
    assert list(r.eval("twinnet::DECAYS")) == list(twinnet.DECAYS)

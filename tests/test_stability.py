"""training_stability (contract section 13): the guard that every long-run comparison checks first.

Expected verdicts come from outside the code under test: the circles at
learning rate 0.2 ([2, 10, 5, 1], relu, seed 5) are the configuration whose
probabilities were seen to end 2e-9 apart on Intel and AMD CPUs with AVX-512
while agreeing on another machine; at 0.1 the same run is monotone. The limit
is worked out by hand, the perturbation is checked entry by entry, and R
must give the same verdict and message.
"""

import numpy as np
import pytest

import twinnet
from twinnet import stability

CIRCLES = dict(n_samples=400, seed=11)
CFG = dict(num_iterations=2500, seed=5, hidden_activation="relu", scheme="xavier")


@pytest.fixture(scope="module")
def circles():
    return twinnet.make_circles(**CIRCLES)


def test_the_limit_by_hand():
    # 1e-9 / (2500 * 2^-53) = 1e-9 * 9007199254740992 / 2500 = 3602.8797...
    assert stability.growth_limit(2500) == pytest.approx(3602.8797018963968, rel=1e-15)
    assert stability.growth_limit(40, 1e-12) == pytest.approx(1e-12 * 2.0**53 / 40, rel=1e-15)
    assert stability.PERTURBATION == 1 / 1099511627776 and stability.UNIT_ROUNDOFF == 1 / 9007199254740992


def test_the_perturbation_moves_every_weight_by_2_to_the_minus_40():
    p = twinnet.initialize_parameters([3, 4, 2, 1], 7, "standard")
    q = stability._perturbed(p)
    n = sum(v.size for k, v in p.items() if k.startswith("W"))
    signs = np.where(twinnet.rng_uniform(n, 0) > 0.5, 1.0, -1.0)
    used = 0
    for k in p:
        if k.startswith("b"):
            assert np.array_equal(q[k], p[k])
            continue
        want = signs[used:used + p[k].size].reshape(p[k].shape)
        used += p[k].size
        assert np.array_equal(np.sign(q[k] - p[k]) * np.sign(p[k]), want), k
        assert np.allclose((q[k] - p[k]) / p[k], want * 2.0**-40, rtol=1e-3, atol=0)
    assert p["W1"] is not q["W1"]


def test_rises_by_hand():
    assert stability._rises([3.0, 2.0, 2.5, 1.0, 1.5, 1.5]) == [2, 4]
    assert stability._rises([1.0]) == []


def test_the_unstable_configuration_of_the_report_is_caught(circles):
    X, Y = circles
    s = twinnet.training_stability(X, Y, [2, 10, 5, 1], 0.2, **CFG)
    assert not s["stable"] and s["growth"] > 100 * s["limit"]
    assert s["rises"] and s["message"].startswith("this configuration is unstable (cost rose at iterations ")
    assert len(s["costs"]) == 2500  # every iteration recorded


def test_a_smaller_step_is_stable_and_is_the_run_itself(circles):
    X, Y = circles
    s = twinnet.training_stability(X, Y, [2, 10, 5, 1], 0.1, **CFG)
    assert s["stable"] and s["growth"] < s["limit"] and s["rises"] == []
    assert s["message"].startswith("this configuration is stable (cost never rose; a 9.1e-13 relative perturbation")
    params, costs = twinnet.L_layer_model(X, Y, [2, 10, 5, 1], 0.1, print_every=1, **CFG)
    assert np.array_equal(costs["cost"], s["costs"]["cost"])
    for k in params:
        assert np.array_equal(params[k], s["parameters"][k])


def test_tolerance_is_checked(circles):
    X, Y = circles
    with pytest.raises(ValueError, match=r"^`tolerance`: expected a positive finite number; got 0"):
        twinnet.training_stability(X, Y, [2, 1], tolerance=0)


@pytest.mark.r
@pytest.mark.parametrize("lr", [0.1, 0.2])
def test_R_gives_the_same_verdict_and_message(r, circles, lr):
    X, Y = circles
    py = twinnet.training_stability(X, Y, [2, 10, 5, 1], lr, **CFG)
    rr = r.training_stability(X, Y, [2, 10, 5, 1], lr, **CFG)
    assert bool(rr["stable"]) == py["stable"]
    assert list(np.atleast_1d(rr["rises"])) == py["rises"]
    assert rr["limit"] == py["limit"]
    # the growth factor is itself a long-run quantity: equal to a few digits where the run is stable
    if py["stable"]:
        assert rr["growth"] == pytest.approx(py["growth"], rel=1e-3)
        assert rr["message"] == py["message"]
    else:
        assert rr["growth"] > 100 * rr["limit"]


@pytest.mark.r
def test_R_private_twins(r):
    assert list(r.call("twinnet:::rises", np.array([3.0, 2.0, 2.5, 1.0, 1.5, 1.5]))) == [2, 4]
    p = twinnet.initialize_parameters([3, 4, 2, 1], 7, "standard")
    q = r.call("twinnet:::perturbed", p)
    want = stability._perturbed(p)
    for k in p:
        assert np.array_equal(q[k], want[k]), k


MB = dict(num_iterations=40, seed=5, hidden_activation="relu", scheme="xavier", mini_batch_size=64, optimizer="adam",
          keep_prob=[0.9, 0.8], lambd=0.05)


def test_the_optimiser_path_counts_its_updates(circles):
    """Contract section 36: T is epochs times the mini-batches of an epoch (400 / 64: 7), each update rounds."""
    X, Y = circles
    s = twinnet.training_stability(X, Y, [2, 10, 5, 1], 0.01, **MB)
    assert s["limit"] == stability.growth_limit(40 * 7)
    assert "grew" in s["message"] and "-fold over 280 updates (40 epochs of 7 mini-batches), limit" in s["message"]
    assert len(s["costs"]) == 40 and s["stable"]
    params, costs = twinnet.L_layer_model(X, Y, [2, 10, 5, 1], 0.01, print_every=1, **MB)
    assert np.array_equal(costs["cost"], s["costs"]["cost"])  # the unperturbed run is the run itself


@pytest.mark.r
def test_R_gives_the_same_verdict_on_the_optimiser_path(r, circles):
    X, Y = circles
    py = twinnet.training_stability(X, Y, [2, 10, 5, 1], 0.01, **MB)
    rr = r.training_stability(X, Y, [2, 10, 5, 1], 0.01, **MB)
    assert bool(rr["stable"]) == py["stable"] and rr["limit"] == py["limit"]
    assert rr["growth"] == pytest.approx(py["growth"], rel=1e-3)
    assert rr["message"] == py["message"]

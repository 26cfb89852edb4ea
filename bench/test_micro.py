"""Micro-benchmarks of one training step: they record times, they never assert them.

pytest-benchmark times each function over a few rounds (``benchmark.pedantic``
with 3 rounds, so that a plain ``pytest`` run stays fast) and prints a table
at the end; ``pytest bench/test_micro.py --benchmark-json=out/micro.json``
keeps the figures, ``--benchmark-disable`` runs each function once, untimed.
What is asserted is only that the timed step computed the right thing, so a
benchmark of broken code fails. Speed is judged by bench/bench.py. Not part of the test command: run them with
``.venv/bin/python -m pytest bench/test_micro.py`` (the ``[bench]`` extra).
"""

import numpy as np
import pytest

pytest.importorskip("pytest_benchmark")

import twinnet as tn  # noqa: E402

CAT_DIMS = [12288, 20, 7, 5, 1]
ROUNDS = dict(rounds=3, iterations=1, warmup_rounds=1)


@pytest.fixture(scope="module")
def catvnoncat_shaped():
    """Random data of the cat/non-cat experiment's shape (12288 x 209), and its initial parameters."""
    rng = np.random.default_rng(5)
    X = rng.random((12288, 209))
    Y = (rng.random((1, 209)) < 0.35).astype(np.float64)
    return X, Y, tn.initialize_parameters(CAT_DIMS, seed=1)


def test_bench_forward_backward_step(benchmark, catvnoncat_shaped):
    """One L_model_forward + L_model_backward on the cat/non-cat experiment's shape (public API)."""
    X, Y, p = catvnoncat_shaped

    def step():
        AL, caches = tn.L_model_forward(X, p, "relu")
        return tn.L_model_backward(AL, Y, caches, "relu")

    grads = benchmark.pedantic(step, **ROUNDS)
    assert "dA0" not in grads
    assert grads["dW1"].shape == (20, 12288)
    # dW4 against an independent computation from the last two layers' caches
    AL, caches = tn.L_model_forward(X, p, "relu")
    np.testing.assert_allclose(grads["dW4"], (AL - Y) @ caches[3]["A_prev"].T / 209, rtol=1e-12)


@pytest.mark.parametrize("solver", ["direct", "gram"])
def test_bench_five_training_iterations(benchmark, catvnoncat_shaped, solver):
    """Five iterations of L_layer_model on the cat/non-cat experiment's shape, per solver (gram includes X^T X)."""
    X, Y, _ = catvnoncat_shaped
    params, costs = benchmark.pedantic(
        lambda: tn.L_layer_model(X, Y, CAT_DIMS, num_iterations=5, print_every=1, solver=solver),
        **ROUNDS)
    assert costs["iteration"].tolist() == list(range(5))
    assert costs["cost"].iloc[-1] < costs["cost"].iloc[0]

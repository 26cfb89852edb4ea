"""Python against R, live, on generated cases (the port-checking harness).

50 cases drawn from a fixed numpy generator: random seeds, depths 1-4,
widths 1-8, every activation and scheme, m from 1 to 40. Initial parameters
bit for bit; every single-step quantity within 1e-12 (max|a-b|/max|a); a
short training run's costs within 1e-12 as well; predictions identical.
"""

import numpy as np
import pytest
from helpers import STEP_TOL, assert_close, assert_decisive, assert_identical, assert_stable, term_scales

import twinnet

ACTS = ["relu", "tanh", "sigmoid", "leaky_relu"]
SCHEMES = ["xavier", "he", "scaled", "standard"]


def make_case(i):
    g = np.random.default_rng(1000 + i)
    L = int(g.integers(1, 5))
    n_x = int(g.integers(1, 9))
    dims = [n_x] + [int(g.integers(1, 9)) for _ in range(L - 1)] + [1]
    m = 1 if i % 10 == 0 else int(g.integers(2, 41))
    X = g.normal(size=(n_x, m)) * float(g.choice([0.1, 1.0, 3.0]))
    Y = (g.random((1, m)) > 0.5).astype(float)
    return dict(X=X, Y=Y, layer_dims=dims, seed=int(g.integers(0, 2**31 - 1)),
                hidden_activation=ACTS[i % 4], scheme=SCHEMES[(i // 4) % 4],
                learning_rate=float(g.choice([0.01, 0.1, 0.5])))


CASES = [make_case(i) for i in range(50)]


@pytest.mark.parametrize("case", CASES, ids=[f"case{i:02d}-{c['hidden_activation']}-{c['scheme']}-L{len(c['layer_dims']) - 1}"
                                             for i, c in enumerate(CASES)])
def test_python_matches_r(r, case):
    X, Y, dims, act = case["X"], case["Y"], case["layer_dims"], case["hidden_activation"]
    p_py = twinnet.initialize_parameters(dims, case["seed"], case["scheme"])
    p_r = r.initialize_parameters(dims, case["seed"], case["scheme"])
    for k in p_py:
        assert_identical(f"initial {k}", p_py[k], p_r[k])

    AL_py, caches_py = twinnet.L_model_forward(X, p_py, act)
    fwd_r = r.L_model_forward(X, p_py, act)
    AL_r, caches_r = fwd_r["AL"], fwd_r["caches"]
    for l, (cp, cr) in enumerate(zip(caches_py, caches_r), start=1):
        assert_close(f"Z{l}", cp["Z"], cr["Z"])
        assert_close(f"A{l - 1}", cp["A_prev"], cr["A_prev"])
    assert_close("AL", AL_py, AL_r)
    ZL = caches_py[-1]["Z"]
    assert_close("cost", twinnet.compute_cost(AL_py, Y, ZL), r.compute_cost(AL_py, Y, ZL))

    g_py = twinnet.L_model_backward(AL_py, Y, caches_py, act)
    g_r = r.L_model_backward(AL_py, Y, caches_py, act)
    assert sorted(g_py) == sorted(g_r)
    scales = term_scales(X, Y, p_py, act)
    for k in g_py:
        assert_close(k, g_py[k], g_r[k], scale=scales[k])

    u_py = twinnet.update_parameters(p_py, g_py, case["learning_rate"])
    u_r = r.update_parameters(p_py, g_py, case["learning_rate"])
    for k in u_py:
        assert_close(f"updated {k}", u_py[k], u_r[k])

    assert_identical("predictions", twinnet.predict_class(X, p_py, act), r.predict_class(X, p_py, act))

    kw = dict(learning_rate=case["learning_rate"], num_iterations=40, seed=case["seed"],
              hidden_activation=act, scheme=case["scheme"], print_every=1)
    assert_stable(X, Y, dims, STEP_TOL, **kw)
    params_py, costs_py = twinnet.L_layer_model(X, Y, dims, **kw)
    fit_r = r.L_layer_model(X, Y, dims, **kw)
    assert_close("40-iteration costs", costs_py["cost"].to_numpy(), fit_r["costs"]["cost"].to_numpy(), STEP_TOL)
    # The trained parameters as one vector: a bias that starts at 0 and moves by tiny
    # steps is a cancelling sum of its own, so it is judged by the size of the whole set.
    assert_close("trained parameters", np.concatenate([v.ravel() for v in params_py.values()]),
                 np.concatenate([fit_r["parameters"][k].ravel() for k in params_py]), STEP_TOL)
    assert_identical("trained predictions", twinnet.predict_class(X, params_py, act),
                     r.predict_class(X, fit_r["parameters"], act))


@pytest.mark.parametrize("seed", [0, 1, 7, 99, 2**31 - 1])
def test_circles_python_matches_r(r, seed):
    X, Y = twinnet.make_circles(501, noise=0.1, factor=0.6, seed=seed)
    out = r.make_circles(501, noise=0.1, factor=0.6, seed=seed)
    assert_identical("circles X", X, out["X"])
    assert_identical("circles Y", Y, out["Y"])


def test_activation_functions_match(r):
    Z = np.random.default_rng(4).normal(0, 10, size=(5, 300))
    Z[0, :5] = 0.0
    dA = np.random.default_rng(5).normal(size=Z.shape)
    for name in ACTS:
        assert_close(f"{name}_forward", getattr(twinnet, f"{name}_forward")(Z), r.call(f"{name}_forward", Z))
        assert_close(f"{name}_backward", getattr(twinnet, f"{name}_backward")(dA, Z),
                     r.call(f"{name}_backward", dA, Z))

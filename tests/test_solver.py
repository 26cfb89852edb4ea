"""The "gram" solver against the "direct" one (contract section 22), in Python and against R.

The direct path is the reference: it is the contract's loop (checked bit for
bit below against L_model_forward / L_model_backward / update_parameters).
The gram path must reproduce it within the long-run tolerance of the
contract: costs within 1e-9 relative over 2500 iterations, identical
predictions, final parameters within 1e-9 (max|a - b| / max|a| per parameter).
"""

import inspect
import sys

import numpy as np
import pytest

import twinnet as tn
from twinnet.solver import GRAM_OVERFLOW, solver_work
from helpers import RUN_TOL, assert_close, assert_decisive, assert_identical, assert_stable, catvnoncat, python_run

N_X, M = 30, 12
DEPTHS = ([30, 1], [30, 5, 1], [30, 6, 4, 1], [30, 5, 4, 3, 1])
ACTS = tuple(tn.ACTIVATIONS)
CAT_DIMS = [12288, 20, 7, 5, 1]


def small_data():
    """m = 12 < n_x = 30, from the portable stream (the R tests build the same X and Y)."""
    X = tn.rng_normal(N_X * M, 11).reshape(N_X, M)
    Y = (tn.rng_uniform(M, 12) > 0.5).astype(np.float64).reshape(1, M)
    return X, Y


def load_train_set():
    return catvnoncat()[:2]


def assert_same_run(direct, gram, X, act):
    """The equivalence of contract section 22: costs, predictions, every final parameter."""
    (p_d, h_d), (p_g, h_g) = direct, gram
    assert_identical("iterations", h_d["iteration"].to_numpy(), h_g["iteration"].to_numpy())
    assert_close("costs", h_d["cost"].to_numpy(), h_g["cost"].to_numpy(), RUN_TOL)
    assert list(p_g) == list(p_d)
    for key in p_d:
        assert_close(key, p_d[key], p_g[key], RUN_TOL)
    assert_decisive("probabilities", tn.predict_proba(X, p_d, act))
    assert_identical("predictions", tn.predict_class(X, p_d, act), tn.predict_class(X, p_g, act))


# -- the direct path is still the contract's loop ------------------------------

@pytest.mark.parametrize("act", ["relu", "tanh"])
@pytest.mark.parametrize("dims", DEPTHS[1:3], ids=str)
def test_direct_is_the_contract_loop_bit_for_bit(dims, act):
    X, Y = small_data()
    p = tn.initialize_parameters(dims, 1)
    costs = []
    for _ in range(50):
        AL, caches = tn.L_model_forward(X, p, act)
        costs.append(tn.compute_cost(AL, Y, caches[-1]["Z"]))
        p = tn.update_parameters(p, tn.L_model_backward(AL, Y, caches, act), 0.1)
    fit, hist = tn.L_layer_model(X, Y, dims, 0.1, 50, hidden_activation=act, print_every=1,
                                 solver="direct")
    assert_identical("costs", np.array(costs), hist["cost"].to_numpy())
    for key in p:
        assert_identical(key, p[key], fit[key])


def test_the_training_loops_finite_input_activations_equal_the_public_ones():
    """The same Z and dA as tests/testthat/test-solver.R; -0 where the public relu' gives 0 (it equals 0)."""
    from twinnet.model import _relu_backward_finite, _sigmoid_forward_finite
    Z = np.array([-3, -1e-300, -0.0, 0, 1e-300, 2, 40, -40, 800, -800]).reshape(5, 2).T
    dA = np.array([1.0, -2, 3, -4, 5, -6, 7, -8, 9, -10]).reshape(5, 2).T
    assert np.array_equal(_relu_backward_finite(dA.copy(), Z), tn.relu_backward(dA, Z))
    assert_identical("sigmoid", tn.sigmoid_forward(Z), _sigmoid_forward_finite(Z))


# -- the BLAS threads of the loop (contract section 22, "Threads") ------------

def blas_threads_now():
    from threadpoolctl import threadpool_info
    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


def test_loop_threads_rule_by_hand():
    from twinnet.solver import SMALL_PRODUCT, _loop_threads
    assert _loop_threads(12288, 209, 20, "gram") == 1  # dZ1 G: 20 * 209^2 = 873,620 multiply-adds
    assert _loop_threads(12288, 209, 20, "direct") is None  # W1 X: 20 * 12288 * 209 = 5.1e7
    assert _loop_threads(2, 1000, 16, "direct") == 1  # the circles demo: 32,000
    assert _loop_threads(3072, 21000, 7, "direct") is None  # the Dogs-vs-Cats shape: 4.5e8
    n_1 = int(SMALL_PRODUCT) // (100 * 100)
    assert _loop_threads(100, 100, n_1, "direct") is None  # exactly SMALL_PRODUCT: not small
    assert _loop_threads(100, 100, n_1 - 1, "direct") == 1


def test_small_products_train_on_one_thread_and_the_count_is_restored():
    from threadpoolctl import threadpool_limits
    X, Y = small_data()
    # two threads around the call (scripts/test.sh runs every BLAS on one), so that restoring can be seen
    with threadpool_limits(limits=2, user_api="blas"):
        before = blas_threads_now()
        seen = []
        tn.L_layer_model(X, Y, [30, 5, 1], 0.1, 3, print_every=1,
                         callback=lambda i, c: seen.append(blas_threads_now()))
        assert seen == [[1] * len(before)] * 3
        assert blas_threads_now() == before

        def fail(i, c):
            raise RuntimeError("stop")
        with pytest.raises(RuntimeError):
            tn.L_layer_model(X, Y, [30, 5, 1], 0.1, 3, callback=fail)
        assert blas_threads_now() == before  # also after an error


def test_the_callback_runs_under_the_callers_floating_point_settings():
    """The loop ignores floating-point warnings (a non-finite cost is reported in one line); the callback does not."""
    X, Y = small_data()
    seen = []
    with np.errstate(over="raise", divide="warn"):
        tn.L_layer_model(X, Y, [30, 5, 1], 0.1, 2, print_every=1, callback=lambda i, c: seen.append(np.geterr()))
        assert np.geterr()["over"] == "raise"
    assert [(e["over"], e["divide"]) for e in seen] == [("raise", "warn")] * 2


# -- gram == direct -----------------------------------------------------------

@pytest.mark.parametrize("act", ACTS)
@pytest.mark.parametrize("dims", DEPTHS, ids=str)
def test_gram_matches_direct_small(dims, act):
    X, Y = small_data()
    kw = dict(learning_rate=0.1, num_iterations=2500, hidden_activation=act, print_every=1)
    assert_stable(X, Y, dims, **kw)
    direct = tn.L_layer_model(X, Y, dims, solver="direct", **kw)
    gram = tn.L_layer_model(X, Y, dims, solver="gram", **kw)
    assert direct[1]["cost"].iloc[-1] < 0.5 * direct[1]["cost"].iloc[0], "the run must actually train"
    assert_same_run(direct, gram, X, act)
    # "auto" picks gram here (m < n_x, 2500 iterations) and is then the gram run itself
    auto = tn.L_layer_model(X, Y, dims, **kw)
    assert_identical("auto costs", gram[1]["cost"].to_numpy(), auto[1]["cost"].to_numpy())


def test_gram_is_exact_also_when_m_exceeds_n_x():
    """Nothing in the algebra needs m < n_x: forced gram on the circles (n_x = 2) still matches."""
    X, Y = tn.make_circles(200, seed=3)
    # learning rate 0.1: at 0.3 this run is unstable (contract section 13)
    kw = dict(learning_rate=0.1, num_iterations=2500, hidden_activation="relu", print_every=10)
    assert_stable(X, Y, [2, 8, 4, 1], **kw)
    assert tn.choose_solver(X, [2, 8, 4, 1], 2500) == "direct"
    assert_same_run(tn.L_layer_model(X, Y, [2, 8, 4, 1], solver="direct", **kw),
                    tn.L_layer_model(X, Y, [2, 8, 4, 1], solver="gram", **kw), X, "relu")


def test_gram_reports_the_same_costs_to_the_callback():
    X, Y = small_data()
    assert_stable(X, Y, [30, 5, 1], learning_rate=0.1, num_iterations=300)
    seen = {"direct": [], "gram": []}
    for s in seen:
        tn.L_layer_model(X, Y, [30, 5, 1], 0.1, 300, print_every=100, solver=s,
                         callback=lambda i, c, s=s: seen[s].append((i, c)))
    assert [i for i, _ in seen["gram"]] == [0, 100, 200, 299]
    assert [i for i, _ in seen["direct"]] == [0, 100, 200, 299]
    assert_close("callback costs", [c for _, c in seen["direct"]], [c for _, c in seen["gram"]], RUN_TOL)


@pytest.mark.realdata
@pytest.mark.slow
def test_gram_matches_direct_on_the_catvnoncat_experiment():
    X, Y = load_train_set()
    assert tn.choose_solver(X, CAT_DIMS, 2500) == "gram"
    assert_stable(X, Y, CAT_DIMS)
    direct = python_run(X, Y, CAT_DIMS, solver="direct")
    gram = python_run(X, Y, CAT_DIMS, solver="gram")
    assert_same_run(direct, gram, X, "relu")
    assert tn.accuracy(X, Y, gram[0]) > 0.95  # the experiment's known result: the net fits the training set


# -- choosing, refusing, falling back -------------------------------------------

def test_solver_follows_callback_with_default_auto():
    # solver came after callback; the later arguments stream and parameters follow it (contract section 8),
    # then the options of contract section 36
    params = list(inspect.signature(tn.L_layer_model).parameters.values())
    names = [q.name for q in params]
    assert names[names.index("callback"):names.index("parameters") + 2] == ["callback", "solver", "stream",
                                                                          "parameters", "lambd"]
    assert params[names.index("solver")].default == "auto"
    assert tn.SOLVERS == ("auto", "direct", "gram")


def test_work_model_by_hand():
    # n_x = 50, m = 10, n1 = 4, T = 1: direct 2*4*50*10 = 4000; gram 50*10*11/2 + 2*4*50*10 + 4*100 = 7150
    assert solver_work(50, 10, 4, 1) == (4000.0, 7150.0)
    # T = 2500: direct 1e7; gram 2750 + 4000 + 1e6
    assert solver_work(50, 10, 4, 2500) == (1e7, 1006750.0)


def test_auto_rule():
    X = tn.rng_normal(50 * 10, 2).reshape(50, 10)
    assert tn.choose_solver(X, [50, 4, 1], 2500) == "gram"
    assert tn.choose_solver(X, [50, 4, 1], 1) == "direct"  # the Gram matrix does not pay for itself
    assert tn.choose_solver(X, [50, 4, 1], 2500, "direct") == "direct"
    assert tn.choose_solver(X, [50, 4, 1], 1, "gram") == "gram"  # forced: exact, merely slower
    Xt = X.T.copy()  # m = 50 > n_x = 10
    assert tn.choose_solver(Xt, [10, 4, 1], 2500) == "direct"


def test_unknown_solver_is_refused_with_the_argument_named():
    X, Y = small_data()
    with pytest.raises(ValueError, match=r'^`solver`: expected one of "auto", "direct", "gram"; got \'fast\'$'):
        tn.L_layer_model(X, Y, [30, 1], solver="fast")
    with pytest.raises(ValueError, match="^`solver`: expected one of"):
        tn.choose_solver(X, [30, 1], solver=None)


def overflow_case():
    """Entries of 1e160: each X^T X entry is ~1e320, beyond DBL_MAX; W1 X and W1 stay finite."""
    X, Y = small_data()
    return X * 1e160, Y


def test_gram_refuses_when_the_gram_matrix_overflows():
    X, Y = overflow_case()
    with np.errstate(over="ignore"):
        assert not np.all(np.isfinite(X.T @ X))  # what gram would have to work with
    expected = f"`solver`: expected {GRAM_OVERFLOW}; got 'gram'"
    with pytest.raises(ValueError) as err:
        tn.L_layer_model(X, Y, [30, 3, 1], learning_rate=1e-300, num_iterations=20, solver="gram")
    assert str(err.value) == expected
    with pytest.raises(ValueError):
        tn.choose_solver(X, [30, 3, 1], 2500, "gram")


def test_auto_falls_back_to_direct_when_the_gram_matrix_overflows():
    X, Y = overflow_case()
    assert tn.choose_solver(X, [30, 3, 1], 2500) == "direct"
    kw = dict(learning_rate=1e-300, num_iterations=20, print_every=1)
    p_a, h_a = tn.L_layer_model(X, Y, [30, 3, 1], **kw)
    p_d, h_d = tn.L_layer_model(X, Y, [30, 3, 1], solver="direct", **kw)
    assert np.all(np.isfinite(h_d["cost"])) and all(np.all(np.isfinite(v)) for v in p_d.values())
    assert_identical("costs", h_d["cost"].to_numpy(), h_a["cost"].to_numpy())
    for key in p_d:
        assert_identical(key, p_d[key], p_a[key])


def test_largest_safe_entry_is_accepted():
    n_x = 30
    edge = np.sqrt(sys.float_info.max / 2.0 / n_x)
    X = np.full((n_x, 4), edge)
    assert tn.choose_solver(X, [n_x, 1], 10, "gram") == "gram"
    assert np.all(np.isfinite(X.T @ X))
    X[0, 0] = np.nextafter(edge, np.inf)
    with pytest.raises(ValueError, match="could overflow"):
        tn.choose_solver(X, [n_x, 1], 10, "gram")


# -- Python against R -----------------------------------------------------------

@pytest.mark.r
def test_r_refuses_the_same_way(r):
    from twinnet.rbridge import RError

    X, Y = small_data()
    with pytest.raises(RError) as err:
        r.L_layer_model(X, Y, [30, 1], solver="fast")
    assert err.value.message == '`solver`: expected one of "auto", "direct", "gram"; got "fast"'
    assert "twinnet_input_error" in err.value.classes
    Xo, Yo = overflow_case()
    with pytest.raises(RError) as err:
        r.L_layer_model(Xo, Yo, [30, 3, 1], learning_rate=1e-300, num_iterations=20, solver="gram")
    assert err.value.message == f'`solver`: expected {GRAM_OVERFLOW}; got "gram"'
    assert list(r.eval("names(formals(twinnet::L_layer_model))")) == list(inspect.signature(tn.L_layer_model).parameters)
    assert r.eval("formals(twinnet::L_layer_model)$solver") == "auto"


@pytest.mark.r
def test_r_chooses_the_same_solver(r):
    X = tn.rng_normal(50 * 10, 2).reshape(50, 10)
    for dims, T, s in (([50, 4, 1], 2500, "auto"), ([50, 4, 1], 1, "auto"), ([50, 4, 1], 1, "gram")):
        assert r.choose_solver(X, dims, T, s) == tn.choose_solver(X, dims, T, s)
    assert r.choose_solver(X.T.copy(), [10, 4, 1], 2500) == "direct"


@pytest.mark.r
def test_r_chooses_the_same_threads(r):
    from twinnet.solver import SMALL_PRODUCT, _loop_threads
    assert r.eval("twinnet:::SMALL_PRODUCT") == SMALL_PRODUCT
    n_1 = int(SMALL_PRODUCT) // (100 * 100)  # 100 * 100 * n_1 = SMALL_PRODUCT: not small; one less: small
    for n_x, m, n_1, solver in ((12288, 209, 20, "gram"), (12288, 209, 20, "direct"), (2, 1000, 16, "direct"),
                                (3072, 21000, 7, "direct"), (100, 100, n_1 - 1, "direct"), (100, 100, n_1, "direct")):
        assert r.eval(f'twinnet:::loop_threads({n_x}, {m}, {n_1}, "{solver}")') == _loop_threads(n_x, m, n_1, solver)


def assert_parity(py, rr, X, act):
    """``rr`` is R's list(parameters, costs), converted to a dict."""
    (p_py, h_py), p_r, h_r = py, rr["parameters"], rr["costs"]
    assert_identical("iterations", h_py["iteration"].to_numpy(), h_r["iteration"].to_numpy())
    assert_close("costs", h_py["cost"].to_numpy(), h_r["cost"].to_numpy(), RUN_TOL)
    for key in p_py:
        assert_close(key, p_py[key], p_r[key], RUN_TOL)
    assert_decisive("probabilities", tn.predict_proba(X, p_py, act))
    assert_identical("predictions", tn.predict_class(X, p_py, act), tn.predict_class(X, p_r, act))


@pytest.mark.r
@pytest.mark.parametrize("act", ACTS)
def test_python_gram_equals_r_gram(r, act):
    X, Y = small_data()
    kw = dict(learning_rate=0.1, num_iterations=2500, hidden_activation=act, print_every=1, solver="gram")
    assert_stable(X, Y, [30, 6, 4, 1], **kw)
    assert_parity(tn.L_layer_model(X, Y, [30, 6, 4, 1], **kw),
                  r.L_layer_model(X, Y, [30, 6, 4, 1], **kw), X, act)


@pytest.mark.r
@pytest.mark.realdata
def test_python_gram_equals_r_gram_on_the_catvnoncat_experiment(r):
    X, Y = load_train_set()
    assert r.choose_solver(X, CAT_DIMS, 2500) == "gram"
    s = assert_stable(X, Y, CAT_DIMS)  # its unperturbed run is Python's "auto" (here gram) run
    assert_parity((s["parameters"], s["costs"]), r.L_layer_model(X, Y, CAT_DIMS, print_every=1), X, "relu")

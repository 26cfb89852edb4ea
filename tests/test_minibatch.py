"""Mini-batches and the optimiser path of L_layer_model (contract sections 34 and 36), both languages.

Expected values come from numpy itself (``np.random.permutation``), from the
course's functions called by hand (random_mini_batches, dropout_masks,
L_model_forward / L_model_backward with the options, the course's update
rules: the training loop must be that loop, bit for bit), from the
full-batch loop (which the optimiser path reproduces bit for bit when no
option is on) and from the other language: mini-batch orders bit for bit,
trajectories within 1e-12 behind the stability guard (section 13).
"""

import warnings

import numpy as np
import pytest
from helpers import STEP_TOL, assert_close, assert_identical, assert_stable

import twinnet
import twinnet.minibatch as mb
import twinnet.model as model
from twinnet.optimizers import _epoch_learning_rate
from twinnet.regularization import _draw_masks
from twinnet.rng import _DrawStream
from twinnet.solver import GRAM_PLAIN_ONLY


def data(n_x, m, seed):
    g = np.random.default_rng(seed)
    return g.normal(size=(n_x, m)), (g.random((1, m)) > 0.5).astype(float)


# -- random_mini_batches -------------------------------------------------------------------------------

def test_the_courses_shapes():
    """The notebook's own check: m = 148 in batches of 64 are 64, 64 and 20."""
    X, Y = data(5, 148, 1)
    batches = twinnet.random_mini_batches(X, Y, 64, seed=0, stream="numpy")
    assert [b[0].shape for b in batches] == [(5, 64), (5, 64), (5, 20)]
    assert [b[1].shape for b in batches] == [(1, 64), (1, 64), (1, 20)]


def test_the_numpy_stream_is_np_random_permutation():
    X, Y = data(3, 50, 2)
    perm = np.random.RandomState(7).permutation(50)
    batches = twinnet.random_mini_batches(X, Y, 16, seed=7, stream="numpy")
    assert_identical("columns", X[:, perm], np.hstack([b[0] for b in batches]))
    assert_identical("labels", Y[:, perm], np.hstack([b[1] for b in batches]))


def test_one_batch_of_m_and_batches_of_one():
    X, Y = data(2, 6, 3)
    (Xb, Yb), = twinnet.random_mini_batches(X, Y, 6, seed=1)
    assert_identical("one batch", X[:, twinnet.rng_permutation(6, 1)], Xb)
    assert len(twinnet.random_mini_batches(X, Y, 1, seed=1)) == 6


@pytest.mark.parametrize("seed,stream,m,size", [(0, "portable", 37, 5), (11, "numpy", 37, 5), (2**31 - 1, "numpy", 300, 64),
                                                (5, "portable", 300, 64)])
def test_batches_are_bit_identical_in_both_languages(r, seed, stream, m, size):
    X, Y = data(3, m, seed % 100)
    py = twinnet.random_mini_batches(X, Y, size, seed, stream)
    rr = r.random_mini_batches(X, Y, size, seed, stream)
    assert len(py) == len(rr) == -(-m // size)
    for k, ((a, ya), b) in enumerate(zip(py, rr)):
        assert_identical(f"batch {k} X", a, b["X"])
        assert_identical(f"batch {k} Y", ya, np.atleast_2d(b["Y"]))


@pytest.mark.parametrize("stream", ["portable", "numpy"])
def test_every_epochs_order_is_bit_identical_in_both_languages(r, stream):
    """Epochs 0..599 (R seeds the numpy stream 256 epochs at a time: three chunks), m = 37, seeds 10 + e + 1."""
    perms = mb._epoch_permutations(37, 10, 600, stream)
    py = np.array([perms(e) for e in range(600)])
    rr = r.eval(f'local({{ p <- twinnet:::epoch_permutations(37L, 10L, 600L, "{stream}"); '
                f'do.call(rbind, lapply(0:599, p)) }})')
    assert_identical(f"{stream} orders", py, np.asarray(rr) - 1)
    assert_identical("epoch 0", twinnet.rng_permutation(37, 11, stream), py[0])


def test_the_seed_of_an_epoch_wraps_around():
    assert mb._epoch_seed(10, 0) == 11 and mb._epoch_seed(10, 4) == 15
    assert mb._epoch_seed(2**31 - 1, 0) == 0


# -- the optimiser path --------------------------------------------------------------------------------

def test_the_full_batch_loop_is_untouched(monkeypatch):
    """Without an option, L_layer_model trains with the full-batch loop; with one, with the optimiser path."""
    X, Y = data(3, 20, 4)

    def no(*args, **kwargs):
        raise AssertionError("the optimiser path was taken")

    monkeypatch.setattr(model, "_train_minibatch", no)
    twinnet.L_layer_model(X, Y, [3, 4, 1], 0.1, 5)
    monkeypatch.undo()
    monkeypatch.setattr(model, "_train_loop", no)
    twinnet.L_layer_model(X, Y, [3, 4, 1], 0.1, 5, lambd=0.1)


@pytest.mark.parametrize("act", ["relu", "tanh", "sigmoid", "leaky_relu"])
def test_with_no_option_the_optimiser_path_is_the_full_batch_loop_bit_for_bit(act):
    X, Y = data(4, 30, 5)
    dims = [4, 6, 3, 1]
    params, costs = twinnet.L_layer_model(X, Y, dims, 0.2, 40, 3, act, print_every=1, solver="direct")
    o = mb._check_training_options(dims, 30, "portable", 0.0, 1.0, None, "gd", 0.9, 0.9, 0.999, 1e-8, None, 1.0,
                                   1000, 10, 1)
    start = twinnet.initialize_parameters(dims, 3)
    p2, c2 = mb._train_minibatch(X, Y, start, 3, 0.2, 40, act, list(range(40)), None, o)
    assert np.array_equal(costs["cost"].to_numpy(), np.asarray(c2))
    assert all(np.array_equal(params[k], p2[k]) for k in params)


def by_hand(X, Y, dims, lr, epochs, seed, act, scheme, stream, lambd, keep, size, optimizer, beta, beta1, beta2,
            epsilon, decay, decay_rate, time_interval, mini_batch_seed, dropout_seed):
    """The course's model, with twinnet's functions: the epochs, the batches, the masks, the updates."""
    p = twinnet.initialize_parameters(dims, seed, scheme, stream)
    v, s = twinnet.initialize_adam(p)
    t, costs = 0, []
    draws = _DrawStream(dropout_seed, stream)
    m = X.shape[1]
    for e in range(epochs):
        rate = _epoch_learning_rate(decay, lr, e, decay_rate, time_interval)
        total = 0.0
        for Xb, Yb in twinnet.random_mini_batches(X, Y, size, mini_batch_seed + e + 1, stream):
            masks = _draw_masks(draws, dims, Xb.shape[1], keep)
            AL, caches = twinnet.L_model_forward(Xb, p, act, keep, masks)
            ZL = caches[-1]["Z"]
            total += float(np.sum(np.maximum(ZL, 0.0) - ZL * Yb + np.log1p(np.exp(-np.abs(ZL)))))  # m_b J_b
            if lambd > 0:
                total += (lambd / 2.0) * sum(float(np.vdot(p[f"W{l}"], p[f"W{l}"])) for l in range(1, len(dims)))
            grads = twinnet.L_model_backward(AL, Yb, caches, act, lambd, keep)
            grads = {k: g for k, g in grads.items() if not k.startswith("dA")}
            if optimizer == "gd":
                p = twinnet.update_parameters(p, grads, rate)
            elif optimizer == "momentum":
                p, v = twinnet.update_parameters_with_momentum(p, grads, v, beta, rate)
            else:
                t += 1
                p, v, s, _, _ = twinnet.update_parameters_with_adam(p, grads, v, s, t, rate, beta1, beta2, epsilon)
        costs.append(total / m)
    return p, costs


HAND = [dict(optimizer="adam", lambd=0.3, keep=(0.8, 0.6), size=7, stream="numpy", decay="schedule_lr_decay",
             time_interval=2, act="relu"),
        dict(optimizer="momentum", lambd=0.0, keep=(1.0, 0.5), size=10, stream="portable", decay="update_lr",
             time_interval=1000, act="tanh"),
        dict(optimizer="gd", lambd=0.2, keep=(0.9, 0.9), size=25, stream="numpy", decay=None, time_interval=1000,
             act="leaky_relu")]


@pytest.mark.parametrize("case", HAND, ids=[c["optimizer"] for c in HAND])
def test_the_loop_is_the_courses_model_by_hand_bit_for_bit(case):
    X, Y = data(3, 25, 6)
    dims = [3, 5, 4, 1]
    args = dict(lr=0.05, epochs=6, seed=2, scheme="he", beta=0.85, beta1=0.8, beta2=0.99, epsilon=1e-7,
                decay_rate=0.5, mini_batch_seed=3, dropout_seed=4)
    c = case
    p, costs = by_hand(X, Y, dims, stream=c["stream"], lambd=c["lambd"], keep=c["keep"], size=c["size"],
                       optimizer=c["optimizer"], decay=c["decay"], time_interval=c["time_interval"], act=c["act"],
                       **args)
    params, history = twinnet.L_layer_model(
        X, Y, dims, args["lr"], args["epochs"], args["seed"], c["act"], "he", 1, stream=c["stream"],
        lambd=c["lambd"], keep_prob=list(c["keep"]), mini_batch_size=c["size"], optimizer=c["optimizer"],
        beta=args["beta"], beta1=args["beta1"], beta2=args["beta2"], epsilon=args["epsilon"], decay=c["decay"],
        decay_rate=args["decay_rate"], time_interval=c["time_interval"], mini_batch_seed=args["mini_batch_seed"],
        dropout_seed=args["dropout_seed"])
    assert np.array_equal(history["cost"].to_numpy(), np.array(costs))
    for k in p:
        assert np.array_equal(params[k], p[k]), k


def test_the_history_is_per_epoch():
    X, Y = data(2, 40, 7)
    seen = []
    _, costs = twinnet.L_layer_model(X, Y, [2, 3, 1], 0.1, 12, print_every=5, mini_batch_size=8,
                                     callback=lambda i, c: seen.append((i, c)))
    assert costs["iteration"].tolist() == [0, 5, 10, 11]
    assert seen == list(zip(costs["iteration"], costs["cost"]))


def test_training_from_given_parameters_continues_a_run():
    """Section 24 on the optimiser path, for gradient descent with mini-batches (no state to carry)."""
    X, Y = data(3, 30, 8)
    kw = dict(mini_batch_size=7, keep_prob=0.8, stream="numpy", print_every=1)
    whole, cw = twinnet.L_layer_model(X, Y, [3, 4, 1], 0.1, 4, 2, **kw)
    assert cw["cost"].iloc[0] != cw["cost"].iloc[1]
    again, ca = twinnet.L_layer_model(X, Y, [3, 4, 1], 0.1, 4, 99, parameters=twinnet.initialize_parameters(
        [3, 4, 1], 2, stream="numpy"), **kw)
    assert np.array_equal(cw["cost"], ca["cost"]) and all(np.array_equal(whole[k], again[k]) for k in whole)


def test_the_gram_solver_is_refused_and_auto_picks_direct():
    X, Y = data(50, 10, 9)  # m < n_x: auto would pick gram for plain training
    assert twinnet.choose_solver(X, [50, 3, 1], 2500) == "gram"
    for options in (dict(lambd=0.1), dict(keep_prob=0.5), dict(mini_batch_size=5), dict(optimizer="adam"),
                    dict(decay="update_lr")):
        assert twinnet.choose_solver(X, [50, 3, 1], 2500, **options) == "direct", options
        with pytest.raises(ValueError) as err:
            twinnet.L_layer_model(X, Y, [50, 3, 1], 0.1, 3, solver="gram", **options)
        assert str(err.value) == f"`solver`: expected {GRAM_PLAIN_ONLY}; got 'gram'"


def test_zeros_train_without_a_warning_and_keep_the_symmetry():
    X, Y = data(3, 20, 10)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p, _ = twinnet.L_layer_model(X, Y, [3, 4, 3, 1], 0.5, 200, scheme="zeros", hidden_activation="sigmoid")
        q, c = twinnet.L_layer_model(X, Y, [3, 4, 1], 0.5, 200, scheme="zeros")
    for l in (1, 2, 3):  # every unit of a layer computes the same: the rows of W_l are equal (to rounding:
        # a BLAS may sum the entries of one product in different orders)
        assert np.allclose(p[f"W{l}"], p[f"W{l}"][0], rtol=1e-12, atol=0), l
    assert np.all(q["W1"] == 0) and np.all(q["W2"] == 0) and q["b2"][0, 0] != 0  # relu: only the output bias moves
    assert np.isfinite(c["cost"]).all()


def test_random_times_ten():
    z = twinnet.rng_normal(8, 3, "numpy")
    p = twinnet.initialize_parameters([3, 2, 1], 3, "random", "numpy")
    assert np.array_equal(p["W1"], z[:6].reshape(2, 3) * 10.0) and np.array_equal(p["W2"], z[6:8].reshape(1, 2) * 10.0)


# -- the optimiser path, Python against R ----------------------------------------------------------------

def live_case(i):
    g = np.random.default_rng(2000 + i)
    L = int(g.integers(1, 4))
    n_x = int(g.integers(1, 6))
    dims = [n_x] + [int(g.integers(1, 7)) for _ in range(L - 1)] + [1]
    m = int(g.integers(4, 40))
    X = g.normal(size=(n_x, m))
    Y = (g.random((1, m)) > 0.5).astype(float)
    optimizer = ["gd", "momentum", "adam"][i % 3]
    kw = dict(learning_rate=float(g.choice([0.01, 0.05])) if optimizer == "adam" else float(g.choice([0.05, 0.2])),
              num_iterations=int(g.integers(5, 15)), seed=int(g.integers(0, 2**31 - 1)),
              hidden_activation=["relu", "tanh", "sigmoid", "leaky_relu"][i % 4],
              scheme=["he", "xavier", "standard"][i % 3], print_every=1, stream=["portable", "numpy"][i % 2],
              optimizer=optimizer, lambd=float(g.choice([0.0, 0.1, 1.0])),
              keep_prob=[float(g.choice([1.0, 0.8, 0.5])) for _ in range(L - 1)] or 1.0,
              mini_batch_size=None if i % 4 == 0 else int(g.integers(1, m + 1)),
              decay=[None, "update_lr", "schedule_lr_decay"][i % 3 if i % 2 else 0], decay_rate=0.3, time_interval=2,
              mini_batch_seed=int(g.integers(0, 1000)), dropout_seed=int(g.integers(0, 1000)))
    return X, Y, dims, kw


LIVE = [live_case(i) for i in range(16)]


@pytest.mark.parametrize("case", LIVE, ids=[f"live{i:02d}-{c[3]['optimizer']}-{c[3]['stream']}" for i, c in enumerate(LIVE)])
def test_python_matches_r_on_the_optimiser_path(r, case):
    X, Y, dims, kw = case
    assert_stable(X, Y, dims, STEP_TOL, **kw)
    params, costs = twinnet.L_layer_model(X, Y, dims, **kw)
    out = r.L_layer_model(X, Y, dims, **kw)
    assert list(costs["iteration"]) == list(np.atleast_1d(out["costs"]["iteration"]))
    assert_close("epoch costs", costs["cost"].to_numpy(), np.atleast_1d(out["costs"]["cost"]), STEP_TOL)
    assert_close("trained parameters", np.concatenate([v.ravel() for v in params.values()]),
                 np.concatenate([np.asarray(out["parameters"][k], dtype=float).ravel() for k in params]), STEP_TOL)


def test_r_optimiser_path_is_its_full_batch_loop_bit_for_bit(r):
    X, Y = data(3, 25, 11)
    same = r.eval('''local({
        d <- list(X = matrix(c(%s), 3), Y = matrix(c(%s), 1))
        a <- twinnet::L_layer_model(d$X, d$Y, c(3, 5, 1), 0.3, 30, 2, "tanh", print_every = 1, solver = "direct")
        o <- twinnet:::check_training_options(c(3L, 5L, 1L), 25L, "portable", 0, 1, NULL, "gd", 0.9, 0.9, 0.999,
                                              1e-8, NULL, 1, 1000, 10, 1)
        b <- twinnet:::train_minibatch(d$X, d$Y, twinnet::initialize_parameters(c(3, 5, 1), 2), 2L, 0.3, 30L,
                                       "tanh", 0:29, NULL, o, options())
        identical(a$costs$cost, b$costs) && isTRUE(all.equal(a$parameters, b$parameters, tolerance = 0))
    })''' % (", ".join(repr(float(v)) for v in X.ravel(order="F")), ", ".join(repr(float(v)) for v in Y.ravel())))
    assert same is True


def test_the_optimiser_path_stops_at_the_first_non_finite_cost_in_both_languages(r):
    """Contract sections 8 and 36: a learning rate of 1e300 overflows after the first batch's update; the stop
    names learning_rate (updates were made) with the same line in both languages, at epoch 0, nothing recorded;
    X of 1e308 overflows before any update and names X."""
    from twinnet.rbridge import RError

    X, Y = data(3, 40, 4)
    kw = dict(learning_rate=1e300, num_iterations=3, print_every=1, mini_batch_size=8, optimizer="gd")
    with pytest.raises(twinnet.TrainingDiverged) as exc:
        twinnet.L_layer_model(X, Y, [3, 4, 1], **kw)
    with pytest.raises(RError) as rexc:
        r.call("L_layer_model", X, Y, [3, 4, 1], **kw)
    assert str(exc.value).startswith("`learning_rate`: expected a step small enough for the cost to stay finite; "
                                     "got 1e+300: the cost of iteration 0 is")
    assert rexc.value.message == str(exc.value)
    assert "twinnet_diverged" in rexc.value.classes and "twinnet_input_error" in rexc.value.classes
    assert exc.value.iteration == 0 and len(exc.value.costs) == 0
    assert set(exc.value.parameters) == {"W1", "b1", "W2", "b2"}
    big = np.full((3, 40), 1.5e308)
    with pytest.raises(twinnet.TrainingDiverged) as exc:
        twinnet.L_layer_model(big, Y, [3, 4, 1], learning_rate=0.1, num_iterations=2, mini_batch_size=8,
                              optimizer="adam", seed=2, scheme="random")
    assert str(exc.value).startswith("`X`: expected values small enough for the cost to be finite")

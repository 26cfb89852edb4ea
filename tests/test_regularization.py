"""L2 regularisation and inverted dropout (contract sections 32 and 33), both languages.

Expected values come from hand-worked arithmetic, from numpy's own generator
(the course's masks are ``np.random.rand(n_l, m) < keep_prob`` after
``np.random.seed``), from R's own generator (``set.seed``, ``runif``), from
finite differences (tests/test_gradcheck.py) and from the other language.
The masks are compared bit for bit across the languages.
"""

import numpy as np
import pytest
from helpers import assert_close, assert_identical

import twinnet
from twinnet.regularization import _draw_masks
from twinnet.rng import _DrawStream


def test_the_L2_term_by_hand():
    p = {"W1": np.array([[1.0, -2.0]]), "b1": np.array([[5.0]]), "W2": np.array([[3.0]]), "b2": np.array([[-7.0]])}
    AL, Y = np.array([[0.8, 0.4]]), np.array([[1.0, 0.0]])
    plain = twinnet.compute_cost(AL, Y)
    # (1/m) (lambd/2) (1 + 4 + 9) = (1/2) (0.5/2) 14 = 1.75; the biases are not penalised
    assert twinnet.compute_cost_with_regularization(AL, Y, p, 0.5) == pytest.approx(plain + 1.75, rel=1e-15)
    assert twinnet.compute_cost_with_regularization(AL, Y, p, 0.0) == plain


def test_the_L2_gradient_by_hand():
    """dW gains (lambd / m) W; db does not change."""
    X, Y = np.array([[0.5, -1.0, 2.0]]), np.array([[1.0, 0.0, 1.0]])
    p = {"W1": np.array([[0.3]]), "b1": np.array([[0.1]])}
    AL, caches = twinnet.L_model_forward(X, p)
    g0 = twinnet.L_model_backward(AL, Y, caches)
    g = twinnet.L_model_backward(AL, Y, caches, lambd=0.6)
    assert g["dW1"][0, 0] == pytest.approx(g0["dW1"][0, 0] + 0.6 * 0.3 / 3, rel=1e-15)
    assert np.array_equal(g["db1"], g0["db1"])


def test_lambd_zero_and_keep_prob_one_change_nothing():
    X = np.random.default_rng(1).normal(size=(3, 5))
    Y = np.array([[1.0, 0.0, 1.0, 1.0, 0.0]])
    p = twinnet.initialize_parameters([3, 4, 2, 1], 2)
    AL, caches = twinnet.L_model_forward(X, p)
    AL1, caches1 = twinnet.L_model_forward(X, p, "relu", 1.0, None)
    assert np.array_equal(AL, AL1) and all("D" not in c for c in caches1)
    g = twinnet.L_model_backward(AL, Y, caches)
    g1 = twinnet.L_model_backward(AL, Y, caches, "relu", 0.0, [1.0, 1.0])
    assert all(np.array_equal(g[k], g1[k]) for k in g)


def test_inverted_dropout_by_hand():
    """A_l * D_l / keep_prob: kept units scaled by 1 / keep_prob, dropped ones 0; the mask reaches dA."""
    X = np.array([[1.0, 2.0]])
    p = {"W1": np.array([[1.0], [2.0]]), "b1": np.zeros((2, 1)), "W2": np.array([[1.0, 1.0]]), "b2": np.zeros((1, 1))}
    D = np.array([[1.0, 0.0], [0.0, 1.0]])
    AL, caches = twinnet.L_model_forward(X, p, "relu", 0.5, {"D1": D})
    assert np.array_equal(caches[1]["A_prev"], np.array([[2.0, 0.0], [0.0, 8.0]]))
    assert np.array_equal(caches[0]["D"], D)
    g = twinnet.L_model_backward(AL, np.array([[1.0, 0.0]]), caches, "relu", keep_prob=0.5)
    dZ2 = AL - np.array([[1.0, 0.0]])
    assert np.array_equal(g["dA1"], (p["W2"].T @ dZ2) * D / 0.5)


def test_the_masks_are_the_courses_rand():
    """numpy stream: np.random.seed(seed); D_l = np.random.rand(n_l, m) < keep_prob, layer after layer."""
    state = np.random.get_state()
    try:
        np.random.seed(1)
        D1 = (np.random.rand(2, 5) < 0.7).astype(float)
        D2 = (np.random.rand(3, 5) < 0.7).astype(float)
    finally:
        np.random.set_state(state)
    masks = twinnet.dropout_masks([3, 2, 3, 1], 5, 0.7, seed=1, stream="numpy")
    assert_identical("D1", D1, masks["D1"])
    assert_identical("D2", D2, masks["D2"])


def test_the_portable_masks_are_rs_runif():
    u = twinnet.rng_uniform(4 * 6 + 3 * 6, 9)
    masks = twinnet.dropout_masks([5, 4, 3, 1], 6, [0.5, 0.8], seed=9)
    assert_identical("D1", (u[:24].reshape(4, 6) < 0.5).astype(float), masks["D1"])
    assert_identical("D2", (u[24:].reshape(3, 6) < 0.8).astype(float), masks["D2"])


def test_a_layer_kept_whole_draws_nothing():
    a = twinnet.dropout_masks([5, 4, 3, 1], 6, [1.0, 0.8], seed=9)
    assert list(a) == ["D2"]
    assert_identical("D2", (twinnet.rng_uniform(18, 9).reshape(3, 6) < 0.8).astype(float), a["D2"])


def test_the_share_kept_is_keep_prob():
    masks = twinnet.dropout_masks([2, 200, 1], 500, 0.7, seed=3)
    assert abs(masks["D1"].mean() - 0.7) < 0.01


def test_one_stream_continues_from_batch_to_batch():
    """Two passes' masks from one stream are the first draws of one long stream."""
    for stream in ("portable", "numpy"):
        draws = _DrawStream(4, stream)
        first = _draw_masks(draws, [3, 4, 1], 5, (0.6,))
        second = _draw_masks(draws, [3, 4, 1], 2, (0.6,))
        u = twinnet.rng_uniform(4 * 5 + 4 * 2, 4, stream)
        assert_identical(f"{stream} first", (u[:20].reshape(4, 5) < 0.6).astype(float), first["D1"])
        assert_identical(f"{stream} second", (u[20:].reshape(4, 2) < 0.6).astype(float), second["D1"])


def test_prediction_never_drops():
    X = np.random.default_rng(2).normal(size=(3, 4))
    p = twinnet.initialize_parameters([3, 5, 1], 1)
    AL, _ = twinnet.L_model_forward(X, p)
    assert np.array_equal(twinnet.predict_proba(X, p), AL)


# -- both languages, bit for bit -----------------------------------------------------------------------

MASKS = [([4, 7, 5, 1], 9, 0.5, 1, "portable"), ([4, 7, 5, 1], 9, [0.9, 0.3], 2**31 - 1, "numpy"),
         ([3, 60, 40, 1], 64, 0.8, 0, "numpy"), ([3, 60, 40, 1], 64, [0.7, 1.0], 12, "portable")]


@pytest.mark.parametrize("dims,m,keep,seed,stream", MASKS)
def test_masks_are_bit_identical_in_both_languages(r, dims, m, keep, seed, stream):
    py = twinnet.dropout_masks(dims, m, keep, seed, stream)
    rr = r.dropout_masks(dims, m, keep, seed, stream)
    assert sorted(py) == sorted(rr)
    for k in py:
        assert_identical(f"{stream} {k}", py[k], rr[k])


@pytest.mark.parametrize("stream", ["portable", "numpy"])
def test_the_continuing_stream_is_bit_identical_in_both_languages(r, stream):
    """Python's _DrawStream and R's draw_stream: draws of 5, 700, 3 and 1500 (across MT19937 blocks)."""
    sizes = [5, 700, 3, 1500]
    draws = _DrawStream(17, stream)
    py = np.concatenate([draws.uniform(n) for n in sizes])
    rr = r.eval(f'local({{ s <- twinnet:::draw_stream(17L, "{stream}"); '
                f'unlist(lapply(c({", ".join(map(str, sizes))}), s$uniform)) }})')
    assert_identical(f"{stream} uniforms", py, np.asarray(rr))
    assert_identical(f"{stream} one stream", twinnet.rng_uniform(sum(sizes), 17, stream), py)


def test_R_leaves_the_callers_stream_alone(r):
    out = r.eval('local({ set.seed(42); a <- runif(2); set.seed(42); '
                 'invisible(twinnet::dropout_masks(c(3, 4, 1), 5, 0.5, 7)); '
                 's <- twinnet:::draw_stream(3L, "portable"); s$uniform(4); identical(runif(2), a) })')
    assert out is True


def test_forward_and_backward_with_dropout_and_L2_agree_across_languages(r):
    X = np.random.default_rng(8).normal(size=(4, 9))
    Y = (np.random.default_rng(9).random((1, 9)) > 0.5).astype(float)
    p = twinnet.initialize_parameters([4, 6, 5, 1], 3, "he")
    masks = twinnet.dropout_masks([4, 6, 5, 1], 9, [0.7, 0.5], 4)
    for act in ("relu", "tanh", "sigmoid", "leaky_relu"):
        AL, caches = twinnet.L_model_forward(X, p, act, [0.7, 0.5], masks)
        out = r.L_model_forward(X, p, act, [0.7, 0.5], masks)
        assert_close(f"{act} AL", AL, out["AL"])
        g = twinnet.L_model_backward(AL, Y, caches, act, 0.4, [0.7, 0.5])
        gr = r.L_model_backward(AL, Y, caches, act, 0.4, [0.7, 0.5])
        assert sorted(g) == sorted(gr)
        for k in g:
            assert_close(f"{act} {k}", g[k], gr[k])
        assert_close(f"{act} cost", twinnet.compute_cost_with_regularization(AL, Y, p, 0.4, caches[-1]["Z"]),
                     r.compute_cost_with_regularization(AL, Y, p, 0.4, caches[-1]["Z"]))

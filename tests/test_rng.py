"""The portable stream: numpy-based stream vs the pure-Python reference, Python vs R, R's state untouched."""

import sys

import numpy as np
import pytest
from helpers import ROOT, assert_identical

import twinnet

sys.path.insert(0, str(ROOT / "scripts"))
import reference  # noqa: E402

SEEDS = [0, 1, 2, 42, 123456789, 2**31 - 1] + list(np.random.default_rng(0).integers(0, 2**31 - 1, 6))


@pytest.mark.parametrize("seed", SEEDS)
def test_stream_matches_pure_python_mersenne_twister(seed):
    # 700 uniforms cross the first MT reload (624 words); 301 normals end on half a pair.
    s = reference.RStream(int(seed))
    u_ref = [s.unif() for _ in range(700)]
    z_ref = [s.norm() for _ in range(301)]
    u, z = twinnet.rng_sample(int(seed), 700, 301)
    assert_identical("uniform", np.array(u_ref), u)
    assert_identical("normal", np.array(z_ref), z)


@pytest.mark.parametrize("seed", SEEDS)
def test_stream_python_vs_r(r, seed):
    u, z = twinnet.rng_sample(int(seed), 1000, 2001)
    out = r.rng_sample(int(seed), 1000, 2001)
    assert_identical("uniform", out["uniform"], u)
    assert_identical("normal", out["normal"], z)
    assert_identical("permutation", r.rng_permutation(50, int(seed)) - 1, twinnet.rng_permutation(50, int(seed)))


def test_r_leaves_the_callers_stream_alone(r):
    same = r.eval("""local({
        set.seed(3); before <- .Random.seed
        twinnet::rng_normal(5, 1); twinnet::initialize_parameters(c(3, 2, 1), 4)
        identical(before, .Random.seed)
    })""")
    assert same is True
    kinds = r.eval("""local({
        RNGkind("Mersenne-Twister", "Inversion", "Rejection")
        rm(".Random.seed", envir = globalenv())
        twinnet::rng_normal(5, 1)
        c(exists(".Random.seed", envir = globalenv()), RNGkind()[2] == "Inversion")
    })""")
    assert list(kinds) == [False, True]
    on_error = r.eval("""local({
        set.seed(9); before <- .Random.seed
        try(twinnet:::with_portable_seed(1L, stop("boom")), silent = TRUE)
        identical(before, .Random.seed)
    })""")
    assert on_error is True


def test_large_draw_is_bit_identical_to_r(r):
    # the size of the cat/non-cat experiment's W1 (12288 x 20)
    n = 12288 * 20 + 20 * 7
    assert_identical("normals", r.rng_normal(n, 1), twinnet.rng_normal(n, 1))


# ---------------------------------------------------------------- numpy's legacy stream (contract section 23)

def numpy_itself(seed):
    """What numpy's own legacy generator gives after np.random.seed(seed): 2001 normals, 1000 uniforms,
    a permutation of 1000, then 3 normals (the first of which was cached by the odd 2001)."""
    rs = np.random.RandomState(seed)  # np.random.seed(seed) without touching the global state
    z = rs.randn(2001)
    cached = rs.get_state()[4]
    u = rs.rand(1000)
    p = rs.permutation(1000)
    z2 = rs.randn(3)
    return z, u, p, z2, rs.get_state(), cached


@pytest.mark.parametrize("seed", SEEDS)
def test_numpy_stream_python_is_numpy(seed):
    z, u, p, z2, st, cached = numpy_itself(int(seed))
    s = twinnet.numpy_seed(int(seed))
    a, s = twinnet.numpy_randn(s, 2001)
    assert (s["has_gauss"], s["gauss"]) == (1, cached)  # an odd count leaves the pair's second normal cached
    b, s = twinnet.numpy_rand(s, 1000)
    c, s = twinnet.numpy_permutation(s, 1000)
    d, s = twinnet.numpy_randn(s, 3)
    for name, x, y in (("normal", z, a), ("uniform", u, b), ("permutation", p, c), ("normal after", z2, d)):
        assert_identical(name, x, y)
    assert_identical("key", st[1], s["key"])
    assert (s["pos"], s["has_gauss"], s["gauss"]) == tuple(st[2:])


@pytest.mark.parametrize("seed", SEEDS)
def test_numpy_stream_reference_is_numpy(seed):
    """scripts/reference.py's pure-Python MT19937, polar method and shuffle against numpy itself."""
    z, u, p, z2, st, _ = numpy_itself(int(seed))
    s = reference.NumpyStream(int(seed))
    assert_identical("normal", z, np.array(s.randn(2001)))
    assert_identical("uniform", u, np.array(s.rand(1000)))
    assert_identical("permutation", p, np.array(s.permutation(1000)))
    assert_identical("normal after", z2, np.array(s.randn(3)))
    assert s.state()["key"] == st[1].tolist() and s.state()["gauss"] == st[4]


@pytest.mark.parametrize("seed", SEEDS)
def test_numpy_stream_r_is_numpy(r, seed):
    """R's pure-R numpy stream, bit for bit, across calls that carry a cached normal, state included."""
    z, u, p, z2, st, cached = numpy_itself(int(seed))
    out = r.eval(f"""local({{
        s <- twinnet::numpy_seed({int(seed)})
        a <- twinnet::numpy_randn(s, 2001); b <- twinnet::numpy_rand(a$state, 1000)
        c <- twinnet::numpy_permutation(b$state, 1000); d <- twinnet::numpy_randn(c$state, 3)
        list(a = a$values, cached = c(a$state$has_gauss, a$state$gauss), b = b$values, c = c$values,
             d = d$values, state = d$state)
    }})""")
    assert_identical("normal", z, out["a"])
    assert list(out["cached"]) == [1, cached]
    assert_identical("uniform", u, out["b"])
    assert_identical("permutation", p + 1, out["c"])
    assert_identical("normal after the cached one", z2, out["d"])
    assert_identical("key", st[1].astype(np.float64), out["state"]["key"])
    assert (out["state"]["pos"], out["state"]["has_gauss"], out["state"]["gauss"]) == tuple(st[2:])


def test_numpy_stream_one_shot_functions_python_vs_r(r):
    for seed in (0, 1, 2**31 - 1):
        u, z = twinnet.rng_sample(seed, 7, 9, stream="numpy")
        out = r.rng_sample(seed, 7, 9, stream="numpy")
        assert_identical("uniform", out["uniform"], u)
        assert_identical("normal", out["normal"], z)
        assert_identical("permutation", r.rng_permutation(30, seed, stream="numpy") - 1,
                         twinnet.rng_permutation(30, seed, stream="numpy"))
        rs = np.random.RandomState(seed)
        assert_identical("numpy's rand then randn", np.concatenate([rs.rand(7), rs.randn(9)]), np.concatenate([u, z]))
        assert_identical("numpy's permutation", np.random.RandomState(seed).permutation(30),
                         twinnet.rng_permutation(30, seed, stream="numpy"))


def test_numpy_stream_initialisation_of_the_cat_network_python_vs_r(r):
    """The 245,940 normals of [12288, 20, 7, 5, 1], from numpy's stream in both languages."""
    dims = [12288, 20, 7, 5, 1]
    p = twinnet.initialize_parameters(dims, 1, "xavier", stream="numpy")
    q = r.initialize_parameters(dims, 1, "xavier", stream="numpy")
    rs = np.random.RandomState(1)
    for l in range(1, 5):
        assert_identical(f"W{l} (numpy)", rs.randn(dims[l], dims[l - 1]) / np.sqrt(dims[l - 1]), p[f"W{l}"])
        assert_identical(f"W{l} (R)", p[f"W{l}"], q[f"W{l}"])


def test_numpy_stream_leaves_the_callers_state_alone(r):
    np_before = np.random.get_state()
    twinnet.numpy_randn(twinnet.numpy_seed(5), 11)
    twinnet.initialize_parameters([3, 2, 1], 4, stream="numpy")
    np_after = np.random.get_state()
    assert np_before[0] == np_after[0] and np.array_equal(np_before[1], np_after[1]) and np_before[2:] == np_after[2:]
    same = r.eval("""local({
        set.seed(3); before <- .Random.seed
        s <- twinnet::numpy_seed(1); z <- twinnet::numpy_randn(s, 1001)
        twinnet::numpy_permutation(z$state, 50); twinnet::initialize_parameters(c(3, 2, 1), 4, stream = "numpy")
        twinnet::rng_sample(2, 3, 3, stream = "numpy"); twinnet::make_circles(10, stream = "numpy")
        identical(before, .Random.seed)
    })""")
    assert same is True
    untouched = r.eval("""local({
        if (exists(".Random.seed", envir = globalenv())) rm(".Random.seed", envir = globalenv())
        twinnet::numpy_randn(twinnet::numpy_seed(1), 5)
        exists(".Random.seed", envir = globalenv())
    })""")
    assert untouched is False


def test_numpy_state_round_trips_between_the_languages(r):
    """A state drawn in one language continues in the other (it is plain data: key, pos, has_gauss, gauss)."""
    _, s = twinnet.numpy_randn(twinnet.numpy_seed(8), 5)  # leaves a cached normal
    out = r.numpy_randn(s, 4)
    z, s2 = twinnet.numpy_randn(s, 4)
    assert_identical("values", z, out["values"])
    assert_identical("key", s2["key"].astype(np.float64), out["state"]["key"])
    back, _ = twinnet.numpy_randn(out["state"], 3)
    assert_identical("continued in Python", twinnet.numpy_randn(s2, 3)[0], back)


def test_numpy_stream_split_python_vs_r_vs_numpy(r):
    """train_test_split_indices(stream="numpy") shuffles as np.random.seed(seed); np.random.permutation(m)."""
    for m, fraction, seed in ((209, 0.15, 1), (10, 0.3, 0), (2, 0.5, 2**31 - 1)):
        train, test = twinnet.train_test_split_indices(m, fraction, seed, stream="numpy")
        perm = np.random.RandomState(seed).permutation(m)
        assert_identical("numpy's order", perm, np.concatenate([train, test]))
        out = r.train_test_split_indices(m, fraction, seed, stream="numpy")
        assert_identical("R train", np.atleast_1d(out["train"]) - 1, train)
        assert_identical("R test", np.atleast_1d(out["test"]) - 1, test)

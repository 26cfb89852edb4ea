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

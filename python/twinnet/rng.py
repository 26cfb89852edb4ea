"""The portable random stream (docs/contract.md section 2; twin of ``R/rng.R``).

R's Mersenne-Twister as seeded by ``set.seed(seed)``, uniforms as ``runif``
and Box-Muller normals as ``rnorm`` with ``normal.kind = "Box-Muller"``,
reproduced bit for bit with numpy's MT19937 bit generator. Only the seeding
scramble (675 steps of a 32-bit LCG) runs in Python; the draws come from
numpy, and ``log``/``cos``/``sin`` from the C library through :mod:`math`.
"""

import math

import numpy as np

from .validate import check_count, check_seed

#: 2^-32, R's ``i2_32m1`` counterpart used by ``MT_genrand``.
_TWO_M32 = 2.3283064365386963e-10
#: What R's ``fixup`` puts in place of a uniform that is exactly 0.
_FIXUP_ZERO = 0.5 * 2.328306437080797e-10
_DBL_MIN = 2.2250738585072014e-308


def _mt_state(seed):
    """The 624-word MT19937 key that ``set.seed(seed)`` leaves in R."""
    x = seed
    for _ in range(50):
        x = (69069 * x + 1) & 0xFFFFFFFF
    key = np.empty(625, dtype=np.uint32)
    for j in range(625):
        x = (69069 * x + 1) & 0xFFFFFFFF
        key[j] = x
    return key[1:]  # key[0] is replaced by the position 624 in R


def _libm(fn, x):
    """Apply a C-library function elementwise (see the module docstring)."""
    return np.fromiter(map(fn, x.tolist()), dtype=np.float64, count=x.size)


def _uniforms(bitgen, n):
    u = bitgen.random_raw(n).astype(np.float64) * _TWO_M32
    u[u <= 0.0] = _FIXUP_ZERO
    return u


def rng_sample(seed, n_uniform=0, n_normal=0):
    """Seed the stream, draw ``n_uniform`` uniforms, then ``n_normal`` normals.

    Parameters
    ----------
    seed : int
        0 .. 2^31 - 1, as R's ``set.seed``.
    n_uniform, n_normal : int, default 0
        How many of each to draw, uniforms first.

    Returns
    -------
    (uniform, normal) : tuple of 1-D float64 arrays
        Bit-identical to ``set.seed(seed, kind = "Mersenne-Twister",
        normal.kind = "Box-Muller"); list(runif(n_uniform), rnorm(n_normal))``.
    """
    seed = check_seed(seed)
    n_uniform = check_count(n_uniform, "n_uniform", minimum=0)
    n_normal = check_count(n_normal, "n_normal", minimum=0)
    bitgen = np.random.MT19937(0)
    bitgen.state = {"bit_generator": "MT19937", "state": {"key": _mt_state(seed), "pos": 624}}
    uniform = _uniforms(bitgen, n_uniform)
    pairs = (n_normal + 1) // 2
    u = _uniforms(bitgen, 2 * pairs)
    theta = 2.0 * math.pi * u[0::2]
    radius = np.sqrt(-2.0 * _libm(math.log, u[1::2])) + 10.0 * _DBL_MIN
    normal = np.empty(2 * pairs)
    normal[0::2] = radius * _libm(math.cos, theta)
    normal[1::2] = radius * _libm(math.sin, theta)
    return uniform, normal[:n_normal]


def rng_uniform(n, seed):
    """``n`` uniforms from the stream seeded with ``seed`` (R: ``runif(n)``)."""
    return rng_sample(seed, n_uniform=n)[0]


def rng_normal(n, seed):
    """``n`` Box-Muller normals from the stream seeded with ``seed`` (R: ``rnorm(n)``)."""
    return rng_sample(seed, n_normal=n)[1]


def rng_permutation(n, seed):
    """A portable permutation of 0..n-1: the stable ascending order of ``n`` uniforms.

    The R twin returns the same permutation of 1..n.
    """
    return np.argsort(rng_uniform(n, seed), kind="stable")

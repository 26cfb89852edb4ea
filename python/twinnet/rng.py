"""The two random streams (docs/contract.md sections 2 and 23; twin of ``R/rng.R``).

``stream="portable"`` (the default, section 2): R's Mersenne-Twister as
seeded by ``set.seed(seed)``, uniforms as ``runif`` and Box-Muller normals as
``rnorm`` with ``normal.kind = "Box-Muller"``, reproduced bit for bit with
numpy's MT19937 bit generator. Only the seeding scramble (675 steps of a
32-bit LCG) runs in Python; the draws come from numpy, and
``log``/``cos``/``sin`` from the C library through :mod:`math`.

``stream="numpy"`` (section 23): numpy's legacy generator, what
``np.random.seed(seed)`` followed by ``np.random.rand``, ``np.random.randn``
and ``np.random.permutation`` give -- the course's random numbers. Here it is
numpy's own ``RandomState`` (a private instance: the caller's global
``np.random`` state is not touched); the R twin re-implements it. The
functions :func:`numpy_seed`, :func:`numpy_randn`, :func:`numpy_rand` and
:func:`numpy_permutation` take and return the generator's state, so that
several draws can follow each other from one seeded stream as in the course.
"""

import math
import numbers

import numpy as np

from .limits import DOUBLE, check_memory, draws_need
from .validate import _is_whole, _number_text, check_choice, check_count, check_seed, describe, input_error

#: The names of the random streams (contract sections 2 and 23).
STREAMS = ("portable", "numpy")

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


def rng_sample(seed, n_uniform=0, n_normal=0, stream="portable"):
    """Seed the stream, draw ``n_uniform`` uniforms, then ``n_normal`` normals.

    Parameters
    ----------
    seed : int
        0 .. 2^31 - 1, as R's ``set.seed``.
    n_uniform, n_normal : int, default 0
        How many of each to draw, uniforms first.
    stream : {"portable", "numpy"}, default "portable"
        ``"portable"``: R's stream (contract section 2); ``"numpy"``: numpy's
        legacy generator (section 23).

    Returns
    -------
    (uniform, normal) : tuple of 1-D float64 arrays
        ``"portable"``: bit-identical to ``set.seed(seed, kind =
        "Mersenne-Twister", normal.kind = "Box-Muller"); list(runif(n_uniform),
        rnorm(n_normal))``. ``"numpy"``: to ``np.random.seed(seed);
        (np.random.rand(n_uniform), np.random.randn(n_normal))``.
    """
    seed = check_seed(seed)
    n_uniform = check_count(n_uniform, "n_uniform", minimum=0)
    n_normal = check_count(n_normal, "n_normal", minimum=0)
    check_memory(draws_need(n_uniform, 0), "n_uniform", f"{n_uniform} uniforms")
    check_memory(draws_need(n_uniform, n_normal), "n_normal", f"{n_normal} normals after {n_uniform} uniforms")
    if check_choice(stream, STREAMS, "stream") == "numpy":
        state = numpy_seed(seed)
        uniform, state = _numpy_draw(state, "rand", n_uniform)
        normal, _ = _numpy_draw(state, "randn", n_normal)
        return uniform, normal
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


def rng_uniform(n, seed, stream="portable"):
    """``n`` uniforms from the stream seeded with ``seed`` (R: ``runif(n)``; numpy: ``rand(n)``)."""
    return rng_sample(seed, n_uniform=n, stream=stream)[0]


def rng_normal(n, seed, stream="portable"):
    """``n`` normals from the stream seeded with ``seed`` (R: ``rnorm(n)``; numpy: ``randn(n)``)."""
    return rng_sample(seed, n_normal=n, stream=stream)[1]


def rng_permutation(n, seed, stream="portable"):
    """A seeded permutation of 0..n-1 (the R twin returns the same permutation of 1..n).

    ``"portable"``: the stable ascending order of ``n`` uniforms (contract
    section 2). ``"numpy"``: ``np.random.seed(seed); np.random.permutation(n)``
    (section 23).
    """
    if check_choice(stream, STREAMS, "stream") == "numpy":
        n = check_count(n, "n", minimum=0)
        return numpy_permutation(numpy_seed(check_seed(seed)), n)[0]
    if _is_whole(n):
        check_memory(DOUBLE * 3.0 * float(n), "n", f"a permutation of {_number_text(n)}")
    return np.argsort(rng_uniform(n, seed), kind="stable")


# ------------------------------------------------- numpy's legacy generator

def numpy_seed(seed):
    """The state of numpy's legacy generator after ``np.random.seed(seed)``.

    Parameters
    ----------
    seed : int
        0 .. 2^31 - 1 (twinnet's seed range; numpy itself takes up to 2^32 - 1).

    Returns
    -------
    dict
        ``key`` (624 uint32 words of MT19937, seeded by ``init_genrand``),
        ``pos`` (624: the next draw regenerates the block), ``has_gauss`` (0)
        and ``gauss`` (0.0): numpy's ``get_state()`` without its name. The R
        twin returns the same values as a list (``key`` as doubles).
    """
    seed = check_seed(seed)
    return _state_of(np.random.RandomState(seed))


def numpy_randn(state, size):
    """Standard normals from ``state``, as ``np.random.randn(*size)``.

    Parameters
    ----------
    state : dict
        From :func:`numpy_seed` or a previous draw.
    size : int or (int, int)
        A count (a 1-D array) or ``(rows, columns)`` (a matrix filled row by
        row, as numpy fills it).

    Returns
    -------
    (values, state)
        The draws and the state after them (with the cached second normal of
        the polar method, so that the next call continues the stream exactly).
    """
    return _numpy_draw(state, "randn", size)


def numpy_rand(state, size):
    """Uniforms on [0, 1) from ``state``, as ``np.random.rand(*size)``: ``(values, state)``."""
    return _numpy_draw(state, "rand", size)


def numpy_permutation(state, n):
    """A permutation of 0..n-1 from ``state``, as ``np.random.permutation(n)``: ``(values, state)``.

    The R twin returns the same permutation of 1..n.
    """
    return _numpy_draw(state, "permutation", n)


def _check_numpy_state(state, arg="state"):
    """A state as numpy_seed() returns it; returned as numpy's legacy state tuple."""
    expected = "a numpy stream state from numpy_seed() (key, pos, has_gauss, gauss)"
    if not isinstance(state, dict):
        raise input_error(arg, expected, describe(state), TypeError)
    if sorted(state) != ["gauss", "has_gauss", "key", "pos"]:
        raise input_error(arg, expected, "keys " + ", ".join(sorted(map(str, state))))
    key = np.asarray(state["key"])
    if (key.shape != (624,) or key.dtype.kind not in "iuf" or not np.all(np.isfinite(key))
            or np.any(key != np.floor(key)) or np.any(key < 0) or np.any(key > 0xFFFFFFFF)):
        raise input_error(arg, expected, "a key that is not 624 whole numbers in 0..4294967295")
    pos, has_gauss, gauss = state["pos"], state["has_gauss"], state["gauss"]
    if not _whole_in(pos, 0, 624):
        raise input_error(arg, expected, f"pos = {describe(pos)}")
    if not _whole_in(has_gauss, 0, 1):
        raise input_error(arg, expected, f"has_gauss = {describe(has_gauss)}")
    if not isinstance(gauss, numbers.Real) or isinstance(gauss, (bool, np.bool_)) or not math.isfinite(gauss):
        raise input_error(arg, expected, f"gauss = {describe(gauss)}")
    return ("MT19937", key.astype(np.uint32), int(pos), int(has_gauss), float(gauss))


def _whole_in(v, lo, hi):
    return _is_whole(v) and lo <= v <= hi


def _check_size(size, what):
    """``size`` of a draw: a count, or (rows, columns) for randn/rand. Returns the numpy size."""
    arg, expected = ("n", "a whole number >= 0") if what == "permutation" else \
        ("size", "a whole number >= 0 or two of them (rows, columns)")
    if what != "permutation" and isinstance(size, (tuple, list)) and len(size) == 2 \
            and all(_whole_in(v, 0, 2**31 - 1) for v in size):
        size = (int(size[0]), int(size[1]))
        check_memory(draws_need(float(size[0]) * size[1], 0), arg, f"({size[0]}, {size[1]}) draws")
        return size
    if _whole_in(size, 0, 2**31 - 1):
        check_memory(draws_need(size, 0), arg, f"{int(size)} draws")
        return int(size)
    if _is_whole(size) and size > 2**31 - 1:
        raise input_error(arg, "a whole number <= 2147483647", _number_text(size))
    raise input_error(arg, expected, describe(size))


def _numpy_draw(state, what, size):
    """``(values, state)``: ``what`` in {"randn", "rand", "permutation"} drawn from ``state``."""
    legacy = _check_numpy_state(state)
    size = _check_size(size, what)
    rs = np.random.RandomState()
    rs.set_state(legacy)
    if what == "randn":
        values = rs.standard_normal(size)
    elif what == "rand":
        values = rs.random_sample(size)
    else:
        values = rs.permutation(size).astype(np.int64)
    return values, _state_of(rs)


def _state_of(rs):
    _, key, pos, has_gauss, gauss = rs.get_state(legacy=True)
    return {"key": np.array(key, dtype=np.uint32), "pos": int(pos), "has_gauss": int(has_gauss),
            "gauss": float(gauss)}


# ------------------------------------------- one stream, drawn from call after call

class _DrawStream:
    """Uniforms from one seeded stream, continuing from draw to draw (contract section 33).

    ``"portable"``: R's ``runif`` after ``set.seed(seed)``, one draw after the
    other as R's own generator would give them; ``"numpy"``: ``np.random.seed
    (seed)``, then ``np.random.rand`` after ``np.random.rand``. The dropout
    masks of a whole training run come from one such stream.
    """

    def __init__(self, seed, stream):
        if stream == "numpy":
            self._rs = np.random.RandomState(seed)
            self.uniform = self._rs.random_sample
        else:
            bitgen = np.random.MT19937(0)
            bitgen.state = {"bit_generator": "MT19937", "state": {"key": _mt_state(seed), "pos": 624}}
            self.uniform = lambda n: _uniforms(bitgen, n)

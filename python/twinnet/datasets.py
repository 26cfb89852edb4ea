"""The built-in circles and moons data sets (contract sections 11, 23 and 37; twin of ``R/datasets.R``)."""

import math

import numpy as np

from .limits import check_memory, circles_need
from .rng import STREAMS, _libm, numpy_permutation, numpy_randn, numpy_seed, rng_sample
from .validate import check_choice, check_count, check_fraction, check_nonnegative, check_seed


def make_circles(n_samples=1000, noise=0.05, factor=0.8, seed=1, stream="portable"):
    """Two noisy concentric rings, as scikit-learn's ``make_circles``, from a seeded stream.

    Parameters
    ----------
    n_samples : int, default 1000
        Number of points, at least 2; half (rounded down) on the outer ring (label 0).
    noise : float, default 0.05
        Standard deviation of the Gaussian noise added to each coordinate (>= 0).
    factor : float, default 0.8
        Radius of the inner ring (label 1), in (0, 1).
    seed : int, default 1
    stream : {"portable", "numpy"}, default "portable"
        The stream of the shuffle and the noise (contract sections 2 and 23).

    Returns
    -------
    (X, Y)
        ``X`` of shape (2, n_samples), ``Y`` of shape (1, n_samples);
        bit-identical to the R twin.
    """
    n = check_count(n_samples, "n_samples", minimum=2)
    check_memory(circles_need(n), "n_samples", f"{n} points")
    noise = check_nonnegative(noise, "noise")
    factor = check_fraction(factor, "factor")
    seed = check_seed(seed)
    check_choice(stream, STREAMS, "stream")
    n_out = n // 2
    n_in = n - n_out
    t_out = 2.0 * math.pi * np.arange(n_out, dtype=np.float64) / n_out
    t_in = 2.0 * math.pi * np.arange(n_in, dtype=np.float64) / n_in
    base = np.empty((2, n))
    base[0, :n_out] = _libm(math.cos, t_out)
    base[1, :n_out] = _libm(math.sin, t_out)
    base[0, n_out:] = factor * _libm(math.cos, t_in)
    base[1, n_out:] = factor * _libm(math.sin, t_in)
    labels = np.concatenate([np.zeros(n_out), np.ones(n_in)])
    uniform, normal = rng_sample(seed, n, 2 * n, stream)
    perm = np.argsort(uniform, kind="stable")
    X = base[:, perm] + noise * normal.reshape(2, n)
    return X, labels[perm].reshape(1, n)


def _linspace_pi(k):
    """numpy's ``linspace(0, pi, k)``: ``i * (pi / (k - 1))``, the last one pi itself."""
    if k == 1:
        return np.zeros(1)
    t = np.arange(k, dtype=np.float64) * (math.pi / (k - 1))
    t[-1] = math.pi
    return t


def make_moons(n_samples=100, noise=0.0, seed=1, stream="portable"):
    """Two interleaving half circles, as scikit-learn's ``make_moons``, from a seeded stream.

    Parameters
    ----------
    n_samples : int, default 100
        Number of points, at least 2; half (rounded down) on the upper moon (label 0).
    noise : float, default 0.0
        Standard deviation of the Gaussian noise added to each coordinate (>= 0).
    seed : int, default 1
    stream : {"portable", "numpy"}, default "portable"
        The stream of the shuffle and the noise (contract section 37).
        ``"numpy"`` is scikit-learn's own recipe on numpy's legacy stream:
        ``np.random.seed(seed); sklearn.datasets.make_moons(n_samples,
        noise=noise)`` gives the same points (transposed), bit for bit, as
        long as numpy's ``cos`` and ``sin`` agree with the C library's.

    Returns
    -------
    (X, Y)
        ``X`` of shape (2, n_samples), ``Y`` of shape (1, n_samples);
        bit-identical to the R twin.
    """
    n = check_count(n_samples, "n_samples", minimum=2)
    noise = check_nonnegative(noise, "noise")
    seed = check_seed(seed)
    check_choice(stream, STREAMS, "stream")
    n_out = n // 2
    n_in = n - n_out
    t_out, t_in = _linspace_pi(n_out), _linspace_pi(n_in)
    base = np.empty((2, n))
    base[0, :n_out] = _libm(math.cos, t_out)
    base[1, :n_out] = _libm(math.sin, t_out)
    base[0, n_out:] = 1 - _libm(math.cos, t_in)
    base[1, n_out:] = 1 - _libm(math.sin, t_in) - 0.5
    labels = np.concatenate([np.zeros(n_out), np.ones(n_in)])
    if stream == "numpy":  # scikit-learn: shuffle(arange(n)), then normal(scale=noise, size=(n, 2))
        perm, state = numpy_permutation(numpy_seed(seed), n)
        normal, _ = numpy_randn(state, 2 * n)
    else:
        uniform, normal = rng_sample(seed, n, 2 * n)
        perm = np.argsort(uniform, kind="stable")
    X = base[:, perm] + noise * normal.reshape(n, 2).T
    return X, labels[perm].reshape(1, n)

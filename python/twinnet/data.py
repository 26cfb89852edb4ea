"""Real data sets: HDF5 loading, feature standardisation, the portable split.

Contract sections 14 and 15; twin of ``R/data.R``. ``X`` is ``n_x x m``: each
example (an image stored as ``(height, width, channel)``) is flattened in
numpy's C order, so pixel ``(h, w, c)`` of a ``H x W x 3`` image is row
``(h * W + w) * 3 + c`` (0-based) -- the same row in the R twin, which reads
the same file with hdf5r. ``X`` and ``Y`` are bit-identical in both languages.
"""

import math
import os
import sys
import tempfile

import numpy as np

from . import files
from .files import check_folder
from .limits import check_memory, dataset_need, split_need
from .rng import STREAMS, rng_permutation
from .validate import (
    check_choice,
    check_count,
    check_flag,
    check_fraction,
    check_matrix,
    check_positive_finite,
    check_seed,
    describe,
    input_error,
)

#: The two files of the cat / non-cat data set and their datasets.
CATVNONCAT_FILES = ("train_catvnoncat.h5", "test_catvnoncat.h5")


#: What a data file must be (the same words in R).
H5_EXPECTED = "an existing HDF5 file"


def _h5_dataset(f, key, arg):
    if not isinstance(key, str):
        raise input_error(arg, "the name of a dataset in the file", describe(key), TypeError)
    state = files.h5_link_state(f, key)
    if state != "dataset":
        listing = ", ".join(f'"{n}"' for n in files.h5_datasets(f))
        got = describe(key) + {"broken link": " (a broken link)", "group": " (a group)",
                               "other": " (not a dataset)"}.get(state, "")
        raise input_error(arg, f"the name of a dataset in the file (one of {listing})", got)
    return f[key]


def _read_xy(f, x_key, y_key, scale, labels=("x_key", "y_key")):
    """Examples and labels of one file (see :func:`load_h5_dataset`); X divided by ``scale``.

    ``labels`` name the two datasets in error messages: the arguments
    ``x_key``/``y_key`` for :func:`load_h5_dataset`, the dataset names for the
    loaders that know their keys.
    """
    xl, yl = labels
    dx = _h5_dataset(f, x_key, xl)
    dy = _h5_dataset(f, y_key, yl)
    if dx.dtype.kind not in "iuf" or dx.ndim < 1 or dx.shape[0] < 1:
        raise input_error(xl, "a numeric dataset with the examples along its first axis",
                          f"a dataset of type {dx.dtype} and shape {tuple(dx.shape)}")
    if dy.dtype.kind not in "iuf":
        raise input_error(yl, "a numeric dataset of 0/1 labels", f"a dataset of type {dy.dtype}")
    m = dx.shape[0]
    if dy.size != m:
        raise input_error(yl, f"{m} labels, one per example of `{xl}`", f"{dy.size} values")
    check_memory(dataset_need(dx.size), xl, f"a dataset of shape {tuple(int(d) for d in dx.shape)}")
    raw = dx[()].reshape(m, -1)
    X = np.empty((raw.shape[1], m), dtype=np.float64, order="F")
    X[...] = raw.T
    del raw
    finite = np.isfinite(X)
    if not finite.all():
        raise input_error(xl, "finite values (no NaN or Inf)",
                          f"{int(X.size - np.count_nonzero(finite))} non-finite value(s)")
    del finite
    if scale != 1.0:
        X /= scale
    Y = np.asarray(dy[()], dtype=np.float64).reshape(1, m)
    bad = ~np.isin(Y, (0.0, 1.0))
    if bad.any():
        raise input_error(yl, "labels 0 or 1 only",
                          f"{int(np.count_nonzero(bad))} other value(s), e.g. {float(Y[bad][0])!r}")
    return X, Y


def load_h5_dataset(path, x_key, y_key, scale=255.0):
    """Examples and labels from one HDF5 file, as ``(X, Y)``.

    Parameters
    ----------
    path : str or path-like
        An HDF5 file (h5py-written files such as ``train_catvnoncat.h5``).
    x_key : str
        Dataset with the examples along its first axis, e.g. ``"train_set_x"``
        of shape ``(m, 64, 64, 3)``.
    y_key : str
        Dataset with ``m`` labels, 0 or 1 (any shape holding ``m`` values).
    scale : float, default 255.0
        ``X`` is the stored values divided by ``scale`` (255 maps pixels to
        [0, 1]; 1 keeps the raw values).

    Returns
    -------
    (X, Y)
        ``X`` float64 of shape ``(n_x, m)``, example ``i`` being
        ``x[i].ravel()`` (C order); ``Y`` float64 of shape ``(1, m)``.
        Bit-identical to the R twin.
    """
    scale = check_positive_finite(scale, "scale")
    with files.open_h5(path, "path", H5_EXPECTED) as f:
        return _read_xy(f, x_key, y_key, scale)


def feature_stats(X):
    """Per-feature (row) mean and population standard deviation of ``X`` (contract section 14).

    With ``s1 = sum_j x_j`` and ``s2 = sum_j x_j^2`` over the ``m`` columns:
    ``mean = s1 / m`` and ``sd = sqrt(max(m * s2 - s1^2, 0) / m^2)``; a zero
    sd is replaced by 1 (a constant feature is then only centred). For
    integer-valued X (pixels 0..255 and m < 370,000) every sum is exact, so
    the result is bit-identical to the R twin.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)

    Returns
    -------
    (mean, sd) : two float64 arrays of shape ``(n_x, 1)``
    """
    X = check_matrix(X, "X")
    m = X.shape[1]
    s1 = X.sum(axis=1)
    s2 = np.einsum("ij,ij->i", X, X)
    num = np.maximum(m * s2 - s1 * s1, 0.0)
    sd = np.sqrt(num / (float(m) * float(m)))
    sd[sd == 0.0] = 1.0
    return (s1 / m).reshape(-1, 1), sd.reshape(-1, 1)


#: The five datasets of the cat / non-cat layout.
H5_KEYS = ("train_set_x", "train_set_y", "test_set_x", "test_set_y", "list_classes")


def _h5_missing_key(path, keys):
    """The first of ``keys`` that is not a dataset of the HDF5 file ``path`` (None if all are)."""
    with files.open_h5(path, "path", H5_EXPECTED) as f:
        for k in keys:
            if files.h5_link_state(f, k) != "dataset":
                return k
    return None


def _load_pair(train_path, test_path, standardize):
    """The five datasets of the cat / non-cat layout (their presence checked by the caller)."""
    scale = 1.0 if standardize else 255.0
    with files.open_h5(train_path, "path", H5_EXPECTED) as f:
        train_X, train_Y = _read_xy(f, H5_KEYS[0], H5_KEYS[1], scale, labels=H5_KEYS[:2])
        classes = [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in np.ravel(f[H5_KEYS[4]][()])]
    with files.open_h5(test_path, "path", H5_EXPECTED) as f:
        test_X, test_Y = _read_xy(f, H5_KEYS[2], H5_KEYS[3], scale, labels=H5_KEYS[2:4])
    if test_X.shape[0] != train_X.shape[0]:
        raise input_error(H5_KEYS[2], f"examples of n_x = {train_X.shape[0]} values, as in `{H5_KEYS[0]}`",
                          f"{test_X.shape[0]} values")
    if standardize:
        mean, sd = feature_stats(train_X)
        train_X -= mean
        train_X /= sd
        test_X -= mean
        test_X /= sd
    return train_X, train_Y, test_X, test_Y, classes


def load_catvnoncat(folder, standardize=False):
    """The cat / non-cat data set: ``train_catvnoncat.h5`` and ``test_catvnoncat.h5`` in ``folder``.

    Parameters
    ----------
    folder : str or path-like
        The folder holding both files.
    standardize : bool, default False
        False: pixels divided by 255 (the course's scaling). True: every
        feature centred and divided by the training set's mean and
        population sd (:func:`feature_stats` of the raw training pixels),
        applied unchanged to the test set.

    Returns
    -------
    (train_X, train_Y, test_X, test_Y, classes)
        ``train_X`` (12288, 209), ``train_Y`` (1, 209), ``test_X`` (12288, 50),
        ``test_Y`` (1, 50), float64; ``classes`` the list of class names
        (``["non-cat", "cat"]``: label i is ``classes[i]``). Bit-identical to
        the R twin.
    """
    expected = "an existing folder holding train_catvnoncat.h5 and test_catvnoncat.h5"
    folder = check_folder(folder, "folder", expected)
    standardize = check_flag(standardize, "standardize")
    paths = [os.path.join(folder, name) for name in CATVNONCAT_FILES]
    for p in paths:
        if files._path_kind(p)[0] == "missing":
            raise input_error("folder", expected, f"{folder!r}, without {os.path.basename(p)}")
        files.check_h5_file(p, "folder", expected)
    expected = ('train_catvnoncat.h5 with the datasets "train_set_x", "train_set_y", "list_classes" '
                'and test_catvnoncat.h5 with "test_set_x", "test_set_y"')
    for p, keys in ((paths[0], (H5_KEYS[0], H5_KEYS[1], H5_KEYS[4])), (paths[1], H5_KEYS[2:4])):
        missing = _h5_missing_key(p, keys)
        if missing is not None:
            raise input_error("folder", expected, f'no dataset "{missing}" in {os.path.basename(p)}')
    return _load_pair(paths[0], paths[1], standardize)


def load_image_set(path, standardize=False):
    """One HDF5 file in the cat / non-cat layout, as :func:`twinnet.images.convert_image_folder` writes it.

    Parameters
    ----------
    path : str or path-like
        An HDF5 file with the datasets ``train_set_x``, ``train_set_y``,
        ``test_set_x``, ``test_set_y`` and ``list_classes``.
    standardize : bool, default False
        As in :func:`load_catvnoncat`.

    Returns
    -------
    (train_X, train_Y, test_X, test_Y, classes)
        As :func:`load_catvnoncat`; bit-identical to the R twin.
    """
    standardize = check_flag(standardize, "standardize")
    path = files.check_h5_file(path, "path", H5_EXPECTED)
    missing = _h5_missing_key(path, H5_KEYS)
    if missing is not None:
        raise input_error("path", 'an HDF5 file with the datasets "train_set_x", "train_set_y", '
                          '"test_set_x", "test_set_y", "list_classes"', f'no dataset "{missing}"')
    return _load_pair(path, path, standardize)


def _split_sizes(m, test_fraction):
    """``(n_train, n_test)``: ``n_test = floor(m * test_fraction + 0.5)`` kept within 1 .. m - 1."""
    n_test = int(math.floor(m * test_fraction + 0.5))
    n_test = min(max(n_test, 1), m - 1)
    return m - n_test, n_test


def train_test_split_indices(m, test_fraction=0.15, seed=1, stream="portable"):
    """A portable seeded split of ``m`` examples (contract section 15).

    ``perm = rng_permutation(m, seed, stream)``; ``n_test = floor(m *
    test_fraction + 0.5)`` kept within 1 .. m - 1; the training set is the
    first ``m - n_test`` entries of ``perm``, the test set the rest, both in
    that (shuffled) order. The R twin returns the same indices plus one.
    ``stream="numpy"`` shuffles as ``np.random.seed(seed);
    np.random.permutation(m)`` (contract section 23).

    Returns
    -------
    (train, test) : two int64 arrays of 0-based column indices
    """
    m = check_count(m, "m", minimum=2)
    check_memory(split_need(m), "m", f"{m} examples")
    test_fraction = check_fraction(test_fraction)
    seed = check_seed(seed)
    check_choice(stream, STREAMS, "stream")
    n_train, _ = _split_sizes(m, test_fraction)
    perm = rng_permutation(m, seed, stream).astype(np.int64)
    return perm[:n_train], perm[n_train:]


#: What ``load_dataset`` takes (the command lines' ``--data``).
DATASET_EXPECTED = '"circles", a cat/non-cat folder, an HDF5 file in that layout or an image folder'


def load_dataset(spec, n_samples=1000, seed=1, size=64, verbose=False):
    """The training and test data named by ``spec``, as the command lines' ``--data`` takes it.

    Parameters
    ----------
    spec : str or path-like
        ``"circles"``: :func:`~twinnet.make_circles` of ``n_samples`` points
        (seed ``seed``) for training and ``n_samples // 2`` (seed ``seed + 1``)
        for testing. A folder holding ``train_catvnoncat.h5`` and
        ``test_catvnoncat.h5``: :func:`load_catvnoncat`. An HDF5 file:
        :func:`load_image_set`. A folder with one subfolder of images per
        class: :func:`~twinnet.convert_image_folder` (``size``, and
        ``reduce_jpeg=False``, so that both languages get the same pixels)
        into a temporary file, then :func:`load_image_set`; the temporary
        file is removed.
    n_samples : int, default 1000
        Circles only.
    seed : int, default 1
        Circles only.
    size : int, default 64
        Image folders only: the side of the square images.
    verbose : bool, default False
        Image folders only: the converter's progress (stderr) and report (stdout).

    Returns
    -------
    (train_X, train_Y, test_X, test_Y, classes)
        As :func:`load_catvnoncat`; ``classes`` is None for circles.
        Bit-identical to the R twin.
    """
    if isinstance(spec, str) and spec == "circles":
        from .datasets import make_circles
        train_X, train_Y = make_circles(n_samples, seed=seed)
        test_X, test_Y = make_circles(train_X.shape[1] // 2, seed=seed + 1)
        return train_X, train_Y, test_X, test_Y, None
    if isinstance(spec, (str, os.PathLike)) and os.fspath(spec) \
            and files._path_kind(os.fspath(spec))[0] not in ("folder", "missing"):
        return load_image_set(spec)  # a file, or what is there instead of one: refused there, in words
    folder = check_folder(spec, "spec", DATASET_EXPECTED)
    if all(files._path_kind(os.path.join(folder, name))[0] not in ("missing", "folder") for name in CATVNONCAT_FILES):
        return load_catvnoncat(folder)
    try:
        entries = os.listdir(folder)
    except OSError as exc:
        raise files.os_fault("spec", DATASET_EXPECTED, folder, exc) from None
    if not any(os.path.isdir(os.path.join(folder, e)) for e in entries):
        raise input_error("spec", DATASET_EXPECTED, f"'{folder}', a folder with neither "
                          f"{' nor '.join(CATVNONCAT_FILES)} nor subfolders")
    from .images import convert_image_folder
    size = check_count(size, "size")
    verbose = check_flag(verbose, "verbose")
    with tempfile.TemporaryDirectory(prefix="twinnet-") as work:
        dest = os.path.join(work, "images.h5")
        if verbose:
            print(f"converting the image folder {folder} to {size}x{size} pixels ...", file=sys.stderr, flush=True)
        convert_image_folder(folder, dest, size=size, reduce_jpeg=False, verbose=verbose)
        return load_image_set(dest)

"""HDF5 loading, standardisation and the portable split (contract sections 14 and 15), both languages.

The cat/non-cat experiment over seeds 1-10 (two architectures) runs in Python only
and is marked slow: about 4 minutes on 2 cores.
"""

import math
import time
from fractions import Fraction

import h5py
import numpy as np
import pytest
from helpers import assert_identical, refuse_both, require_data

import twinnet
from twinnet.data import feature_stats, load_catvnoncat, load_h5_dataset, train_test_split_indices




# -- a small file written by h5py ----------------------------------------------------

@pytest.fixture()
def small_h5(tmp_path):
    """x[i, h, w, c] = 100*i + 10*h + 3*w + c for 3 examples of 2 x 2 x 3; y = 0, 1, 1."""
    i, h, w, c = np.meshgrid(np.arange(3), np.arange(2), np.arange(2), np.arange(3), indexing="ij")
    x = (100 * i + 10 * h + 3 * w + c).astype(np.uint16)
    path = tmp_path / "small.h5"
    with h5py.File(path, "w") as f:
        f["x"] = x
        f["y"] = np.array([0, 1, 1], dtype=np.int64)
        f["y_row"] = np.array([[0, 1, 1]], dtype=np.int64)
        f["y_short"] = np.array([0, 1], dtype=np.int64)
        f["y_bad"] = np.array([0, 2, 1], dtype=np.int64)
        f["names"] = np.array([b"a", b"b"])
    return path


def test_pixel_order_by_hand(small_h5):
    X, Y = load_h5_dataset(str(small_h5), "x", "y", scale=1)
    assert X.shape == (12, 3) and Y.shape == (1, 3)
    # row (h*W + w)*3 + c of column i holds 100*i + 10*h + 3*w + c
    for i in range(3):
        for h in range(2):
            for w in range(2):
                for c in range(3):
                    assert X[(h * 2 + w) * 3 + c, i] == 100 * i + 10 * h + 3 * w + c
    assert Y.tolist() == [[0.0, 1.0, 1.0]]
    X255, _ = load_h5_dataset(str(small_h5), "x", "y_row")
    assert X255[5, 2] == (200 + 0 + 3 + 2) / 255  # one IEEE division
    assert X255.dtype == np.float64


def test_small_file_r_identical(r, small_h5):
    for scale in (255, 1, 7.5):
        X, Y = load_h5_dataset(str(small_h5), "x", "y", scale=scale)
        out = r.load_h5_dataset(str(small_h5), "x", "y", scale=scale)
        assert_identical("X", X, out["X"])
        assert_identical("Y", Y, out["Y"])


def test_h5_bad_input_both(r, small_h5, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not HDF5\n")
    p = str(small_h5)
    listing = '"names", "x", "y", "y_bad", "y_row", "y_short"'
    refuse_both(r, twinnet.data, "load_h5_dataset", (str(tmp_path / "missing.h5"), "x", "y"), {}, "path", "an existing HDF5 file")
    refuse_both(r, twinnet.data, "load_h5_dataset", (str(text), "x", "y"), {}, "path", "an existing HDF5 file")
    refuse_both(r, twinnet.data, "load_h5_dataset", (p, "train_set_x", "y"), {}, "x_key",
                f"the name of a dataset in the file (one of {listing})")
    refuse_both(r, twinnet.data, "load_h5_dataset", (p, "x", "labels"), {}, "y_key",
                f"the name of a dataset in the file (one of {listing})")
    refuse_both(r, twinnet.data, "load_h5_dataset", (p, "x", "y_short"), {}, "y_key", "3 labels, one per example of `x_key`")
    refuse_both(r, twinnet.data, "load_h5_dataset", (p, "x", "y_bad"), {}, "y_key", "labels 0 or 1 only")
    refuse_both(r, twinnet.data, "load_h5_dataset", (p, "names", "y"), {}, "x_key",
                "a numeric dataset with the examples along its first axis")
    refuse_both(r, twinnet.data, "load_h5_dataset", (p, "x", "y"), {"scale": 0.0}, "scale", "a positive finite number")


def test_image_set_bad_input_both(r, small_h5, tmp_path):
    refuse_both(r, twinnet.data, "load_image_set", (str(small_h5),), {}, "path",
                'an HDF5 file with the datasets "train_set_x", "train_set_y", "test_set_x", "test_set_y", '
                '"list_classes"')
    refuse_both(r, twinnet.data, "load_catvnoncat", (str(tmp_path / "nowhere"),), {}, "folder",
                "an existing folder holding train_catvnoncat.h5 and test_catvnoncat.h5")
    (tmp_path / "half").mkdir()
    with h5py.File(tmp_path / "half" / "train_catvnoncat.h5", "w") as f:
        f["train_set_x"] = np.zeros((2, 2, 2, 3), np.uint8)
        f["train_set_y"] = np.array([0, 1])
        f["list_classes"] = np.array([b"non-cat", b"cat"])
    refuse_both(r, twinnet.data, "load_catvnoncat", (str(tmp_path / "half"),), {}, "folder",
                "an existing folder holding train_catvnoncat.h5 and test_catvnoncat.h5")
    with h5py.File(tmp_path / "half" / "test_catvnoncat.h5", "w") as f:
        f["test_set_x"] = np.zeros((2, 2, 2, 3), np.uint8)
    refuse_both(r, twinnet.data, "load_catvnoncat", (str(tmp_path / "half"),), {}, "folder",
                'train_catvnoncat.h5 with the datasets "train_set_x", "train_set_y", "list_classes" '
                'and test_catvnoncat.h5 with "test_set_x", "test_set_y"')
    with h5py.File(tmp_path / "half" / "test_catvnoncat.h5", "a") as f:
        f["test_set_y"] = np.array([0, 1, 1])
    refuse_both(r, twinnet.data, "load_catvnoncat", (str(tmp_path / "half"),), {}, "test_set_y",
                "2 labels, one per example of `test_set_x`")
    refuse_both(r, twinnet.data, "load_catvnoncat", (str(tmp_path / "half"),), {"standardize": "yes"}, "standardize",
                "TRUE/True or FALSE/False")


# -- feature statistics ----------------------------------------------------------------

def test_feature_stats_by_hand():
    X = np.array([[0.0, 255.0, 0.0, 255.0],   # mean 127.5, population sd 127.5
                  [10.0, 10.0, 10.0, 10.0],    # constant: sd 0 -> 1
                  [1.0, 2.0, 3.0, 4.0]])       # mean 2.5, variance (2.25+0.25+0.25+2.25)/4 = 1.25
    mean, sd = feature_stats(X)
    assert mean.shape == (3, 1) and sd.shape == (3, 1)
    assert mean.ravel().tolist() == [127.5, 10.0, 2.5]
    assert sd.ravel().tolist() == [127.5, 1.0, math.sqrt(1.25)]


def test_feature_stats_r_identical(r):
    rng = np.random.default_rng(3)
    X = rng.integers(0, 256, (50, 97)).astype(np.float64)
    X[7] = 42.0
    mean, sd = feature_stats(X)
    out = r.feature_stats(X)
    assert_identical("mean", mean, out["mean"])
    assert_identical("sd", sd, out["sd"])
    assert sd[7, 0] == 1.0


# -- the split ---------------------------------------------------------------------------

def test_split_rule_by_hand():
    for m, f, n_test in ((2000, 0.15, 300), (25000, 0.15, 3750), (10, 0.3, 3), (7, 0.5, 4), (2, 0.15, 1),
                         (5, 0.99, 4), (209, 0.15, 31)):
        train, test = train_test_split_indices(m, f, seed=5)
        assert (train.size, test.size) == (m - n_test, n_test), (m, f)
        perm = twinnet.rng_permutation(m, 5)
        assert train.tolist() + test.tolist() == perm.tolist()
        assert train.dtype == np.int64


def test_split_r_identical(r):
    for m, f, seed in ((10, 0.3, 1), (2000, 0.15, 1), (3, 0.5, 99), (1001, 0.2, 2**31 - 1)):
        train, test = train_test_split_indices(m, f, seed)
        out = r.train_test_split_indices(m, f, seed)
        assert_identical("train", train + 1, np.atleast_1d(out["train"]))
        assert_identical("test", test + 1, np.atleast_1d(out["test"]))


def test_split_bad_input_both(r):
    refuse_both(r, twinnet.data, "train_test_split_indices", (1,), {}, "m", "a whole number >= 2")
    refuse_both(r, twinnet.data, "train_test_split_indices", (10,), {"test_fraction": 0.0}, "test_fraction", "a number in (0, 1)")
    refuse_both(r, twinnet.data, "train_test_split_indices", (10,), {"test_fraction": 1.0}, "test_fraction", "a number in (0, 1)")
    refuse_both(r, twinnet.data, "train_test_split_indices", (10,), {"seed": -1}, "seed", "a whole number in 0..2147483647")


# -- the real cat / non-cat files -------------------------------------------------------------

@pytest.fixture(scope="module")
def catvnoncat():
    return require_data("catvnoncat")


@pytest.mark.realdata
def test_catvnoncat_layout(catvnoncat):
    train_X, train_Y, test_X, test_Y, classes = load_catvnoncat(catvnoncat)
    assert train_X.shape == (12288, 209) and train_Y.shape == (1, 209)
    assert test_X.shape == (12288, 50) and test_Y.shape == (1, 50)
    assert classes == ["non-cat", "cat"]
    with h5py.File(catvnoncat / "train_catvnoncat.h5", "r") as f:
        raw = f["train_set_x"][()]
        y = f["train_set_y"][()]
    rng = np.random.default_rng(0)
    for _ in range(200):
        i, h, w, c = rng.integers(209), rng.integers(64), rng.integers(64), rng.integers(3)
        assert train_X[(h * 64 + w) * 3 + c, i] == raw[i, h, w, c] / 255.0
    assert np.array_equal(train_Y[0], y.astype(float))
    assert 0.0 <= train_X.min() and train_X.max() <= 1.0


@pytest.mark.realdata
def test_catvnoncat_standardized(catvnoncat):
    train_X, _, test_X, _, _ = load_catvnoncat(catvnoncat, standardize=True)
    raw_train, _, raw_test, _, _ = load_catvnoncat(catvnoncat)
    raw_train, raw_test = np.rint(raw_train * 255.0), np.rint(raw_test * 255.0)
    assert np.max(np.abs(train_X.mean(axis=1))) < 1e-12
    assert np.allclose(train_X.std(axis=1), 1.0, atol=1e-12)  # population sd, no constant pixel here
    # the test set uses the training statistics, not its own
    mean, sd = raw_train.mean(axis=1, keepdims=True), raw_train.std(axis=1, keepdims=True)
    assert np.allclose(test_X, (raw_test - mean) / sd, rtol=0, atol=1e-10)
    assert np.max(np.abs(test_X.mean(axis=1))) > 0.05


@pytest.mark.realdata
@pytest.mark.parametrize("standardize", [False, True])
def test_catvnoncat_bit_identical_in_r(r, catvnoncat, standardize):
    py = load_catvnoncat(str(catvnoncat), standardize=standardize)
    out = r.load_catvnoncat(str(catvnoncat), standardize=standardize)
    for k, v in zip(("train_X", "train_Y", "test_X", "test_Y"), py[:4]):
        assert_identical(k, v, out[k])
    assert list(out["classes"]) == py[4]


# -- the cat/non-cat experiment over seeds 1-10 (Python only; slow) ---------------------------------

CAT_RUNS = {
    "4-layer xavier": ([12288, 20, 7, 5, 1], "xavier"),
    "2-layer scaled": ([12288, 7, 1], "scaled"),
}


@pytest.mark.slow
@pytest.mark.realdata
@pytest.mark.parametrize("name", list(CAT_RUNS))
def test_catvnoncat_experiment_seeds_1_to_10(catvnoncat, name):
    """Train accuracy >= 0.95 for every seed, mean test accuracy >= 0.70 (shared/data/README.md).

    Accuracies are compared as exact fractions of correct predictions: the
    2-layer model's mean sits right at 0.70, where a float mean of ten
    ratios could land one ulp on either side.
    """
    dims, scheme = CAT_RUNS[name]
    train_X, train_Y, test_X, test_Y, _ = load_catvnoncat(catvnoncat)
    start = time.time()
    train_right, test_right = [], []
    for seed in range(1, 11):
        params, costs = twinnet.L_layer_model(train_X, train_Y, dims, learning_rate=0.0075, num_iterations=2500,
                                              seed=seed, hidden_activation="relu", scheme=scheme)
        assert costs["cost"].iloc[-1] < costs["cost"].iloc[0]
        train_right.append(int(np.sum(twinnet.predict_class(train_X, params) == train_Y)))
        test_right.append(int(np.sum(twinnet.predict_class(test_X, params) == test_Y)))
    m_train, m_test = train_Y.shape[1], test_Y.shape[1]
    print(f"{name}: train {[r / m_train for r in train_right]}, test {[r / m_test for r in test_right]}, "
          f"mean test {sum(test_right) / (10 * m_test):.3f}, {time.time() - start:.0f} s")
    assert all(Fraction(r, m_train) >= Fraction(95, 100) for r in train_right), train_right
    assert Fraction(sum(test_right), 10 * m_test) >= Fraction(70, 100), test_right

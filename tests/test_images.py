"""Image files (contract sections 16 to 18): the rules, the exact resize, the converter, predict_image.

Python against hand-worked values and a brute-force resize, and against the
R twin through rpy2: same report, same HDF5 datasets, same pixels, same
predictions. The Dogs vs Cats sample (../shared/data/petimages-2000) is
converted once per session (32x32 and 64x64; the timings are printed with -s).
"""

import json
import os
import time
from fractions import Fraction
from pathlib import Path

import h5py
import numpy as np
import pytest
from helpers import STEP_TOL, assert_close, assert_identical, expected_part, once, refuse_both, require_data
from imagecorpus import make_corpus, raw_png, smooth_rgb
from PIL import Image

import twinnet
from twinnet import images
from twinnet.data import load_image_set, train_test_split_indices
from twinnet.images import convert_image_folder, load_image, predict_image, resize_area
from twinnet.rbridge import RError

LOAD_EXPECTED = "a readable JPEG or PNG image (RGB, grayscale or palette; see docs/contract.md section 16)"




def brute_resize(a, size):
    """The contract's area average with exact fractions, pixel by pixel (independent of the code)."""
    h, w = a.shape[:2]
    out = np.zeros((size, size, 3), dtype=np.int64)
    for i in range(size):
        wy = [max(0, min((i + 1) * h, (y + 1) * size) - max(i * h, y * size)) for y in range(h)]
        for j in range(size):
            wx = [max(0, min((j + 1) * w, (x + 1) * size) - max(j * w, x * size)) for x in range(w)]
            for c in range(3):
                num = sum(wy[y] * wx[x] * int(a[y, x, c]) for y in range(h) for x in range(w))
                out[i, j, c] = int(Fraction(num, h * w) + Fraction(1, 2))  # floor(avg + 1/2)
    return out


def file_list(root):
    """Files of Cat/ then Dog/ in code-point order, as "Class/name" (nested folders left out)."""
    return [f"{c}/{n}" for c in ("Cat", "Dog") for n in sorted(os.listdir(root / c)) if (root / c / n).is_file()]


def assert_same_pictures(a, b):
    """Reduced-size JPEG decoding (a) against full decoding (b): another filter, the same pictures.

    The DCT-scaled decode averages 2x2 .. 8x8 blocks before the area average,
    so single pixels at sharp edges can differ by tens of levels; what must
    hold is no bias, small differences against the pictures' own contrast, and
    every picture strongly correlated with its full decode.
    """
    a = a.reshape(a.shape[0], -1).astype(float)
    b = b.reshape(b.shape[0], -1).astype(float)
    contrast = np.abs(b - b.mean(axis=1, keepdims=True)).mean()
    assert abs((a - b).mean()) < 0.5
    assert np.abs(a - b).mean() < 0.1 * contrast, (np.abs(a - b).mean(), contrast)
    for i in np.flatnonzero(b.std(axis=1) > 0):
        assert np.corrcoef(a[i], b[i])[0, 1] > 0.95, i


def comparable(report):
    """A JSON report without what differs legitimately between two runs (paths, reduce_jpeg)."""
    return {k: v for k, v in report.items() if k not in ("src", "dest", "report", "reduce_jpeg")}


# -- the resize ------------------------------------------------------------------------------

def test_resize_by_hand():
    checker = np.array([[0, 255], [255, 0]])
    assert resize_area(np.dstack([checker] * 3), 1).tolist() == [[[128, 128, 128]]]  # 127.5 rounds up
    # 3 x 3 -> 2 x 2: cell 0 takes all of pixel 0 and half of pixel 1 (weights 2, 1 of 3 per axis)
    p = np.array([[0, 30, 60], [90, 120, 150], [180, 210, 240]])
    out = resize_area(np.dstack([p, p + 1, 255 - p]), 2)
    assert out[:, :, 0].tolist() == [[40, 80], [160, 200]]  # e.g. (4*0 + 2*30 + 2*90 + 1*120) / 9 = 40
    assert out[:, :, 1].tolist() == [[41, 81], [161, 201]]
    assert out[:, :, 2].tolist() == [[215, 175], [95, 55]]
    assert out.dtype == np.uint8
    one = np.array([[[10, 20, 30]]])
    assert resize_area(one, 3).tolist() == [[[10, 20, 30]] * 3] * 3  # upscaling a single pixel
    rng = np.random.default_rng(1)
    column = np.repeat(rng.integers(0, 256, (7, 1, 3)), 5, axis=1)  # 7 x 5, constant along each row
    assert np.array_equal(resize_area(column, 7), np.repeat(column[:, :1], 7, axis=1))  # stretched, not cropped
    square = rng.integers(0, 256, (6, 6, 3))
    assert np.array_equal(resize_area(square, 6), square)  # same size: unchanged


def test_resize_against_brute_force():
    rng = np.random.default_rng(2)
    for h, w, size in ((7, 5, 4), (3, 9, 5), (10, 3, 7), (2, 17, 16), (13, 13, 13), (12, 8, 3), (1, 6, 2)):
        a = rng.integers(0, 256, (h, w, 3))
        assert_identical(f"resize {h}x{w} -> {size}", brute_resize(a, size), resize_area(a, size))


def test_resize_r_identical(r):
    rng = np.random.default_rng(3)
    for h, w, size in ((180, 180, 32), (37, 51, 64), (5, 3, 8), (64, 64, 64), (500, 375, 32), (1, 1, 4)):
        a = rng.integers(0, 256, (h, w, 3))
        assert_identical(f"R resize {h}x{w} -> {size}", resize_area(a, size), r.resize_area(a, size))


def test_resize_bad_input_both(r):
    exp = "an array of shape (height, width, 3) of whole numbers 0..255"
    refuse_both(r, images, "resize_area", (np.zeros((4, 4)), 2), {}, "pixels", exp)
    refuse_both(r, images, "resize_area", (np.full((4, 4, 3), 256), 2), {}, "pixels", exp)
    refuse_both(r, images, "resize_area", (np.full((4, 4, 3), 0.5), 2), {}, "pixels", exp)
    refuse_both(r, images, "resize_area", (np.zeros((4, 4, 3)), 0), {}, "size", "a whole number >= 1")


# -- one file: conversions worked by hand, both languages ----------------------------------------

def test_conversions_by_hand(r, tmp_path):
    rgba = np.zeros((8, 8, 4), np.uint8)
    rgba[...] = (100, 200, 0, 128)
    Image.fromarray(rgba, "RGBA").save(tmp_path / "rgba.png")
    gray16 = np.full((8, 8), 0xABCD)
    (tmp_path / "gray16.png").write_bytes(raw_png(gray16, 0, 16))
    Image.fromarray(np.full((9, 8), 77, np.uint8)).save(tmp_path / "gray.png")
    pal = Image.new("P", (8, 8), 1)
    pal.putpalette([0, 0, 0, 12, 34, 56] + [0] * 762)
    pal.save(tmp_path / "pal.png")
    cases = {
        # over white: (c*a + 255*(255 - a) + 127) div 255
        "rgba.png": (177, 227, 127),   # 100*128/255 + 127 = 177.2; 200*128/255 + 127 = 227.4; 0 + 127 = 127
        "gray16.png": (0xAB, 0xAB, 0xAB),  # the high byte of 0xABCD
        "gray.png": (77, 77, 77),
        "pal.png": (12, 34, 56),
    }
    for name, rgb in cases.items():
        py = load_image(str(tmp_path / name), size=8)
        assert py.shape == (8, 8, 3) and py.dtype == np.uint8
        assert (py == np.array(rgb, np.uint8)).all(), (name, py[0, 0])
        assert_identical(f"R {name}", py, r.load_image(str(tmp_path / name), size=8))


# -- the bad-file corpus --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    src = root / "src"
    dropped, kept = make_corpus(src)
    out = {}
    for name, reduce in (("full", False), ("reduced", True)):
        dest = root / f"{name}.h5"
        out[name] = (dest, convert_image_folder(str(src), str(dest), size=16, reduce_jpeg=reduce, verbose=False))
    return src, dropped, kept, out


@pytest.fixture(scope="module")
def corpus_r(corpus, r, tmp_path_factory):
    """R's conversion of the same corpus: (dest, report)."""
    src = corpus[0]
    dest_r = tmp_path_factory.mktemp("corpus-r") / "r.h5"
    return dest_r, r.convert_image_folder(str(src), str(dest_r), size=16, verbose=False)


def test_corpus_reasons(corpus):
    src, dropped, kept, out = corpus
    dest, report = out["full"]
    got = {f: reason for reason, files in report["dropped_files"].items() for f in files}
    assert got == dropped
    conv = {}
    for kind, files in report["converted_files"].items():
        for f in files:
            conv.setdefault(f, []).append(kind)
    assert {f: sorted(v) for f, v in conv.items()} == {f: v for f, v in kept.items() if v}
    assert report["files"] == len(dropped) + len(kept)  # nested/ignored.jpg is not read
    assert report["kept"] == len(kept) == report["n_train"] + report["n_test"]
    assert report["kept_per_class"] == {"Cat": sum(f.startswith("Cat/") for f in kept),
                                        "Dog": sum(f.startswith("Dog/") for f in kept)}
    assert report["dropped"] == {reason: sum(v == reason for v in dropped.values()) for reason in images.DROP_REASONS}
    assert report["classes"] == ["Cat", "Dog"]
    on_disk = json.loads((dest.parent / (dest.name + ".report.json")).read_text())
    assert on_disk == json.loads(json.dumps(report))


def test_corpus_output_layout(corpus):
    src, dropped, kept, out = corpus
    dest, report = out["full"]
    names = [f for f in file_list(src) if f not in dropped]
    m = len(names)
    train, test = train_test_split_indices(m, 0.15, 1)
    with h5py.File(dest, "r") as f:
        assert f["train_set_x"].dtype == np.uint8 and f["train_set_x"].shape == (train.size, 16, 16, 3)
        assert f["test_set_x"].shape == (test.size, 16, 16, 3)
        assert f["train_set_y"].dtype == np.int64
        assert list(f["list_classes"][()]) == [b"Cat", b"Dog"]
        for part, idx in (("train", train), ("test", test)):
            xs, ys = f[f"{part}_set_x"][()], f[f"{part}_set_y"][()]
            for j, k in enumerate(idx):
                assert ys[j] == (0 if names[k].startswith("Cat/") else 1)
                assert np.array_equal(xs[j], load_image(str(src / names[k]), size=16)), names[k]
    assert not [p for p in os.listdir(dest.parent) if p.startswith(".")]  # no temporary file left


def test_corpus_r_identical(corpus, corpus_r):
    _, _, _, out = corpus
    (dest, report), (dest_r, _) = out["full"], corpus_r
    with h5py.File(dest, "r") as a, h5py.File(dest_r, "r") as b:
        assert sorted(a) == sorted(b)
        for k in a:
            assert a[k].dtype == b[k].dtype, k
            assert_identical(k, a[k][()], b[k][()])
    rep_r = json.loads((dest_r.parent / (dest_r.name + ".report.json")).read_text())
    assert comparable(rep_r) == comparable(json.loads(json.dumps(report)))


def test_corpus_reduced_jpeg_same_decisions(corpus):
    _, _, _, out = corpus
    (d_full, full), (d_red, red) = out["full"], out["reduced"]
    assert comparable(full) == comparable(red)
    with h5py.File(d_full, "r") as a, h5py.File(d_red, "r") as b:
        assert np.array_equal(a["train_set_y"][()], b["train_set_y"][()])
        assert_same_pictures(b["train_set_x"][()], a["train_set_x"][()])


def test_bad_file_refused_by_load_image_both(r, corpus):
    src, dropped, _, _ = corpus
    for name in ("Cat/text.jpg", "Cat/cmyk.jpg", "Cat/truncated.jpg", "Cat/huge.png", "Cat/zero.jpg"):
        path = str(src / name)
        with pytest.raises(ValueError) as exc:
            load_image(path, size=16)
        assert expected_part(str(exc.value)) == ("path", LOAD_EXPECTED)
        assert f": {dropped[name]} (" in str(exc.value)
        with pytest.raises(RError) as rexc:
            r.load_image(path, size=16)
        assert expected_part(rexc.value.message) == ("path", LOAD_EXPECTED)
        assert f": {dropped[name]} (" in rexc.value.message


def test_verbose_output(tmp_path, capsys):
    src = tmp_path / "src"
    make_corpus(src)
    convert_image_folder(str(src), str(tmp_path / "quiet.h5"), size=8, verbose=False)
    quiet = capsys.readouterr()
    assert quiet.out == "" and quiet.err == ""
    convert_image_folder(str(src), str(tmp_path / "loud.h5"), size=8)
    loud = capsys.readouterr()
    assert "files read" in loud.err
    assert "dropped 13:" in loud.out and "    cmyk (1):\n      Cat/cmyk.jpg" in loud.out
    assert str(tmp_path / "loud.h5.report.json") in loud.out


def test_interrupted_conversion_leaves_nothing(tmp_path, monkeypatch):
    src = tmp_path / "src"
    make_corpus(src)
    dest = tmp_path / "out.h5"
    dest.write_bytes(b"previous output")
    calls = {"n": 0}
    real = images._read_image_file

    def failing(*args):
        calls["n"] += 1
        if calls["n"] == 10:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(images, "_read_image_file", failing)
    with pytest.raises(KeyboardInterrupt):
        convert_image_folder(str(src), str(dest), size=8, verbose=False)
    assert dest.read_bytes() == b"previous output"
    assert sorted(os.listdir(tmp_path)) == ["out.h5", "src"]


def test_converter_bad_input_both(r, tmp_path):
    def folder(name, classes):
        d = tmp_path / name
        for c, files in classes.items():
            (d / c).mkdir(parents=True)
            for f in files:
                Image.fromarray(smooth_rgb(np.random.default_rng(0), 12, 12)).save(d / c / f)
        return str(d)

    one = folder("one", {"Cat": ["a.png", "b.png"]})
    three = folder("three", {"A": ["a.png"], "B": ["b.png"], "C": ["c.png"]})
    empty = folder("empty", {"Cat": ["a.png"], "Dog": []})
    ok = folder("ok", {"Cat": ["a.png", "b.png"], "Dog": ["c.png", "d.png"]})
    (tmp_path / "a-file.txt").write_text("a file, not a folder")
    (tmp_path / "bad" / "Cat").mkdir(parents=True)
    (tmp_path / "bad" / "Dog").mkdir(parents=True)
    (tmp_path / "bad" / "Cat" / "x.jpg").write_bytes(b"")
    Image.fromarray(np.zeros((12, 12, 3), np.uint8)).save(tmp_path / "bad" / "Dog" / "d.png")
    dest = str(tmp_path / "o.h5")
    src_exp = "an existing folder with one subfolder per class"
    two_exp = "exactly 2 class subfolders (or `classes` naming 2 of them)"
    cases = [
        ((str(tmp_path / "missing"), dest), {}, "src", src_exp),
        ((str(tmp_path / "a-file.txt"), dest), {}, "src", src_exp),
        ((one, dest), {}, "src", two_exp),
        ((three, dest), {}, "src", two_exp),
        ((empty, dest), {}, "src", "at least one file in every class folder"),
        ((str(tmp_path / "bad"), dest), {}, "src", "at least one usable image in every class folder"),
        ((three, dest), {"classes": ["A", "D"]}, "classes", "2 distinct names of subfolders of `src`, in label order (0, 1)"),
        ((three, dest), {"classes": ["A", "A"]}, "classes", "2 distinct names of subfolders of `src`, in label order (0, 1)"),
        ((ok, dest), {"size": 0}, "size", "a whole number >= 1"),
        ((ok, dest), {"size": 2.5}, "size", "a whole number >= 1"),
        ((ok, dest), {"test_fraction": 1.0}, "test_fraction", "a number in (0, 1)"),
        ((ok, dest), {"min_side": 0}, "min_side", "a whole number >= 1"),
        ((ok, dest), {"max_pixels": 0}, "max_pixels", "a whole number >= 1"),
        ((ok, str(tmp_path / "no" / "o.h5")), {}, "dest", "a file path in an existing folder"),
        ((ok, str(tmp_path)), {}, "dest", "a file path in an existing folder"),
    ]
    for args, kwargs, arg, exp in cases:
        refuse_both(r, images, "convert_image_folder", args, dict(kwargs, verbose=False), arg, exp)
    assert not os.path.exists(dest)
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".")]  # no scratch or temporary file left
    rep = convert_image_folder(three, dest, size=4, classes=["C", "A"], verbose=False)  # explicit labels
    assert rep["classes"] == ["C", "A"] and rep["kept_per_class"] == {"C": 1, "A": 1}


def test_predict_image_bad_input_both(r, tmp_path):
    Image.fromarray(np.zeros((10, 10, 3), np.uint8)).save(tmp_path / "a.png")
    (tmp_path / "b.jpg").write_text("text")
    p = twinnet.initialize_parameters([3 * 8 * 8, 3, 1], seed=1)
    path = str(tmp_path / "a.png")
    refuse_both(r, images, "predict_image", (path, p), {}, "size",
                "the side s of the training images, with 3 * s^2 = 192 (the columns of W1)")
    refuse_both(r, images, "predict_image", (str(tmp_path / "none.png"), p), {"size": 8}, "path", "an existing image file")
    refuse_both(r, images, "predict_image", (str(tmp_path / "b.jpg"), p), {"size": 8}, "path", LOAD_EXPECTED)
    refuse_both(r, images, "predict_image", (path, p), {"size": 8, "feature_mean": np.zeros((192, 1))}, "feature_sd",
                "both feature_mean and feature_sd, or neither")
    refuse_both(r, images, "predict_image", (path, p), {"size": 8, "feature_mean": np.zeros((5, 1)), "feature_sd": np.ones((5, 1))},
                "feature_mean", "shape (192, 1)")
    refuse_both(r, images, "load_image", (path,), {"size": 0}, "size", "a whole number >= 1")


# -- Dogs vs Cats sample (../shared/data/petimages-2000) ----------------------------------------

@pytest.fixture(scope="session")
def pets(tmp_path_factory):
    """Python's conversions of petimages-2000, made once per test command (helpers.once: with
    TWINNET_RUN_CACHE set, the files are written there and both pytest passes read them)."""
    src = require_data("petimages-2000")
    folder = os.environ.get("TWINNET_RUN_CACHE")

    def convert():
        root = Path(folder) / "pets" if folder else tmp_path_factory.mktemp("pets")
        root.mkdir(exist_ok=True)
        out, times = {}, {}
        for name, size, reduce in (("32", 32, True), ("64", 64, True), ("32-full", 32, False)):
            start = time.time()
            out[name] = (root / f"pets{name}.h5",
                         convert_image_folder(str(src), str(root / f"pets{name}.h5"), size=size, reduce_jpeg=reduce,
                                              verbose=False))
            times[f"python {name}"] = time.time() - start
        print("petimages-2000 conversion times: " + ", ".join(f"{k} {v:.1f} s" for k, v in times.items()))
        return out

    return src, once("pets", str(src), convert)


@pytest.fixture(scope="session")
def pets_r(pets, r, tmp_path_factory):
    """R's conversion of the same folder at 32 (full-size decoding): (dest, report)."""
    src = pets[0]
    dest = tmp_path_factory.mktemp("pets-r") / "pets-r32.h5"
    start = time.time()
    report = r.convert_image_folder(str(src), str(dest), size=32, verbose=False)
    print(f"petimages-2000 conversion time: R 32 (full-size decoding) {time.time() - start:.1f} s")
    return dest, report


@pytest.mark.realdata
def test_pets_converted(pets):
    _, out = pets
    for name, size in (("32", 32), ("64", 64)):
        dest, rep = out[name]
        assert rep["files"] == 2000 and rep["kept"] == 2000  # the README: all decode as RGB
        assert (rep["n_train"], rep["n_test"]) == (1700, 300)
        assert rep["kept_per_class"] == {"Cat": 1000, "Dog": 1000}
        with h5py.File(dest, "r") as f:
            assert f["train_set_x"].shape == (1700, size, size, 3)
            assert f["test_set_x"].shape == (300, size, size, 3)


@pytest.mark.realdata
@pytest.mark.parametrize("name", ["32", "64"])
def test_pets_read_back_bit_identical_in_r(r, pets, name):
    dest, _ = pets[1][name]
    py = load_image_set(str(dest))
    out = r.load_image_set(str(dest))
    for k, v in zip(("train_X", "train_Y", "test_X", "test_Y"), py[:4]):
        assert_identical(k, v, out[k])
    assert list(out["classes"]) == py[4] == ["Cat", "Dog"]
    assert py[0].shape == (3 * int(name) ** 2, 1700)


@pytest.mark.realdata
def test_pets_r_converter_identical(pets, pets_r):
    _, out = pets
    (dest, rep), (dest_r, _) = out["32-full"], pets_r
    with h5py.File(dest, "r") as a, h5py.File(dest_r, "r") as b:
        for k in a:
            assert_identical(k, a[k][()], b[k][()])
    rep_r = json.loads((dest_r.parent / (dest_r.name + ".report.json")).read_text())
    assert comparable(rep_r) == comparable(json.loads(json.dumps(rep)))


@pytest.mark.realdata
def test_pets_reduced_decoding_close_to_full(pets):
    _, out = pets
    with h5py.File(out["32"][0], "r") as a, h5py.File(out["32-full"][0], "r") as b:
        assert np.array_equal(a["train_set_y"][()], b["train_set_y"][()])
        assert_same_pictures(a["train_set_x"][()], b["train_set_x"][()])


@pytest.fixture(scope="session")
def pets_model(pets):
    dest, _ = pets[1]["32-full"]
    train_X, train_Y, test_X, test_Y, _ = load_image_set(str(dest))
    params, costs = twinnet.L_layer_model(train_X, train_Y, [3072, 7, 1], learning_rate=0.01, num_iterations=300,
                                          seed=1, print_every=50)
    return params, costs, (train_X, train_Y, test_X, test_Y)


@pytest.mark.realdata
def test_pets_model_learns(pets_model):
    params, costs, (train_X, train_Y, _, _) = pets_model
    c = costs["cost"].to_numpy()
    assert np.all(np.diff(c) < 0), c  # full-batch descent with a small step: the cost goes down
    assert c[-1] < 0.97 * c[0]
    assert twinnet.accuracy(train_X, train_Y, params) > 0.56  # chance is 0.50 (850 cats, 850 dogs)


@pytest.mark.realdata
def test_predict_image_both_languages(r, pets, pets_model, tmp_path):
    src, out = pets
    params = pets_model[0]
    dest, rep = out["32-full"]
    names = [f"{c}/{n}" for c in ("Cat", "Dog") for n in sorted(os.listdir(src / c))]
    train, _ = train_test_split_indices(len(names), 0.15, 1)
    train_X = pets_model[2][0]
    Image.fromarray(smooth_rgb(np.random.default_rng(9), 70, 90)).save(tmp_path / "own.png")
    files = [(str(src / names[k]), j) for j, k in enumerate(train[:12])] + [(str(tmp_path / "own.png"), None)]
    for path, column in files:
        p, label = predict_image(path, params, size=32)
        out_r = r.predict_image(path, params, size=32)
        assert_close(f"probability {path}", np.array([p]), np.array([out_r["probability"]]), STEP_TOL)
        assert label == out_r["class"] == int(p > 0.5)
        if column is not None:  # the converter's column of that file: the same preprocessing
            expected = twinnet.predict_proba(train_X[:, [column]], params)[0, 0]
            assert p == expected
        assert_identical(f"pixels {path}", load_image(path, size=32), r.load_image(path, size=32))

"""Model files: save_model / load_model in both languages, one HDF5 layout (docs/model-format.md).

Round trips within Python, Python -> R and R -> Python: the parameters come
back bit for bit and the loading language predicts what the saving one did.
Broken files are refused by both languages with the same expectation.
"""

import os

import h5py
import numpy as np
import pytest
from helpers import STEP_TOL, assert_close, assert_identical

import twinnet
from twinnet import NeuralNet, NotFittedError, load_model, make_circles, save_model
from twinnet.rbridge import RError

CFG = dict(hidden_layers=(8, 4), learning_rate=0.3, num_iterations=300, seed=4, print_every=50)


@pytest.fixture(scope="module")
def data():
    X, Y = make_circles(200, seed=2)
    return X, Y


@pytest.fixture(scope="module")
def fitted(data):
    X, Y = data
    return NeuralNet(hidden_activation="tanh", init="he", **CFG).fit(X.T, np.where(Y.ravel() == 1, "inner", "outer"))


def same_model(a, b):
    assert a.get_params() == b.get_params() or (
        tuple(a.hidden_layers) == tuple(b.hidden_layers)
        and {k: v for k, v in a.get_params().items() if k != "hidden_layers"}
        == {k: v for k, v in b.get_params().items() if k != "hidden_layers"})
    assert set(a.parameters_) == set(b.parameters_)
    for k in a.parameters_:
        assert_identical(k, a.parameters_[k], b.parameters_[k])
    assert_identical("iteration", a.costs_["iteration"], b.costs_["iteration"])
    assert_identical("cost", a.costs_["cost"], b.costs_["cost"])
    assert b.costs_["iteration"].dtype == np.int64 and b.costs_["cost"].dtype == np.float64
    assert np.asarray(a.classes_).tolist() == np.asarray(b.classes_).tolist()
    assert a.layer_dims_ == b.layer_dims_ and a.n_features_in_ == b.n_features_in_


# ------------------------------------------------------------------ Python alone

def test_round_trip_in_python(fitted, data, tmp_path):
    X, _ = data
    path = save_model(fitted, tmp_path / "m.h5")
    assert os.fspath(path) == os.fspath(tmp_path / "m.h5")
    again = load_model(tmp_path / "m.h5")
    same_model(fitted, again)
    assert_identical("proba", fitted.predict_proba(X.T), again.predict_proba(X.T))
    assert list(again.predict(X.T)) == list(fitted.predict(X.T))


@pytest.mark.parametrize("y", ["01", "37", "bool"])
def test_numeric_classes_round_trip(data, tmp_path, y):
    X, Y = data
    labels = {"01": Y.ravel(), "37": np.where(Y.ravel() == 1, 7, 3), "bool": Y.ravel() == 1}[y]
    net = NeuralNet(hidden_layers=(), num_iterations=20).fit(X.T, labels)
    again = load_model(save_model(net, tmp_path / "m.h5"))
    assert again.classes_.tolist() == {"01": [0, 1], "37": [3, 7], "bool": [0, 1]}[y]


def test_the_file_has_the_documented_layout(fitted, tmp_path):
    save_model(fitted, tmp_path / "m.h5")
    with h5py.File(tmp_path / "m.h5", "r") as f:
        assert f.attrs["format"] == "twinnet-model"
        assert f.attrs["format_version"] == 2 and f.attrs["format_version"].dtype == np.int32
        assert f.attrs["hidden_activation"] == "tanh" and f.attrs["init"] == "he"
        assert f.attrs["seed"] == 4 and f.attrs["num_iterations"] == 300 and f.attrs["print_every"] == 50
        assert f.attrs["learning_rate"] == 0.3
        assert f["layer_dims"][()].tolist() == [2, 8, 4, 1] and f["layer_dims"].dtype == np.int32
        shapes = {k: f["parameters"][k].shape for k in f["parameters"]}
        assert shapes == {"W1": (8, 2), "b1": (8, 1), "W2": (4, 8), "b2": (4, 1), "W3": (1, 4), "b3": (1, 1)}
        assert all(f["parameters"][k].dtype == np.float64 for k in shapes)
        assert f["costs/iteration"][()].tolist() == [0, 50, 100, 150, 200, 250, 299]
        assert [v.decode() for v in f["classes"][()]] == ["inner", "outer"]


def test_save_refuses_what_is_not_a_fitted_model(tmp_path):
    with pytest.raises(NotFittedError):
        save_model(NeuralNet(), tmp_path / "m.h5")
    with pytest.raises(TypeError, match=r"^`model`: expected a fitted model"):
        save_model({"W1": 1}, tmp_path / "m.h5")
    assert not (tmp_path / "m.h5").exists()


def test_save_into_a_missing_folder_is_refused(fitted, tmp_path):
    with pytest.raises(ValueError, match=r"^`path`: expected a file path in an existing folder"):
        save_model(fitted, tmp_path / "nowhere" / "m.h5")


def test_an_interrupted_save_leaves_the_old_file_and_no_temporary(fitted, data, tmp_path, monkeypatch):
    X, Y = data
    path = tmp_path / "m.h5"
    old = NeuralNet(hidden_layers=(), num_iterations=10).fit(X.T, Y.ravel())
    save_model(old, path)
    before = path.read_bytes()

    def crash(model, tmp):
        with h5py.File(tmp, "w") as f:  # half a model, then the "power cut"
            f.attrs["format"] = "twinnet-model"
            f.create_dataset("layer_dims", data=np.array([2, 8, 4, 1], dtype=np.int32))
        raise KeyboardInterrupt

    monkeypatch.setattr(twinnet.modelio, "_write_model_h5", crash)
    with pytest.raises(KeyboardInterrupt):
        save_model(fitted, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.h5"]
    with pytest.raises(KeyboardInterrupt):
        save_model(fitted, tmp_path / "new.h5")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.h5"]


# ------------------------------------------------------------------ broken files

def _good(fitted, folder):
    path = folder / "good.h5"
    save_model(fitted, path)
    return path


def _edit(path, fn):
    with h5py.File(path, "r+") as f:
        fn(f)
    return path


def _replace(f, name, data):
    del f[name]
    f.create_dataset(name, data=data)


BROKEN = {
    "version 3": (lambda f: f.attrs.__setitem__("format_version", np.int32(3)),
                  "`path`: expected format version 2 (or 1); got format version 3"),
    "not a model": (lambda f: f.attrs.__delitem__("format"),
                    '`path`: expected a twinnet model file (attribute format = "twinnet-model"); got no format attribute'),
    "missing W2": (lambda f: f["parameters"].__delitem__("W2"),
                   "`path`: expected a dataset parameters/W2; got no such dataset"),
    "missing costs": (lambda f: f.__delitem__("costs"),
                      "`path`: expected a dataset costs/iteration; got no such dataset"),
    "missing seed": (lambda f: f.attrs.__delitem__("seed"),
                     "`path`: expected an attribute seed; got no such attribute"),
    "shapes do not chain": (lambda f: _replace(f, "parameters/W2", np.zeros((4, 7))),
                            "`path`: expected parameters/W2 of shape (4, 8) (layer_dims [2, 8, 4, 1]); got shape (4, 7)"),
    "transposed W1": (lambda f: _replace(f, "parameters/W1", np.zeros((2, 8))),
                      "`path`: expected parameters/W1 of shape (8, 2) (layer_dims [2, 8, 4, 1]); got shape (2, 8)"),
    "bad layer_dims": (lambda f: _replace(f, "layer_dims", np.array([2, 8, 4, 2], dtype=np.int32)),
                       "`path`: expected layer_dims of 2 or more whole numbers >= 1 ending in 1; got [2, 8, 4, 2]"),
    "bad activation": (lambda f: f.attrs.__setitem__("hidden_activation", "swish"),
                       '`path`: expected hidden_activation one of "sigmoid", "relu", "tanh", "leaky_relu"; got'),
    "three classes": (lambda f: _replace(f, "classes", np.array([0.0, 1.0, 2.0])),
                      "`path`: expected classes of length 2; got shape (3)"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_python_refuses_a_broken_file(fitted, tmp_path, case):
    edit, message = BROKEN[case]
    path = _edit(_good(fitted, tmp_path), edit)
    with pytest.raises(ValueError) as info:
        load_model(path)
    assert str(info.value).startswith(message), str(info.value)


def test_python_refuses_a_missing_file_and_a_non_hdf5_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"^`path`: expected an existing file; got '.*nope.h5' \(not found\)$"):
        load_model(tmp_path / "nope.h5")
    (tmp_path / "text.h5").write_text("not a model\n")
    with pytest.raises(ValueError, match=r"^`path`: expected a twinnet model file \(HDF5\); got '.*text.h5' \(not an HDF5 file\)$"):
        load_model(tmp_path / "text.h5")


# ------------------------------------------------------------------ across languages

R_LOAD = """(function(path, newdata) {
  m <- twinnet::load_model(path)
  list(parameters = stats::coef(m), costs = m$costs, classes = m$classes, layer_dims = m$layer_dims,
       hidden_activation = m$hidden_activation, init = m$init, seed = m$seed, learning_rate = m$learning_rate,
       num_iterations = m$num_iterations, print_every = m$print_every,
       prob = stats::predict(m, newdata, type = "prob"), class = as.character(stats::predict(m, newdata)))
})"""

R_FIT_SAVE = """(function(x, y, path, newdata, ...) {
  fit <- twinnet::neural_net(x, y, ...)
  twinnet::save_model(fit, path)
  list(parameters = stats::coef(fit), costs = fit$costs, classes = fit$classes,
       prob = stats::predict(fit, newdata, type = "prob"), class = as.character(stats::predict(fit, newdata)))
})"""


@pytest.mark.r
@pytest.mark.parametrize("labels", ["strings", "numbers", "utf-8"])
def test_python_to_R(r, data, tmp_path, labels):
    X, Y = data
    Xn, _ = make_circles(100, seed=9)
    y = {"strings": np.where(Y.ravel() == 1, "inner", "outer"), "numbers": Y.ravel(),
         "utf-8": np.where(Y.ravel() == 1, "écureuil", "chat noir")}[labels]
    net = NeuralNet(hidden_activation="leaky_relu", **CFG).fit(X.T, y)
    path = save_model(net, str(tmp_path / "py.h5"))
    out = r.call(R_LOAD, path, Xn.T)
    for k in net.parameters_:
        assert_identical(k, net.parameters_[k], out["parameters"][k])
    assert_identical("iteration", net.costs_["iteration"], out["costs"]["iteration"])
    assert_identical("cost", net.costs_["cost"], out["costs"]["cost"])
    assert np.asarray(net.classes_).tolist() == np.asarray(out["classes"]).tolist()
    assert list(out["layer_dims"]) == net.layer_dims_
    assert (out["hidden_activation"], out["init"], out["seed"], out["learning_rate"], out["num_iterations"],
            out["print_every"]) == ("leaky_relu", "xavier", 4, 0.3, 300, 50)
    assert_close("P(class 1), Python vs R", net.predict_proba(Xn.T)[:, 1], out["prob"], tol=STEP_TOL)
    assert [str(v) for v in net.predict(Xn.T)] == list(out["class"])


@pytest.mark.r
@pytest.mark.parametrize("labels", ["factor", "numbers", "utf-8"])
def test_R_to_python(r, data, tmp_path, labels):
    X, Y = data
    Xn, _ = make_circles(100, seed=9)
    path = str(tmp_path / "r.h5")
    code = R_FIT_SAVE
    if labels == "factor":  # a factor keeps its level order: non-cat (0), cat (1), as in the cat/non-cat files
        code = code.replace("twinnet::neural_net(x, y, ...)", 'twinnet::neural_net(x, factor(ifelse(y == 1, '
                            '"cat", "non-cat"), levels = c("non-cat", "cat")), ...)')
    if labels == "utf-8":
        code = code.replace("twinnet::neural_net(x, y, ...)",
                            'twinnet::neural_net(x, ifelse(y == 1, "\u00e9cureuil", "chat noir"), ...)')
    out = r.call(code, X.T, Y.ravel(), path, Xn.T, hidden_layers=np.array([8, 4], dtype=np.int32),
                 hidden_activation="relu", init="scaled", learning_rate=0.3, num_iterations=300, seed=4,
                 print_every=50)
    net = load_model(path)
    for k in out["parameters"]:
        assert_identical(k, out["parameters"][k], net.parameters_[k])
    assert_identical("cost", out["costs"]["cost"], net.costs_["cost"])
    assert np.asarray(out["classes"]).tolist() == np.asarray(net.classes_).tolist()
    assert net.init == "scaled" and net.hidden_layers == (8, 4) and net.learning_rate == 0.3
    assert_close("P(class 1), R vs Python", out["prob"], net.predict_proba(Xn.T)[:, 1], tol=STEP_TOL)
    assert list(out["class"]) == [str(v) for v in net.predict(Xn.T)]
    if labels == "factor":
        assert net.classes_.tolist() == ["non-cat", "cat"]
    if labels == "utf-8":
        assert net.classes_.tolist() == ["chat noir", "écureuil"]


@pytest.mark.r
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_R_refuses_the_same_broken_file_with_the_same_expectation(r, fitted, tmp_path, case):
    edit, _ = BROKEN[case]
    path = _edit(_good(fitted, tmp_path), edit)
    with pytest.raises(ValueError) as pinfo:
        load_model(path)
    with pytest.raises(RError) as rinfo:
        r.load_model(str(path))
    assert "twinnet_input_error" in rinfo.value.classes
    assert rinfo.value.message.split("; got")[0] == str(pinfo.value).split("; got")[0]


@pytest.mark.r
def test_R_refuses_a_missing_file_and_a_non_hdf5_file(r, tmp_path):
    (tmp_path / "text.h5").write_text("not a model\n")
    for name in ("nope.h5", "text.h5"):
        with pytest.raises(ValueError) as pinfo:
            load_model(tmp_path / name)
        with pytest.raises(RError) as rinfo:
            r.load_model(str(tmp_path / name))
        assert rinfo.value.message == str(pinfo.value)


# ------------------------------------------------------------------ the training options (format version 2)

OPTIONS = dict(hidden_layers=(6,), learning_rate=0.01, num_iterations=20, seed=2, print_every=5, lambd=0.3,
               keep_prob=0.8, mini_batch_size=32, optimizer="momentum", beta=0.7, decay="schedule_lr_decay",
               decay_rate=0.5, time_interval=7, mini_batch_seed=12, dropout_seed=13)
OPTION_NAMES = ("lambd", "keep_prob", "mini_batch_size", "optimizer", "beta", "beta1", "beta2", "epsilon", "decay",
                "decay_rate", "time_interval", "mini_batch_seed", "dropout_seed")


def test_the_options_are_recorded_and_read_back(data, tmp_path):
    X, Y = data
    net = NeuralNet(**OPTIONS).fit(X.T, Y.ravel())
    save_model(net, tmp_path / "m.h5")
    with h5py.File(tmp_path / "m.h5", "r") as f:
        assert f.attrs["optimizer"] == "momentum" and f.attrs["decay"] == "schedule_lr_decay"
        assert f.attrs["mini_batch_size"] == 32 and f.attrs["mini_batch_size"].dtype == np.int32
        assert f.attrs["keep_prob"].tolist() == [0.8] and f.attrs["lambd"] == 0.3
    same_model(net, load_model(tmp_path / "m.h5"))
    plain = NeuralNet(hidden_layers=(), num_iterations=3).fit(X.T, Y.ravel())
    save_model(plain, tmp_path / "p.h5")
    with h5py.File(tmp_path / "p.h5", "r") as f:  # None is written as 0 and "none"
        assert f.attrs["mini_batch_size"] == 0 and f.attrs["decay"] == "none"
    again = load_model(tmp_path / "p.h5")
    assert again.mini_batch_size is None and again.decay is None and again.keep_prob == 1.0


def test_a_version_1_file_loads_with_the_default_options(data, tmp_path):
    X, Y = data
    net = NeuralNet(hidden_layers=(4,), num_iterations=10).fit(X.T, Y.ravel())
    path = save_model(net, str(tmp_path / "v1.h5"))
    with h5py.File(path, "r+") as f:
        f.attrs["format_version"] = np.int32(1)
        for name in OPTION_NAMES:
            del f.attrs[name]
    again = load_model(path)
    same_model(net, again)


@pytest.mark.r
def test_the_options_cross_the_languages(r, data, tmp_path):
    X, Y = data
    net = NeuralNet(**OPTIONS).fit(X.T, Y.ravel())
    path = save_model(net, str(tmp_path / "py.h5"))
    fields = r.call("(function(p) { m <- twinnet::load_model(p); twinnet::save_model(m, paste0(p, '.r.h5')); "
                    f"m[c({', '.join(repr(n) for n in OPTION_NAMES)})] }})", path)
    for name in OPTION_NAMES:
        want = getattr(net, name)
        want = want[0] if isinstance(want, tuple) else want
        assert fields[name] == want, name
    back = load_model(path + ".r.h5")
    same_model(net, back)
    v1 = str(tmp_path / "v1.h5")
    save_model(NeuralNet(hidden_layers=(3,), num_iterations=5).fit(X.T, Y.ravel()), v1)
    with h5py.File(v1, "r+") as f:
        f.attrs["format_version"] = np.int32(1)
        for name in OPTION_NAMES:
            del f.attrs[name]
    got = r.call("(function(p) twinnet::load_model(p)[c('optimizer', 'mini_batch_size', 'decay', 'keep_prob')])", v1)
    assert got == {"optimizer": "gd", "mini_batch_size": None, "decay": None, "keep_prob": 1.0}

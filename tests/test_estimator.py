"""NeuralNet (Python) and neural_net (R): the estimators over the functional core.

Expected values come from the functional core called directly (the estimator
must be a thin layer: transpose, map labels, call L_layer_model), from
hand-counted label mappings, from scikit-learn's own tools and checks (its
check_estimator, its splitters and metrics run by hand), and from the other
language.
"""

import json
import os
import pickle
import re
import subprocess
import sys
import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from helpers import RUN_TOL, assert_close, assert_decisive, assert_identical, assert_stable, expected_part, refuse_both

import twinnet
from twinnet import L_layer_model, NeuralNet, NotFittedError, make_circles
from twinnet.estimator import DEFAULTS, EXPECTED_FAILED_CHECKS, HAVE_SKLEARN
from twinnet.rbridge import RError

SMALL = dict(hidden_layers=(6, 3), learning_rate=0.3, num_iterations=400, seed=7, print_every=50)


@pytest.fixture(scope="module")
def circles():
    return make_circles(240, seed=3)


# ------------------------------------------------------------------ protocol

def test_constructor_defaults_are_the_cat_non_cat_experiment_s():
    assert NeuralNet().get_params() == {
        "hidden_layers": (20, 7, 5), "hidden_activation": "relu", "init": "xavier", "learning_rate": 0.0075,
        "num_iterations": 2500, "seed": 1, "stream": "portable", "print_every": 100, "verbose": False,
        # issue 15 (contract section 36): the course's second part, its defaults (seed = 10 of its model, the
        # dropout test's seed 1, Adam's 0.9 / 0.999 / 1e-8)
        "lambd": 0.0, "keep_prob": 1.0, "mini_batch_size": None, "optimizer": "gd", "beta": 0.9, "beta1": 0.9,
        "beta2": 0.999, "epsilon": 1e-8, "decay": None, "decay_rate": 1.0, "time_interval": 1000,
        "mini_batch_seed": 10, "dropout_seed": 1, "warm_start": False}


def test_every_other_parameter_is_L_layer_models_of_the_same_name():
    """OWN_PARAMETERS aside, the estimator passes its parameters to the core unchanged: the same defaults."""
    import inspect
    from twinnet.estimator import OWN_PARAMETERS
    core = inspect.signature(L_layer_model).parameters
    passed = [name for name in DEFAULTS if name not in OWN_PARAMETERS]
    assert set(passed) <= set(core)
    assert {name: DEFAULTS[name] for name in passed} == {name: core[name].default for name in passed}


def test_the_constructor_is_the_DEFAULTS_table():
    import inspect
    params = list(inspect.signature(NeuralNet).parameters.values())
    assert [(p.name, p.default) for p in params] == list(DEFAULTS.items())
    assert all(p.kind is p.POSITIONAL_OR_KEYWORD for p in params)
    assert NeuralNet((4,), "tanh").get_params()["hidden_activation"] == "tanh"  # positional, as in R
    with pytest.raises(TypeError):
        NeuralNet(alpha=1)


def test_get_and_set_params():
    net = NeuralNet()
    assert net.set_params(learning_rate=0.5, hidden_layers=(4,)) is net
    assert net.get_params()["learning_rate"] == 0.5
    assert net.hidden_layers == (4,)
    assert repr(net) == "NeuralNet(hidden_layers=(4,), learning_rate=0.5)"
    with pytest.raises(ValueError, match=r"^`alpha`: expected one of the parameters hidden_layers"):
        net.set_params(alpha=1)
    # scikit-learn's rule: the constructor and set_params store, fit checks
    odd = NeuralNet(hidden_layers=-1, learning_rate="fast")
    assert odd.set_params(seed=None).get_params()["seed"] is None


def test_a_new_estimator_can_be_built_from_get_params(circles):
    X, Y = circles
    a = NeuralNet(**SMALL).fit(X.T, Y.ravel())
    b = NeuralNet(**a.get_params()).fit(X.T, Y.ravel())
    assert_identical("costs", a.costs_["cost"], b.costs_["cost"])


@pytest.mark.parametrize("method", ["predict", "predict_proba"])
def test_unfitted_model_raises_a_clear_error(method, circles):
    X, _ = circles
    with pytest.raises(NotFittedError, match="not fitted yet: call fit"):
        getattr(NeuralNet(), method)(X.T)
    with pytest.raises(NotFittedError):
        NeuralNet().score(X.T, np.zeros(X.shape[1]))
    assert issubclass(NotFittedError, ValueError) and issubclass(NotFittedError, AttributeError)
    for attribute in ("loss_curve_", "n_iter_"):
        assert not hasattr(NeuralNet(), attribute)


def test_not_fitted_error_is_scikit_learns_when_it_is_installed():
    if not HAVE_SKLEARN:
        pytest.skip("scikit-learn is not installed (pip install 'twinnet[sklearn]')")
    import sklearn.exceptions
    assert NotFittedError is sklearn.exceptions.NotFittedError
    assert twinnet.NotFittedError is NotFittedError


# ------------------------------------------------------------------ a thin layer over the core

def test_fit_is_L_layer_model_on_the_transposed_data(circles):
    X, Y = circles
    net = NeuralNet(hidden_activation="tanh", init="he", **SMALL).fit(X.T, Y.ravel())
    params, costs = L_layer_model(X, Y, [2, 6, 3, 1], learning_rate=0.3, num_iterations=400, seed=7,
                                  hidden_activation="tanh", scheme="he", print_every=50)
    assert list(net.costs_.columns) == ["iteration", "cost"]
    assert_identical("iteration", costs["iteration"], net.costs_["iteration"])
    assert_identical("cost", costs["cost"], net.costs_["cost"])
    for k in params:
        assert_identical(k, params[k], net.parameters_[k])
    assert net.layer_dims_ == [2, 6, 3, 1] and net.n_features_in_ == 2
    assert_identical("classes", np.array([0, 1]), net.classes_)
    p = twinnet.predict_proba(X, params, "tanh")[0]
    proba = net.predict_proba(X.T)
    assert proba.shape == (X.shape[1], 2)
    assert_identical("P(1)", p, proba[:, 1])
    assert_identical("P(0)", 1 - p, proba[:, 0])
    assert_identical("predict", (p > 0.5).astype(int), net.predict(X.T))
    assert net.score(X.T, Y.ravel()) == pytest.approx(np.mean((p > 0.5) == Y[0]), abs=0)
    assert net.n_iter_ == 400
    assert net.loss_curve_ == costs["cost"].tolist() and len(net.loss_curve_) == 9  # 0, 50, ..., 350, 399


def test_logistic_regression_with_no_hidden_layer(circles):
    X, Y = circles
    net = NeuralNet(hidden_layers=(), learning_rate=0.1, num_iterations=50).fit(X.T, Y.ravel())
    assert set(net.parameters_) == {"W1", "b1"} and net.parameters_["W1"].shape == (1, 2)


def test_pandas_input_equals_numpy_input(circles):
    X, Y = circles
    a = NeuralNet(**SMALL).fit(X.T, Y.ravel())
    df = pd.DataFrame(X.T, columns=["x1", "x2"])
    b = NeuralNet(**SMALL).fit(df, pd.Series(Y.ravel()))
    assert_identical("costs", a.costs_["cost"], b.costs_["cost"])
    assert list(b.feature_names_in_) == ["x1", "x2"]
    assert_identical("predict", a.predict(X.T), b.predict(df))


def test_y_may_be_a_column_or_a_row_with_scikit_learns_warning(circles):
    from twinnet.estimator import DataConversionWarning
    X, Y = circles
    a = NeuralNet(**SMALL).fit(X.T, Y.ravel())
    for y, kind in ((Y, "row"), (Y.T, "column"), (pd.DataFrame(Y.T), "column"), (Y.T.tolist(), "column")):
        with pytest.warns(DataConversionWarning, match=f"^A {kind}-vector y was passed when a 1d array was expected"):
            b = NeuralNet(**SMALL).fit(X.T, y)
        assert_identical("costs", a.costs_["cost"], b.costs_["cost"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_identical("costs", a.costs_["cost"], NeuralNet(**SMALL).fit(X.T, Y.ravel().tolist()).costs_["cost"])


def test_array_likes_and_object_arrays_of_numbers_are_numbers(circles):
    X, Y = circles
    a = NeuralNet(**SMALL).fit(X.T, Y.ravel())

    class ArrayLike:  # only __array__, as scikit-learn's _NotAnArray
        def __init__(self, data):
            self.data = data

        def __array__(self, dtype=None, copy=None):
            return np.asarray(self.data, dtype=dtype)

    for Xi, yi in ((ArrayLike(X.T), ArrayLike(Y.ravel())), (X.T.astype(object), Y.ravel().astype(object)),
                   (X.T.tolist(), Y.ravel().astype(int).tolist())):
        b = NeuralNet(**SMALL).fit(Xi, yi)
        assert_identical("costs", a.costs_["cost"], b.costs_["cost"])
        assert_identical("classes", np.array([0, 1]), b.classes_)
        assert_identical("predict", a.predict(X.T), b.predict(Xi))


# ------------------------------------------------------------------ column names (contract section 19)

NAMED = ["x1", "x2"]


@pytest.fixture(scope="module")
def named(circles):
    X, Y = circles
    df = pd.DataFrame(X.T, columns=NAMED)
    return df, NeuralNet(**SMALL).fit(df, Y.ravel())


def test_reordered_columns_are_matched_by_name(named):
    df, net = named
    expected = net.predict_proba(df)
    assert_identical("P, reordered", expected, net.predict_proba(df[["x2", "x1"]]))
    assert_identical("predict, reordered", net.predict(df), net.predict(df[["x2", "x1"]]))
    swapped = df[["x2", "x1"]].to_numpy()  # the same numbers without names are taken in order
    with pytest.warns(UserWarning, match="X does not have valid feature names, but NeuralNet was fitted with"):
        assert not np.array_equal(net.predict_proba(swapped), expected)


@pytest.mark.parametrize("columns, got", [
    (["x1", "z"], "missing x2; not seen at fit: z"),
    (["x1"], "missing x2"),
    (["x1", "x2", "id"], "not seen at fit: id"),
])
def test_renamed_missing_or_extra_columns_are_refused(named, columns, got):
    df, net = named
    frame = pd.DataFrame(np.ones((3, len(columns))), columns=columns)
    with pytest.raises(ValueError) as info:
        net.predict(frame)
    assert str(info.value) == f"`X`: expected the columns of the fit, x1, x2 (in any order); got {got}"


def test_names_on_one_side_only_are_taken_in_order_with_scikit_learns_warning(circles, named):
    X, Y = circles
    df, net = named
    with pytest.warns(UserWarning, match="^X does not have valid feature names, but NeuralNet was fitted with"):
        assert_identical("P", net.predict_proba(df), net.predict_proba(X.T))
    plain = NeuralNet(**SMALL).fit(X.T, Y.ravel())
    with pytest.warns(UserWarning, match="^X has feature names, but NeuralNet was fitted without feature names"):
        assert_identical("P", plain.predict_proba(X.T), plain.predict_proba(df))
    assert not hasattr(plain, "feature_names_in_")
    assert not hasattr(NeuralNet(**SMALL).fit(df, Y.ravel()).fit(X.T, Y.ravel()), "feature_names_in_")
    numbered = pd.DataFrame(X.T)  # the default 0, 1 columns are no names, as in scikit-learn
    assert not hasattr(NeuralNet(**SMALL).set_params(num_iterations=2).fit(numbered, Y.ravel()), "feature_names_in_")


def test_the_long_list_of_names_is_cut_in_the_message():
    rng = np.random.default_rng(0)
    df = pd.DataFrame(rng.normal(size=(6, 8)), columns=[f"p{i}" for i in range(8)])
    net = NeuralNet(hidden_layers=(), num_iterations=2).fit(df, [0, 1] * 3)
    with pytest.raises(ValueError) as info:
        net.predict(df.rename(columns={"p7": "q"}))
    assert str(info.value) == ("`X`: expected the columns of the fit, p0, p1, p2, p3, p4, ... (8 in all) "
                               "(in any order); got missing p7; not seen at fit: q")


# ------------------------------------------------------------------ labels

def test_string_labels_are_sorted_and_the_first_is_0(circles):
    X, Y = circles
    names = np.where(Y.ravel() == 1, "dog", "cat")  # sorted: cat (0), dog (1), as Y
    net = NeuralNet(**SMALL).fit(X.T, names)
    ref = NeuralNet(**SMALL).fit(X.T, Y.ravel())
    assert list(net.classes_) == ["cat", "dog"]
    assert_identical("costs", ref.costs_["cost"], net.costs_["cost"])
    expected = np.where(ref.predict(X.T) == 1, "dog", "cat")
    assert list(net.predict(X.T)) == list(expected)
    assert net.score(X.T, names) == pytest.approx(np.mean(expected == names), abs=0)
    flipped = NeuralNet(**SMALL).fit(X.T, np.where(Y.ravel() == 1, "a-inner", "b-outer"))  # inner sorts first
    assert list(flipped.classes_) == ["a-inner", "b-outer"]
    assert_identical("costs", NeuralNet(**SMALL).fit(X.T, 1 - Y.ravel()).costs_["cost"], flipped.costs_["cost"])


def test_sorting_is_by_code_point_as_in_R_radix_sort(circles):
    X, Y = circles
    net = NeuralNet(**SMALL).set_params(num_iterations=2).fit(X.T, np.where(Y.ravel() == 1, "apple", "Banana"))
    assert list(net.classes_) == ["Banana", "apple"]  # "B" (66) < "a" (97), whatever the locale


def test_a_categorical_keeps_its_order(circles):
    X, Y = circles
    y = pd.Categorical.from_codes(Y.ravel().astype(int), categories=["non-cat", "cat"])
    net = NeuralNet(**SMALL).fit(X.T, y)
    ref = NeuralNet(**SMALL).fit(X.T, Y.ravel())
    assert list(net.classes_) == ["non-cat", "cat"]
    assert_identical("costs", ref.costs_["cost"], net.costs_["cost"])
    assert net.score(X.T, y) == pytest.approx(ref.score(X.T, Y.ravel()), abs=0)


def test_two_numbers_other_than_0_1_and_booleans(circles):
    X, Y = circles
    ref = NeuralNet(**SMALL).fit(X.T, Y.ravel())
    seven = NeuralNet(**SMALL).fit(X.T, np.where(Y.ravel() == 1, 7, 3))
    assert list(seven.classes_) == [3, 7]
    assert_identical("costs", ref.costs_["cost"], seven.costs_["cost"])
    boolean = NeuralNet(**SMALL).fit(X.T, Y.ravel() == 1)
    assert list(boolean.classes_) == [False, True]
    assert_identical("costs", ref.costs_["cost"], boolean.costs_["cost"])


# ------------------------------------------------------------------ bad input

def _fitted(X, Y):
    return NeuralNet(**SMALL).set_params(num_iterations=2).fit(X.T, Y.ravel())


BAD = [
    (lambda X, Y: NeuralNet(**SMALL).fit(X.T, np.arange(X.shape[1]) % 3), ValueError,
     "`y`: expected two classes (or labels 0/1); got 3 distinct value(s) (Only binary classification is supported.)"),
    (lambda X, Y: NeuralNet(**SMALL).fit(X.T, pd.Categorical(np.arange(X.shape[1]) % 3)), ValueError,
     "`y`: expected two classes (or labels 0/1); got a Categorical with 3 categories (Only binary classification"),
    (lambda X, Y: NeuralNet(**SMALL).fit(X.T, X[0]), ValueError,
     "`y`: expected two classes (or labels 0/1); got 240 distinct value(s), not all whole numbers "
     "(Unknown label type: continuous)"),
    (lambda X, Y: NeuralNet(**SMALL).fit(X.T, Y.ravel()[:-1]), ValueError,
     "`y`: expected 240 labels, one per row of X; got 239 labels"),
    (lambda X, Y: NeuralNet(**SMALL).fit(X.T, np.where(Y.ravel() == 1, 1.0, np.nan)), ValueError,
     "`y`: expected labels without missing or infinite values; got 120 missing or infinite value(s)"),
    (lambda X, Y: NeuralNet(**SMALL).fit(X.T, np.where(Y.ravel() == 1, 1.0, np.inf)), ValueError,
     "`y`: expected labels without missing or infinite values; got 120 missing or infinite value(s)"),
    (lambda X, Y: NeuralNet(**SMALL).fit(X.T, None), ValueError,
     "`y`: expected a vector of labels (one per row of X); got None (a classifier requires y to be passed, "
     "but the target y is None)"),
    (lambda X, Y: NeuralNet(**SMALL).fit(X.T, [0, "1"] * 120), TypeError,
     "`y`: expected labels of one type (numbers or strings); got values of type(s) int, str"),
    (lambda X, Y: NeuralNet(**SMALL).fit(X[0], Y.ravel()), ValueError,
     "`X`: expected a 2-D numeric matrix; got an array of 1 dimension(s) (Reshape your data: X.reshape(1, -1) for "
     "one example, X.reshape(-1, 1) for one feature)"),
    (lambda X, Y: NeuralNet(**SMALL).fit(np.empty((0, 3)), []), ValueError,
     "`X`: expected a 2-D numeric matrix; got 0 sample(s) (shape=(0, 3)) while a minimum of 1 is required"),
    (lambda X, Y: NeuralNet(**SMALL).fit(np.empty((12, 0)), [0, 1] * 6), ValueError,
     "`X`: expected a 2-D numeric matrix; got 0 feature(s) (shape=(12, 0)) while a minimum of 1 is required"),
    (lambda X, Y: NeuralNet(**SMALL).fit(X.T + 1j, Y.ravel()), ValueError,
     "`X`: expected a 2-D numeric matrix; got a complex128 array (Complex data not supported)"),
    (lambda X, Y: NeuralNet(**SMALL).fit(X.T > 0, Y.ravel()), TypeError,
     "`X`: expected a 2-D numeric matrix; got a bool array of shape (240, 2)"),
    (lambda X, Y: NeuralNet(**SMALL).fit([[True, 0.5], [0.25, False]], [0, 1]), TypeError,
     "`X`: expected a 2-D numeric matrix; got the boolean True at row 1, column 1"),
    (lambda X, Y: NeuralNet(**SMALL).fit([[0.5, "1.5"], [0.25, 2.0]], [0, 1]), TypeError,
     "`X`: expected a 2-D numeric matrix; got the string '1.5' at row 1, column 2 (strings are not converted"),
    (lambda X, Y: NeuralNet(**SMALL).fit(X.T.astype(str), Y.ravel()), TypeError,
     "`X`: expected a 2-D numeric matrix; got a <U"),
    (lambda X, Y: NeuralNet(**SMALL).fit(np.array([[{"a": 1}, 0.5]], dtype=object), [1]), TypeError,
     "`X`: expected a 2-D numeric matrix; got a dict at row 1, column 1 (float() argument must be a string or a"),
    (lambda X, Y: NeuralNet(**SMALL).fit([[1.0, 2.0], [3.0]], [0, 1]), ValueError,
     "`X`: expected a 2-D numeric matrix; got a ragged nested list (rows of different lengths)"),
    (lambda X, Y: NeuralNet(**SMALL).fit(pd.DataFrame({"a": X[0], "b": ["s"] * X.shape[1]}), Y.ravel()),
     TypeError, "`X`: expected numeric columns only; got non-numeric column(s) b"),
    (lambda X, Y: NeuralNet(**SMALL).fit(pd.DataFrame(X.T, columns=["a", 1]), Y.ravel()), TypeError,
     "`X`: expected column names that are all strings (or none that are); got names of type(s) int, str"),
    (lambda X, Y: NeuralNet(**SMALL).fit(pd.DataFrame(X.T, columns=["a", "a"]), Y.ravel()), ValueError,
     "`X`: expected distinct column names; got duplicated name(s) a"),
    (lambda X, Y: NeuralNet(hidden_layers=(4, 0)).fit(X.T, Y.ravel()), ValueError,
     "`hidden_layers`: expected whole numbers >= 1 (the hidden layer sizes; may be empty); got 0"),
    (lambda X, Y: NeuralNet(hidden_layers=2.5).fit(X.T, Y.ravel()), ValueError,
     "`hidden_layers`: expected whole numbers >= 1 (the hidden layer sizes; may be empty); got 2.5"),
    (lambda X, Y: NeuralNet(hidden_layers="5").fit(X.T, Y.ravel()), TypeError,
     "`hidden_layers`: expected whole numbers >= 1 (the hidden layer sizes; may be empty); got '5'"),
    (lambda X, Y: NeuralNet(init="glorot").fit(X.T, Y.ravel()), ValueError,
     '`init`: expected one of "scaled", "xavier", "he", "standard", "zeros", "random"; got \'glorot\''),
    (lambda X, Y: NeuralNet(learning_rate=-1).fit(X.T, Y.ravel()), ValueError,
     "`learning_rate`: expected a positive finite number; got -1"),
    (lambda X, Y: NeuralNet(verbose="yes").fit(X.T, Y.ravel()), TypeError,
     "`verbose`: expected TRUE/True or FALSE/False; got 'yes'"),
    (lambda X, Y: _fitted(X, Y).predict(np.ones((3, 5))), ValueError,
     "`X`: expected 2 columns (features), as at fit; got 5 columns (X has 5 features, but NeuralNet is expecting "
     "2 features as input)"),
    (lambda X, Y: _fitted(X, Y).predict_proba(X[0]), ValueError,
     "`X`: expected a 2-D numeric matrix; got an array of 1 dimension(s) (Reshape your data"),
    (lambda X, Y: _fitted(X, Y).predict(np.array([[np.nan, 1.0]])), ValueError,
     "`X`: expected finite values (no NaN or Inf); got 1 non-finite value(s)"),
]


@pytest.mark.parametrize("case", range(len(BAD)))
def test_bad_input_is_refused_with_a_clear_message(case, circles):
    fn, kind, message = BAD[case]
    X, Y = circles
    with pytest.raises(kind) as info:
        fn(X, Y)
    assert str(info.value).startswith(message), str(info.value)


def test_init_order_in_message_follows_INIT_SCHEMES():
    # the message lists the schemes in the core's order (checked here so BAD stays honest)
    assert list(twinnet.INIT_SCHEMES) == ["scaled", "xavier", "he", "standard", "zeros", "random"]


# ------------------------------------------------------------------ progress

def test_verbose_writes_one_progress_line_per_recorded_cost(circles, capsys):
    X, Y = circles
    NeuralNet(verbose=True, **SMALL).fit(X.T, Y.ravel())
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 9  # 0, 50, ..., 350 and 399
    pattern = re.compile(r"^iteration (\d+)/400  cost \S+  (-- it/s  -- s left|\d+ it/s  \d+\.\d s left)$")
    assert [int(pattern.match(line).group(1)) for line in lines] == [0, 50, 100, 150, 200, 250, 300, 350, 399]


def test_callback_sees_every_recorded_cost(circles):
    X, Y = circles
    seen = []
    net = NeuralNet(**SMALL).fit(X.T, Y.ravel(), callback=lambda i, c: seen.append((i, c)))
    assert [i for i, _ in seen] == list(net.costs_["iteration"])
    assert_identical("costs", net.costs_["cost"], [c for _, c in seen])


# ------------------------------------------------------------------ parity with R's neural_net

R_FIT = """(function(x, y, newdata, ...) {
  fit <- twinnet::neural_net(x, y, ...)
  list(costs = fit$costs, classes = fit$classes, parameters = stats::coef(fit),
       prob = stats::predict(fit, newdata, type = "prob"),
       class = as.character(stats::predict(fit, newdata)))
})"""


@pytest.mark.r
@pytest.mark.parametrize("labels", ["numbers", "strings"])
def test_same_seed_same_costs_and_predictions_in_R(r, labels):
    X, Y = make_circles(400, seed=11)
    Xt, _ = make_circles(200, seed=12)
    y = Y.ravel() if labels == "numbers" else np.where(Y.ravel() == 1, "apple", "Banana")
    # learning rate 0.1: at 0.2 this run is unstable and ends 2e-9 apart on some CPUs (contract section 13)
    cfg = dict(hidden_layers=(10, 5), hidden_activation="relu", init="xavier", learning_rate=0.1,
               num_iterations=2500, seed=5, print_every=100)
    assert_stable(X, Y, [2, 10, 5, 1], learning_rate=0.1, num_iterations=2500, seed=5, hidden_activation="relu",
                  scheme="xavier")
    net = NeuralNet(**cfg).fit(X.T, y)
    out = r.call(R_FIT, X.T, y.tolist() if labels == "strings" else y, Xt.T,
                 hidden_layers=np.array(cfg["hidden_layers"], dtype=np.int32),
                 **{k: v for k, v in cfg.items() if k != "hidden_layers"})
    assert_identical("iteration", net.costs_["iteration"], out["costs"]["iteration"])
    assert_close("costs (2500 iterations)", net.costs_["cost"], out["costs"]["cost"], tol=RUN_TOL)
    assert np.asarray(net.classes_).tolist() == np.asarray(out["classes"]).tolist()
    assert_close("P(class 1)", net.predict_proba(Xt.T)[:, 1], out["prob"], tol=RUN_TOL)
    assert_decisive("P(class 1)", net.predict_proba(Xt.T)[:, 1])
    assert [str(v) for v in net.predict(Xt.T)] == list(out["class"])


@pytest.mark.r
@pytest.mark.parametrize("args", [(0, 2500, 0.6931471805599453, 0.0), (1200, 2500, 0.0827331764719, 0.78),
                                  (399, 400, 1e-7, 12.5), (10, 20, 123456.789, 3.0)])
def test_R_progress_line_is_python_s(r, args):
    from twinnet._progress import format_progress
    assert r.call("twinnet:::progress_line", *args) == format_progress(*args)


@pytest.mark.r
def test_R_defaults_and_argument_names_are_the_same(r):
    assert list(r.eval("names(formals(twinnet::neural_net))")) == ["x", "..."]  # the S3 generic
    formals = r.eval("names(formals(getS3method('neural_net', 'default', envir = asNamespace('twinnet'))))")
    assert list(formals) == ["x", "y", *R_NAMES, "callback", "..."]
    defaults = r.eval("""local({ f <- formals(getS3method("neural_net", "default", envir = asNamespace("twinnet")))
        list(hidden_layers = eval(f$hidden_layers), hidden_activation = f$hidden_activation, init = f$init,
             learning_rate = f$learning_rate, num_iterations = f$num_iterations, seed = f$seed,
             stream = f$stream, print_every = f$print_every, verbose = f$verbose,
             parameters_is_null = is.null(f$parameters)) })""")
    py = twinnet.estimator.DEFAULTS
    assert list(defaults["hidden_layers"]) == list(py["hidden_layers"])
    for k in ("hidden_activation", "init", "learning_rate", "num_iterations", "seed", "stream", "print_every",
              "verbose"):
        assert defaults[k] == py[k], k
    assert defaults["parameters_is_null"] and py["warm_start"] is False


def test_warm_start_continues_a_fit_bit_for_bit():
    """Contract section 24: T iterations, then T more from the fitted parameters, are the 2T-iteration run."""
    X, y = XS, YS
    net = NeuralNet(hidden_layers=(4,), learning_rate=0.5, num_iterations=30, print_every=10, warm_start=True)
    first = {k: v.copy() for k, v in net.fit(X, y).parameters_.items()}
    net.fit(X, y)
    whole = NeuralNet(hidden_layers=(4,), learning_rate=0.5, num_iterations=60, print_every=10).fit(X, y)
    assert all(np.array_equal(net.parameters_[k], whole.parameters_[k]) for k in whole.parameters_)
    assert net.costs_["cost"].tolist()[1:] == whole.costs_["cost"].tolist()[4:]
    cold = NeuralNet(hidden_layers=(4,), learning_rate=0.5, num_iterations=30, print_every=10).fit(X, y)
    cold.fit(X, y)  # without warm_start a second fit starts again from the seed
    assert all(np.array_equal(cold.parameters_[k], first[k]) for k in first)


def test_stream_numpy_is_L_layer_models_and_the_model_file_keeps_it(tmp_path):
    net = NeuralNet(hidden_layers=(4,), num_iterations=5, stream="numpy").fit(XS, YS)
    ref, _ = twinnet.L_layer_model(XS.T, YS.reshape(1, -1), [2, 4, 1], num_iterations=5, stream="numpy")
    assert all(np.array_equal(net.parameters_[k], ref[k]) for k in ref)
    twinnet.save_model(net, tmp_path / "m.h5")
    assert twinnet.load_model(tmp_path / "m.h5").stream == "numpy"


@pytest.mark.r
def test_R_continues_with_coef_as_python_warm_starts(r):
    """neural_net(..., parameters = coef(fit)) is NeuralNet(warm_start=True)'s second fit (3 + 3 steps: the single-step tolerance)."""
    net = NeuralNet(hidden_layers=(4,), learning_rate=0.5, num_iterations=3, print_every=1, warm_start=True)
    net.fit(XS, YS).fit(XS, YS)
    fit = ("(function(x, y) { a <- twinnet::neural_net(x, y, hidden_layers = 4, learning_rate = 0.5, "
                 "num_iterations = 3, print_every = 1); twinnet::neural_net(x, y, hidden_layers = 4, "
                 "learning_rate = 0.5, num_iterations = 3, print_every = 1, parameters = coef(a))$costs$cost })")
    assert_close("costs", net.costs_["cost"].to_numpy(), np.asarray(r.call(fit, XS, YS)))


# ------------------------------------------------------------------ the same refusals and acceptances in R

# refuse_both calls module.<name> in Python and the R function <name>; here <name> is R code (r.call
# evaluates a name with "::" as code) and the module holds the Python that does the same.
R_FIT_PLAIN = "(function(x, y, ...) twinnet::neural_net(x, y, ...))"
R_PREDICT = ("(function(x, y, newdata, ...) stats::predict(twinnet::neural_net(x, y, hidden_layers = 2, "
             "num_iterations = 2, ...), newdata))")
PY = SimpleNamespace(**{
    R_FIT_PLAIN: lambda X, y, **kw: NeuralNet().set_params(**kw).fit(X, y),
    R_PREDICT: lambda X, y, newdata, **kw: NeuralNet(hidden_layers=2, num_iterations=2).set_params(**kw)
    .fit(X, y).predict(newdata),
})
XS = make_circles(20, seed=1)[0].T.copy()
YS = (np.arange(20) % 2).astype(float)
HIDDEN = "whole numbers >= 1 (the hidden layer sizes; may be empty)"
#: R's parameter names: Python's warm_start is R's parameters (docs/contract.md section 19).
R_NAMES = [{"warm_start": "parameters"}.get(name, name) for name in DEFAULTS]
ONE_OF = "one of the parameters " + ", ".join(DEFAULTS)

SAME_ARGUMENT = {  # (args, kwargs, argument, expected); the same argument name in both languages
    "3 classes": ((XS, np.arange(20) % 3), {}, "y", "two classes (or labels 0/1)"),
    "3 strings": ((XS, np.array(["a", "b", "c", "a"] * 5)), {}, "y", "two classes (or labels 0/1)"),
    "continuous y": ((XS, XS[:, 0]), {}, "y", "two classes (or labels 0/1)"),
    "y too short": ((XS, YS[:-1]), {}, "y", "20 labels, one per row of X"),
    "y NaN": ((XS, np.where(YS == 1, np.nan, 0.0)), {}, "y", "labels without missing or infinite values"),
    "y Inf": ((XS, np.where(YS == 1, np.inf, 0.0)), {}, "y", "labels without missing or infinite values"),
    "y None/NULL": ((XS, None), {}, "y", "a vector of labels (one per row of X)"),
    "y 2 columns": ((XS, np.ones((20, 2))), {}, "y", "a vector of labels (one per row of X)"),
    "hidden 0": ((XS, YS), {"hidden_layers": [4, 0]}, "hidden_layers", HIDDEN),
    "hidden 2.5": ((XS, YS), {"hidden_layers": 2.5}, "hidden_layers", HIDDEN),
    "hidden '5'": ((XS, YS), {"hidden_layers": "5"}, "hidden_layers", HIDDEN),
    "hidden TRUE": ((XS, YS), {"hidden_layers": True}, "hidden_layers", HIDDEN),
    "hidden matrix": ((XS, YS), {"hidden_layers": np.array([[4, 2]])}, "hidden_layers", HIDDEN),
    "init": ((XS, YS), {"init": "glorot"}, "init", 'one of "scaled", "xavier", "he", "standard", "zeros", "random"'),
    "activation": ((XS, YS), {"hidden_activation": "softmax"}, "hidden_activation",
                   'one of "sigmoid", "relu", "tanh", "leaky_relu"'),
    "learning rate -1": ((XS, YS), {"learning_rate": -1.0}, "learning_rate", "a positive finite number"),
    "learning rate '0.5'": ((XS, YS), {"learning_rate": "0.5"}, "learning_rate", "a positive finite number"),
    "iterations 0": ((XS, YS), {"num_iterations": 0}, "num_iterations", "a whole number >= 1"),
    "iterations 2.5": ((XS, YS), {"num_iterations": 2.5}, "num_iterations", "a whole number >= 1"),
    "print_every 0": ((XS, YS), {"print_every": 0}, "print_every", "a whole number >= 1"),
    "seed -1": ((XS, YS), {"seed": -1}, "seed", "a whole number in 0..2147483647"),
    "verbose 'yes'": ((XS, YS), {"verbose": "yes"}, "verbose", "TRUE/True or FALSE/False"),
    "verbose 1": ((XS, YS), {"verbose": 1}, "verbose", "TRUE/True or FALSE/False"),
    "stream": ((XS, YS), {"stream": "mt"}, "stream", 'one of "portable", "numpy"'),
}


@pytest.mark.r
def test_an_unknown_parameter_is_refused_with_each_language_s_list(r):
    """The one list that differs: Python's warm_start is R's parameters (docs/contract.md section 19)."""
    with pytest.raises(ValueError) as exc:
        NeuralNet().set_params(alpha=1)
    assert expected_part(str(exc.value)) == ("alpha", ONE_OF)
    with pytest.raises(RError) as rexc:
        r.call(R_FIT_PLAIN, XS, YS, alpha=1)
    assert expected_part(rexc.value.message) == ("alpha", "one of the parameters " + ", ".join(R_NAMES))


@pytest.mark.r
@pytest.mark.parametrize("case", list(SAME_ARGUMENT), ids=list(SAME_ARGUMENT))
def test_R_refuses_the_same_input_with_the_same_expectation(r, case):
    args, kwargs, arg, expected = SAME_ARGUMENT[case]
    refuse_both(r, PY, R_FIT_PLAIN, args, kwargs, arg, expected)


NAMED_DF = pd.DataFrame(XS, columns=["x1", "x2"])
OTHER_ARGUMENT = {  # (R code, args, Python argument, R argument, expected): X is x (fit) or newdata (predict)
    "X 1-D": (R_FIT_PLAIN, (XS[:, 0], YS), "X", "x", "a 2-D numeric matrix"),
    "X 3-D": (R_FIT_PLAIN, (XS.reshape(20, 2, 1), YS), "X", "x", "a 2-D numeric matrix"),
    "X numeric strings": (R_FIT_PLAIN, (XS.astype(str), YS), "X", "x", "a 2-D numeric matrix"),
    "X booleans": (R_FIT_PLAIN, (XS > 0, YS), "X", "x", "a 2-D numeric matrix"),
    "X complex": (R_FIT_PLAIN, (XS + 1j, YS), "X", "x", "a 2-D numeric matrix"),
    "X NaN": (R_FIT_PLAIN, (np.where(XS > 0.5, np.nan, XS), YS), "X", "x", "finite values (no NaN or Inf)"),
    "X no rows": (R_FIT_PLAIN, (np.empty((0, 2)), YS[:0]), "X", "x", "a 2-D numeric matrix"),
    "X no columns": (R_FIT_PLAIN, (np.empty((20, 0)), YS), "X", "x", "a 2-D numeric matrix"),
    "X text column": (R_FIT_PLAIN, (NAMED_DF.assign(x2=["s"] * 20), YS), "X", "x", "numeric columns only"),
    "X boolean column": (R_FIT_PLAIN, (NAMED_DF.assign(x2=XS[:, 1] > 0), YS), "X", "x", "numeric columns only"),
    "newdata columns": (R_PREDICT, (XS, YS, np.ones((3, 5))), "X", "newdata", "2 columns (features), as at fit"),
    "newdata 1-D": (R_PREDICT, (XS, YS, XS[0]), "X", "newdata", "a 2-D numeric matrix"),
    "newdata renamed": (R_PREDICT, (NAMED_DF, YS, NAMED_DF.rename(columns={"x2": "z"})), "X", "newdata",
                        "the columns of the fit, x1, x2 (in any order)"),
    "newdata missing": (R_PREDICT, (NAMED_DF, YS, NAMED_DF[["x2"]]), "X", "newdata",
                        "the columns of the fit, x1, x2 (in any order)"),
    "newdata extra": (R_PREDICT, (NAMED_DF, YS, NAMED_DF.assign(id=1.0)), "X", "newdata",
                      "the columns of the fit, x1, x2 (in any order)"),
}


@pytest.mark.r
@pytest.mark.parametrize("case", list(OTHER_ARGUMENT), ids=list(OTHER_ARGUMENT))
def test_R_refuses_the_same_data_with_the_same_expectation(r, case):
    rcode, args, py_arg, r_arg, expected = OTHER_ARGUMENT[case]
    with pytest.raises((ValueError, TypeError)) as exc:
        getattr(PY, rcode)(*args)
    assert expected_part(str(exc.value)) == (py_arg, expected), str(exc.value)
    with pytest.raises(RError) as rexc:
        r.call(rcode, *args)
    assert "twinnet_input_error" in rexc.value.classes, rexc.value.message
    assert expected_part(rexc.value.message) == (r_arg, expected), rexc.value.message
    if case.startswith("newdata ") and case != "newdata 1-D":  # the "got" part says the same too
        assert rexc.value.message.split("; got ")[1] == str(exc.value).split("; got ")[1].split(" (X has")[0]


SAME_AS_REFERENCE = {  # (kwargs or data changes) accepted in both languages, the same network as hidden_layers=(3,)
    "sizes as floats": ({"hidden_layers": [3.0]}, XS, YS),
    "one size alone": ({"hidden_layers": 3}, XS, YS),
    "one size alone, float": ({"hidden_layers": 3.0}, XS, YS),
    "iterations as a float": ({"hidden_layers": [3], "num_iterations": 30.0}, XS, YS),
    "integer X": ({"hidden_layers": [3]}, np.round(XS * 4).astype(np.int64), YS),
    "labels 0/1 as strings": ({"hidden_layers": [3]}, XS, np.where(YS == 1, "1", "0")),
    "labels as booleans": ({"hidden_layers": [3]}, XS, YS == 1),
    "labels 0/1 as integers": ({"hidden_layers": [3]}, XS, YS.astype(np.int64)),
}


@pytest.mark.r
@pytest.mark.parametrize("case", list(SAME_AS_REFERENCE), ids=list(SAME_AS_REFERENCE))
def test_R_accepts_the_same_input_and_trains_the_same_network(r, case):
    kwargs, X, y = SAME_AS_REFERENCE[case]
    cfg = dict({"learning_rate": 0.5, "num_iterations": 30, "seed": 3, "print_every": 10}, **kwargs)
    assert_stable(XS.T, YS.reshape(1, -1), [2, 3, 1], learning_rate=0.5, num_iterations=30, seed=3)  # every case's net
    net = NeuralNet(**cfg).fit(X, y)
    ref = NeuralNet(**dict(cfg, hidden_layers=(3,), num_iterations=30)).fit(X, y)
    assert_identical("costs", ref.costs_["cost"], net.costs_["cost"])
    out = r.call("""(function(x, y, ...) { f <- twinnet::neural_net(x, y, ...)
                    list(costs = f$costs$cost, classes = f$classes) })""", X, y, **cfg)
    assert_close("costs in R", net.costs_["cost"], out["costs"], tol=RUN_TOL)
    assert np.asarray(net.classes_).tolist() == np.asarray(out["classes"]).tolist()


@pytest.mark.r
def test_no_hidden_layer_is_None_in_Python_and_NULL_in_R(r):
    assert_stable(XS.T, YS.reshape(1, -1), [2, 1], num_iterations=5)
    net = NeuralNet(hidden_layers=None, num_iterations=5).fit(XS, YS)
    assert net.layer_dims_ == [2, 1]
    out = r.call("(function(x, y) twinnet::neural_net(x, y, hidden_layers = NULL, num_iterations = 5)$costs)", XS, YS)
    assert_close("costs", net.costs_["cost"], out["cost"], tol=RUN_TOL)


@pytest.mark.r
def test_both_languages_match_reordered_columns_by_name(r):
    X, Y = make_circles(120, seed=4)
    df = pd.DataFrame({"a": X[0], "b": X[1], "c": X[0] * X[1]})
    cfg = dict(hidden_layers=(4,), learning_rate=0.5, num_iterations=50, seed=2, print_every=10)
    assert_stable(df.to_numpy().T, Y, [3, 4, 1], learning_rate=0.5, num_iterations=50, seed=2)
    net = NeuralNet(**cfg).fit(df, Y.ravel())
    shuffled = df[["c", "a", "b"]]
    out = r.call("""(function(x, y, newdata, ...) { f <- twinnet::neural_net(x, y, ...)
                    list(p = stats::predict(f, newdata, type = "prob"), p0 = stats::predict(f, x, type = "prob")) })""",
                 df, Y.ravel(), shuffled, **cfg)
    assert_identical("P, reordered (Python)", net.predict_proba(df)[:, 1], net.predict_proba(shuffled)[:, 1])
    assert_identical("P, reordered (R)", out["p0"], out["p"])
    assert_close("P, Python and R", net.predict_proba(shuffled)[:, 1], out["p"], tol=RUN_TOL)


# ------------------------------------------------------------------ scikit-learn

CHECK_NETS = {  # small and fast: check_estimator fits some hundred times
    "relu (4)": dict(hidden_layers=(4,), learning_rate=0.5, num_iterations=100),
    "tanh (3, 2)": dict(hidden_layers=(3, 2), hidden_activation="tanh", learning_rate=0.5, num_iterations=100),
    "logistic": dict(hidden_layers=(), learning_rate=0.5, num_iterations=100),
}


@pytest.fixture(scope="module")
def sk():
    return pytest.importorskip("sklearn", reason="scikit-learn is not installed (pip install 'twinnet[sklearn]')")


def sklearn_version():
    import sklearn
    return tuple(int(v) for v in re.findall(r"\d+", sklearn.__version__)[:2])


def run_check_estimator(estimator):
    """[(check name, status, exception)] for every check scikit-learn's check_estimator yields."""
    from sklearn.utils.estimator_checks import check_estimator

    results = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if sklearn_version() >= (1, 6):
            def record(estimator, check_name, exception, status, expected_to_fail, expected_to_fail_reason):
                results.append((check_name, status, exception))
            check_estimator(estimator, on_fail=None, callback=record, expected_failed_checks=EXPECTED_FAILED_CHECKS)
        else:  # 1.5: no callback; run the generated checks (the _xfail_checks tag marks them as skips)
            from sklearn.utils._testing import SkipTest
            for est, check in check_estimator(estimator, generate_only=True):
                name = getattr(check, "func", check).__name__
                try:
                    check(est)
                    results.append((name, "passed", None))
                except SkipTest as exc:
                    results.append((name, "skipped", exc))
                except Exception as exc:  # noqa: BLE001 - a failed check, reported below
                    results.append((name, "failed", exc))
    return results


@pytest.mark.parametrize("config", list(CHECK_NETS), ids=list(CHECK_NETS))
def test_check_estimator_passes_every_check_that_applies(sk, config):
    results = run_check_estimator(NeuralNet(**CHECK_NETS[config]))
    failed = [(name, repr(exc)[:300]) for name, status, exc in results if status == "failed"]
    assert not failed
    skipped = [(name, str(exc)) for name, status, exc in results if status == "skipped"]
    # scikit-learn itself skips its array-API check unless SCIPY_ARRAY_API=1 is set before scipy is imported
    assert all(name == "check_array_api_input" and "SCIPY_ARRAY_API" in why for name, why in skipped), skipped
    assert sum(status == "xfail" for _, status, _ in results) == len(EXPECTED_FAILED_CHECKS) == 0
    names = {name for name, _, _ in results}
    assert {"check_estimators_unfitted", "check_supervised_y_2d", "check_classifiers_train",
            "check_classifiers_regression_target", "check_estimators_pickle", "check_dtype_object"} <= names
    if "check_estimator_tags_renamed" in names:  # scikit-learn >= 1.6
        assert {"check_classifier_not_supporting_multiclass", "check_n_features_in_after_fitting"} <= names
    assert len([s for _, s, _ in results if s == "passed"]) >= 45


def test_scikit_learn_sees_a_binary_classifier(sk):
    from sklearn.base import is_classifier
    from sklearn.utils.multiclass import type_of_target

    net = NeuralNet()
    assert is_classifier(net)
    if sklearn_version() >= (1, 6):
        from sklearn.utils import get_tags
        tags = get_tags(net)
        assert tags.estimator_type == "classifier" and tags.classifier_tags.multi_class is False
        assert tags.target_tags.required and not tags.input_tags.sparse and not tags.input_tags.allow_nan
    y3 = np.arange(30) % 3
    assert type_of_target(y3) == "multiclass"
    with pytest.raises(ValueError, match="Only binary classification is supported."):
        NeuralNet(num_iterations=2).fit(np.ones((30, 2)), y3)


@pytest.fixture(scope="module")
def pets():
    X, Y = make_circles(300, seed=2)
    return X.T * [1.0, 20.0] + [0.0, 5.0], np.where(Y.ravel() == 1, "inner", "outer")  # unscaled columns


def test_pipeline_is_the_scaler_then_the_net(sk, pets):
    from sklearn.base import clone
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = pets
    net = NeuralNet(hidden_layers=(8,), learning_rate=0.5, num_iterations=300)
    pipe = make_pipeline(StandardScaler(), net).fit(X, y)
    Xs = StandardScaler().fit_transform(X)
    ref = clone(net).fit(Xs, y)
    assert_identical("P", ref.predict_proba(Xs), pipe.predict_proba(X))
    assert list(pipe.predict(X)) == list(ref.predict(Xs))
    assert pipe.score(X, y) == ref.score(Xs, y) > 0.9
    assert list(pipe.classes_) == ["inner", "outer"]


def test_cross_validation_is_stratified_and_scores_every_fold(sk, pets):
    from sklearn.base import clone
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold, check_cv, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = pets
    pipe = make_pipeline(StandardScaler(), NeuralNet(hidden_layers=(8,), learning_rate=0.5, num_iterations=200))
    assert isinstance(check_cv(3, y, classifier=True), StratifiedKFold)
    accuracy = cross_val_score(pipe, X, y, cv=3, error_score="raise")
    auc = cross_val_score(pipe, X, y, cv=3, scoring="roc_auc", error_score="raise")
    by_hand, auc_by_hand = [], []
    for train, test in StratifiedKFold(3).split(X, y):  # what cross_val_score must do for a classifier
        fold = clone(pipe).fit(X[train], y[train])
        by_hand.append(fold.score(X[test], y[test]))
        auc_by_hand.append(roc_auc_score(y[test] == "outer", fold.predict_proba(X[test])[:, 1]))
    assert_identical("accuracy per fold", np.array(by_hand), accuracy)
    assert_close("AUC per fold", np.array(auc_by_hand), auc, tol=1e-15)
    assert np.all(np.isfinite(auc)) and np.all(auc > 0.75)  # no NaN (as before the estimator was a classifier)


def test_grid_search_clone_and_pickle(sk, pets):
    from sklearn.base import clone
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = pets
    pipe = make_pipeline(StandardScaler(), NeuralNet(learning_rate=0.5, num_iterations=150))
    grid = {"neuralnet__hidden_layers": [(1,), (8,)], "neuralnet__hidden_activation": ["relu", "tanh"]}
    search = GridSearchCV(pipe, grid, cv=3, scoring="roc_auc", error_score="raise").fit(X, y)
    assert len(search.cv_results_["params"]) == 4 and np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    best = search.best_params_
    assert search.cv_results_["mean_test_score"].max() == search.best_score_
    refit = clone(pipe).set_params(**best).fit(X, y)
    assert_identical("best estimator", refit.predict_proba(X), search.predict_proba(X))

    net = NeuralNet(hidden_layers=(5,), seed=9, num_iterations=40).fit(X, y)
    twin = clone(net)
    assert twin.get_params() == net.get_params() and not hasattr(twin, "parameters_")
    again = pickle.loads(pickle.dumps(net))
    assert_identical("P after pickle", net.predict_proba(X), again.predict_proba(X))
    assert again.n_features_in_ == 2 and again.n_iter_ == 40


WITHOUT_SKLEARN = r"""
import json, pickle, sys, warnings
sys.modules["sklearn"] = None  # import sklearn.* now raises ImportError: scikit-learn "is not installed"
import numpy as np, pandas as pd
import twinnet
from twinnet import NeuralNet, make_circles
from twinnet.estimator import HAVE_SKLEARN
X, Y = make_circles(60, seed=5)
df = pd.DataFrame(X.T, columns=["x1", "x2"])
net = NeuralNet(hidden_layers=(3,), learning_rate=0.5, num_iterations=20).fit(df, Y.ravel())
out = {"have_sklearn": HAVE_SKLEARN, "repr": repr(net), "params": {k: list(v) if isinstance(v, tuple) else v
       for k, v in net.get_params().items()}, "costs": net.costs_["cost"].tolist(),
       "p": net.predict_proba(df[["x2", "x1"]])[:, 1].tolist(), "names": list(net.feature_names_in_),
       "n_iter": net.n_iter_, "pickle": pickle.loads(pickle.dumps(net)).predict(df).tolist()}
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    net.predict(X.T)
out["warning"] = [str(x.message) for x in w]
try:
    NeuralNet().predict(X.T)
except twinnet.NotFittedError as exc:
    out["not_fitted"] = [isinstance(exc, ValueError), isinstance(exc, AttributeError), str(exc)]
try:
    net.set_params(alpha=1)
except ValueError as exc:
    out["set_params"] = str(exc)
print(json.dumps(out))
"""


def test_without_scikit_learn_NeuralNet_behaves_the_same(tmp_path):
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    done = subprocess.run([sys.executable, "-c", WITHOUT_SKLEARN], capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["have_sklearn"] is False
    X, Y = make_circles(60, seed=5)
    df = pd.DataFrame(X.T, columns=["x1", "x2"])
    net = NeuralNet(hidden_layers=(3,), learning_rate=0.5, num_iterations=20).fit(df, Y.ravel())
    assert out["repr"] == repr(net) == "NeuralNet(hidden_layers=(3,), learning_rate=0.5, num_iterations=20)"
    assert out["params"] == {k: list(v) if isinstance(v, tuple) else v for k, v in net.get_params().items()}
    assert out["costs"] == net.costs_["cost"].tolist()
    assert out["p"] == net.predict_proba(df)[:, 1].tolist()
    assert out["names"] == ["x1", "x2"] and out["n_iter"] == 20
    assert out["pickle"] == net.predict(df).tolist()
    assert out["warning"] == ["X does not have valid feature names, but NeuralNet was fitted with feature names"]
    assert out["not_fitted"][:2] == [True, True] and "not fitted yet" in out["not_fitted"][2]
    assert out["set_params"].startswith("`alpha`: expected one of the parameters hidden_layers")


def test_import_twinnet_leaves_the_estimator_and_scikit_learn_until_first_use():
    code = ("import sys, twinnet\n"
            "before = sorted(m for m in ('sklearn', 'scipy', 'twinnet.estimator') if m in sys.modules)\n"
            "net = twinnet.NeuralNet\n"
            "print(before, 'twinnet.estimator' in sys.modules, 'NeuralNet' in dir(twinnet),\n"
            "      twinnet.NotFittedError is sys.modules['twinnet.estimator'].NotFittedError)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["[]", "True", "True", "True"]


# ------------------------------------------------------------------ the course's second part (issue 15)

OPTIONS = dict(hidden_layers=(8, 4), learning_rate=0.005, num_iterations=60, seed=3, print_every=10, lambd=0.2,
               keep_prob=(0.9, 0.8), mini_batch_size=50, optimizer="adam", beta1=0.85, beta2=0.99, epsilon=1e-7,
               decay="update_lr", decay_rate=0.05, mini_batch_seed=4, dropout_seed=6)


def test_the_options_are_L_layer_models(circles):
    X, Y = circles
    net = NeuralNet(**OPTIONS).fit(X.T, Y.ravel())
    core = {k: v for k, v in OPTIONS.items() if k != "hidden_layers"}
    params, costs = L_layer_model(X, Y, [2, 8, 4, 1], **core)
    assert_identical("cost", costs["cost"], net.costs_["cost"])
    for k in params:
        assert_identical(k, params[k], net.parameters_[k])
    assert net.n_iter_ == 60 and net.loss_curve_ == costs["cost"].tolist()  # per epoch


@pytest.mark.r
def test_R_neural_net_with_the_options_is_NeuralNet(r, circles):
    X, Y = circles
    core = {k: v for k, v in OPTIONS.items() if k != "hidden_layers"}
    assert_stable(X, Y, [2, 8, 4, 1], **core)
    net = NeuralNet(**OPTIONS).fit(X.T, Y.ravel())
    out = r.call(R_FIT, X.T, Y.ravel(), X.T, hidden_layers=np.array([8, 4], dtype=np.int32),
                 **dict(core, keep_prob=list(OPTIONS["keep_prob"])))
    assert_close("epoch costs", net.costs_["cost"], out["costs"]["cost"], tol=RUN_TOL)
    assert_close("P(class 1)", net.predict_proba(X.T)[:, 1], out["prob"], tol=RUN_TOL)
    assert_decisive("P(class 1)", net.predict_proba(X.T)[:, 1])
    assert [str(v) for v in net.predict(X.T)] == [str(v) for v in out["class"]]

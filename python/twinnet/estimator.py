"""A scikit-learn style estimator over the functional core (twin of ``R/estimator.R``).

``NeuralNet`` is the idiomatic Python face of twinnet, and ``neural_net()`` is
the R one (docs/contract.md, "Estimators": the one place where the twins
differ in shape, on purpose). Both are thin layers over ``L_layer_model``:
they transpose the data, map the labels to 0/1, call the core and keep what
it returns. There is no second copy of the maths.

    >>> from twinnet import NeuralNet, make_circles
    >>> X, Y = make_circles(200, seed=1)
    >>> net = NeuralNet(hidden_layers=(8,), learning_rate=0.5, num_iterations=300).fit(X.T, Y.ravel())
    >>> net.costs_.shape
    (4, 2)

At this boundary X is examples x features (one row per example), as in
scikit-learn and pandas; the core takes features x examples.
"""

import numbers

import numpy as np
import pandas as pd

from ._progress import VerbosePrinter
from .initialize import INIT_SCHEMES
from .model import L_layer_model
from .model import predict_proba as _core_predict_proba
from .validate import check_choice, check_count, check_flag, check_matrix, describe, input_error

#: The constructor's arguments, in order, with their defaults (the same in R's neural_net()).
DEFAULTS = {
    "hidden_layers": (20, 7, 5),
    "hidden_activation": "relu",
    "init": "xavier",
    "learning_rate": 0.0075,
    "num_iterations": 2500,
    "seed": 1,
    "print_every": 100,
    "verbose": False,
}


class NotFittedError(ValueError, AttributeError):
    """Raised when a NeuralNet is used before ``fit`` (as scikit-learn's NotFittedError)."""


def check_hidden_layers(hidden_layers, arg="hidden_layers"):
    """A sequence of whole numbers >= 1, possibly empty; returned as a tuple of int."""
    expected = "whole numbers >= 1 (the hidden layer sizes; may be empty)"
    if isinstance(hidden_layers, np.ndarray):
        hidden_layers = hidden_layers.tolist()
    if isinstance(hidden_layers, (numbers.Integral,)) and not isinstance(hidden_layers, bool):
        hidden_layers = (hidden_layers,)
    if not isinstance(hidden_layers, (list, tuple)):
        raise input_error(arg, expected, describe(hidden_layers), TypeError)
    for v in hidden_layers:
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real) or not np.isfinite(v) \
                or float(v) != int(v) or v < 1:
            raise input_error(arg, expected, repr(v))
    return tuple(int(v) for v in hidden_layers)


def examples_matrix(X, arg="X"):
    """X (examples x features: ndarray, DataFrame or nested list) as a float64 (m, n) array."""
    if isinstance(X, pd.DataFrame):
        bad = [str(c) for c, t in X.dtypes.items() if not (pd.api.types.is_numeric_dtype(t)
                                                          and not pd.api.types.is_bool_dtype(t))]
        if bad:
            raise input_error(arg, "numeric columns only", "non-numeric column(s) " + ", ".join(bad[:5]), TypeError)
        X = X.to_numpy(dtype=np.float64)
    elif isinstance(X, (list, tuple)):
        try:
            X = np.asarray(X, dtype=np.float64)
        except (TypeError, ValueError):
            raise input_error(arg, "a 2-D numeric matrix", describe(X), TypeError) from None
    return check_matrix(X, arg)


def encode_labels(y, m, arg="y"):
    """Map the labels to 0/1: returns ``(codes, classes)``.

    Rules (docs/contract.md, "Estimators"): numbers that are all 0 or 1 give
    ``classes = [0, 1]``; booleans ``[False, True]``; a pandas Categorical
    keeps its two categories in their order; any other two distinct values
    (numbers or strings) are sorted and the first becomes 0.
    """
    expected_shape = "a vector of labels (one per row of X)"
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise input_error(arg, expected_shape, f"a DataFrame with {y.shape[1]} columns")
        y = y.iloc[:, 0]
    categories = None
    if isinstance(y, pd.Series) and isinstance(y.dtype, pd.CategoricalDtype):
        y = y.array
    if isinstance(y, pd.Categorical):
        categories = list(y.categories)
        codes = np.asarray(y.codes)
        if len(codes) != m:
            raise input_error(arg, f"{m} labels, one per row of X", f"{len(codes)} labels")
        if len(categories) != 2:
            raise input_error(arg, "two classes (or labels 0/1)", f"a Categorical with {len(categories)} categories")
        if np.any(codes < 0):
            raise input_error(arg, "labels without missing values", f"{int(np.sum(codes < 0))} missing value(s)")
        return codes.astype(np.float64), np.array(categories)
    if isinstance(y, pd.Series):
        y = y.to_numpy()
    if not isinstance(y, np.ndarray):
        if isinstance(y, (list, tuple)):
            y = np.asarray(y, dtype=object if any(isinstance(v, str) for v in y) else None)
        else:
            raise input_error(arg, expected_shape, describe(y), TypeError)
    if y.ndim == 2 and 1 in y.shape:
        y = y.ravel()
    if y.ndim != 1:
        raise input_error(arg, expected_shape, f"an array of shape {tuple(y.shape)}")
    if len(y) != m:
        raise input_error(arg, f"{m} labels, one per row of X", f"{len(y)} labels")
    if y.dtype.kind == "b":
        return y.astype(np.float64), np.array([False, True])
    if y.dtype.kind in "iuf":
        if y.dtype.kind == "f" and not np.all(np.isfinite(y)):
            raise input_error(arg, "labels without missing values", f"{int(np.sum(~np.isfinite(y)))} missing value(s)")
        if np.all((y == 0) | (y == 1)):
            return y.astype(np.float64), np.array([0, 1])
        classes = np.unique(y)
    else:
        values = y.tolist()
        missing = sum(1 for v in values if v is None or (isinstance(v, float) and v != v))
        if missing:
            raise input_error(arg, "labels without missing values", f"{missing} missing value(s)")
        kinds = {type(v) for v in values}
        if not all(issubclass(k, str) for k in kinds):
            raise input_error(arg, "labels of one type (numbers or strings)",
                              "values of type(s) " + ", ".join(sorted(k.__name__ for k in kinds)), TypeError)
        classes = np.array(sorted(set(values)))
        y = np.asarray(values, dtype=classes.dtype)
    if len(classes) != 2:
        raise input_error(arg, "two classes (or labels 0/1)", f"{len(classes)} distinct value(s)")
    return (y == classes[1]).astype(np.float64), classes


class NeuralNet:
    """A fully connected binary classifier, used like a scikit-learn estimator.

    Parameters
    ----------
    hidden_layers : sequence of int, default (20, 7, 5)
        Sizes of the hidden layers (may be empty: logistic regression). The
        input and output sizes come from the data.
    hidden_activation : {"relu", "tanh", "sigmoid", "leaky_relu"}, default "relu"
    init : {"xavier", "he", "scaled", "standard"}, default "xavier"
        Initialisation scheme (the core's ``scheme``).
    learning_rate : float, default 0.0075
    num_iterations : int, default 2500
    seed : int, default 1
        Seed of the portable stream: the same seed gives the same network in R.
    print_every : int, default 100
        Record the cost every ``print_every`` iterations (and at the last one).
    verbose : bool, default False
        Write a progress line to stderr at every recorded cost.

    Attributes (after ``fit``)
    --------------------------
    parameters_ : dict
        ``W1, b1, ..., WL, bL`` (``W_l`` is ``n_l x n_(l-1)``).
    costs_ : pandas.DataFrame
        Columns ``iteration`` (int) and ``cost`` (float).
    classes_ : ndarray of shape (2,)
        The label mapped to 0, then the label mapped to 1.
    n_features_in_ : int
    layer_dims_ : list of int
        ``[n_features, *hidden_layers, 1]``.
    feature_names_in_ : ndarray of str
        Only when X was a DataFrame with string column names.
    """

    def __init__(self, hidden_layers=(20, 7, 5), hidden_activation="relu", init="xavier",
                 learning_rate=0.0075, num_iterations=2500, seed=1, print_every=100, verbose=False):
        self.hidden_layers = hidden_layers
        self.hidden_activation = hidden_activation
        self.init = init
        self.learning_rate = learning_rate
        self.num_iterations = num_iterations
        self.seed = seed
        self.print_every = print_every
        self.verbose = verbose

    # -- scikit-learn protocol --------------------------------------------
    def get_params(self, deep=True):
        """The constructor's arguments as a dict (scikit-learn protocol)."""
        return {name: getattr(self, name) for name in DEFAULTS}

    def set_params(self, **params):
        """Set constructor arguments by name; returns self (scikit-learn protocol)."""
        for name, value in params.items():
            if name not in DEFAULTS:
                raise input_error(name, "one of the parameters " + ", ".join(DEFAULTS), "an unknown parameter name")
            setattr(self, name, value)
        return self

    def __repr__(self):
        changed = [f"{name}={getattr(self, name)!r}" for name, default in DEFAULTS.items()
                   if not _same(getattr(self, name), default)]
        return f"NeuralNet({', '.join(changed)})"

    # -- training ---------------------------------------------------------
    def _checked_config(self):
        hidden = check_hidden_layers(self.hidden_layers)
        check_choice(self.init, tuple(INIT_SCHEMES), "init")
        check_flag(self.verbose, "verbose")
        check_count(self.num_iterations, "num_iterations")  # (again in L_layer_model; the progress line needs it first)
        return hidden

    def fit(self, X, y, callback=None):
        """Train on X (examples x features) and labels y; returns self.

        ``callback(iteration, cost)``, if given, is called each time a cost is
        recorded (as in ``L_layer_model``), after the verbose line.
        """
        hidden = self._checked_config()
        feature_names = None
        if isinstance(X, pd.DataFrame) and all(isinstance(c, str) for c in X.columns):
            feature_names = np.asarray(X.columns, dtype=object)
        Xm = examples_matrix(X)
        m, n = Xm.shape
        codes, classes = encode_labels(y, m)
        if callback is not None and not callable(callback):
            raise input_error("callback", "a function or None", describe(callback), TypeError)
        hooks = []
        if self.verbose:
            hooks.append(VerbosePrinter(int(self.num_iterations)))
        if callback is not None:
            hooks.append(callback)
        hook = None
        if hooks:
            def hook(i, cost):
                for h in hooks:
                    h(i, cost)
        dims = [n, *hidden, 1]
        parameters, costs = L_layer_model(Xm.T, codes.reshape(1, m), dims, learning_rate=self.learning_rate,
                                          num_iterations=self.num_iterations, seed=self.seed,
                                          hidden_activation=self.hidden_activation, scheme=self.init,
                                          print_every=self.print_every, callback=hook)
        self.parameters_ = parameters
        self.costs_ = costs
        self.classes_ = classes
        self.n_features_in_ = n
        self.layer_dims_ = dims
        if feature_names is not None:
            self.feature_names_in_ = feature_names
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        return self

    # -- prediction -------------------------------------------------------
    def _check_fitted(self):
        if not hasattr(self, "parameters_"):
            raise NotFittedError("This NeuralNet instance is not fitted yet: call fit(X, y) first "
                                 "(or load a fitted one with load_model(path)).")

    def _proba1(self, X):
        self._check_fitted()
        Xm = examples_matrix(X)
        if Xm.shape[1] != self.n_features_in_:
            raise input_error("X", f"{self.n_features_in_} columns (features), as at fit", f"{Xm.shape[1]} columns")
        return _core_predict_proba(Xm.T, self.parameters_, self.hidden_activation)[0]

    def predict_proba(self, X):
        """Class probabilities, shape (m, 2): column j is P(classes_[j])."""
        p = self._proba1(X)
        return np.column_stack([1.0 - p, p])

    def predict(self, X):
        """The predicted labels (values of ``classes_``), shape (m,): classes_[1] where P > 0.5."""
        p = self._proba1(X)
        return self.classes_[(p > 0.5).astype(np.int64)]

    def score(self, X, y):
        """Accuracy: the share of ``predict(X)`` equal to y."""
        pred = self.predict(X)
        if isinstance(y, pd.DataFrame) and y.shape[1] == 1:
            y = y.iloc[:, 0]
        y = np.asarray(y, dtype=object if isinstance(y, (list, tuple)) else None)
        if y.ndim == 2 and 1 in y.shape:
            y = y.ravel()
        if y.ndim != 1 or len(y) != len(pred):
            raise input_error("y", f"{len(pred)} labels, one per row of X", f"an array of shape {tuple(y.shape)}")
        return float(np.mean(pred == y))


def _same(value, default):
    if isinstance(default, tuple):
        try:
            return tuple(value) == default
        except TypeError:
            return False
    return type(value) is type(default) and value == default

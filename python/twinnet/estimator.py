"""A scikit-learn classifier over the functional core (twin of ``R/estimator.R``).

``NeuralNet`` is the idiomatic Python face of twinnet, and ``neural_net()`` is
the R one (docs/contract.md section 19: the one place where the twins differ in
shape, on purpose). Both are thin layers over ``L_layer_model``: they check and
transpose the data, map the labels to 0/1, call the core and keep what it
returns. There is no second copy of the maths.

    >>> from twinnet import NeuralNet, make_circles
    >>> X, Y = make_circles(200, seed=1)
    >>> net = NeuralNet(hidden_layers=(8,), learning_rate=0.5, num_iterations=300).fit(X.T, Y.ravel())
    >>> net.costs_.shape
    (4, 2)

At this boundary X is examples x features (one row per example), as in
scikit-learn and pandas; the core takes features x examples.

scikit-learn is an extra (``pip install '.[sklearn]'`` from the checkout). With it,
``NeuralNet`` is a real scikit-learn classifier: built on ``ClassifierMixin``
and ``BaseEstimator``, tagged as a binary classifier, raising scikit-learn's
``NotFittedError``, keeping ``n_features_in_`` / ``feature_names_in_`` through
scikit-learn's ``validate_data``; it passes ``check_estimator``. Without it,
the same class stands on a small stand-in base (``get_params``, ``set_params``,
``repr``) and behaves the same way. Bad input is refused by twinnet's own
checks first, with the contract section 12 messages of the R twin; where
scikit-learn's checks look for words of their own, the "got" part says them.
"""

import numbers
import sys
import warnings

import numpy as np
import pandas as pd

from ._progress import VerbosePrinter
from .initialize import INIT_SCHEMES
from .model import L_layer_model, check_training_memory
from .model import predict_proba as _core_predict_proba
from .solver import _choose_solver_unchecked
from .validate import COUNT_MAX, _is_whole, _number_text, check_choice, check_count, check_flag, describe, input_error, shape_str

#: The constructor's arguments, in order, with their defaults: the one table of
#: them (``NeuralNet.__init__`` is built from it; R's are neural_net.default's formals).
DEFAULTS = {
    "hidden_layers": (20, 7, 5),
    "hidden_activation": "relu",
    "init": "xavier",
    "learning_rate": 0.0075,
    "num_iterations": 2500,
    "seed": 1,
    "stream": "portable",
    "print_every": 100,
    "verbose": False,
    # the course's second part (contract section 36), under the core's names (section 19 maps scikit-learn's)
    "lambd": 0.0,
    "keep_prob": 1.0,
    "mini_batch_size": None,
    "optimizer": "gd",
    "beta": 0.9,
    "beta1": 0.9,
    "beta2": 0.999,
    "epsilon": 1e-8,
    "decay": None,
    "decay_rate": 1.0,
    "time_interval": 1000,
    "mini_batch_seed": 10,
    "dropout_seed": 1,
    "warm_start": False,
}

#: The estimator's own parameters; every other one of DEFAULTS is L_layer_model's argument of the same name.
OWN_PARAMETERS = ("hidden_layers", "init", "verbose", "warm_start")

#: Checks of scikit-learn's check_estimator that cannot apply to NeuralNet, with the
#: reason (given to check_estimator(expected_failed_checks=...) and, on 1.5, as the
#: _xfail_checks tag). Empty: every check that applies to a binary classifier passes.
EXPECTED_FAILED_CHECKS = {}

try:  # the extra twinnet[sklearn]
    from sklearn.base import BaseEstimator, ClassifierMixin
    from sklearn.exceptions import DataConversionWarning, NotFittedError
    try:
        from sklearn.utils.validation import validate_data as _validate_data  # scikit-learn >= 1.6
    except ImportError:  # pragma: no cover - scikit-learn 1.5: the estimator's own method
        def _validate_data(estimator, X, reset, skip_check_array):
            return estimator._validate_data(X, reset=reset, cast_to_ndarray=not skip_check_array)
    HAVE_SKLEARN = True
except ImportError:
    HAVE_SKLEARN = False

    class NotFittedError(ValueError, AttributeError):
        """Raised when a NeuralNet is used before ``fit`` (scikit-learn's NotFittedError when it is installed)."""

    class DataConversionWarning(UserWarning):
        """A y of another shape was converted (scikit-learn's DataConversionWarning when it is installed)."""

    class ClassifierMixin:
        """Stand-in for scikit-learn's ClassifierMixin when scikit-learn is not installed."""

        _estimator_type = "classifier"

    class BaseEstimator:
        """Stand-in for scikit-learn's BaseEstimator: get_params, set_params and repr from DEFAULTS."""

        def get_params(self, deep=True):
            """The constructor's arguments as a dict (scikit-learn protocol)."""
            return {name: getattr(self, name) for name in DEFAULTS}

        def set_params(self, **params):
            """Set constructor arguments by name; returns self (scikit-learn protocol)."""
            for name, value in params.items():
                setattr(self, name, value)
            return self

        def __repr__(self):
            changed = [f"{name}={getattr(self, name)!r}" for name, default in DEFAULTS.items()
                       if repr(getattr(self, name)) != repr(default)]
            return f"{type(self).__name__}({', '.join(changed)})"

        def _validate_feature_names(self, X, names, reset):
            """scikit-learn's rule for n_features_in_ / feature_names_in_, and its two warnings."""
            fitted = getattr(self, "feature_names_in_", None)
            if reset:
                self.n_features_in_ = X.shape[1]
                if names is not None:
                    self.feature_names_in_ = np.asarray(names, dtype=object)
                elif fitted is not None:
                    del self.feature_names_in_
            elif names is not None and fitted is None:
                warnings.warn(f"X has feature names, but {type(self).__name__} was fitted without feature names",
                              UserWarning)
            elif names is None and fitted is not None:
                warnings.warn(f"X does not have valid feature names, but {type(self).__name__} was fitted with "
                              "feature names", UserWarning)


# ------------------------------------------------------------------ checks (twins of R/estimator.R)

def check_hidden_layers(hidden_layers, arg="hidden_layers"):
    """Whole numbers >= 1, possibly none (``None`` or empty); returned as a tuple of int.

    One size may be given alone (``8`` or ``8.0``), as in R, where a number is a vector.
    """
    expected = "whole numbers >= 1 (the hidden layer sizes; may be empty)"
    if hidden_layers is None:
        return ()
    if isinstance(hidden_layers, np.ndarray):
        if hidden_layers.ndim > 1:
            raise input_error(arg, expected, describe(hidden_layers), TypeError)
        hidden_layers = hidden_layers.tolist()
    if isinstance(hidden_layers, numbers.Real) and not isinstance(hidden_layers, (bool, np.bool_)):
        hidden_layers = (hidden_layers,)
    if not isinstance(hidden_layers, (list, tuple)):
        raise input_error(arg, expected, describe(hidden_layers), TypeError)
    for v in hidden_layers:
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real) or not _is_whole(v) or v < 1:
            raise input_error(arg, expected, repr(v))
    for v in hidden_layers:
        if v > COUNT_MAX:
            raise input_error(arg, f"layer sizes of at most {COUNT_MAX} (R's largest matrix dimension)", _number_text(v))
    return tuple(int(v) for v in hidden_layers)



def check_parameter_names(names):
    """Every name one of the constructor's arguments (DEFAULTS); else the contract message."""
    for name in names:
        if name not in DEFAULTS:
            raise input_error(name, "one of the parameters " + ", ".join(DEFAULTS), "an unknown parameter name")


def list_names(names, first=5):
    """``a, b, c`` -- or the first five and ``... (n in all)``, for messages."""
    names = [str(n) for n in names]
    if len(names) <= first:
        return ", ".join(names)
    return ", ".join(names[:first]) + f", ... ({len(names)} in all)"


def column_names(X, arg="X"):
    """The column names of a DataFrame as a tuple of str; None when there are none.

    As scikit-learn: names count only when they are all strings (a DataFrame
    with the default 0, 1, ... columns has none). Duplicated names are refused.
    """
    if not isinstance(X, pd.DataFrame) or X.shape[1] == 0:
        return None
    is_str = [isinstance(c, str) for c in X.columns]
    if not any(is_str):
        return None
    if not all(is_str):
        kinds = sorted({type(c).__name__ for c in X.columns})
        raise input_error(arg, "column names that are all strings (or none that are)",
                          "names of type(s) " + ", ".join(kinds), TypeError)
    names = tuple(X.columns)
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise input_error(arg, "distinct column names", "duplicated name(s) " + list_names(dup))
    return names


def match_columns(X, fitted, arg="X"):
    """X with its named columns put in the fitted order (docs/contract.md section 19).

    ``fitted`` are the names seen at fit (or None). When both X and the fit have
    names, X must have exactly those columns, in any order; otherwise X is
    returned as it is (and matched by position).
    """
    names = column_names(X, arg)
    if names is None or fitted is None:
        return X
    fitted = tuple(fitted)
    if names == fitted:
        return X
    missing = [n for n in fitted if n not in names]
    unknown = [n for n in names if n not in fitted]
    if missing or unknown:
        got = "; ".join(part for part in (f"missing {list_names(missing)}" if missing else "",
                                          f"not seen at fit: {list_names(unknown)}" if unknown else "") if part)
        raise input_error(arg, f"the columns of the fit, {list_names(fitted)} (in any order)", got)
    return X.loc[:, list(fitted)]


def _not_numbers(a):
    """The first element of an object array that is not a real number, with its index, or None."""
    for index, v in np.ndenumerate(a):
        if isinstance(v, (bool, np.bool_, str, bytes)) or not isinstance(v, numbers.Real):
            return index, v
    return None


def examples_matrix(X, arg="X"):
    """X (examples x features) as a finite float64 (m, n) array, m >= 1, n >= 1.

    Accepted: a numeric ndarray, a pandas DataFrame of numeric columns, a nested
    list of numbers, any array-like (``__array__``), an object array of numbers.
    Refused as in R: booleans, strings (also numeric ones such as ``"1.5"``),
    sparse matrices, complex numbers, other than 2 dimensions, no rows or no
    columns, NaN or Inf.
    """
    expected = "a 2-D numeric matrix"
    sparse = sys.modules.get("scipy.sparse")
    if sparse is not None and sparse.issparse(X):
        raise input_error(arg, expected, f"a sparse {type(X).__name__} of shape {shape_str(X.shape)} "
                                         "(sparse input is not supported: use X.toarray())", TypeError)
    if isinstance(X, pd.DataFrame):
        bad = [str(c) for c, t in X.dtypes.items() if not (pd.api.types.is_numeric_dtype(t)
                                                          and not pd.api.types.is_bool_dtype(t))]
        if bad:
            raise input_error(arg, "numeric columns only", "non-numeric column(s) " + list_names(bad), TypeError)
        X = X.to_numpy(dtype=np.float64, na_value=np.nan)
    elif isinstance(X, (list, tuple)):
        X = np.asarray(X, dtype=object)
        if X.ndim == 1 and any(isinstance(v, (list, tuple, np.ndarray)) for v in X):
            raise input_error(arg, expected, "a ragged nested list (rows of different lengths)")
    elif not isinstance(X, np.ndarray) and hasattr(X, "__array__"):
        X = np.asarray(X)
    if not isinstance(X, np.ndarray):
        raise input_error(arg, expected, describe(X), TypeError)
    if X.dtype.kind == "c":
        raise input_error(arg, expected, f"a {X.dtype} array (Complex data not supported)")
    if X.dtype.kind == "O":
        bad = _not_numbers(X)
        if bad is not None:
            index, v = bad
            where = "at " + (f"row {index[0] + 1}, column {index[1] + 1}" if len(index) == 2 else f"index {index}")
            if isinstance(v, (str, bytes)):
                why = f"the string {v!r} {where} (strings are not converted to numbers)"
            elif isinstance(v, (bool, np.bool_)):
                why = f"the boolean {v!r} {where}"
            else:
                try:
                    float(v)
                    reason = "not a real number"
                except (TypeError, ValueError) as exc:
                    reason = str(exc)
                why = f"a {type(v).__name__} {where} ({reason})"
            raise input_error(arg, expected, why, TypeError)
        X = X.astype(np.float64)
    if X.dtype.kind not in "iuf":
        raise input_error(arg, expected, describe(X), TypeError)
    if X.ndim != 2:
        got = f"an array of {X.ndim} dimension(s)"
        if X.ndim == 1:
            got += " (Reshape your data: X.reshape(1, -1) for one example, X.reshape(-1, 1) for one feature)"
        raise input_error(arg, expected, got)
    for size, what in ((X.shape[0], "sample"), (X.shape[1], "feature")):
        if size == 0:
            raise input_error(arg, expected, f"0 {what}(s) (shape={shape_str(X.shape)}) while a minimum of 1 is "
                                             "required (an empty matrix)")
    X = np.asarray(X, dtype=np.float64)
    finite = np.isfinite(X)
    if not finite.all():
        raise input_error(arg, "finite values (no NaN or Inf)", f"{int(X.size - np.count_nonzero(finite))} "
                                                                 "non-finite value(s)")
    return X


def not_binary(got):
    """The "got" part of a refusal of other than two classes (words scikit-learn's checks look for)."""
    return f"{got} (Only binary classification is supported.)"


def encode_labels(y, m, arg="y"):
    """Map the labels to 0/1: returns ``(codes, classes)``.

    Rules (docs/contract.md section 19): numbers that are all 0 or 1 give
    ``classes = [0, 1]``; booleans ``[False, True]``; a pandas Categorical
    keeps its two categories in their order; any other two distinct values
    (numbers or strings) are sorted and the first becomes 0. A 2-D y of one
    column (or one row) is ravelled, with scikit-learn's DataConversionWarning.
    """
    expected_shape = "a vector of labels (one per row of X)"
    if y is None:
        raise input_error(arg, expected_shape, "None (a classifier requires y to be passed, but the target y is None)")
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise input_error(arg, expected_shape, f"a DataFrame with {y.shape[1]} columns")
        _warn_2d(y.shape)
        y = y.iloc[:, 0]
    if isinstance(y, pd.Series) and isinstance(y.dtype, pd.CategoricalDtype):
        y = y.array
    if isinstance(y, pd.Categorical):
        categories = list(y.categories)
        codes = np.asarray(y.codes)
        if len(codes) != m:
            raise input_error(arg, f"{m} labels, one per row of X", f"{len(codes)} labels")
        if np.any(codes < 0):
            raise input_error(arg, "labels without missing or infinite values",
                              f"{int(np.sum(codes < 0))} missing or infinite value(s)")
        if len(categories) != 2:
            raise input_error(arg, "two classes (or labels 0/1)",
                              not_binary(f"a Categorical with {len(categories)} categories"))
        return codes.astype(np.float64), np.array(categories)
    if isinstance(y, pd.Series):
        y = y.to_numpy()
    if isinstance(y, (list, tuple)):
        y = np.asarray(y, dtype=object)
        if y.ndim == 2 and 1 in y.shape:  # a nested list of one column or one row
            _warn_2d(y.shape)
            y = y.ravel()
    elif not isinstance(y, np.ndarray) and hasattr(y, "__array__"):
        y = np.asarray(y)
    if not isinstance(y, np.ndarray):
        raise input_error(arg, expected_shape, describe(y), TypeError)
    if y.ndim == 2 and 1 in y.shape:
        _warn_2d(y.shape)
        y = y.ravel()
    if y.ndim != 1:
        raise input_error(arg, expected_shape, f"an array of shape {tuple(y.shape)}")
    if len(y) != m:
        raise input_error(arg, f"{m} labels, one per row of X", f"{len(y)} labels")
    if y.dtype.kind == "O":  # a list, or an object array: one kind of value, as an R vector has
        values = y.tolist()
        missing = sum(1 for v in values if v is None or v is pd.NA or (isinstance(v, float) and v != v))
        if missing:
            raise input_error(arg, "labels without missing or infinite values",
                              f"{missing} missing or infinite value(s)")
        if all(isinstance(v, (bool, np.bool_)) for v in values):
            y = np.asarray(values, dtype=bool)
        elif all(isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_)) for v in values):
            y = np.asarray(values, dtype=np.float64 if any(isinstance(v, float) for v in values) else np.int64)
        elif all(isinstance(v, str) for v in values):
            y = np.asarray(values, dtype=str)
        else:
            kinds = {type(v) for v in values}
            raise input_error(arg, "labels of one type (numbers or strings)",
                              "values of type(s) " + ", ".join(sorted(k.__name__ for k in kinds)), TypeError)
    if y.dtype.kind == "b":
        return y.astype(np.float64), np.array([False, True])
    if y.dtype.kind in "iuf":
        if y.dtype.kind == "f" and not np.all(np.isfinite(y)):
            raise input_error(arg, "labels without missing or infinite values",
                              f"{int(np.sum(~np.isfinite(y)))} missing or infinite value(s)")
        if np.all((y == 0) | (y == 1)):
            return y.astype(np.float64), np.array([0, 1])
        classes = np.unique(y)
        if len(classes) != 2 and np.any(classes != np.round(classes)):
            raise input_error(arg, "two classes (or labels 0/1)",
                              f"{len(classes)} distinct value(s), not all whole numbers (Unknown label type: continuous)")
    elif y.dtype.kind == "U":
        classes = np.array(sorted(set(y.tolist())))
    else:
        raise input_error(arg, "labels of one type (numbers or strings)", describe(y), TypeError)
    if len(classes) != 2:
        raise input_error(arg, "two classes (or labels 0/1)", not_binary(f"{len(classes)} distinct value(s)"))
    return (y == classes[1]).astype(np.float64), classes


def _warn_2d(shape):
    kind = "column" if shape[1] == 1 else "row"
    warnings.warn(f"A {kind}-vector y was passed when a 1d array was expected: y of shape {tuple(shape)} is "
                  "used as y.ravel()", DataConversionWarning, stacklevel=4)


# ------------------------------------------------------------------ the estimator

def _init_from(defaults):
    """``__init__(self, <each of defaults>=<its default>)`` storing each argument unchanged.

    Built from the table, as dataclasses build theirs, so that the signature
    scikit-learn reads (get_params, clone) is DEFAULTS and adding a parameter is
    one line there.
    """
    args = ", ".join(f"{name}=_defaults[{name!r}]" for name in defaults)
    body = "".join(f"\n    self.{name} = {name}" for name in defaults)
    namespace = {"_defaults": defaults}
    exec(f"def __init__(self, {args}):{body}", namespace)  # noqa: S102 - source built from DEFAULTS only
    init = namespace["__init__"]
    init.__doc__ = "Store the arguments (checked at ``fit``, as scikit-learn asks); see the class docstring."
    return init


class NeuralNet(ClassifierMixin, BaseEstimator):
    """A fully connected binary classifier (a scikit-learn classifier when scikit-learn is installed).

    Parameters
    ----------
    hidden_layers : sequence of int, default (20, 7, 5)
        Sizes of the hidden layers (may be empty or None: logistic regression).
        The input and output sizes come from the data.
    hidden_activation : {"relu", "tanh", "sigmoid", "leaky_relu"}, default "relu"
    init : {"xavier", "he", "scaled", "standard"}, default "xavier"
        Initialisation scheme (the core's ``scheme``).
    learning_rate : float, default 0.0075
    num_iterations : int, default 2500
    seed : int, default 1
        Seed of the initial parameters: the same seed gives the same network in R.
    stream : {"portable", "numpy"}, default "portable"
        The seed's stream (contract sections 2 and 23): "numpy" is numpy's
        legacy ``np.random.seed`` / ``randn``, the course's.
    print_every : int, default 100
        Record the cost every ``print_every`` iterations (and at the last one).
    verbose : bool, default False
        Write a progress line to stderr at every recorded cost.
    lambd, keep_prob, mini_batch_size, optimizer, beta, beta1, beta2, epsilon, decay, decay_rate, time_interval, \
mini_batch_seed, dropout_seed
        The course's improvements, as in :func:`~twinnet.L_layer_model`
        (contract section 36): L2 (scikit-learn's ``alpha``), dropout,
        mini-batches (scikit-learn's ``batch_size``; None is the full batch),
        ``"gd"``, ``"momentum"`` or ``"adam"`` (scikit-learn's
        ``solver="adam"``, with the course's bias correction), learning-rate
        decay. With mini-batches an iteration is an epoch.
    warm_start : bool, default False
        As in scikit-learn: a ``fit`` of a fitted network trains from its
        ``parameters_`` (their shapes must be those of the new layer sizes,
        contract section 24) instead of drawing new ones. R's twin passes
        ``parameters = coef(fit)`` to ``neural_net()``.

    Attributes (after ``fit``)
    --------------------------
    parameters_ : dict
        ``W1, b1, ..., WL, bL`` (``W_l`` is ``n_l x n_(l-1)``).
    costs_ : pandas.DataFrame
        Columns ``iteration`` (int) and ``cost`` (float).
    loss_curve_ : list of float
        The recorded costs (``costs_["cost"]``; ``loss_curve_[k]`` is the cost at
        iteration ``costs_["iteration"][k]``), as scikit-learn's MLPClassifier names them.
    n_iter_ : int
        The iterations (epochs, with mini-batches) taken: ``num_iterations``, there is no early stop.
    classes_ : ndarray of shape (2,)
        The label mapped to 0, then the label mapped to 1.
    n_features_in_ : int
    layer_dims_ : list of int
        ``[n_features, *hidden_layers, 1]``.
    feature_names_in_ : ndarray of str
        Only when X was a DataFrame with string column names; a DataFrame given
        to ``predict`` is then matched by these names (docs/contract.md section 19).
    """

    __init__ = _init_from(DEFAULTS)

    # -- scikit-learn protocol --------------------------------------------
    def set_params(self, **params):
        """Set constructor arguments by name; returns self. An unknown name is refused as in R."""
        check_parameter_names(params)
        return super().set_params(**params)

    def __sklearn_is_fitted__(self):
        return hasattr(self, "parameters_")

    if HAVE_SKLEARN:
        def __sklearn_tags__(self):
            """scikit-learn >= 1.6: a binary classifier (3 classes are refused: multi_class False)."""
            tags = super().__sklearn_tags__()
            tags.classifier_tags.multi_class = False
            tags.input_tags.sparse = False
            tags.input_tags.allow_nan = False
            return tags

        def _more_tags(self):
            """scikit-learn 1.5's tags (ignored from 1.6 on, where __sklearn_tags__ is read)."""
            return {"binary_only": True, "requires_y": True, "_xfail_checks": dict(EXPECTED_FAILED_CHECKS)}

    # -- the boundary -----------------------------------------------------
    def _checked_config(self):
        hidden = check_hidden_layers(self.hidden_layers)
        check_choice(self.init, tuple(INIT_SCHEMES), "init")
        check_flag(self.verbose, "verbose")
        check_flag(self.warm_start, "warm_start")
        # (again in L_layer_model; the progress line and the memory check need them first)
        check_count(self.num_iterations, "num_iterations", maximum=COUNT_MAX)
        check_count(self.print_every, "print_every", maximum=COUNT_MAX)
        return hidden

    def _examples(self, X, reset):
        """X checked (twinnet's messages), matched by name at predict, as a float64 (m, n) array.

        Returns ``(Xm, names_source)``: the array, and what scikit-learn's
        bookkeeping reads the feature names from (X itself when a DataFrame).
        """
        if reset:
            column_names(X, "X")  # names that are duplicated or of mixed types are refused before training
        else:
            self._check_fitted()
            X = match_columns(X, getattr(self, "feature_names_in_", None), "X")
        Xm = examples_matrix(X, "X")
        if not reset and Xm.shape[1] != self.n_features_in_:
            raise input_error("X", f"{self.n_features_in_} columns (features), as at fit",
                              f"{Xm.shape[1]} columns (X has {Xm.shape[1]} features, but {type(self).__name__} "
                              f"is expecting {self.n_features_in_} features as input)")
        return Xm, (X if isinstance(X, pd.DataFrame) else Xm)

    def _feature_bookkeeping(self, Xm, source, reset):
        """n_features_in_ and feature_names_in_ (reset) or scikit-learn's name warnings (predict)."""
        if HAVE_SKLEARN:
            _validate_data(self, source, reset=reset, skip_check_array=True)
        else:
            self._validate_feature_names(Xm, column_names(source), reset)

    def _check_fitted(self):
        if not self.__sklearn_is_fitted__():
            raise NotFittedError(f"This {type(self).__name__} instance is not fitted yet: call fit(X, y) first "
                                 "(or load a fitted one with load_model(path)).")

    # -- training ---------------------------------------------------------
    def fit(self, X, y, callback=None):
        """Train on X (examples x features) and labels y; returns self.

        ``callback(iteration, cost)``, if given, is called each time a cost is
        recorded (as in ``L_layer_model``), after the verbose line.
        """
        hidden = self._checked_config()
        Xm, source = self._examples(X, reset=True)
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
        start = self.parameters_ if self.warm_start and self.__sklearn_is_fitted__() else None
        check_training_memory(dims, m, int(self.num_iterations), int(self.print_every),
                              _choose_solver_unchecked(Xm.T, dims, int(self.num_iterations), "auto") == "gram", arg="hidden_layers")
        core = {name: getattr(self, name) for name in DEFAULTS if name not in OWN_PARAMETERS}
        parameters, costs = L_layer_model(Xm.T, codes.reshape(1, m), dims, scheme=self.init, callback=hook,
                                          parameters=start, **core)
        self._feature_bookkeeping(Xm, source, reset=True)
        self.parameters_ = parameters
        self.costs_ = costs
        self.classes_ = classes
        self.layer_dims_ = dims
        return self

    @property
    def loss_curve_(self):
        """The recorded costs, ``costs_["cost"]`` as a list (scikit-learn's MLPClassifier's name)."""
        self._check_fitted()
        return self.costs_["cost"].tolist()

    @property
    def n_iter_(self):
        """The iterations (epochs) taken: the last recorded iteration + 1 (``num_iterations``)."""
        self._check_fitted()
        return int(self.costs_["iteration"].iloc[-1]) + 1

    # -- prediction -------------------------------------------------------
    def _proba1(self, X):
        Xm, source = self._examples(X, reset=False)
        self._feature_bookkeeping(Xm, source, reset=False)
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

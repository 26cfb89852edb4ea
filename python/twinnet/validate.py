"""Argument checks shared by every public function (twin of ``R/validate.R``).

Every message has the form ``"`arg`: expected <what>; got <what was given>"``
(docs/contract.md section 12). The "expected" part is word for word the same
as on the R side; the parity suite checks it.
"""

import math
import numbers
import os
import re

import numpy as np

SEED_MAX = 2**31 - 1
#: The largest count (iterations, the spacing of the cost history, a layer size): R's largest
#: integer and matrix dimension, and the model file's 32-bit integers (contract section 12).
COUNT_MAX = 2**31 - 1


def input_error(arg, expected, got, kind=ValueError):
    """Build the exception the contract asks for."""
    return kind(f"`{arg}`: expected {expected}; got {got}")


def describe(x):
    """A short description of a value for the "got" part of a message."""
    if isinstance(x, np.ndarray):
        return f"a {x.dtype} array of shape {tuple(x.shape)}"
    if isinstance(x, (bool, np.bool_)):
        return repr(bool(x))
    if isinstance(x, numbers.Number):
        return repr(x)
    if isinstance(x, str):
        return repr(x)
    if x is None:
        return "None"
    return f"a {type(x).__name__}"


def shape_str(shape):
    return "(" + ", ".join(str(int(s)) for s in shape) + ")"


def check_matrix(x, arg):
    """A finite, non-empty 2-D numeric matrix, returned as a float64 numpy array."""
    expected = "a 2-D numeric matrix"
    if not isinstance(x, np.ndarray) or x.dtype.kind not in "iuf":
        raise input_error(arg, expected, describe(x), TypeError)
    if x.ndim != 2:
        raise input_error(arg, expected, f"an array of {x.ndim} dimension(s)")
    if x.size == 0:
        raise input_error(arg, expected, f"an empty matrix of shape {shape_str(x.shape)}")
    x = np.asarray(x, dtype=np.float64)
    finite = np.isfinite(x)
    if not finite.all():
        raise input_error(arg, "finite values (no NaN or Inf)", f"{int(x.size - np.count_nonzero(finite))} non-finite value(s)")
    return x


def check_labels(y, m, arg="Y"):
    """A 1 x m matrix of 0/1 values, returned as float64."""
    if not isinstance(y, np.ndarray) or y.ndim != 2 or not np.issubdtype(y.dtype, np.number):
        raise input_error(arg, "a 1 x m numeric matrix of 0/1 labels", describe(y), TypeError)
    if y.shape[0] != 1:
        raise input_error(arg, "a 1 x m numeric matrix of 0/1 labels", f"shape {shape_str(y.shape)}")
    if m is not None and y.shape[1] != m:
        raise input_error(arg, f"m = {m} columns, as many as X", f"{y.shape[1]} columns")
    bad = ~np.isin(y, (0, 1))
    if np.any(bad):
        raise input_error(arg, "values 0 or 1 only", f"{int(np.count_nonzero(bad))} other value(s), e.g. {float(y[bad][0])!r}")
    return np.asarray(y, dtype=np.float64)


def _is_whole(v):
    """A whole number (any size: Python's integers have no limit, floats up to 1.8e308), not a boolean."""
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real):
        return False
    if isinstance(v, numbers.Integral):
        return True
    v = float(v)
    return math.isfinite(v) and v == math.floor(v)


def _number_text(v):
    """A number as both languages print it in messages: whole numbers in full, others with %g."""
    if isinstance(v, numbers.Integral) and not isinstance(v, (bool, np.bool_)) and abs(v) >= 1e21:
        return f"an integer of {len(str(abs(int(v))))} digits"
    if _is_whole(v) and abs(v) < 1e21:
        return str(int(v))
    if isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_)):
        v = float(v)
        return "NaN" if v != v else ("Inf" if v == math.inf else ("-Inf" if v == -math.inf else f"{v:g}"))
    return describe(v)


def check_layer_dims(layer_dims, n_x=None, arg="layer_dims", output_one=True):
    """A sequence of L + 1 >= 2 whole numbers >= 1 (ending in 1 if ``output_one``); returns a list of int."""
    if isinstance(layer_dims, np.ndarray):
        layer_dims = layer_dims.tolist()
    if not isinstance(layer_dims, (list, tuple)) or len(layer_dims) < 2:
        raise input_error(arg, "at least 2 layer sizes (n_x, ..., 1)", describe(layer_dims), TypeError if not isinstance(layer_dims, (list, tuple)) else ValueError)
    for v in layer_dims:
        if not _is_whole(v) or v < 1:
            raise input_error(arg, "whole numbers >= 1", f"{v!r}")
    for v in layer_dims:
        if v > COUNT_MAX:
            raise input_error(arg, f"layer sizes of at most {COUNT_MAX} (R's largest matrix dimension)", _number_text(v))
    dims = [int(v) for v in layer_dims]
    if output_one and dims[-1] != 1:
        raise input_error(arg, "an output layer of size 1", f"{dims[-1]}")
    if n_x is not None and dims[0] != n_x:
        raise input_error(arg, f"a first entry equal to n_x = {n_x} (the rows of X)", f"{dims[0]}")
    return dims


def check_choice(value, choices, arg):
    if not isinstance(value, str) or value not in choices:
        raise input_error(arg, "one of " + ", ".join(f'"{c}"' for c in choices), describe(value))
    return value


def check_positive_finite(value, arg):
    if not isinstance(value, numbers.Real) or isinstance(value, (bool, np.bool_)) or not np.isfinite(value) or value <= 0:
        raise input_error(arg, "a positive finite number", describe(value))
    return float(value)


def check_nonnegative(value, arg):
    """A finite number >= 0."""
    if not isinstance(value, numbers.Real) or isinstance(value, (bool, np.bool_)) or not np.isfinite(value) or value < 0:
        raise input_error(arg, "a finite number >= 0", describe(value))
    return float(value)


def check_count(value, arg, minimum=1, maximum=None):
    """A whole number >= ``minimum`` (and <= ``maximum`` when given), returned as int."""
    if not _is_whole(value) or value < minimum:
        raise input_error(arg, f"a whole number >= {minimum}", describe(value))
    if maximum is not None and value > maximum:
        raise input_error(arg, f"a whole number <= {maximum}", _number_text(value))
    return int(value)


def check_seed(seed, arg="seed"):
    if not _is_whole(seed) or not 0 <= seed <= SEED_MAX:
        raise input_error(arg, f"a whole number in 0..{SEED_MAX}", describe(seed))
    return int(seed)


def check_fraction(value, arg="test_fraction"):
    """A number strictly between 0 and 1."""
    if (not isinstance(value, numbers.Real) or isinstance(value, (bool, np.bool_))
            or not math.isfinite(value) or not 0 < value < 1):
        raise input_error(arg, "a number in (0, 1)", describe(value))
    return float(value)


def check_flag(value, arg):
    """True or False (a numpy bool too); returned as bool."""
    if not isinstance(value, (bool, np.bool_)):
        raise input_error(arg, "TRUE/True or FALSE/False", describe(value), TypeError)
    return bool(value)


def _path_text(path, arg, expected):
    """A non-empty str or path-like, as str (the paths' own checks are in files.py: contract section 30)."""
    if not isinstance(path, (str, os.PathLike)):
        raise input_error(arg, expected, describe(path), TypeError)
    path = os.fspath(path)
    if not path:
        raise input_error(arg, expected, "''")
    return path


def n_layers(parameters, arg="parameters"):
    """L, from the keys W1, b1, ..., WL, bL (all of them must be there)."""
    if not isinstance(parameters, dict):
        raise input_error(arg, "a mapping with keys W1, b1, ..., WL, bL", describe(parameters), TypeError)
    L = 0
    while f"W{L + 1}" in parameters:
        L += 1
    if L == 0:
        raise input_error(arg, "a mapping with keys W1, b1, ..., WL, bL", "no key W1")
    expected = [f"{p}{l}" for l in range(1, L + 1) for p in ("W", "b")]
    missing = [k for k in expected if k not in parameters]
    beyond = sorted((k for k in parameters if isinstance(k, str) and re.fullmatch(r"[Wb][0-9]+", k)
                     and int(k[1:]) > L), key=lambda k: (int(k[1:]), k[0] != "W"))
    if beyond:
        missing += [f"W{L + 1}"]
    if missing:
        got = "missing " + ", ".join(missing) + (" (but " + ", ".join(beyond) + " given)" if beyond else "")
        raise input_error(arg, "a mapping with keys W1, b1, ..., WL, bL", got)
    return L


def check_parameters(parameters, n_x=None, arg="parameters", output_one=True):
    """Keys complete, every W_l and b_l a matrix, shapes chained, n_L = 1 (if ``output_one``).

    Returns the layer sizes (n_0, ..., n_L).
    """
    L = n_layers(parameters, arg)
    dims = []
    for l in range(1, L + 1):
        W = parameters[f"W{l}"]
        b = parameters[f"b{l}"]
        if not isinstance(W, np.ndarray) or W.ndim != 2:
            raise input_error(f'{arg}["W{l}"]', "a 2-D numeric matrix", describe(W), TypeError)
        if not isinstance(b, np.ndarray) or b.ndim != 2:
            raise input_error(f'{arg}["b{l}"]', "a 2-D numeric matrix", describe(b), TypeError)
        if l == 1:
            dims.append(W.shape[1])
        elif W.shape[1] != dims[-1]:
            raise input_error(f'{arg}["W{l}"]', f"{dims[-1]} columns (the rows of W{l - 1})", f"shape {shape_str(W.shape)}")
        if b.shape != (W.shape[0], 1):
            raise input_error(f'{arg}["b{l}"]', f"shape ({W.shape[0]}, 1)", f"shape {shape_str(b.shape)}")
        dims.append(W.shape[0])
    if output_one and dims[-1] != 1:
        raise input_error(f'{arg}["W{L}"]', "1 row (the output layer)", f"shape {shape_str(parameters[f'W{L}'].shape)}")
    if n_x is not None and dims[0] != n_x:
        raise input_error(f'{arg}["W1"]', f"{n_x} columns (the rows of X)", f"shape {shape_str(parameters['W1'].shape)}")
    return dims


def check_parameter_pairs(parameters, arg="parameters"):
    """Keys complete, each ``W_l`` a matrix and ``b_l`` of shape (rows of W_l, 1); returns L.

    For the functions that work entry by entry (the updates, contract
    section 35): the shapes need not chain from layer to layer.
    """
    L = n_layers(parameters, arg)
    for l in range(1, L + 1):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        if not isinstance(W, np.ndarray) or W.ndim != 2:
            raise input_error(f'{arg}["W{l}"]', "a 2-D numeric matrix", describe(W), TypeError)
        if not isinstance(b, np.ndarray) or b.ndim != 2:
            raise input_error(f'{arg}["b{l}"]', "a 2-D numeric matrix", describe(b), TypeError)
        if b.shape != (W.shape[0], 1):
            raise input_error(f'{arg}["b{l}"]', f"shape ({W.shape[0]}, 1)", f"shape {shape_str(b.shape)}")
    return L


def check_finite_parameters(parameters, dims, arg="parameters"):
    """Every ``W_l`` and ``b_l`` of ``dims`` (from check_parameters) finite: predictions are never NaN."""
    for l in range(1, len(dims)):
        for p in ("W", "b"):
            check_matrix(parameters[f"{p}{l}"], f'{arg}["{p}{l}"]')


def check_initial_parameters(parameters, dims, arg="parameters"):
    """Parameters to train from: the keys and shapes of ``dims`` (layer_dims), finite values.

    Returns a new dict of float64 copies (training updates them in place; the
    caller's arrays are never changed).
    """
    got = check_parameters(parameters, n_x=dims[0], arg=arg, output_one=False)
    L = len(dims) - 1
    if len(got) != len(dims):
        raise input_error(arg, f"the keys W1, b1, ..., W{L}, b{L} of layer_dims {shape_str(dims)}",
                          f"keys W1, b1, ..., W{len(got) - 1}, b{len(got) - 1}")
    out = {}
    for l in range(1, L + 1):
        for name, shape in ((f"W{l}", (dims[l], dims[l - 1])), (f"b{l}", (dims[l], 1))):
            key = f'{arg}["{name}"]'
            x = check_matrix(parameters[name], key)
            if x.shape != shape:
                raise input_error(key, f"shape {shape_str(shape)} from layer_dims {shape_str(dims)}",
                                  f"shape {shape_str(x.shape)}")
            out[name] = np.array(x, dtype=np.float64, copy=True)
    return out


def check_shape_as(x, Y, arg):
    """``x`` (AL or ZL) has the shape of the labels ``Y`` (1 x m)."""
    shape = np.shape(x)
    if shape != Y.shape:
        raise input_error(arg, f"shape {shape_str(Y.shape)}, as Y", f"shape {shape_str(shape)}")
    return x


def check_decay_factor(value, arg):
    """A number in [0, 1): the betas of momentum and Adam (contract section 35)."""
    if not isinstance(value, numbers.Real) or isinstance(value, (bool, np.bool_)) or not np.isfinite(value) \
            or not 0 <= value < 1:
        raise input_error(arg, "a number in [0, 1)", describe(value))
    return float(value)


def check_optional_choice(value, choices, arg):
    """None, or one of ``choices`` (the learning-rate decays, contract section 35)."""
    if value is None:
        return None
    if not isinstance(value, str) or value not in choices:
        raise input_error(arg, "None or one of " + ", ".join(f'"{c}"' for c in choices), describe(value))
    return value


def _is_numeric_matrix(x):
    return isinstance(x, np.ndarray) and x.ndim == 2 and x.dtype.kind in "iuf"


def check_linear(A_prev, W, b):
    """The operands of ``Z = W A_prev + b`` (contract section 5): numeric matrices whose shapes conform."""
    for arg, x in (("A_prev", A_prev), ("W", W), ("b", b)):
        if not _is_numeric_matrix(x):
            raise input_error(arg, "a 2-D numeric matrix", describe(x), TypeError)
    if W.shape[1] != A_prev.shape[0]:
        raise input_error("W", f"{A_prev.shape[0]} columns (the rows of A_prev)", f"shape {shape_str(W.shape)}")
    if b.shape != (W.shape[0], 1):
        raise input_error("b", f"shape ({W.shape[0]}, 1)", f"shape {shape_str(b.shape)}")


def check_linear_backward(dZ, cache):
    """``dZ`` and a cache of one layer (A_prev, W): numeric matrices, ``dZ`` of shape (rows of W, columns of A_prev)."""
    if not isinstance(cache, dict) or not all(k in cache for k in ("A_prev", "W")):
        raise input_error("cache", "a mapping with A_prev, W, b, Z (from linear_activation_forward)", describe(cache),
                          TypeError)
    for arg, x in (("dZ", dZ), ('cache["A_prev"]', cache["A_prev"]), ('cache["W"]', cache["W"])):
        if not _is_numeric_matrix(x):
            raise input_error(arg, "a 2-D numeric matrix", describe(x), TypeError)
    shape = (cache["W"].shape[0], cache["A_prev"].shape[1])
    if dZ.shape != shape or cache["W"].shape[1] != cache["A_prev"].shape[0]:
        raise input_error("dZ", f"shape {shape_str(shape)} (rows of W, columns of A_prev)", f"shape {shape_str(dZ.shape)}")

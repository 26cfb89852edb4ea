"""Shared test helpers: paths, the fixture loader, the parity tolerances."""

import json
import os
import re
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SHARED_DATA = Path(os.environ.get("TWINNET_SHARED_DATA", ROOT.parent / "shared" / "data"))

#: docs/contract.md section 13.
STEP_TOL = 1e-12
RUN_TOL = 1e-9


def fixture_paths():
    return sorted(p for p in FIXTURES.glob("*.json") if p.name != "schema.json")


def load_fixture(path):
    with open(path) as f:
        return json.load(f)


def as_matrix(rows):
    return np.array(rows, dtype=np.float64)


def rel_err(expected, actual):
    """max|a - b| / max|a|, per quantity (contract section 13); 0 when both are all zero."""
    expected = np.asarray(expected, dtype=np.float64)
    actual = np.asarray(actual, dtype=np.float64)
    scale = np.max(np.abs(expected)) if expected.size else 0.0
    diff = np.max(np.abs(expected - actual)) if expected.size else 0.0
    return diff / scale if scale > 0 else diff


def assert_close(name, expected, actual, tol=STEP_TOL, scale=None):
    """Fail with the quantity, the worst element and both values when rel_err > tol.

    ``scale``, when given, is the magnitude of the terms the quantity sums
    (contract section 13): the error is measured against max(max|a|, scale),
    so that a sum that cancels to almost nothing is judged by the size of
    what it summed, as its rounding error is.
    """
    expected = np.asarray(expected, dtype=np.float64)
    actual = np.asarray(actual, dtype=np.float64)
    assert expected.shape == actual.shape, f"{name}: shape {expected.shape} expected, got {actual.shape}"
    err = rel_err(expected, actual)
    if scale is not None and scale > 0:
        err = float(np.max(np.abs(expected - actual))) / max(float(np.max(np.abs(expected))), scale)
    if not err <= tol:
        idx = np.unravel_index(np.argmax(np.abs(expected - actual)), expected.shape) if expected.ndim else ()
        pytest.fail(f"{name}: max|a-b|/max|a| = {err:.3g} > {tol:g}; worst element {idx}: "
                    f"expected {expected[idx]!r}, got {actual[idx]!r}")


def assert_identical(name, expected, actual):
    """Bit for bit (initial parameters, draws, data)."""
    expected = np.asarray(expected)
    actual = np.asarray(actual)
    assert expected.shape == actual.shape, f"{name}: shape {expected.shape} expected, got {actual.shape}"
    if not np.array_equal(expected, actual):
        idx = np.unravel_index(np.argmax(expected != actual), expected.shape)
        pytest.fail(f"{name}: not bit-identical; first difference at {idx}: "
                    f"expected {expected[idx]!r}, got {actual[idx]!r}")


def require_data(folder):
    """The path of ../shared/data/<folder>, or a skip that says why."""
    path = SHARED_DATA / folder
    if not path.is_dir():
        pytest.skip(f"real data not found: {path} is absent (set TWINNET_SHARED_DATA to the folder "
                    f"that holds {folder}/)")
    return path


DERIVATIVE_BOUND = {"relu": 1.0, "leaky_relu": 1.0, "tanh": 1.0, "sigmoid": 0.25}


def term_scales(X, Y, parameters, hidden_activation):
    """The magnitude of the terms each backward quantity sums (contract section 13).

    An absolute-value backward pass: |dZ_L| <= |A_L| + |Y|, |dA_(l-1)| <=
    |W_l|^T |dZ_l|, |dZ_l| <= |dA_l| max|g'|, |dW_l| <= |dZ_l| |A_(l-1)|^T / m,
    |db_l| <= rowsums|dZ_l| / m. Returns {key: max bound} for dW, db, dA.
    """
    import twinnet

    AL, caches = twinnet.L_model_forward(X, parameters, hidden_activation)
    L, m = len(caches), X.shape[1]
    out = {}
    dZ = np.abs(AL) + np.abs(Y)
    for l in range(L, 0, -1):
        c = caches[l - 1]
        out[f"dW{l}"] = float(np.max(dZ @ np.abs(c["A_prev"]).T) / m)
        out[f"db{l}"] = float(np.max(np.sum(dZ, axis=1)) / m)
        if l > 1:
            dA = np.abs(c["W"]).T @ dZ
            out[f"dA{l - 1}"] = float(np.max(dA))
            dZ = dA * DERIVATIVE_BOUND[hidden_activation]
    return out


def expected_part(message):
    """(argument, expected) of a contract-section-12 message "`arg`: expected ...; got ..."."""
    m = re.match(r"^`([^`]+)`: expected (.*?); got .+$", message, re.S)
    assert m, f"not a contract error message: {message!r}"
    return m.group(1), m.group(2)


def refuse_both(r, module, name, args, kwargs, arg, expected):
    """``module.name`` (Python) and the R function ``name`` refuse the same input with the same
    argument and the same "expected" part (Python: ValueError/TypeError; R: twinnet_input_error)."""
    from twinnet.rbridge import RError

    with pytest.raises((ValueError, TypeError)) as exc:
        getattr(module, name)(*args, **kwargs)
    assert expected_part(str(exc.value)) == (arg, expected), str(exc.value)
    with pytest.raises(RError) as rexc:
        r.call(name, *args, **kwargs)
    assert "twinnet_input_error" in rexc.value.classes, rexc.value.message
    assert expected_part(rexc.value.message) == (arg, expected), rexc.value.message

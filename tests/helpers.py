"""Shared test helpers: paths, the fixture loader, the parity tolerances, the stability guard."""

import hashlib
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
#: Contract section 13: classes are compared only where the probability is this far from 0.5.
DECISION_MARGIN = 1e-6


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


def _log_error(name, err, tol):
    """Append one measured error to $TWINNET_ERROR_LOG (JSON lines), for scripts/platforms.py's table."""
    path = os.environ.get("TWINNET_ERROR_LOG")
    if path:
        test = os.environ.get("PYTEST_CURRENT_TEST", "?").split(" ")[0]
        with open(path, "a") as f:
            f.write(json.dumps({"test": test, "name": name, "err": float(err), "tol": float(tol)}) + "\n")


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
    _log_error(name, err, tol)
    if not err <= tol:
        idx = np.unravel_index(np.argmax(np.abs(expected - actual)), expected.shape) if expected.ndim else ()
        pytest.fail(f"{name}: max|a-b|/max|a| = {err:.3g} > {tol:g}; worst element {idx}: "
                    f"expected {expected[idx]!r}, got {actual[idx]!r}")


def assert_identical(name, expected, actual):
    """Bit for bit (initial parameters, draws, data)."""
    expected = np.asarray(expected)
    actual = np.asarray(actual)
    assert expected.shape == actual.shape, f"{name}: shape {expected.shape} expected, got {actual.shape}"
    same = np.array_equal(expected, actual)
    _log_error(name, 0.0 if same else 1.0, 0.0)
    if not same:
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


# -- the stability guard (contract section 13) ----------------------------------------------------

_GUARDED = ("learning_rate", "num_iterations", "seed", "hidden_activation", "scheme", "stream",
            # the options of the optimiser path (contract section 36)
            "lambd", "keep_prob", "mini_batch_size", "optimizer", "beta", "beta1", "beta2", "epsilon", "decay",
            "decay_rate", "time_interval", "mini_batch_seed", "dropout_seed")


def _with_defaults(fn, config):
    """``config`` completed with ``fn``'s defaults for the keyword arguments after X, Y, layer_dims."""
    import inspect

    out = {name: p.default for name, p in list(inspect.signature(fn).parameters.items())[3:]
           if p.default is not inspect.Parameter.empty}
    out.update(config)
    return {k: v for k, v in out.items() if k not in ("tolerance", "callback", "print_every", "parameters")}


def _digest(*arrays):
    h = hashlib.sha1()
    for a in arrays:
        a = np.ascontiguousarray(a, dtype=np.float64)
        h.update(str(a.shape).encode())
        h.update(a.tobytes())
    return h.hexdigest()


def assert_stable(X, Y, layer_dims, tolerance=RUN_TOL, **config):
    """Fail unless the configuration is stable (contract section 13), before a long-run comparison.

    ``config`` holds L_layer_model's arguments (those that do not change the
    arithmetic, print_every, callback and solver, are ignored: the condition
    is a property of the configuration, measured here with solver "auto").
    Returns the ``training_stability`` result: its ``costs`` (every iteration)
    and ``parameters`` are Python's run, so a test may use them as Python's
    side. Each configuration is measured once per test command (``once``).
    """
    import twinnet

    kw = _with_defaults(twinnet.training_stability, {k: config[k] for k in _GUARDED if k in config})
    key = (_digest(X, Y), tuple(int(d) for d in layer_dims), float(tolerance),
           tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in kw.items())))
    result = once("stability", key, lambda: twinnet.training_stability(X, Y, layer_dims, tolerance=tolerance, **kw))
    if not result["stable"]:
        pytest.fail(f"{result['message']}: contract section 13 excludes it from comparisons at {tolerance:g}; "
                    f"choose a stable configuration (this is not a parity failure)")
    return result


def recorded(costs, print_every):
    """The rows of a cost history (every iteration recorded) that ``print_every`` keeps (contract section 8)."""
    it = costs["iteration"].to_numpy()
    keep = (it % print_every == 0) | (it == it[-1])
    return costs[keep].reset_index(drop=True)


def assert_decisive(name, proba):
    """Fail when a probability whose class is to be compared lies within DECISION_MARGIN of 0.5."""
    p = np.asarray(proba, dtype=np.float64).ravel()
    k = int(np.argmin(np.abs(p - 0.5)))
    if abs(p[k] - 0.5) < DECISION_MARGIN:
        pytest.fail(f"{name}: probability {p[k]!r} of example {k} lies within {DECISION_MARGIN:g} of 0.5: "
                    f"comparing its class is ill-posed (contract section 13), not a parity failure")


_RUNS = {}


def once(kind, key, compute):
    """``compute()``, computed once per test command for ``key`` and kept.

    Within a pytest process the value is kept in memory. scripts/test.sh also
    sets TWINNET_RUN_CACHE to a temporary folder of its own (removed when it
    ends), where the value is pickled, so that its pytest passes and their
    workers share one computation: a lock on the entry makes a second asker
    wait for the first instead of computing it again. The platform matrix
    (scripts/platforms.py) sets no such folder: each configuration computes
    everything under its own setting.
    """
    import fcntl
    import pickle

    memo = (kind, key)
    if memo in _RUNS:
        return _RUNS[memo]
    folder = os.environ.get("TWINNET_RUN_CACHE")
    if not folder:
        _RUNS[memo] = compute()
        return _RUNS[memo]
    path = Path(folder) / f"{kind}-{hashlib.sha1(repr(key).encode()).hexdigest()}.pickle"
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if compute() fails
        if path.exists():
            with open(path, "rb") as f:
                _RUNS[memo] = pickle.load(f)
        else:
            _RUNS[memo] = compute()
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with open(tmp, "wb") as f:
                pickle.dump(_RUNS[memo], f)
            os.replace(tmp, path)
    return _RUNS[memo]


def python_run(X, Y, layer_dims, **config):
    """``twinnet.L_layer_model(X, Y, layer_dims, print_every=1, **config)``, computed once per test command.

    For the expensive reference runs (the cat/non-cat experiment on the direct
    path) that several tests, in both pytest passes, compare against (``once``).
    """
    import twinnet

    key = (_digest(X, Y), tuple(int(d) for d in layer_dims),
           tuple(sorted(_with_defaults(twinnet.L_layer_model, config).items())))
    return once("python-run", key, lambda: twinnet.L_layer_model(X, Y, layer_dims, print_every=1, **config))


def run_key(layer_dims, config):
    """An L_layer_model run's arguments, defaults filled in, as one line of text.

    testthat's ``run_key`` (tests/testthat/helper-fixtures.R) writes the same
    line for the same run (tests/test_run_cache.py checks it): ``r_run`` uses
    a run that testthat stored only when the lines are equal.
    """
    import twinnet

    def text(v):
        if v is None:
            return "NULL"
        if isinstance(v, (bool, np.bool_)):
            return "TRUE" if v else "FALSE"
        if isinstance(v, str):
            return v
        if isinstance(v, (list, tuple, np.ndarray)):
            return ",".join(text(u) for u in v)
        return "%.17g" % float(v)

    args = _with_defaults(twinnet.L_layer_model, config)
    return ";".join([f"layer_dims={text(list(layer_dims))}"] + [f"{k}={text(args[k])}" for k in sorted(args)])


def _wait_for_testthat(path, limit=1800.0):
    """Wait for ``path`` while scripts/test.sh's testthat, which trains the runs r_run shares, is still running.

    test.sh starts the pass with R before testthat has ended; testthat writes
    TWINNET_TESTTHAT_STATUS when it ends, whatever its outcome, so a run it
    does not store is computed here after all (never waited for beyond
    ``limit`` seconds). Without that variable (pytest run alone) nothing waits.
    """
    import time

    status = os.environ.get("TWINNET_TESTTHAT_STATUS")
    start = time.monotonic()
    while status and not path.exists() and not Path(status).exists() and time.monotonic() - start < limit:
        time.sleep(0.2)


def r_run(r, name, X, Y, layer_dims, **config):
    """R's ``L_layer_model(X, Y, layer_dims, print_every = 1, ...)``, computed once per test command.

    The expensive R runs (the cat/non-cat experiment on the direct path, the
    course's moons) are trained by testthat first in scripts/test.sh; its
    ``r_run`` stores each in TWINNET_RUN_CACHE as ``r-<name>.rds`` beside its
    ``run_key``, and the pytest pass with R reads it back when the key is this
    run's: the same installed package, the same machine, the same command.
    Otherwise (no folder, no file, another key) R computes it here, once
    (``once``). ``name`` says which data the run is on.
    """
    key = run_key(layer_dims, config)
    folder = os.environ.get("TWINNET_RUN_CACHE")
    stored = Path(folder) / f"r-{name}.rds" if folder else None
    if stored is not None:
        _wait_for_testthat(stored)
        if stored.exists():
            saved = r.call("base::readRDS", str(stored))
            if saved["key"] == key:
                return saved["run"]
    return once("r-run", (name, _digest(X, Y), key),
                lambda: r.L_layer_model(X, Y, layer_dims, print_every=1, **config))


def catvnoncat():
    """The cat/non-cat data (``twinnet.load_catvnoncat``), read once per session, or a skip that says why."""
    if "catvnoncat" not in _RUNS:
        import twinnet

        _RUNS["catvnoncat"] = twinnet.load_catvnoncat(require_data("catvnoncat"))
    return _RUNS["catvnoncat"]

"""Runs a batch of hostile-input cases in a child process (tests/test_hostile.py), Python side.

Reads ``[{"id", "code"}, ...]`` (JSON) from stdin; evaluates each ``code`` (an
expression, in a namespace with twinnet, numpy and the prelude's fixtures) and
writes one JSON line per case to stdout: ``start`` before it (so that a hang is
attributed to its case), then the outcome -- the exception's type and message
(and a TrainingDiverged's fields), or a JSON-able summary of the value -- with
the warnings it raised and the temporary files left in ``HOSTILE_WATCH``.
The parent sets the memory cap (RLIMIT_AS) and the timeouts.
"""

import json
import os
import re
import signal
import sys
import traceback
import warnings

import numpy as np

import twinnet
from twinnet import *  # noqa: F401,F403 - the cases call the public API by name
from twinnet import atomic, data, files, images, limits, modelio  # noqa: F401

D = os.environ.get("HOSTILE_DIR", "")
TEMP = re.compile(r"^\.twinnet-[0-9]+-[0-9a-f]+-.*\.tmp$")
X2, Y2 = make_circles(40, seed=1)  # noqa: F405
P3 = initialize_parameters([2, 3, 1], seed=1)  # noqa: F405


import pandas as pd  # noqa: E402

P192 = initialize_parameters([192, 3, 1], seed=1)  # noqa: F405


def machine_memory_half():
    import hostile  # tests/hostile.py: the contract's definition, written out independently

    return hostile.machine_memory() // 2


def with_limit(value, fn):
    old = os.environ.get("TWINNET_MEMORY_LIMIT")
    os.environ["TWINNET_MEMORY_LIMIT"] = value
    try:
        return fn()
    finally:
        if old is None:
            del os.environ["TWINNET_MEMORY_LIMIT"]
        else:
            os.environ["TWINNET_MEMORY_LIMIT"] = old


def ones_parameters(dims):
    out = {}
    for l in range(1, len(dims)):
        out[f"W{l}"] = np.ones((dims[l], dims[l - 1]))
        out[f"b{l}"] = np.zeros((dims[l], 1))
    return out


def overflow_parameters():
    """X of 1e308 overflows Z1 to Inf, and W2 = (1, -1) makes Inf - Inf = NaN."""
    return {"W1": np.ones((2, 2)), "b1": np.zeros((2, 1)), "W2": np.array([[1.0, -1.0]]), "b2": np.zeros((1, 1))}


def small_file_fits(path):
    """A file that fits is written (then removed again: the other language's batch needs the room)."""
    atomic.atomic_write_text(path, "ok")
    with open(path) as f:
        ok = f.read() == "ok"
    os.remove(path)
    return ok


def overflow_net():
    net = fitted((2,))
    net.parameters_ = overflow_parameters()
    return net


def diverged_fields(fn):
    try:
        fn()
    except twinnet.TrainingDiverged as exc:
        return [exc.iteration, sorted(exc.parameters), int(len(exc.costs))]
    return "did not diverge"


def cache_of(params):
    return L_model_forward(X2, params)[1][0]  # noqa: F405


def no_layer_2():
    return replaced(P3, W2=None, b2=None, W3=np.ones((1, 3)), b3=np.zeros((1, 1)))


def fitted_labels(y):
    return twinnet.NeuralNet(num_iterations=2).fit(np.ones((2, 1)), y).classes_


def convert_summary(src, dest):
    r = convert_image_folder(src, dest, size=8, verbose=False)  # noqa: F405
    return [r["files"], r["kept"], sum(r["dropped"].values())]


def convert_classes(src, dest):
    r = convert_image_folder(src, dest, size=8, verbose=False)  # noqa: F405
    return [r["classes"], load_image_set(dest)[4]]  # noqa: F405


def convert_dropped(src, dest):
    r = convert_image_folder(src, dest, size=8, verbose=False)  # noqa: F405
    return [r["dropped_files"]["unreadable"], r["kept"]]


def sweep_case(folder):
    """A temporary file of a process that is gone is swept by the next save; one of a live process is not."""
    stale = os.path.join(folder, ".twinnet-999999999-deadbeef-old.h5.tmp")
    live = os.path.join(folder, f".twinnet-{os.getppid()}-cafe-live.h5.tmp")
    for path in (stale, live):
        with open(path, "wb") as f:
            f.write(b"half a model")
    save_model(fitted(), os.path.join(folder, "swept.h5"))  # noqa: F405
    out = [not os.path.exists(stale), os.path.exists(live)]
    os.remove(live)
    return out


def cli(*args):
    """The command line, in this process: [exit code, its last line on stderr]."""
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = twinnet.cli_main([str(a) for a in args])
    lines = [line.strip() for line in err.getvalue().splitlines() if line.strip()]
    return [code, lines[-1] if lines else ""]


def listing(folder):
    """The names in ``folder``, or None when there is no such folder."""
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else None


def p(*parts):
    """A path under the prepared folder."""
    return os.path.join(D, *parts)


def fitted(hidden=(4,), **kw):
    return twinnet.NeuralNet(hidden_layers=hidden, num_iterations=kw.pop("num_iterations", 5), **kw).fit(X2.T, Y2.ravel())


def replaced(params, **kw):
    out = dict(params)
    for k, v in kw.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = v
    return out


def nan_at(a, value=np.nan):
    a = np.array(a, dtype=np.float64)
    a.flat[0] = value
    return a


def keys(d):
    return sorted(d)


def shapes(d):
    return {k: list(np.shape(v)) for k, v in sorted(d.items())}


def summary(v):
    """A JSON-able view of a result."""
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, np.ndarray):
        return v.tolist() if v.size <= 50 else {"shape": list(v.shape)}
    if isinstance(v, (list, tuple)):
        return [summary(x) for x in v]
    if isinstance(v, dict):
        return {str(k): summary(x) for k, x in v.items()}
    return type(v).__name__


def temp_files(folder):
    try:
        return sorted(e for e in os.listdir(folder) if TEMP.match(e))
    except OSError:
        return []


class _Timeout(BaseException):
    pass


def _alarm(signum, frame):
    raise _Timeout()


def main():
    cases = json.load(sys.stdin)
    signal.signal(signal.SIGALRM, _alarm)
    env = dict(globals())
    for case in cases:
        print(json.dumps({"id": case["id"], "start": True}), flush=True)
        out = {"id": case["id"]}
        watch = case.get("watch")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            signal.alarm(int(case.get("timeout", 30)))
            try:
                out["value"] = summary(eval(case["code"], env))
                out["status"] = "ok"
            except _Timeout:
                out.update(status="timeout")
            except BaseException as exc:  # noqa: BLE001 - every outcome is reported
                out.update(status="error", type=type(exc).__name__, message=str(exc),
                           classes=[c.__name__ for c in type(exc).__mro__])
                if isinstance(exc, twinnet.TrainingDiverged):
                    out["fields"] = {"iteration": exc.iteration, "parameters": sorted(exc.parameters),
                                     "recorded": int(len(exc.costs))}
                if not isinstance(exc, (ValueError, TypeError)):
                    out["traceback"] = traceback.format_exc()[-2000:]
            finally:
                signal.alarm(0)
        out["warnings"] = [f"{w.category.__name__}: {w.message}" for w in caught]
        if watch:
            out["leftovers"] = temp_files(os.path.join(D, watch) if not os.path.isabs(watch) else watch)
        print(json.dumps(out, default=str), flush=True)
    print(json.dumps({"done": True}), flush=True)


if __name__ == "__main__":
    main()

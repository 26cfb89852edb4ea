"""Peak memory of one training run, measured in a child process of its own (``bench.py --probe``).

The child's peak resident set (VmHWM of /proc/self/status, reset through
/proc/self/clear_refs once the data is in place) minus its resident set
before the data was made: the one copy of X the variant holds plus what
training allocates.
"""

import gc
import json
import subprocess
import sys
from pathlib import Path

from cases import make_case
from variants import RSide, needs_rows, rows_prepare, run_variant


def _status_kib(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return None


def _reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def probe(variant, case_name, iterations, data_dir):
    """Run one variant once in this (fresh) process; print its memory figures as JSON."""
    rside = RSide() if variant.startswith("r-") else None
    if variant.startswith("pytorch"):
        import torch  # noqa: F401  (its libraries belong to the baseline)
    if variant.startswith("sklearn"):
        import sklearn.neural_network  # noqa: F401  (so do scikit-learn's)
    import h5py  # noqa: F401  (so does the HDF5 library that reads the cat/non-cat data)
    baseline = _status_kib("VmRSS")
    case = make_case(case_name, iterations, data_dir)
    x_bytes = case.X.nbytes
    rows = None
    if rside is not None:
        rside.put(f"bench_X_{case.name}", case.X)
        rside.put(f"bench_Y_{case.name}", case.Y)
        case.X = None  # only R's copy is left
    elif needs_rows(variant):
        rows = rows_prepare(case.X, case.Y)
        case.X = None  # only the examples-as-rows copy is left
    gc.collect()
    before = _status_kib("VmRSS")
    reset = _reset_peak()
    r_heap = None
    if rside is not None:
        r_heap = rside.peak(case, "direct" if variant == "r-adam" else variant.split("-", 1)[1], iterations)
    else:
        run_variant(variant, case, None, rows, iterations)
    peak = _status_kib("VmHWM")
    print(json.dumps({"variant": variant, "case": case_name, "x_bytes": x_bytes,
                      "baseline_kib": baseline, "before_kib": before, "peak_kib": peak,
                      "peak_reset": reset, "r_heap_max_mb": r_heap, "iterations": iterations}))


def run_probe(variant, case_name, iterations, data_dir):
    cmd = [sys.executable, str(Path(__file__).resolve().with_name("bench.py")), "--probe", variant, case_name,
           "--probe-iterations", str(iterations)]
    if data_dir:
        cmd += ["--data-dir", str(data_dir)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    if out.returncode != 0:
        return {"error": (out.stderr or out.stdout).strip().splitlines()[-1:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def memory_bytes(m):
    """Peak resident set while training minus the resident set before the data (None when not measured).

    That is the data (one copy of X: numpy's, R's or PyTorch's) plus what
    training allocates; the peak is reset once the data is in place, so that
    loading or converting it does not count.
    """
    if not m or "error" in m:
        return None
    return (m["peak_kib"] - m["baseline_kib"]) * 1024


def fmt_memory(m):
    used = memory_bytes(m)
    if used is None:
        return f"n/a ({m.get('error') if m else 'not measured'})"
    return f"{used / 2**20:.0f} MiB = {used / m['x_bytes']:.2f} x X"

#!/usr/bin/env python3
"""twinnet's benchmark: the textbook loop, twinnet in Python and in R, and PyTorch, in one run.

Harness, not model (no R twin). Runs, in this one process and alternating
between the variants so that machine noise hits all alike:

  (a) ``textbook``  the contract's loop written plainly (it also computes dA0,
                    builds fresh arrays and a fresh parameter dict every step);
  (b) ``python``    twinnet's ``L_layer_model``, solver "direct" and "gram";
  (c) ``R``         the R package's ``L_layer_model`` through rpy2, timed inside
                    R (proc.time around the call: no conversion is timed);
  (d) ``pytorch``   the same network in PyTorch (CPU, float64, full batch, SGD,
                    BCEWithLogitsLoss, twinnet's initial parameters), when
                    torch can be imported; skipped otherwise.

on two cases: the seed experiment ([12288, 20, 7, 5, 1], relu, learning rate
0.0075, 2500 iterations, ../shared/data/catvnoncat when present, else random
data of the same shape) and a large case (m = 21,000 examples of 3,072
features, [3072, 7, 5, 1], 50 iterations, random data). Gram variants run only
where ``choose_solver`` picks gram (the seed experiment).

It reports the median time over the repeats, the speed-up against (a), the
time per iteration, the two large products of the first layer (``W1 X`` and
``dZ1 X^T``) timed alone in numpy and in R with their GFLOP/s, peak memory
(measured in a child process that runs the variant once: VmHWM of
/proc/self/status, reset through /proc/self/clear_refs once the data is in
place, minus VmRSS before the data was made; so it counts the one copy of X
the variant holds plus everything training allocates), the BLAS libraries in
use, and checks that every variant ends
at the cost of (a) within a relative 1e-8. Nothing is printed inside a timed
region.

    .venv/bin/python scripts/bench.py                  # the full run (~10 min on 2 cores)
    .venv/bin/python scripts/bench.py --quick          # a smoke run (~1 min)
    .venv/bin/python scripts/bench.py --csv out/bench.csv --markdown out/bench.md

``main(argv)`` is the entry point (for a ``twinnet bench`` subcommand).
Exit status: 0, or 1 when a variant does not end at the textbook's cost.
"""

import argparse
import csv
import gc
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

import twinnet as tn

ROOT = Path(__file__).resolve().parents[1]
SEED_DIMS = [12288, 20, 7, 5, 1]
LARGE_DIMS = [3072, 7, 5, 1]
LARGE_M = 21000
LEARNING_RATE = 0.0075
COST_TOL = 1e-8
SETTLE_SECONDS = 0.3  # between runs, untimed: lets idle BLAS / OpenMP threads stop spinning


# -- the variants ----------------------------------------------------------------

def textbook_model(X, Y, layer_dims, learning_rate=LEARNING_RATE, num_iterations=2500, print_every=100):
    """The contract's training loop as a textbook writes it, nothing optimised.

    relu hidden layers, sigmoid output, the cost from Z_L every iteration,
    dZ_L = A_L - Y, dA computed for every layer including the input's (dA0),
    fresh arrays everywhere and a new parameter dict at every update. Same
    initial parameters as twinnet (seed 1, xavier). Returns (parameters, costs).
    """
    parameters = tn.initialize_parameters(layer_dims, seed=1)
    L = len(layer_dims) - 1
    m = X.shape[1]
    costs = []
    for i in range(num_iterations):
        caches = []
        A = X
        for l in range(1, L + 1):
            A_prev = A
            W = parameters["W" + str(l)]
            b = parameters["b" + str(l)]
            Z = np.dot(W, A_prev) + b
            if l < L:
                A = np.maximum(0, Z)
            else:
                with np.errstate(over="ignore"):
                    A = 1 / (1 + np.exp(-Z))
            caches.append((A_prev, W, b, Z))
        ZL = caches[-1][3]
        cost = np.sum(np.maximum(ZL, 0) - ZL * Y + np.log1p(np.exp(-np.abs(ZL)))) / m
        if i % print_every == 0 or i == num_iterations - 1:
            costs.append(float(cost))
        grads = {}
        dZ = A - Y
        dA = None
        for l in range(L, 0, -1):
            A_prev, W, b, Z = caches[l - 1]
            if l < L:
                dZ = np.array(dA, copy=True)
                dZ[Z <= 0] = 0
            grads["dW" + str(l)] = np.dot(dZ, A_prev.T) / m
            grads["db" + str(l)] = np.sum(dZ, axis=1, keepdims=True) / m
            dA = np.dot(W.T, dZ)  # for l = 1 this is dA0, which nobody needs
        parameters = {k: parameters[k] - learning_rate * grads["d" + k] for k in parameters}
    return parameters, costs


def torch_available():
    try:
        import torch  # noqa: F401
        return True
    except Exception:
        return False


def torch_prepare(X, Y):
    """Examples as rows, contiguous, as a PyTorch user holds them (made once, untimed)."""
    import torch
    return torch.from_numpy(np.ascontiguousarray(X.T)), torch.from_numpy(np.ascontiguousarray(Y.T))


def torch_model(Xt, Yt, layer_dims, learning_rate=LEARNING_RATE, num_iterations=2500, print_every=100):
    """The same network in PyTorch: nn.Linear layers with twinnet's initial parameters,
    ReLU, BCEWithLogitsLoss (the cost from Z_L), plain SGD, float64, full batch."""
    import torch
    p = tn.initialize_parameters(layer_dims, seed=1)
    L = len(layer_dims) - 1
    layers = []
    for l in range(1, L + 1):
        lin = torch.nn.Linear(layer_dims[l - 1], layer_dims[l], dtype=torch.float64)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(p[f"W{l}"]))
            lin.bias.copy_(torch.from_numpy(p[f"b{l}"][:, 0]))
        layers.append(lin)
        if l < L:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    opt = torch.optim.SGD(model.parameters(), lr=learning_rate)
    costs = []
    for i in range(num_iterations):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(Xt), Yt)
        if i % print_every == 0 or i == num_iterations - 1:
            costs.append(loss.item())
        loss.backward()
        opt.step()
    return model, costs


R_CODE = r"""
.twinnet_bench_fit <- function(X, Y, dims, lr, iterations, solver) {
  invisible(gc())
  t0 <- proc.time()[["elapsed"]]
  fit <- twinnet::L_layer_model(X, Y, dims, learning_rate = lr, num_iterations = iterations,
                                solver = solver)
  t1 <- proc.time()[["elapsed"]]
  list(seconds = t1 - t0, cost = fit$costs$cost[nrow(fit$costs)])
}
.twinnet_bench_products <- function(X, W, dZ, inner, reps) {
  old <- options(matprod = "blas")  # as inside L_layer_model
  on.exit(options(old))
  Z <- W %*% X; D <- tcrossprod(dZ, X)  # warm-up
  t1 <- numeric(reps); t2 <- numeric(reps)
  for (k in seq_len(reps)) {
    t0 <- proc.time()[["elapsed"]]
    for (j in seq_len(inner)) Z <- W %*% X
    t1[k] <- (proc.time()[["elapsed"]] - t0) / inner
    t0 <- proc.time()[["elapsed"]]
    for (j in seq_len(inner)) D <- tcrossprod(dZ, X)
    t2[k] <- (proc.time()[["elapsed"]] - t0) / inner
  }
  c(median(t1), median(t2))
}
.twinnet_bench_peak <- function(X, Y, dims, lr, iterations, solver) {
  invisible(gc(reset = TRUE))
  fit <- twinnet::L_layer_model(X, Y, dims, learning_rate = lr, num_iterations = iterations,
                                solver = solver)
  sum(gc()[, 6])  # R heap "max used" (Mb) since the reset, X included
}
"""


class RSide:
    """The R twin through rpy2, with the data held in R's global environment."""

    def __init__(self):
        from twinnet.rbridge import RTwin
        self.twin = RTwin()
        self.ro = self.twin._ro
        self.ro.r(R_CODE)

    def put(self, name, value):
        """Give R a copy of a 2-D array as the global ``name``.

        Through a temporary file written column by column, so that the only
        full-size copy made is R's own (rpy2's conversion would leave a
        Fortran-ordered numpy copy behind, which would blur the memory figures).
        """
        import tempfile
        value = np.asarray(value, dtype=np.float64)
        fd, path = tempfile.mkstemp(suffix=".bin")
        try:
            with os.fdopen(fd, "wb") as f:
                step = max(1, (1 << 24) // max(1, value.shape[0]))
                for j in range(0, value.shape[1], step):
                    np.ascontiguousarray(value[:, j:j + step].T).tofile(f)
            self.ro.r["assign"](name, self.ro.r(
                f'local({{ v <- readBin("{path}", "double", {value.size}); '
                f'dim(v) <- c({value.shape[0]}L, {value.shape[1]}L); v }})'),
                envir=self.ro.globalenv)
        finally:
            os.unlink(path)

    def fit(self, case, solver, iterations=None):
        f = self.ro.globalenv[".twinnet_bench_fit"]
        out = self.twin.from_r(f(self.ro.globalenv[f"bench_X_{case.name}"],
                                 self.ro.globalenv[f"bench_Y_{case.name}"],
                                 self.twin.to_r(case.dims), case.lr,
                                 int(iterations or case.iterations), solver))
        return float(out["seconds"]), float(out["cost"])

    def products(self, case, W, dZ, inner, reps):
        f = self.ro.globalenv[".twinnet_bench_products"]
        out = self.twin.from_r(f(self.ro.globalenv[f"bench_X_{case.name}"], self.twin.to_r(W),
                                 self.twin.to_r(dZ), inner, reps))
        return float(out[0]), float(out[1])

    def info(self):
        ev = self.twin.eval
        blas = str(ev('extSoftVersion()[["BLAS"]]'))
        return {
            "r_version": str(ev('R.version.string')),
            "r_blas": blas,
            "r_blas_package": debian_package_of(blas),
            "r_lapack": str(ev("La_library()")),
        }


# -- cases -----------------------------------------------------------------------

class Case:
    def __init__(self, name, X, Y, dims, iterations, source):
        self.name, self.X, self.Y, self.dims, self.iterations, self.source = name, X, Y, dims, iterations, source
        self.lr = LEARNING_RATE

    @property
    def shape(self):
        return self.X.shape


def shared_data_dir(arg=None):
    return Path(arg or os.environ.get("TWINNET_SHARED_DATA") or ROOT.parent / "shared" / "data")


def seed_case(iterations, data_dir):
    path = shared_data_dir(data_dir) / "catvnoncat" / "train_catvnoncat.h5"
    if path.is_file():
        import h5py
        with h5py.File(path, "r") as f:
            X = f["train_set_x"][:].reshape(209, -1).T / 255.0
            Y = f["train_set_y"][:].reshape(1, -1).astype(np.float64)
        source = f"real: {path.name} (209 images)"
    else:
        rng = np.random.default_rng(1)
        X = rng.random((12288, 209))
        Y = (rng.random((1, 209)) < 0.35).astype(np.float64)
        source = f"random of the seed's shape ({path} absent)"
    return Case("seed", np.ascontiguousarray(X), Y, SEED_DIMS, iterations, source)


def large_case(iterations):
    rng = np.random.default_rng(2)
    X = rng.random((LARGE_DIMS[0], LARGE_M))  # float64 directly: no temporary copy
    Y = (rng.random((1, LARGE_M)) < 0.5).astype(np.float64)
    return Case("large", X, Y, LARGE_DIMS, iterations, "random uniform [0, 1), labels random")


def make_case(name, iterations, data_dir):
    return seed_case(iterations, data_dir) if name == "seed" else large_case(iterations)


# -- environment -----------------------------------------------------------------

def debian_package_of(path):
    """``package version`` of the Debian package that owns ``path`` (best effort)."""
    try:
        real = os.path.realpath(path)
        owner = subprocess.run(["dpkg-query", "-S", real], capture_output=True, text=True, timeout=20)
        pkg = owner.stdout.split(":")[0].strip()
        if not pkg:
            return "unknown"
        ver = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True, text=True, timeout=20)
        return f"{pkg} {ver.stdout.strip()}"
    except Exception:
        return "unknown"


def cpu_description():
    """(model name with family / model / MHz, SIMD flags, cache size) from /proc/cpuinfo."""
    info, flags = {}, set()
    try:
        for line in open("/proc/cpuinfo"):
            key, _, value = line.partition(":")
            key = key.strip()
            if key == "flags" and not flags:
                flags = set(value.split())
            elif key in ("model name", "cpu family", "model", "cpu MHz", "cache size") and key not in info:
                info[key] = value.strip()
    except OSError:
        pass
    model = info.get("model name", "unknown")
    if "cpu family" in info:
        model += f" (family {info['cpu family']}, model {info.get('model', '?')}, {info.get('cpu MHz', '?')} MHz)"
    simd = ", ".join(f for f in ("avx2", "fma", "avx512f") if f in flags) or "none of avx2/fma/avx512f"
    return model, simd, info.get("cache size", "")


def mem_total_gib():
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return float("nan")


def numpy_blas():
    try:
        cfg = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{cfg.get('name')} {cfg.get('version')} ({cfg.get('openblas configuration', '').strip()})"
    except Exception:
        buf = io.StringIO()
        try:
            from contextlib import redirect_stdout
            with redirect_stdout(buf):
                np.show_config()
        except Exception:
            pass
        return buf.getvalue().strip().splitlines()[0] if buf.getvalue() else "unknown"


def torch_info():
    import torch
    blas = "unknown"
    for part in torch.__config__.show().replace(",", "\n").splitlines():
        if "BLAS_INFO" in part:
            blas = part.split("=", 1)[-1].strip()
    return {"torch_version": torch.__version__, "torch_threads": torch.get_num_threads(),
            "torch_blas": blas}


def environment(rside, with_torch):
    model, simd, cache = cpu_description()
    env = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": model, "cpu_simd": simd, "cpu_cache": cache, "cores": os.cpu_count(),
        "memory_gib": round(mem_total_gib(), 1),
        "os": platform.platform(),
        "python": platform.python_version(), "numpy": np.__version__, "numpy_blas": numpy_blas(),
        "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "unset (one thread per core)"),
        "load_average_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    if rside is not None:
        env.update(rside.info())
    if with_torch:
        env.update(torch_info())
    return env


# -- memory probes (child processes) ----------------------------------------------

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
    if variant == "pytorch":
        import torch  # noqa: F401  (its libraries belong to the baseline)
    import h5py  # noqa: F401  (so does the HDF5 library that reads the seed data)
    baseline = _status_kib("VmRSS")
    case = make_case(case_name, iterations, data_dir)
    x_bytes = case.X.nbytes
    X, Y = case.X, case.Y
    if rside is not None:
        rside.put(f"bench_X_{case.name}", X)
        rside.put(f"bench_Y_{case.name}", Y)
        case.X = X = None  # only R's copy is left
    elif variant == "pytorch":
        Xt, Yt = torch_prepare(X, Y)
        case.X = X = None  # only the examples-as-rows copy is left
    gc.collect()
    before = _status_kib("VmRSS")
    reset = _reset_peak()
    r_heap = None
    if variant == "textbook":
        textbook_model(X, Y, case.dims, case.lr, iterations)
    elif variant.startswith("python-"):
        tn.L_layer_model(X, Y, case.dims, case.lr, iterations, solver=variant.split("-", 1)[1])
    elif variant.startswith("r-"):
        f = rside.ro.globalenv[".twinnet_bench_peak"]
        r_heap = float(rside.twin.from_r(f(rside.ro.globalenv[f"bench_X_{case.name}"],
                                           rside.ro.globalenv[f"bench_Y_{case.name}"],
                                           rside.twin.to_r(case.dims), case.lr, iterations,
                                           variant.split("-", 1)[1])))
    elif variant == "pytorch":
        torch_model(Xt, Yt, case.dims, case.lr, iterations)
    peak = _status_kib("VmHWM")
    print(json.dumps({"variant": variant, "case": case_name, "x_bytes": x_bytes,
                      "baseline_kib": baseline, "before_kib": before, "peak_kib": peak,
                      "peak_reset": reset, "r_heap_max_mb": r_heap, "iterations": iterations}))


def run_probe(variant, case_name, iterations, data_dir):
    cmd = [sys.executable, str(Path(__file__).resolve()), "--probe", variant, case_name,
           "--probe-iterations", str(iterations)]
    if data_dir:
        cmd += ["--data-dir", str(data_dir)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    if out.returncode != 0:
        return {"error": (out.stderr or out.stdout).strip().splitlines()[-1:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- timing ------------------------------------------------------------------------

def median(xs):
    return statistics.median(xs) if xs else float("nan")


def time_numpy_products(X, n1, inner, reps, rng):
    W = rng.standard_normal((n1, X.shape[0]))
    dZ = rng.standard_normal((n1, X.shape[1]))
    W @ X, dZ @ X.T  # warm-up
    t1, t2 = [], []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(inner):
            W @ X
        t1.append((time.perf_counter() - t0) / inner)
        t0 = time.perf_counter()
        for _ in range(inner):
            dZ @ X.T
        t2.append((time.perf_counter() - t0) / inner)
    return median(t1), median(t2), W, dZ


def variants_for(case, rside, with_torch):
    """(key, label, language, solver) of every variant run on this case."""
    auto = tn.choose_solver(case.X, case.dims, case.iterations)
    out = [("textbook", "(a) textbook (numpy)", "python", "-")]
    out.append(("python-direct", "(b) twinnet Python, direct", "python", "direct"))
    if auto == "gram":
        out.append(("python-gram", "(b) twinnet Python, gram (auto)", "python", "gram"))
    if rside is not None:
        out.append(("r-direct", "(c) twinnet R, direct", "R", "direct"))
        if auto == "gram":
            out.append(("r-gram", "(c) twinnet R, gram (auto)", "R", "gram"))
    if with_torch:
        out.append(("pytorch", "(d) PyTorch CPU float64", "python", "-"))
    return auto, out


def run_variant(key, case, rside, torch_data, iterations=None):
    """(seconds, final cost) of one training run; nothing printed while timing."""
    T = int(iterations or case.iterations)
    gc.collect()
    if key.startswith("r-"):
        return rside.fit(case, key.split("-", 1)[1], T)
    t0 = time.perf_counter()
    if key == "textbook":
        _, costs = textbook_model(case.X, case.Y, case.dims, case.lr, T)
        cost = costs[-1]
    elif key.startswith("python-"):
        _, hist = tn.L_layer_model(case.X, case.Y, case.dims, case.lr, T, solver=key.split("-", 1)[1])
        cost = float(hist["cost"].iloc[-1])
    elif key == "pytorch":
        _, costs = torch_model(*torch_data, case.dims, case.lr, T)
        cost = costs[-1]
    else:
        raise ValueError(key)
    return time.perf_counter() - t0, cost


def bench_case(case, rside, with_torch, repeats, memory_iterations, data_dir, log):
    auto, variants = variants_for(case, rside, with_torch)
    log(f"[{case.name}] X {case.shape[0]} x {case.shape[1]} ({case.source}), {case.dims}, "
        f"{case.iterations} iterations, auto -> {auto}")
    torch_data = torch_prepare(case.X, case.Y) if with_torch else None
    if rside is not None:
        rside.put(f"bench_X_{case.name}", case.X)
        rside.put(f"bench_Y_{case.name}", case.Y)
    for key, *_ in variants:  # warm-up: libraries, thread pools, R's byte compiler
        run_variant(key, case, rside, torch_data, iterations=min(3, case.iterations))
    times = {key: [] for key, *_ in variants}
    costs = {}
    for rep in range(repeats):
        order = variants[rep % len(variants):] + variants[:rep % len(variants)]
        for key, *_ in order:
            time.sleep(SETTLE_SECONDS)
            seconds, cost = run_variant(key, case, rside, torch_data)
            times[key].append(seconds)
            costs[key] = cost
            log(f"  repeat {rep + 1}/{repeats} {key:14s} {seconds:9.3f} s  cost {cost:.12g}")

    # the two large products of the first layer, timed alone, in numpy and in R
    n1 = case.dims[1]
    flops = 2.0 * n1 * case.shape[0] * case.shape[1]
    inner = max(1, int(round(0.05 / max(flops / 20e9, 1e-6))))  # about 50 ms per timing
    rng = np.random.default_rng(7)
    np_wx, np_dzx, W, dZ = time_numpy_products(case.X, n1, inner, max(5, repeats), rng)
    products = {"numpy": (np_wx, np_dzx)}
    if rside is not None:
        products["R"] = rside.products(case, W, dZ, inner, max(5, repeats))
    if rside is not None:  # free R's copy of X before the next case
        rside.ro.r(f"rm(bench_X_{case.name}, bench_Y_{case.name}); invisible(gc())")

    memory = {}
    if memory_iterations:
        for key, *_ in variants:
            memory[key] = run_probe(key, case.name, min(memory_iterations, case.iterations), data_dir)
            log(f"  memory {key:14s} {fmt_memory(memory[key])}")
    return {"case": case, "auto": auto, "variants": variants, "times": times, "costs": costs,
            "products": products, "flops": flops, "memory": memory}


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


# -- report ------------------------------------------------------------------------

def rows_for(result):
    case = result["case"]
    tb = median(result["times"]["textbook"])
    tb_cost = result["costs"]["textbook"]
    rows = []
    for key, label, language, solver in result["variants"]:
        t = result["times"][key]
        med = median(t)
        cost = result["costs"][key]
        m = result["memory"].get(key)
        peak_mib = over_x = ""
        used = memory_bytes(m)
        if used is not None:
            peak_mib, over_x = round(used / 2**20, 1), round(used / m["x_bytes"], 3)
        rows.append({
            "case": case.name, "kind": "training", "variant": key, "label": label,
            "language": language, "solver": solver, "n_x": case.shape[0], "m": case.shape[1],
            "layer_dims": "-".join(map(str, case.dims)), "iterations": case.iterations,
            "repeats": len(t), "median_s": round(med, 6), "min_s": round(min(t), 6),
            "times_s": ";".join(f"{x:.6f}" for x in t),
            "per_iteration_ms": round(1e3 * med / case.iterations, 4),
            "speedup_vs_textbook": round(tb / med, 3),
            "final_cost": repr(cost), "rel_cost_diff_vs_textbook": f"{abs(cost - tb_cost) / abs(tb_cost):.3g}",
            "gflops": "", "peak_mib": peak_mib, "peak_over_x": over_x,
            "rss_before_data_kib": m.get("baseline_kib", "") if m else "",
            "rss_before_training_kib": m.get("before_kib", "") if m else "",
            "rss_peak_kib": m.get("peak_kib", "") if m else "",
        })
    for lib, (t1, t2) in result["products"].items():
        for name, t in (("W1 X", t1), ("dZ1 X^T", t2)):
            rows.append({
                "case": case.name, "kind": "product", "variant": f"{lib}: {name}", "label": f"{name} ({lib})",
                "language": "R" if lib == "R" else "python", "solver": "-", "n_x": case.shape[0],
                "m": case.shape[1], "layer_dims": "-".join(map(str, case.dims)), "iterations": "",
                "repeats": "", "median_s": round(t, 6), "min_s": "", "times_s": "",
                "per_iteration_ms": round(1e3 * t, 4), "speedup_vs_textbook": "", "final_cost": "",
                "rel_cost_diff_vs_textbook": "", "gflops": round(result["flops"] / t / 1e9, 2),
                "peak_mib": "", "peak_over_x": "", "rss_before_data_kib": "",
                "rss_before_training_kib": "", "rss_peak_kib": "",
            })
    return rows


def targets(results):
    """(target, measured, verdict) rows: the issue's targets, from this run only."""
    out = []
    by = {r["case"].name: r for r in results}

    def med(case, key):
        r = by.get(case)
        return median(r["times"][key]) if r and key in r["times"] else None

    def verdict(ok):
        return "met" if ok else "MISSED"

    seed = by.get("seed")
    if seed:
        py = "python-gram" if "python-gram" in seed["times"] else "python-direct"
        r_key = "r-gram" if "r-gram" in seed["times"] else "r-direct"
        tb, p = med("seed", "textbook"), med("seed", py)
        out.append(("seed: Python >= 40x faster than textbook (a)", f"{tb / p:.1f}x", verdict(tb / p >= 40)))
        if med("seed", "pytorch"):
            t = med("seed", "pytorch")
            out.append(("seed: Python >= 20x faster than PyTorch (d)", f"{t / p:.1f}x", verdict(t / p >= 20)))
        else:
            out.append(("seed: Python >= 20x faster than PyTorch (d)", "torch not importable", "not measured"))
        if med("seed", r_key):
            rr = med("seed", r_key)
            out.append(("seed: R within 1.5x of Python", f"R/Python = {rr / p:.2f}", verdict(rr / p <= 1.5)))
    large = by.get("large")
    if large:
        T = large["case"].iterations
        for lang, key in (("numpy", "python-direct"), ("R", "r-direct")):
            if key in large["times"] and lang in large["products"]:
                per = med("large", key) / T
                prod = sum(large["products"][lang])
                out.append((f"large: {'Python' if lang == 'numpy' else 'R'} direct per iteration within 1.3x "
                            f"of its two products ({lang})",
                            f"{1e3 * per:.1f} ms / {1e3 * prod:.1f} ms = {per / prod:.2f}",
                            verdict(per / prod <= 1.3)))
        if "r-direct" in large["times"]:
            ratio = med("large", "r-direct") / med("large", "python-direct")
            out.append(("large: R direct within 1.3x of Python direct", f"R/Python = {ratio:.2f}",
                        verdict(ratio <= 1.3)))
        for lang, key in (("Python", "python-direct"), ("R", "r-direct")):
            m = large["memory"].get(key)
            used = memory_bytes(m)
            if used is not None:
                out.append((f"large: peak memory of {lang} < 3x size of X",
                            f"{used / 2**20:.0f} MiB / {m['x_bytes'] / 2**20:.0f} MiB = {used / m['x_bytes']:.2f}",
                            verdict(used < 3 * m["x_bytes"])))
    return out


def cost_check(results):
    bad = []
    for r in results:
        ref = r["costs"]["textbook"]
        for key, cost in r["costs"].items():
            if not abs(cost - ref) <= COST_TOL * abs(ref):
                bad.append(f"{r['case'].name}/{key}: {cost!r} vs textbook {ref!r}")
    return bad


def markdown(env, results, rows, target_rows, bad):
    lines = ["## Machine", ""]
    lines.append(f"- CPU: {env['cpu']} ({env['cpu_simd']}; cache {env['cpu_cache'] or 'n/a'}), "
                 f"{env['cores']} cores, {env['memory_gib']} GiB")
    lines.append(f"- OS: {env['os']}; load average at start: {env['load_average_start']}; "
                 f"at end: {env.get('load_average_end', '')}")
    lines.append(f"- Python {env['python']}, numpy {env['numpy']}, BLAS: {env['numpy_blas']}")
    if "r_version" in env:
        lines.append(f"- {env['r_version']}, BLAS: {env['r_blas']} ({env['r_blas_package']}); "
                     f"LAPACK: {env['r_lapack']}")
    if "torch_version" in env:
        lines.append(f"- PyTorch {env['torch_version']}, {env['torch_threads']} threads, BLAS: {env['torch_blas']}")
    else:
        lines.append("- PyTorch: not importable, (d) skipped")
    lines.append(f"- OPENBLAS_NUM_THREADS: {env['OPENBLAS_NUM_THREADS']}; run on {env['date']}")
    lines.append("")
    for r in results:
        case = r["case"]
        lines.append(f"## {case.name}: X {case.shape[0]} x {case.shape[1]}, {case.dims}, "
                     f"{case.iterations} iterations ({case.source}); auto picks {r['auto']}")
        lines.append("")
        lines.append("| variant | median s | min s | per iteration ms | speed-up vs (a) | final cost | "
                     "rel. diff vs (a) | peak memory MiB (x X) |")
        lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for row in rows:
            if row["case"] != case.name or row["kind"] != "training":
                continue
            mem = f"{row['peak_mib']} ({row['peak_over_x']})" if row["peak_mib"] != "" else "n/a"
            lines.append(f"| {row['label']} | {row['median_s']:.3f} | {row['min_s']:.3f} | "
                         f"{row['per_iteration_ms']:.3f} | {row['speedup_vs_textbook']:.1f}x | "
                         f"{float(row['final_cost']):.12g} | {row['rel_cost_diff_vs_textbook']} | {mem} |")
        lines.append("")
        lines.append("| product, timed alone | ms | GFLOP/s |")
        lines.append("| --- | ---: | ---: |")
        for row in rows:
            if row["case"] == case.name and row["kind"] == "product":
                lines.append(f"| {row['label']} | {row['per_iteration_ms']:.2f} | {row['gflops']:.1f} |")
        lines.append("")
    lines.append("Times are wall-clock medians over the repeats (R's measured inside R around the "
                 "`L_layer_model` call). Peak memory: peak resident set of a child process during one "
                 "training run (VmHWM, reset once the data is in place) minus its resident set before "
                 "the data was made: the one copy of X it holds plus what training allocates.")
    lines.append("")
    lines.append("## Targets")
    lines.append("")
    lines.append("| target | measured | verdict |")
    lines.append("| --- | --- | --- |")
    for t in target_rows:
        lines.append(f"| {t[0]} | {t[1]} | {t[2]} |")
    lines.append("")
    lines.append("All variants end at the textbook's cost within 1e-8 (relative): "
                 + ("yes" if not bad else "NO: " + "; ".join(bad)))
    lines.append("")
    return "\n".join(lines)


def write_atomic(path, text):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def to_csv(rows):
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def parse_args(argv):
    p = argparse.ArgumentParser(prog="bench.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--iterations", type=int, default=None, help="iterations of the seed experiment (2500)")
    p.add_argument("--large-iterations", type=int, default=None, help="iterations of the large case (50)")
    p.add_argument("--repeats", type=int, default=None, help="timed repeats of every variant (3)")
    p.add_argument("--quick", action="store_true",
                   help="a smoke run: 100 and 5 iterations, 1 repeat, 2-iteration memory probes")
    p.add_argument("--cases", default="seed,large", help="comma-separated: seed, large (default both)")
    p.add_argument("--no-r", action="store_true", help="skip the R twin")
    p.add_argument("--no-torch", action="store_true", help="skip PyTorch even when importable")
    p.add_argument("--no-memory", action="store_true", help="skip the memory probes")
    p.add_argument("--memory-iterations", type=int, default=None,
                   help="iterations of each memory probe (20; peak memory is reached in the first one)")
    p.add_argument("--data-dir", default=None, help="the shared data folder (default ../shared/data)")
    p.add_argument("--csv", default=None, help="write the results as CSV here")
    p.add_argument("--markdown", default=None, help="write the markdown report here")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p.add_argument("--probe", nargs=2, metavar=("VARIANT", "CASE"), help=argparse.SUPPRESS)
    p.add_argument("--probe-iterations", type=int, default=20, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    quick = args.quick
    args.iterations = args.iterations or (100 if quick else 2500)
    args.large_iterations = args.large_iterations or (5 if quick else 50)
    args.repeats = args.repeats or (1 if quick else 3)
    if args.memory_iterations is None:
        args.memory_iterations = 2 if quick else 20
    if args.no_memory:
        args.memory_iterations = 0
    for name in ("iterations", "large_iterations", "repeats"):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be >= 1")
    args.cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    for c in args.cases:
        if c not in ("seed", "large"):
            p.error(f"--cases: unknown case {c!r} (expected seed, large)")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.probe:
        probe(args.probe[0], args.probe[1], args.probe_iterations, args.data_dir)
        return 0
    log = (lambda msg: None) if args.quiet else (lambda msg: print(msg, file=sys.stderr, flush=True))

    rside = None
    if not args.no_r:
        try:
            rside = RSide()
        except Exception as exc:  # RUnavailable, or rpy2 missing
            log(f"R twin unavailable, (c) skipped: {exc}")
    with_torch = not args.no_torch and torch_available()
    if not with_torch and not args.no_torch:
        log("torch is not importable: (d) PyTorch skipped")
    env = environment(rside, with_torch)
    log(f"numpy BLAS: {env['numpy_blas']}")
    if rside is not None:
        log(f"R BLAS: {env['r_blas']} ({env['r_blas_package']})")

    results = []
    for name in args.cases:
        case = make_case(name, args.iterations if name == "seed" else args.large_iterations, args.data_dir)
        results.append(bench_case(case, rside, with_torch, args.repeats, args.memory_iterations,
                                  args.data_dir, log))
        del case
        gc.collect()
    env["load_average_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())

    rows = [row for r in results for row in rows_for(r)]
    bad = cost_check(results)
    report = markdown(env, results, rows, targets(results), bad)
    print(report)
    if args.csv:
        write_atomic(args.csv, to_csv(rows))
    if args.markdown:
        write_atomic(args.markdown, report)
    if args.csv or args.markdown:
        write_atomic(Path(args.csv or args.markdown).with_suffix(".env.json"), json.dumps(env, indent=2) + "\n")
    if bad:
        print("cost check FAILED: " + "; ".join(bad), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

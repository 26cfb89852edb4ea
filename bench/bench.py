#!/usr/bin/env python3
"""twinnet's benchmark: the textbook loop, twinnet in Python and in R, and PyTorch, in one run.

A repository script, not part of the installed package. Runs, in this one
process and alternating between the variants so that machine noise hits all
alike (bench/variants.py):

  (a) ``textbook``  the contract's loop written plainly (it also computes dA0,
                    builds fresh arrays and a fresh parameter dict every step);
  (b) ``python``    twinnet's ``L_layer_model``, solver "direct" and "gram";
  (c) ``R``         the R package's ``L_layer_model`` through rpy2, timed inside
                    R (proc.time around the call: no conversion is timed);
  (d) ``pytorch``   the same network in PyTorch (CPU, float64, full batch, SGD,
                    BCEWithLogitsLoss, twinnet's initial parameters), when
                    torch can be imported; skipped otherwise;
  (e) ``sklearn``   scikit-learn's MLPClassifier (adam), on the mini-batch
                    workload only, when scikit-learn can be imported.

on four cases (bench/cases.py): the cat/non-cat experiment ([12288, 20, 7,
5, 1], relu, learning rate 0.0075, 2500 iterations, ../shared/data/catvnoncat
when present, else random data of the same shape), the circles demo
(make_circles(1000, seed = 1), [2, 16, 8, 1], 0.05, 5000 iterations), the
Dogs-vs-Cats shape, "large" (m = 21,000 examples of 3,072 features, [3072, 7,
5, 1], 50 iterations, random data) and the mini-batch workload (the large
shape column-major, [3072, 64, 16, 1], one epoch of Adam in batches of 64,
learning rate 0.001: (b), (c), (d) and (e), compared with (b)). Gram variants
run only where ``choose_solver`` picks gram (the cat/non-cat experiment).

It reports the median time over the repeats, the speed-up against (a), the
time per iteration and, on the full-batch cases, each language's limit: every
matrix product of one iteration (bench/cases.py: iteration_products) timed
alone in numpy and in R, on the loop's BLAS threads, added up (the time an
iteration would take if nothing but its products cost anything); R/Python per
case; peak memory (bench/memory.py: a child process per variant), the machine
and the BLAS libraries in use (bench/machine.py), and checks that every variant
ends at the cost of (a) within a relative 1e-8 (of (b) on the mini-batch
workload, PyTorch within 1e-6, scikit-learn unchecked; bench/report.py, which
also writes the report and the table of targets). Nothing is printed inside a
timed region. The R side is bench/bench.R.

    .venv/bin/python bench/bench.py                  # the full run (~15 min on 2 cores)
    .venv/bin/python bench/bench.py --quick          # a smoke run (~1 min)
    .venv/bin/python bench/bench.py --csv out/bench.csv --markdown out/bench.md

``main(argv)`` is the entry point. Exit status: 0, or 1 when a variant does
not end at its reference's cost.
"""

import argparse
import gc
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

from twinnet.atomic import atomic_write_text
from twinnet.solver import _blas_threads, _loop_threads

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the benchmark's own modules, also when imported
from cases import CASES, iteration_products, make_case  # noqa: E402
from machine import environment  # noqa: E402
from memory import fmt_memory, probe, run_probe  # noqa: E402
from report import cost_check, markdown, median, rows_for, targets, to_csv  # noqa: E402
from variants import RSide, needs_rows, rows_prepare, run_variant, torch_available, variants_for  # noqa: E402

SETTLE_SECONDS = 0.3  # between runs, untimed: lets idle BLAS / OpenMP threads stop spinning




def time_alone(f, reps):
    """The median over ``reps`` timings of ``f()``, each over enough calls to last about 20 ms: seconds per call."""
    f()  # warm-up
    inner = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(inner):
            f()
        if time.perf_counter() - t0 >= 0.02 or inner >= 2**20:
            break
        inner *= 4
    timings = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(inner):
            f()
        timings.append((time.perf_counter() - t0) / inner)
    return median(timings)


def time_numpy_products(case, solver, listed, reps):
    """Seconds of each product of one iteration (cases.iteration_products), each timed alone in numpy.

    In the loop's forms (python/twinnet/model.py and solver.py: into buffers, ``A.T`` a view) and on
    the loop's BLAS threads; X (and G) are the case's, the other operands random of the right shapes.
    """
    dims, X = case.dims, case.X
    m = X.shape[1]
    rng = np.random.default_rng(7)
    G = X.T @ X if solver == "gram" else None
    out = []
    with _blas_threads(_loop_threads(X.shape[0], m, dims[1], solver)):
        for _, kind, l in listed:
            A = X if l == 1 else rng.standard_normal((dims[l - 1], m))
            W = rng.standard_normal((dims[l], dims[l - 1]))
            dZ = rng.standard_normal((dims[l], m))
            if kind == "W A":
                args = (W, A, np.empty((dims[l], m)))
            elif kind == "dZ A^T":
                args = (dZ, A.T, np.empty((dims[l], dims[l - 1])))
            elif kind == "W^T dZ":
                args = (W.T, dZ, np.empty((dims[l - 1], m)))
            else:
                args = (dZ, G, np.empty((dims[l], m)))
            out.append(time_alone(lambda a=args: np.matmul(a[0], a[1], out=a[2]), reps))
    return out


def bench_case(case, rside, with_torch, repeats, memory_iterations, data_dir, log, auto_only=False):
    auto, variants = variants_for(case, rside, with_torch, auto_only)
    log(f"[{case.name}] X {case.shape[0]} x {case.shape[1]} ({case.source}), {case.dims}, "
        f"{case.count()}, {case.describe_options()}auto -> {auto}")
    xy_rows = rows_prepare(case.X, case.Y) if any(needs_rows(key) for key, *_ in variants) else None
    if rside is not None:
        rside.put(f"bench_X_{case.name}", case.X)
        rside.put(f"bench_Y_{case.name}", case.Y)
    for key, *_ in variants:  # warm-up: libraries, thread pools, R's byte compiler
        run_variant(key, case, rside, xy_rows, iterations=min(3, case.iterations))
    times = {key: [] for key, *_ in variants}
    # twinnet's full-batch variants also run 1 iteration: what a run costs besides its iterations (checks,
    # initialisation, G and the final C X^T on the gram path), taken out of the time per iteration
    onces = {key: [] for key, *_ in variants if key.split("-")[0] in ("python", "r") and not case.options}
    costs = {}
    for rep in range(repeats):
        order = variants[rep % len(variants):] + variants[:rep % len(variants)]
        for key, *_ in order:
            time.sleep(SETTLE_SECONDS)
            seconds, cost = run_variant(key, case, rside, xy_rows)
            times[key].append(seconds)
            costs[key] = cost
            log(f"  repeat {rep + 1}/{repeats} {key:14s} {seconds:9.3f} s  cost {cost:.12g}")
            if key in onces and case.iterations > 1:
                onces[key].append(run_variant(key, case, rside, xy_rows, iterations=1)[0])

    # every matrix product of one iteration, timed alone, in numpy and in R, for each solver run: the limit
    products = {}
    if not case.options:  # the full-batch cases
        for solver in sorted({key.split("-", 1)[1] for key, *_ in variants if key.split("-")[0] in ("python", "r")}):
            listed = iteration_products(case.dims, solver)
            products[("numpy", solver)] = (listed, time_numpy_products(case, solver, listed, max(5, repeats)))
            if rside is not None:
                products[("R", solver)] = (listed, rside.products(case, solver, listed, max(5, repeats)))
    if rside is not None:  # free R's copy of X before the next case
        rside.drop(case)

    memory = {}
    if memory_iterations:
        for key, *_ in variants:
            memory[key] = run_probe(key, case.name, min(memory_iterations, case.iterations), data_dir)
            log(f"  memory {key:14s} {fmt_memory(memory[key])}")
    return {"case": case, "auto": auto, "variants": variants, "times": times, "onces": onces, "costs": costs,
            "products": products, "memory": memory}


def parse_args(argv):
    p = argparse.ArgumentParser(prog="bench.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--iterations", type=int, default=None, help="iterations of the cat/non-cat experiment (2500)")
    p.add_argument("--circles-iterations", type=int, default=None, help="iterations of the circles demo (5000)")
    p.add_argument("--large-iterations", type=int, default=None,
                   help="iterations of the large case, the Dogs-vs-Cats shape (50)")
    p.add_argument("--minibatch-epochs", type=int, default=None,
                   help="epochs of the mini-batch Adam workload (1)")
    p.add_argument("--repeats", type=int, default=None, help="timed repeats of every variant (3)")
    p.add_argument("--quick", action="store_true",
                   help="a smoke run: 100, 5 and 1 iterations (epochs), 1 repeat, 2-iteration memory probes")
    p.add_argument("--cases", default=",".join(CASES), help=f"comma-separated: {', '.join(CASES)} (default all)")
    p.add_argument("--auto-only", action="store_true",
                   help="twinnet's full-batch variants with auto's solver only (no direct where auto picks gram)")
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
    args.circles_iterations = args.circles_iterations or (100 if quick else 5000)
    args.large_iterations = args.large_iterations or (5 if quick else 50)
    args.minibatch_epochs = args.minibatch_epochs or 1
    args.repeats = args.repeats or (1 if quick else 3)
    if args.memory_iterations is None:
        args.memory_iterations = 2 if quick else 20
    if args.no_memory:
        args.memory_iterations = 0
    for name in ("iterations", "circles_iterations", "large_iterations", "minibatch_epochs", "repeats"):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be >= 1")
    args.cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    for c in args.cases:
        if c not in CASES:
            p.error(f"--cases: unknown case {c!r} (expected {', '.join(CASES)})")
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
        iterations = {"catvnoncat": args.iterations, "circles": args.circles_iterations,
                      "large": args.large_iterations}.get(name, args.minibatch_epochs)
        case = make_case(name, iterations, args.data_dir)
        results.append(bench_case(case, rside, with_torch, args.repeats, args.memory_iterations,
                                  args.data_dir, log, args.auto_only))
        del case
        gc.collect()
    env["load_average_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())

    rows = [row for r in results for row in rows_for(r)]
    bad = cost_check(results)
    report = markdown(env, results, rows, targets(results), bad)
    print(report)
    outputs = {args.csv: to_csv(rows) if args.csv else None, args.markdown: report}
    if args.csv or args.markdown:
        outputs[str(Path(args.csv or args.markdown).with_suffix(".env.json"))] = json.dumps(env, indent=2) + "\n"
    for path, text in outputs.items():
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(path, text)
    if bad:
        print("cost check FAILED: " + "; ".join(bad), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

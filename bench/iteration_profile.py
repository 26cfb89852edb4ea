#!/usr/bin/env python3
"""Where one full-batch iteration's time goes, in Python and in R (docs/performance.md, "Profiles").

A repository script beside bench/bench.py. For a case (bench/cases.py) and the solver ``auto``
picks, it measures in each language:

* the time of one iteration: the marginal time of ``L_layer_model`` between a short and a long
  run (so that the Gram matrix, the initialisation and the checks do not count), with the loop's
  own BLAS threads (``threads``) and with the BLAS's default count (``default threads``: the thread
  hand-offs are the difference);
* the iteration's matrix products, each timed alone (the limit of bench.py);
* its elementwise steps (activations and their derivatives, bias additions, sums, updates), each
  timed alone on arrays of the loop's shapes, in the forms the loop uses;
* what is left: the interpreter's work and the calls' overhead (and, in R, allocation and the
  garbage collector, whose time R reports separately, ``gc``).

    .venv/bin/python bench/iteration_profile.py                    # catvnoncat and circles, both languages
    .venv/bin/python bench/iteration_profile.py --cases circles --no-r
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

import twinnet as tn
import twinnet.solver as solver_module
from twinnet.model import _relu_backward_finite, _sigmoid_forward_finite
from twinnet.solver import _blas_threads, _loop_threads

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import time_alone, time_numpy_products  # noqa: E402
from cases import iteration_products, make_case  # noqa: E402
from variants import RSide  # noqa: E402


def elementwise_numpy(dims, m, solver, lr):
    """The loop's elementwise steps of one iteration (python/twinnet/model.py, solver.py), as callables."""
    rng = np.random.default_rng(3)
    L = len(dims) - 1
    steps = []
    for l in range(1, L + 1):
        Z, b = rng.standard_normal((dims[l], m)), rng.standard_normal((dims[l], 1))
        dA, W, dW = rng.standard_normal((dims[l], m)), rng.standard_normal((dims[l], dims[l - 1])), np.empty(
            (dims[l], dims[l - 1]))
        db = np.empty((dims[l], 1))
        if l > 1 or solver == "direct":
            steps.append((f"Z{l} += b{l}", lambda Z=Z, b=b: np.add(Z, b, out=Z)))
        if l < L:
            steps.append((f"relu(Z{l})", lambda Z=Z: np.maximum(Z, 0.0)))
            steps.append((f"relu'(Z{l})", lambda dA=dA, Z=Z: _relu_backward_finite(dA, Z)))
        else:
            steps.append((f"sigmoid(Z{l})", lambda Z=Z: _sigmoid_forward_finite(Z)))
            steps.append((f"dZ{l} = A{l} - Y", lambda Z=Z, out=np.empty_like(Z): np.subtract(Z, Z, out=out)))
        steps.append((f"db{l}", lambda dA=dA, db=db: (np.add.reduce(dA, axis=1, keepdims=True, out=db),
                                                        np.divide(db, m, out=db))))
        if l > 1 or solver == "direct":
            steps.append((f"W{l} -= alpha dW{l}/m, b{l}", lambda W=W, dW=dW, db=db, b=b: (
                np.divide(dW, m, out=dW), np.multiply(dW, lr, out=dW), np.subtract(W, dW, out=W),
                np.multiply(db, lr, out=db), np.subtract(b, db, out=b))))
        else:  # gram: C += dZ1; Z1 -= (dZ1 G) s; delta = alpha db1; Z1 -= delta; b1 -= delta
            C, P, delta = np.zeros_like(Z), rng.standard_normal(Z.shape), np.empty_like(b)
            steps.append(("gram update of Z1, C, b1", lambda Z=Z, C=C, P=P, dA=dA, b=b, db=db, delta=delta: (
                np.add(C, dA, out=C), np.multiply(P, 0.1, out=P), np.subtract(Z, P, out=Z),
                np.multiply(lr, db, out=delta), np.subtract(Z, delta, out=Z), np.subtract(b, delta, out=b))))
    return steps


def marginal_python(case, solver, short, long, default_threads=False):
    """Seconds per iteration of L_layer_model between a short and a long run (best of 3)."""
    saved = solver_module.SMALL_PRODUCT
    if default_threads:
        solver_module.SMALL_PRODUCT = 0.0  # no product is small: the BLAS's own thread count
    try:
        def run(T):
            t0 = time.perf_counter()
            tn.L_layer_model(case.X, case.Y, case.dims, case.lr, T, solver=solver)
            return time.perf_counter() - t0
        run(short)
        return (min(run(long) for _ in range(3)) - min(run(short) for _ in range(3))) / (long - short)
    finally:
        solver_module.SMALL_PRODUCT = saved


def profile_case(case, rside, reps=5):
    solver = tn.choose_solver(case.X, case.dims, case.iterations)
    short, long = 200, 1200
    listed = iteration_products(case.dims, solver)
    out = {"case": case, "solver": solver}
    threads = _loop_threads(case.shape[0], case.shape[1], case.dims[1], solver)
    py = {"iteration": marginal_python(case, solver, short, long),
          "iteration, default threads": marginal_python(case, solver, short, long, default_threads=True),
          "products": sum(time_numpy_products(case, solver, listed, reps))}
    with _blas_threads(threads):
        py["elementwise"] = sum(time_alone(f, reps) for _, f in elementwise_numpy(case.dims, case.shape[1],
                                                                                    solver, case.lr))
    out["Python"] = py
    if rside is not None:
        rside.put(f"bench_X_{case.name}", case.X)
        rside.put(f"bench_Y_{case.name}", case.Y)
        X, Y = rside.data(case)
        prof = rside.twin.from_r(rside._r("bench_profile")(X, Y, rside.twin.to_r(case.dims), case.lr, solver,
                                                            short, long, reps))
        prof["products"] = sum(rside.products(case, solver, listed, reps))
        out["R"] = prof
        rside.drop(case)
    return out


def report(results):
    lines = ["| case | language | iteration ms | products | elementwise | interpreter and calls (R: gc) "
             "| default threads: iteration ms |", "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        for lang in ("Python", "R"):
            p = r.get(lang)
            if not p:
                continue
            it = p["iteration"]
            rest = it - p["products"] - p["elementwise"]
            gc = f" ({1e3 * p['gc']:.3f} gc)" if "gc" in p else ""

            def share(x):
                return f"{1e3 * x:.3f} ({100 * x / it:.0f} %)"
            lines.append(f"| {r['case'].name} ({r['solver']}) | {lang} | {1e3 * it:.3f} | {share(p['products'])} | "
                         f"{share(p['elementwise'])} | {share(rest)}{gc} | "
                         f"{1e3 * p['iteration, default threads']:.3f} |")
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(prog="iteration_profile.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--cases", default="catvnoncat,circles")
    p.add_argument("--no-r", action="store_true")
    p.add_argument("--data-dir", default=None)
    args = p.parse_args(argv)
    rside = None if args.no_r else RSide()
    results = [profile_case(make_case(name, 2500, args.data_dir), rside) for name in args.cases.split(",")]
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The platform matrix: the parity tests under simulated CPUs, BLAS libraries and thread counts.

One machine stands in for many. Each configuration forces, independently,

* numpy's OpenBLAS kernel (``OPENBLAS_CORETYPE`` at numpy's start) and R's
  (tests/conftest.py sets ``OPENBLAS_CORETYPE`` from
  ``TWINNET_R_OPENBLAS_CORETYPE`` just while rpy2 starts R; testthat gets it
  directly),
* the OpenBLAS thread count (``OPENBLAS_NUM_THREADS``),
* R on Debian's reference BLAS (``libblas3``) instead of OpenBLAS
  (``LD_LIBRARY_PATH`` / ``R_LD_LIBRARY_PATH`` put /usr/lib/<arch>/blas first),
* numpy's SIMD dispatch (``NPY_DISABLE_CPU_FEATURES``),
* the C library's code paths for log, exp, sin, cos and tanh (``GLIBC_TUNABLES``: glibc
  picks FMA versions on CPUs with AVX2 and FMA, which round differently in about one
  result in a thousand),

then runs the parity tests (fixtures, live parity, long runs, estimators,
model files, the cat/non-cat runs) in pytest and R's testthat suite, and
prints, per configuration and test group, the largest error seen against
its contract tolerance (testthat runs in "default" and wherever R's own
setting differs from the default configuration's; tests/helpers.py and tests/testthat/helper-fixtures.R
log every comparison to $TWINNET_ERROR_LOG). Every configuration must pass
at the contract's tolerances, unchanged.

    bash scripts/platforms.sh                 # every configuration (about 1-2 hours on 2 cores)
    bash scripts/platforms.sh --only default,r-refblas --markdown docs/platforms-table.md
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
ARCH_LIB = Path("/usr/lib") / f"{platform.machine()}-linux-gnu"
REF_BLAS = ARCH_LIB / "blas"

#: Test groups: a name, then the pytest arguments that select it.
GROUPS = {
    "fixtures": ["tests/test_fixtures.py"],
    "live parity": ["tests/test_parity_live.py"],
    "long runs": ["tests/test_solver.py", "tests/test_stability.py", "-k", "not catvnoncat and not seed"],
    "estimators": ["tests/test_estimator.py"],
    "model files": ["tests/test_modelio.py"],
    "cat/non-cat": ["tests/test_catvnoncat_experiment.py", "tests/test_solver.py", "-k", "catvnoncat"],
}

#: name -> (description, environment). "R:" keys go to R only, the others to both languages.
CONFIGS = {
    "default": ("as installed: each library picks its own kernel, all cores", {}),
    "np-haswell": ("numpy OpenBLAS Haswell kernel (AVX2), R as installed", {"OPENBLAS_CORETYPE": "Haswell", "R:OPENBLAS_CORETYPE": "auto"}),
    "np-skylakex": ("numpy OpenBLAS SkylakeX kernel (AVX-512), R as installed", {"OPENBLAS_CORETYPE": "SkylakeX", "R:OPENBLAS_CORETYPE": "auto"}),
    "np-zen": ("numpy OpenBLAS Zen kernel, R as installed", {"OPENBLAS_CORETYPE": "Zen", "R:OPENBLAS_CORETYPE": "auto"}),
    "np-sandybridge": ("numpy OpenBLAS Sandybridge kernel (AVX), R as installed", {"OPENBLAS_CORETYPE": "Sandybridge", "R:OPENBLAS_CORETYPE": "auto"}),
    "np-prescott": ("numpy OpenBLAS Prescott kernel (SSE3, pre-AVX), R as installed", {"OPENBLAS_CORETYPE": "Prescott", "R:OPENBLAS_CORETYPE": "auto"}),
    "r-haswell": ("R OpenBLAS Haswell kernel, numpy as installed", {"R:OPENBLAS_CORETYPE": "Haswell"}),
    "r-prescott": ("R OpenBLAS Prescott kernel, numpy as installed", {"R:OPENBLAS_CORETYPE": "Prescott"}),
    "np-skylakex-r-sandybridge": ("numpy SkylakeX, R Sandybridge", {"OPENBLAS_CORETYPE": "SkylakeX", "R:OPENBLAS_CORETYPE": "Sandybridge"}),
    "threads-1": ("OpenBLAS on 1 thread in both", {"OPENBLAS_NUM_THREADS": "1"}),
    "threads-2": ("OpenBLAS on 2 threads in both", {"OPENBLAS_NUM_THREADS": "2"}),
    "r-refblas": ("R on Debian's reference BLAS (libblas3), numpy as installed", {"R:REFBLAS": "1"}),
    "np-no-avx512": ("numpy SIMD without AVX-512 (NPY_DISABLE_CPU_FEATURES)", {"NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR"}),
    "libm-no-fma": ("the C library's log/exp/sin/cos/tanh without FMA (GLIBC_TUNABLES: a CPU without AVX2), in both",
                    {"GLIBC_TUNABLES": "glibc.cpu.hwcaps=-AVX2"}),
    "np-no-avx2": ("numpy SIMD without AVX2 and AVX-512, OpenBLAS Prescott; R reference BLAS, 1 thread",
                   {"NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR", "OPENBLAS_CORETYPE": "Prescott",
                    "R:OPENBLAS_CORETYPE": "auto", "R:REFBLAS": "1", "OPENBLAS_NUM_THREADS": "1"}),
}


def environments(settings, log):
    """(pytest environment, testthat environment) for one configuration."""
    base = {k: v for k, v in os.environ.items()
            if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "NPY_DISABLE_CPU_FEATURES", "LD_LIBRARY_PATH", "GLIBC_TUNABLES",
                         "R_LD_LIBRARY_PATH", "TWINNET_R_OPENBLAS_CORETYPE", "TWINNET_R_OPENBLAS_NUM_THREADS",
                         "TWINNET_RUN_CACHE")}  # each configuration computes its own runs
    base.update(TWINNET_ERROR_LOG=str(log), TWINNET_REQUIRE_R="1", TWINNET_FIXTURES=str(ROOT / "fixtures"))
    py, rr = dict(base), dict(base)
    for key, value in settings.items():
        if key == "R:REFBLAS":
            py["LD_LIBRARY_PATH"] = str(REF_BLAS)
            rr["R_LD_LIBRARY_PATH"] = f"{REF_BLAS}:/usr/lib/R/lib:{ARCH_LIB}"
        elif key.startswith("R:"):
            var = key[2:]
            py[f"TWINNET_R_{var}"] = value
            if value == "auto":
                rr.pop(var, None)
            else:
                rr[var] = value
        else:
            py[key] = value
            rr[key] = value
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS"):  # R's own setting wins in testthat
        if f"R:{var}" in settings and settings[f"R:{var}"] == "auto":
            rr.pop(var, None)
    return py, rr


PROBE = r"""
import json, os
import numpy as np
from threadpoolctl import threadpool_info
saved = {v: os.environ.get(v) for v in ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS")}
for var in saved:
    forced = os.environ.get("TWINNET_R_" + var)
    if forced == "auto":
        os.environ.pop(var, None)
    elif forced:
        os.environ[var] = forced
from twinnet.rbridge import RTwin
r = RTwin()
info = [dict(lib=os.path.basename(i["filepath"]), arch=i.get("architecture"), threads=i["num_threads"])
        for i in threadpool_info() if i["internal_api"] == "openblas"]
print(json.dumps({"blas": info, "R BLAS": r.eval('unname(extSoftVersion()["BLAS"])'),
                  "numpy SIMD": [f for f in ("X86_V2", "X86_V3", "X86_V4", "AVX512_ICL", "AVX512_SPR")
                                 if np._core._multiarray_umath.__cpu_features__.get(f)]}))
"""


def run_config(name, settings, groups, timeout):
    with tempfile.TemporaryDirectory(prefix=f"tn-platform-{name}-") as tmp:
        out = {"name": name, "groups": {}, "ok": True}
        py_env, r_env = environments(settings, Path(tmp) / "unused.jsonl")
        probe = subprocess.run([str(PYTHON), "-c", PROBE], env=py_env, cwd=ROOT, capture_output=True, text=True,
                               timeout=600)
        out["probe"] = json.loads(probe.stdout.strip().splitlines()[-1]) if probe.returncode == 0 else {
            "error": (probe.stderr.strip().splitlines() or ["?"])[-1]}
        for group in groups:
            log = Path(tmp) / f"{group.replace('/', '-').replace(' ', '-')}.jsonl"
            py_env, _ = environments(settings, log)
            start = time.time()
            proc = subprocess.run([str(PYTHON), "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                   *GROUPS[group]], env=py_env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
            out["groups"][group] = summarise(log, proc, time.time() - start)
            out["ok"] &= proc.returncode == 0
        log = Path(tmp) / "testthat.jsonl"
        _, r_env = environments(settings, log)
        if name != "default" and r_env == environments({}, log)[1]:  # R as in "default": it would repeat that run
            out["groups"]["testthat (R alone)"] = None
            return out
        start = time.time()
        code = ('.libPaths(c(".rlib", .libPaths())); testthat::test_dir("tests/testthat", package = "twinnet", '
                'load_package = "installed", reporter = "summary", stop_on_failure = TRUE)')
        proc = subprocess.run(["Rscript", "-e", code], env=r_env, cwd=ROOT, capture_output=True, text=True,
                              timeout=timeout)
        out["groups"]["testthat (R alone)"] = summarise(log, proc, time.time() - start)
        out["ok"] &= proc.returncode == 0
        return out


def summarise(log, proc, seconds):
    rows = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    close = [row for row in rows if row["tol"] > 0]
    bits = [row for row in rows if row["tol"] == 0]
    worst = max(close, key=lambda row: row["err"] / row["tol"], default=None)
    tail = (proc.stdout.strip().splitlines() or [""])[-1]
    return {"passed": proc.returncode == 0, "summary": tail, "seconds": round(seconds, 1),
            "comparisons": len(close), "bit_exact": len(bits), "bit_exact_ok": all(row["err"] == 0 for row in bits),
            "worst": worst}


def cell(g):
    if g is None:
        return "R as in `default`"
    if g["worst"] is None:
        text = "no comparison"
    else:
        text = f"{g['worst']['err']:.1e} / {g['worst']['tol']:g}"
    bits = f"; {g['bit_exact']} bit-exact{'' if g['bit_exact_ok'] else ' (NOT all equal)'}" if g["bit_exact"] else ""
    return (text + bits) if g["passed"] else f"**FAILED** ({g['summary']})"


def markdown(results, groups):
    head = ["configuration", *groups, "testthat (R alone)", "passed"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for res in results:
        cells = [cell(res["groups"][g]) for g in [*groups, "testthat (R alone)"]]
        lines.append(f"| `{res['name']}` | " + " | ".join(cells) + f" | {'yes' if res['ok'] else '**no**'} |")
    lines.append("")
    lines.append("Each cell: the comparison closest to its tolerance, as `largest error / tolerance` "
                 "(max|a - b| / max|a|, contract section 13), and the number of bit-for-bit comparisons.")
    lines.append("")
    lines.append("| configuration | what is forced | numpy's and R's BLAS as loaded |")
    lines.append("| --- | --- | --- |")
    for res in results:
        probe = res["probe"]
        if "error" in probe:
            seen = f"probe failed: {probe['error']}"
        else:
            seen = "; ".join(f"{b['lib']} {b['arch']} {b['threads']} thread(s)" for b in probe["blas"])
            seen += f"; R BLAS {probe['R BLAS']}; numpy SIMD {' '.join(probe['numpy SIMD']) or 'baseline only'}"
        lines.append(f"| `{res['name']}` | {CONFIGS[res['name']][0]} | {seen} |")
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", help="comma-separated configuration names (default: all): " + ", ".join(CONFIGS))
    p.add_argument("--groups", help="comma-separated test groups (default: all): " + ", ".join(GROUPS))
    p.add_argument("--markdown", metavar="FILE", help="also write the table to FILE")
    p.add_argument("--timeout", type=float, default=1800, help="seconds per test run (default 1800)")
    args = p.parse_args(argv)
    names = args.only.split(",") if args.only else list(CONFIGS)
    groups = args.groups.split(",") if args.groups else list(GROUPS)
    for n in names:
        if n not in CONFIGS:
            p.error(f"unknown configuration {n!r}")
    for g in groups:
        if g not in GROUPS:
            p.error(f"unknown group {g!r}")
    results = []
    for n in names:
        start = time.time()
        res = run_config(n, CONFIGS[n][1], groups, args.timeout)
        results.append(res)
        print(f"{n}: {'passed' if res['ok'] else 'FAILED'} in {time.time() - start:.0f} s", file=sys.stderr, flush=True)
        if args.markdown:  # the table so far, after every configuration: a long run cut short keeps what it measured
            from twinnet.atomic import atomic_write_text

            atomic_write_text(args.markdown, markdown(results, groups) + "\n")
    print(markdown(results, groups))
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

"""The benchmark's report: CSV rows, the targets, the cost check and the markdown text."""

import csv
import io
import statistics

from cases import product_flops
from memory import memory_bytes

#: The largest relative difference a variant's final cost may have from its case's reference (the textbook's
#: on the full-batch cases, twinnet Python's on the mini-batch workload).
COST_TOL = 1e-8
#: Looser for PyTorch's Adam: the same steps in another order of operations (lr / (1 - beta1^t) times
#: v / (sqrt(s) / sqrt(1 - beta2^t) + eps)), whose rounding Adam's division by sqrt(s) amplifies.
COST_TOLS = {"pytorch-adam": 1e-6}
#: Not checked: scikit-learn starts from its own initial parameters and shuffles its own way.
UNCHECKED = {"sklearn-adam"}


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def limit_of(result, key):
    """(limit seconds per iteration, products' language) of a twinnet variant: the sum of its iteration's
    products timed alone in its own language, for its solver; (None, None) for the others."""
    lang = {"python": "numpy", "r": "R"}.get(key.split("-")[0])
    solver = key.split("-", 1)[1] if "-" in key else None
    entry = result["products"].get((lang, solver))
    return (sum(entry[1]), lang) if entry else (None, None)


def per_iteration(result, key):
    """Seconds per iteration of a variant: for twinnet's full-batch variants the marginal time, (median of
    the run - median of a 1-iteration run) / (iterations - 1), which leaves out what a run costs once;
    for the others (and a 1-iteration case) the run's median over its iterations."""
    T = result["case"].iterations
    once = result.get("onces", {}).get(key)
    if once and T > 1:
        return (median(result["times"][key]) - median(once)) / (T - 1)
    return median(result["times"][key]) / T


def rows_for(result):
    case = result["case"]
    tb = median(result["times"][case.reference])
    tb_cost = result["costs"][case.reference]
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
        limit, _ = limit_of(result, key)
        per = per_iteration(result, key)
        rows.append({
            "case": case.name, "kind": "training", "variant": key, "label": label,
            "language": language, "solver": solver, "n_x": case.shape[0], "m": case.shape[1],
            "layer_dims": "-".join(map(str, case.dims)), "iterations": case.iterations,
            "repeats": len(t), "median_s": round(med, 6), "min_s": round(min(t), 6),
            "times_s": ";".join(f"{x:.6f}" for x in t),
            "per_iteration_ms": round(1e3 * med / case.iterations, 4),
            "marginal_ms": round(1e3 * per, 4) if key in result.get("onces", {}) else "", "reference": case.reference,
            "speedup_vs_reference": round(tb / med, 3),
            "final_cost": repr(cost), "rel_cost_diff_vs_reference": f"{abs(cost - tb_cost) / abs(tb_cost):.3g}",
            "limit_ms": round(1e3 * limit, 4) if limit else "", "over_limit": round(per / limit, 3) if limit else "",
            "gflops": "", "peak_mib": peak_mib, "peak_over_x": over_x,
            "rss_before_data_kib": m.get("baseline_kib", "") if m else "",
            "rss_before_training_kib": m.get("before_kib", "") if m else "",
            "rss_peak_kib": m.get("peak_kib", "") if m else "",
        })
    for (lib, solver), (listed, seconds) in result["products"].items():
        for (name, kind, l), t in zip(listed, seconds):
            flops = product_flops(case.dims, case.shape[1], kind, l)
            rows.append({
                "case": case.name, "kind": "product", "variant": f"{lib} {solver}: {name}",
                "label": f"{name} ({lib}, {solver})", "language": "R" if lib == "R" else "python", "solver": solver,
                "n_x": case.shape[0], "m": case.shape[1], "layer_dims": "-".join(map(str, case.dims)),
                "iterations": "", "repeats": "", "median_s": round(t, 9), "min_s": "", "times_s": "",
                "per_iteration_ms": round(1e3 * t, 6), "marginal_ms": "", "reference": "", "speedup_vs_reference": "",
                "final_cost": "", "rel_cost_diff_vs_reference": "", "limit_ms": "", "over_limit": "",
                "gflops": round(flops / t / 1e9, 2), "peak_mib": "", "peak_over_x": "", "rss_before_data_kib": "",
                "rss_before_training_kib": "", "rss_peak_kib": "",
            })
    return rows


#: Issue 16's targets, as ratios in one run: the cat/non-cat experiment against the textbook loop and
#: PyTorch, R against Python on the full-batch cases, each language's iteration against its limit.
CAT_VS_TEXTBOOK, CAT_VS_TORCH, R_OVER_PYTHON, OVER_LIMIT = 100.0, 50.0, 1.3, 2.0
#: The full-batch cases with the R/Python target, and their names in the report.
R_PYTHON_CASES = {"catvnoncat": "the cat/non-cat experiment", "circles": "the circles demo",
                  "large": "the Dogs-vs-Cats shape"}


def targets(results):
    """(target, measured, verdict) rows: the performance targets (docs/performance.md), from this run only."""
    out = []
    by = {r["case"].name: r for r in results}

    def med(case, key):
        r = by.get(case)
        return median(r["times"][key]) if r and key in r["times"] else None

    def verdict(ok):
        return "met" if ok else "MISSED"

    def auto_key(case, lang):
        r = by[case]
        key = f"{lang}-{r['auto']}"
        return key if key in r["times"] else None

    cats = by.get("catvnoncat")
    if cats:
        py = auto_key("catvnoncat", "python")
        tb, p = med("catvnoncat", "textbook"), med("catvnoncat", py)
        out.append((f"catvnoncat: Python >= {CAT_VS_TEXTBOOK:g}x faster than textbook (a)", f"{tb / p:.1f}x",
                    verdict(tb / p >= CAT_VS_TEXTBOOK)))
        target = f"catvnoncat: Python >= {CAT_VS_TORCH:g}x faster than PyTorch (d)"
        t = med("catvnoncat", "pytorch")
        out.append((target, f"{t / p:.1f}x", verdict(t / p >= CAT_VS_TORCH)) if t
                   else (target, "torch not importable", "not measured"))
    for name, words in R_PYTHON_CASES.items():
        if name in by and auto_key(name, "r"):
            p, rr = med(name, auto_key(name, "python")), med(name, auto_key(name, "r"))
            out.append((f"{name} ({words}): R within {R_OVER_PYTHON:g}x of Python", f"R/Python = {rr / p:.2f}",
                        verdict(rr / p <= R_OVER_PYTHON)))
    for name in R_PYTHON_CASES:
        for lang, words in (("python", "Python"), ("r", "R")):
            key = auto_key(name, lang) if name in by else None
            limit = limit_of(by[name], key)[0] if key else None
            if limit:
                per = per_iteration(by[name], key)
                out.append((f"{name}: {words} ({by[name]['auto']}) per iteration within {OVER_LIMIT:g}x of its limit",
                            f"{1e3 * per:.3f} ms / {1e3 * limit:.3f} ms = {per / limit:.2f}",
                            verdict(per / limit <= OVER_LIMIT)))
    large = by.get("large")
    if large:
        T = large["case"].iterations
        for lang, key in (("numpy", "python-direct"), ("R", "r-direct")):
            entry = large["products"].get((lang, "direct"))
            if key in large["times"] and entry:
                per = med("large", key) / T
                prod = sum(t for (_, _, l), t in zip(*entry) if l == 1)  # W1 A0 and dZ1 A0^T
                out.append((f"large: {'Python' if lang == 'numpy' else 'R'} direct per iteration within 1.3x "
                            f"of its first layer's two products ({lang})",
                            f"{1e3 * per:.1f} ms / {1e3 * prod:.1f} ms = {per / prod:.2f}",
                            verdict(per / prod <= 1.3)))
        for lang, key in (("Python", "python-direct"), ("R", "r-direct")):
            m = large["memory"].get(key)
            used = memory_bytes(m)
            if used is not None:
                out.append((f"large: peak memory of {lang} < 3x size of X",
                            f"{used / 2**20:.0f} MiB / {m['x_bytes'] / 2**20:.0f} MiB = {used / m['x_bytes']:.2f}",
                            verdict(used < 3 * m["x_bytes"])))
    mini = by.get("minibatch")
    if mini:
        p = med("minibatch", "python-adam")
        for key, name in (("pytorch-adam", "PyTorch (d)"), ("sklearn-adam", "scikit-learn (e)")):
            target = f"minibatch: Python no slower than {name} per epoch"
            other = med("minibatch", key)
            out.append((target, f"{name.split()[0]}/Python = {other / p:.2f}", verdict(p <= other)) if other
                       else (target, "not importable", "not measured"))
        if med("minibatch", "r-adam"):
            rr = med("minibatch", "r-adam")
            out.append(("minibatch: R within 1.5x of Python", f"R/Python = {rr / p:.2f}", verdict(rr / p <= 1.5)))
    return out


def cost_check(results):
    """What does not end at its case's reference cost (the tolerances above), as messages."""
    bad = []
    for r in results:
        reference = r["case"].reference
        ref = r["costs"][reference]
        for key, cost in r["costs"].items():
            if key not in UNCHECKED and not abs(cost - ref) <= COST_TOLS.get(key, COST_TOL) * abs(ref):
                bad.append(f"{r['case'].name}/{key}: {cost!r} vs {reference} {ref!r}")
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
    if "sklearn_version" in env:
        lines.append(f"- scikit-learn {env['sklearn_version']} (mini-batch workload only)")
    lines.append(f"- OPENBLAS_NUM_THREADS: {env['OPENBLAS_NUM_THREADS']}; run on {env['date']}")
    lines.append("")
    for r in results:
        case = r["case"]
        ref = next(label for key, label, *_ in r["variants"] if key == case.reference).split()[0]
        lines.append(f"## {case.name}: X {case.shape[0]} x {case.shape[1]}, {case.dims}, "
                     f"{case.count()} ({case.source}); {case.describe_options()}auto picks {r['auto']}")
        lines.append("")
        lines.append(f"| variant | median s | min s | per {case.unit} ms | marginal ms / limit ms (x) | speed-up vs {ref} | "
                     f"final cost | rel. diff vs {ref} | peak memory MiB (x X) |")
        lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for row in rows:
            if row["case"] != case.name or row["kind"] != "training":
                continue
            mem = f"{row['peak_mib']} ({row['peak_over_x']})" if row["peak_mib"] != "" else "n/a"
            limit = (f"{row['marginal_ms']:.4f} / {row['limit_ms']:.4f} ({row['over_limit']:.2f})" if row["limit_ms"] != ""
                     else "")
            lines.append(f"| {row['label']} | {row['median_s']:.3f} | {row['min_s']:.3f} | "
                         f"{row['per_iteration_ms']:.3f} | {limit} | {row['speedup_vs_reference']:.2f}x | "
                         f"{float(row['final_cost']):.12g} | {row['rel_cost_diff_vs_reference']} | {mem} |")
        lines.append("")
        if r["products"]:
            lines.append("| product of one iteration, timed alone | " +
                         " | ".join(f"{lib} {solver} ms (GFLOP/s)" for lib, solver in r["products"]) + " |")
            lines.append("| --- |" + " ---: |" * len(r["products"]))
            cells = {}
            for row in rows:
                if row["case"] == case.name and row["kind"] == "product":
                    lib_solver, name = row["variant"].split(": ", 1)
                    cells.setdefault(name, {})[lib_solver] = f"{row['per_iteration_ms']:.4f} ({row['gflops']:.1f})"
            for name, by_lib in cells.items():
                lines.append(f"| {name} | " + " | ".join(by_lib.get(f"{lib} {solver}", "")
                                                        for lib, solver in r["products"]) + " |")
            lines.append("| **sum: the limit of one iteration** | " +
                         " | ".join(f"**{1e3 * sum(ts):.4f}**" for _, ts in r["products"].values()) + " |")
            lines.append("")
    lines.append("Times are wall-clock medians over the repeats (R's measured inside R around the "
                 "`L_layer_model` call). Peak memory: peak resident set of a child process during one "
                 "training run (VmHWM, reset once the data is in place) minus its resident set before "
                 "the data was made: the one copy of X it holds plus what training allocates.")
    lines.append("")
    full = [r for r in results if r["case"].name in R_PYTHON_CASES]
    if full:
        lines.append("## One iteration against its limit, and R against Python")
        lines.append("")
        lines.append("Per iteration: the marginal time, (run - 1-iteration run) / (iterations - 1), which leaves out "
                     "what a run costs once (checks, initialisation; G and C X^T on the gram path). The limit is the "
                     "sum of the iteration's matrix products, each timed alone in the language's own forms, on the "
                     "loop's BLAS threads: what an iteration would cost if nothing but its products did (the "
                     "solver is the one auto picks).")
        lines.append("")
        lines.append("| case | solver | Python ms / limit (x) | R ms / limit (x) | R/Python |")
        lines.append("| --- | --- | ---: | ---: | ---: |")
        for r in full:
            cells = []
            for lang in ("python", "r"):
                key = f"{lang}-{r['auto']}"
                limit = limit_of(r, key)[0] if key in r["times"] else None
                per = per_iteration(r, key) if key in r["times"] else None
                cells.append(f"{1e3 * per:.4f} / {1e3 * limit:.4f} ({per / limit:.2f})" if limit else
                             (f"{1e3 * per:.4f}" if per else "n/a"))
            r_key, py_key = f"r-{r['auto']}", f"python-{r['auto']}"
            ratio = f"{median(r['times'][r_key]) / median(r['times'][py_key]):.2f}" if r_key in r["times"] else "n/a"
            lines.append(f"| {r['case'].name} | {r['auto']} | {cells[0]} | {cells[1]} | {ratio} |")
        lines.append("")
    lines.append("## Targets")
    lines.append("")
    lines.append("| target | measured | verdict |")
    lines.append("| --- | --- | --- |")
    for t in target_rows:
        lines.append(f"| {t[0]} | {t[1]} | {t[2]} |")
    lines.append("")
    names = {r["case"].name: r["case"].reference == "textbook" for r in results}

    def verdict(full):
        found = [b for b in bad if names[b.split("/")[0]] == full]
        return "yes" if not found else "NO: " + "; ".join(found)

    if any(names.values()):
        lines.append("All variants end at the textbook's cost within 1e-8 (relative): " + verdict(True))
    if not all(names.values()):
        lines.append("")
        lines.append("Mini-batch workload: twinnet R ends at twinnet Python's cost within 1e-8 and PyTorch within "
                     "1e-6 (relative; the same initial parameters and batches), scikit-learn unchecked (its own "
                     "initialisation and shuffling): " + verdict(False))
    lines.append("")
    return "\n".join(lines)


def to_csv(rows):
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()

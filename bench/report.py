"""The benchmark's report: CSV rows, the targets, the cost check and the markdown text."""

import csv
import io
import statistics

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
        rows.append({
            "case": case.name, "kind": "training", "variant": key, "label": label,
            "language": language, "solver": solver, "n_x": case.shape[0], "m": case.shape[1],
            "layer_dims": "-".join(map(str, case.dims)), "iterations": case.iterations,
            "repeats": len(t), "median_s": round(med, 6), "min_s": round(min(t), 6),
            "times_s": ";".join(f"{x:.6f}" for x in t),
            "per_iteration_ms": round(1e3 * med / case.iterations, 4), "reference": case.reference,
            "speedup_vs_reference": round(tb / med, 3),
            "final_cost": repr(cost), "rel_cost_diff_vs_reference": f"{abs(cost - tb_cost) / abs(tb_cost):.3g}",
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
                "per_iteration_ms": round(1e3 * t, 4), "reference": "", "speedup_vs_reference": "",
                "final_cost": "", "rel_cost_diff_vs_reference": "", "gflops": round(result["flops"] / t / 1e9, 2),
                "peak_mib": "", "peak_over_x": "", "rss_before_data_kib": "",
                "rss_before_training_kib": "", "rss_peak_kib": "",
            })
    return rows


def targets(results):
    """(target, measured, verdict) rows: the performance targets (docs/performance.md), from this run only."""
    out = []
    by = {r["case"].name: r for r in results}

    def med(case, key):
        r = by.get(case)
        return median(r["times"][key]) if r and key in r["times"] else None

    def verdict(ok):
        return "met" if ok else "MISSED"

    cats = by.get("catvnoncat")
    if cats:
        py = "python-gram" if "python-gram" in cats["times"] else "python-direct"
        r_key = "r-gram" if "r-gram" in cats["times"] else "r-direct"
        tb, p = med("catvnoncat", "textbook"), med("catvnoncat", py)
        out.append(("catvnoncat: Python >= 40x faster than textbook (a)", f"{tb / p:.1f}x", verdict(tb / p >= 40)))
        if med("catvnoncat", "pytorch"):
            t = med("catvnoncat", "pytorch")
            out.append(("catvnoncat: Python >= 20x faster than PyTorch (d)", f"{t / p:.1f}x", verdict(t / p >= 20)))
        else:
            out.append(("catvnoncat: Python >= 20x faster than PyTorch (d)", "torch not importable", "not measured"))
        if med("catvnoncat", r_key):
            rr = med("catvnoncat", r_key)
            out.append(("catvnoncat: R within 1.5x of Python", f"R/Python = {rr / p:.2f}", verdict(rr / p <= 1.5)))
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
        lines.append(f"| variant | median s | min s | per {case.unit} ms | speed-up vs {ref} | final cost | "
                     f"rel. diff vs {ref} | peak memory MiB (x X) |")
        lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for row in rows:
            if row["case"] != case.name or row["kind"] != "training":
                continue
            mem = f"{row['peak_mib']} ({row['peak_over_x']})" if row["peak_mib"] != "" else "n/a"
            lines.append(f"| {row['label']} | {row['median_s']:.3f} | {row['min_s']:.3f} | "
                         f"{row['per_iteration_ms']:.3f} | {row['speedup_vs_reference']:.2f}x | "
                         f"{float(row['final_cost']):.12g} | {row['rel_cost_diff_vs_reference']} | {mem} |")
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

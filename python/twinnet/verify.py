"""Verify your own port: twinnet's shared vectors as a checker for anyone's implementation.

Twin of ``R/verify.R``; docs/verify.md is the user's guide, docs/contract.md section 28 the rules.
``verify_port(path)`` loads a user's implementation of the course's network -- a Python file or
module, or an R file or package (through rpy2) -- finds its functions by name, runs every
applicable fixture of ``fixtures/`` against each one and returns a report: per function pass /
fail, the contract's normwise error per quantity (section 13, the cancelling-sums rule
included), the worst element, and a diagnosis where a classic mistake fits. A diagnosis is never
a guess from a message: the expected value is recomputed under the mistaken hypothesis (1/m
left out, W transposed, relu'(0) = 1, ...) and the port's value must match it.

The user's code is untrusted: it runs in a child process (``_child_main``), every call under a
time limit; an error, a wrong return type, a hang or a crash is reported for that function and
the checker goes on. The child works in a temporary folder and writes no bytecode, so nothing is
written into the user's folder. ``verify_main(argv)`` is the command line (``twinnet verify``):
exit code 0 all pass, 1 some fail, 2 bad input.
"""

import argparse
import base64
import functools
import inspect
import json
import math
import os
import re
import select
import signal
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import numpy as np

from .activations import ACTIVATIONS, LEAKY_RELU_SLOPE
from .atomic import atomic_write_text
from .backward import linear_backward
from .forward import linear_activation_forward
from .initialize import INIT_SCHEMES, initialize_parameters
from .validate import describe, input_error

#: contract section 13: single steps and the fixtures' 30-iteration trajectories.
STEP_TOL = 1e-12
#: how close a port's value must come to a mistaken hypothesis's value to be diagnosed as it.
MATCH_TOL = 1e-9
DEFAULT_TIMEOUT = 10.0
#: the statistics of random draws are judged within +-SCALE_Z standard deviations.
SCALE_Z = 6.0
#: fixture families: name -> file pattern in the fixtures folder. A family whose files follow the
#: fixtures' schema (fixtures/README.md) plugs in with one entry here.
FAMILIES = {"tn": "tn-*.json", "course": "course-*.json"}
#: a case of the checker's own for the initialisations: enough draws to judge their scale.
PROBE_DIMS = {"initialize_parameters": [100, 40, 1], "initialize_parameters_deep": [100, 40, 10, 1]}
#: the weight rules a port of each course function may follow (contract section 3's names).
ACCEPTED_RULES = {"initialize_parameters": ["scaled"], "initialize_parameters_deep": ["scaled", "xavier", "he"]}
CONVENTIONS = ("auto", "course", "twinnet")
#: the functions looked for, in report order, by calling convention (docs/verify.md).
FUNCTIONS = {
    "course": ["sigmoid", "relu", "sigmoid_backward", "relu_backward", "initialize_parameters",
               "initialize_parameters_deep", "linear_forward", "linear_activation_forward", "L_model_forward",
               "compute_cost", "linear_backward", "linear_activation_backward", "L_model_backward",
               "update_parameters", "predict", "two_layer_model", "L_layer_model"],
    "twinnet": ["sigmoid_forward", "relu_forward", "tanh_forward", "leaky_relu_forward", "sigmoid_backward",
                "relu_backward", "tanh_backward", "leaky_relu_backward", "initialize_parameters", "linear_forward",
                "linear_activation_forward", "L_model_forward", "compute_cost", "linear_backward",
                "linear_activation_backward", "L_model_backward", "update_parameters", "predict_class",
                "L_layer_model"],
}
#: names only one convention has: the evidence for detecting it.
EVIDENCE = {"course": ["initialize_parameters_deep", "sigmoid", "relu", "predict", "two_layer_model"],
            "twinnet": ["sigmoid_forward", "relu_forward", "tanh_forward", "leaky_relu_forward", "predict_class",
                        "predict_proba"]}
#: which functions a function's result depends on (a failure there is named as the likely cause).
DEPENDS = {
    "linear_activation_forward": ["linear_forward", "sigmoid", "relu"],
    "L_model_forward": ["linear_activation_forward", "linear_forward", "sigmoid", "relu"],
    "linear_activation_backward": ["linear_backward", "sigmoid_backward", "relu_backward"],
    "L_model_backward": ["linear_activation_backward", "linear_backward", "sigmoid_backward", "relu_backward"],
    "predict": ["L_model_forward", "linear_activation_forward"],
    "predict_class": ["L_model_forward", "linear_activation_forward"],
    "two_layer_model": ["linear_activation_forward", "compute_cost", "linear_activation_backward",
                        "update_parameters", "linear_forward", "linear_backward", "relu_backward", "sigmoid_backward"],
    "L_layer_model": ["initialize_parameters", "L_model_forward", "compute_cost", "L_model_backward",
                      "update_parameters", "linear_activation_forward", "linear_activation_backward"],
}
#: the classic mistakes: id -> what it means. Each is diagnosed only by recomputing the expected
#: value under it (the builders' hypotheses below) and matching the port's value.
DIAGNOSES = {
    "vector_shape": "{q} has shape {got} instead of {want}: a 1-D array (R: a plain vector) where a matrix is expected (keepdims=True, reshape; R: matrix(..., ncol = 1))",
    "transposed": "{q} is the transpose of the expected matrix (W transposed: shape (n_(l-1), n_l) instead of (n_l, n_(l-1)))",
    "W_transposed": "the function uses W transposed: called with t(W) in place of W it gives the expected {q}",
    "missing_1_over_m": "{q} is m = {m} times the expected value: the 1/m factor is missing",
    "m_wrong_axis": "{q} is m/n_(l-1) times the expected value: m was taken from the wrong axis (A_prev.shape[0], nrow(A_prev)) instead of the number of examples",
    "sign_flipped": "{q} has the opposite sign: the sign of dZ is flipped (dAL = -(Y/AL - (1 - Y)/(1 - AL)), dZ_L = AL - Y)",
    "cost_sign": "the cost has the opposite sign: the minus of -(1/m) sum(y log(a) + (1 - y) log(1 - a)) is missing",
    "cost_missing_term": "the cost lacks the (1 - y) log(1 - a) term",
    "cost_not_scalar": "the cost is a 1 x 1 array, not a number (np.squeeze; R: drop or as.numeric)",
    "relu_prime_at_zero": "{q} matches relu'(0) = 1: dZ is kept where Z == 0 (the derivative at Z <= 0 is {at0})",
    "activation_swapped": "{q} matches the {alt} activation where {act} is expected",
    "hidden_activation_wrong": "{q} matches a network whose hidden layers use {alt} instead of {act}",
    "output_activation_wrong": "{q} matches a network whose output layer uses relu (it must be sigmoid)",
    "sigmoid_prime_twice": "{q} matches dZ_L = (AL - Y) * sigmoid'(Z_L): AL - Y is already dZ_L and must not go through sigmoid_backward again",
    "sum_wrong_axis": "{q} sums over the wrong axis: over the units (axis=0, colSums) instead of the examples (axis=1, rowSums)",
    "cache_A_for_Z": "the cache holds A where Z belongs: the activation cache must be Z",
    "learning_rate_twice": "{q} matches W - alpha^2 dW: the learning rate is applied twice",
    "update_twice": "{q} matches W - 2 alpha dW: the update is applied twice",
    "not_updated": "{q} comes back unchanged: the update went into a copy (or another dict) than the one returned",
    "update_sign": "{q} matches W + alpha dW: gradient ascent, the sign of the update is flipped",
    "probabilities_not_classes": "predict returns the probabilities AL, not 0/1 classes (AL > 0.5)",
    "classes_flipped": "the predicted classes are flipped: class 1 where AL < 0.5",
    "threshold_ge": "AL = 0.5 is predicted as class 1: the rule is AL > 0.5, not AL >= 0.5",
    "init_standard": "the weights are standard normal draws: the scale factor ({accepted}) is missing",
    "init_rule": "the weights follow the {alt} rule where {accepted} is expected",
    "init_uniform": "the weights are uniform draws (np.random.rand, runif) instead of standard normal ones (randn, rnorm)",
    "b_not_zero": "{q} is not zero: the biases start at zeros",
    "scheme_ignored": "{q} matches the scheme {alt}, not the requested {scheme}",
    "inherited": "probably follows from what fails in {fn} ({ids})",
}
_DERIVATIVE_BOUND = {"relu": 1.0, "leaky_relu": 1.0, "tanh": 1.0, "sigmoid": 0.25}


class _LoadError(Exception):
    """The port could not be loaded (syntax error, failing import, no R, ...)."""


# ------------------------------------------------------------------ the public functions

def verify_port(path, name_map=None, convention="auto", fixtures=None, timeout=DEFAULT_TIMEOUT, only=None):
    """Check a port of the course's network against twinnet's fixtures.

    Parameters
    ----------
    path : str
        A Python file (``.py``), an R file (``.R``), an importable Python module name
        (``"twinnet"``) or an installed R package (``"package:twinnet"``). R code is run
        through rpy2 (needs R).
    name_map : dict, optional
        Checker name -> the port's name, for ports that use other names
        (``{"linear_forward": "for_prop", ...}``).
    convention : {"auto", "course", "twinnet"}, default "auto"
        The calling convention (docs/verify.md); "auto" detects it from the names and arguments.
    fixtures : str, optional
        The fixtures folder; default ``$TWINNET_FIXTURES``, else the repository's ``fixtures/``.
    timeout : float, default 10
        Time limit in seconds for each call of the user's code.
    only : list of str, optional
        Check only these functions (checker names).

    Returns
    -------
    VerifyReport
        The report, a dict (docs/verify.md, "The report"); ``report["exit_code"]`` is 0 when
        every function found passes, 1 otherwise; ``print(report)`` shows it as text.
    """
    target = _check_target(path)
    name_map = _check_name_map(name_map)
    if convention not in CONVENTIONS:
        raise input_error("convention", 'one of "auto", "course", "twinnet"', describe(convention))
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not math.isfinite(timeout) or timeout <= 0:
        raise input_error("timeout", "a positive finite number of seconds", describe(timeout))
    only = _check_only(only)
    folder = _fixtures_folder(fixtures)
    fixtures_list = _load_fixtures(folder)
    with tempfile.TemporaryDirectory(prefix="twinnet-verify-") as workdir:
        return _verify_in(target, workdir, path, name_map, convention, folder, fixtures_list, float(timeout), only)


def _verify_in(target, workdir, path, name_map, convention, folder, fixtures_list, timeout, only):
    """The report of the port ``target`` (of :func:`_check_target`), run in a child working in ``workdir``."""
    try:
        port = _OpenPort(target["target"], target["kind"], workdir)
    except _LoadError as exc:
        raise input_error("path", "a port that loads", f"{path!r}, which fails: {exc}") from None
    try:
        return _verify_loaded(port, path, target["lang"], name_map, convention, folder, fixtures_list, timeout, only)
    finally:
        port.close()


def verify_main(argv=None):
    """The command line ``twinnet verify PATH [options]``; returns the exit code (0, 1 or 2).

    Options: ``--name CHECKER=PORT`` (repeatable, or comma-separated), ``--convention``,
    ``--fixtures DIR``, ``--timeout SECONDS``, ``--only NAME,...``, ``--json FILE``,
    ``--junit FILE``, ``--quiet`` (no report on stdout).
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _parse_verify_args(argv)
        name_map = _parse_name_pairs(args.name)
        try:
            timeout = float(args.timeout)
        except ValueError:
            raise input_error("timeout", "a positive finite number of seconds", repr(args.timeout)) from None
        for dest in (args.json, args.junit):
            if dest is not None and not os.path.isdir(os.path.dirname(os.path.abspath(dest))):
                raise input_error("--json/--junit", "a file in an existing folder", repr(dest))
        only = [s for s in args.only.split(",") if s] if args.only is not None else None
        report = verify_port(args.path, name_map, args.convention, args.fixtures, timeout, only)
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
    except (ValueError, TypeError) as exc:
        print(f"twinnet verify: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    if not args.quiet:
        print(report)
    if args.json is not None:
        atomic_write_text(args.json, _report_json(report))
    if args.junit is not None:
        atomic_write_text(args.junit, _report_junit(report))
    return report["exit_code"]


class VerifyReport(dict):
    """The report of :func:`verify_port`: a plain dict (JSON-able) that prints as the text report."""

    def __str__(self):
        return _report_text(self)


class _VerifyParser(argparse.ArgumentParser):
    """argparse's parser, refusing bad arguments with ValueError instead of exiting."""

    def error(self, message):
        raise ValueError(f"{self.prog}: {message}")


def _parse_verify_args(argv):
    """The options of ``twinnet verify``: path, name (a list), convention, fixtures, timeout (text), only,
    json, junit, quiet. ``--help`` prints the usage and raises SystemExit."""
    p = _VerifyParser(prog="twinnet verify", description="Check a port of the course's network against twinnet's fixtures.")
    p.add_argument("path", help="a .py or .R file, a Python module name, or package:NAME (an R package)")
    p.add_argument("--name", action="append", default=[], metavar="CHECKER=PORT",
                   help="the port's name for a function (repeatable; comma-separated pairs allowed)")
    p.add_argument("--convention", default="auto", help="auto (default), course or twinnet")
    p.add_argument("--fixtures", default=None, help="the fixtures folder (default: $TWINNET_FIXTURES or the repository's)")
    p.add_argument("--timeout", default=str(DEFAULT_TIMEOUT), help="time limit per call, seconds (default 10)")
    p.add_argument("--only", default=None, help="check only these functions (comma-separated)")
    p.add_argument("--json", default=None, metavar="FILE", help="write the report as JSON")
    p.add_argument("--junit", default=None, metavar="FILE", help="write JUnit XML (one test case per function x fixture)")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    return p.parse_args(argv)


# ------------------------------------------------------------------ arguments

def _check_target(path):
    """What ``path`` names, {"target", "lang", "kind"}: a file, a Python module or package:NAME."""
    expected = "a .py or .R file, a Python module name or package:NAME (an R package)"
    if not isinstance(path, str) or not path:
        raise input_error("path", expected, describe(path), TypeError)
    if path.startswith("package:"):
        return {"target": path[len("package:"):], "lang": "r", "kind": "r-package"}
    if os.path.isfile(path):
        ext = os.path.splitext(path)[1].lower()
        if ext == ".py":
            return {"target": os.path.abspath(path), "lang": "python", "kind": "py-file"}
        if ext == ".r":
            return {"target": os.path.abspath(path), "lang": "r", "kind": "r-file"}
        raise input_error("path", expected, f"{path!r} (a file that is neither .py nor .R)")
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*", path) and not path.endswith((".py", ".R")):
        return {"target": path, "lang": "python", "kind": "py-module"}
    raise input_error("path", expected, f"{path!r}, which does not exist")


def _check_name_map(name_map):
    known = sorted(set(FUNCTIONS["course"]) | set(FUNCTIONS["twinnet"]))
    if name_map is None:
        return {}
    if not isinstance(name_map, dict):
        raise input_error("name_map", "a mapping of checker names to the port's names", describe(name_map), TypeError)
    for k, v in name_map.items():
        if k not in known:
            raise input_error("name_map", "keys among the checker's names (" + ", ".join(known) + ")", repr(k))
        if not isinstance(v, str) or not v:
            raise input_error("name_map", "non-empty names of the port's functions", f"{describe(v)} for {k}")
    return dict(name_map)


def _parse_name_pairs(items):
    out = {}
    for item in items:
        for pair in item.split(","):
            if not pair:
                continue
            if pair.count("=") != 1 or not all(pair.split("=")):
                raise input_error("--name", "CHECKER=PORT pairs such as linear_forward=for_prop", repr(pair))
            k, v = pair.split("=")
            out[k.strip()] = v.strip()
    return out


def _check_only(only):
    if only is None:
        return None
    known = set(FUNCTIONS["course"]) | set(FUNCTIONS["twinnet"])
    if isinstance(only, str) or not isinstance(only, (list, tuple)) or not only:
        raise input_error("only", "a non-empty list of checker function names", describe(only), TypeError)
    for name in only:
        if name not in known:
            raise input_error("only", "checker function names such as linear_backward", repr(name))
    return list(only)


def _fixtures_folder(fixtures):
    """The fixtures folder: ``fixtures``, else $TWINNET_FIXTURES, else the checkout's (when the package
    runs from one), else ./fixtures."""
    if fixtures is None:
        env = os.environ.get("TWINNET_FIXTURES")
        checkout = Path(__file__).resolve().parents[2] / "fixtures"
        fixtures = env if env else (str(checkout) if checkout.is_dir() else "fixtures")
    if not isinstance(fixtures, str) or not os.path.isdir(fixtures):
        raise input_error("fixtures", "the folder of twinnet's fixtures (fixtures/, or set TWINNET_FIXTURES)",
                          repr(fixtures) if isinstance(fixtures, str) else describe(fixtures))
    return fixtures


def _load_fixtures(folder):
    """Every fixture of every family (FAMILIES), each with its ``family``; sorted by file name."""
    out = []
    for family, pattern in FAMILIES.items():
        for path in sorted(Path(folder).glob(pattern)):
            try:
                with open(path, encoding="utf-8") as f:
                    fx = json.load(f)
            except (OSError, ValueError) as exc:
                raise input_error("fixtures", "readable JSON fixtures", f"{path.name}: {exc}") from None
            if not isinstance(fx, dict):
                raise input_error("fixtures", "fixtures that are JSON objects", path.name)
            fx["family"] = family
            fx.setdefault("id", path.stem)
            out.append(fx)
    if not any(fx.get("kind") == "network" for fx in out):
        raise input_error("fixtures", "a folder with network fixtures (" + ", ".join(FAMILIES.values()) + ")", repr(folder))
    return out


# ------------------------------------------------------------------ the run

def _verify_loaded(port, path, lang, name_map, convention, folder, fixtures, timeout, only):
    functions = port.functions
    used, evidence = _detect_convention(functions, name_map) if convention == "auto" else (convention, [])
    names = FUNCTIONS[used] if only is None else [n for n in FUNCTIONS[used] if n in only]
    views = _network_views(fixtures)
    records = []
    for name in names:
        port_name = name_map.get(name, name)
        rec = {"name": name, "port_name": port_name, "status": "missing", "cases": [], "quantities": {},
               "diagnoses": []}
        records.append(rec)
        if port_name not in functions:
            continue
        cases = _cases_for(name, used, views)
        if not cases:
            rec["status"] = "not applicable"
            continue
        rec["cases"] = _run_function(port, port_name, cases, timeout, name_map)
        _summarise_function(rec)
    _add_inherited(records)
    counts = {s: sum(r["status"] == s for r in records) for s in ("pass", "fail", "missing", "not applicable")}
    if counts["pass"] + counts["fail"] == 0 and counts["not applicable"] == 0:
        raise input_error("path", "a port defining at least one of the functions " + ", ".join(names),
                          f"{path!r}, which defines none of them" + (" (see name_map)" if not name_map else ""))
    families = {fam: sum(fx["family"] == fam for fx in fixtures) for fam in FAMILIES}
    return VerifyReport({
        "schema": "twinnet-verify-report", "schema_version": 1, "checker": "python", "path": path,
        "language": lang, "convention": used, "convention_source": "detected" if convention == "auto" else "option",
        "convention_evidence": evidence, "name_map": name_map, "fixtures": {"folder": folder, "families": families},
        "timeout": timeout, "index_base": 0, "functions": records, "summary": counts,
        "exit_code": 0 if counts["fail"] == 0 else 1,
    })


def _detect_convention(functions, name_map):
    """"course" or "twinnet", and the names that decided it."""
    found = {c: [n for n in EVIDENCE[c] if name_map.get(n, n) in functions] for c in EVIDENCE}
    if len(found["course"]) != len(found["twinnet"]):
        used = "course" if len(found["course"]) > len(found["twinnet"]) else "twinnet"
        return used, found[used]
    forward = functions.get(name_map.get("L_model_forward", "L_model_forward"))
    if forward is not None:
        return ("twinnet" if len(forward) >= 3 else "course"), ["L_model_forward(" + ", ".join(forward) + ")"]
    return "course", []


def _network_views(fixtures):
    """Every network fixture as a dict of numpy values, layers numbered from 1 (None where unused)."""
    views = []
    for fx in fixtures:
        if fx.get("kind") != "network":
            continue
        try:
            views.append(_network_view(fx))
        except (KeyError, TypeError, ValueError):
            continue  # a network fixture without the quantities the checker needs
    return views


def _network_view(fx):
    c, e = fx["config"], fx["expected"]
    dims = [int(d) for d in c["layer_dims"]]
    L = len(dims) - 1
    f, b = e["forward"], e["backward"]
    P = {k: _mat(v) for k, v in e["parameters"].items()}
    v = {"id": fx["id"], "family": fx["family"], "flags": list(fx.get("flags", [])), "dims": dims, "L": L,
         "X": _mat(fx["inputs"]["X"]), "Y": _mat(fx["inputs"]["Y"]), "P": P, "act": c["hidden_activation"],
         "acts": [None] + [c["hidden_activation"]] * (L - 1) + ["sigmoid"], "lr": float(c["learning_rate"]),
         "T": int(c["num_iterations"]), "seed": int(c["seed"]), "scheme": c["scheme"], "cost": float(e["cost"]),
         "stream": c.get("stream", "portable")}
    v["m"] = v["X"].shape[1]
    v["A"] = [v["X"]] + [_mat(f[f"A{l}"]) for l in range(1, L + 1)]
    v["Z"] = [None] + [_mat(f[f"Z{l}"]) for l in range(1, L + 1)]
    v["dZ"] = [None] + [_mat(b[f"dZ{l}"]) for l in range(1, L + 1)]
    v["grads"] = {k: _mat(x) for k, x in b.items() if not k.startswith("dZ")}
    # dA0 = W1^T dZ1: the course returns it, the fixtures never hold it (contract section 1)
    v["dA"] = [P["W1"].T @ v["dZ"][1]] + [_mat(b[f"dA{l}"]) for l in range(1, L)]
    v["updated"] = {k: _mat(x) for k, x in e["updated_parameters"].items()}
    v["predictions"] = np.array(e["predictions"], dtype=np.int64).reshape(1, -1)
    v["costs"] = np.array(e["costs"]["cost"], dtype=np.float64)
    v["iterations"] = np.array(e["costs"]["iteration"], dtype=np.int64)
    v["saturated"] = "saturated" in v["flags"]
    return v


def _mat(x):
    return np.array(x, dtype=np.float64).reshape(len(x), -1) if isinstance(x, list) else np.array([[float(x)]])


def _cases_for(name, convention, views):
    """The cases of one function: one per applicable fixture (and the initialisations' probe)."""
    builder = _builder_for(convention, name)
    cases = []
    for v in views:
        calls = builder(v, name)
        if calls:
            cases.append({"fixture": v["id"], "family": v["family"], "calls": calls})
    if convention == "course" and name in PROBE_DIMS:
        dims = PROBE_DIMS[name]
        cases.append({"fixture": "probe-" + "-".join(map(str, dims)), "family": "checker",
                      "calls": _init_course_calls(name, dims)})
    return cases


def _run_function(port, port_name, cases, timeout, name_map):
    """Call the port for every case, then judge the results; returns the case records."""
    calls = [call for case in cases for call in case["calls"]]
    sent = [dict(c, patches={name_map.get(k, k): x for k, x in c["patches"].items()},
                 record=[name_map.get(k, k) for k in c["record"]]) for c in calls]
    outcomes = port.run(port_name, sent, timeout)
    back = {name_map.get(k, k): k for c in calls for k in c["record"]}
    for out in outcomes:
        if out.get("records"):
            out["records"] = {back.get(k, k): x for k, x in out["records"].items()}
    judged = [_judge_call(call, out) for call, out in zip(calls, outcomes)]
    # the probes: calls with changed inputs that test a hypothesis a failing call left open
    probes = [(j, p) for j, (call, res) in enumerate(zip(calls, judged)) if not res["pass"] for p in call.get("probes", [])]
    if probes:
        probe_out = port.run(port_name, [p for _, p in probes], timeout)
        for (j, p), out in zip(probes, probe_out):
            if out["status"] == "ok" and _matches(p["expected"], _resolve(out["value"], p["path"])[0]):
                judged[j]["diagnoses"].append(_diagnosis(p["id"], p["quantity"], {}))
    records, k = [], 0
    for case in cases:
        parts = judged[k:k + len(case["calls"])]
        k += len(case["calls"])
        failed = [p for p in parts if not p["pass"]]
        status = "pass" if not failed else next((p["status"] for p in failed if p["status"] != "fail"), "fail")
        records.append({"fixture": case["fixture"], "family": case["family"], "status": status,
                        "message": next((p["message"] for p in failed if p["message"]), None),
                        "quantities": [q for p in parts for q in p["quantities"]],
                        "diagnoses": _unique_diagnoses([d for p in parts for d in p["diagnoses"]])})
    return records


def _judge_call(call, out):
    """One call's outcome against its checks: pass, quantity records, diagnoses."""
    if out["status"] != "ok":
        return {"pass": False, "status": out["status"], "message": out.get("message"), "quantities": [],
                "diagnoses": []}
    quantities, diagnoses = [], []
    for check in call["checks"]:
        qs, diags = _judge_check(check, out)
        quantities += qs
        diagnoses += diags
    ok = all(q["pass"] for q in quantities)
    return {"pass": ok, "status": "pass" if ok else "fail", "message": None, "quantities": quantities,
            "diagnoses": diagnoses}


def _summarise_function(rec):
    """Status, the worst error per quantity, and the diagnoses of a function's cases."""
    rec["status"] = "pass" if all(c["status"] == "pass" for c in rec["cases"]) else "fail"
    worst = {}
    for case in rec["cases"]:
        for q in case["quantities"]:
            if q["error"] is not None and (q["base"] not in worst or q["error"] > worst[q["base"]]):
                worst[q["base"]] = q["error"]
    rec["quantities"] = worst
    seen = {}
    for case in rec["cases"]:
        for d in case["diagnoses"]:
            seen.setdefault(d["id"], dict(d, cases=[]))["cases"].append(case["fixture"])
    rec["diagnoses"] = list(seen.values())


def _add_inherited(records):
    """A failing function whose dependencies (DEPENDS) fail too gets one "inherited" diagnosis naming them."""
    by_name = {r["name"]: r for r in records}
    for r in records:
        deps = [by_name[d] for d in DEPENDS.get(r["name"], []) if d in by_name and by_name[d]["status"] == "fail"]
        if r["status"] != "fail" or not deps:
            continue
        names = ", ".join(d["name"] for d in deps)
        ids = ", ".join(sorted({x["id"] for d in deps for x in d["diagnoses"] if x["id"] != "inherited"})) or "no diagnosis"
        r["diagnoses"].append({"id": "inherited", "quantity": None, "text": _fill_text(DIAGNOSES["inherited"], {"fn": names, "ids": ids}),
                               "from": [d["name"] for d in deps], "cases": []})


def _unique_diagnoses(diagnoses):
    seen, out = set(), []
    for d in diagnoses:
        key = (d["id"], d["text"])
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


# ------------------------------------------------------------------ judging one value

def _spec(name, path, expected, kind="close", scale=None, alts=(), **extra):
    """A check of one quantity of a call's result: where it is (``path``) and what it must be."""
    return dict(name=name, base=re.sub(r"\d+$", "", name), path=list(path), kind=kind, expected=expected,
                scale=scale, alts=list(alts), **extra)


def _call_spec(args, checks, probes=(), patches=None, record=(), pre_seed=None):
    return {"args": list(args), "checks": checks, "probes": list(probes), "patches": patches or {},
            "record": list(record), "pre_seed": pre_seed}


def _probe(args, ident, path, expected, quantity):
    """A call with changed inputs under which a hypothesis predicts the expected value (W transposed)."""
    return dict(_call_spec(args, []), id=ident, path=list(path), expected=expected, quantity=quantity)


def _resolve(value, path):
    """The part of a result at ``path`` (ints: positions of a tuple/list, strings: keys); (part, problem)."""
    where = "result"
    for step in path:
        if isinstance(step, int):
            items = list(value.values()) if isinstance(value, dict) else value
            if not isinstance(items, (list, tuple)) or len(items) <= step:
                return None, f"{where} is {_describe_value(value)}, not a tuple or list" + (
                    f" of {step + 1} or more items" if isinstance(items, (list, tuple)) else "")
            value = items[step]
            where += f"[{step}]"
        else:
            if not isinstance(value, dict) or step not in value:
                keys = ", ".join(map(str, value)) if isinstance(value, dict) else None
                return None, (f"{where} has no {step!r} (keys: {keys})" if keys is not None else
                              f"{where} is {_describe_value(value)}, not a mapping with {step!r}")
            value = value[step]
            where += f"[{step!r}]"
    return value, None


def _describe_value(x):
    if isinstance(x, _Opaque):
        return f"a {x.type_name}"
    if isinstance(x, (list, tuple)):
        return f"a {type(x).__name__} of {len(x)} item(s)"
    if isinstance(x, np.ndarray):
        return f"an array of shape {tuple(x.shape)}"
    return describe(x)


def _as_array(x):
    """A float64 array of a numeric value (array, number, bool), else None."""
    if isinstance(x, np.ndarray) and x.dtype.kind in "biuf":
        return x.astype(np.float64)
    if isinstance(x, (bool, int, float, np.bool_, np.integer, np.floating)):
        return np.asarray(float(x))
    if isinstance(x, (list, tuple)) and x and all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) for v in x):
        return np.asarray(x, dtype=np.float64)
    return None


def _shape_text(shape):
    return "(" + ", ".join(str(int(s)) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def _quantity(check, err, problem=None, worst=None, note=None, denominator="max|a|", tol=STEP_TOL, passed=None):
    ok = problem is None and err is not None and err <= tol if passed is None else passed
    return {"name": check["name"], "base": check["base"], "pass": bool(ok),
            "error": None if err is None or not math.isfinite(err) else float(err), "tolerance": tol,
            "denominator": denominator, "worst": worst, "message": problem, "note": note}


def _normwise(expected, got, scale=None):
    """max|a - b| / max(max|a|, s) (contract section 13) and the worst element's flat index (the first
    non-finite one of ``got`` if there is one)."""
    if not np.all(np.isfinite(got)):
        return math.inf, int(np.argmax(~np.isfinite(got)))
    diff = np.abs(expected - got)
    denom = max(float(np.max(np.abs(expected))) if expected.size else 0.0, scale or 0.0)
    worst = float(np.max(diff)) if diff.size else 0.0
    return (worst / denom if denom > 0 else worst), (int(np.argmax(diff)) if diff.size else 0)


def _element_index(x, i):
    """The 0-based index of element ``i`` (flat, row-major) of ``x``, one entry per dimension."""
    return [int(k) for k in np.unravel_index(i, np.shape(x))]


def _judge_check(check, out):
    """(quantity records, diagnoses) of one check against a call's outcome."""
    kind = check["kind"]
    if kind == "init":
        return _judge_init(check, out)
    if kind == "series":
        return _judge_series(check, out)
    got, problem = _resolve(out["value"], check["path"])
    if problem is not None:
        return [_quantity(check, None, problem)], []
    if kind == "none":
        ok = got is None
        return [_quantity(check, 0.0 if ok else None, None if ok else f"expected None, got {_describe_value(got)}")], []
    b = _as_array(got)
    a = np.asarray(check["expected"], dtype=np.float64)
    if b is None:
        return [_quantity(check, None, f"expected {'a number' if kind == 'scalar' else 'a numeric array'}, "
                                       f"got {_describe_value(got)}")], []
    want = () if kind == "scalar" else a.shape
    if b.shape != want:
        q = _quantity(check, None, f"shape {_shape_text(b.shape)} instead of {_shape_text(want)}")
        return [q], _diagnose(check, b, a)
    if kind == "labels" and not np.all(np.isin(b, (0.0, 1.0))):
        q = _quantity(check, None, "values other than 0/1 (or booleans)")
        return [q], _diagnose(check, b, a)
    err, i = _normwise(a, b, check["scale"])
    got_i = b.flat[i]
    worst = {"index": _element_index(a, i), "expected": float(a.flat[i]), "got": float(got_i) if math.isfinite(got_i) else str(got_i)}
    if kind == "identical":
        err = 0.0 if np.array_equal(a, b) else max(err, math.ulp(1.0))
        q = _quantity(check, err, None, worst, tol=0.0)
        q["error"] = float(err) if math.isfinite(err) else None
    else:
        problem = "non-finite values" if not math.isfinite(err) else None
        q = _quantity(check, err, problem, worst, denominator="terms" if check["scale"] else "max|a|")
    return [q], ([] if q["pass"] else _diagnose(check, b, a))


def _matches(alt, got):
    """Whether ``got`` equals a hypothesis's value (within MATCH_TOL, normwise; a vector may match a column)."""
    a, b = _as_array(alt), _as_array(got)
    if a is None or b is None or a.size != b.size or a.size == 0:
        return False
    if a.shape != b.shape:
        if min(a.ndim, b.ndim) >= 2:
            return False
        a, b = a.ravel(), b.ravel()
    if not np.all(np.isfinite(b)) or not np.all(np.isfinite(a)):
        return False
    return _normwise(a, b)[0] <= MATCH_TOL


def _diagnose(check, b, a):
    """The classic mistakes whose recomputed value the port's value matches."""
    out = []
    if a.ndim == 2 and b.ndim < 2 and b.size == a.size and (_matches(a.ravel(), b) or _matches(a.ravel("F"), b)):
        out.append(_diagnosis("vector_shape", check["name"], {"got": _shape_text(b.shape), "want": _shape_text(a.shape)}))
    if a.ndim == 2 and a.shape[0] != a.shape[1] and b.shape == a.T.shape and _matches(a.T, b):
        out.append(_diagnosis("transposed", check["name"], {}))
    for alt in check["alts"]:
        value = alt["thunk"]()
        same = value is not None and np.shape(value) == a.shape and _matches(value, a)
        if value is not None and not same and _matches(value, b):
            out.append(_diagnosis(alt["id"], check["name"], alt["params"]))
    return out


def _alt(ident, thunk, params=None):
    """A hypothesis: the mistake ``ident``, the value it predicts (``thunk()``, None if none), the
    parameters of its text."""
    return {"id": ident, "thunk": thunk, "params": params or {}}


def _fill_text(template, params):
    """"{q} is {m} times" with q and the params filled in."""
    return template.format(**params)


def _diagnosis(ident, quantity, params):
    return {"id": ident, "quantity": quantity, "text": _fill_text(DIAGNOSES[ident], dict(q=quantity, **params))}


def _judge_series(check, out):
    """A model's costs: the recorded compute_cost values, else the returned list (every 100th)."""
    expected = np.asarray(check["expected"], dtype=np.float64)
    recorded = out.get("records", {}).get(check["record"], []) if check.get("record") else []
    note = None
    if recorded:
        values = [_as_array(x) for x in recorded]
        source = f"the {len(values)} values {check['record']} returned during training"
    else:
        got, problem = _resolve(out["value"], check["path"])
        if problem is not None:
            return [_quantity(check, None, problem)], []
        if isinstance(got, np.ndarray) and got.ndim == 1:
            got = list(got)
        values = [_as_array(x) for x in got] if isinstance(got, (list, tuple)) else [_as_array(got)]
        expected = expected[::check.get("every", 1)]
        source = "the returned costs"
        note = f"costs observed only in the returned list (every {check.get('every', 1)} iterations)"
    if any(x is None or x.size != 1 for x in values):
        return [_quantity(check, None, f"{source} are not numbers")], []
    got = np.array([float(x.reshape(-1)[0]) for x in values])
    if got.size != expected.size:
        return [_quantity(check, None, f"{source}: {got.size} values, expected {expected.size}", note=note)], []
    err, i = _normwise(expected, got)
    worst = {"index": _element_index(expected, i), "expected": float(expected[i]), "got": float(got[i])}
    return [_quantity(check, err, None if math.isfinite(err) else "non-finite costs", worst, note)], []


# ------------------------------------------------------------------ initialisation: exact, or shape and scale

def _judge_init(check, out):
    """Keys and shapes, zero biases, and the weights: exact where numpy's legacy stream reproduces
    them (a Python port), else the scale of the draws (contract section 28)."""
    P = out["value"]
    dims, accepted = check["dims"], check["accepted"]
    L = len(dims) - 1
    quantities, diagnoses = [], []
    if not isinstance(P, dict):
        return [_quantity(check, None, f"expected a mapping W1, b1, ...; got {_describe_value(P)}")], []
    Ws = []
    for l in range(1, L + 1):
        n, p = dims[l], dims[l - 1]
        for key, want in ((f"W{l}", (n, p)), (f"b{l}", (n, 1))):
            qc = _spec(key, [key], None)
            x = _as_array(P.get(key))
            if x is None:
                quantities.append(_quantity(qc, None, f"missing or not numeric ({_describe_value(P.get(key))})"))
                continue
            if x.shape != want:
                quantities.append(_quantity(qc, None, f"shape {_shape_text(x.shape)} instead of {_shape_text(want)}"))
                if x.shape == want[::-1] and key.startswith("W"):
                    diagnoses.append(_diagnosis("transposed", key, {}))
                if x.ndim < 2 and x.size == n * want[1]:
                    diagnoses.append(_diagnosis("vector_shape", key, {"got": _shape_text(x.shape), "want": _shape_text(want)}))
            if key.startswith("b"):
                err = float(np.max(np.abs(x))) if x.size else 0.0
                q = _quantity(qc, err, denominator="absolute (zeros expected)", tol=0.0)
                quantities.append(q)
                if not q["pass"]:
                    diagnoses.append(_diagnosis("b_not_zero", key, {}))
            elif x.size == n * p:
                Ws.append((l, x, p))
    if len(Ws) == L:
        q, d = _judge_draws(check, Ws, out.get("seeds"), accepted, dims)
        quantities.append(q)
        diagnoses += d
    return quantities, diagnoses


def _rule_text(rules):
    names = {"scaled": "x 0.01", "xavier": "/ sqrt(n_(l-1))", "he": "x sqrt(2 / n_(l-1))", "standard": "x 1"}
    return " or ".join(f"{r} ({names[r]})" for r in rules)


def _judge_draws(check, Ws, seeds, accepted, dims):
    qc = _spec("W draws", [], None)
    if seeds is not None:
        for seed in seeds:
            found = _numpy_replay(Ws, seed, dims)
            if found is not None:
                rule, layout, dist = found
                note = f"the values of numpy's legacy stream after np.random.seed({seed}), rule {rule}"
                if rule in accepted and layout == "rows" and dist == "normal":
                    return _quantity(qc, 0.0, note=note, denominator="exact"), []
                ident = ("init_uniform" if dist == "uniform" else "transposed" if layout == "cols" else
                         "init_standard" if rule == "standard" else "init_rule")
                q = _quantity(qc, None, f"{note}, filled by {layout}, {dist} draws: not the course's rule", note=note)
                return q, [_diagnosis(ident, "W", {"accepted": _rule_text(accepted), "alt": rule})]
    return _judge_scale(qc, Ws, accepted, seeds is not None)


def _numpy_replay(Ws, seed, dims):
    """(rule, layout, distribution) under which numpy's legacy stream after seed(seed) gives the
    weights exactly (within STEP_TOL), or None. Python only: R has no numpy stream."""
    for dist in ("normal", "uniform"):
        for layout in ("rows", "cols"):
            for rule in INIT_SCHEMES:
                rs = np.random.RandomState(seed)
                ok = True
                for l, x, p in Ws:
                    shape = (dims[l], p) if layout == "rows" else (p, dims[l])
                    z = rs.randn(*shape) if dist == "normal" else rs.rand(*shape)
                    want = INIT_SCHEMES[rule](z, p)
                    if x.shape != want.shape or _normwise(want, x)[0] > STEP_TOL:
                        ok = False
                        break
                if ok:
                    return rule, layout, dist
    return None


def _draw_stats(Ws, rule):
    """Mean square and mean of the weights divided by the rule's factor, and their number."""
    zs = np.concatenate([x.ravel() / float(INIT_SCHEMES[rule](1.0, p)) for _, x, p in Ws])
    return float(np.mean(zs * zs)), float(np.mean(zs)), float(np.min(zs)), zs.size


def _normal_band(N):
    """Bounds of the mean square of N standard normals (Wilson-Hilferty, +-SCALE_Z)."""
    h = 2.0 / (9.0 * N)
    lo = max(0.0, 1.0 - h - SCALE_Z * math.sqrt(h)) ** 3
    return lo, (1.0 - h + SCALE_Z * math.sqrt(h)) ** 3


def _fits_normal(ms, mean, N):
    lo, hi = _normal_band(N)
    return lo <= ms <= hi and abs(mean) <= SCALE_Z / math.sqrt(N)


def _fits_uniform(ms, mean, minimum, N):
    return (minimum >= 0 and abs(ms - 1 / 3) <= SCALE_Z * math.sqrt(4 / 45 / N)
            and abs(mean - 0.5) <= SCALE_Z * math.sqrt(1 / 12 / N))


def _judge_scale(qc, Ws, accepted, tried_exact):
    # the rules that scale a normal draw (not "zeros", whose factor is 0: zeros are judged exactly)
    stats = {r: _draw_stats(Ws, r) for r in INIT_SCHEMES if float(INIT_SCHEMES[r](1.0, 2)) != 0.0}
    N = stats["standard"][3]
    lo, hi = _normal_band(N)
    pre = "not numpy's legacy stream; " if tried_exact else ""
    fitting = [r for r in accepted if _fits_normal(stats[r][0], stats[r][1], N)]
    if fitting:
        r = min(fitting, key=lambda r: abs(math.log(stats[r][0])))
        note = (f"{pre}judged by scale: the mean square of W / factor over {N} draws is {stats[r][0]:.3g} for "
                f"rule {r} (a standard normal sample: {lo:.3g} .. {hi:.3g})")
        return _quantity(qc, None, note=note, denominator="scale", passed=True), []
    problem = (f"{pre}the draws fit none of {', '.join(accepted)}: mean square of W / factor " +
               ", ".join(f"{r} {stats[r][0]:.3g}" for r in accepted) + f" (a standard normal sample: {lo:.3g} .. {hi:.3g})")
    q = _quantity(qc, None, problem, denominator="scale")
    diagnoses = []
    if _fits_normal(stats["standard"][0], stats["standard"][1], N):
        diagnoses.append(_diagnosis("init_standard", "W", {"accepted": _rule_text(accepted)}))
    else:
        for r in stats:
            if r not in accepted and _fits_normal(stats[r][0], stats[r][1], N):
                diagnoses.append(_diagnosis("init_rule", "W", {"accepted": _rule_text(accepted), "alt": r}))
    for r in accepted:
        if _fits_uniform(*stats[r]):
            diagnoses.append(_diagnosis("init_uniform", "W", {}))
            break
    return q, diagnoses


# ------------------------------------------------------------------ the cases of each function

def _linear_scales(absdZ, A_prev, W, m):
    """Contract section 13's term scales of one linear step: the largest entries of |dZ| |A_prev|^T / m,
    rowsums|dZ| / m and |W|^T |dZ| (what dW, db and dA_prev sum)."""
    return (float(np.max(absdZ @ np.abs(A_prev).T)) / m, float(np.max(np.sum(absdZ, axis=1))) / m,
            float(np.max(np.abs(W).T @ absdZ)))


def _term_scales(v):
    """The term scales of every gradient of a network fixture (contract section 13): an absolute-value
    backward pass, |dZ_L| <= |A_L| + |Y|, |dZ_l| <= |W_(l+1)|^T |dZ_(l+1)| max|g'|. Keys dWl, dbl, dA(l-1)."""
    out = {}
    dZ = np.abs(v["A"][v["L"]]) + np.abs(v["Y"])
    for l in range(v["L"], 0, -1):
        W = v["P"][f"W{l}"]
        out[f"dW{l}"], out[f"db{l}"], out[f"dA{l - 1}"] = _linear_scales(dZ, v["A"][l - 1], W, v["m"])
        if l > 1:
            dZ = (np.abs(W).T @ dZ) * _DERIVATIVE_BOUND[v["acts"][l - 1]]
    return out


def _course_cache(v, l, W=None):
    return ((v["A"][l - 1], v["P"][f"W{l}"] if W is None else W, v["P"][f"b{l}"]), v["Z"][l])


def _twinnet_cache(v, l, W=None):
    return {"A_prev": v["A"][l - 1], "W": v["P"][f"W{l}"] if W is None else W, "b": v["P"][f"b{l}"], "Z": v["Z"][l]}


def _relu_at_zero(act):
    """relu'(0) = 1 (leaky_relu'(0) = 1): the hypothesis's derivative, or None for a smooth activation."""
    if act == "relu":
        return lambda dA, Z: np.where(Z >= 0, dA, 0.0)
    if act == "leaky_relu":
        return lambda dA, Z: np.where(Z >= 0, dA, LEAKY_RELU_SLOPE * dA)
    return None


def _b_activation_forward(v, name):
    act = name.replace("_forward", "")
    calls = []
    for l in range(1, v["L"] + 1):
        if v["acts"][l] != act:
            continue
        Z, A = v["Z"][l], v["A"][l]
        alts = [_alt("activation_swapped", lambda o=o, Z=Z: ACTIVATIONS[o][0](Z), {"alt": o, "act": act}) for o in ACTIVATIONS if o != act]
        if name == act:  # the course's sigmoid(Z) / relu(Z) -> (A, cache = Z)
            checks = [_spec(f"A{l}", [0], A, alts=alts),
                      _spec(f"cache Z{l}", [1], Z, alts=[_alt("cache_A_for_Z", lambda A=A: A)])]
        else:
            checks = [_spec(f"A{l}", [], A, alts=alts)]
        calls.append(_call_spec([Z], checks))
    return calls


def _b_activation_backward(v, name):
    act = name.replace("_backward", "")
    calls = []
    for l in range(1, v["L"]):
        if v["acts"][l] != act:
            continue
        dA, Z, dZ = v["dA"][l], v["Z"][l], v["dZ"][l]
        alts = [_alt("activation_swapped", lambda o=o, dA=dA, Z=Z: ACTIVATIONS[o][1](dA, Z), {"alt": o, "act": act})
                for o in ACTIVATIONS if o != act]
        alts.append(_alt("sign_flipped", lambda dZ=dZ: -dZ))
        kink = _relu_at_zero(act)
        if kink is not None:
            alts.append(_alt("relu_prime_at_zero", lambda dA=dA, Z=Z: kink(dA, Z), {"at0": "0" if act == "relu" else "the slope"}))
        calls.append(_call_spec([dA, Z], [_spec(f"dZ{l}", [], dZ, alts=alts)]))
    return calls


def _init_course_calls(name, dims):
    args = list(dims) if name == "initialize_parameters" else [list(dims)]
    return [_call_spec(args, [_spec("parameters", [], None, "init", dims=list(dims), accepted=ACCEPTED_RULES[name])], pre_seed=1)]


def _b_init_course(v, name):
    if name == "initialize_parameters" and v["L"] != 2:
        return []
    return _init_course_calls(name, v["dims"])


def _b_init_twinnet(v, name):
    if v["stream"] != "portable":  # the call draws from the default stream; the fixture's came from another
        return []
    checks = []
    for key, want in v["P"].items():
        alts = [_alt("scheme_ignored", lambda s=s, key=key: initialize_parameters(v["dims"], v["seed"], s)[key],
                     {"alt": s, "scheme": v["scheme"]}) for s in INIT_SCHEMES if s != v["scheme"]] if key.startswith("W") else []
        checks.append(_spec(key, [key], want, "identical", alts=alts))
    return [_call_spec([v["dims"], v["seed"], v["scheme"]], checks)]


def _b_linear_forward(v, name, conv):
    calls = []
    for l in range(1, v["L"] + 1):
        A_prev, W, b, Z = v["A"][l - 1], v["P"][f"W{l}"], v["P"][f"b{l}"], v["Z"][l]
        if conv == "course":
            checks = [_spec(f"Z{l}", [0], Z), _spec(f"cache A_prev{l}", [1, 0], A_prev),
                      _spec(f"cache W{l}", [1, 1], W), _spec(f"cache b{l}", [1, 2], b)]
            path = [0]
        else:
            checks, path = [_spec(f"Z{l}", [], Z)], []
        probe = _probe([A_prev, W.T, b], "W_transposed", path, Z, f"Z{l}")
        calls.append(_call_spec([A_prev, W, b], checks, [probe] if W.shape[0] != W.shape[1] else []))
    return calls


def _b_linear_activation_forward(v, name, conv):
    calls = []
    for l in range(1, v["L"] + 1):
        act = v["acts"][l]
        if conv == "course" and act not in ("relu", "sigmoid"):
            continue
        A_prev, W, b, Z, A = v["A"][l - 1], v["P"][f"W{l}"], v["P"][f"b{l}"], v["Z"][l], v["A"][l]
        alts = [_alt("activation_swapped", lambda o=o, Z=Z: ACTIVATIONS[o][0](Z), {"alt": o, "act": act})
                for o in ACTIVATIONS if o != act and (conv == "twinnet" or o in ("relu", "sigmoid"))]
        z_alts = [_alt("cache_A_for_Z", lambda A=A: A)]
        if conv == "course":
            where = {"Z": [1, 1], "A_prev": [1, 0, 0], "W": [1, 0, 1], "b": [1, 0, 2]}
        else:
            where = {k: [1, k] for k in ("Z", "A_prev", "W", "b")}
        checks = [_spec(f"A{l}", [0], A, alts=alts), _spec(f"cache Z{l}", where["Z"], Z, alts=z_alts),
                  _spec(f"cache A_prev{l}", where["A_prev"], A_prev), _spec(f"cache W{l}", where["W"], W),
                  _spec(f"cache b{l}", where["b"], b)]
        probe = _probe([A_prev, W.T, b, act], "W_transposed", [0], A, f"A{l}")
        calls.append(_call_spec([A_prev, W, b, act], checks, [probe] if W.shape[0] != W.shape[1] else []))
    return calls


def _forward_variant(v, acts):
    A = v["X"]
    for l in range(1, v["L"] + 1):
        A, _ = linear_activation_forward(A, v["P"][f"W{l}"], v["P"][f"b{l}"], acts[l])
    return A


def _b_L_model_forward(v, name, conv):
    if conv == "course" and v["act"] != "relu":
        return []
    L, act = v["L"], v["act"]
    alts = [_alt("hidden_activation_wrong", lambda o=o: _forward_variant(v, [None] + [o] * (L - 1) + ["sigmoid"]),
                 {"alt": o, "act": act}) for o in ACTIVATIONS if o != act and L > 1]
    alts.append(_alt("output_activation_wrong", lambda: _forward_variant(v, v["acts"][:L] + ["relu"])))
    checks = [_spec("AL", [0], v["A"][L], alts=alts)]
    for l in range(1, L + 1):
        z_path, a_path = ([1, l - 1, 1], [1, l - 1, 0, 0]) if conv == "course" else ([1, l - 1, "Z"], [1, l - 1, "A_prev"])
        checks.append(_spec(f"cache Z{l}", z_path, v["Z"][l], alts=[_alt("cache_A_for_Z", lambda l=l: v["A"][l])]))
        checks.append(_spec(f"cache A_prev{l}", a_path, v["A"][l - 1]))
    args = [v["X"], v["P"]] if conv == "course" else [v["X"], v["P"], act]
    return [_call_spec(args, checks)]


def _b_compute_cost(v, name, conv):
    if conv == "course" and v["saturated"]:
        return []  # the course's formula takes log(1 - AL) of AL = 1
    AL, Y, J, m = v["A"][v["L"]], v["Y"], v["cost"], v["m"]
    with np.errstate(divide="ignore", invalid="ignore"):
        alts = [_alt("cost_sign", lambda: -J), _alt("missing_1_over_m", lambda: m * J, {"m": m}),
                _alt("cost_missing_term", lambda: -float(np.sum(np.where(Y == 1, np.log(AL), 0.0))) / m),
                _alt("cost_not_scalar", lambda: np.array([[J]]))]
    args = [AL, Y] if conv == "course" else [AL, Y, v["Z"][v["L"]]]
    return [_call_spec(args, [_spec("cost", [], J, "scalar", alts=alts)])]


def _gradient_alts(key, expected, v, l, variants):
    """The hypotheses of one gradient (dWl, dbl or dA(l-1)) of layer l: scaled, flipped, recomputed."""
    m, n_prev = v["m"], v["dims"][l - 1]
    alts = [_alt("sign_flipped", lambda: -expected)]
    if not key.startswith("dA"):
        alts.append(_alt("missing_1_over_m", lambda: m * expected, {"m": m}))
        if n_prev != m:
            alts.append(_alt("m_wrong_axis", lambda: expected * m / n_prev))
    if key.startswith("db"):
        alts.append(_alt("sum_wrong_axis", lambda: np.sum(v["dZ"][l], axis=0, keepdims=True) / m))
    for variant in variants:
        alts.append(_alt(variant["id"], lambda thunk=variant["thunk"]: (thunk() or {}).get(key), variant["params"]))
    return alts


def _step_variants(v, l, dA, act):
    """Hypotheses whose values are the recomputed (dA_prev, dW, db) of layer l under a wrong derivative,
    as grads-like dicts."""
    cache = _twinnet_cache(v, l)

    def step(dZ):
        dA_prev, dW, db = linear_backward(dZ, cache, True)
        return {f"dA{l - 1}": dA_prev, f"dW{l}": dW, f"db{l}": db}
    out = []
    kink = _relu_at_zero(act)
    if kink is not None:
        out.append(_alt("relu_prime_at_zero", lambda: step(kink(dA, v["Z"][l])), {"at0": "0" if act == "relu" else "the slope"}))
    for o in ACTIVATIONS:
        if o != act:
            out.append(_alt("activation_swapped", lambda o=o: step(ACTIVATIONS[o][1](dA, v["Z"][l])), {"alt": o, "act": act}))
    return out


def _b_linear_backward(v, name, conv, with_activation=False):
    calls = []
    L, m = v["L"], v["m"]
    for l in range(1, L + 1):
        act = v["acts"][l]
        if with_activation:
            if conv == "course" and act not in ("relu", "sigmoid"):
                continue
            if l == L and (conv == "twinnet" or v["saturated"]):
                continue  # dA_L exists only in the course's formula, which AL = 1 breaks
            AL, Y = v["A"][L], v["Y"]
            dA = v["dA"][l] if l < L else -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
        dZ, W = v["dZ"][l], v["P"][f"W{l}"]
        sW, sb, sA = _linear_scales(np.abs(dZ), v["A"][l - 1], W, m)
        cache = _course_cache(v, l) if conv == "course" else _twinnet_cache(v, l)
        if conv == "course" and not with_activation:
            cache = cache[0]  # the linear cache (A_prev, W, b)
        variants = _step_variants(v, l, dA, act) if with_activation else []
        if with_activation and conv == "course":
            variants = [x for x in variants if x["id"] != "activation_swapped" or x["params"]["alt"] in ("relu", "sigmoid")]
        expected = {f"dA{l - 1}": v["dA"][l - 1], f"dW{l}": v["grads"][f"dW{l}"], f"db{l}": v["grads"][f"db{l}"]}
        checks = []
        for i, (key, s) in enumerate(((f"dA{l - 1}", sA), (f"dW{l}", sW), (f"db{l}", sb))):
            if i == 0 and conv == "twinnet" and l == 1 and not with_activation:
                checks.append(_spec("dA0", [0], None, "none"))
                continue
            checks.append(_spec(key, [i], expected[key], scale=s, alts=_gradient_alts(key, expected[key], v, l, variants)))
        first = [dA] if with_activation else [dZ]
        tail = ([act] if with_activation else []) if conv == "course" else ([act] if with_activation else [l > 1])
        args = first + [cache] + tail
        probes = []
        if W.shape[0] != W.shape[1] and (conv == "course" or with_activation or l > 1):
            t_cache = _course_cache(v, l, W.T) if conv == "course" else _twinnet_cache(v, l, W.T)
            if conv == "course" and not with_activation:
                t_cache = t_cache[0]
            probes.append(_probe(first + [t_cache] + tail, "W_transposed", [0], v["dA"][l - 1], f"dA{l - 1}"))
        calls.append(_call_spec(args, checks, probes))
    return calls


def _backward_variant(v, dZL, gprime):
    """The gradients of a network fixture with dZ_L and the hidden derivative replaced (a hypothesis)."""
    grads, dZ = {}, dZL
    for l in range(v["L"], 0, -1):
        if l < v["L"]:
            dZ = gprime(grads[f"dA{l}"], v["Z"][l])
        grads[f"dA{l - 1}"], grads[f"dW{l}"], grads[f"db{l}"] = linear_backward(dZ, _twinnet_cache(v, l), True)
    return grads


def _b_L_model_backward(v, name, conv):
    if conv == "course" and (v["act"] != "relu" or v["saturated"]):
        return []
    L, act, AL, Y = v["L"], v["act"], v["A"][v["L"]], v["Y"]
    scales = _term_scales(v)
    plain = ACTIVATIONS[act][1]
    variants = [_alt("sigmoid_prime_twice", lambda: _backward_variant(v, (AL - Y) * AL * (1 - AL), plain))]
    kink = _relu_at_zero(act)
    if kink is not None:
        variants.append(_alt("relu_prime_at_zero", lambda: _backward_variant(v, AL - Y, kink),
                             {"at0": "0" if act == "relu" else "the slope"}))
    for o in ACTIVATIONS:
        if o != act and (conv == "twinnet" or o == "sigmoid") and L > 1:
            variants.append(_alt("activation_swapped", lambda o=o: _backward_variant(v, AL - Y, ACTIVATIONS[o][1]),
                                 {"alt": o, "act": act}))
    checks = []
    for l in range(L, 0, -1):
        for key in (f"dW{l}", f"db{l}", f"dA{l - 1}"):
            if key == "dA0" and conv == "twinnet":
                continue
            expected = v["dA"][l - 1] if key.startswith("dA") else v["grads"][key]
            checks.append(_spec(key, [key], expected, scale=scales[key], alts=_gradient_alts(key, expected, v, l, variants)))
    if conv == "course":
        caches = [_course_cache(v, l) for l in range(1, L + 1)]
        args = [AL, Y, caches]
    else:
        args = [AL, Y, [_twinnet_cache(v, l) for l in range(1, L + 1)], act]
    return [_call_spec(args, checks)]


def _b_update(v, name, conv):
    lr, P, g = v["lr"], v["P"], v["grads"]
    checks = []
    for key, want in v["updated"].items():
        d = g["d" + key]
        alts = [_alt("learning_rate_twice", lambda P0=P[key], d=d: P0 - lr * lr * d),
                _alt("update_twice", lambda P0=P[key], d=d: P0 - 2 * lr * d),
                _alt("not_updated", lambda P0=P[key]: P0),
                _alt("update_sign", lambda P0=P[key], d=d: P0 + lr * d)]
        checks.append(_spec(key, [key], want, alts=alts))
    return [_call_spec([dict(P), dict(g), lr], checks)]


def _b_predict(v, name, conv):
    if conv == "course" and v["act"] != "relu":
        return []
    AL, p = v["A"][v["L"]], v["predictions"]
    alts = [_alt("probabilities_not_classes", lambda: AL), _alt("classes_flipped", lambda: 1 - p),
            _alt("threshold_ge", lambda: (AL >= 0.5).astype(np.float64))]
    args = [v["X"], v["Y"], v["P"]] if conv == "course" else [v["X"], v["P"], v["act"]]
    return [_call_spec(args, [_spec("predictions", [], p, "labels", alts=alts)])]


def _b_model(v, name, conv):
    if conv == "course":
        if v["act"] != "relu" or v["saturated"] or (name == "two_layer_model" and v["L"] != 2):
            return []
        init = "initialize_parameters" if name == "two_layer_model" else "initialize_parameters_deep"
        dims = tuple(v["dims"]) if name == "two_layer_model" else list(v["dims"])
        checks = [_spec("costs", [1], v["costs"], "series", record="compute_cost", every=100)]
        return [_call_spec([v["X"], v["Y"], dims, v["lr"], v["T"]], checks, patches={init: v["P"]}, record=["compute_cost"])]
    if v["stream"] != "portable":  # the call draws from the default stream; the fixture's came from another
        return []
    checks = [_spec("costs", [1, "cost"], v["costs"], "series"),
              _spec("iterations", [1, "iteration"], v["iterations"], "identical")]
    return [_call_spec([v["X"], v["Y"], v["dims"], v["lr"], v["T"], v["seed"], v["act"], v["scheme"], 1], checks)]


def _builder_for(conv, name):
    """The builder of the calls of function ``name`` in convention ``conv``: (view, name) -> calls."""
    if name in ("sigmoid_backward", "relu_backward", "tanh_backward", "leaky_relu_backward"):
        return _b_activation_backward
    if name in ("sigmoid", "relu") or name.endswith("_forward") and name[:-len("_forward")] in ACTIVATIONS:
        return _b_activation_forward
    if name.startswith("initialize_parameters"):
        return _b_init_course if conv == "course" else _b_init_twinnet
    f = {"linear_forward": _b_linear_forward, "linear_activation_forward": _b_linear_activation_forward,
         "L_model_forward": _b_L_model_forward, "compute_cost": _b_compute_cost, "linear_backward": _b_linear_backward,
         "linear_activation_backward": lambda v, n, c: _b_linear_backward(v, n, c, with_activation=True),
         "L_model_backward": _b_L_model_backward, "update_parameters": _b_update, "predict": _b_predict,
         "predict_class": _b_predict, "two_layer_model": _b_model, "L_layer_model": _b_model}[name]
    return lambda v, n: f(v, n, conv)


# ------------------------------------------------------------------ the report as text, JSON and JUnit

def _report_text(report):
    """The report as the text ``twinnet verify`` prints."""
    base = report["index_base"]
    lines = [f"twinnet verify: {report['path']}",
             f"  {'Python' if report['language'] == 'python' else 'R'} port, {report['convention']} convention "
             f"({report['convention_source']}" + (": " + ", ".join(report["convention_evidence"]) if report["convention_evidence"] else "") + ")",
             "  fixtures: " + report["fixtures"]["folder"] + " (" +
             ", ".join(f"{k}: {n} file(s)" for k, n in report["fixtures"]["families"].items()) +
             f"); time limit {report['timeout']:g} s per call; checked by {report['checker']}", ""]
    for r in report["functions"]:
        label = r["name"] if r["port_name"] == r["name"] else f"{r['name']} (as {r['port_name']})"
        status = {"pass": "PASS", "fail": "FAIL", "missing": "MISSING", "not applicable": "N/A"}[r["status"]]
        if r["status"] in ("missing", "not applicable"):
            lines.append(f"  {status:<8} {label}" + ("  (no applicable fixture)" if r["status"] == "not applicable" else ""))
            continue
        n_pass = sum(c["status"] == "pass" for c in r["cases"])
        errs = "  ".join(f"{k} {_num_text(e)}" for k, e in r["quantities"].items())
        lines.append(f"  {status:<8} {label:<28} {n_pass}/{len(r['cases'])} cases" + (f"   {errs}" if errs else ""))
        if r["status"] == "fail":
            lines += _failure_lines(r, base)
    s = report["summary"]
    lines += ["", f"  {s['pass']} passed, {s['fail']} failed, {s['missing']} missing, {s['not applicable']} not applicable"
              f" -> exit code {report['exit_code']}"]
    return "\n".join(lines)


def _num_text(x):
    return "-" if x is None else f"{x:.2g}"


def _index_text(index, base):
    """An element's index as the checker's language writes it: (0, 2) in Python, [1, 3] in R."""
    return ("(" if base == 0 else "[") + ", ".join(str(i) for i in index) + (")" if base == 0 else "]")


def _failure_lines(r, base, most=4):
    """The first case of each kind of failure (at most ``most`` lines), then the diagnoses."""
    out, seen = [], set()
    failing = [cs for cs in r["cases"] if cs["status"] != "pass"]
    for cs in failing:
        if cs["status"] != "fail":
            items = [((cs["status"], cs["message"]), f"{cs['status']}: {cs['message']}")]
        else:
            items = [(q["message"] or q["base"], f"{q['name']}: " + _quantity_text(q, base)) for q in cs["quantities"] if not q["pass"]]
        for key, text in items:
            if key not in seen and len(seen) < most:
                seen.add(key)
                out.append(f"           {cs['fixture']}  {text}")
    out.append(f"           {len(failing)} of {len(r['cases'])} cases fail")
    for d in r["diagnoses"]:
        out.append(f"           diagnosis [{d['id']}]: {d['text']}")
    return out


def _quantity_text(q, base):
    if q["message"] is not None:
        return q["message"]
    text = f"error {_num_text(q['error'])} > {q['tolerance']:g}"
    w = q["worst"]
    if w is not None:
        text += f"; worst {_index_text(w['index'], base)}: expected {_format_value(w['expected'])}, got {_format_value(w['got'])}"
    return text


def _format_value(x):
    """The shortest text that reads back as the same double (repr), or the text of a non-number."""
    return repr(x)


def _report_json(report):
    """The report as JSON text (non-finite numbers as null)."""
    def clean(x):
        if isinstance(x, float) and not math.isfinite(x):
            return None
        if isinstance(x, dict):
            return {k: clean(v) for k, v in x.items()}
        if isinstance(x, (list, tuple)):
            return [clean(v) for v in x]
        return x
    return json.dumps(clean(report), indent=1, allow_nan=False) + "\n"


def _xml_text(x):
    """``x`` as XML character data: &, < and > escaped."""
    return escape(x)


def _xml_attr(x):
    """``x`` as a quoted XML attribute value."""
    return quoteattr(x)


def _report_junit(report):
    """JUnit XML: one test suite, one test case per function x fixture (a missing function: one skipped case)."""
    cases = []
    for r in report["functions"]:
        cls = f"twinnet.verify.{r['name']}"
        if r["status"] in ("missing", "not applicable"):
            cases.append(f'  <testcase classname={_xml_attr(cls)} name="{r["status"]}"><skipped message={_xml_attr(r["status"])}/></testcase>')
            continue
        for cs in r["cases"]:
            body = ""
            if cs["status"] in ("error", "timeout", "crash", "skipped"):
                body = f"<error message={_xml_attr(cs['status'] + ': ' + str(cs['message']))}/>"
            elif cs["status"] == "fail":
                bad = [q for q in cs["quantities"] if not q["pass"]]
                detail = "\n".join(f"{q['name']}: {q['message'] or 'error ' + _num_text(q['error'])}" for q in bad)
                detail += "".join(f"\ndiagnosis [{d['id']}]: {d['text']}" for d in cs["diagnoses"])
                body = f"<failure message={_xml_attr(', '.join(q['name'] for q in bad))}>{_xml_text(detail)}</failure>"
            cases.append(f"  <testcase classname={_xml_attr(cls)} name={_xml_attr(cs['fixture'])}>{body}</testcase>")
    n = len(cases)
    fails = sum("<failure" in cs for cs in cases)
    errors = sum("<error" in cs for cs in cases)
    skipped = sum("<skipped" in cs for cs in cases)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<testsuite name={_xml_attr("twinnet verify " + report["path"])} tests="{n}" failures="{fails}" '
            f'errors="{errors}" skipped="{skipped}">\n' + "\n".join(cases) + "\n</testsuite>\n")


# ------------------------------------------------------------------ the port in a child process

class _Opaque:
    """A value the port returned that the checker cannot use (the child says only its type)."""

    def __init__(self, type_name):
        self.type_name = type_name

    def __repr__(self):
        return f"<{self.type_name}>"


def _encode(x, depth=0):
    """A JSON-able tree of a value: arrays, numbers, strings, tuples, lists, dicts, data frames."""
    if depth > 30:
        return {"$": "other", "type": "deeply nested value"}
    if x is None or isinstance(x, (bool, str)):
        return x
    if isinstance(x, np.bool_):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        return {"$": "float", "v": repr(float(x))}
    if isinstance(x, np.ndarray):
        if x.dtype.kind not in "biuf":
            return {"$": "other", "type": f"array of dtype {x.dtype}"}
        a = np.array(x, dtype={"b": np.bool_, "i": np.int64, "u": np.int64, "f": np.float64}[x.dtype.kind], order="C")
        return {"$": "array", "dtype": str(a.dtype), "shape": list(a.shape), "data": base64.b64encode(a.tobytes()).decode()}
    if isinstance(x, (tuple, list)):
        return {"$": type(x).__name__, "items": [_encode(v, depth + 1) for v in x]}
    if isinstance(x, dict):
        return {"$": "dict", "items": [[str(k), _encode(v, depth + 1)] for k, v in x.items()]}
    if hasattr(x, "columns") and hasattr(x, "to_numpy"):  # a pandas DataFrame
        return {"$": "dict", "items": [[str(c), _encode(x[c].to_numpy(), depth + 1)] for c in x.columns]}
    return {"$": "other", "type": type(x).__name__}


def _decode(t):
    if not isinstance(t, dict):
        return t
    kind = t["$"]
    if kind == "float":
        return float(t["v"])
    if kind == "array":
        return np.frombuffer(base64.b64decode(t["data"]), dtype=t["dtype"]).reshape(t["shape"]).copy()
    if kind in ("tuple", "list"):
        items = [_decode(v) for v in t["items"]]
        return tuple(items) if kind == "tuple" else items
    if kind == "dict":
        return {k: _decode(v) for k, v in t["items"]}
    return _Opaque(t.get("type", "value"))


def _send(stream, obj):
    data = json.dumps(_encode(obj)).encode()
    stream.write(struct.pack(">Q", len(data)) + data)
    stream.flush()


def _receive(stream):
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError("the other side closed the channel")
    (n,) = struct.unpack(">Q", head)
    return _decode(json.loads(stream.read(n)))


def _same_outcome(calls, status, message):
    """The same outcome for every call of a batch that could not run."""
    return [{"status": status, "message": message} for _ in calls]


class _OpenPort:
    """The user's code in a child process: ``functions`` (each one's argument names), ``run(name, calls,
    timeout)`` (one outcome per call) and ``close()``."""

    def __init__(self, target, kind, workdir):
        self.target, self.kind, self.workdir = target, kind, workdir
        self.proc = None
        self.functions = self._start()

    def _start(self):
        pkg_parent = str(Path(__file__).resolve().parents[1])
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1",
                   PYTHONPATH=os.pathsep.join([pkg_parent] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
        self.errlog = os.path.join(self.workdir, "child-stderr.txt")
        with open(self.errlog, "ab") as err:
            self.proc = subprocess.Popen([sys.executable, "-c", "from twinnet.verify import _child_main; _child_main()"],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, cwd=self.workdir, env=env)
        reply = self._request({"op": "load", "target": self.target, "kind": self.kind}, 120.0)
        if reply is None:
            tail = self._stderr_tail()
            self.close()
            raise _LoadError(tail or "the child process died or hung while loading it")
        if not reply["ok"]:
            self.close()
            raise _LoadError(reply["message"])
        return reply["functions"]

    def _request(self, msg, deadline):
        """Send one request, wait up to ``deadline`` seconds for the reply; None if the child hangs
        (``self.hung`` true) or dies."""
        self.hung = False
        try:
            _send(self.proc.stdin, msg)
            end = time.monotonic() + deadline
            head = self._read(8, end)
            if head is None:
                return None
            (n,) = struct.unpack(">Q", head)
            body = self._read(n, end)
            return None if body is None else _decode(json.loads(body))
        except (OSError, ValueError, EOFError):
            return None

    def _read(self, n, end):
        """``n`` bytes from the child before the time ``end``; None if it hangs (``self.hung`` true) or dies."""
        fd = self.proc.stdout.fileno()
        data = b""
        while len(data) < n:
            left = end - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                self.hung = True
                return None
            chunk = os.read(fd, min(n - len(data), 1 << 20))
            if not chunk:
                return None
            data += chunk
        return data

    def run(self, name, calls, timeout):
        if self.proc is None or self.proc.poll() is not None:
            try:
                self._start()
            except _LoadError as exc:
                return _same_outcome(calls, "crash", f"the port could not be restarted: {exc}")
        msg = {"op": "run", "name": name, "timeout": timeout,
               "calls": [{k: c[k] for k in ("args", "patches", "record", "pre_seed")} for c in calls]}
        reply = self._request(msg, len(calls) * timeout + 5.0)
        if reply is not None:
            return reply["outcomes"]
        hung = self.hung
        if not hung:
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        code = self.proc.poll()
        self.close()
        if hung:
            return _same_outcome(calls, "timeout", f"no answer within {timeout:g} s per call; the child process was stopped")
        tail = self._stderr_tail()
        return _same_outcome(calls, "crash", f"the port's process died (exit code {code})" + (f": {tail}" if tail else ""))

    def _stderr_tail(self):
        try:
            with open(self.errlog, "rb") as f:
                lines = [s for s in f.read().decode(errors="replace").splitlines() if s.strip()]
            return lines[-1].strip() if lines else ""
        except OSError:
            return ""

    def close(self):
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait()
            for s in (self.proc.stdin, self.proc.stdout):
                try:
                    s.close()
                except OSError:
                    pass
            self.proc = None


class _CallTimeout(BaseException):
    """Raised in the child by SIGALRM when a call runs past its time limit."""


def _alarm(signum, frame):
    raise _CallTimeout()


def _child_main():
    """The child process: load the port, then answer ``run`` requests (one outcome per call, each one
    checked to travel back, else reported as an error)."""
    proto_in = os.fdopen(os.dup(0), "rb")
    proto_out = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)   # the port's input() reads nothing
    os.dup2(2, 1)         # the port's prints go to the child's stderr, never into the channel
    sys.stdout = sys.stderr
    sys.dont_write_bytecode = True
    run = None
    while True:
        try:
            msg = _receive(proto_in)
        except EOFError:
            return
        if msg["op"] == "load":
            try:
                if msg["kind"] in ("py-file", "py-module"):
                    loaded = _load_port(msg["target"], msg["kind"])
                    functions, run = loaded["functions"], functools.partial(_run_calls, loaded["env"])
                else:
                    port = _RPort(msg["target"], msg["kind"])
                    functions, run = port.functions, port.run
                _send(proto_out, {"ok": True, "functions": functions})
            except BaseException as exc:  # noqa: BLE001 -- the port's top-level code may raise anything
                _send(proto_out, {"ok": False, "message": _exc_text(exc)})
        elif msg["op"] == "run":
            outcomes = run(msg["name"], msg["calls"], msg["timeout"])
            for i, out in enumerate(outcomes):
                try:
                    json.dumps(_encode(out))
                except (TypeError, ValueError, RecursionError) as exc:
                    outcomes[i] = {"status": "error", "message": f"the result cannot be read: {exc}"}
            _send(proto_out, {"outcomes": outcomes})


def _exc_text(exc):
    """The text of an error the port's code raised, as the report gives it."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _load_port(target, kind):
    """What the child runs to load a Python port: {"env": its module, "functions": each function's argument names}."""
    import importlib
    import importlib.util
    if kind == "py-module":
        module = importlib.import_module(target)
    else:
        sys.path.insert(0, os.path.dirname(target))  # the port may import its sibling modules (dnn_utils, ...)
        spec = importlib.util.spec_from_file_location("_twinnet_port", target)
        module = importlib.util.module_from_spec(spec)
        sys.modules["_twinnet_port"] = module
        spec.loader.exec_module(module)
    functions = {}
    for name, obj in vars(module).items():
        if callable(obj) and not inspect.isclass(obj) and not name.startswith("__"):
            try:
                functions[name] = list(inspect.signature(obj).parameters)
            except (TypeError, ValueError):
                functions[name] = []
    return {"env": module, "functions": functions}


def _run_calls(env, name, calls, timeout):
    """What the child runs: the calls of one function of a Python port (its module ``env``), each under the
    time limit; a timeout ends the run (the rest are skipped)."""
    outcomes = []
    for call in calls:
        if outcomes and outcomes[-1]["status"] in ("timeout", "skipped"):
            outcomes.append({"status": "skipped", "message": "not run: an earlier call timed out"})
        else:
            outcomes.append(_run_call(env, name, call, timeout))
    return outcomes


def _run_call(env, name, call, timeout):
    """One call under SIGALRM's time limit. Patches replace a function of the port by one returning a value,
    records wrap one to keep what it returns; with a ``pre_seed`` numpy's legacy stream is seeded first and
    the seeds the port sets are kept."""
    fn = getattr(env, name)
    saved = {}
    records = {}
    seeds = []
    real_seed = np.random.seed

    def recording_seed(*a, **k):
        seeds.append(a[0] if a else k.get("seed"))
        return real_seed(*a, **k)
    try:
        for key, value in call["patches"].items():
            if hasattr(env, key):
                saved[key] = getattr(env, key)
                setattr(env, key, (lambda value: lambda *a, **k: {kk: vv.copy() for kk, vv in value.items()})(value))
        for key in call["record"]:
            if hasattr(env, key):
                saved[key] = getattr(env, key)
                records[key] = []
                setattr(env, key, _recorder(saved[key], records, key))
        if call["pre_seed"] is not None:
            real_seed(call["pre_seed"])
        np.random.seed = recording_seed
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            value = fn(*call["args"])
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        out = {"status": "ok", "value": value, "records": records}
        if call["pre_seed"] is not None:
            out["seeds"] = [int(s) for s in seeds if isinstance(s, (int, np.integer))] or [call["pre_seed"]]
        return out
    except _CallTimeout:
        return {"status": "timeout", "message": f"no answer within {timeout:g} s"}
    except BaseException as exc:  # noqa: BLE001 -- whatever the user's code raises is reported
        return {"status": "error", "message": _exc_text(exc)}
    finally:
        np.random.seed = real_seed
        for key, value in saved.items():
            setattr(env, key, value)


def _recorder(fn, records, key):
    """``fn``, keeping what each call returns in ``records[key]``."""
    def wrapper(*a, **k):
        value = fn(*a, **k)
        records[key].append(value)
        return value
    return wrapper


class _RPort:
    """An R file or package in the child, through rpy2: the R package's own ``load_port`` and
    ``run_calls`` (R/verify.R) do the work, so R code is run the same way by either checker."""

    def __init__(self, target, kind):
        try:
            import rpy2.robjects as ro
            from rpy2.robjects import numpy2ri

            from .rbridge import RTwin, default_r_lib
        except Exception as exc:  # ImportError, or R not loadable
            raise _LoadError(f"checking R code from Python needs R and rpy2: {exc}") from None
        self.ro = ro
        self.bridge = RTwin.__new__(RTwin)  # its conversions only
        self.bridge._ro, self.bridge._numpy2ri = ro, numpy2ri
        try:
            ro.r(".libPaths")(ro.StrVector([default_r_lib()] + list(ro.r(".libPaths()"))))
            load, self._run = ro.r("twinnet:::load_port"), ro.r("twinnet:::run_calls")
        except Exception as exc:  # noqa: BLE001
            raise _LoadError(f"checking R code from Python needs the R package twinnet (bash scripts/setup.sh): "
                             f"{' '.join(str(exc).split())}") from None
        try:
            loaded = load(target, kind)
        except Exception as exc:  # noqa: BLE001 -- the R error
            raise _LoadError(" ".join(str(exc).split())) from None
        self.env = loaded.rx2("env")
        functions = self.bridge.from_r(loaded.rx2("functions")) or {}
        self.functions = {k: ([] if v is None else [v] if isinstance(v, str) else list(v)) for k, v in functions.items()}

    def run(self, name, calls, timeout):
        b, ro = self.bridge, self.ro
        try:
            r_calls = ro.r["list"](*[ro.vectors.ListVector([
                ("args", ro.r["list"](*[b.to_r(a) for a in c["args"]])),
                ("patches", ro.vectors.ListVector([(k, b.to_r(v)) for k, v in c["patches"].items()]) if c["patches"] else ro.r("list()")),
                ("record", ro.StrVector(c["record"]))]) for c in calls])
            outs = self._run(self.env, name, r_calls, float(timeout))
        except Exception as exc:  # noqa: BLE001 -- a conversion or an R-level failure
            return _same_outcome(calls, "error", _exc_text(exc))
        results = []
        for out in outs:
            status = str(out.rx2("status")[0])
            if status != "ok":
                results.append({"status": status, "message": str(out.rx2("message")[0])})
                continue
            records = self._from_r(out.rx2("records"))
            results.append({"status": "ok", "value": self._from_r(out.rx2("value")),
                            "records": {k: (x if isinstance(x, list) else [x]) for k, x in records.items()}
                            if isinstance(records, dict) else {}})
        return results

    def _from_r(self, obj):
        try:
            return self.bridge.from_r(obj)
        except Exception:  # noqa: BLE001 -- a function, an environment, ...
            try:
                return _Opaque("R " + "/".join(obj.rclass))
            except Exception:  # noqa: BLE001
                return _Opaque("R object")


if __name__ == "__main__":
    sys.exit(verify_main())

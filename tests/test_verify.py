"""`twinnet verify` (python/twinnet/verify.py, its twin R/verify.R) on ports of the course's network.

The ports are test data (tests/ports/README.md): a port in the course's style written from the
notebooks' formulas (course_port.py) and its line-by-line R translation (course_port.R) must pass;
each classic mistake of tests/ports/mistakes.json, planted into a copy, must make its function
fail with the diagnosis the file names -- looked up in the report's structure, never in printed
text, and a mistake no hypothesis explains must stay undiagnosed; twinnet's own functions pass
through the same checker in both languages; a hostile port is reported function by function
without taking the checker down. The R checker's own tests are tests/testthat/test-verify.R.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from helpers import FIXTURES, ROOT, fixture_paths, load_fixture, refuse_both, term_scales

import twinnet
from twinnet import verify
from twinnet.verify import verify_main, verify_port

PORTS = ROOT / "tests" / "ports"
MISTAKES = json.loads((PORTS / "mistakes.json").read_text())["mistakes"]
EXT = {"python": ".py", "r": ".R"}
#: the Dogs-vs-Cats port's names for the course's functions (the issue's example of a name map)
DOGS_VS_CATS = {"linear_forward": "for_prop", "linear_activation_forward": "for_activation",
                "L_model_forward": "deep_model", "compute_cost": "cost_computation",
                "linear_activation_backward": "back_activ", "L_model_backward": "deep_model_back"}


def r_verify(r, path, only=None):
    """R's verify_port() on ``path``, its report read back through its own JSON writer."""
    code = f"twinnet:::report_json(twinnet::verify_port({json.dumps(str(path))}, fixtures = {json.dumps(str(FIXTURES))}"
    if only:
        code += ", only = c(" + ", ".join(json.dumps(o) for o in only) + ")"
    return json.loads(r.eval(code + "))"))


def functions(report):
    return {f["name"]: f for f in report["functions"]}


def ids(record):
    return [d["id"] for d in record["diagnoses"]]


def planted(lang, mistake, folder):
    """A copy of the course port in ``folder`` with the mistake's edits (each line found exactly once)."""
    text = (PORTS / f"course_port{EXT[lang]}").read_text()
    for old, new in mistake[lang]:
        assert text.count(old) == 1, (mistake["name"], old)
        text = text.replace(old, new)
    path = Path(folder) / f"student_port{EXT[lang]}"
    path.write_text(text)
    return str(path)


# ------------------------------------------------------------------ correct ports pass

def test_the_course_port_passes_and_its_weights_are_reproduced_from_numpy():
    report = verify_port(str(PORTS / "course_port.py"))
    assert report["convention"] == "course" and report["convention_source"] == "detected"
    fns = functions(report)
    assert list(fns) == verify.FUNCTIONS["course"]
    assert {f["status"] for f in fns.values()} == {"pass"}, str(report)
    assert all(f["cases"] for f in fns.values())
    assert report["exit_code"] == 0
    # numpy's legacy stream: the exact values, after the seeds the port sets itself (3 and 1)
    for name, seed in (("initialize_parameters_deep", 3), ("initialize_parameters", 1)):
        draws = [q for c in fns[name]["cases"] for q in c["quantities"] if q["name"] == "W draws"]
        assert draws and all(q["denominator"] == "exact" and f"seed({seed})" in q["note"] for q in draws)


def test_twinnet_itself_passes_in_its_own_convention():
    report = verify_port("twinnet")
    assert report["convention"] == "twinnet"
    fns = functions(report)
    assert list(fns) == verify.FUNCTIONS["twinnet"]
    assert {f["status"] for f in fns.values()} == {"pass"}, str(report)


def test_the_r_translation_passes_through_rpy2_judged_by_shape_and_scale(r):
    report = verify_port(str(PORTS / "course_port.R"))
    assert report["language"] == "r" and report["convention"] == "course"
    fns = functions(report)
    assert {f["status"] for f in fns.values()} == {"pass"}, str(report)
    draws = [q for c in fns["initialize_parameters_deep"]["cases"] for q in c["quantities"] if q["name"] == "W draws"]
    assert draws and all(q["denominator"] == "scale" and q["pass"] for q in draws)


def test_the_r_package_passes_through_rpy2(r):
    report = verify_port("package:twinnet")
    assert report["convention"] == "twinnet"
    assert {f["status"] for f in report["functions"]} == {"pass"}, str(report)


def test_both_checkers_give_the_same_verdicts_on_the_r_port(r):
    """The Python checker (through rpy2) and the R checker, on the same R file: same cases, same verdicts."""
    path = str(PORTS / "course_port.R")
    py = verify_port(path, only=["linear_backward", "L_model_backward", "initialize_parameters"])
    rr = r_verify(r, path, only=["linear_backward", "L_model_backward", "initialize_parameters"])
    assert rr["checker"] == "r" and py["checker"] == "python"
    for a, b in zip(py["functions"], rr["functions"]):
        assert a["name"] == b["name"] and a["status"] == b["status"] == "pass"
        assert [c["fixture"] for c in a["cases"]] == [c["fixture"] for c in b["cases"]]


# ------------------------------------------------------------------ planted mistakes are caught and named

def _check_planted(report, mistake):
    fns = functions(report)
    rec = fns[mistake["function"]]
    assert rec["status"] == "fail", str(report)
    if mistake["diagnosis"] is None:
        assert [i for i in ids(rec) if i != "inherited"] == [], str(report)
    else:
        assert mistake["diagnosis"] in ids(rec), str(report)
    for other in mistake["also"]:
        assert fns[other]["status"] == "fail" and mistake["diagnosis"] in ids(fns[other]), str(report)


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m["name"] for m in MISTAKES])
def test_a_planted_mistake_in_a_python_port_is_diagnosed(mistake, tmp_path):
    report = verify_port(planted("python", mistake, tmp_path), only=mistake["check"])
    _check_planted(report, mistake)


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m["name"] for m in MISTAKES])
def test_a_planted_mistake_in_an_r_port_is_diagnosed_from_python(mistake, tmp_path, r):
    report = verify_port(planted("r", mistake, tmp_path), only=mistake["check"])
    _check_planted(report, mistake)


def test_at_least_ten_distinct_classic_mistakes_are_planted():
    named = {m["diagnosis"] for m in MISTAKES if m["diagnosis"]}
    assert len(named) >= 10
    assert named <= set(verify.DIAGNOSES)


def test_the_r_checker_checks_a_python_file(r, tmp_path):
    """R's verify_port() on a .py file runs the Python checker and reads its JSON report."""
    mistake = next(m for m in MISTAKES if m["diagnosis"] == "missing_1_over_m")
    r.eval(f'Sys.setenv(TWINNET_PYTHON = "{sys.executable}"); 1')
    good = r_verify(r, PORTS / "course_port.py", only=["compute_cost"])
    assert good["checker"] == "python" and good["exit_code"] == 0
    bad = r_verify(r, planted("python", mistake, tmp_path), only=mistake["check"])
    _check_planted(bad, mistake)


# ------------------------------------------------------------------ other names, other fixture families

def _rename(text, mapping):
    for course_name, port_name in mapping.items():
        text = re.sub(rf"\b{course_name}\b", port_name, text)
    return text


def test_a_port_with_other_names_is_checked_through_a_name_map(tmp_path):
    path = tmp_path / "dogs_vs_cats.py"
    path.write_text(_rename((PORTS / "course_port.py").read_text(), DOGS_VS_CATS))
    without = functions(verify_port(str(path)))
    assert {n for n, f in without.items() if f["status"] == "missing"} == set(DOGS_VS_CATS)
    report = verify_port(str(path), name_map=DOGS_VS_CATS)
    fns = functions(report)
    assert {f["status"] for f in fns.values()} == {"pass"}, str(report)
    assert fns["L_model_forward"]["port_name"] == "deep_model"
    # the model calls cost_computation: its costs are still observed call by call
    costs = [q for c in fns["L_layer_model"]["cases"] for q in c["quantities"] if q["name"] == "costs"]
    assert costs and all(q["note"] is None for q in costs)


def test_a_fixture_family_is_one_table_entry(tmp_path):
    """A file of another family (course-*.json) with the fixtures' schema is run like twinnet's own."""
    folder = tmp_path / "fixtures"
    folder.mkdir()
    src = FIXTURES / "tn-006-net-relu-xavier-L2.json"
    shutil.copy(src, folder / src.name)
    fx = load_fixture(src)
    fx["id"] = "course-001"
    (folder / "course-001-from-tn-006.json").write_text(json.dumps(fx))
    report = verify_port(str(PORTS / "course_port.py"), fixtures=str(folder), only=["linear_backward"])
    assert report["fixtures"]["families"] == {"tn": 1, "course": 1}
    cases = functions(report)["linear_backward"]["cases"]
    assert [(c["fixture"], c["family"], c["status"]) for c in cases] == [("tn-006", "tn", "pass"), ("course-001", "course", "pass")]


def test_the_term_scales_are_those_of_the_parity_suite():
    """Contract section 13's denominators, from the fixture's own values, equal tests/helpers.py's term_scales."""
    for p in fixture_paths():
        fx = load_fixture(p)
        if fx["kind"] != "network":
            continue
        v = verify._network_view(dict(fx, family="tn"))
        mine = verify._term_scales(v)
        theirs = term_scales(v["X"], v["Y"], v["P"], v["act"])
        for key, s in theirs.items():
            assert mine[key] == pytest.approx(s, rel=1e-14), (fx["id"], key)


# ------------------------------------------------------------------ untrusted code

def test_a_hostile_port_is_reported_function_by_function(tmp_path):
    folder = tmp_path / "student"
    folder.mkdir()
    shutil.copy(PORTS / "hostile_port.py", folder / "hostile_port.py")
    before = sorted(os.listdir(folder))
    report = verify_port(str(folder / "hostile_port.py"), convention="course", timeout=1.0)
    fns = functions(report)
    status = {n: {c["status"] for c in f["cases"]} for n, f in fns.items() if f["cases"]}
    assert status["sigmoid"] == {"pass"} and fns["initialize_parameters_deep"]["status"] == "pass"
    assert status["relu"] == {"timeout", "skipped"}
    assert status["sigmoid_backward"] == {"crash"}
    assert status["linear_forward"] == {"error"} and "boom" in fns["linear_forward"]["cases"][0]["message"]
    assert status["linear_activation_forward"] == {"fail"} and status["compute_cost"] == {"fail"}
    assert status["two_layer_model"] == {"timeout"}
    assert fns["predict"]["status"] == "missing" and report["exit_code"] == 1
    # nothing written into the port's folder: not its file, not a __pycache__
    assert sorted(os.listdir(folder)) == before


# ------------------------------------------------------------------ the command line, JSON, JUnit, exit codes

def test_verify_main_writes_json_and_junit_and_returns_the_exit_code(tmp_path, capsys):
    out_json, out_xml = tmp_path / "report.json", tmp_path / "report.xml"
    mistake = next(m for m in MISTAKES if m["diagnosis"] == "sum_wrong_axis")
    path = planted("python", mistake, tmp_path)
    code = verify_main([path, "--only", "linear_backward,compute_cost", "--json", str(out_json), "--junit", str(out_xml)])
    assert code == 1
    printed = capsys.readouterr().out
    assert "FAIL     linear_backward" in printed and "exit code 1" in printed
    report = json.loads(out_json.read_text())
    assert report["exit_code"] == 1 and "sum_wrong_axis" in ids(functions(report)["linear_backward"])
    suite = ET.parse(out_xml).getroot()
    cases = suite.findall("testcase")
    n = sum(max(1, len(f["cases"])) for f in report["functions"])
    assert len(cases) == n == int(suite.get("tests"))
    failed = [c.get("name") for c in cases if c.find("failure") is not None]
    assert failed == [c["fixture"] for c in functions(report)["linear_backward"]["cases"] if c["status"] == "fail"]
    assert int(suite.get("failures")) == len(failed)
    assert verify_main([str(PORTS / "course_port.py"), "--only", "compute_cost", "--quiet"]) == 0
    assert capsys.readouterr().out == ""


def test_python_m_twinnet_verify_is_the_same_command(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "twinnet.verify", str(PORTS / "course_port.py"), "--only", "relu"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "PASS     relu" in proc.stdout


@pytest.mark.parametrize("argv", [
    ["no/such/port.py"],
    ["PORT", "--convention", "matlab"],
    ["PORT", "--timeout", "0"],
    ["PORT", "--only", "not_a_function"],
    ["PORT", "--name", "linear_forward"],
    ["PORT", "--name", "nope=for_prop"],
    ["PORT", "--json", "no/such/folder/report.json"],
    ["SYNTAX"],
    ["EMPTY"],
], ids=["missing path", "convention", "timeout", "only", "name pair", "name key", "json folder", "syntax error", "no functions"])
def test_bad_input_is_exit_code_2_with_one_line(argv, tmp_path, capsys):
    (tmp_path / "broken.py").write_text("def relu(Z:\n")
    (tmp_path / "empty.py").write_text("x = 1\n")
    subst = {"PORT": str(PORTS / "course_port.py"), "SYNTAX": str(tmp_path / "broken.py"), "EMPTY": str(tmp_path / "empty.py")}
    assert verify_main([subst.get(a, a) for a in argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("twinnet verify: error: ") and "Traceback" not in err[0]


@pytest.mark.parametrize("kwargs, arg, expected", [
    ({"convention": "matlab"}, "convention", 'one of "auto", "course", "twinnet"'),
    ({"timeout": 0}, "timeout", "a positive finite number of seconds"),
    ({"only": ["nope"]}, "only", "checker function names such as linear_backward"),
    ({"name_map": {"nope": "x"}}, "name_map", None),
])
def test_bad_arguments_are_refused_alike_in_both_languages(r, kwargs, arg, expected):
    if expected is None:
        expected = "keys among the checker's names (" + ", ".join(sorted(set(verify.FUNCTIONS["course"]) | set(verify.FUNCTIONS["twinnet"]))) + ")"
    refuse_both(r, twinnet, "verify_port", [str(PORTS / "course_port.R")], dict(kwargs, fixtures=str(FIXTURES)), arg, expected)


def test_a_missing_path_is_refused_alike_in_both_languages(r):
    refuse_both(r, twinnet, "verify_port", ["no/such/port.R"], {}, "path",
                "a .py or .R file, a Python module name or package:NAME (an R package)")


def test_the_tables_are_the_same_in_both_languages(r):
    """The diagnoses' texts and the functions looked for: one table per language, the same content."""
    assert dict(zip(r.eval("names(twinnet:::DIAGNOSES)"), r.eval("unname(twinnet:::DIAGNOSES)"))) == verify.DIAGNOSES
    assert {k: list(v) for k, v in r.eval("twinnet:::FUNCTIONS").items()} == verify.FUNCTIONS
    assert {k: list(np.atleast_1d(v)) for k, v in r.eval("twinnet:::ACCEPTED_RULES").items()} == verify.ACCEPTED_RULES

"""The twin rule, checked: every module has its R twin file with the same top-level definitions.

``python/twinnet/<topic>.py`` is the twin of ``R/<topic>.R``. Their top-level
definitions (functions, classes, constants; private helpers too) carry the
same names, read across by two rules:

* a private Python name drops its underscore: ``_forward_pass`` is R's
  unexported ``forward_pass``;
* a Python class is named in CamelCase, the R function that plays it in
  snake_case: ``NeuralNet`` is ``neural_net``, ``GramLayer1`` is ``gram_layer1``.

What the Python package exports (``twinnet.__all__``) is what the R package
exports (``NAMESPACE``), and a private Python name is never exported in R.
The first tests read the files only (no R needed); the last compares the
signatures of the exported functions through R (names, order, defaults).

The allow-lists are short, and every entry says why.
"""

import ast
import inspect
import re

import numpy as np
import pytest
from helpers import ROOT

import twinnet

PY = ROOT / "python" / "twinnet"
R = ROOT / "R"

#: Python modules that have no R file, and why.
PYTHON_ONLY_MODULES = {
    "__init__": "the package's exports: R's NAMESPACE (compared below)",
    "__main__": "`python -m twinnet`: R's command line starts from scripts/twinnet.R",
    "_progress": "the progress-line format of NeuralNet(verbose=True): R's progress_line() in R/estimator.R",
    "rbridge": "the bridge to R through rpy2 (tests, benchmark): the one thing that only Python does",
}

#: R files that have no Python module, and why.
R_ONLY_FILES = {
    "twinnet-package": "the package's help page, ?twinnet (Python: the docstring of __init__.py)",
}

#: Definitions without a twin of the same name: (module, language, names, why).
UNTWINNED = [
    ("rng", "python", {"_mt_state", "_libm", "_uniforms", "_TWO_M32", "_FIXUP_ZERO", "_DBL_MIN"},
     "Python rebuilds R's Mersenne-Twister seeding and Box-Muller normals; R has them built in"),
    ("rng", "r", {"with_portable_seed"}, "R draws from its own generator, seeded and then restored"),
    ("rng", "r", {"mt_init_genrand", "mt_twist", "mt_temper", "mt_words", "mt_doubles", "mt_uniform", "mt_gauss",
                  "mt_permutation", "mt_after"},
     "R rebuilds numpy's legacy generator (stream \"numpy\", contract section 23); Python has it from numpy"),
    ("data", "r", {"h5_numeric"}, "hdf5r shim for what h5py does in one call"),
    ("modelio", "r", {"h5_attr"}, "hdf5r shim: an attribute opened, read and closed at once (h5py: f.attrs[name])"),
    ("atomic", "python", {"_SIGNALS", "_live", "_lock", "_on_signal", "_previous", "_reserve_fd"},
     "the SIGTERM / SIGINT handler, its table of temporary files and posix_fallocate's fallback: R has them in C "
     "(src/twinnet.c: on_signal, temp_paths, reserve_fd), behind register / unregister / reserve"),
    ("files", "python", {"FileFault", "FileMissing", "FileDenied", "_CLASSES", "errno_name"},
     "Python's exception classes for faults (R signals conditions of class twinnet_file_error) and errno's names "
     "(R gets them from src/twinnet.c)"),
    ("files", "r", {"h5_scope", "h5_keep", "h5_close"},
     "hdf5r's handles closed by hand, children before their file, also on error (h5py closes them itself): "
     "close_all() and the R6 finalizers make hdf5r crash at exit (docs/contract.md section 30)"),
    ("files", "r", {"le_uint", "png_words"},
     "R reads bytes as integers (Python: int.from_bytes), and R's png() device reports a failed write only as a "
     "warning (matplotlib raises)"),
    ("validate", "r", {"as_count"}, "R's integers stop at 2^31 - 1: a larger count stays a double (Python's "
                                    "integers have no limit)"),
    ("modelio", "python", {"_text"}, "h5py shim: h5py returns bytes or 1-element arrays where hdf5r returns strings"),
    ("images", "python", {"_JPEG_MARKER"}, "Python scans bytes with a regular expression"),
    ("images", "r", {"jpeg_marker_positions", "next_marker", "starts_with", "PNG_IHDR", "PNG_TRNS", "PNG_IEND"},
     "R scans a vector of integers, with no regular expressions or bytes literals"),
    ("plots", "python", {"_matplotlib", "_new_figure", "_finish"}, "matplotlib's figures (R: base graphics devices)"),
    ("plots", "r", {"with_png"}, "base graphics devices (Python: matplotlib's figures)"),
    ("estimator", "python", {"DEFAULTS", "EXPECTED_FAILED_CHECKS", "_init_from", "_not_numbers", "_warn_2d"},
     "the estimators differ in shape on purpose (docs/contract.md section 19): a scikit-learn class, its table "
     "of parameters and its input conventions"),
    ("estimator", "r", {"neural_net.default", "neural_net.formula", "predict.twinnet", "print.twinnet",
                        "summary.twinnet", "print.summary.twinnet", "plot.twinnet", "coef.twinnet", "fitted.twinnet",
                        "residuals.twinnet", "nobs.twinnet", "logLik.twinnet", "formula.twinnet", "update.twinnet"},
     "the estimators differ in shape on purpose (docs/contract.md section 19): R's S3 generic and methods, "
     "where Python has the methods of NeuralNet"),
    ("estimator", "r", {"new_twinnet", "class_labels", "estimator_parameters", "layer_parameters", "n_parameters",
                        "newdata_matrix", "predictor_matrix", "training_part"},
     "the estimators differ in shape on purpose (docs/contract.md section 19): the S3 object and the formula "
     "interface of glm()"),
    ("verify", "python", {"_child_main", "_send", "_receive", "_encode", "_decode", "_Opaque"},
     "the port checker's child process in Python: a loop reading requests from a pipe, values sent as "
     "length-prefixed JSON encoded by hand (_Opaque: a value that cannot travel); R's child is a callr session, "
     "which serialises R values itself"),
    ("verify", "python", {"_CallTimeout", "_alarm"},
     "a call's time limit in Python: SIGALRM raises _CallTimeout in the child (R: setTimeLimit() signals an error)"),
    ("verify", "python", {"_RPort"},
     "R code checked by the Python checker: its child runs R's own load_port and run_calls through rpy2"),
    ("verify", "r", {"verify_python"},
     "Python code checked by the R checker: handed to the Python checker (python -m twinnet.verify --json), "
     "whose report is read back"),
    ("verify", "r", {"child_function"},
     "callr serialises a function with its environment: the functions the child R session runs are sent in an "
     "environment of their own, not the package namespace"),
    ("verify", "python", {"_VerifyParser"},
     "argparse's parser, raising instead of exiting (R: parse_verify_args reads argv itself)"),
    ("verify", "r", {"print.twinnet_verify_report"}, "the report's S3 print method (Python: VerifyReport.__str__)"),
    ("verify", "r", {"shape_of"}, "an R vector has no dim(), its shape is its length (numpy arrays have .shape)"),
    ("estimator", "r", {"progress_line"}, "the twin of format_progress in python/twinnet/_progress.py"),
]

#: Exported by one package only, and why.
EXPORTED_BY_ONE = {
    "file_fault": "Python's exception of file faults; R signals conditions of class twinnet_file_error",
    "training_diverged": "Python's exception of a diverged training; R's training_diverged() signals the "
                         "twinnet_diverged condition, unexported",
    "not_fitted_error": "Python's NotFittedError (scikit-learn's protocol); R signals an error condition",
    "verify_report": "Python exports the port checker's report class VerifyReport; R's constructor verify_report() is "
                     "internal (a report is a list of class twinnet_verify_report)",
}

R_DEFINITION = re.compile(r"^(`[^`]+`|[A-Za-z.][A-Za-z0-9._]*)\s*(?:<-|=)", re.M)


def python_definitions(path):
    """{name: "class" or "value"}: the module's top-level functions, classes and assignments."""
    out = {}
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out[node.name] = "value"
        elif isinstance(node, ast.ClassDef):
            out[node.name] = "class"
        elif isinstance(node, ast.Assign):
            out.update((t.id, "value") for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            out[node.target.id] = "value"
    out.pop("__all__", None)
    return out


def r_definitions(path):
    """The names an R file assigns at the top level (column 0)."""
    return {m.group(1).strip("`") for m in R_DEFINITION.finditer(path.read_text())}


def twin_name(name, kind):
    """The R name of a Python name: no leading underscore; CamelCase classes in snake_case."""
    name = name[1:] if name.startswith("_") else name
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower() if kind == "class" else name


def r_exports():
    return set(re.findall(r"^export\(([^)]+)\)$", (ROOT / "NAMESPACE").read_text(), re.M))


def untwinned(module, language):
    return set().union(*(names for m, lang, names, _ in UNTWINNED if (m, lang) == (module, language)))


TWIN_MODULES = sorted(p.stem for p in PY.glob("*.py") if p.stem not in PYTHON_ONLY_MODULES)


def test_every_module_has_its_twin_file_and_every_r_file_its_module():
    assert sorted(p.stem for p in R.glob("*.R") if p.stem not in R_ONLY_FILES) == TWIN_MODULES
    assert set(PYTHON_ONLY_MODULES) <= {p.stem for p in PY.glob("*.py")}  # no stale entry
    assert set(R_ONLY_FILES) <= {p.stem for p in R.glob("*.R")}


def test_no_r_name_is_defined_in_two_files():
    """The R package is one namespace: a second definition of a name silently replaces the first."""
    seen = {}
    for path in sorted(R.glob("*.R")):
        for name in r_definitions(path):
            seen.setdefault(name, []).append(path.name)
    assert {n: files for n, files in seen.items() if len(files) > 1} == {}


@pytest.mark.parametrize("module", TWIN_MODULES)
def test_twin_files_define_the_same_names(module):
    py = {twin_name(name, kind): name for name, kind in python_definitions(PY / f"{module}.py").items()}
    r = r_definitions(R / f"{module}.R")
    py_only = {py[n] for n in set(py) - r} - untwinned(module, "python")
    r_only = r - set(py) - untwinned(module, "r")
    assert not py_only and not r_only, (f"{module}: only in python/twinnet/{module}.py: {sorted(py_only)}; "
                                        f"only in R/{module}.R: {sorted(r_only)}")
    stale = {n for n in untwinned(module, "python") if n not in py.values()} | (untwinned(module, "r") - r)
    assert not stale, f"{module}: allow-list entries for names that are gone: {sorted(stale)}"
    twinned = {twin_name(n, k) for n, k in python_definitions(PY / f"{module}.py").items()} & r
    assert not twinned & untwinned(module, "r"), "a twinned name is also allow-listed"


def test_the_packages_export_the_same_names():
    py = {twin_name(n, "class" if inspect.isclass(getattr(twinnet, n)) else "value") for n in twinnet.__all__}
    r = r_exports()
    assert sorted(py - r - set(EXPORTED_BY_ONE)) == [], "exported by Python only"
    assert sorted(r - py - set(EXPORTED_BY_ONE)) == [], "exported by R only"
    assert set(EXPORTED_BY_ONE) <= py | r


def test_private_python_names_are_unexported_in_r():
    exported = r_exports()
    for module in TWIN_MODULES:
        private = {twin_name(n, k) for n, k in python_definitions(PY / f"{module}.py").items() if n.startswith("_")}
        assert not private & exported, f"{module}: private in Python, exported in R: {sorted(private & exported)}"


def test_the_rules_read_names_across(tmp_path):
    assert twin_name("_forward_pass", "value") == "forward_pass"
    assert twin_name("NeuralNet", "class") == "neural_net"
    assert twin_name("_ProgressDisplay", "class") == "progress_display"
    assert twin_name("GRAM_OVERFLOW", "value") == "GRAM_OVERFLOW"
    path = tmp_path / "probe.R"
    path.write_text("a <- 1\n`b-c` <- function() NULL\n  inner <- 2\nprint.x <- function(x) x\n# z <- 3\n")
    assert r_definitions(path) == {"a", "b-c", "print.x"}


# -- the exported functions' signatures, through R --------------------------------------

#: Exported functions whose signatures differ, and why.
SIGNATURE_EXCEPTIONS = {
    "NeuralNet": "a class (fit(X, y, callback) takes the data) where R has one function; tests/test_estimator.py "
                 "compares its arguments with neural_net()'s",
    "cli_main": "the default is the process's arguments in both: None (sys.argv[1:]) and commandArgs(TRUE)",
    "verify_main": "the default is the process's arguments in both: None (sys.argv[1:]) and commandArgs(TRUE)",
}


def r_formals(r, name):
    """[(argument, has a default, its value)] of the R function ``name``."""
    out = r.eval(f"""local({{
        f <- formals(twinnet::`{name}`)
        none <- vapply(f, function(d) is.symbol(d) && identical(as.character(d), ""), logical(1))
        lapply(seq_along(f), function(i) list(name = names(f)[i], has_default = !none[[i]],
                                              value = if (none[[i]]) NULL else eval(f[[i]], asNamespace("twinnet"))))
    }})""")
    return [(o["name"], bool(o["has_default"]), o.get("value")) for o in (out or [])]


def same_default(py, r_value):
    if py is None or r_value is None:
        return py is None and r_value is None
    if isinstance(py, (tuple, list)):
        return np.array_equal(np.asarray(py, dtype=float), np.atleast_1d(np.asarray(r_value, dtype=float)))
    if isinstance(py, str):
        return py == r_value
    return bool(py == r_value) and isinstance(py, bool) == isinstance(r_value, bool)


@pytest.mark.r
def test_exported_functions_have_the_same_signatures(r):
    checked = 0
    for name in twinnet.__all__:
        obj = getattr(twinnet, name)
        if not inspect.isfunction(obj) or name in SIGNATURE_EXCEPTIONS:
            continue
        params = list(inspect.signature(obj).parameters.values())
        formals = r_formals(r, name)
        assert [p.name for p in params] == [f[0] for f in formals], f"{name}: argument names or order"
        for p, (arg, has_default, value) in zip(params, formals):
            assert (p.default is not p.empty) == has_default, f"{name}({arg}): a default in one language only"
            if has_default:
                assert same_default(p.default, value), f"{name}({arg}): default {p.default!r} vs R's {value!r}"
        checked += 1
    assert checked >= 40
    assert set(SIGNATURE_EXCEPTIONS) <= set(twinnet.__all__)

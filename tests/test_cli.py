"""The `twinnet` command line, end to end in subprocesses, and R's twin of it (R/cli.R, scripts/twinnet.R).

Help and refusals, which are many and short, run the command's own function
in the test's process instead (run_here: cli_main; run_r_here: R's cli_main
through the R twin); two tests hold each to the command run as a process.

Expected values come from the library called directly (the command must
write what L_layer_model / NeuralNet compute), from the other language, and
from the exit-code contract: 0 success, 2 bad arguments or input with a
one-line message and no traceback, 1 anything else. The last part runs both
command lines on the same arguments and compares what they print.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import ROOT, RUN_TOL, assert_close, assert_identical, assert_stable, catvnoncat, recorded, require_data
from pngcheck import check_png

import twinnet
from twinnet import L_layer_model, load_model, make_circles

TIMEOUT = 600


def run(*args, cwd=None, env=None):
    """``python -m twinnet ARGS`` in a subprocess."""
    return subprocess.run([sys.executable, "-m", "twinnet", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=TIMEOUT)


def run_here(*args, cwd=None):
    """``python -m twinnet ARGS`` as that command runs it, ``cli_main(ARGS)`` (twinnet/__main__.py), in this process.

    For the many short answers -- help, version, every refusal -- which need no
    process of their own (each would spend a second starting Python and
    importing the estimator's scikit-learn): the exit code is cli_main's, what
    it prints goes to the CompletedProcess's stdout and stderr, and a warning
    is printed to stderr as the interpreter prints it. ``run`` starts the real
    process (test_console_script_and_python_m_are_the_same_command holds the two
    entries to be the same command).
    """
    import contextlib
    import io
    import warnings

    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
            warnings.resetwarnings()
            warnings.simplefilter("default")
            warnings.showwarning = lambda message, category, filename, lineno, file=None, line=None: err.write(
                warnings.formatwarning(message, category, filename, lineno, line))
            try:
                code = twinnet.cli_main([str(a) for a in args])
            except SystemExit as exc:  # what the process would exit with
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        os.chdir(here)
    return subprocess.CompletedProcess(["python", "-m", "twinnet", *map(str, args)], code, out.getvalue(),
                                       err.getvalue())


def run_r(*args, cwd=None, env=None):
    """``Rscript scripts/twinnet.R ARGS`` (R's command line) in a subprocess."""
    rscript = shutil.which("Rscript")
    assert rscript, "Rscript not found"
    return subprocess.run([rscript, str(ROOT / "scripts" / "twinnet.R"), *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=TIMEOUT)


#: R's cli_main with what it prints captured, run in a given working folder (run_r_here).
R_CLI_HERE = """function(args, dir) {
    here <- setwd(dir); on.exit(setwd(here), add = TRUE)
    out <- textConnection(NULL, "w"); err <- textConnection(NULL, "w")
    sink(out); sink(err, type = "message")
    code <- tryCatch(twinnet::cli_main(args), finally = { sink(type = "message"); sink() })
    text <- function(con) { lines <- textConnectionValue(con); close(con)
                            if (length(lines)) paste0(paste(lines, collapse = "\\n"), "\\n") else "" }
    list(code = code, out = text(out), err = text(err))
}"""


def run_r_here(r, *args, cwd=None):
    """``Rscript scripts/twinnet.R ARGS`` as that script runs it, ``twinnet::cli_main(ARGS)``, in the R of this
    process (the ``r`` fixture): what ``run_here`` is to ``run``, for R's answers; the R session's working
    folder is ``cwd`` meanwhile. test_run_r_here_answers_as_the_process_does holds it to the script."""
    ro = r._ro
    got = r.from_r(ro.r(R_CLI_HERE)(ro.StrVector([str(a) for a in args]), ro.StrVector([str(cwd or os.getcwd())])))
    return subprocess.CompletedProcess(["Rscript", "scripts/twinnet.R", *map(str, args)], int(got["code"]),
                                       got["out"], got["err"])


def stable_circles_run(n_samples, layers, iterations, learning_rate=0.05, seed=1):
    """The stability guard (contract section 13) for what ``train``/``compare`` run on circles: returns its result,
    whose costs (every iteration) are the library's own run of that configuration."""
    X, Y = make_circles(n_samples, seed=seed)
    return assert_stable(X, Y, [2, *layers, 1], learning_rate=learning_rate, num_iterations=iterations, seed=seed)


def one_line_error(proc):
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    return lines[0]


def read_csv(path):
    return pd.read_csv(path, dtype={"iteration": np.int64, "cost": np.float64})


# ------------------------------------------------------------------ entry points

def test_console_script_and_python_m_are_the_same_command():
    script = Path(sys.executable).with_name("twinnet")
    if not script.exists():
        script = shutil.which("twinnet")
    if script is None:
        pytest.skip("the twinnet console script is not installed next to this Python")
    a = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=TIMEOUT)
    b = run("--version")
    assert a.returncode == b.returncode == 0
    assert a.stdout == b.stdout == f"twinnet {twinnet.__version__}\n"
    h = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=TIMEOUT)
    for sub in ("train", "predict", "compare", "convert"):
        assert sub in h.stdout
    for script in ("fixtures", "bench"):  # repository scripts, not installed commands
        assert script not in h.stdout


@pytest.mark.parametrize("argv", [[], ["--help"], ["train", "--layers", "8,x"],
                                  ["train", "--keep-prob", "1.5", "--iterations", "2"]],
                         ids=["(none)", "--help", "a usage error", "the library's refusal"])
def test_run_here_answers_as_the_process_does(argv, tmp_path):
    """run_here, which the tests of help and refusals use, against the command run as a process."""
    a, b = run(*argv, cwd=tmp_path), run_here(*argv, cwd=tmp_path)
    assert (a.returncode, a.stdout, a.stderr) == (b.returncode, b.stdout, b.stderr)


@pytest.mark.r
@pytest.mark.parametrize("argv", [[], ["--help"], ["train", "--layers", "8,x"],
                                  ["train", "--keep-prob", "1.5", "--iterations", "2"]],
                         ids=["(none)", "--help", "a usage error", "the library's refusal"])
def test_run_r_here_answers_as_the_process_does(r, argv, tmp_path):
    """run_r_here, which the tests of R's help and refusals use, against R's command line run as a process."""
    a, b = run_r(*argv, cwd=tmp_path), run_r_here(r, *argv, cwd=tmp_path)
    assert (a.returncode, a.stdout, a.stderr) == (b.returncode, b.stdout, b.stderr)


# ------------------------------------------------------------------ train (Python)

def test_train_python_on_circles_writes_what_the_library_computes(tmp_path):
    out = tmp_path / "out"
    proc = run("train", "--iterations", 600, "--n-samples", 400, "--seed", 3, "--layers", "8,4", "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # a short run: no progress line
    assert sorted(p.name for p in out.iterdir()) == ["cost-curve.png", "costs.csv", "decision-boundary.png",
                                                      "model.h5"]
    X, Y = make_circles(400, seed=3)
    Xt, Yt = make_circles(200, seed=4)
    params, costs = L_layer_model(X, Y, [2, 8, 4, 1], learning_rate=0.05, num_iterations=600, seed=3,
                                  print_every=500)
    csv = read_csv(out / "costs.csv")
    assert_identical("iteration", costs["iteration"], csv["iteration"])
    assert_identical("cost (CSV, written with repr)", costs["cost"], csv["cost"])
    model = load_model(out / "model.h5")
    for k in params:
        assert_identical(k, params[k], model.parameters_[k])
    train_acc = twinnet.accuracy(X, Y, params)
    test_acc = twinnet.accuracy(Xt, Yt, params)
    assert f"train accuracy: {train_acc:.4f}" in proc.stdout
    assert f"test accuracy: {test_acc:.4f}" in proc.stdout
    assert "network: 2-8-4-1, relu hidden layers, xavier init, learning rate 0.05, 600 iterations, seed 3 (Python)" \
        in proc.stdout
    check_png(out / "cost-curve.png")
    check_png(out / "decision-boundary.png")


def test_train_progress_line(tmp_path):
    proc = run("train", "--iterations", 300, "--n-samples", 100, "--print-every", 100, "--progress", "always",
               "--out", tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.strip().splitlines()
    pattern = re.compile(r"^iteration (\d+)/300  cost (\S+)  (-- it/s  -- s left|\d+ it/s  \d+\.\d s left)$")
    its = [int(pattern.match(line).group(1)) for line in lines[:-1]]
    assert its == [0, 100, 200, 299]
    costs = read_csv(tmp_path / "costs.csv")
    assert [float(pattern.match(line).group(2)) for line in lines[:-1]] == \
        [float(f"{c:.6g}") for c in costs["cost"]]
    assert re.match(r"^done: 300 iterations in \d+\.\d s \(\d+ it/s\)$", lines[-1])


def test_train_without_rpy2_and_without_R(tmp_path):
    # a Python where rpy2 cannot be imported and R is not on the PATH: train --lang python still works
    blocker = tmp_path / "block"
    blocker.mkdir()
    (blocker / "rpy2").mkdir()
    (blocker / "rpy2" / "__init__.py").write_text("raise ImportError('rpy2 blocked for this test')\n")
    env = dict(os.environ, PYTHONPATH=str(blocker), PATH=str(Path(sys.executable).parent), R_HOME="/nonexistent")
    proc = run("train", "--iterations", 50, "--n-samples", 60, "--out", tmp_path / "out", env=env)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "model.h5").exists()
    proc = run("train", "--iterations", 50, "--n-samples", 60, "--lang", "r", "--out", tmp_path / "r", env=env)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "Rscript" in proc.stderr


# ------------------------------------------------------------------ train (R) and compare

@pytest.mark.r
@pytest.mark.slow
def test_train_in_R_matches_python(r, tmp_path):
    stable_circles_run(300, (8, 4), 1500)
    args = ["--iterations", 1500, "--n-samples", 300, "--layers", "8,4", "--print-every", 100]
    py = run("train", *args, "--out", tmp_path / "py")
    rr = run("train", *args, "--lang", "r", "--out", tmp_path / "r")
    assert py.returncode == 0 and rr.returncode == 0, (py.stderr, rr.stderr)
    assert "(R)" in rr.stdout
    a, b = read_csv(tmp_path / "py" / "costs.csv"), read_csv(tmp_path / "r" / "costs.csv")
    assert_identical("iteration", a["iteration"], b["iteration"])
    assert_close("costs, Python vs R", a["cost"], b["cost"], tol=RUN_TOL)
    ma, mb = load_model(tmp_path / "py" / "model.h5"), load_model(tmp_path / "r" / "model.h5")
    assert_identical("R's CSV is R's model history", mb.costs_["cost"], b["cost"])
    X, _ = make_circles(300, seed=1)
    assert_identical("predictions", ma.predict(X.T), mb.predict(X.T))
    for line in ("train accuracy", "test accuracy"):
        assert [s for s in py.stdout.splitlines() if s.startswith(line)] == \
            [s for s in rr.stdout.splitlines() if s.startswith(line)]
    for png in ("cost-curve.png", "decision-boundary.png"):
        check_png(tmp_path / "r" / png)


@pytest.mark.r
@pytest.mark.slow
def test_compare_on_circles_is_the_demo(r):
    demo = stable_circles_run(1000, (16, 8), 5000)
    proc = run("compare")
    assert proc.returncode == 0, proc.stderr
    assert "predictions identical: yes" in proc.stdout
    m = re.search(r"largest relative cost difference: (\S+) \(contract: <= 1e-9\)", proc.stdout)
    assert float(m.group(1)) <= 1e-9
    rows = [s.split() for s in proc.stdout.splitlines()[2:13]]
    assert [int(row[0]) for row in rows] == [0, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 4999]
    # printed with 17 significant digits: the library's own run of the demo, bit for bit
    assert [float(row[1]) for row in rows] == list(recorded(demo["costs"], 500)["cost"])


@pytest.mark.r
@pytest.mark.slow
def test_R_compare_prints_what_python_compare_prints(r):
    """R's command line makes the same comparison the other way round (the demo's first 1000 iterations)."""
    stable_circles_run(1000, (16, 8), 1000)
    proc = run("compare", "--iterations", 1000)
    demo = run_r("compare", "--iterations", 1000)
    assert proc.returncode == 0 and demo.returncode == 0, proc.stderr + demo.stderr
    strip = lambda text: [re.sub(r"difference \S+\)$", "difference ...)", s)  # noqa: E731
                          for s in text.splitlines() if not s.startswith("time:")]
    assert strip(proc.stdout) == strip(demo.stdout)


@pytest.mark.r
@pytest.mark.realdata
@pytest.mark.slow
def test_compare_on_catvnoncat(r):
    folder = require_data("catvnoncat")
    X, Y = catvnoncat()[:2]
    assert_stable(X, Y, [12288, 20, 7, 5, 1], num_iterations=50)
    proc = run("compare", "--data", folder, "--iterations", 50, "--print-every", 10)
    assert proc.returncode == 0, proc.stderr
    assert "12288 features" in proc.stdout and "layers [12288, 20, 7, 5, 1]" in proc.stdout
    assert "predictions identical: yes" in proc.stdout


@pytest.mark.realdata
@pytest.mark.slow
def test_train_and_predict_on_catvnoncat(tmp_path):
    folder = require_data("catvnoncat")
    proc = run("train", "--data", folder, "--iterations", 30, "--out", tmp_path)
    assert proc.returncode == 0, proc.stderr
    model = load_model(tmp_path / "model.h5")
    assert model.classes_.tolist() == ["non-cat", "cat"] and model.n_features_in_ == 12288
    pred = run("predict", tmp_path / "model.h5", folder / "test_catvnoncat.h5")
    assert pred.returncode == 0, pred.stderr
    lines = pred.stdout.strip().splitlines()
    assert lines[0].split() == ["input", "class", "P(cat)"] and len(lines) == 1 + 50 + 1
    m = re.search(r"test accuracy: (\S+)", proc.stdout)
    assert lines[-1] == f"accuracy on the 50 labelled examples: {m.group(1)}"


# ------------------------------------------------------------------ predict

def test_predict_csv_prints_class_and_probability(tmp_path):
    out = tmp_path / "out"
    assert run("train", "--iterations", 400, "--n-samples", 200, "--out", out).returncode == 0
    X, _ = make_circles(7, seed=21)
    pd.DataFrame(X.T, columns=["x1", "x2"]).to_csv(tmp_path / "points.csv", index=False)
    proc = run("predict", out / "model.h5", tmp_path / "points.csv")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert lines[0].split() == ["input", "class", "P(1)"]
    model = load_model(out / "model.h5")
    p = model.predict_proba(X.T)[:, 1]
    for k, line in enumerate(lines[1:]):
        name, cls, prob = line.split()
        assert name.endswith(f"points.csv[{k + 1}]")
        assert cls == str(int(p[k] > 0.5)) and prob == f"{p[k]:.6f}"
    assert len(lines) == 1 + 7


def test_predict_images(tmp_path):
    Image = pytest.importorskip("PIL.Image")
    src = tmp_path / "imgs"
    rng = np.random.default_rng(0)
    for cls, base in (("Cat", 40), ("Dog", 200)):
        (src / cls).mkdir(parents=True)
        for k in range(12):
            pixels = np.clip(base + rng.normal(0, 20, (16, 16, 3)), 0, 255).astype(np.uint8)
            Image.fromarray(pixels, "RGB").save(src / cls / f"{k}.png")
    conv = run("convert", src, tmp_path / "data.h5", "--size", 8)
    assert conv.returncode == 0, conv.stderr
    assert (tmp_path / "data.h5").exists()
    out = tmp_path / "out"
    proc = run("train", "--data", src, "--size", 8, "--layers", "4", "--iterations", 200, "--learning-rate", 0.05,
               "--out", out)
    assert proc.returncode == 0, proc.stderr
    pred = run("predict", out / "model.h5", src / "Cat" / "0.png", src / "Dog" / "0.png")
    assert pred.returncode == 0, pred.stderr
    lines = pred.stdout.strip().splitlines()
    assert len(lines) == 3 and lines[0].startswith("input")


# ------------------------------------------------------------------ convert

def test_convert_needs_a_source_folder(tmp_path):
    line = one_line_error(run_here("convert", tmp_path / "nothing", tmp_path / "x.h5"))
    assert line.startswith("twinnet: error: `src`: expected an existing folder")


# ------------------------------------------------------------------ bad arguments

BAD_ARGS = [
    ([], "the following arguments are required"),
    (["bogus"], "invalid choice"),
    (["train", "--iterations", "0"], "--iterations: expected a whole number >= 1"),
    (["train", "--learning-rate", "-1"], "--learning-rate: expected a positive finite number"),
    (["train", "--layers", "8,x"], "--layers: expected comma-separated hidden layer sizes"),
    (["train", "--seed", "-3"], "--seed: expected a whole number in 0..2147483647"),
    (["train", "--activation", "swish"], "invalid choice: 'swish'"),
    (["train", "--lang", "julia"], "invalid choice: 'julia'"),
    (["train", "--data", "/nonexistent/folder"], "`--data`: expected \"circles\", a cat/non-cat folder"),
    (["train", "--no-such-option"], "unrecognized arguments: --no-such-option"),
    (["predict", "model.h5"], "the following arguments are required: inputs"),
    (["predict", "/nonexistent/model.h5", "x.csv"], "`path`: expected an existing file"),
    (["compare", "--n-samples", "1"], "`--n-samples`: expected a whole number >= 2"),
    (["train", "--stream", "mt"], "argument --stream: invalid choice: 'mt'"),
    (["compare", "--stream", "Numpy"], "argument --stream: invalid choice: 'Numpy'"),
    (["train", "--init-from", "/nonexistent/model.h5"], "`--init-from`: expected an existing file"),
    (["compare", "--course", "/nonexistent/folder"],
     "`--course`: expected a folder holding train_catvnoncat.h5 and test_catvnoncat.h5"),
    # the course's improvements (contract section 36): the library's refusals, in its words
    (["train", "--lambd", "-1"], "--lambd: expected a finite number >= 0"),
    (["train", "--keep-prob", "0.5,x"], "--keep-prob: expected comma-separated numbers"),
    (["train", "--keep-prob", "1.5", "--iterations", "2"], "`keep_prob`: expected a number in (0, 1], or 2 of them"),
    (["train", "--mini-batch-size", "0"], "--mini-batch-size: expected a whole number >= 1"),
    (["train", "--mini-batch-size", "5000", "--iterations", "2"], "`mini_batch_size`: expected a whole number in 1..1000"),
    (["train", "--optimizer", "sgd"], "invalid choice: 'sgd'"),
    (["train", "--beta1", "1"], "--beta1: expected a number in [0, 1)"),
    (["train", "--epsilon", "0"], "--epsilon: expected a positive finite number"),
    (["train", "--decay", "exponential"], "invalid choice: 'exponential'"),
    (["train", "--decay-rate", "-0.5"], "--decay-rate: expected a finite number >= 0"),
    (["train", "--time-interval", "0"], "--time-interval: expected a whole number >= 1"),
    (["train", "--dropout-seed", "-1"], "--dropout-seed: expected a whole number in 0..2147483647"),
]


def test_train_init_from_continues_a_saved_model_bit_for_bit(tmp_path):
    """Contract section 24 through train: 20 iterations, then 20 from model.h5, are the 40-iteration run."""
    common = ["--n-samples", 100, "--layers", 6, "--print-every", 1, "--stream", "numpy"]
    assert run("train", *common, "--iterations", 20, "--out", tmp_path / "a").returncode == 0
    b = run("train", *common, "--iterations", 20, "--init-from", tmp_path / "a" / "model.h5", "--out", tmp_path / "b")
    assert b.returncode == 0, b.stderr
    assert f"20 iterations, initial parameters from {tmp_path / 'a' / 'model.h5'} (Python)" in b.stdout
    assert run("train", *common, "--iterations", 40, "--out", tmp_path / "c").returncode == 0
    cb, cc = read_csv(tmp_path / "b" / "costs.csv"), read_csv(tmp_path / "c" / "costs.csv")
    assert cb["cost"].tolist()[1:] == cc["cost"].tolist()[21:]
    X, Y = twinnet.make_circles(100, seed=1, stream="numpy")
    _, costs = twinnet.L_layer_model(X, Y, [2, 6, 1], learning_rate=0.05, num_iterations=40, print_every=1,
                                     stream="numpy")
    assert cc["cost"].tolist() == costs["cost"].tolist()
    bad = run("train", "--n-samples", 100, "--layers", 5, "--init-from", tmp_path / "a" / "model.h5",
              "--out", tmp_path / "d")
    assert one_line_error(bad) == ('twinnet: error: `--init-from["W1"]`: expected shape (5, 2) from layer_dims '
                                   '(2, 5, 1); got shape (6, 2)')
    assert not (tmp_path / "d").exists()


@pytest.mark.r
@pytest.mark.realdata
@pytest.mark.slow
def test_compare_course_prints_the_notebook_beside_both_languages(r, tmp_path, monkeypatch):
    """compare --course on 2 iterations (the table's format; the full runs are tests/test_course_notebook.py's):
    the notebook's printed iteration-0 costs (fixtures/course-017, -018) beside Python's and R's, within 1e-12."""
    from helpers import fixture_paths, load_fixture
    folder = require_data("catvnoncat")
    book = {f["config"]["model"]: f["course_expected"] for f in map(load_fixture, fixture_paths())
            if f["kind"] == "course" and f["adapter"] == "notebook"}
    monkeypatch.setenv("TWINNET_FIXTURES", str(ROOT / "fixtures"))  # R's command line runs in a folder of its own
    py, rr = both(["compare", "--course", folder, "--iterations", 2], tmp_path, "course")
    assert py.returncode == rr.returncode == 0, py.stderr + rr.stderr
    assert same_text(py.stdout) == same_text(rr.stdout)
    for name, expected in book.items():
        section = py.stdout.split(f"\n{name}: ")[1]
        row = re.search(r"^ +0 +(\S+) +(\S+) +(\S+)$", section, re.M).groups()
        assert row[0] == expected["costs"]["cost"][0]
        for got in row[1:]:
            assert abs(float(got) - float(row[0])) <= 1e-12 * float(row[0]) + (0.5e-6 if name == "four_layer" else 0)
        assert re.search(r"^train accuracy: notebook - +Python \S+ +R \S+$", section, re.M)  # not the full run
        assert "predictions identical: yes" in section


@pytest.mark.parametrize("argv,message", BAD_ARGS, ids=[" ".join(a) or "(none)" for a, _ in BAD_ARGS])
def test_bad_arguments_exit_2_with_one_line(argv, message, tmp_path):
    line = one_line_error(run_here(*argv, cwd=tmp_path))
    assert message in line, line


def test_bad_input_files_exit_2(tmp_path):
    (tmp_path / "text.h5").write_text("no\n")
    assert "not an HDF5 file" in one_line_error(run_here("train", "--data", tmp_path / "text.h5"))
    assert "not an HDF5 file" in one_line_error(run_here("predict", tmp_path / "text.h5", tmp_path / "text.h5"))
    out = tmp_path / "out"
    assert run_here("train", "--iterations", 20, "--n-samples", 50, "--out", out).returncode == 0
    pd.DataFrame({"a": [1.0], "b": [2.0], "c": [3.0]}).to_csv(tmp_path / "three.csv", index=False)
    three = run_here("predict", out / "model.h5", tmp_path / "three.csv")
    assert "expected 2 columns (features)" in one_line_error(three)
    (tmp_path / "notes.txt").write_text("x\n")
    assert "expected image" in one_line_error(run_here("predict", out / "model.h5", tmp_path / "notes.txt"))
    assert "test_set_x" in one_line_error(run_here("predict", out / "model.h5", out / "model.h5"))  # not that layout


# ------------------------------------------------------------------ R's command line (no Python involved)

@pytest.mark.r
@pytest.mark.slow
def test_R_command_line_trains_and_predicts_the_same_files(r, tmp_path):
    rscript = shutil.which("Rscript")
    assert rscript, "Rscript not found"
    script = ROOT / "scripts" / "twinnet.R"
    env = dict(os.environ)
    proc = subprocess.run([rscript, str(script), "train", "--iterations", "600", "--n-samples", "300",
                           "--layers", "8,4", "--out", str(tmp_path)], capture_output=True, text=True,
                          timeout=TIMEOUT, env=env)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cost-curve.png", "costs.csv", "decision-boundary.png",
                                                          "model.h5"]
    model = load_model(tmp_path / "model.h5")  # R wrote it, Python reads it
    X, Y = make_circles(300, seed=1)
    costs = recorded(stable_circles_run(300, (8, 4), 600)["costs"], 500)
    assert_close("costs, R's command line vs Python", costs["cost"], read_csv(tmp_path / "costs.csv")["cost"],
                 tol=RUN_TOL)
    assert_identical("R CSV = R model history", model.costs_["cost"], read_csv(tmp_path / "costs.csv")["cost"])
    for png in ("cost-curve.png", "decision-boundary.png"):
        check_png(tmp_path / png)
    pd.DataFrame(X.T[:5], columns=["x1", "x2"]).to_csv(tmp_path / "p.csv", index=False)
    rp = subprocess.run([rscript, str(script), "predict", str(tmp_path / "model.h5"), str(tmp_path / "p.csv")],
                        capture_output=True, text=True, timeout=TIMEOUT)
    pp = run("predict", tmp_path / "model.h5", tmp_path / "p.csv")
    assert rp.returncode == 0 and pp.returncode == 0, rp.stderr + pp.stderr
    assert rp.stdout == pp.stdout  # same classes, same probabilities to 6 decimals, same layout
    bad = subprocess.run([rscript, str(script), "train", "--iterations", "zero"], capture_output=True, text=True,
                         timeout=TIMEOUT)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert "--iterations: expected a whole number >= 1" in bad.stderr


# ------------------------------------------------------------------ the two command lines, side by side

def same_text(text):
    """What both command lines must print alike: without the language's name, the timings, and the quotes of
    the "got" part of a message (Python's repr, R's dQuote: docs/contract.md section 12)."""
    lines = [line for line in text.splitlines() if not line.startswith("time: ")]
    return "\n".join(lines).replace("(Python)", "(LANG)").replace("(R)", "(LANG)").replace('"', "'")


def both(args, tmp_path, name, python=run, r=run_r):
    """Run Python's and R's command line on the same arguments, each in a folder of its own (same relative
    paths); returns the two CompletedProcess. ``python`` is ``run`` or ``run_here``, ``r`` ``run_r`` or a
    ``run_r_here`` bound to the R twin."""
    out = []
    for lang, runner in (("python", python), ("r", r)):
        cwd = tmp_path / name / lang
        cwd.mkdir(parents=True)
        out.append(runner(*args, cwd=cwd))
    return out


SAME_ARGS = [
    [], ["--help"], ["--version"], ["bogus"], ["--bogus"],
    ["train", "--help"], ["predict", "--help"], ["compare", "--help"], ["convert", "--help"],
    ["train", "--iterations", "2.5"], ["train", "--iterations=-1"], ["train", "--learning-rate", "inf"],
    ["train", "--learning-rate", "1e-400"], ["train", "--seed", "2147483648"], ["train", "--layers", "none,3"],
    ["train", "--layers", "4,0"], ["train", "--progress", "sometimes"], ["train", "--out"],
    ["predict", "--set", "validation", "m.h5", "x.csv"], ["convert", "only-one"], ["convert", "a", "b", "c"],
    ["train", "--n-samples", "1"], ["train", "--data", "nowhere"], ["predict", "nowhere.h5", "x.csv"],
] + [argv for argv, _ in BAD_ARGS]


@pytest.mark.r
@pytest.mark.slow
@pytest.mark.parametrize("argv", SAME_ARGS, ids=[" ".join(a) or "(none)" for a in SAME_ARGS])
def test_R_command_line_answers_alike(r, argv, tmp_path):
    """Help, version and every refusal: the same exit code and the same text on the same stream."""
    py, rr = both(argv, tmp_path, "run", python=run_here, r=lambda *a, cwd: run_r_here(r, *a, cwd=cwd))
    assert (py.returncode, same_text(py.stdout), same_text(py.stderr)) == \
        (rr.returncode, same_text(rr.stdout), same_text(rr.stderr))
    assert py.returncode in (0, 2)
    if py.returncode == 2:
        assert len(py.stderr.strip().splitlines()) == 1


@pytest.mark.r
@pytest.mark.slow
def test_R_command_line_trains_predicts_and_converts_alike(r, tmp_path):
    stable_circles_run(120, (6,), 300)
    train = ["train", "--iterations", 300, "--n-samples", 120, "--layers", "6", "--print-every", 100, "--out", "out"]
    py, rr = both(train, tmp_path, "train")
    assert py.returncode == rr.returncode == 0, py.stderr + rr.stderr
    assert same_text(py.stdout) == same_text(rr.stdout) and py.stderr == rr.stderr == ""
    a, b = (read_csv(tmp_path / "train" / lang / "out" / "costs.csv") for lang in ("python", "r"))
    assert_identical("iteration", a["iteration"], b["iteration"])
    assert_close("costs.csv, Python vs R", a["cost"], b["cost"], tol=RUN_TOL)
    model = tmp_path / "train" / "python" / "out" / "model.h5"
    X, _ = make_circles(9, seed=5)
    pd.DataFrame(X.T, columns=["x1", "x2"]).to_csv(tmp_path / "points.csv", index=False)
    py, rr = both(["predict", model, tmp_path / "points.csv"], tmp_path, "predict")
    assert py.returncode == rr.returncode == 0 and py.stdout == rr.stdout, py.stderr + rr.stderr
    assert py.stderr == rr.stderr == ""  # no warning either
    Image = pytest.importorskip("PIL.Image")
    src = tmp_path / "imgs"
    rng = np.random.default_rng(1)
    for cls in ("A", "B"):
        (src / cls).mkdir(parents=True)
        for k in range(5):
            Image.fromarray(rng.integers(0, 256, (12, 10, 3), dtype=np.uint8), "RGB").save(src / cls / f"{k}.png")
    py, rr = both(["convert", src, "set.h5", "--size", 4], tmp_path, "convert")
    assert py.returncode == rr.returncode == 0, py.stderr + rr.stderr
    assert py.stdout == rr.stdout and "wrote set.h5" in py.stdout
    py_set, r_set = (twinnet.load_image_set(tmp_path / "convert" / lang / "set.h5") for lang in ("python", "r"))
    for k in range(4):
        assert_identical(f"converted set, item {k}", py_set[k], r_set[k])


@pytest.mark.r
@pytest.mark.slow
def test_each_command_line_trains_in_the_other_language(r, tmp_path):
    stable_circles_run(80, (5,), 200)
    args = ["--iterations", 200, "--n-samples", 80, "--layers", "5", "--out", "out"]
    py, rr = both(["train", *args, "--lang", "r"], tmp_path, "other")
    assert py.returncode == rr.returncode == 0, py.stderr + rr.stderr
    assert "seed 1 (R)" in py.stdout and "seed 1 (R)" in rr.stdout
    py, rr = both(["train", *args, "--lang", "python"], tmp_path, "same")
    assert "seed 1 (Python)" in py.stdout and "seed 1 (Python)" in rr.stdout
    assert same_text(py.stdout) == same_text(rr.stdout)


# ------------------------------------------------------------------ the course's improvements (contract section 36)

OPTIONS = ["--optimizer", "adam", "--mini-batch-size", "40", "--keep-prob", "0.9,0.8", "--lambd", "0.05",
           "--decay", "update_lr", "--decay-rate", "0.01", "--mini-batch-seed", "3", "--dropout-seed", "4"]


def test_train_with_the_options_writes_what_the_estimator_computes(tmp_path):
    proc = run("train", "--iterations", 40, "--n-samples", 200, "--learning-rate", 0.01, *OPTIONS,
               "--out", tmp_path, "--progress", "never")
    assert proc.returncode == 0, proc.stderr
    net = twinnet.NeuralNet(hidden_layers=(16, 8), learning_rate=0.01, num_iterations=40, print_every=500,
                            optimizer="adam", mini_batch_size=40, keep_prob=(0.9, 0.8), lambd=0.05, decay="update_lr",
                            decay_rate=0.01, mini_batch_seed=3, dropout_seed=4)
    X, Y = make_circles(200, seed=1)
    net.fit(X.T, Y.ravel())
    assert_identical("costs.csv", net.costs_["cost"], read_csv(tmp_path / "costs.csv")["cost"])
    saved = load_model(tmp_path / "model.h5")
    assert (saved.optimizer, saved.mini_batch_size, saved.keep_prob, saved.decay) == ("adam", 40, (0.9, 0.8),
                                                                                      "update_lr")


@pytest.mark.r
@pytest.mark.slow
def test_R_command_line_trains_with_the_options_alike(r, tmp_path):
    X, Y = make_circles(200, seed=1)
    assert_stable(X, Y, [2, 16, 8, 1], learning_rate=0.01, num_iterations=40, optimizer="adam", mini_batch_size=40,
                  keep_prob=[0.9, 0.8], lambd=0.05, decay="update_lr", decay_rate=0.01, mini_batch_seed=3,
                  dropout_seed=4)
    train = ["train", "--iterations", 40, "--n-samples", 200, "--learning-rate", 0.01, "--print-every", 10, *OPTIONS,
             "--out", "out", "--progress", "never"]
    py, rr = both(train, tmp_path, "train")
    assert py.returncode == rr.returncode == 0, py.stderr + rr.stderr
    assert same_text(py.stdout) == same_text(rr.stdout)
    a, b = (read_csv(tmp_path / "train" / lang / "out" / "costs.csv") for lang in ("python", "r"))
    assert_close("costs.csv, Python vs R", a["cost"], b["cost"], tol=RUN_TOL)

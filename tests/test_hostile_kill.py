"""Interrupted writes leave nothing behind (issue 14, contract section 30), in both languages.

A child process saves a 64 MB model over and over (or converts an image folder);
once a temporary file of twinnet's pattern is there, the test sends SIGTERM, SIGINT
or SIGKILL. SIGTERM and SIGINT remove the temporary files first (the handlers of
atomic.py and src/twinnet.c), then end the process as the signal would; after
SIGKILL the file stays, and the next write into the folder sweeps it (its process
is gone). In every case the destination is a whole model file (the old one, or a
new one already renamed in place) and the folder holds nothing else.

The ``kill`` group: slower than the rest (processes are started and killed), still
part of the default run.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import hostile

pytestmark = pytest.mark.kill

ROOT = hostile.ROOT
TIMEOUT = 90

PY_SAVE = """
import sys, numpy as np, twinnet
X = np.random.default_rng(1).random((1000, 2)); Y = np.array([[0.0, 1.0]])
net = twinnet.NeuralNet(hidden_layers=(8000,), num_iterations=1).fit(X.T, Y.ravel())
twinnet.save_model(net, sys.argv[1])
print("ready", flush=True)
while True:
    twinnet.save_model(net, sys.argv[1])
"""

R_SAVE = """
.libPaths(c(Sys.getenv("TWINNET_R_LIB"), .libPaths())); suppressPackageStartupMessages(library(twinnet))
path <- commandArgs(TRUE)[1]
X <- matrix(runif(2000), 2, 1000)
fit <- neural_net(X, c(0, 1), hidden_layers = 8000, num_iterations = 1)
save_model(fit, path)
cat("ready\\n"); flush(stdout())
repeat save_model(fit, path)
"""

PY_CONVERT = """
import sys, twinnet
print("ready", flush=True)
while True:
    twinnet.convert_image_folder(sys.argv[2], sys.argv[1], size=96, verbose=False)
"""

R_CONVERT = """
.libPaths(c(Sys.getenv("TWINNET_R_LIB"), .libPaths())); suppressPackageStartupMessages(library(twinnet))
args <- commandArgs(TRUE)
cat("ready\\n"); flush(stdout())
repeat convert_image_folder(args[2], args[1], size = 96, verbose = FALSE)
"""

PY_TRAIN = """
import contextlib, io, sys, twinnet
args = ["train", "--iterations", "30", "--n-samples", "200", "--progress", "never", "--out", sys.argv[1]]
quiet = contextlib.redirect_stdout(io.StringIO())
with quiet:
    assert twinnet.cli_main(args + ["--seed", "1"]) == 0
print("ready", flush=True)
seed = 1
with contextlib.redirect_stdout(io.StringIO()):
    while True:
        seed += 1
        twinnet.cli_main(args + ["--seed", str(seed)])
"""

R_TRAIN = """
.libPaths(c(Sys.getenv("TWINNET_R_LIB"), .libPaths())); suppressPackageStartupMessages(library(twinnet))
args <- c("train", "--iterations", "30", "--n-samples", "200", "--progress", "never", "--out", commandArgs(TRUE)[1])
invisible(capture.output(stopifnot(cli_main(c(args, "--seed", "1")) == 0)))
cat("ready\\n"); flush(stdout())
seed <- 1
repeat {
  seed <- seed + 1
  invisible(capture.output(cli_main(c(args, "--seed", seed))))
}
"""

PY_SWEEP = "import sys, twinnet; from twinnet import atomic; atomic.sweep_stale(sys.argv[1])"
R_SWEEP = ('.libPaths(c(Sys.getenv("TWINNET_R_LIB"), .libPaths())); '
           'invisible(twinnet:::sweep_stale(commandArgs(TRUE)[1]))')


def _command(lang, script, *args):
    if lang == "python":
        return [sys.executable, "-c", script, *map(str, args)]
    return ["Rscript", "--vanilla", "-e", script, *map(str, args)]


def _env():
    return dict(os.environ, OPENBLAS_NUM_THREADS="1", TWINNET_R_LIB=str(ROOT / ".rlib"), LC_ALL="C.UTF-8")


def _temps(folder):
    return sorted(p.name for p in Path(folder).iterdir() if p.name.startswith(hostile.TEMP_PREFIX))


def _child_setup(ignore_sigint=False):
    """The child in a session of its own, with SIGTERM and SIGINT as a terminal's process has them. A test
    command started in the background of a script (``cmd &``, nohup, some CI runners) inherits SIGINT
    ignored, and a process that ignores SIGINT rightly keeps ignoring it during a save."""
    def setup():
        os.setsid()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_IGN if ignore_sigint else signal.SIG_DFL)
    return setup


def _start(lang, script, *args, ignore_sigint=False):
    proc = subprocess.Popen(_command(lang, script, *args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=_env(), preexec_fn=_child_setup(ignore_sigint))
    line = proc.stdout.readline().decode()
    if "ready" not in line:
        proc.kill()
        pytest.fail(f"the child did not start: {proc.stderr.read().decode()[-2000:]}")
    return proc


def _signal_while_writing(proc, folder, sig):
    """Send ``sig`` once a temporary file is in ``folder``; returns (the names seen, the exit code)."""
    deadline = time.time() + TIMEOUT
    seen = []
    while time.time() < deadline:
        seen = _temps(folder)
        if seen:
            os.kill(proc.pid, sig)
            break
        if proc.poll() is not None:
            pytest.fail(f"the child ended early: {proc.stderr.read().decode()[-2000:]}")
        time.sleep(0.002)
    else:
        proc.kill()
        pytest.fail("no temporary file appeared")
    try:
        code = proc.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail(f"the child did not end after signal {sig}")
    return seen, code


def _assert_whole_model(path):
    import twinnet

    model = twinnet.load_model(path)  # a whole file: the old one or a new one, never half of one
    assert model.parameters_["W1"].shape == (8000, 1000)


LANGS = [pytest.param("python", id="py"), pytest.param("r", id="r", marks=pytest.mark.r)]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_during_save_model_leaves_no_temporary_file(lang, sig, tmp_path):
    path = tmp_path / "model.h5"
    proc = _start(lang, PY_SAVE if lang == "python" else R_SAVE, path)
    seen, code = _signal_while_writing(proc, tmp_path, sig)
    assert all(hostile.TEMP_PREFIX in s and s.endswith(".tmp") for s in seen), seen
    assert code != 0, "the signal did not end the process"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.h5"]
    _assert_whole_model(path)


def test_a_process_that_ignores_sigint_keeps_ignoring_it_during_a_save(tmp_path):
    """twinnet's handler is installed only where SIGINT is not ignored: the save goes on and completes."""
    path = tmp_path / "model.h5"
    proc = _start("python", PY_SAVE, path, ignore_sigint=True)
    try:
        seen, code = [], None
        deadline = time.time() + TIMEOUT
        while time.time() < deadline and not seen:
            seen = _temps(tmp_path)
            time.sleep(0.002)
        assert seen, "no temporary file appeared"
        os.kill(proc.pid, signal.SIGINT)
        time.sleep(1.0)
        assert proc.poll() is None, "an ignored SIGINT ended the process"
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        code = proc.wait(timeout=TIMEOUT)
    assert code != 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.h5"]
    _assert_whole_model(path)


@pytest.mark.parametrize("lang", LANGS)
def test_kill_9_leaves_a_temporary_file_that_the_next_write_sweeps(lang, tmp_path):
    path = tmp_path / "model.h5"
    proc = _start(lang, PY_SAVE if lang == "python" else R_SAVE, path)
    seen, code = _signal_while_writing(proc, tmp_path, signal.SIGKILL)
    assert code == -signal.SIGKILL
    left = _temps(tmp_path)  # nothing can run on SIGKILL: the file may stay (unless the rename won the race)
    _assert_whole_model(path)
    subprocess.run(_command(lang, PY_SWEEP if lang == "python" else R_SWEEP, tmp_path), env=_env(), check=True,
                   timeout=TIMEOUT, capture_output=True)
    assert _temps(tmp_path) == [], f"left after kill -9: {left}; after the sweep: {_temps(tmp_path)}"


@pytest.fixture(scope="module")
def pictures(tmp_path_factory):
    from PIL import Image

    src = tmp_path_factory.mktemp("pictures")
    rng = np.random.default_rng(3)
    for c in ("Cat", "Dog"):
        (src / c).mkdir()
        for i in range(60):
            Image.fromarray((rng.random((200, 200, 3)) * 255).astype(np.uint8)).save(src / c / f"{i}.png")
    return src


@pytest.mark.parametrize("lang", LANGS)
def test_sigterm_during_convert_leaves_no_scratch_file(lang, tmp_path, pictures):
    out = tmp_path / "out"
    out.mkdir()
    dest = out / "images.h5"
    dest.write_text("the previous output\n")
    proc = _start(lang, PY_CONVERT if lang == "python" else R_CONVERT, dest, pictures)
    seen, code = _signal_while_writing(proc, out, signal.SIGTERM)
    assert code != 0
    assert _temps(out) == [], f"left: {_temps(out)} (seen {seen})"
    names = sorted(p.name for p in out.iterdir())
    assert names in (["images.h5"], ["images.h5", "images.h5.report.json"]), names


def _assert_one_run(out):
    """out/ holds the whole output set of one run: model.h5 and costs.csv of the same training."""
    import twinnet

    names = sorted(p.name for p in Path(out).iterdir())
    assert names == ["cost-curve.png", "costs.csv", "decision-boundary.png", "model.h5"], names
    model = twinnet.load_model(out / "model.h5")
    rows = (out / "costs.csv").read_text().splitlines()[1:]
    costs = [float(r.split(",")[1]) for r in rows]
    assert costs == model.costs_["cost"].tolist(), "costs.csv and model.h5 are of two different runs"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_signal_during_train_leaves_one_complete_run_in_out(lang, sig, tmp_path):
    out = tmp_path / "out"
    proc = _start(lang, PY_TRAIN if lang == "python" else R_TRAIN, out)
    seen, code = _signal_while_writing(proc, tmp_path, sig)
    assert any(s.endswith("-out.tmp") for s in seen) or seen, seen
    _assert_one_run(out)
    if sig == signal.SIGTERM:
        assert _temps(tmp_path) == [], _temps(tmp_path)
    subprocess.run(_command(lang, PY_SWEEP if lang == "python" else R_SWEEP, tmp_path), env=_env(), check=True,
                   timeout=TIMEOUT, capture_output=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]

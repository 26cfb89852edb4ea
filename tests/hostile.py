"""The machinery of the hostile-input corpus (tests/test_hostile.py): files to be hostile with,
child processes under a memory cap and a timeout, and what a case expects.

Each case is run in both languages, in child processes (tests/hostile_child.py and
tests/hostile_child.R), one per group and language: a regression that allocates
gigabytes meets the child's address-space cap (RLIMIT_AS, 2 GiB) instead of the
machine, one that hangs meets the per-case alarm and the batch timeout (the case
that was running is named), one that crashes the process (a segfault at exit)
fails the batch's own test.
"""

import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
AS_CAP = 2 * 1024**3
BATCH_TIMEOUT = 240
TEMP_PREFIX = ".twinnet-"


# ------------------------------------------------------------------ the expected memory text

def machine_memory():
    """The machine's memory as contract section 29 defines it (written here from the contract)."""
    total = None
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                total = int(line.split()[1]) * 1024
    try:
        cap = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        if cap.isdigit():
            total = min(total, int(cap))
    except OSError:
        pass
    return total


def limit_text(nbytes):
    """``11.77 GiB``: binary units, 4 significant digits (contract section 29)."""
    units = ["B", "KiB", "MiB", "GiB", "TiB"]
    k = 0
    value = float(nbytes)
    while value >= 1024 and k < len(units) - 1:
        value /= 1024
        k += 1
    return f"{value:.4g} {units[k]}"


def memory_expected(limit_bytes=None):
    limit = limit_bytes if limit_bytes is not None else machine_memory() // 2
    return f"sizes whose memory need fits in twinnet's limit of {limit_text(limit)} (TWINNET_MEMORY_LIMIT)"


# ------------------------------------------------------------------ files to be hostile with

def _png(path, rng, side=12):
    from PIL import Image

    Image.fromarray((rng.random((side, side, 3)) * 255).astype(np.uint8)).save(path)


def _layout(path, m=6, side=4):
    import h5py

    rng = np.random.default_rng(1)
    with h5py.File(path, "w") as f:
        f["train_set_x"] = rng.integers(0, 256, (m, side, side, 3), dtype=np.uint8)
        f["train_set_y"] = np.arange(m) % 2
        f["test_set_x"] = rng.integers(0, 256, (2, side, side, 3), dtype=np.uint8)
        f["test_set_y"] = np.array([0, 1])
        f["list_classes"] = np.array([b"non-cat", b"cat"])


def build(folder):
    """Everything the cases read and write, under ``folder`` (returns it)."""
    import h5py

    import twinnet

    d = Path(folder)
    rng = np.random.default_rng(7)
    (d / "out").mkdir()
    (d / "cli" / "foreign").mkdir(parents=True)
    (d / "cli" / "foreign" / "notes.txt").write_text("the user's own file\n")
    (d / "cli" / "afile").write_text("a file\n")
    (d / "text.h5").write_text("not an HDF5 file\n")
    (d / "empty.h5").write_bytes(b"")
    (d / "folder.h5").mkdir()
    os.mkfifo(d / "fifo.h5")
    os.mkfifo(d / "fifo.jpg")
    os.symlink("/dev/zero", d / "zero.h5")
    os.symlink("/dev/zero", d / "zero.jpg")
    os.symlink(d / "nowhere.h5", d / "broken.h5")
    _layout(d / "layout.h5")
    _layout(d / "big_layout.h5", m=200, side=32)
    shutil.copy(d / "layout.h5", d / "été ß.h5")
    data = (d / "layout.h5").read_bytes()
    (d / "trunc.h5").write_bytes(data[:len(data) // 2])
    with h5py.File(d / "dangle.h5", "w") as f:
        f["x"] = rng.integers(0, 256, (3, 2, 2, 3), dtype=np.uint8)
        f["y_ok"] = np.array([0, 1, 0])
        f["link"] = h5py.SoftLink("/nowhere")
        f.create_group("grp")
    X, Y = twinnet.make_circles(40, seed=1)
    net = twinnet.NeuralNet(hidden_layers=(4,), num_iterations=5).fit(X.T, Y.ravel())
    twinnet.save_model(net, d / "model.h5")
    for name, key, value in (("nan_model.h5", "parameters/W1", np.nan), ("inf_model.h5", "parameters/b1", np.inf)):
        shutil.copy(d / "model.h5", d / name)
        with h5py.File(d / name, "r+") as f:
            a = f[key][()]
            a.flat[0] = value
            f[key][...] = a
    shutil.copy(d / "model.h5", d / "nolayer.h5")
    with h5py.File(d / "nolayer.h5", "r+") as f:
        del f["parameters/W2"]
    shutil.copy(d / "model.h5", d / "danglemodel.h5")
    with h5py.File(d / "danglemodel.h5", "r+") as f:
        del f["parameters/W2"]
        f["parameters/W2"] = h5py.SoftLink("/nowhere")
    model = (d / "model.h5").read_bytes()
    (d / "trunc_model.h5").write_bytes(model[:len(model) - 600])
    _png(d / "img.png", rng)
    for name, classes in (("src_intl", ("Chat été", "Hund ß")), ("src_fifo", ("Cat", "Dog"))):
        for c in classes:
            (d / name / c).mkdir(parents=True)
            for i in range(3):
                _png(d / name / c / f"{i}.png", rng)
    os.mkfifo(d / "src_fifo" / "Cat" / "zz.jpg")
    os.symlink("/dev/zero", d / "src_fifo" / "Dog" / "zero.jpg")
    for name, train in (("cvn_fifo", None), ("cvn_trunc", d / "trunc.h5")):
        (d / name).mkdir()
        shutil.copy(d / "layout.h5", d / name / "test_catvnoncat.h5")
        if train is None:
            os.mkfifo(d / name / "train_catvnoncat.h5")
        else:
            shutil.copy(train, d / name / "train_catvnoncat.h5")
    # what only a process without root's override can be denied (the "priv" batches)
    (d / "denied").mkdir()
    shutil.copy(d / "layout.h5", d / "denied" / "secret.h5")
    shutil.copy(d / "img.png", d / "denied" / "secret.png")
    (d / "denied" / "locked").mkdir()
    (d / "src_denied" / "Cat").mkdir(parents=True)
    (d / "src_denied" / "Dog").mkdir(parents=True)
    for c in ("Cat", "Dog"):
        for i in range(2):
            _png(d / "src_denied" / c / f"{i}.png", rng)
    shutil.copy(d / "img.png", d / "src_denied" / "Cat" / "locked.png")
    (d / "cvn_denied").mkdir()
    for name in ("train_catvnoncat.h5", "test_catvnoncat.h5"):
        shutil.copy(d / "layout.h5", d / "cvn_denied" / name)
    (d / "out_denied").mkdir()
    for path in (d / "denied" / "secret.h5", d / "denied" / "secret.png", d / "src_denied" / "Cat" / "locked.png",
                 d / "cvn_denied" / "train_catvnoncat.h5"):
        path.chmod(0)
    (d / "denied" / "locked").chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)
    for path in [d] + [p for p in d.rglob("*") if p.is_dir() and not p.is_symlink()]:
        if path != d / "denied" / "locked":
            path.chmod(0o777)  # the unprivileged children write here too
    return d


# ------------------------------------------------------------------ small file systems (root only)

class Mounts:
    """A full and a read-only tmpfs under ``folder`` (Linux, root), or the reason there are none."""

    def __init__(self, folder):
        self.full = Path(folder) / "full"
        self.ro = Path(folder) / "ro"
        self.mounted = []
        self.reason = None
        if os.geteuid() != 0:
            self.reason = "not root: no tmpfs can be mounted for the full-disk and read-only cases"
            return
        try:
            for path, size in ((self.full, "128k"), (self.ro, "128k")):
                path.mkdir()
                subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0777", "tmpfs", str(path)],
                               check=True, capture_output=True, timeout=30)
                self.mounted.append(path)
            # fill the first to about 4 KiB short of full
            fd = os.open(self.full / "filler", os.O_WRONLY | os.O_CREAT, 0o666)
            try:
                while os.write(fd, b"\0" * 4096) > 0:
                    pass
            except OSError:
                pass
            finally:
                os.close(fd)
            os.truncate(self.full / "filler", max(0, os.path.getsize(self.full / "filler") - 4096))
            subprocess.run(["mount", "-o", "remount,ro", str(self.ro)], check=True, capture_output=True, timeout=30)
        except (OSError, subprocess.SubprocessError) as exc:
            self.reason = f"cannot mount a tmpfs here ({exc}): the full-disk and read-only cases are skipped"
            self.close()

    def close(self):
        for path in reversed(self.mounted):
            subprocess.run(["umount", "-l", str(path)], capture_output=True, timeout=30)
        self.mounted = []


def priv_prefix():
    """How to run a child that permission bits apply to: nothing (not root), setpriv without
    root's overrides (root), or None (root, and no setpriv)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"]


# ------------------------------------------------------------------ the child processes

def _cap_memory():
    resource.setrlimit(resource.RLIMIT_AS, (AS_CAP, AS_CAP))
    os.setsid()  # a hung child and what it started can be killed as one group


def run_batch(lang, cases, folder, env_extra=None, prefix=()):
    """Run ``cases`` (dicts with id, code, watch, timeout) in a ``lang`` child; returns
    ``(results by id, returncode, stderr, hung case id or None)``."""
    env = dict(os.environ, HOSTILE_DIR=str(folder), OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
               TWINNET_R_LIB=str(ROOT / ".rlib"), LC_ALL="C.UTF-8", LANG="C.UTF-8", PYTHONUTF8="1")
    env.pop("TWINNET_MEMORY_LIMIT", None)
    env.update(env_extra or {})
    if lang == "python":
        cmd = [sys.executable, str(ROOT / "tests" / "hostile_child.py")]
    else:
        cmd = ["Rscript", "--vanilla", str(ROOT / "tests" / "hostile_child.R")]
    proc = subprocess.Popen(list(prefix) + cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, cwd=str(folder), preexec_fn=_cap_memory)
    hung = None
    try:
        out, err = proc.communicate(json.dumps(cases).encode(), timeout=BATCH_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        hung = "?"
    results = {}
    started = None
    for line in out.decode("utf-8", "replace").splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if rec.get("start"):
            started = rec["id"]
        elif "id" in rec:
            results[rec["id"]] = rec
            started = None
    if hung is not None or (started is not None and proc.returncode != 0):
        hung = started
    return results, proc.returncode, err.decode("utf-8", "replace"), hung


def expected_part(message):
    """(argument, expected, got) of a contract-section-12 message."""
    import re

    m = re.match(r"^`([^`]+)`: expected (.*?); got (.+)$", message, re.S)
    assert m, f"not a contract error message: {message!r}"
    return m.group(1), m.group(2), m.group(3)

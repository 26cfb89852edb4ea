"""bench/bench.py: its textbook loop is the contract's, and a tiny run works end to end.

No time is asserted (speed is judged by the benchmark's own report, never by
a test): only that the variants agree and the outputs are written.
"""

import csv
import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np

import twinnet as tn
from helpers import RUN_TOL, assert_close, assert_stable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import cases  # noqa: E402  (bench/cases.py)
import variants  # noqa: E402  (bench/variants.py)


def load_bench():
    spec = importlib.util.spec_from_file_location("twinnet_bench", ROOT / "bench" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_textbook_loop_matches_twinnet():
    X = tn.rng_normal(40 * 15, 3).reshape(40, 15)
    Y = (tn.rng_uniform(15, 4) > 0.5).astype(np.float64).reshape(1, 15)
    dims = [40, 6, 3, 1]
    assert_stable(X, Y, dims, learning_rate=0.05, num_iterations=300)
    p_tb, c_tb = variants.textbook_model(X, Y, dims, 0.05, 300, print_every=50)
    p_tn, h_tn = tn.L_layer_model(X, Y, dims, 0.05, 300, print_every=50, solver="direct")
    assert_close("costs", h_tn["cost"].to_numpy(), np.array(c_tb), RUN_TOL)
    for key in p_tn:
        assert_close(key, p_tn[key], p_tb[key], RUN_TOL)


def test_tiny_run_writes_csv_and_markdown(tmp_path):
    bench = load_bench()
    out_csv, out_md = tmp_path / "b.csv", tmp_path / "b.md"
    status = bench.main(["--cases", "catvnoncat", "--iterations", "5", "--repeats", "1", "--no-r",
                         "--no-torch", "--no-memory", "--quiet", "--data-dir", str(tmp_path / "none"),
                         "--csv", str(out_csv), "--markdown", str(out_md)])
    assert status == 0
    rows = list(csv.DictReader(out_csv.open()))
    training = {r["variant"]: r for r in rows if r["kind"] == "training"}
    # 5 iterations: enough for X^T X to pay for itself, so auto picks gram and gram is run
    assert set(training) == {"textbook", "python-direct", "python-gram"}
    for r in training.values():
        assert float(r["rel_cost_diff_vs_reference"]) <= 1e-8 and r["reference"] == "textbook"
        assert r["iterations"] == "5"
    assert {r["variant"] for r in rows if r["kind"] == "product"} == {"numpy: W1 X", "numpy: dZ1 X^T"}
    text = out_md.read_text()
    assert "random of the cat/non-cat shape" in text and "## Targets" in text
    assert (tmp_path / "b.env.json").is_file()


def test_tiny_minibatch_run_compares_with_twinnet_python(tmp_path, monkeypatch):
    """The mini-batch Adam workload, on 300 examples instead of 21,000: the variants are reported against
    (b), R and PyTorch checked against its cost, scikit-learn (when importable) reported unchecked."""
    monkeypatch.setattr(cases, "LARGE_M", 300)
    bench = load_bench()
    out_csv, out_md = tmp_path / "b.csv", tmp_path / "b.md"
    status = bench.main(["--cases", "minibatch", "--repeats", "1", "--no-r", "--no-torch", "--no-memory",
                         "--quiet", "--csv", str(out_csv), "--markdown", str(out_md)])
    assert status == 0
    rows = [r for r in csv.DictReader(out_csv.open()) if r["kind"] == "training"]
    keys = [r["variant"] for r in rows]
    assert keys[0] == "python-adam" and set(keys) <= {"python-adam", "sklearn-adam"}
    assert all(r["reference"] == "python-adam" and r["iterations"] == "1" for r in rows)
    assert float(rows[0]["rel_cost_diff_vs_reference"]) == 0.0
    text = out_md.read_text()
    assert "1 epoch (" in text and "adam, learning rate 0.001, 5 mini-batches of 64 per epoch" in text
    assert "per epoch ms" in text and "speed-up vs (b)" in text and "Mini-batch workload:" in text
    if "sklearn-adam" in keys:
        assert "minibatch: Python no slower than scikit-learn (e) per epoch" in text


def test_the_minibatch_variants_agree_on_a_small_problem():
    """PyTorch's Adam on twinnet's batches ends where twinnet's does (when torch is importable)."""
    if not variants.torch_available():
        import pytest
        pytest.skip("torch is not importable")
    import torch
    X = tn.rng_normal(30 * 200, 5).reshape(30, 200)
    Y = (tn.rng_uniform(200, 6) > 0.5).astype(np.float64).reshape(1, 200)
    dims = [30, 8, 4, 1]
    _, hist = tn.L_layer_model(X, Y, dims, 0.01, 3, print_every=1, mini_batch_size=64, optimizer="adam")
    Xr, Yr = variants.rows_prepare(X, Y)
    _, costs = variants.torch_minibatch_model(torch.from_numpy(Xr), torch.from_numpy(Yr), dims, 0.01, 3, 64)
    assert_close("costs", np.array(costs), hist["cost"].to_numpy(), 1e-9)


def test_the_script_takes_its_options_from_the_command_line(tmp_path):
    """`python bench/bench.py ...` (a repository script, not an installed command), leading options included."""
    csv_path = tmp_path / "bench.csv"
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "bench.py"), "--no-r", "--no-torch", "--cases",
                           "catvnoncat", "--iterations", "2", "--repeats", "1", "--no-memory", "--quiet", "--csv",
                           str(csv_path)], capture_output=True, text=True, cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert "(a) textbook" in proc.stdout and "(b) twinnet Python, direct" in proc.stdout
    assert "All variants end at the textbook's cost within 1e-8 (relative): yes" in proc.stdout
    assert csv_path.is_file() and csv_path.read_text().count("\n") > 2
    help_ = subprocess.run([sys.executable, str(ROOT / "bench" / "bench.py"), "--help"], capture_output=True, text=True)
    assert "usage: bench.py" in help_.stdout

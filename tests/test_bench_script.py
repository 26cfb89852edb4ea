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
    # every product of one iteration, per solver run: the direct path's 11 ([12288, 20, 7, 5, 1]: W_l A_(l-1) and
    # dZ_l A_(l-1)^T for l = 1..4, W_l^T dZ_l for l = 2..4) and the gram path's 10 (dZ1 G for W1 A0 and dZ1 A0^T)
    products = {r["variant"] for r in rows if r["kind"] == "product"}
    assert {"numpy direct: W1 A0", "numpy direct: dZ1 A0^T", "numpy gram: dZ1 G", "numpy gram: W2^T dZ2"} <= products
    assert len(products) == 21 and "numpy gram: W1 A0" not in products and "numpy direct: W1^T dZ1" not in products
    for r in training.values():  # the limit (their sum) and the marginal time: twinnet's variants only
        assert (r["limit_ms"] == "") == (r["marginal_ms"] == "") == (r["variant"] == "textbook")
    limit = sum(float(r["median_s"]) for r in rows if r["kind"] == "product" and r["solver"] == "gram")
    assert abs(float(training["python-gram"]["limit_ms"]) - 1e3 * limit) <= 1e-3 * 1e3 * limit
    text = out_md.read_text()
    assert "random of the cat/non-cat shape" in text and "## Targets" in text
    assert "## One iteration against its limit, and R against Python" in text
    assert "catvnoncat: Python (gram) per iteration within 2x of its limit" in text
    assert (tmp_path / "b.env.json").is_file()


def test_the_circles_demo_is_a_case(tmp_path):
    """The demo's circles (cli.py's defaults: [2, 16, 8, 1], 0.05, 1000 points of seed 1), direct, with its limit."""
    case = cases.make_case("circles", 5000, None)
    X, Y = tn.make_circles(1000, seed=1)
    assert np.array_equal(case.X, X) and np.array_equal(case.Y, Y)
    assert case.dims == [2, 16, 8, 1] and case.lr == 0.05
    bench = load_bench()
    out_csv = tmp_path / "c.csv"
    status = bench.main(["--cases", "circles", "--circles-iterations", "20", "--repeats", "1", "--no-r", "--no-torch",
                         "--no-memory", "--quiet", "--csv", str(out_csv)])
    assert status == 0
    rows = list(csv.DictReader(out_csv.open()))
    assert {r["variant"] for r in rows if r["kind"] == "training"} == {"textbook", "python-direct"}
    assert len([r for r in rows if r["kind"] == "product"]) == 8  # 3 forward, 3 dW, 2 dA


def test_iteration_products_by_hand():
    """[n_x, 5, 1]: direct W1 A0, W2 A1, dZ2 A1^T, W2^T dZ2, dZ1 A0^T; gram replaces W1 A0 and dZ1 A0^T by dZ1 G."""
    assert [k for k, *_ in cases.iteration_products([30, 5, 1], "direct")] == [
        "W1 A0", "W2 A1", "dZ2 A1^T", "W2^T dZ2", "dZ1 A0^T"]
    assert [k for k, *_ in cases.iteration_products([30, 5, 1], "gram")] == ["dZ1 G", "W2 A1", "dZ2 A1^T", "W2^T dZ2"]
    assert cases.product_flops([30, 5, 1], 12, "dZ G", 1) == 2 * 5 * 12 * 12
    assert cases.product_flops([30, 5, 1], 12, "W A", 1) == 2 * 5 * 30 * 12


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

"""README.md is a true front page: short, its two commands first, its examples run and print what it says.

The bash commands (`bash scripts/demo.sh`, `bash scripts/test.sh`) are
`twinnet compare` (tests/test_cli.py runs it) and this suite; the demo output
shown is checked against the library here, to the contract's tolerance for
the costs (their last digits depend on the machine's BLAS) and exactly for
the accuracies.
"""

import re
import shutil
import subprocess
import sys

import pytest
from helpers import ROOT, RUN_TOL, assert_close

import twinnet

README = ROOT / "README.md"
TEXT = README.read_text()
BLOCKS = re.findall(r"^```(\w*)\n(.*?)^```$", TEXT, re.M | re.S)


def block(lang):
    found = [code for kind, code in BLOCKS if kind == lang]
    assert len(found) == 1, f"expected one {lang} block"
    return found[0]


def printed_comments(code):
    """The values the comments promise for the lines that print: `print(...)  # 0.976` -> ["0.976"]."""
    return re.findall(r"^print\(.*#\s*([0-9.]+)\s*$", code, re.M)


def test_a_front_page_of_at_most_8_kb_that_starts_with_the_two_commands():
    assert len(TEXT.encode("utf-8")) <= 8192
    title, first = TEXT.split("\n\n")[:2]
    assert title == "# twinnet" and first.startswith("```bash\n")  # right under the title
    assert [line.split("#")[0].strip() for line in BLOCKS[0][1].strip().splitlines()] == \
        ["bash scripts/demo.sh", "bash scripts/test.sh"]


def test_the_links_lead_somewhere():
    for target in re.findall(r"\]\(([^)#]+)\)", TEXT):
        assert (ROOT / target).exists(), target


def test_the_python_example_prints_what_it_says(tmp_path):
    code = block("python")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert proc.returncode == 0, proc.stderr
    promised = printed_comments(code)
    assert promised and proc.stdout.split()[-len(promised):] == promised


@pytest.mark.r
def test_the_r_example_prints_what_it_says(r, tmp_path):
    code = block("r")
    lib = r.lib or ""
    proc = subprocess.run([shutil.which("Rscript"), "-e", f'if (nzchar("{lib}")) .libPaths(c("{lib}", .libPaths()))',
                           "-e", code], capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert proc.returncode == 0, proc.stderr
    promised = printed_comments(code)
    assert promised and proc.stdout.split()[-len(promised):] == promised


def test_the_demo_output_is_the_library_s():
    shown = next(code for kind, code in BLOCKS if kind == "" and code.startswith("circles:"))
    rows = [line.split() for line in shown.splitlines() if re.match(r"^\s+\d+\s", line)]
    X, Y = twinnet.make_circles(1000, seed=1)
    Xt, Yt = twinnet.make_circles(500, seed=2)
    params, costs = twinnet.L_layer_model(X, Y, [2, 16, 8, 1], learning_rate=0.05, num_iterations=5000, seed=1,
                                          print_every=500)
    by_iteration = dict(zip(costs["iteration"], costs["cost"]))
    assert len(rows) >= 4
    for it, py, r, _ in rows:
        assert_close(f"Python cost at {it}", by_iteration[int(it)], float(py), tol=RUN_TOL)
        assert_close(f"R cost at {it}", by_iteration[int(it)], float(r), tol=RUN_TOL)
    acc = twinnet.accuracy(X, Y, params), twinnet.accuracy(Xt, Yt, params)
    assert f"train accuracy: Python {acc[0]:.4f}   R {acc[0]:.4f}" in shown
    assert f"test accuracy: Python {acc[1]:.4f}   R {acc[1]:.4f}" in shown
    assert float(re.search(r"largest relative cost difference: (\S+)", shown).group(1)) <= 1e-9
    assert "predictions identical: yes" in shown

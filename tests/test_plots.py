"""Plots: the cost curve and the decision boundary, in Python (matplotlib) and R (base graphics).

Each written file is opened and checked to be a real, non-empty PNG picture
(tests/pngcheck.py); bad arguments are refused with the same expectation in
both languages.
"""

import sys

import numpy as np
import pytest
from pngcheck import check_png

from twinnet import L_layer_model, make_circles, plot_costs, plot_decision_boundary
from twinnet.rbridge import RError

pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def trained():
    X, Y = make_circles(300, seed=1)
    params, costs = L_layer_model(X, Y, [2, 8, 1], learning_rate=0.5, num_iterations=600, print_every=20)
    return X, Y, params, costs


@pytest.mark.parametrize("log_scale", [False, True])
def test_cost_curve_png(trained, tmp_path, log_scale):
    _, _, _, costs = trained
    path = plot_costs(costs, str(tmp_path / "cost.png"), log_scale=log_scale)
    assert path == str(tmp_path / "cost.png")
    check_png(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cost.png"]  # no temporary left


def test_decision_boundary_png(trained, tmp_path):
    X, Y, params, _ = trained
    check_png(plot_decision_boundary(X, Y, params, "relu", str(tmp_path / "b.png")))


def test_decision_boundary_shows_both_regions(trained, tmp_path):
    X, Y, params, _ = trained
    from pngcheck import _pixels
    pixels = _pixels(plot_decision_boundary(X, Y, params, "relu", str(tmp_path / "b.png")))
    colours = {tuple(c) for c in pixels.reshape(-1, pixels.shape[-1])[:, :3]}
    # the two region colours of twinnet.plots (#c6dbef class 0, #fcd5c7 class 1) both appear
    assert (0xC6, 0xDB, 0xEF) in colours and (0xFC, 0xD5, 0xC7) in colours


def test_without_a_path_a_figure_is_returned(trained):
    import matplotlib.pyplot as plt
    _, _, _, costs = trained
    fig = plot_costs(costs)
    assert fig.axes[0].get_xlabel() == "iteration"
    plt.close(fig)


BAD = [
    (lambda t, p: plot_costs({"iteration": [0, 1], "cost": [0.5, 0.0]}, log_scale=True), ValueError,
     "`costs`: expected positive costs for a log scale; got 1 cost(s) <= 0"),
    (lambda t, p: plot_costs([1, 2, 3]), TypeError, "`costs`: expected a table with the columns iteration and cost"),
    (lambda t, p: plot_costs(t[3], log_scale="yes"), TypeError, "`log_scale`: expected TRUE/True or FALSE/False"),
    (lambda t, p: plot_costs(t[3], str(p / "no" / "c.png")), ValueError,
     "`path`: expected a file path in an existing folder"),
    (lambda t, p: plot_decision_boundary(np.vstack([t[0], t[0][:1]]), t[1], t[2], "relu"), ValueError,
     "`X`: expected 2 rows (points in the plane, one column per example); got 3 rows"),
    (lambda t, p: plot_decision_boundary(t[0], t[1], t[2], "swish"), ValueError, "`hidden_activation`: expected one of"),
]


@pytest.mark.parametrize("case", range(len(BAD)))
def test_bad_arguments(trained, tmp_path, case):
    fn, kind, message = BAD[case]
    with pytest.raises(kind) as info:
        fn(trained, tmp_path)
    assert str(info.value).startswith(message), str(info.value)


def test_missing_matplotlib_gives_the_install_command(trained, tmp_path, monkeypatch):
    _, _, _, costs = trained
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"pip install '\.\[plot\]'"):
        plot_costs(costs, str(tmp_path / "c.png"))
    assert not (tmp_path / "c.png").exists()


# ------------------------------------------------------------------ R's base graphics

@pytest.mark.r
@pytest.mark.parametrize("log_scale", [False, True])
def test_R_cost_curve_png(r, trained, tmp_path, log_scale):
    _, _, _, costs = trained
    path = str(tmp_path / "r-cost.png")
    assert r.plot_costs(costs, path, log_scale=log_scale) == path
    check_png(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r-cost.png"]


@pytest.mark.r
def test_R_decision_boundary_png(r, trained, tmp_path):
    X, Y, params, _ = trained
    path = str(tmp_path / "r-b.png")
    r.plot_decision_boundary(X, Y, params, "relu", path)
    check_png(path)


@pytest.mark.r
def test_R_refuses_the_same_arguments(r, trained):
    X, Y, params, costs = trained
    cases = [
        (lambda: r.plot_costs({"iteration": [0, 1], "cost": [0.5, 0.0]}, log_scale=True),
         lambda: plot_costs({"iteration": [0, 1], "cost": [0.5, 0.0]}, log_scale=True)),
        (lambda: r.plot_decision_boundary(np.vstack([X, X[:1]]), Y, params, "relu"),
         lambda: plot_decision_boundary(np.vstack([X, X[:1]]), Y, params, "relu")),
        (lambda: r.plot_costs(costs, log_scale="yes"), lambda: plot_costs(costs, log_scale="yes")),
    ]
    for rfn, pyfn in cases:
        with pytest.raises(RError) as rinfo:
            rfn()
        with pytest.raises((ValueError, TypeError)) as pinfo:
            pyfn()
        assert rinfo.value.message.split("; got")[0] == str(pinfo.value).split("; got")[0]

"""Pictures: the cost curve and the decision boundary of 2-D data (twin of ``R/plots.R``).

matplotlib is an optional extra (``pip install '.[plot]'`` from a checkout): it is
imported when a plot is drawn, and its absence is reported with the command
that installs it. The R twin draws the same pictures with base graphics.

With ``path=None`` a function returns the matplotlib Figure (to show or
adjust); with a path it writes a PNG there (to a temporary file in the same
folder, then renamed) and returns the path.
"""


import numpy as np

from .atomic import atomic_write
from .files import OUTPUT_EXPECTED, check_output_path
from .activations import ACTIVATIONS
from .model import predict_proba
from .validate import (
    check_choice,
    check_flag,
    check_labels,
    check_matrix,
    check_parameters,
    describe,
    input_error,
)

#: Colours of class 0 and class 1 (points) and of their regions.
POINT_COLOURS = ("#1f5fa8", "#c8402a")
REGION_COLOURS = ("#c6dbef", "#fcd5c7")
GRID_SIZE = 300
#: The room a PNG file is given before it is drawn (a full disk is then reported before drawing).
PNG_ROOM = 256 * 1024


def _matplotlib():
    try:
        import matplotlib  # noqa: F401
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError("twinnet's plots need matplotlib, an optional extra: "
                          "pip install matplotlib (from a checkout: pip install '.[plot]')") from None
    return Figure


def _new_figure(path):
    Figure = _matplotlib()
    if path is None:
        import matplotlib.pyplot as plt
        fig = plt.figure(figsize=(6.4, 4.8))
    else:
        fig = Figure(figsize=(6.4, 4.8))  # no pyplot: works without a display, leaves no global state
    return fig, fig.add_subplot(1, 1, 1)


def _finish(fig, path):
    if path is None:
        return fig
    return atomic_write(path, lambda tmp: fig.savefig(tmp, format="png", dpi=100), "path", OUTPUT_EXPECTED, nbytes=PNG_ROOM)


def _costs_columns(costs):
    expected = "a table with the columns iteration and cost (as costs_ or L_layer_model's history)"
    try:
        it = np.asarray(costs["iteration"], dtype=np.float64)
        cost = np.asarray(costs["cost"], dtype=np.float64)
    except (KeyError, TypeError, ValueError, IndexError):
        raise input_error("costs", expected, describe(costs), TypeError) from None
    if it.ndim != 1 or cost.shape != it.shape or it.size == 0:
        raise input_error("costs", expected, f"columns of {it.size} and {cost.size} values")
    if not (np.all(np.isfinite(it)) and np.all(np.isfinite(cost))):
        raise input_error("costs", "finite values (no NaN or Inf)", "non-finite value(s)")
    return it, cost


def plot_costs(costs, path=None, log_scale=False):
    """The cost curve: cost against iteration.

    Parameters
    ----------
    costs : DataFrame (or mapping) with the columns ``iteration`` and ``cost``
        E.g. ``NeuralNet.costs_`` or the history ``L_layer_model`` returns.
    path : str or None, default None
        Where to write a PNG; None returns the Figure instead.
    log_scale : bool, default False
        A logarithmic cost axis (the costs must then be positive).
    """
    it, cost = _costs_columns(costs)
    log_scale = check_flag(log_scale, "log_scale")
    if log_scale and np.any(cost <= 0):
        raise input_error("costs", "positive costs for a log scale", f"{int(np.sum(cost <= 0))} cost(s) <= 0")
    path = None if path is None else check_output_path(path)
    fig, ax = _new_figure(path)
    ax.plot(it, cost, color=POINT_COLOURS[0], linewidth=2, marker="o" if it.size <= 30 else None, markersize=4)
    if log_scale:
        ax.set_yscale("log")
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost (cross-entropy)" + (", log scale" if log_scale else ""))
    ax.set_title("Cost during training")
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    return _finish(fig, path)


def plot_decision_boundary(X, Y, parameters, hidden_activation, path=None):
    """The points of 2-D data coloured by label over the regions the network assigns to each class.

    Parameters
    ----------
    X : ndarray of shape (2, m)
        The points, one column per example (the core's layout).
    Y : ndarray of shape (1, m)
        Labels in {0, 1}.
    parameters : dict
        ``W1, b1, ..., WL, bL`` of a network with 2 inputs.
    hidden_activation : {"relu", "tanh", "sigmoid", "leaky_relu"}
    path : str or None, default None
        Where to write a PNG; None returns the Figure instead.
    """
    X = check_matrix(X, "X")
    if X.shape[0] != 2:
        raise input_error("X", "2 rows (points in the plane, one column per example)", f"{X.shape[0]} rows")
    Y = check_labels(Y, X.shape[1])
    check_parameters(parameters, n_x=2)
    check_choice(hidden_activation, tuple(ACTIVATIONS), "hidden_activation")
    path = None if path is None else check_output_path(path)
    lo, hi = X.min(axis=1), X.max(axis=1)
    pad = np.where(hi > lo, 0.1 * (hi - lo), 1.0)
    gx = np.linspace(lo[0] - pad[0], hi[0] + pad[0], GRID_SIZE)
    gy = np.linspace(lo[1] - pad[1], hi[1] + pad[1], GRID_SIZE)
    xx, yy = np.meshgrid(gx, gy)
    grid = np.vstack([xx.ravel(), yy.ravel()])
    P = predict_proba(grid, parameters, hidden_activation).reshape(xx.shape)
    fig, ax = _new_figure(path)
    ax.contourf(xx, yy, P, levels=[0.0, 0.5, 1.0], colors=list(REGION_COLOURS))
    if P.min() < 0.5 < P.max():
        ax.contour(xx, yy, P, levels=[0.5], colors="black", linewidths=1)
    for k in (0, 1):
        sel = Y[0] == k
        ax.scatter(X[0, sel], X[1, sel], s=10, color=POINT_COLOURS[k], label=f"class {k}", edgecolors="none")
    ax.set_xlim(gx[0], gx[-1])
    ax.set_ylim(gy[0], gy[-1])
    ax.set_aspect("equal")
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    ax.set_title("Decision boundary (P = 0.5)")
    ax.legend(loc="upper right", fontsize="small")
    fig.tight_layout()
    return _finish(fig, path)


__all__ = ["plot_costs", "plot_decision_boundary"]

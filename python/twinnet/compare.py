"""Train the same network in Python and in R from the same seed, side by side.

The headline demo: ``python -m twinnet.compare`` (what ``bash scripts/demo.sh``
runs) trains on the built-in circles in both languages and prints the two
cost histories, their largest relative difference, both accuracies and
whether every prediction agrees. Harness, like :mod:`twinnet.rbridge`: it
needs R and rpy2, and has no R twin.
"""

import argparse
import os
import sys
import time

import numpy as np

from .data import load_catvnoncat
from .datasets import make_circles
from .model import COURSE_MODELS, L_layer_model, accuracy, course_models, predict_class, predict_proba

#: The demo's configuration. The learning rate is the largest at which the cost of
#: this network goes down at every step (0.1 and 0.2 reach the same accuracy sooner
#: but with spikes in the cost: unstable runs amplify rounding, contract section 13).
DEMO = dict(layer_dims=[2, 16, 8, 1], learning_rate=0.05, num_iterations=5000, seed=1,
            hidden_activation="relu", scheme="xavier", print_every=500)


def compare_training(X, Y, r=None, X_test=None, Y_test=None, **config):
    """Run ``L_layer_model`` in both languages; return a dict of what was compared.

    Keys: ``python`` and ``r`` (each with ``costs``, ``parameters``,
    ``seconds``, ``train_accuracy`` and, with test data, ``test_accuracy``),
    ``max_rel_cost_diff`` (max|a - b| / max|a| over the cost history),
    ``max_rel_proba_diff`` and ``predictions_agree``.
    """
    if r is None:
        from .rbridge import RTwin
        r = RTwin()
    act = config.get("hidden_activation", "relu")
    out = {}
    for lang in ("python", "r"):
        t0 = time.perf_counter()
        if lang == "python":
            params, costs = L_layer_model(X, Y, **config)
        else:
            fit = r.L_layer_model(X, Y, **config)
            params, costs = fit["parameters"], fit["costs"]
        seconds = time.perf_counter() - t0
        res = {"parameters": params, "costs": costs, "seconds": seconds,
               "train_accuracy": accuracy(X, Y, params, act)}
        if X_test is not None:
            res["test_accuracy"] = accuracy(X_test, Y_test, params, act)
        out[lang] = res
    a = out["python"]["costs"]["cost"].to_numpy()
    b = out["r"]["costs"]["cost"].to_numpy()
    out["max_rel_cost_diff"] = float(np.max(np.abs(a - b)) / np.max(np.abs(a)))
    Xs = X if X_test is None else np.hstack([X, X_test])
    pa = predict_proba(Xs, out["python"]["parameters"], act)
    pb = r.predict_proba(Xs, out["r"]["parameters"], act)
    out["max_rel_proba_diff"] = float(np.max(np.abs(pa - pb)) / np.max(np.abs(pa)))
    out["predictions_agree"] = bool(np.array_equal(predict_class(Xs, out["python"]["parameters"], act),
                                                   r.predict_class(Xs, out["r"]["parameters"], act)))
    return out


def compare_course(folder, r=None, num_iterations=2500):
    """The application notebook's two models (``COURSE_MODELS``) in both languages, side by side.

    Runs :func:`~twinnet.course_models` in Python and its R twin on the cat /
    non-cat files in ``folder``. Returns a dict: ``python`` and ``r`` (what
    each ``course_models`` returned, plus ``seconds``), and per model
    (``"two_layer"``, ``"four_layer"``) ``max_rel_cost_diff`` (max|a - b| /
    max|a| over the cost history) and ``predictions_agree`` (train and test).
    The notebook's published costs and accuracies are in
    ``fixtures/course-*.json``.
    """
    if r is None:
        from .rbridge import RTwin
        r = RTwin()
    out = {}
    for lang in ("python", "r"):
        t0 = time.perf_counter()
        fits = (course_models(folder, num_iterations) if lang == "python"
                else r.course_models(os.fspath(folder), num_iterations))
        out[lang] = dict(fits, seconds=time.perf_counter() - t0)
    train_X, _, test_X, _, _ = load_catvnoncat(folder)
    Xs = np.hstack([train_X, test_X])
    out["max_rel_cost_diff"], out["predictions_agree"] = {}, {}
    for name in COURSE_MODELS:
        a = out["python"][name]["costs"]["cost"].to_numpy()
        b = out["r"][name]["costs"]["cost"].to_numpy()
        out["max_rel_cost_diff"][name] = float(np.max(np.abs(a - b)) / np.max(np.abs(a)))
        out["predictions_agree"][name] = bool(np.array_equal(predict_class(Xs, out["python"][name]["parameters"]),
                                                             r.predict_class(Xs, out["r"][name]["parameters"])))
    return out


def format_comparison(result):
    """The side-by-side table as text."""
    py, rr = result["python"], result["r"]
    lines = [f"{'iteration':>9}  {'cost (Python)':>22}  {'cost (R)':>22}  {'rel. diff':>9}"]
    for it, a, b in zip(py["costs"]["iteration"], py["costs"]["cost"], rr["costs"]["cost"]):
        lines.append(f"{int(it):>9}  {a:>22.17g}  {b:>22.17g}  {abs(a - b) / abs(a):>9.1e}")
    lines.append(f"largest relative cost difference: {result['max_rel_cost_diff']:.2e} (contract: <= 1e-9)")
    for key, label in (("train_accuracy", "train accuracy"), ("test_accuracy", "test accuracy")):
        if key in py:
            lines.append(f"{label}: Python {py[key]:.4f}   R {rr[key]:.4f}")
    lines.append(f"predictions identical: {'yes' if result['predictions_agree'] else 'NO'}"
                 f" (largest relative probability difference {result['max_rel_proba_diff']:.2e})")
    lines.append(f"time: Python {py['seconds']:.2f} s   R {rr['seconds']:.2f} s")
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m twinnet.compare", description=__doc__.splitlines()[0])
    p.add_argument("--n-samples", type=int, default=1000)
    p.add_argument("--seed", type=int, default=DEMO["seed"])
    p.add_argument("--iterations", type=int, default=DEMO["num_iterations"])
    args = p.parse_args(argv)
    X, Y = make_circles(args.n_samples, seed=args.seed)
    X_test, Y_test = make_circles(args.n_samples // 2, seed=args.seed + 1)
    config = dict(DEMO, seed=args.seed, num_iterations=args.iterations)
    print(f"circles: {args.n_samples} training points, {args.n_samples // 2} test points; "
          f"layers {config['layer_dims']}, {config['hidden_activation']}, {config['scheme']} init, "
          f"learning rate {config['learning_rate']}, {config['num_iterations']} iterations, seed {config['seed']}")
    result = compare_training(X, Y, X_test=X_test, Y_test=Y_test, **config)
    print(format_comparison(result))
    ok = result["max_rel_cost_diff"] <= 1e-9 and result["predictions_agree"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

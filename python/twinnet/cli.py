"""The ``twinnet`` command line (also ``python -m twinnet``).

Harness, like :mod:`twinnet.rbridge` and :mod:`twinnet.compare`: it has no R
twin function by function; R users have ``scripts/twinnet.R`` (train and
predict, same model files). Subcommands:

    twinnet train     train on circles, a cat/non-cat folder or file, or an image folder
                      (--lang python|r); write model.h5, costs.csv and PNGs to --out
    twinnet predict   class and probability for images, an HDF5 file or a CSV of features
    twinnet compare   train in Python and in R from one seed, print both cost histories
    twinnet fixtures  regenerate (or --check) the fixture set with scripts/make_fixtures.py
    twinnet bench     run the benchmark, scripts/bench.py (its arguments follow)
    twinnet convert   an image folder (one subfolder per class) to one HDF5 file

Exit codes: 0 success, 2 bad arguments or input (one line on stderr, no
traceback), 1 anything else (e.g. R unavailable, a disagreement in compare).
Python training needs neither R nor rpy2; ``--lang r`` and ``compare`` do.
"""

import argparse
import importlib
import inspect
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from .atomic import atomic_write
from .validate import check_count, check_positive_finite, check_seed

ROOT = Path(__file__).resolve().parents[2]
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp")
HDF5_EXTENSIONS = (".h5", ".hdf5", ".hdf")

#: Defaults per data set: the demo's configuration for circles (as twinnet.compare),
#: the seed experiment's (NeuralNet's defaults) for images.
CIRCLES_DEFAULTS = dict(hidden_layers=(16, 8), learning_rate=0.05, num_iterations=5000, print_every=500)
IMAGE_DEFAULTS = dict(hidden_layers=(20, 7, 5), learning_rate=0.0075, num_iterations=2500, print_every=100)


class UsageError(Exception):
    """Bad command-line arguments (exit code 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(f"{self.prog}: {message}")


# ---------------------------------------------------------------- helpers

def _optional(name, needed_for):
    """twinnet.<name>, or an ImportError saying which feature needs it."""
    try:
        return importlib.import_module(f"twinnet.{name}")
    except ImportError as exc:
        if exc.name != f"twinnet.{name}":
            raise
        raise ImportError(f"{needed_for} needs the module twinnet.{name}, which this installation "
                          f"of twinnet does not have") from None


def _layers(text):
    text = text.strip()
    if text.lower() in ("", "none", "-"):
        return ()
    try:
        sizes = tuple(int(v) for v in text.replace(" ", "").split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated hidden layer sizes such as 20,7,5; got {text!r}") from None
    if any(s < 1 for s in sizes):
        raise argparse.ArgumentTypeError(f"expected layer sizes >= 1; got {text!r}")
    return sizes


def _cli_type(parse, check):
    """An argparse type: ``parse`` the text, then apply the library's own ``check`` (validate.py),
    so the command line refuses exactly what the library refuses, in the same words."""
    def convert(text):
        try:
            value = parse(text)
        except ValueError:
            value = text  # not a number: `check` refuses it
        try:
            return check(value, "value")
        except (ValueError, TypeError) as exc:
            expected = str(exc).split(": expected ", 1)[1].rsplit("; got ", 1)[0]
            raise argparse.ArgumentTypeError(f"expected {expected}; got {text!r}") from None

    return convert


_positive_int = _cli_type(int, check_count)
_seed = _cli_type(int, check_seed)
_positive_float = _cli_type(float, check_positive_finite)


def _atomic_write_text(path, text):
    def write(tmp):
        with open(tmp, "w", newline="") as f:
            f.write(text)

    atomic_write(path, write)


def _costs_csv(costs):
    lines = ["iteration,cost"] + [f"{int(i)},{float(c)!r}" for i, c in zip(costs["iteration"], costs["cost"])]
    return "\n".join(lines) + "\n"


def _unpack_xy(out):
    if isinstance(out, dict):
        return out["X"], out["Y"]
    return out[0], out[1]


def _read_classes(path):
    import h5py
    with h5py.File(path, "r") as f:
        if "list_classes" not in f:
            return None
        return [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in f["list_classes"][()]]


def _load_h5_file(path):
    """A file in the cat/non-cat layout (train_set_x, train_set_y, test_set_x, test_set_y, list_classes)."""
    data = _optional("data", "reading an HDF5 data file")
    X, Y = _unpack_xy(data.load_h5_dataset(path, "train_set_x", "train_set_y"))
    Xt, Yt = _unpack_xy(data.load_h5_dataset(path, "test_set_x", "test_set_y"))
    return X, Y, Xt, Yt, _read_classes(path)


def _check_h5_keys(path, keys):
    import h5py
    if not _is_hdf5(path):
        raise ValueError(f"`inputs`: expected an HDF5 file in the cat/non-cat layout; got '{path}', not HDF5")
    with h5py.File(path, "r") as f:
        missing = [k for k in keys if k not in f]
    if missing:
        raise ValueError(f"`inputs`: expected an HDF5 file with the datasets {', '.join(keys)} (the cat/non-cat "
                         f"layout); got '{path}' without {', '.join(missing)}")


def _is_hdf5(path):
    with open(path, "rb") as f:
        return f.read(8) == b"\x89HDF\r\n\x1a\n"


def load_data(spec, n_samples=1000, seed=1, size=64, workdir=None):
    """The training and test data for ``--data``: a dict with name, X, Y, X_test, Y_test, classes, defaults.

    X is n_x x m (the core's layout). ``spec`` is "circles", a cat/non-cat
    folder (train_catvnoncat.h5 and test_catvnoncat.h5), an HDF5 file in that
    layout, or an image folder with one subfolder per class (converted with
    twinnet.images.convert_image_folder into ``workdir``).
    """
    from .datasets import make_circles
    if spec == "circles":
        X, Y = make_circles(n_samples, seed=seed)
        Xt, Yt = make_circles(n_samples // 2, seed=seed + 1)
        return dict(name="circles", X=X, Y=Y, X_test=Xt, Y_test=Yt, classes=None, defaults=CIRCLES_DEFAULTS)
    path = Path(spec)
    if not path.exists():
        raise FileNotFoundError(f'`--data`: expected "circles", a cat/non-cat folder, an HDF5 file or an image '
                                f"folder; got '{spec}' (no such file or folder)")
    if path.is_dir():
        if (path / "train_catvnoncat.h5").is_file() and (path / "test_catvnoncat.h5").is_file():
            data = _optional("data", "reading a cat/non-cat folder")
            X, Y, Xt, Yt, classes = data.load_catvnoncat(str(path))
            classes = [c.decode("utf-8") if isinstance(c, bytes) else str(c) for c in classes]
        elif any(p.is_dir() for p in path.iterdir()):
            images = _optional("images", "training on an image folder")
            dest = Path(workdir or tempfile.mkdtemp(prefix="twinnet-")) / "images.h5"
            print(f"converting the image folder {path} to {size}x{size} pixels ...", file=sys.stderr)
            images.convert_image_folder(str(path), str(dest), size=size)
            X, Y, Xt, Yt, classes = _load_h5_file(str(dest))
        else:
            raise ValueError(f"`--data`: expected a folder holding train_catvnoncat.h5 and test_catvnoncat.h5, "
                             f"or one subfolder of images per class; got '{spec}'")
    else:
        if not _is_hdf5(path):
            raise ValueError(f"`--data`: expected an HDF5 file in the cat/non-cat layout; got '{spec}', not HDF5")
        X, Y, Xt, Yt, classes = _load_h5_file(str(path))
    return dict(name=str(spec), X=np.asarray(X, dtype=np.float64), Y=np.asarray(Y).reshape(1, -1),
                X_test=np.asarray(Xt, dtype=np.float64), Y_test=np.asarray(Yt).reshape(1, -1),
                classes=classes, defaults=IMAGE_DEFAULTS)


def _labels(Y, classes):
    """0/1 labels as the estimator's y: numbers, or a Categorical of the class names in label order."""
    codes = np.asarray(Y).ravel().astype(np.int64)
    if classes is None:
        return codes
    import pandas as pd
    return pd.Categorical.from_codes(codes, categories=list(classes))


def _config(args, defaults):
    return dict(
        hidden_layers=args.layers if args.layers is not None else defaults["hidden_layers"],
        hidden_activation=args.activation,
        init=args.init,
        learning_rate=args.learning_rate if args.learning_rate is not None else defaults["learning_rate"],
        num_iterations=args.iterations if args.iterations is not None else defaults["num_iterations"],
        seed=args.seed,
        print_every=args.print_every if args.print_every is not None else defaults["print_every"],
    )


def _describe_run(d, cfg, lang):
    X = d["X"]
    dims = [X.shape[0], *cfg["hidden_layers"], 1]
    return (f"data: {d['name']}: {X.shape[1]} training and {d['X_test'].shape[1]} test examples, "
            f"{X.shape[0]} features\n"
            f"network: {'-'.join(map(str, dims))}, {cfg['hidden_activation']} hidden layers, {cfg['init']} init, "
            f"learning rate {cfg['learning_rate']:g}, {cfg['num_iterations']} iterations, seed {cfg['seed']} "
            f"({'R' if lang == 'r' else 'Python'})")


def _r_console_to_stderr():
    try:
        from rpy2.rinterface_lib import callbacks
    except ImportError:
        return
    callbacks.consolewrite_warnerror = lambda s: (sys.stderr.write(s), sys.stderr.flush())


# ---------------------------------------------------------------- train

_R_TRAIN = """(function(x, y, classes, x_test, y_test, hidden_layers, hidden_activation, init, learning_rate,
                num_iterations, seed, print_every, model_path, cost_png, boundary_png, callback) {
  lab <- function(v) if (is.null(classes)) as.numeric(v) else factor(classes[v + 1], levels = classes)
  fit <- twinnet::neural_net(x, lab(y), hidden_layers = hidden_layers, hidden_activation = hidden_activation,
                             init = init, learning_rate = learning_rate, num_iterations = num_iterations,
                             seed = seed, print_every = print_every, callback = callback)
  acc <- function(xx, yy) mean(as.character(stats::predict(fit, xx)) == as.character(lab(yy)))
  twinnet::save_model(fit, model_path)
  twinnet::plot_costs(fit$costs, cost_png)
  if (!is.null(boundary_png)) {
    twinnet::plot_decision_boundary(t(x), matrix(y, nrow = 1), fit$parameters, hidden_activation, boundary_png)
  }
  list(costs = fit$costs, train_accuracy = acc(x, y), test_accuracy = acc(x_test, y_test))
})"""


def cmd_train(args):
    from ._progress import ProgressLine
    from .estimator import check_hidden_layers
    out = Path(args.out)
    with tempfile.TemporaryDirectory(prefix="twinnet-") as work:
        d = load_data(args.data, n_samples=args.n_samples, seed=args.seed, size=args.size, workdir=work)
        cfg = _config(args, d["defaults"])
        check_hidden_layers(cfg["hidden_layers"])
        print(_describe_run(d, cfg, args.lang))
        sys.stdout.flush()
        out.mkdir(parents=True, exist_ok=True)
        model_path, csv_path = out / "model.h5", out / "costs.csv"
        cost_png, boundary_png = out / "cost-curve.png", out / "decision-boundary.png"
        two_d = d["X"].shape[0] == 2
        progress = ProgressLine(cfg["num_iterations"], mode=args.progress)
        written = [model_path, csv_path]
        if args.lang == "python":
            from .estimator import NeuralNet
            from .modelio import save_model
            y, y_test = _labels(d["Y"], d["classes"]), _labels(d["Y_test"], d["classes"])
            net = NeuralNet(**cfg)
            try:
                net.fit(d["X"].T, y, callback=progress)
            finally:
                progress.close()
            costs = net.costs_
            train_acc, test_acc = net.score(d["X"].T, y), net.score(d["X_test"].T, y_test)
            save_model(net, str(model_path))
            try:
                from .plots import plot_costs, plot_decision_boundary
                plot_costs(costs, str(cost_png))
                written.append(cost_png)
                if two_d:
                    plot_decision_boundary(d["X"], d["Y"], net.parameters_, cfg["hidden_activation"], str(boundary_png))
                    written.append(boundary_png)
            except ImportError as exc:
                print(f"twinnet train: no PNG written: {exc}", file=sys.stderr)
        else:
            from .rbridge import RTwin
            r = RTwin()  # RUnavailable, with the reason, when R, rpy2 or the R package is missing
            import rpy2.rinterface as ri
            _r_console_to_stderr()

            @ri.rternalize
            def callback(i, cost):
                progress(int(i[0]), float(cost[0]))
                return ri.IntSexpVector([0])

            try:
                res = r.call(_R_TRAIN, d["X"].T, d["Y"].ravel().astype(np.float64), d["classes"],
                             d["X_test"].T, d["Y_test"].ravel().astype(np.float64),
                             np.asarray(cfg["hidden_layers"], dtype=np.int32), cfg["hidden_activation"], cfg["init"],
                             float(cfg["learning_rate"]), int(cfg["num_iterations"]), int(cfg["seed"]),
                             int(cfg["print_every"]), str(model_path), str(cost_png),
                             str(boundary_png) if two_d else None, callback)
            finally:
                progress.close()
            costs = res["costs"]
            train_acc, test_acc = res["train_accuracy"], res["test_accuracy"]
            written += [cost_png] + ([boundary_png] if two_d else [])
        _atomic_write_text(str(csv_path), _costs_csv(costs))
    print(f"final cost: {float(costs['cost'].iloc[-1]):.6g}")
    print(f"train accuracy: {train_acc:.4f}")
    print(f"test accuracy: {test_acc:.4f}")
    print("wrote " + ", ".join(str(p) for p in written))
    return 0


# ---------------------------------------------------------------- predict

def _image_size(n_x):
    s = int(round(math.sqrt(n_x / 3)))
    if s < 1 or 3 * s * s != n_x:
        raise ValueError(f"`model`: expected a model trained on square RGB images (n_x = 3 * size^2) to predict "
                         f"images; got a model with n_x = {n_x}")
    return s


def _predict_image(images, path, model):
    fn = images.predict_image
    params = inspect.signature(fn).parameters
    kwargs = {}
    if "hidden_activation" in params:
        kwargs["hidden_activation"] = model.hidden_activation
    for name in ("size", "num_px"):
        if name in params:
            kwargs[name] = _image_size(model.n_features_in_)
    out = fn(path, model.parameters_, **kwargs)
    if isinstance(out, dict):
        p = out.get("probability", out.get("proba"))
        c = out.get("class", out.get("label"))
    else:
        p, c = out[0], out[1]
    p = float(np.asarray(p).reshape(-1)[0])
    c = int(np.asarray(c).reshape(-1)[0]) if np.asarray(c).dtype.kind in "biuf" else int(p > 0.5)
    return p, c


def cmd_predict(args):
    from .modelio import load_model
    model = load_model(args.model)
    classes = [str(c) for c in model.classes_]
    rows = []  # (name, class index, probability of classes_[1], true class index or None)
    for item in args.inputs:
        path = Path(item)
        if not path.is_file():
            raise FileNotFoundError(f"`inputs`: expected image, HDF5 or CSV files; got '{item}' (no such file)")
        suffix = path.suffix.lower()
        if suffix == ".csv":
            import pandas as pd
            X = pd.read_csv(path)
            P = model.predict_proba(X)[:, 1]
            rows += [(f"{item}[{k + 1}]", int(p > 0.5), float(p), None) for k, p in enumerate(P)]
        elif suffix in HDF5_EXTENSIONS or _is_hdf5(path):
            _check_h5_keys(path, [f"{args.set}_set_x", f"{args.set}_set_y"])
            data = _optional("data", "predicting an HDF5 data file")
            X, Y = _unpack_xy(data.load_h5_dataset(str(path), f"{args.set}_set_x", f"{args.set}_set_y"))
            P = model.predict_proba(np.asarray(X, dtype=np.float64).T)[:, 1]
            Y = np.asarray(Y).ravel()
            rows += [(f"{item}:{args.set}[{k}]", int(p > 0.5), float(p), int(Y[k])) for k, p in enumerate(P)]
        elif suffix in IMAGE_EXTENSIONS:
            images = _optional("images", "predicting an image")
            p, c = _predict_image(images, str(path), model)
            rows.append((item, c, p, None))
        else:
            raise ValueError(f"`inputs`: expected image ({', '.join(IMAGE_EXTENSIONS)}), HDF5 or CSV files; "
                             f"got '{item}'")
    width = max(len("input"), *(len(r[0]) for r in rows))
    cw = max(len("class"), *(len(c) for c in classes))
    print(f"{'input':<{width}}  {'class':<{cw}}  P({classes[1]})")
    for name, c, p, _ in rows:
        print(f"{name:<{width}}  {classes[c]:<{cw}}  {p:.6f}")
    labelled = [(c, t) for _, c, _, t in rows if t is not None]
    if labelled:
        acc = np.mean([c == t for c, t in labelled])
        print(f"accuracy on the {len(labelled)} labelled examples: {acc:.4f}")
    return 0


# ---------------------------------------------------------------- compare

def cmd_compare(args):
    from .compare import compare_training, format_comparison
    from .estimator import check_hidden_layers
    with tempfile.TemporaryDirectory(prefix="twinnet-") as work:
        d = load_data(args.data, n_samples=args.n_samples, seed=args.seed, size=args.size, workdir=work)
    cfg = _config(args, d["defaults"])
    hidden = check_hidden_layers(cfg["hidden_layers"])
    X, Y = d["X"], d["Y"]
    config = dict(layer_dims=[X.shape[0], *hidden, 1], learning_rate=cfg["learning_rate"],
                  num_iterations=cfg["num_iterations"], seed=cfg["seed"],
                  hidden_activation=cfg["hidden_activation"], scheme=cfg["init"], print_every=cfg["print_every"])
    if d["name"] == "circles":  # word for word the header of python -m twinnet.compare
        print(f"circles: {X.shape[1]} training points, {d['X_test'].shape[1]} test points; "
              f"layers {config['layer_dims']}, {config['hidden_activation']}, {config['scheme']} init, "
              f"learning rate {config['learning_rate']}, {config['num_iterations']} iterations, seed {config['seed']}")
    else:
        print(f"{d['name']}: {X.shape[1]} training and {d['X_test'].shape[1]} test examples, {X.shape[0]} features; "
              f"layers {config['layer_dims']}, {config['hidden_activation']}, {config['scheme']} init, "
              f"learning rate {config['learning_rate']}, {config['num_iterations']} iterations, seed {config['seed']}")
    sys.stdout.flush()
    _r_console_to_stderr()
    result = compare_training(X, Y.astype(np.float64), X_test=d["X_test"], Y_test=d["Y_test"].astype(np.float64),
                              **config)
    print(format_comparison(result))
    ok = result["max_rel_cost_diff"] <= 1e-9 and result["predictions_agree"]
    if not ok:
        print("twinnet compare: Python and R disagree beyond the contract's tolerances "
              "(costs <= 1e-9 relative, identical predictions)", file=sys.stderr)
    return 0 if ok else 1


# ---------------------------------------------------------------- fixtures, convert

def cmd_fixtures(args):
    script = ROOT / "scripts" / "make_fixtures.py"
    if not script.is_file():
        raise FileNotFoundError(f"`fixtures`: expected the script {script}; got no such file (this command "
                                f"runs the repository's scripts/make_fixtures.py: it needs a source checkout)")
    cmd = [sys.executable, str(script)]
    if args.out is not None:
        cmd += ["--out", args.out]
    if args.check:
        cmd.append("--check")
    return subprocess.call(cmd, cwd=str(ROOT))


def cmd_bench(args):
    script = ROOT / "scripts" / "bench.py"
    if not script.is_file():
        raise FileNotFoundError(f"`bench`: expected the script {script}; got no such file (this command "
                                f"runs the repository's scripts/bench.py: it needs a source checkout)")
    return subprocess.call([sys.executable, str(script)] + list(args.bench_args), cwd=str(ROOT))


def cmd_convert(args):
    src = Path(args.src)
    if not src.is_dir():
        raise FileNotFoundError(f"`SRC`: expected a folder with one subfolder of images per class; "
                                f"got '{args.src}' (no such folder)")
    images = _optional("images", "twinnet convert")
    report = images.convert_image_folder(str(src), args.dest, size=args.size)
    if isinstance(report, str):
        print(report)
    print(f"wrote {args.dest}")
    return 0


# ---------------------------------------------------------------- parser, main

def _add_model_options(p):
    p.add_argument("--data", default="circles",
                   help='"circles" (default), a cat/non-cat folder, an HDF5 file in that layout, or an image folder')
    p.add_argument("--layers", type=_layers, default=None,
                   help="hidden layer sizes, comma-separated (default 16,8 on circles, 20,7,5 otherwise; "
                        "'none' for logistic regression)")
    p.add_argument("--activation", default="relu", choices=["relu", "tanh", "sigmoid", "leaky_relu"],
                   help="hidden activation (default relu)")
    p.add_argument("--init", default="xavier", choices=["xavier", "he", "scaled", "standard"],
                   help="initialisation scheme (default xavier)")
    p.add_argument("--learning-rate", type=_positive_float, default=None,
                   help="default 0.05 on circles, 0.0075 otherwise")
    p.add_argument("--iterations", type=_positive_int, default=None, help="default 5000 on circles, 2500 otherwise")
    p.add_argument("--seed", type=_seed, default=1, help="seed of the initial parameters (and of circles); default 1")
    p.add_argument("--print-every", type=_positive_int, default=None,
                   help="record the cost every N iterations (default 500 on circles, 100 otherwise)")
    p.add_argument("--n-samples", type=_positive_int, default=1000,
                   help="circles: training points (the test set has half as many); default 1000")
    p.add_argument("--size", type=_positive_int, default=64, help="image folders: side in pixels (default 64)")


def build_parser():
    parser = _Parser(prog="twinnet", description="twinnet: one neural network in Python and R, from the command line.")
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser("train", help="train a network and write the model, cost history and pictures")
    _add_model_options(p)
    p.add_argument("--lang", choices=["python", "r"], default="python", help="train in Python (default) or in R")
    p.add_argument("--out", default="out", help="folder for model.h5, costs.csv and the PNGs (default out/)")
    p.add_argument("--progress", choices=["auto", "always", "never"], default="auto",
                   help="progress line on stderr: auto (runs longer than a second), always, never")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("predict", help="class and probability for images, an HDF5 file or a CSV file")
    p.add_argument("model", help="a model file (from twinnet train, save_model in Python or R)")
    p.add_argument("inputs", nargs="+", help="image files, HDF5 files in the cat/non-cat layout, or CSV files "
                                              "of features (one row per example, with a header)")
    p.add_argument("--set", choices=["test", "train"], default="test", help="HDF5 inputs: which set (default test)")
    p.set_defaults(func=cmd_predict)

    p = sub.add_parser("compare", help="train in Python and in R from one seed and compare (needs R)")
    _add_model_options(p)
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("fixtures", help="regenerate or verify the fixture set (scripts/make_fixtures.py)")
    p.add_argument("--check", action="store_true", help="only verify: exit 0 when fresh, 1 when stale")
    p.add_argument("--out", default=None, help="write into this folder instead of fixtures/")
    p.set_defaults(func=cmd_fixtures)

    p = sub.add_parser("bench", help="run the benchmark (scripts/bench.py; arguments go to it, e.g. --quick)")
    p.add_argument("bench_args", nargs=argparse.REMAINDER, help="arguments for scripts/bench.py")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("convert", help="convert an image folder (one subfolder per class) to an HDF5 file")
    p.add_argument("src", metavar="SRC", help="folder with one subfolder of images per class")
    p.add_argument("dest", metavar="DEST", help="the HDF5 file to write")
    p.add_argument("--size", type=_positive_int, default=64, help="side of the square images in pixels (default 64)")
    p.set_defaults(func=cmd_convert)
    return parser


def _version():
    from . import __version__
    return f"twinnet {__version__}"


def _one_line(exc):
    text = str(exc).strip() or type(exc).__name__
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def main(argv=None):
    """Run the command line; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv[:1] == ["bench"]:
            # Everything after "bench" belongs to scripts/bench.py, options included
            # (argparse's REMAINDER would reject a leading "--quick").
            return cmd_bench(argparse.Namespace(bench_args=argv[1:]))
        args = build_parser().parse_args(argv)
        return args.func(args)
    except SystemExit as exc:  # --help, --version
        return exc.code if isinstance(exc.code, int) else 0
    except UsageError as exc:
        print(f"{_one_line(exc)} (see --help)", file=sys.stderr)
        return 2
    except (ValueError, TypeError, FileNotFoundError, NotADirectoryError, IsADirectoryError) as exc:
        print(f"twinnet: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("twinnet: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 -- the last resort: one line, exit code 1
        try:
            from .rbridge import RError
            if isinstance(exc, RError) and "twinnet_input_error" in exc.classes:
                print(f"twinnet: error (R): {_one_line(exc)}", file=sys.stderr)
                return 2
        except ImportError:
            pass
        print(f"twinnet: error: {type(exc).__name__}: {_one_line(exc)}", file=sys.stderr)
        if os.environ.get("TWINNET_DEBUG"):
            raise
        return 1


if __name__ == "__main__":
    sys.exit(main())

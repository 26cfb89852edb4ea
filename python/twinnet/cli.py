"""The ``twinnet`` command line (also ``python -m twinnet``); twin of ``R/cli.R``.

    twinnet train     train on circles, a cat/non-cat folder, an HDF5 file or an image folder and
                      write model.h5, costs.csv and PNGs to --out (--lang r: R's command line trains)
    twinnet predict   class and probability for images, an HDF5 file or a CSV file of features
    twinnet compare   train here and through R's command line from one seed, compare the two runs
    twinnet convert   an image folder (one subfolder per class) to one HDF5 file

R's command line, ``twinnet::cli_main()`` (``Rscript scripts/twinnet.R`` in a checkout), takes the
same arguments and prints the same text; each runs the other for ``train --lang`` and ``compare``.
Exit codes: 0 success, 2 bad arguments or input (one line on stderr, no traceback), 1 anything else
(e.g. R unavailable, a disagreement in compare), 130 interrupted. Python training needs neither R
nor rpy2; ``--lang r`` and ``compare`` need R and the R package (never rpy2).
"""

import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

from ._progress import format_progress
from .activations import ACTIVATIONS
from . import files
from .atomic import TEMP_PATTERN, atomic_write_text, create_temp_folder, discard_temp, swap_folder
from .data import CATVNONCAT_FILES, load_dataset, load_h5_dataset
from .images import predict_image
from .initialize import INIT_SCHEMES
from .modelio import load_model, save_model
from .files import FileFault, check_folder, check_path
from .optimizers import DECAYS, OPTIMIZERS
from .rng import STREAMS
from .validate import (check_count, check_decay_factor, check_initial_parameters, check_nonnegative,
                       check_positive_finite, check_seed, input_error)

#: This command line's language, and the names the output gives the two.
LANGUAGE = "python"
LANGUAGES = {"python": "Python", "r": "R"}

#: The defaults of train and compare that depend on the data: the demo's configuration on circles,
#: the cat/non-cat experiment's on every other data set.
DATA_DEFAULTS = {
    "circles": {"hidden_layers": (16, 8), "learning_rate": 0.05, "num_iterations": 5000, "print_every": 500},
    "images": {"hidden_layers": (20, 7, 5), "learning_rate": 0.0075, "num_iterations": 2500, "print_every": 100},
}
#: The options whose default depends on the data, and the configuration entry they set.
PER_DATA = {"layers": "hidden_layers", "learning-rate": "learning_rate", "iterations": "num_iterations",
            "print-every": "print_every"}

#: Options: (name, metavar, kind, default, help); kind is "text", "layers", "count", "seed", "rate",
#: "nonnegative", "beta", "numbers" (comma-separated), "batch" (a count or none) or the tuple of the values
#: allowed. A default of None is the data's (DATA_DEFAULTS), or none (mini-batch-size).
MODEL_OPTIONS = [
    ("data", "DATA", "text", "circles",
     '"circles", a cat/non-cat folder, an HDF5 file in that layout or an image folder'),
    ("layers", "SIZES", "layers", None, "hidden layer sizes, comma-separated, or none (logistic regression)"),
    ("activation", "NAME", tuple(ACTIVATIONS), "relu", "activation of the hidden layers"),
    ("init", "SCHEME", tuple(INIT_SCHEMES), "xavier", "initialisation scheme"),
    ("learning-rate", "RATE", "rate", None, "learning rate"),
    ("iterations", "N", "count", None, "iterations of gradient descent (epochs, with mini-batches)"),
    ("seed", "SEED", "seed", 1, "seed of the initial parameters (and of circles)"),
    ("stream", "STREAM", STREAMS, "portable", "the seed's random stream: twinnet's portable one or numpy's legacy one"),
    ("print-every", "N", "count", None, "record the cost every N iterations"),
    ("n-samples", "N", "count", 1000, "circles: training points (the test set has half as many)"),
    ("size", "PIXELS", "count", 64, "image folders: side of the square images"),
]
#: The course's improvements (docs/contract.md section 36): each is NeuralNet's parameter of the same name,
#: with "_" for "-"; "none" is None.
TRAINING_OPTIONS = [
    ("lambd", "LAMBD", "nonnegative", 0.0, "L2 regularisation strength"),
    ("keep-prob", "P", "numbers", 1.0, "dropout: the probability of keeping a hidden unit, one value or one per "
                                       "hidden layer, comma-separated"),
    ("mini-batch-size", "N", "batch", None, "mini-batches of N examples, reshuffled every epoch, or none (the full "
                                            "batch)"),
    ("optimizer", "NAME", OPTIMIZERS, "gd", "the optimiser"),
    ("beta", "BETA", "beta", 0.9, "momentum's beta"),
    ("beta1", "BETA", "beta", 0.9, "Adam's beta1"),
    ("beta2", "BETA", "beta", 0.999, "Adam's beta2"),
    ("epsilon", "EPS", "rate", 1e-8, "Adam's epsilon"),
    ("decay", "NAME", ("none",) + DECAYS, "none", "learning-rate decay per epoch"),
    ("decay-rate", "RATE", "nonnegative", 1.0, "the decay's rate"),
    ("time-interval", "N", "count", 1000, "schedule_lr_decay: epochs between two falls of the learning rate"),
    ("mini-batch-seed", "SEED", "seed", 10, "seed of the mini-batches (advanced once per epoch)"),
    ("dropout-seed", "SEED", "seed", 1, "seed of the dropout masks"),
]
MODEL_OPTIONS += TRAINING_OPTIONS
TRAIN_OPTIONS = MODEL_OPTIONS + [
    ("lang", "LANG", tuple(LANGUAGES), LANGUAGE, "train in Python or in R"),
    ("out", "FOLDER", "text", "out", "folder for model.h5, costs.csv and the PNGs"),
    ("progress", "WHEN", ("auto", "always", "never"), "auto",
     "when to show a progress line on stderr (auto: for runs longer than a second)"),
    ("init-from", "MODEL", "text", None, "a model file to train from instead of drawing the initial parameters "
                                         "(--layers defaults to the model's)"),
]
#: compare --course: the application notebook's two models on a cat/non-cat folder (COURSE_MODELS).
COURSE_OPTION = ("course", "DATA", "text", None, "a cat/non-cat folder: train the course notebook's two models "
                                                 "and print the notebook's costs beside both languages' "
                                                 "(of the other options only --iterations applies)")
COURSE_EXPECTED = "a folder holding " + " and ".join(CATVNONCAT_FILES)
#: Commands: name -> (summary, positional arguments as (name, metavar, many, help), options).
COMMANDS = {
    "train": ("train a network and write the model, the cost history and pictures", [], TRAIN_OPTIONS),
    "predict": ("class and probability for images, an HDF5 file or a CSV file", [
        ("model", "MODEL", False, "a model file (twinnet train, save_model in Python or R)"),
        ("inputs", "INPUT", True, "image files, HDF5 files in the cat/non-cat layout, or CSV files of features "
                                  "(one row per example, with a header)"),
    ], [("set", "SET", ("test", "train"), "test", "HDF5 inputs: which set")]),
    "compare": ("train in Python and in R from one seed and compare the two runs (needs R)", [],
                MODEL_OPTIONS + [COURSE_OPTION]),
    "convert": ("convert an image folder (one subfolder per class) to an HDF5 file", [
        ("src", "SRC", False, "a folder with one subfolder of images per class"),
        ("dest", "DEST", False, "the HDF5 file to write"),
    ], [("size", "PIXELS", "count", 64, "side of the square images")]),
}
#: What train writes into --out: the whole set is swapped in at once (atomic.swap_folder).
OUTPUT_SET = ("model.h5", "costs.csv", "cost-curve.png", "decision-boundary.png")
OUT_EXPECTED = ("a folder to write the output to: a new one, or one that holds only a previous run's "
                + ", ".join(OUTPUT_SET))
#: The library's arguments that are options of the command line (a message naming one names the option).
OPTION_OF = {"hidden_layers": "layers", "learning_rate": "learning-rate", "num_iterations": "iterations",
             "print_every": "print-every", "n_samples": "n-samples", "seed": "seed", "size": "size", "spec": "data",
             "path": "data", "folder": "data"}
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg")
HDF5_EXTENSIONS = (".h5", ".hdf5", ".hdf")
INT_TEXT = r"^[+-]?[0-9]+$"
NUMBER_TEXT = r"^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$"


class UsageError(Exception):
    """Bad command-line arguments (exit code 2), found while reading them for ``prog``."""

    def __init__(self, prog, message):
        super().__init__(message)
        self.prog = prog


# ---------------------------------------------------------------- reading the arguments

def _shown(value):
    """A default as the help shows it: 16,8 for layer sizes, %g for numbers."""
    if value is None:
        return "none"
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value) or "none"
    return value if isinstance(value, str) else f"{value:g}"


def _default_text(option):
    name, _, _, default, _ = option
    if name in PER_DATA:
        key = PER_DATA[name]
        return (f"{_shown(DATA_DEFAULTS['circles'][key])} on circles, "
                f"{_shown(DATA_DEFAULTS['images'][key])} otherwise")
    if name == "lang":
        return "this command line's language"
    return _shown(default)


def _help_text(command=None):
    """The text of --help, for twinnet or one of its commands."""
    if command is None:
        lines = ["usage: twinnet [--version] [--help] COMMAND [options]", "",
                 "twinnet: one neural network in Python and R, from the command line.", "", "commands:"]
        lines += [f"  {name:<9} {spec[0]}" for name, spec in COMMANDS.items()]
        lines += ["", "twinnet COMMAND --help lists the options of a command.",
                  "Exit codes: 0 success, 2 bad arguments or input, 1 anything else."]
        return "\n".join(lines)
    summary, positionals, options = COMMANDS[command]
    usage = f"usage: twinnet {command} [options]"
    for _, metavar, many, _ in positionals:
        usage += f" {metavar}" + (f" [{metavar} ...]" if many else "")
    lines = [usage, "", summary]
    if positionals:
        lines += ["", "arguments:"] + [f"  {metavar:<22} {help_}" for _, metavar, _, help_ in positionals]
    lines += ["", "options:"]
    for option in options:
        name, metavar, kind, _, help_ = option
        if isinstance(kind, tuple):
            help_ += "; one of: " + ", ".join(kind)
        lines.append(f"  {'--' + name + ' ' + metavar:<22} {help_} (default: {_default_text(option)})")
    lines.append(f"  {'--help':<22} this text")
    return "\n".join(lines)


def _expected_text(exc):
    """The "expected ..." part of a contract error message (docs/contract.md section 12)."""
    return re.sub(r"^`[^`]*`: (expected .*); got .*$", r"\1", str(exc), flags=re.S)


def _parse_layers(text, prog):
    words = text.replace(" ", "").split(",")
    if text.strip().lower() in ("", "none", "-"):
        return ()
    from .estimator import check_hidden_layers  # here: the estimator may bring scikit-learn

    if not all(re.match(INT_TEXT, w) for w in words):
        raise UsageError(prog, f"argument --layers: expected comma-separated hidden layer sizes such as 20,7,5; "
                               f"got '{text}'")
    try:
        return check_hidden_layers([int(w) for w in words], "--layers")
    except (ValueError, TypeError) as exc:
        raise UsageError(prog, f"argument --layers: {_expected_text(exc)}; got '{text}'") from None


def _convert_option(option, text, prog):
    """The value of an option from its text, checked by the library's own checks (validate.py)."""
    name, _, kind, _, _ = option
    if isinstance(kind, tuple):
        if text not in kind:
            choices = ", ".join(f"'{c}'" for c in kind)
            raise UsageError(prog, f"argument --{name}: invalid choice: '{text}' (choose from {choices})")
        return text
    if kind == "text":
        return text
    if kind == "layers":
        return _parse_layers(text, prog)
    if kind == "numbers":  # keep_prob: checked (against the layers) when training
        words = text.replace(" ", "").split(",")
        if not all(re.match(NUMBER_TEXT, w) for w in words):
            raise UsageError(prog, f"argument --{name}: expected comma-separated numbers such as 0.8,0.5; "
                                   f"got '{text}'")
        return float(words[0]) if len(words) == 1 else tuple(float(w) for w in words)
    if kind == "batch" and text.strip().lower() == "none":
        return None
    if kind in ("rate", "nonnegative", "beta"):
        value = float(text) if re.match(NUMBER_TEXT, text) else text
        check = {"rate": check_positive_finite, "nonnegative": check_nonnegative, "beta": check_decay_factor}[kind]
    else:
        value = int(text) if re.match(INT_TEXT, text) else text
        check = check_seed if kind == "seed" else check_count
    try:
        return check(value, "--" + name)
    except (ValueError, TypeError) as exc:
        raise UsageError(prog, f"argument --{name}: {_expected_text(exc)}; got '{text}'") from None


def _parse_args(argv):
    """``(command, options)`` from the arguments after ``twinnet``; command "help" or "version" with the text."""
    if not argv:
        raise UsageError("twinnet", "the following arguments are required: COMMAND")
    command = argv[0]
    if command in ("-h", "--help"):
        return "help", _help_text()
    if command == "--version":
        from . import __version__
        return "version", f"twinnet {__version__}"
    if command not in COMMANDS:
        if command.startswith("-"):
            raise UsageError("twinnet", f"unrecognized arguments: {command}")
        choices = ", ".join(f"'{c}'" for c in COMMANDS)
        raise UsageError("twinnet", f"argument COMMAND: invalid choice: '{command}' (choose from {choices})")
    prog = f"twinnet {command}"
    _, positionals, options = COMMANDS[command]
    by_name = {option[0]: option for option in options}
    opts = {option[0]: option[3] for option in options}
    words, unknown = [], []
    i = 1
    while i < len(argv):
        arg = argv[i]
        if arg in ("-h", "--help"):
            return "help", _help_text(command)
        if arg == "--":
            words += argv[i + 1:]
            break
        if arg.startswith("--"):
            name, eq, text = arg[2:].partition("=")
            if name not in by_name:
                unknown.append(arg)
            else:
                if not eq:
                    if i + 1 == len(argv) or argv[i + 1].startswith("--"):
                        raise UsageError(prog, f"argument --{name}: expected one argument")
                    i += 1
                    text = argv[i]
                opts[name] = _convert_option(by_name[name], text, prog)
        elif re.match(r"^-[^0-9.]", arg):
            unknown.append(arg)
        else:
            words.append(arg)
        i += 1
    missing = [p[0] for k, p in enumerate(positionals) if k >= len(words)]
    if missing:
        raise UsageError(prog, "the following arguments are required: " + ", ".join(missing))
    for k, (name, _, many, _) in enumerate(positionals):
        opts[name] = words[k:] if many else words[k]
    if not (positionals and positionals[-1][2]):
        unknown += words[len(positionals):]
    if unknown:
        raise UsageError("twinnet", "unrecognized arguments: " + " ".join(unknown))
    return command, opts


def _option_args(opts, options):
    """The arguments that give ``options`` the values in ``opts`` (those that are set), read back exactly."""
    args = []
    for name, _, kind, _, _ in options:
        value = opts[name]
        if value is not None:
            if kind == "layers":
                text = ",".join(str(v) for v in value) or "none"
            elif kind == "numbers" and isinstance(value, tuple):
                text = ",".join(repr(v) for v in value)
            else:
                text = repr(value) if isinstance(value, float) else str(value)
            args += [f"--{name}", text]
    return args


# ---------------------------------------------------------------- the other language

def _other_cli(args, capture=False):
    """Run R's command line with ``args``: ``.returncode``, ``.stdout`` and ``.stderr`` (None unless captured)."""
    from .rbridge import default_r_lib

    rscript = shutil.which("Rscript")
    if rscript is None:
        raise RuntimeError("the R command line needs R: Rscript is not on the PATH")
    env = dict(os.environ)
    lib = default_r_lib()
    if lib is not None:
        env["TWINNET_R_LIB"] = lib
    code = ('lib <- Sys.getenv("TWINNET_R_LIB"); if (nzchar(lib)) .libPaths(c(lib, .libPaths())); '
            'if (!requireNamespace("twinnet", quietly = TRUE)) { message("twinnet: error: the R package twinnet '
            'is not installed (R CMD INSTALL . from a checkout, or set TWINNET_R_LIB)"); quit(status = 1) }; '
            'quit(status = twinnet::cli_main(), save = "no")')
    sys.stdout.flush()
    return subprocess.run([rscript, "-e", code, *args], env=env, capture_output=capture, text=True)


# ---------------------------------------------------------------- train, compare

def _label_vector(Y, classes):
    """0/1 labels as the estimator's y: numbers, or a Categorical of the class names in label order."""
    codes = np.asarray(Y).ravel().astype(np.int64)
    if classes is None:
        return codes
    import pandas as pd
    return pd.Categorical.from_codes(codes, categories=list(classes))


def _load_cli_data(opts):
    """The data of ``--data`` and the training configuration (the data's defaults where not given)."""
    data = load_dataset(opts["data"], opts["n-samples"], opts["seed"], opts["size"], verbose=True,
                        stream=opts["stream"])
    defaults = DATA_DEFAULTS["circles" if opts["data"] == "circles" else "images"]
    config = dict(hidden_activation=opts["activation"], init=opts["init"], seed=opts["seed"], stream=opts["stream"])
    for name, key in PER_DATA.items():
        config[key] = defaults[key] if opts[name] is None else opts[name]
    for name, *_ in TRAINING_OPTIONS:
        config[name.replace("-", "_")] = None if opts[name] == "none" else opts[name]
    if opts.get("init-from") is not None:  # train --init-from: the model's parameters, checked as the library does
        start = _start_model(opts["init-from"])
        if opts["layers"] is None:
            config["hidden_layers"] = tuple(start.layer_dims_[1:-1])
        config["parameters"] = check_initial_parameters(start.parameters_, _network_dims(data, config), "--init-from")
    return data, config


def _start_model(path):
    """The model of ``--init-from``; a refusal of its file names the option (not ``--data``, the library's path)."""
    try:
        return load_model(path)
    except ValueError as exc:
        raise ValueError(re.sub(r"^`path`:", "`--init-from`:", _one_line(exc))) from None


def _fit_network(data, config, callback=None):
    """The network ``train`` and ``compare`` train, and its training time in seconds."""
    from .estimator import NeuralNet  # here: the estimator may bring scikit-learn

    train_X, train_Y, _, _, classes = data
    config = dict(config)
    parameters = config.pop("parameters", None)
    net = NeuralNet(**config, warm_start=parameters is not None)
    if parameters is not None:  # scikit-learn's warm start: a second fit starts from parameters_
        net.parameters_ = parameters
    t0 = time.perf_counter()
    net.fit(train_X.T, _label_vector(train_Y, classes), callback=callback)
    return net, time.perf_counter() - t0


def _score(net, X, Y, classes):
    return net.score(X.T, _label_vector(Y, classes))


def _costs_csv(costs):
    return "iteration,cost\n" + "".join(f"{int(i)},{float(c):.17g}\n" for i, c in zip(costs["iteration"],
                                                                                     costs["cost"]))


def _network_dims(data, config):
    return [data[0].shape[0], *config["hidden_layers"], 1]


def _cmd_train(opts):
    if opts["lang"] != LANGUAGE:
        others = [option for option in TRAIN_OPTIONS if option[0] != "lang"]
        return _other_cli(["train", *_option_args(opts, others)]).returncode
    data, config = _load_cli_data(opts)
    train_X, train_Y, test_X, test_Y, classes = data
    print(f"data: {opts['data']}: {train_X.shape[1]} training and {test_X.shape[1]} test examples, "
          f"{train_X.shape[0]} features")
    print(f"network: {'-'.join(map(str, _network_dims(data, config)))}, {config['hidden_activation']} hidden layers, "
          f"{config['init']} init, learning rate {config['learning_rate']:g}, {config['num_iterations']} "
          f"iterations, {_start_text(opts, config)} ({LANGUAGES[LANGUAGE]})", flush=True)
    out = _check_out(opts["out"])
    progress = _ProgressDisplay(config["num_iterations"], opts["progress"])
    try:
        net, seconds = _fit_network(data, config, progress)
    finally:
        progress.close()
    written = _write_output(out, net, data, config)
    print(f"final cost: {float(net.costs_['cost'].iloc[-1]):.6g}")
    print(f"time: {seconds:.2f} s")
    print(f"train accuracy: {_score(net, train_X, train_Y, classes):.4f}")
    print(f"test accuracy: {_score(net, test_X, test_Y, classes):.4f}")
    print("wrote " + ", ".join(written))
    return 0


def _start_text(opts, config):
    """Where the initial parameters come from, for the "network:" line: seed 1, seed 1 (numpy stream), a model."""
    if opts.get("init-from") is not None:
        return f"initial parameters from {opts['init-from']}"
    return f"seed {config['seed']}" + ("" if config["stream"] == STREAMS[0] else f" ({config['stream']} stream)")


def _check_out(out):
    """The --out folder: one that can be made, or that holds only a previous run (OUTPUT_SET) and
    twinnet's temporary files; its parent folders are made. Returns the path, without a final slash."""
    out = out.rstrip("/") or "/"
    kind, _ = files._path_kind(out)
    if kind == "folder":
        try:
            others = sorted(e for e in os.listdir(out) if e not in OUTPUT_SET and not TEMP_PATTERN.match(e))
        except OSError as exc:
            raise files.os_fault("--out", OUT_EXPECTED, out, exc) from None
        if others:
            shown = ", ".join(others[:5]) + (f", ... ({len(others)} in all)" if len(others) > 5 else "")
            raise input_error("--out", OUT_EXPECTED, f"'{out}', which holds {shown}")
    elif kind == "broken_link":
        raise files.fault("--out", OUT_EXPECTED, out, "broken link")
    elif kind != "missing":
        raise files.fault("--out", OUT_EXPECTED, out, "not a folder")
    parent = os.path.dirname(os.path.abspath(out))
    above = parent
    while files._path_kind(above)[0] == "missing" and os.path.dirname(above) != above:
        above = os.path.dirname(above)
    if files._path_kind(above)[0] != "folder":
        raise files.fault("--out", OUT_EXPECTED, out, f"{above} is not a folder")
    try:
        os.makedirs(parent, exist_ok=True)
    except OSError as exc:
        raise files.os_fault("--out", OUT_EXPECTED, out, exc) from None
    return out


def _write_output(out, net, data, config):
    """model.h5, costs.csv and the pictures, written into a temporary folder swapped in for ``out``
    (so that ``out`` always holds one complete run); returns the paths as they end up."""
    train_X, train_Y = data[0], data[1]
    work = create_temp_folder(out, "--out", OUT_EXPECTED)
    names = ["model.h5", "costs.csv"]
    try:
        save_model(net, os.path.join(work, "model.h5"))
        atomic_write_text(os.path.join(work, "costs.csv"), _costs_csv(net.costs_))
        try:
            from .plots import plot_costs, plot_decision_boundary
            plot_costs(net.costs_, os.path.join(work, "cost-curve.png"))
            names.append("cost-curve.png")
            if train_X.shape[0] == 2:
                plot_decision_boundary(train_X, train_Y, net.parameters_, config["hidden_activation"],
                                       os.path.join(work, "decision-boundary.png"))
                names.append("decision-boundary.png")
        except ImportError as exc:
            print(f"twinnet train: no PNG written: {exc}", file=sys.stderr)
    except FileFault as exc:  # a full disk while writing: said of --out, not of the temporary folder
        discard_temp(work)
        raise files.fault("--out", OUT_EXPECTED, out, getattr(exc, "words", str(exc))) from None
    except BaseException:
        discard_temp(work)
        raise
    swap_folder(work, out, "--out", OUT_EXPECTED)
    return [os.path.join(out, name) for name in names]


def _other_fit(opts):
    """Train through the other language's command line on ``opts`` (``train`` into a temporary folder):
    ``(net, seconds)``, or ``(None, its exit code)`` when it failed (its stderr passed on)."""
    with tempfile.TemporaryDirectory(prefix="twinnet-") as work:
        run = _other_cli(["train", *_option_args(opts, MODEL_OPTIONS), "--out", work, "--progress", "never"],
                         capture=True)
        if run.returncode != 0:
            sys.stderr.write(run.stderr)
            return None, run.returncode
        return (load_model(os.path.join(work, "model.h5")),
                float(re.search(r"^time: (\S+) s$", run.stdout, re.M).group(1)))


def _cmd_compare(opts):
    if opts["course"] is not None:
        return _cmd_compare_course(opts)
    data, config = _load_cli_data(opts)
    train_X, train_Y, test_X, test_Y, classes = data
    dims = _network_dims(data, config)
    what = (f"circles: {train_X.shape[1]} training points, {test_X.shape[1]} test points" if opts["data"] == "circles"
            else f"{opts['data']}: {train_X.shape[1]} training and {test_X.shape[1]} test examples, "
                 f"{train_X.shape[0]} features")
    print(f"{what}; layers [{', '.join(map(str, dims))}], {config['hidden_activation']}, {config['init']} init, "
          f"learning rate {config['learning_rate']:g}, {config['num_iterations']} iterations, "
          f"seed {config['seed']}", flush=True)
    nets, seconds = {}, {}
    nets[LANGUAGE], seconds[LANGUAGE] = _fit_network(data, config)
    other = "r" if LANGUAGE == "python" else "python"
    nets[other], seconds[other] = _other_fit(opts)
    if nets[other] is None:
        return seconds[other]
    py, rr = nets["python"], nets["r"]
    a = py.costs_["cost"].to_numpy()
    b = rr.costs_["cost"].to_numpy()
    print(f"{'iteration':>9}  {'cost (Python)':>22}  {'cost (R)':>22}  {'rel. diff':>9}")
    for it, x, y in zip(py.costs_["iteration"], a, b):
        print(f"{int(it):>9}  {x:>22.17g}  {y:>22.17g}  {abs(x - y) / abs(x):>9.1e}")
    cost_diff = float(np.max(np.abs(a - b)) / np.max(np.abs(a)))
    print(f"largest relative cost difference: {cost_diff:.2e} (contract: <= 1e-9)")
    for name, X, Y in (("train", train_X, train_Y), ("test", test_X, test_Y)):
        print(f"{name} accuracy: Python {_score(py, X, Y, classes):.4f}   R {_score(rr, X, Y, classes):.4f}")
    X_all = np.hstack([train_X, test_X]).T
    pa, pb = py.predict_proba(X_all)[:, 1], rr.predict_proba(X_all)[:, 1]
    agree = bool(np.array_equal(pa > 0.5, pb > 0.5))
    print(f"predictions identical: {'yes' if agree else 'NO'} (largest relative probability difference "
          f"{float(np.max(np.abs(pa - pb)) / np.max(np.abs(pa))):.2e})")
    print(f"time: Python {seconds['python']:.2f} s   R {seconds['r']:.2f} s")
    if cost_diff <= 1e-9 and agree:
        return 0
    print("twinnet compare: Python and R disagree beyond the contract's tolerances "
          "(costs <= 1e-9 relative, identical predictions)", file=sys.stderr)
    return 1


def _notebook():
    """The notebook's published costs and accuracies per model (``course_expected`` of the fixtures
    course-*.json whose adapter is "notebook"), or None when the fixtures are not found."""
    import glob
    import json

    from .verify import _fixtures_folder
    try:
        folder = _fixtures_folder(None)
    except ValueError:
        return None
    out = {}
    for path in sorted(glob.glob(os.path.join(folder, "course-*.json"))):
        with open(path, encoding="utf-8") as f:
            fx = json.load(f)
        if fx.get("adapter") == "notebook":
            out[fx["config"]["model"]] = fx["course_expected"]
    return out or None


def _course_opts(opts, model):
    """compare's options that train ``model`` (one of COURSE_MODELS) on the --course folder; --iterations applies."""
    return dict(opts, data=opts["course"], layers=tuple(model["layer_dims"][1:-1]),
                activation=model["hidden_activation"], init=model["scheme"], seed=model["seed"],
                stream=model["stream"], **{"learning-rate": model["learning_rate"], "print-every": model["print_every"],
                                           "iterations": opts["iterations"] or model["num_iterations"]})


def _cmd_compare_course(opts):
    from .model import COURSE_MODELS

    folder = check_folder(opts["course"], "--course", COURSE_EXPECTED)
    for name in CATVNONCAT_FILES:
        check_path(os.path.join(folder, name), "--course", COURSE_EXPECTED)
    notebook = _notebook() or {}
    print(f"course: {folder}: the notebook \"Deep Neural Network - Application\" (course 1, week 4, assignment 2)"
          + ("" if notebook else "; its values not found (fixtures/, or set TWINNET_FIXTURES)"), flush=True)
    other = "r" if LANGUAGE == "python" else "python"
    agree = True
    for name, model in COURSE_MODELS.items():
        course_opts = _course_opts(opts, model)
        data, config = _load_cli_data(course_opts)
        train_X, train_Y, test_X, test_Y, classes = data
        full = config["num_iterations"] == model["num_iterations"]
        print(f"\n{name}: layers [{', '.join(map(str, model['layer_dims']))}], {config['hidden_activation']}, "
              f"{config['init']} init, learning rate {config['learning_rate']:g}, {config['num_iterations']} "
              f"iterations, seed {config['seed']} ({config['stream']} stream)", flush=True)
        nets = {LANGUAGE: _fit_network(data, config)[0]}
        nets[other], status = _other_fit(course_opts)
        if nets[other] is None:
            return status
        py, rr = nets["python"], nets["r"]
        book = notebook.get(name, {})
        costs = dict(zip(book.get("costs", {}).get("iteration", []), book.get("costs", {}).get("cost", [])))
        print(f"{'iteration':>9}  {'notebook':>22}  {'cost (Python)':>22}  {'cost (R)':>22}")
        diffs = {"python": [], "r": []}
        for it, x, y in zip(py.costs_["iteration"], py.costs_["cost"], rr.costs_["cost"]):
            text = costs.get(int(it), "-")
            if text != "-":
                diffs["python"].append(abs(x - float(text)) / abs(float(text)))
                diffs["r"].append(abs(y - float(text)) / abs(float(text)))
            print(f"{int(it):>9}  {text:>22}  {x:>22.17g}  {y:>22.17g}")
        if diffs["python"]:
            print(f"largest relative difference from the notebook's {len(diffs['python'])} printed costs: "
                  f"Python {max(diffs['python']):.1e}   R {max(diffs['r']):.1e}")
        for set_name, X, Y in (("train", train_X, train_Y), ("test", test_X, test_Y)):
            shown = book.get(f"{set_name}_accuracy", "-") if full else "-"
            print(f"{set_name} accuracy: notebook {shown}   Python {_score(py, X, Y, classes):.4f}   "
                  f"R {_score(rr, X, Y, classes):.4f}")
        X_all = np.hstack([train_X, test_X]).T
        same = bool(np.array_equal(py.predict(X_all), rr.predict(X_all)))
        print(f"predictions identical: {'yes' if same else 'NO'}", flush=True)
        agree = agree and same
    if agree:
        return 0
    print("twinnet compare: Python and R predict different classes", file=sys.stderr)
    return 1


# ---------------------------------------------------------------- predict, convert

def _input_kind(path):
    """"csv", "hdf5" or "image", from the name (or the content, for HDF5) of an input file."""
    import h5py

    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".csv":
        return "csv"
    if suffix in HDF5_EXTENSIONS or h5py.is_hdf5(path):
        return "hdf5"
    if suffix in IMAGE_EXTENSIONS:
        return "image"
    raise input_error("inputs", f"image ({', '.join(IMAGE_EXTENSIONS)}), HDF5 or CSV files", f"'{path}'")


def _predict_rows(model, item, which):
    """(input, class index, probability of class 1, true class index or None) for every example of ``item``."""
    path = check_path(item, "inputs", "image, HDF5 or CSV files")
    kind = _input_kind(path)
    if kind == "csv":
        import pandas as pd
        frame = pd.read_csv(path)  # matched by column name when the model has feature names
        P = model.predict_proba(frame if hasattr(model, "feature_names_in_") else frame.to_numpy())[:, 1]
        return [(f"{item}[{k + 1}]", int(p > 0.5), float(p), None) for k, p in enumerate(P)]
    if kind == "hdf5":
        X, Y = load_h5_dataset(path, f"{which}_set_x", f"{which}_set_y")
        P = model.predict_proba(X.T)[:, 1]
        return [(f"{item}:{which}[{k}]", int(p > 0.5), float(p), int(Y[0, k])) for k, p in enumerate(P)]
    size = int(round(math.sqrt(model.n_features_in_ / 3)))  # predict_image checks 3 * size^2 = n_x
    p, c = predict_image(path, model.parameters_, model.hidden_activation, size=size)
    return [(item, c, p, None)]


def _cmd_predict(opts):
    model = load_model(opts["model"])
    classes = [str(c) for c in model.classes_]
    rows = [row for item in opts["inputs"] for row in _predict_rows(model, item, opts["set"])]
    width = max(len("input"), *(len(r[0]) for r in rows))
    cw = max(len("class"), *(len(c) for c in classes))
    print(f"{'input':<{width}}  {'class':<{cw}}  P({classes[1]})")
    for name, c, p, _ in rows:
        print(f"{name:<{width}}  {classes[c]:<{cw}}  {p:.6f}")
    labelled = [(c, t) for _, c, _, t in rows if t is not None]
    if labelled:
        right = sum(c == t for c, t in labelled)
        print(f"accuracy on the {len(labelled)} labelled examples: {right / len(labelled):.4f}")
    return 0


def _cmd_convert(opts):
    from .images import convert_image_folder
    convert_image_folder(opts["src"], opts["dest"], size=opts["size"])
    print(f"wrote {opts['dest']}")
    return 0


# ---------------------------------------------------------------- progress, main

class _ProgressDisplay:
    """``callback(iteration, cost)`` for ``train``: a progress line on stderr, quiet for short runs.

    ``mode`` "auto" shows nothing during the first ``delay`` seconds (a short
    run prints no progress at all), then the progress line, redrawn in place
    on a terminal (at most every 0.2 s) or written as a new line every
    ``every`` seconds otherwise; "always" shows every recorded cost from the
    start (one line each); "never" shows nothing. :meth:`close` ends the line
    with a summary when anything was shown.
    """

    def __init__(self, num_iterations, mode, delay=1.0, every=5.0):
        self.num_iterations, self.mode, self.delay, self.every = num_iterations, mode, delay, every
        self.tty = sys.stderr.isatty()
        self.t0 = time.perf_counter()
        self.last = None
        self.shown = False
        self.width = 0

    def _write(self, line, end=""):
        if self.tty and self.mode == "auto":
            sys.stderr.write("\r" + line + " " * max(0, self.width - len(line)) + end)
            self.width = len(line)
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()

    def __call__(self, iteration, cost):
        if self.mode == "never":
            return
        now = time.perf_counter()
        elapsed = now - self.t0
        if self.mode == "auto":
            if elapsed < self.delay:
                return
            gap = 0.2 if self.tty else self.every
            if self.last is not None and now - self.last < gap and iteration != self.num_iterations - 1:
                return
        self._write(format_progress(iteration, self.num_iterations, cost, elapsed))
        self.last = now
        self.shown = True

    def close(self):
        """Finish the display: a summary line if a progress line was shown."""
        if not self.shown:
            return
        elapsed = time.perf_counter() - self.t0
        rate = self.num_iterations / elapsed if elapsed > 0 else float("inf")
        self._write(f"done: {self.num_iterations} iterations in {elapsed:.1f} s ({rate:.0f} it/s)", end="\n")


def _run(command, opts):
    if command in ("help", "version"):
        print(opts)
        return 0
    if command == "train":
        return _cmd_train(opts)
    if command == "predict":
        return _cmd_predict(opts)
    if command == "compare":
        return _cmd_compare(opts)
    return _cmd_convert(opts)


def _one_line(exc):
    text = str(exc).strip() or type(exc).__name__
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def _as_option(text, command):
    """A library message naming an argument that is an option of ``command`` names the option."""
    m = re.match(r"^`([^`]+)`:", text)
    options = {option[0] for option in COMMANDS[command][2]} if command in COMMANDS else set()
    if m and OPTION_OF.get(m.group(1)) in options:
        return f"`--{OPTION_OF[m.group(1)]}`" + text[m.end(1) + 1:]
    return text


def cli_main(args=None):
    """Run the command line on ``args`` (default: the process's arguments); returns the exit code."""
    command = None
    try:
        command, opts = _parse_args([str(a) for a in (sys.argv[1:] if args is None else args)])
        return _run(command, opts)
    except UsageError as exc:
        print(f"{exc.prog}: {_one_line(exc)} (see --help)", file=sys.stderr)
        return 2
    except (ValueError, TypeError, FileNotFoundError, NotADirectoryError, IsADirectoryError) as exc:
        print(f"twinnet: error: {_as_option(_one_line(exc), command)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("twinnet: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 -- the last resort: one line, exit code 1
        if os.environ.get("TWINNET_DEBUG"):
            raise
        kind = "" if type(exc) is RuntimeError else f"{type(exc).__name__}: "
        print(f"twinnet: error: {kind}{_one_line(exc)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(cli_main())

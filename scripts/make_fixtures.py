#!/usr/bin/env python3
"""Write the shared test vectors fixtures/*.json (deterministically).

    python scripts/make_fixtures.py            # (re)write fixtures/
    python scripts/make_fixtures.py --out DIR  # write into DIR instead
    python scripts/make_fixtures.py --check    # exit 1 if fixtures/ is stale

Every expected value comes from scripts/reference.py, a plain pure-Python
re-implementation of docs/contract.md (exact sums with math.fsum, no numpy,
no BLAS, no twinnet), so the files are byte-identical on every run and every
machine with the same C library, and they test both packages against a third
implementation. Doubles are written with Python's repr, which reads back
bit-identical in Python (json) and in R (jsonlite). The format is described
in fixtures/README.md and checked by fixtures/schema.json.
"""

import argparse
import filecmp
import json
import math
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import course_tests as published  # noqa: E402
import reference as ref  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = "twinnet-fixture"
SCHEMA_VERSION = 1
TRAJECTORY = 30
REGENERATE = "python scripts/make_fixtures.py"

#: Every flag a fixture may carry, with its meaning (copied into each file that uses it).
FLAGS = {
    "logistic-regression": "L = 1: no hidden layer, the network is logistic regression.",
    "deep": "L = 4: three hidden layers.",
    "single-example": "m = 1: one column in X; every average is over one example.",
    "saturated": "max |Z_L| > 40 at the initial parameters: the sigmoid output is 0 or 1 to machine "
                 "precision for some examples, the textbook cost may be infinite, the contract's cost "
                 "from Z_L stays finite.",
    "relu-kink": "Some entries of Z are exactly 0 (a zero column in X with zero biases), where "
                 "relu'(0) = 0 and leaky_relu'(0) = slope are taken.",
    "seed-zero": "seed = 0, the smallest seed.",
    "seed-max": "seed = 2^31 - 1, the largest seed.",
    "odd-normals": "An odd number of normals: the last Box-Muller pair is cut in half.",
    "numpy-stream": "Drawn from numpy's legacy generator (stream = \"numpy\", contract section 23): "
                    "np.random.seed(seed), then rand / randn / permutation.",
    "cached-normal": "A draw of numpy normals ends on the first half of a polar pair: the second normal "
                     "is cached in the state and is the first normal of the next draw.",
    "block-boundary": "The draws cross a 624-word block of MT19937 (the key is regenerated mid-draw).",
    # the course's test cases (fixtures/README.md lists each with its reason)
    "call-adapter": "The course's function is called differently; the adapter named in the case makes the "
                    "equivalent twinnet call (e.g. the course's initialize_parameters(n_x, n_h, n_y), with "
                    "its seed and 0.01 scale inside, is initialize_parameters([n_x, n_h, n_y], seed, "
                    "\"scaled\", stream = \"numpy\")).",
    "dict-cache": "twinnet's cache is a mapping A_prev, W, b, Z; the course's is a tuple ((A_prev, W, b), Z) "
                  "(or (A_prev, W, b) for the linear step): the adapter builds the mapping from the same "
                  "arrays, and compares what twinnet returns (linear_forward returns Z alone).",
    "dZL-shortcut": "twinnet's L_model_backward starts from dZ_L = A_L - Y (contract section 7); the course "
                    "chains dA_L = -(Y/A_L - (1-Y)/(1-A_L)) through the sigmoid's derivative at Z_L, the "
                    "same only when A_L = sigmoid(Z_L). This test's A_L is not: the adapter reproduces the "
                    "course's chain with twinnet's linear_activation_backward, and twinnet's own "
                    "L_model_backward is checked against the contract's values (contract_expected).",
    "labels-refused": "The course trains on labels drawn with randn, not 0/1; twinnet refuses labels outside "
                      "{0, 1} (contract section 12), and the case expects that refusal. The reference "
                      "reproduces the course's numbers with the same arithmetic on those labels.",
    "cost-from-ZL": "twinnet records the cost computed from Z_L (contract section 6), the course the "
                    "textbook formula from A_L; they agree to about 1e-16 here.",
    "cost-history": "The course keeps the cost of the iterations i with i mod 100 = 0; twinnet's history "
                    "also keeps the last one: the adapter compares the course's iterations.",
    "real-data": "Needs the cat / non-cat files (../shared/data/catvnoncat); skipped with a message when "
                 "they are absent. No reference values: the course's published ones are the expectation.",
    # the course's second part (contract sections 31-37)
    "l2": "L2 regularisation: lambd > 0 in the cost and the gradients (contract section 32).",
    "dropout": "Inverted dropout: a hidden layer's keep_prob is below 1; its masks come from the stream seeded with "
               "dropout_seed, uniforms row by row, D = 1 where the uniform is below keep_prob (contract section 33).",
    "mini-batches": "Mini-batches (contract section 34): each epoch e the columns are permuted with the seed "
                    "mini_batch_seed + e + 1 and cut into batches.",
    "last-batch-smaller": "m is not a multiple of the batch size: the last mini-batch holds the columns left over.",
    "lr-decay": "The learning rate decays per epoch as the course's model applies update_lr or schedule_lr_decay "
                "(contract section 35).",
    "init-exercise": "The initialisation exercise's schemes (contract section 31): \"zeros\" (every unit of a layer "
                     "stays equal to the others) or \"random\" (standard normals times 10).",
    "flat-cache": "The course's cache is one flat tuple (Z1, A1, W1, b1, Z2, ...; with D1, D2 for dropout); the "
                  "adapter builds twinnet's list of mappings A_prev, W, b, Z (and D) from the same arrays.",
    "dZ-not-returned": "The course's backward functions also return dZ1, dZ2, dZ3; twinnet's gradients are dW, db "
                       "and dA (contract section 1): the adapter compares what twinnet returns.",
    "labels-as-numbers": "The course's Y is boolean (np.random.randn(...) < 0.5); twinnet's labels are the numbers 0 "
                         "and 1 (contract section 12): the adapter passes (Y < 0.5) as 0/1.",
    "outside-twinnet": "The gradient-checking notebook's one-dimensional warm-up, J(theta) = theta x: no network, "
                       "and twinnet has no function for it. The reference reproduces the course's values with "
                       "section 10's formula; the fixture lint checks them, the twins have nothing to run.",
    "course-backward-bugs": "The notebook's backward_propagation_n has two deliberate mistakes (dW2 doubled, db1 "
                            "four times too large) for gradient_check_n to find; twinnet's backward propagation has "
                            "none, so its gradient check on the same inputs is below 1e-7 (bound) instead of the "
                            "notebook's 0.2850931567761623.",
    "planar-classifier": "predict_test is not called by the gradient-checking notebook: its parameters are course "
                         "1's planar classifier (4 tanh units), whose predict it is; the adapter is predict_class "
                         "with tanh (relu gives the same classes).",
    "notebook-run": "The notebook's run of its model (5000 epochs): no reference values (the pure-Python reference "
                    "would take minutes); the course's printed costs and accuracy are the expectation, and both "
                    "languages are compared with each other behind the stability guard.",
}

#: How the course printed a value, and so how closely a twin must match it (fixtures/README.md).
PRINTED = {
    "numpy-8": "numpy's array printing: 8 decimals (8 decimals of the mantissa in scientific notation).",
    "fixed-6": "C's %f: 6 decimals.",
    "str-12": "numpy's old str of a float: 12 significant digits.",
    "repr": "Python's repr: the shortest text that reads back as the same double.",
    "bool": "numpy's booleans True / False: 1 and 0, exactly.",
    "isclose": "A value the course wrote by hand, truncated (0.085714285): numpy's isclose, the course's own check "
               "(|x - v| <= 1e-8 + 1e-5 |v|).",
}

ACTIVATIONS = ["relu", "tanh", "sigmoid", "leaky_relu"]
SCHEMES = ["xavier", "he", "scaled", "standard"]
#: L_layer_model's options of the optimiser path (contract section 36) and their defaults.
OPTIONS = {"lambd": 0.0, "keep_prob": 1.0, "mini_batch_size": None, "optimizer": "gd", "beta": 0.9, "beta1": 0.9,
           "beta2": 0.999, "epsilon": 1e-8, "decay": None, "decay_rate": 1.0, "time_interval": 1000,
           "mini_batch_seed": 10, "dropout_seed": 1}


# ------------------------------------------------------------------ writing

def fmt(x):
    """Python's repr of a float: the shortest string that reads back bit-identical."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise TypeError(x)
    if isinstance(x, float) and not math.isfinite(x):
        raise ValueError("non-finite numbers cannot be written to JSON")
    return repr(x)


def dump(obj, indent=0):
    """Pretty JSON: objects one key a line, arrays of numbers (or matrix rows) on one line each."""
    pad = "  " * indent
    if isinstance(obj, dict):
        items = [f'{pad}  "{k}": {dump(v, indent + 1).lstrip()}' for k, v in obj.items()]
        return pad + "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list):
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in obj):
            return pad + "[" + ", ".join(fmt(v) for v in obj) + "]"
        if all(isinstance(v, str) for v in obj):
            return pad + "[" + ", ".join(f'"{v}"' for v in obj) + "]"
        return pad + "[\n" + ",\n".join(dump(v, indent + 1) for v in obj) + "\n" + pad + "]"
    if isinstance(obj, str):
        return pad + '"' + obj.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return pad + fmt(obj)


# ------------------------------------------------------------------- cases

def header(fid, kind, name, comment, flags):
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "id": fid,
        "kind": kind,
        "name": name,
        "comment": comment,
        "flags": flags,
        "notes": {f: FLAGS[f] for f in flags},
        "regenerate": REGENERATE,
    }


def make_inputs(n_x, m, data_seed, scale=1.0, zero_column=None):
    s = ref.RStream(data_seed)
    X = [[scale * s.norm() for _ in range(m)] for _ in range(n_x)]
    Y = [[1.0 if s.unif() > 0.5 else 0.0 for _ in range(m)]]
    if m > 1 and len(set(Y[0])) == 1:  # both classes, so that accuracy means something
        Y[0][0] = 1.0 - Y[0][0]
    if zero_column is not None:
        for row in X:
            row[zero_column] = 0.0
    return X, Y


def network_case(fid, name, comment, flags, layer_dims, act, scheme, seed, m,
                 data_seed, learning_rate=0.1, scale=1.0, zero_column=None, stream="portable"):
    X, Y = make_inputs(layer_dims[0], m, data_seed, scale, zero_column)
    L = len(layer_dims) - 1
    params = ref.init(layer_dims, seed, scheme, stream)
    fwd = ref.forward(X, params, act)
    grads = ref.backward(X, Y, params, fwd, act)
    updated = ref.update(params, grads, learning_rate)
    costs, _ = ref.train(X, Y, layer_dims, learning_rate, TRAJECTORY, seed, act, scheme, stream)
    preds = ref.predictions(fwd[f"A{L}"])
    ZL = fwd[f"Z{L}"][0]
    if "saturated" in flags:
        assert max(abs(z) for z in ZL) > 40, name
    else:
        assert max(abs(z) for z in ZL) < 40, name
    if "relu-kink" in flags:
        assert any(z == 0.0 for row in fwd["Z1"] for z in row), name
    fx = header(fid, "network", name, comment, flags)
    fx["config"] = {"seed": seed, "layer_dims": layer_dims, "hidden_activation": act,
                    "scheme": scheme, "learning_rate": learning_rate,
                    "num_iterations": TRAJECTORY, "print_every": 1}
    if stream != "portable":
        fx["config"]["stream"] = stream
    fx["inputs"] = {"X": X, "Y": Y}
    fx["expected"] = {
        "parameters": params,
        "forward": {k: fwd[k] for l in range(1, L + 1) for k in (f"Z{l}", f"A{l}")},
        "cost": ref.cost(fwd[f"Z{L}"], Y),
        "backward": {k: grads[k] for l in range(1, L + 1)
                     for k in (f"dZ{l}", f"dW{l}", f"db{l}", f"dA{l}") if k in grads},
        "updated_parameters": updated,
        "predictions": preds,
        "accuracy": sum(p == y for p, y in zip(preds[0], Y[0])) / m,
        "costs": {"iteration": list(range(TRAJECTORY)), "cost": costs},
    }
    return fx


def rng_case(fid, name, comment, flags, seed, n_uniform, n_normal, stream="portable"):
    s = ref.stream(stream, seed)
    u = [s.uniform() for _ in range(n_uniform)]
    z = [s.normal() for _ in range(n_normal)]
    perm = ref.permutation(u) if stream == "portable" else ref.NumpyStream(seed).permutation(n_uniform)
    fx = header(fid, "rng", name, comment, flags)
    fx["config"] = {"seed": seed, "n_uniform": n_uniform, "n_normal": n_normal}
    if stream != "portable":
        fx["config"]["stream"] = stream
    fx["expected"] = {"uniform": u, "normal": z, "permutation": perm}
    return fx


def numpy_stream_case(fid, name, comment, flags, seed, calls):
    """Several draws in sequence from one np.random.seed(seed), with the state after each."""
    s = ref.NumpyStream(seed)
    draws = []
    used_cache = False
    for what, size in calls:
        n = size[0] * size[1] if isinstance(size, list) else size
        cached = s.has_gauss
        if what == "randn":
            values = s.randn(n)
        elif what == "rand":
            values = s.rand(n)
        else:
            values = s.permutation(n)
        if isinstance(size, list):
            values = [values[i * size[1]:(i + 1) * size[1]] for i in range(size[0])]
        st = s.state()
        used_cache = used_cache or (cached and what == "randn" and n > 0)
        draws.append({"draw": what, "size": size, "values": values,
                      "pos": st["pos"], "has_gauss": st["has_gauss"], "gauss": st["gauss"]})
    assert ("block-boundary" in flags) == (s.words > 624), name
    assert ("cached-normal" in flags) == used_cache, name
    fx = header(fid, "numpy-stream", name, comment, flags)
    fx["config"] = {"seed": seed}
    fx["expected"] = {"draws": draws, "key": s.state()["key"]}
    return fx


def circles_case(fid, name, comment, flags, n, noise, factor, seed, stream="portable"):
    X, Y = ref.circles(n, noise, factor, seed, stream)
    fx = header(fid, "circles", name, comment, flags)
    fx["config"] = {"n_samples": n, "noise": noise, "factor": factor, "seed": seed}
    if stream != "portable":
        fx["config"]["stream"] = stream
    fx["expected"] = {"X": X, "Y": Y}
    return fx


def per_layer(keep_prob, layer_dims):
    """keep_prob as one value per hidden layer (contract section 33)."""
    hidden = len(layer_dims) - 2
    return list(keep_prob) if isinstance(keep_prob, (list, tuple)) else [float(keep_prob)] * hidden


def regularized_case(fid, name, comment, flags, layer_dims, act, scheme, seed, m, data_seed, lambd, keep_prob,
                     dropout_seed, stream="portable"):
    """One step with L2 and dropout: masks, forward, both costs, backward (contract sections 32, 33)."""
    X, Y = make_inputs(layer_dims[0], m, data_seed)
    keep = per_layer(keep_prob, layer_dims)
    L = len(layer_dims) - 1
    params = ref.init(layer_dims, seed, scheme, stream)
    masks = ref.draw_masks(ref.stream(stream, dropout_seed), layer_dims, m, keep)
    fwd = ref.forward_dropout(X, params, act, keep, masks)
    grads = ref.backward_full(X, Y, params, fwd, act, lambd, keep, masks)
    assert ("dropout" in flags) == bool(masks) and ("l2" in flags) == (lambd > 0), name
    fx = header(fid, "regularized", name, comment, flags)
    fx["config"] = {"seed": seed, "layer_dims": layer_dims, "hidden_activation": act, "scheme": scheme,
                    "lambd": lambd, "keep_prob": keep_prob, "dropout_seed": dropout_seed}
    if stream != "portable":
        fx["config"]["stream"] = stream
    fx["inputs"] = {"X": X, "Y": Y}
    fx["expected"] = {
        "parameters": params,
        "masks": masks,
        "forward": {k: fwd[k] for l in range(1, L + 1) for k in (f"Z{l}", f"A{l}")},
        "cost": ref.cost(fwd[f"Z{L}"], Y) + ref.l2_cost(params, lambd, m),
        "cost_textbook": ref.cost_textbook(fwd[f"A{L}"], Y) + ref.l2_cost(params, lambd, m),
        "backward": {k: grads[k] for l in range(1, L + 1) for k in (f"dW{l}", f"db{l}", f"dA{l}") if k in grads},
    }
    return fx


def minibatch_case(fid, name, comment, flags, n_x, m, mini_batch_size, seed, data_seed, stream="portable"):
    """random_mini_batches (contract section 34): the permutation and every batch, bit for bit."""
    X, Y = make_inputs(n_x, m, data_seed)
    perm, batches = ref.mini_batches(X, Y, mini_batch_size, seed, stream)
    assert ("last-batch-smaller" in flags) == (m % mini_batch_size != 0), name
    fx = header(fid, "minibatches", name, comment, flags)
    fx["config"] = {"seed": seed, "mini_batch_size": mini_batch_size}
    if stream != "portable":
        fx["config"]["stream"] = stream
    fx["inputs"] = {"X": X, "Y": Y}
    fx["expected"] = {"permutation": perm, "batches": [{"X": Xb, "Y": Yb} for Xb, Yb in batches]}
    return fx


def optimizer_case(fid, name, comment, flags, layer_dims, act, scheme, seed, m, data_seed, learning_rate,
                   num_epochs, stream="portable", scale=1.0, **options):
    """L_layer_model's optimiser path (contract section 36): the cost of every epoch and the final parameters."""
    X, Y = make_inputs(layer_dims[0], m, data_seed, scale)
    o = dict(OPTIONS, **options)
    o["keep_prob"] = per_layer(o["keep_prob"], layer_dims)
    costs, params = ref.train_options(X, Y, layer_dims, learning_rate, num_epochs, seed, act, scheme, stream, o)
    size = o["mini_batch_size"]
    assert ("mini-batches" in flags) == (size is not None), name
    assert ("last-batch-smaller" in flags) == (size is not None and m % size != 0), name
    assert ("dropout" in flags) == any(k < 1 for k in o["keep_prob"]) and ("l2" in flags) == (o["lambd"] > 0), name
    assert ("lr-decay" in flags) == (o["decay"] is not None), name
    fx = header(fid, "optimizer", name, comment, flags)
    fx["config"] = {"seed": seed, "layer_dims": layer_dims, "hidden_activation": act, "scheme": scheme,
                    "learning_rate": learning_rate, "num_iterations": num_epochs, "print_every": 1,
                    **options}
    if stream != "portable":
        fx["config"]["stream"] = stream
    fx["inputs"] = {"X": X, "Y": Y}
    fx["expected"] = {"costs": {"iteration": list(range(num_epochs)), "cost": costs}, "parameters": params}
    return fx


def moons_case(fid, name, comment, flags, n, noise, seed, stream="portable"):
    X, Y = ref.moons(n, noise, seed, stream)
    fx = header(fid, "moons", name, comment, flags)
    fx["config"] = {"n_samples": n, "noise": noise, "seed": seed}
    if stream != "portable":
        fx["config"]["stream"] = stream
    fx["expected"] = {"X": X, "Y": Y}
    return fx


def cases():
    out = []
    n = 0

    def nid():
        nonlocal n
        n += 1
        return f"tn-{n:03d}"

    # rng
    out.append(rng_case(nid(), "rng-seed-1", "The stream after set.seed(1): uniforms, then normals.",
                        [], 1, 10, 10))
    out.append(rng_case(nid(), "rng-seed-0", "Seed 0; an odd count of normals.",
                        ["seed-zero", "odd-normals"], 0, 7, 9))
    out.append(rng_case(nid(), "rng-seed-max", "Seed 2^31 - 1.", ["seed-max", "odd-normals"],
                        2**31 - 1, 5, 5))
    # circles
    out.append(circles_case(nid(), "circles-default-small", "make_circles(12) with the default noise and factor.",
                            [], 12, 0.05, 0.8, 1))
    out.append(circles_case(nid(), "circles-odd-noisy", "An odd number of points (6 outer, 7 inner), more noise.",
                            [], 13, 0.2, 0.5, 7))
    # every activation x every scheme
    k = 0
    for act in ACTIVATIONS:
        for scheme in SCHEMES:
            k += 1
            dims = [3, 4, 1] if k % 2 else [4, 5, 3, 1]
            out.append(network_case(nid(), f"net-{act}-{scheme}-L{len(dims) - 1}",
                                    f"{act} hidden layers, {scheme} initialisation, layer_dims {dims}.",
                                    [], dims, act, scheme, seed=k, m=6, data_seed=100 + k))
    # logistic regression
    out.append(network_case(nid(), "net-logistic-xavier", "No hidden layer: logistic regression.",
                            ["logistic-regression"], [4, 1], "relu", "xavier", seed=3, m=8, data_seed=201))
    out.append(network_case(nid(), "net-logistic-standard-seed0", "Logistic regression from seed 0.",
                            ["logistic-regression", "seed-zero"], [2, 1], "sigmoid", "standard",
                            seed=0, m=5, data_seed=202, learning_rate=0.5))
    # deep
    for i, act in enumerate(ACTIVATIONS):
        out.append(network_case(nid(), f"net-deep-{act}", f"Four layers of {act}, he initialisation.",
                                ["deep"], [5, 4, 3, 2, 1], act, "he", seed=40 + i, m=7, data_seed=300 + i))
    # one example
    out.append(network_case(nid(), "net-single-example-relu", "m = 1.", ["single-example"],
                            [3, 2, 1], "relu", "xavier", seed=5, m=1, data_seed=401))
    out.append(network_case(nid(), "net-single-example-tanh-seedmax", "m = 1 from the largest seed.",
                            ["single-example", "seed-max"], [2, 3, 1], "tanh", "standard",
                            seed=2**31 - 1, m=1, data_seed=402))
    # saturated outputs
    out.append(network_case(nid(), "net-saturated-logistic", "Large inputs: |Z_L| > 40.",
                            ["saturated", "logistic-regression"], [3, 1], "relu", "standard",
                            seed=11, m=6, data_seed=501, scale=60.0, learning_rate=0.001))
    out.append(network_case(nid(), "net-saturated-relu", "Large inputs through a relu layer: |Z_L| > 40.",
                            ["saturated"], [3, 4, 1], "relu", "standard", seed=12, m=6,
                            data_seed=502, scale=40.0, learning_rate=0.0001))
    # the relu kink
    out.append(network_case(nid(), "net-kink-relu", "A zero column in X: Z is exactly 0 there.",
                            ["relu-kink"], [3, 4, 2, 1], "relu", "xavier", seed=21, m=5,
                            data_seed=601, zero_column=2))
    out.append(network_case(nid(), "net-kink-leaky-relu", "A zero column in X with leaky relu.",
                            ["relu-kink"], [3, 4, 1], "leaky_relu", "he", seed=22, m=5,
                            data_seed=602, zero_column=0))
    # numpy's legacy stream (contract section 23)
    out.append(rng_case(nid(), "rng-numpy-seed-1", "np.random.seed(1); rand(10); randn(11); and permutation(10) "
                        "from a fresh seed.", ["numpy-stream", "cached-normal"], 1, 10, 11, stream="numpy"))
    out.append(rng_case(nid(), "rng-numpy-seed-0", "numpy stream, seed 0.", ["numpy-stream", "seed-zero"],
                        0, 6, 8, stream="numpy"))
    out.append(rng_case(nid(), "rng-numpy-seed-max", "numpy stream, seed 2^31 - 1.",
                        ["numpy-stream", "seed-max", "cached-normal"], 2**31 - 1, 5, 5, stream="numpy"))
    out.append(numpy_stream_case(nid(), "numpy-stream-seed-1", "The course's habit: one seed, then several "
                                 "draws of different shapes; the cached normal carries over twice.",
                                 ["numpy-stream", "cached-normal"], 1,
                                 [("randn", [3, 2]), ("randn", [1, 3]), ("randn", [1, 1]), ("rand", 3),
                                  ("randn", 2), ("permutation", 9), ("randn", 1), ("randn", 0)]))
    out.append(numpy_stream_case(nid(), "numpy-stream-seed-3-blocks", "Draws that cross MT19937's 624-word "
                                 "blocks, with a cached normal held across a uniform draw.",
                                 ["numpy-stream", "cached-normal", "block-boundary"], 3,
                                 [("randn", 301), ("rand", 250), ("randn", 2), ("permutation", 40),
                                  ("randn", [4, 5])]))
    out.append(numpy_stream_case(nid(), "numpy-stream-seed-max", "The largest seed; a permutation first.",
                                 ["numpy-stream", "seed-max", "cached-normal"], 2**31 - 1,
                                 [("permutation", 17), ("randn", 5), ("rand", [2, 2]), ("randn", 1)]))
    out.append(circles_case(nid(), "circles-numpy", "make_circles(11) from the numpy stream.",
                            ["numpy-stream"], 11, 0.1, 0.6, 5, stream="numpy"))
    out.append(network_case(nid(), "net-relu-xavier-numpy-L3", "The course's initialisation: numpy stream, "
                            "seed 1, xavier, layer_dims [4, 5, 3, 1].", ["numpy-stream"], [4, 5, 3, 1],
                            "relu", "xavier", seed=1, m=6, data_seed=701, stream="numpy"))
    out.append(network_case(nid(), "net-tanh-scaled-numpy-L2", "numpy stream, seed 2, scaled (the course's "
                            "2-layer rule), tanh.", ["numpy-stream"], [3, 4, 1], "tanh", "scaled", seed=2,
                            m=5, data_seed=702, learning_rate=0.5, stream="numpy"))
    # the course's second part (contract sections 31-37)
    out.append(network_case(nid(), "net-sigmoid-zeros-L3", "Zeros (the initialisation exercise): the units of each "
                            "hidden layer stay equal to each other.", ["init-exercise"], [3, 4, 3, 1], "sigmoid",
                            "zeros", seed=3, m=6, data_seed=801, learning_rate=0.5))
    out.append(network_case(nid(), "net-tanh-random-L2", "Random times 10 (the initialisation exercise), small "
                            "inputs.", ["init-exercise"], [3, 4, 1], "tanh", "random", seed=3, m=6, data_seed=802,
                            learning_rate=0.05, scale=0.05))
    for i, act in enumerate(ACTIVATIONS):
        out.append(regularized_case(nid(), f"regularized-{act}-L3", f"L2 (lambd 0.3) and dropout (keep_prob 0.8, "
                                    f"0.6) through {act} hidden layers.", ["l2", "dropout"], [4, 5, 3, 1], act,
                                    "he", seed=50 + i, m=6, data_seed=900 + i, lambd=0.3, keep_prob=[0.8, 0.6],
                                    dropout_seed=7 + i))
    out.append(regularized_case(nid(), "regularized-numpy-L2", "numpy stream: the masks are np.random.rand after "
                                "np.random.seed(dropout_seed); one keep_prob for every hidden layer.",
                                ["l2", "dropout", "numpy-stream"], [3, 4, 1], "relu", "xavier", seed=1, m=5,
                                data_seed=910, lambd=0.7, keep_prob=0.5, dropout_seed=1, stream="numpy"))
    out.append(regularized_case(nid(), "regularized-l2-only-deep", "L2 alone (keep_prob 1: no masks, nothing drawn).",
                                ["l2", "deep"], [5, 4, 3, 2, 1], "tanh", "xavier", seed=60, m=7, data_seed=911,
                                lambd=1.5, keep_prob=1.0, dropout_seed=1))
    out.append(regularized_case(nid(), "regularized-dropout-one-layer", "Dropout on the second hidden layer only "
                                "(keep_prob 1 on the first: it draws nothing).", ["dropout"], [4, 5, 3, 1],
                                "leaky_relu", "he", seed=61, m=6, data_seed=912, lambd=0.0, keep_prob=[1.0, 0.5],
                                dropout_seed=2))
    out.append(regularized_case(nid(), "regularized-logistic", "L2 on logistic regression (no hidden layer, nothing "
                                "to drop).", ["l2", "logistic-regression"], [4, 1], "relu", "standard", seed=62,
                                m=8, data_seed=913, lambd=0.2, keep_prob=1.0, dropout_seed=1))
    out.append(minibatch_case(nid(), "minibatches-portable", "m = 7 in batches of 3: 3, 3, 1.",
                              ["mini-batches", "last-batch-smaller"], 3, 7, 3, seed=0, data_seed=920))
    out.append(minibatch_case(nid(), "minibatches-numpy", "np.random.seed(4); np.random.permutation(10), batches of 4.",
                              ["mini-batches", "last-batch-smaller", "numpy-stream"], 2, 10, 4, seed=4,
                              data_seed=921, stream="numpy"))
    out.append(minibatch_case(nid(), "minibatches-exact", "m = 8 in batches of 2: no smaller last batch.",
                              ["mini-batches"], 2, 8, 2, seed=11, data_seed=922))
    out.append(minibatch_case(nid(), "minibatches-one-batch-seed-max", "One batch of all m columns, shuffled; the "
                              "largest seed.", ["mini-batches", "seed-max", "numpy-stream"], 3, 6, 6, seed=2**31 - 1,
                              data_seed=923, stream="numpy"))
    out.append(optimizer_case(nid(), "optimizer-gd-minibatch", "Gradient descent on mini-batches of 6 (6, 6, 6, 2).",
                              ["mini-batches", "last-batch-smaller"], [3, 4, 1], "relu", "xavier", seed=70, m=20,
                              data_seed=930, learning_rate=0.1, num_epochs=12, mini_batch_size=6))
    out.append(optimizer_case(nid(), "optimizer-momentum-numpy", "Momentum (beta 0.8) on mini-batches of 5, numpy's "
                              "stream.", ["mini-batches", "numpy-stream"], [3, 5, 2, 1], "tanh", "he", seed=3, m=15,
                              data_seed=931, learning_rate=0.1, num_epochs=10, stream="numpy", optimizer="momentum",
                              beta=0.8, mini_batch_size=5))
    out.append(optimizer_case(nid(), "optimizer-adam-l2", "Adam on the full batch, with L2.", ["l2"], [4, 5, 1],
                              "relu", "he", seed=71, m=9, data_seed=932, learning_rate=0.01, num_epochs=15,
                              optimizer="adam", lambd=0.4))
    out.append(optimizer_case(nid(), "optimizer-adam-dropout-minibatch", "Adam on mini-batches of 4 with dropout "
                              "(0.9, 0.7) and L2, numpy's stream.", ["mini-batches", "last-batch-smaller", "dropout",
                                                                     "l2", "numpy-stream"],
                              [3, 6, 4, 1], "relu", "he", seed=3, m=10, data_seed=933, learning_rate=0.005,
                              num_epochs=10, stream="numpy", optimizer="adam", mini_batch_size=4, keep_prob=[0.9, 0.7],
                              lambd=0.1, beta1=0.8, beta2=0.99, epsilon=1e-6, mini_batch_seed=20, dropout_seed=5))
    out.append(optimizer_case(nid(), "optimizer-gd-dropout-update-lr", "Gradient descent with dropout 0.8 and "
                              "update_lr (decay_rate 0.3).", ["dropout", "lr-decay"], [3, 5, 1], "leaky_relu",
                              "xavier", seed=72, m=8, data_seed=934, learning_rate=0.5, num_epochs=12, keep_prob=0.8,
                              decay="update_lr", decay_rate=0.3, dropout_seed=9))
    out.append(optimizer_case(nid(), "optimizer-momentum-schedule", "Momentum with schedule_lr_decay every 3 epochs, "
                              "on mini-batches of 7.", ["mini-batches", "last-batch-smaller", "lr-decay"],
                              [2, 4, 3, 1], "sigmoid", "standard", seed=73, m=16, data_seed=935, learning_rate=0.5,
                              num_epochs=12, optimizer="momentum", decay="schedule_lr_decay", decay_rate=1.0,
                              time_interval=3, mini_batch_size=7, mini_batch_seed=0))
    out.append(optimizer_case(nid(), "optimizer-adam-logistic", "Adam on logistic regression, mini-batches of 3.",
                              ["mini-batches", "logistic-regression"], [3, 1], "relu", "standard", seed=74, m=9,
                              data_seed=936, learning_rate=0.05, num_epochs=10, optimizer="adam", mini_batch_size=3))
    out.append(optimizer_case(nid(), "optimizer-adam-deep-zeros", "Adam from zeros on four layers (the symmetry holds "
                              "under Adam too).", ["deep", "init-exercise"], [4, 3, 3, 2, 1], "tanh", "zeros",
                              seed=75, m=7, data_seed=937, learning_rate=0.05, num_epochs=8, optimizer="adam"))
    out.append(moons_case(nid(), "moons-numpy", "make_moons(11, noise 0.2) from np.random.seed(3): scikit-learn's "
                          "recipe.", ["numpy-stream"], 11, 0.2, 3, stream="numpy"))
    out.append(moons_case(nid(), "moons-portable", "make_moons(12, noise 0.1) from the portable stream.", [], 12, 0.1,
                          5))
    return out


# ----------------------------------------------------- the course's test cases

def printed_tolerance(text, rule, value):
    """How far a twin's value may be from the course's printed ``text`` (fixtures/README.md).

    Half a unit of the last digit the rule prints, plus the single-step
    tolerance of contract section 13 (1e-12 relative): the course's own
    value, before rounding, may differ from the twins' by that much.
    """
    if rule == "bool":
        return 0.0
    if rule == "isclose":
        return 1e-8 + 1e-5 * abs(value)
    mantissa, _, exponent = text.lower().partition("e")
    exp10 = int(exponent) if exponent else 0
    if rule == "numpy-8":
        unit = 10.0 ** (exp10 - 8)
    elif rule == "fixed-6":
        unit = 1e-6
    elif rule == "str-12":
        unit = 10.0 ** (math.floor(math.log10(abs(value))) - 11) if value else 1e-12
    elif rule == "repr":
        decimals = len(mantissa.partition(".")[2])
        unit = 10.0 ** (exp10 - decimals)
    else:
        raise ValueError(rule)
    return 0.5 * unit + 1e-12 * abs(value)


def printed_value(text):
    """The number a printed text stands for (numpy's booleans True / False are 1 and 0)."""
    return {"True": 1.0, "False": 0.0}[text] if text in ("True", "False") else float(text)


def check_printed(name, expected, course, rule):
    """The reference's values agree with the course's printed ones (generation-time check)."""
    if isinstance(course, dict):  # a cost history
        course = course["cost"]
    if isinstance(course, str):
        expected, course = [expected], [course]
    for e, c in zip(expected, course):
        if isinstance(c, list):
            check_printed(name, e, c, rule)
        else:
            v = printed_value(c)
            assert abs(e - v) <= printed_tolerance(c, rule, v), (name, e, c)


def numpy_inputs(streams, literal=None):
    """The course's inputs: for each stream, np.random.seed(seed), then np.random.randn(*shape) per name."""
    values = {}
    for block in streams:
        s = ref.NumpyStream(block["seed"])
        for d in block["randn"]:
            rows, cols = d["shape"]
            values[d["name"]] = [[s.standard_normal() for _ in range(cols)] for _ in range(rows)]
    values.update(literal or {})
    return {"streams": streams, "literal": sorted(literal or {}), "values": values}


def randn(*names_shapes):
    return [{"name": n, "shape": list(shape)} for n, shape in names_shapes]


def provenance(assignment, test, adapter):
    """Where a course case is published: course, week, assignment, test, repository, commit, path."""
    P = published
    if assignment in (P.W4A1, P.W4A2):
        repo, commit, path = ((P.NOTEBOOK_REPOSITORY, P.NOTEBOOK_COMMIT, P.NOTEBOOK_PATH) if adapter == "notebook" else
                              (P.TESTS_REPOSITORY, P.TESTS_COMMIT, P.W4A1_TESTS if assignment == P.W4A1 else P.W4A2_TESTS))
        course, week = P.COURSE, 4
    else:
        repo, commit = P.TESTS_REPOSITORY, P.TESTS_COMMIT
        path = (P.NOTEBOOK_C2_PATH if adapter == "moons_notebook" else
                P.C2_TESTS[assignment].replace("public_tests.py", "testCases.py") if test.endswith("_test_case") else
                P.C2_TESTS[assignment])
        course, week = P.COURSE2, 2 if assignment == P.W2A1_C2 else 1
    return {"course": course, "week": week, "assignment": assignment, "test": test, "repository": repo,
            "commit": commit, "path": path}


def course_case(cid, name, comment, flags, assignment, test, adapter, call, config, inputs, expected,
                course_expected, printed, extra=None):
    fx = header(cid, "course", name, comment, flags)
    fx["provenance"] = provenance(assignment, test, adapter)
    fx["adapter"] = adapter
    fx["call"] = call
    fx["config"] = config
    fx["inputs"] = inputs
    fx["expected"] = expected
    fx["course_expected"] = course_expected
    fx["printed"] = printed
    fx.update(extra or {})
    for key, course in course_expected.items():
        if key in expected:
            check_printed(f"{cid} {key}", expected[key], course, printed[key])
    return fx


def every(d, rule="numpy-8"):
    return {k: rule for k in d}


def layer_outputs(A_prev, W, b, act):
    Z = ref.linear_forward(A_prev, W, b)
    return Z, ref.elementwise(lambda z: ref.g(act, z), Z)


def layer_gradients(dA, A_prev, W, Z, act):
    dZ = ref.elementwise(lambda da, z: da * ref.g_prime(act, z), dA, Z)
    return ref.linear_backward(dZ, A_prev, W)


def course_cases():
    P, A1, A2 = published.PUBLISHED, published.W4A1, published.W4A2
    out = []
    n = 0

    def cid():
        nonlocal n
        n += 1
        return f"course-{n:03d}"

    # initialisation
    for test, dims, seed, comment in (
            ("initialize_parameters_test", [3, 2, 1], 1,
             "The course's initialize_parameters(3, 2, 1): np.random.seed(1), randn(2, 3) * 0.01, randn(1, 2) * 0.01."),
            ("initialize_parameters_deep_test", [5, 4, 3], 3,
             "The course's initialize_parameters_deep([5, 4, 3]): np.random.seed(3), randn(n_l, n_(l-1)) * 0.01 per "
             "layer; an output layer of 3 units.")):
        config = {"layer_dims": dims, "seed": seed, "scheme": "scaled", "stream": "numpy"}
        params = ref.init(dims, seed, "scaled", "numpy")
        out.append(course_case(cid(), "w4a1-" + test.replace("_test", "").replace("_", "-"), comment,
                               ["numpy-stream", "call-adapter"], A1, test, "initialize_parameters",
                               f"initialize_parameters({dims}, seed={seed}, scheme=\"scaled\", stream=\"numpy\")",
                               config, {"streams": [], "literal": [], "values": {}}, params, P[test], every(P[test])))
    # forward
    inp = numpy_inputs([{"seed": 1, "randn": randn(("A_prev", (3, 2)), ("W", (1, 3)), ("b", (1, 1)))}])
    v = inp["values"]
    Z = ref.linear_forward(v["A_prev"], v["W"], v["b"])
    out.append(course_case(cid(), "w4a1-linear-forward", "Z = W A_prev + b of one layer.", ["dict-cache"], A1,
                           "linear_forward_test", "linear_forward", "linear_forward(A_prev, W, b)", {}, inp,
                           {"Z": Z}, P["linear_forward_test"], every(P["linear_forward_test"])))
    inp = numpy_inputs([{"seed": 2, "randn": randn(("A_prev", (3, 2)), ("W", (1, 3)), ("b", (1, 1)))}])
    v = inp["values"]
    for act in ("sigmoid", "relu"):
        Z, A = layer_outputs(v["A_prev"], v["W"], v["b"], act)
        course = P["linear_activation_forward_test"][act]
        out.append(course_case(cid(), f"w4a1-linear-activation-forward-{act}", f"One layer with {act}.",
                               ["dict-cache"], A1, "linear_activation_forward_test", "linear_activation_forward",
                               f"linear_activation_forward(A_prev, W, b, \"{act}\")", {"activation": act}, inp,
                               {"A": A, "Z": Z}, course, every(course)))
    names = [("X", (5, 4)), ("W1", (4, 5)), ("b1", (4, 1)), ("W2", (3, 4)), ("b2", (3, 1)), ("W3", (1, 3)),
             ("b3", (1, 1))]
    inp = numpy_inputs([{"seed": 6, "randn": randn(*names)}])
    v = inp["values"]
    params = {k: v[k] for k, _ in names[1:]}
    fwd = ref.forward(v["X"], params, "relu")
    expected = {"AL": fwd["A3"]}
    course = {"AL": P["L_model_forward_test"]["AL"]}
    for l in (1, 2, 3):
        expected.update({f"cache{l}.A_prev": v["X"] if l == 1 else fwd[f"A{l - 1}"], f"cache{l}.W": v[f"W{l}"],
                         f"cache{l}.b": v[f"b{l}"], f"cache{l}.Z": fwd[f"Z{l}"]})
        course.update({f"cache{l}.{k}": c for k, c in P["L_model_forward_test"]["caches"][l - 1].items()})
    out.append(course_case(cid(), "w4a1-L-model-forward", "Three layers (relu, relu, sigmoid): A_L and every "
                           "layer's cache.", ["dict-cache"], A1, "L_model_forward_test", "L_model_forward",
                           "L_model_forward(X, parameters, \"relu\")", {"hidden_activation": "relu"}, inp,
                           expected, course, every(course)))
    # cost
    inp = numpy_inputs([], {"Y": [[1.0, 1.0, 0.0]], "AL": [[0.8, 0.9, 0.4]]})
    out.append(course_case(cid(), "w4a1-compute-cost", "The textbook cost of three predictions.", [], A1,
                           "compute_cost_test", "compute_cost", "compute_cost(AL, Y)", {}, inp,
                           {"cost": ref.cost_textbook(inp["values"]["AL"], inp["values"]["Y"])},
                           P["compute_cost_test"], every(P["compute_cost_test"])))
    # backward
    inp = numpy_inputs([{"seed": 1, "randn": randn(("dZ", (3, 4)), ("A", (5, 4)), ("W", (3, 5)), ("b", (3, 1)))}])
    v = inp["values"]
    dA_prev, dW, db = ref.linear_backward(v["dZ"], v["A"], v["W"])
    out.append(course_case(cid(), "w4a1-linear-backward", "Gradients of one linear step; the course's cache "
                           "(A, W, b) becomes the mapping A_prev, W, b.", ["dict-cache"], A1,
                           "linear_backward_test", "linear_backward",
                           "linear_backward(dZ, {\"A_prev\": A, \"W\": W, \"b\": b})", {}, inp,
                           {"dA_prev": dA_prev, "dW": dW, "db": db}, P["linear_backward_test"],
                           every(P["linear_backward_test"])))
    inp = numpy_inputs([{"seed": 2, "randn": randn(("dA", (1, 2)), ("A", (3, 2)), ("W", (1, 3)), ("b", (1, 1)),
                                                   ("Z", (1, 2)))}])
    v = inp["values"]
    for act in ("sigmoid", "relu"):
        dA_prev, dW, db = layer_gradients(v["dA"], v["A"], v["W"], v["Z"], act)
        course = P["linear_activation_backward_test"][act]
        out.append(course_case(cid(), f"w4a1-linear-activation-backward-{act}", f"One layer back through {act}; "
                               "the course's cache ((A, W, b), Z) becomes the mapping A_prev, W, b, Z.",
                               ["dict-cache"], A1, "linear_activation_backward_test", "linear_activation_backward",
                               f"linear_activation_backward(dA, {{\"A_prev\": A, \"W\": W, \"b\": b, \"Z\": Z}}, "
                               f"\"{act}\")", {"activation": act}, inp,
                               {"dA_prev": dA_prev, "dW": dW, "db": db}, course, every(course)))
    names = [("AL", (1, 2)), ("A1", (4, 2)), ("W1", (3, 4)), ("b1", (3, 1)), ("Z1", (3, 2)), ("A2", (3, 2)),
             ("W2", (1, 3)), ("b2", (1, 1)), ("Z2", (1, 2))]
    inp = numpy_inputs([{"seed": 3, "randn": randn(*names)}], {"Y": [[1.0, 0.0]]})
    v = inp["values"]
    # the course's chain: dA_L = -(Y / A_L - (1 - Y) / (1 - A_L)), then sigmoid, then relu
    dAL = ref.elementwise(lambda a, y: -(y / a - (1.0 - y) / (1.0 - a)), v["AL"], v["Y"])
    dA1, dW2, db2 = layer_gradients(dAL, v["A2"], v["W2"], v["Z2"], "sigmoid")
    dA0, dW1, db1 = layer_gradients(dA1, v["A1"], v["W1"], v["Z1"], "relu")
    # twinnet's own L_model_backward: dZ_L = A_L - Y (contract section 7)
    dZ2 = ref.elementwise(lambda a, y: a - y, v["AL"], v["Y"])
    c_dA1, c_dW2, c_db2 = ref.linear_backward(dZ2, v["A2"], v["W2"])
    dZ1 = ref.elementwise(lambda da, z: da * ref.g_prime("relu", z), c_dA1, v["Z1"])
    _, c_dW1, c_db1 = ref.linear_backward(dZ1, v["A1"], v["W1"])
    course = P["L_model_backward_test"]
    out.append(course_case(cid(), "w4a1-L-model-backward", "Two layers back from an A_L that is not sigmoid(Z_L) "
                           "(all inputs random).", ["dict-cache", "dZL-shortcut"], A1, "L_model_backward_test",
                           "L_model_backward_chain",
                           "linear_activation_backward(dAL, cache2, \"sigmoid\"), then (dA1, cache1, \"relu\"), "
                           "with dAL = -(Y / AL - (1 - Y) / (1 - AL)); and L_model_backward(AL, Y, [cache1, cache2])",
                           {"hidden_activation": "relu"}, inp,
                           {"dA1": dA1, "dW2": dW2, "db2": db2, "dA0": dA0, "dW1": dW1, "db1": db1}, course,
                           every(course), {"contract_expected": {"dW1": c_dW1, "db1": c_db1, "dW2": c_dW2,
                                                                 "db2": c_db2, "dA1": c_dA1}}))
    # update
    names_p = [("W1", (3, 4)), ("b1", (3, 1)), ("W2", (1, 3)), ("b2", (1, 1))]
    names_g = [("dW1", (3, 4)), ("db1", (3, 1)), ("dW2", (1, 3)), ("db2", (1, 1))]
    inp = numpy_inputs([{"seed": 2, "randn": randn(*names_p)}, {"seed": 3, "randn": randn(*names_g)}])
    v = inp["values"]
    updated = ref.update({k: v[k] for k, _ in names_p}, {k: v[k] for k, _ in names_g}, 0.1)
    out.append(course_case(cid(), "w4a1-update-parameters", "One gradient step, learning rate 0.1.", [], A1,
                           "update_parameters_test", "update_parameters",
                           "update_parameters(parameters, grads, 0.1)", {"learning_rate": 0.1}, inp, updated,
                           P["update_parameters_test"], every(P["update_parameters_test"])))
    # the application's models on small random data
    for test, dims, scheme, labels in (("two_layer_model_test", [10, 4, 1], "scaled", None),
                                       ("L_layer_model_test", [10, 5, 6, 1], "xavier",
                                        [[1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 0.0]])):
        drawn = [("X", (10, 10))] + ([("Y", (1, 10))] if labels is None else [])
        inp = numpy_inputs([{"seed": 1, "randn": randn(*drawn)}], None if labels is None else {"Y": labels})
        v = inp["values"]
        for run, (lr, iterations) in zip(("first", "second"),
                                         ((0.0075, 2), (0.1, 3) if labels is None else (0.02, 3))):
            config = {"layer_dims": dims, "learning_rate": lr, "num_iterations": iterations, "seed": 1,
                      "hidden_activation": "relu", "scheme": scheme, "print_every": 100, "stream": "numpy"}
            costs, params = ref.train(v["X"], v["Y"], dims, lr, iterations, 1, "relu", scheme, "numpy",
                                      textbook=labels is None)
            expected = dict(params, costs=[costs[0]])
            course = dict(P[test][run]["parameters"], costs=P[test][run]["costs"])
            flags = ["numpy-stream", "call-adapter", "cost-history"]
            extra = None
            if labels is None:
                flags.insert(1, "labels-refused")
                extra = {"refusal": {"argument": "Y", "expected": "values 0 or 1 only"}}
                comment = (f"The course's two_layer_model, {iterations} iterations at learning rate {lr}, on "
                           "labels drawn with randn: twinnet refuses them.")
                call = (f"L_layer_model(X, Y, {dims}, {lr}, {iterations}, seed=1, scheme=\"scaled\", "
                        "stream=\"numpy\")")
            else:
                flags.append("cost-from-ZL")
                comment = f"The course's L_layer_model, {iterations} iterations at learning rate {lr}."
                call = f"L_layer_model(X, Y, {dims}, {lr}, {iterations}, seed=1, stream=\"numpy\")"
            name = "w4a2-" + test.replace("_test", "").replace("_", "-") + f"-{run}"
            out.append(course_case(cid(), name, comment, flags, A2, test, "L_layer_model", call, config, inp,
                                   expected, course, every(course), extra))
    # the notebook: the two models on the cat / non-cat files
    for model, dims, scheme, rule in (("two_layer", [12288, 7, 1], "scaled", "repr"),
                                      ("four_layer", [12288, 20, 7, 5, 1], "xavier", "fixed-6")):
        nb = published.NOTEBOOK[model]
        course = {"costs": {"iteration": [i for i, _ in nb["costs"]], "cost": [c for _, c in nb["costs"]]},
                  "train_accuracy": nb["train_accuracy"], "test_accuracy": nb["test_accuracy"]}
        config = {"model": model, "layer_dims": dims, "learning_rate": 0.0075, "num_iterations": 2500,
                  "seed": 1, "hidden_activation": "relu", "scheme": scheme, "print_every": 100,
                  "stream": "numpy"}
        out.append(course_case(cid(), "w4a2-notebook-" + model.replace("_", "-"),
                               f"The notebook's {len(dims) - 1}-layer model on the cat / non-cat images: costs "
                               "every 100 iterations, train and test accuracy.",
                               ["real-data", "numpy-stream", "call-adapter", "cost-from-ZL"], A2,
                               "the notebook's two_layer_model" if model == "two_layer" else "the notebook's L_layer_model",
                               "notebook", f"course_models(folder)[\"{model}\"]", config, {"data": "catvnoncat"},
                               {}, course, {"costs": rule, "train_accuracy": "str-12", "test_accuracy": "str-12"}))
    out.extend(course2_cases(cid))
    return out


def numbers(texts):
    """The course's texts (nested lists) as numbers."""
    return [numbers(t) for t in texts] if isinstance(texts, list) else printed_value(texts)


def course2_cases(cid):
    """Course 2, weeks 1 and 2: the public tests of its four assignments and the optimization notebook's runs."""
    P, LIT = published.PUBLISHED_C2, published.LITERAL_C2
    A1, A2, A3, O = published.W1A1_C2, published.W1A2_C2, published.W1A3_C2, published.W2A1_C2
    out = []
    none = numpy_inputs([])
    # W1A1: initialisation (seed 3 inside the course's functions)
    for test, dims, scheme, flags, comment in (
            ("initialize_parameters_zeros_test", [3, 2, 1], "zeros", ["init-exercise"],
             "The course's initialize_parameters_zeros([3, 2, 1]): every weight and bias 0."),
            ("initialize_parameters_random_test", [3, 2, 1], "random", ["init-exercise"],
             "The course's initialize_parameters_random([3, 2, 1]): np.random.seed(3), randn(n_l, n_(l-1)) * 10."),
            ("initialize_parameters_he_test", [3, 1, 2], "he", [],
             "The course's initialize_parameters_he([3, 1, 2]): np.random.seed(3), randn * sqrt(2 / n_(l-1)); an "
             "output layer of 2 units.")):
        config = {"layer_dims": dims, "seed": 3, "scheme": scheme, "stream": "numpy"}
        out.append(course_case(cid(), "c2w1a1-" + test.replace("_test", "").replace("_", "-"), comment,
                               ["numpy-stream", "call-adapter"] + flags, A1, test, "initialize_parameters",
                               f"initialize_parameters({dims}, seed=3, scheme=\"{scheme}\", stream=\"numpy\")",
                               config, none, ref.init(dims, 3, scheme, "numpy"), P[test], every(P[test])))
    # W1A2: regularisation
    names = [("W1", (2, 3)), ("b1", (2, 1)), ("W2", (3, 2)), ("b2", (3, 1)), ("W3", (1, 3)), ("b3", (1, 1))]
    test = "compute_cost_with_regularization_test"
    inp = numpy_inputs([{"seed": 1, "randn": randn(*names)}], {k: numbers(x) for k, x in LIT[test].items()})
    v = inp["values"]
    params = {k: v[k] for k, _ in names}
    out.append(course_case(cid(), "c2w1a2-compute-cost-with-regularization", "The textbook cost of three layers' "
                           "output plus the L2 term, lambd 0.1.", ["l2"], A2, test, "compute_cost_with_regularization",
                           "compute_cost_with_regularization(A3, Y, parameters, 0.1)", {"lambd": 0.1}, inp,
                           {"cost": ref.cost_textbook(v["A3"], v["Y"]) + ref.l2_cost(params, 0.1, 5)}, P[test],
                           {"cost": "repr"}))
    for test, config, flags, comment in (
            ("backward_propagation_with_regularization_test", {"hidden_activation": "relu", "lambd": 0.7},
             ["flat-cache", "dZ-not-returned", "l2"], "Three layers back from the course's cache, with L2 (lambd 0.7)."),
            ("backward_propagation_with_dropout_test", {"hidden_activation": "relu", "keep_prob": 0.8},
             ["flat-cache", "dZ-not-returned"], "Three layers back from the course's cache, with its dropout masks "
             "D1, D2 (keep_prob 0.8).")):
        inp = numpy_inputs([{"seed": 1, "randn": randn(("X", (3, 5)))}], {k: numbers(x) for k, x in LIT[test].items()})
        v = inp["values"]
        params = {k: v[k] for k, _ in names}
        fwd = {k: v[k] for k in ("Z1", "A1", "Z2", "A2", "Z3", "A3")}
        masks = {k: v[k] for k in ("D1", "D2") if k in v}
        keep = [config.get("keep_prob", 1.0)] * 2
        grads = ref.backward_full(v["X"], v["Y"], params, fwd, "relu", config.get("lambd", 0.0), keep, masks)
        expected = {k: grads[k] for k in ("dW1", "db1", "dW2", "db2", "dW3", "db3", "dA1", "dA2")}
        course = {k: P[test][k] for k in expected}
        call = ("L_model_backward(A3, Y, caches, \"relu\", " +
                ("lambd=0.7)" if "lambd" in config else "keep_prob=0.8)") + ", caches from the course's cache")
        out.append(course_case(cid(), "c2w1a2-" + test.replace("_test", "").replace("_", "-"), comment, flags, A2, test,
                               "L_model_backward_cache", call, config, inp, expected, course, every(course)))
    test = "forward_propagation_with_dropout_test"
    inp = numpy_inputs([{"seed": 1, "randn": randn(("X", (3, 5)), *names)}])
    v = inp["values"]
    params = {k: v[k] for k, _ in names}
    masks = ref.draw_masks(ref.NumpyStream(1), [3, 2, 3, 1], 5, [0.7, 0.7])
    fwd = ref.forward_dropout(v["X"], params, "relu", [0.7, 0.7], masks)
    expected = dict({k: fwd[k] for k in ("A3", "Z1", "A1", "Z2", "A2", "Z3")}, **masks)
    course = P[test]
    out.append(course_case(cid(), "c2w1a2-forward-propagation-with-dropout", "Three layers forward with dropout "
                           "(keep_prob 0.7), the masks from np.random.seed(1): rand(2, 5), then rand(3, 5).",
                           ["flat-cache", "dropout", "numpy-stream", "call-adapter"], A2, test, "L_model_forward_dropout",
                           "L_model_forward(X, parameters, \"relu\", 0.7, dropout_masks([3, 2, 3, 1], 5, 0.7, seed=1, "
                           "stream=\"numpy\"))", {"hidden_activation": "relu", "keep_prob": 0.7, "dropout_seed": 1,
                                                 "stream": "numpy"}, inp, expected, course,
                           {k: "bool" if k.startswith("D") else "numpy-8" for k in course}))
    # W1A3: gradient checking
    x, theta, eps = 2.0, 4.0, 1e-7
    g_num = ((theta + eps) * x - (theta - eps) * x) / (2 * eps)
    toy = {"forward_propagation_test": ("J", theta * x), "backward_propagation_test": ("dtheta", x),
           "gradient_check_test": ("difference", abs(x - g_num) / (abs(x) + abs(g_num)))}
    for test, (key, value) in toy.items():
        out.append(course_case(cid(), "c2w1a3-" + test.replace("_test", "").replace("_", "-"), "The warm-up J(theta) "
                               "= theta x at x = 2, theta = 4 (epsilon 1e-7): " + key + ".", ["outside-twinnet"], A3,
                               test, "outside-twinnet", "none: J(theta) = theta x is no network", {},
                               numpy_inputs([], {"x": [[x]], "theta": [[theta]]}), {key: value}, P[test],
                               {key: "repr"}))
    test = "gradient_check_n_test_case"
    drawn = [("X", (4, 3)), ("W1", (5, 4)), ("b1", (5, 1)), ("W2", (3, 5)), ("b2", (3, 1)), ("W3", (1, 3)), ("b3", (1, 1))]
    inp = numpy_inputs([{"seed": 1, "randn": randn(*drawn)}], {"Y": [[1.0, 1.0, 0.0]]})
    out.append(course_case(cid(), "c2w1a3-gradient-check-n", "gradient_check_n on the notebook's test case (x "
                           "randn(4, 3), y [1, 1, 0], three layers relu, relu, sigmoid).", ["course-backward-bugs"], A3,
                           test, "gradient_check", "gradient_check(X, Y, parameters, \"relu\")",
                           {"hidden_activation": "relu"}, inp, {}, {}, {}, {"bound": {"difference": 1e-7}}))
    test = "predict_test"
    inp = numpy_inputs([{"seed": 1, "randn": randn(("X", (2, 3)))}], {k: numbers(x) for k, x in LIT[test].items()})
    v = inp["values"]
    params = {k: v[k] for k in ("W1", "b1", "W2", "b2")}
    preds = ref.predictions(ref.forward(v["X"], params, "tanh")["A2"])
    out.append(course_case(cid(), "c2w1a3-predict", "The classes of three examples of a 2-4-1 network.",
                           ["planar-classifier"], A3, test, "predict_class", "predict_class(X, parameters, \"tanh\")",
                           {"hidden_activation": "tanh"}, inp, {"predictions": preds}, P[test], {"predictions": "bool"}))
    # W2A1: optimisation
    pnames = [("W1", (2, 3)), ("b1", (2, 1)), ("W2", (3, 3)), ("b2", (3, 1))]
    gnames = [("d" + k, shape) for k, shape in pnames]
    test = "update_parameters_with_gd_test"
    inp = numpy_inputs([{"seed": 1, "randn": randn(*pnames, *gnames)}])
    v = inp["values"]
    params, grads = {k: v[k] for k, _ in pnames}, {k: v[k] for k, _ in gnames}
    out.append(course_case(cid(), "c2w2a1-update-parameters-with-gd", "One gradient step, learning rate 0.01 (the "
                           "course's update_parameters_with_gd is twinnet's update_parameters).", [], O, test,
                           "update_parameters", "update_parameters(parameters, grads, 0.01)", {"learning_rate": 0.01},
                           inp, ref.update(params, grads, 0.01), P[test], every(P[test])))
    test = "random_mini_batches_test"
    inp = numpy_inputs([{"seed": 1, "randn": randn(("X", (7, 3)), ("Y_normal", (1, 3)))}])
    v = inp["values"]
    Y01 = [[1.0 if y < 0.5 else 0.0 for y in v["Y_normal"][0]]]
    _, batches = ref.mini_batches(v["X"], Y01, 2, 0, "numpy")
    expected = {f"batch{k}.{q}": b[j] for k, b in enumerate(batches, start=1) for j, q in enumerate("XY")}
    out.append(course_case(cid(), "c2w2a1-random-mini-batches", "Mini-batches of 2 of three examples, "
                           "np.random.seed(0): one full batch and a last one of 1.",
                           ["labels-as-numbers", "numpy-stream", "mini-batches", "last-batch-smaller"], O, test,
                           "random_mini_batches", "random_mini_batches(X, (Y < 0.5) as 0/1, 2, seed=0, stream=\"numpy\")",
                           {"mini_batch_size": 2, "seed": 0, "stream": "numpy"}, inp, expected, P[test],
                           {k: "bool" if k.endswith(".Y") else "numpy-8" for k in P[test]}))
    for test, adapter, comment in (("initialize_velocity_test", "initialize_velocity", "Momentum's velocity: zeros."),
                                   ("initialize_adam_test", "initialize_adam", "Adam's v and s: zeros.")):
        inp = numpy_inputs([{"seed": 1, "randn": randn(*pnames)}])
        zero = {f"v.d{k}": [[0.0] * shape[1] for _ in range(shape[0])] for k, shape in pnames}
        if adapter == "initialize_adam":
            zero.update({"s." + k[2:]: x for k, x in zero.items()})
        out.append(course_case(cid(), "c2w2a1-" + adapter.replace("_", "-"), comment, [], O, test, adapter,
                               f"{adapter}(parameters)", {}, inp, zero, P[test], every(P[test])))
    test = "update_parameters_with_momentum_test"
    inp = numpy_inputs([{"seed": 1, "randn": randn(*pnames, *gnames)}], {k: numbers(x) for k, x in LIT[test].items()})
    v = inp["values"]
    params, grads = {k: v[k] for k, _ in pnames}, {k: v[k] for k, _ in gnames}
    new_p, new_v = ref.momentum(params, grads, {k[2:]: v[k] for k in v if k.startswith("v.")}, 0.9, 0.01)
    expected = dict(new_p, **{"v." + k: x for k, x in new_v.items()})
    out.append(course_case(cid(), "c2w2a1-update-parameters-with-momentum", "One momentum step from v = 0, beta 0.9, "
                           "learning rate 0.01.", [], O, test, "update_parameters_with_momentum",
                           "update_parameters_with_momentum(parameters, grads, v, 0.9, 0.01)",
                           {"beta": 0.9, "learning_rate": 0.01}, inp, expected, P[test], every(P[test])))
    test = "update_parameters_with_adam_test"
    inp = numpy_inputs([{"seed": 1, "randn": randn(*pnames, *gnames)}], {k: numbers(x) for k, x in LIT[test].items()})
    v = inp["values"]
    params, grads = {k: v[k] for k, _ in pnames}, {k: v[k] for k, _ in gnames}
    state = {q: {k[2:]: v[k] for k in v if k.startswith(q + ".")} for q in ("v", "s")}
    new = ref.adam(params, grads, state["v"], state["s"], 2, 0.02, 0.8, 0.888, 1e-2)
    expected = dict(new[0])
    for q, d in zip(("v", "s", "v_corrected", "s_corrected"), new[1:]):
        expected.update({f"{q}.{k}": x for k, x in d.items()})
    expected.update({k + "[0]": [x[0]] for k, x in list(expected.items()) if not k.startswith(("v_", "s_"))})
    out.append(course_case(cid(), "c2w2a1-update-parameters-with-adam", "One Adam step at t = 2 from v = s = 0, "
                           "learning rate 0.02, beta1 0.8, beta2 0.888, epsilon 1e-2; the course checks the first row "
                           "of each array ([0]).", [], O, test, "update_parameters_with_adam",
                           "update_parameters_with_adam(parameters, grads, v, s, 2, 0.02, 0.8, 0.888, 1e-2)",
                           {"t": 2, "learning_rate": 0.02, "beta1": 0.8, "beta2": 0.888, "epsilon": 0.01}, inp,
                           expected, P[test], every(P[test])))
    test = "update_lr_test"
    out.append(course_case(cid(), "c2w2a1-update-lr", "update_lr(0.5, 2, 1): 0.5 / (1 + 2).", [], O, test, "update_lr",
                           "update_lr(0.5, 2, 1)", {"learning_rate0": 0.5, "epoch_num": 2, "decay_rate": 1.0}, none,
                           {"learning_rate": ref.update_lr(0.5, 2, 1.0)}, P[test], {"learning_rate": "repr"}))
    for k, c in enumerate(published.SCHEDULE_CALLS, start=1):
        config = {"learning_rate0": float(c["learning_rate0"]), "epoch_num": int(c["epoch_num"]),
                  "decay_rate": float(c["decay_rate"]), "time_interval": int(c["time_interval"])}
        rate = ref.schedule_lr_decay(config["learning_rate0"], config["epoch_num"], config["decay_rate"],
                                     config["time_interval"])
        call = f"schedule_lr_decay({c['learning_rate0']}, {c['epoch_num']}, {c['decay_rate']}, {c['time_interval']})"
        out.append(course_case(cid(), f"c2w2a1-schedule-lr-decay-{k}", f"The test's call {k} of 4: {call}.", [], O,
                               "schedule_lr_decay_test", "schedule_lr_decay", call, config, none,
                               {"learning_rate": rate}, {"learning_rate": c["expected"]},
                               {"learning_rate": "isclose" if c["expected"] == "0.085714285" else "repr"}))
    # the optimization notebook's runs on the moons
    runs = {"gd": dict(optimizer="gd", learning_rate=0.0007), "momentum": dict(optimizer="momentum", beta=0.9,
                                                                               learning_rate=0.0007),
            "adam": dict(optimizer="adam", learning_rate=0.0007),
            "gd-update-lr": dict(optimizer="gd", learning_rate=0.1, decay="update_lr")}
    for (name, options), nb in zip(runs.items(), published.NOTEBOOK_C2):
        config = dict({"layer_dims": [2, 5, 2, 1], "num_iterations": 5000, "seed": 3, "hidden_activation": "relu",
                       "scheme": "he", "print_every": 100, "stream": "numpy", "mini_batch_size": 64,
                       "mini_batch_seed": 10}, **options)
        course = {"costs": {"iteration": nb["costs"]["epoch"], "cost": nb["costs"]["cost"]}, "accuracy": nb["accuracy"]}
        flags = ["notebook-run", "numpy-stream", "mini-batches", "last-batch-smaller", "cost-from-ZL"]
        out.append(course_case(cid(), f"c2w2a1-notebook-moons-{name}", f"The notebook's {nb['call']} on the moons: "
                               "the cost every 1000 epochs and the training accuracy.",
                               flags + (["lr-decay"] if "decay" in options else []), O, f"the notebook's {nb['call']}",
                               "moons_notebook", "L_layer_model(X, Y, [2, 5, 2, 1], ..., mini_batch_size=64, seed=3, "
                               "scheme=\"he\", stream=\"numpy\") on make_moons(300, 0.2, seed=3, stream=\"numpy\")",
                               config, {"data": "moons", "make_moons": {"n_samples": 300, "noise": 0.2, "seed": 3,
                                                                        "stream": "numpy"}},
                               {}, course, {"costs": "fixed-6", "accuracy": "repr"}))
    return out


def write_all(out_dir):
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fx in cases() + course_cases():
        path = out_dir / f"{fx['id']}-{fx['name']}.json"
        text = dump(fx) + "\n"
        fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.replace(tmp, path)
        written.append(path.name)
    return written


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=str(ROOT / "fixtures"), help="folder to write (default: fixtures/)")
    p.add_argument("--check", action="store_true", help="regenerate into a temporary folder and compare")
    args = p.parse_args(argv)
    if not args.check:
        names = write_all(args.out)
        print(f"wrote {len(names)} fixtures to {args.out}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        names = write_all(tmp)
        committed = sorted(q.name for pattern in ("tn-*.json", "course-*.json")
                           for q in Path(args.out).glob(pattern))
        stale, last_bits = [], 0
        for n in names:
            mine, theirs = Path(tmp) / n, Path(args.out) / n
            if not theirs.exists():
                stale.append(n)
            elif not filecmp.cmp(mine, theirs, shallow=False):
                ulps = last_bit_differences(json.loads(mine.read_text()), json.loads(theirs.read_text()))
                if ulps is None:
                    stale.append(n)
                else:
                    last_bits += ulps
        extra = sorted(set(committed) - set(names))
    if stale or extra:
        print(f"fixtures are stale: {len(stale)} differ or are missing, {len(extra)} should not be there "
              f"({', '.join((stale + extra)[:5])}); run `{REGENERATE}`")
        return 1
    print(f"fixtures are fresh: {len(names)} files match"
          + (f" ({last_bits} values within {LIBM_ULPS} ulps: this machine's C library rounds log, exp, sin, cos "
             "or tanh differently from the one that made them, contract section 2)" if last_bits else ""))
    return 0


#: How far apart (in units of the last place) a regenerated value may be and still be the same value
#: made by another C library (contract section 2: glibc's FMA and non-FMA log/exp/sin/cos/tanh differ
#: by one ulp in about one result in a thousand); far below every tolerance of section 13.
LIBM_ULPS = 4


def last_bit_differences(a, b):
    """How many floats differ, if ``a`` and ``b`` differ only in floats within LIBM_ULPS ulps; else None."""
    if isinstance(a, dict):
        if not isinstance(b, dict) or a.keys() != b.keys():
            return None
        parts = [last_bit_differences(a[k], b[k]) for k in a]
    elif isinstance(a, list):
        if not isinstance(b, list) or len(a) != len(b):
            return None
        parts = [last_bit_differences(x, y) for x, y in zip(a, b)]
    elif isinstance(a, float) and isinstance(b, float) and a != b:
        close = math.isfinite(a) and abs(a - b) <= LIBM_ULPS * math.ulp(max(abs(a), abs(b)))
        return 1 if close else None
    else:
        return 0 if (type(a) is type(b) and a == b) else None
    return None if None in parts else sum(parts)


if __name__ == "__main__":
    sys.exit(main())

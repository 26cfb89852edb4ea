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
import math
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
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
}

ACTIVATIONS = ["relu", "tanh", "sigmoid", "leaky_relu"]
SCHEMES = ["xavier", "he", "scaled", "standard"]


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
                 data_seed, learning_rate=0.1, scale=1.0, zero_column=None):
    X, Y = make_inputs(layer_dims[0], m, data_seed, scale, zero_column)
    L = len(layer_dims) - 1
    params = ref.init(layer_dims, seed, scheme)
    fwd = ref.forward(X, params, act)
    grads = ref.backward(X, Y, params, fwd, act)
    updated = ref.update(params, grads, learning_rate)
    costs, _ = ref.train(X, Y, layer_dims, learning_rate, TRAJECTORY, seed, act, scheme)
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


def rng_case(fid, name, comment, flags, seed, n_uniform, n_normal):
    s = ref.RStream(seed)
    u = [s.unif() for _ in range(n_uniform)]
    z = [s.norm() for _ in range(n_normal)]
    fx = header(fid, "rng", name, comment, flags)
    fx["config"] = {"seed": seed, "n_uniform": n_uniform, "n_normal": n_normal}
    fx["expected"] = {"uniform": u, "normal": z, "permutation": ref.permutation(u)}
    return fx


def circles_case(fid, name, comment, flags, n, noise, factor, seed):
    X, Y = ref.circles(n, noise, factor, seed)
    fx = header(fid, "circles", name, comment, flags)
    fx["config"] = {"n_samples": n, "noise": noise, "factor": factor, "seed": seed}
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
    return out


def write_all(out_dir):
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fx in cases():
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
        committed = sorted(q.name for q in Path(args.out).glob("tn-*.json"))
        stale = [n for n in names if not (Path(args.out) / n).exists()
                 or not filecmp.cmp(Path(tmp) / n, Path(args.out) / n, shallow=False)]
        extra = sorted(set(committed) - set(names))
    if stale or extra:
        print(f"fixtures are stale: {len(stale)} differ or are missing, {len(extra)} should not be there "
              f"({', '.join((stale + extra)[:5])}); run `{REGENERATE}`")
        return 1
    print(f"fixtures are fresh: {len(names)} files match")
    return 0


if __name__ == "__main__":
    sys.exit(main())

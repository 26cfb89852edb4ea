"""Model files that move between Python and R (twin of ``R/modelio.R``).

``save_model(model, path)`` writes a fitted :class:`~twinnet.NeuralNet` to one
HDF5 file and ``load_model(path)`` reads it back; R's ``save_model()`` /
``load_model()`` read and write the same files with its "twinnet" objects.
The layout is docs/model-format.md (format version 2; version 1 files are read too). Saving writes a
temporary file in the same folder and renames it, so an interrupted save
never leaves a half-written model behind; loading refuses a file of another
format version, with missing datasets or with shapes that do not chain.
"""


import numpy as np
import pandas as pd

from . import files
from .atomic import atomic_write, h5_size, write_h5
from .activations import ACTIVATIONS
from .files import OUTPUT_EXPECTED, check_output_path, check_path
from .initialize import INIT_SCHEMES
from .limits import DOUBLE, check_memory
from .optimizers import DECAYS, OPTIMIZERS
from .rng import STREAMS
from .validate import describe, input_error, shape_str

MODEL_FORMAT = "twinnet-model"
MODEL_FORMAT_VERSION = 2
#: The format versions load_model reads (version 1 has no training options: they were the defaults).
READABLE_VERSIONS = (1, 2)
#: The attributes format version 2 adds, the training options of contract section 36, with their kinds and
#: the values that stand for None (mini_batch_size 0: the full batch; decay "none": no decay).
TRAINING_ATTRIBUTES = {
    "lambd": "number", "keep_prob": "numbers", "mini_batch_size": "integer", "optimizer": "string", "beta": "number",
    "beta1": "number", "beta2": "number", "epsilon": "number", "decay": "string", "decay_rate": "number",
    "time_interval": "integer", "mini_batch_seed": "integer", "dropout_seed": "integer",
}
NONE_STORED_AS = {"mini_batch_size": 0, "decay": "none"}
#: What load_model's `path` must be: a readable file, then a model file (the same words in R).
MODEL_LOAD_EXPECTED = "an existing file"
MODEL_EXPECTED = "a twinnet model file (HDF5)"


def save_model(model, path):
    """Write a fitted NeuralNet to ``path`` (HDF5, docs/model-format.md); returns ``path``.

    The file is written to a temporary file in the same folder, then renamed
    over ``path`` (an existing file there is replaced only when the new one is
    complete).
    """
    from .estimator import NeuralNet  # here, not at import: the estimator may bring scikit-learn

    if not isinstance(model, NeuralNet):
        raise input_error("model", "a fitted model (NeuralNet in Python, neural_net() in R)", describe(model), TypeError)
    model._check_fitted()
    path = check_output_path(path)
    return atomic_write(path, lambda tmp: _write_model_h5(model, tmp), "path", OUTPUT_EXPECTED,
                        nbytes=_model_file_size(model))


def _model_file_size(model):
    """The room a model file is given: its doubles and integers, and HDF5's own (atomic.h5_size)."""
    dims = [int(d) for d in model.layer_dims_]
    weights = sum(dims[l] * dims[l - 1] + dims[l] for l in range(1, len(dims)))
    return h5_size(DOUBLE * weights + 12 * len(model.costs_) + 4 * len(dims) + 1024, 2 * (len(dims) - 1) + 4)


def _write_model_h5(model, path):
    """The model file, written into the temporary file ``path`` (atomic.write_h5: into reserved space)."""
    write_h5(path, _model_file_size(model), lambda f: _fill_model_h5(model, f))


def _fill_model_h5(model, f):
    """The datasets and attributes of docs/model-format.md, into the open HDF5 file ``f``."""
    import h5py

    from . import __version__
    dims = [int(d) for d in model.layer_dims_]
    f.attrs["format"] = MODEL_FORMAT
    f.attrs["format_version"] = np.int32(MODEL_FORMAT_VERSION)
    f.attrs["hidden_activation"] = str(model.hidden_activation)
    f.attrs["init"] = str(model.init)
    f.attrs["seed"] = np.int32(model.seed)
    f.attrs["stream"] = str(model.stream)
    f.attrs["learning_rate"] = np.float64(model.learning_rate)
    f.attrs["num_iterations"] = np.int32(model.num_iterations)
    f.attrs["print_every"] = np.int32(model.print_every)
    for name, kind in TRAINING_ATTRIBUTES.items():
        value = getattr(model, name)
        value = NONE_STORED_AS[name] if value is None else value
        if kind == "numbers":
            f.attrs[name] = np.asarray(value, dtype=np.float64).reshape(-1)
        elif kind == "integer":
            f.attrs[name] = np.int32(value)
        elif kind == "number":
            f.attrs[name] = np.float64(value)
        else:
            f.attrs[name] = str(value)
    f.attrs["writer"] = f"twinnet {__version__} (Python)"
    f.create_dataset("layer_dims", data=np.asarray(dims, dtype=np.int32))
    g = f.create_group("parameters")
    for l in range(1, len(dims)):
        for name in (f"W{l}", f"b{l}"):
            g.create_dataset(name, data=np.ascontiguousarray(model.parameters_[name], dtype=np.float64))
    c = f.create_group("costs")
    c.create_dataset("iteration", data=model.costs_["iteration"].to_numpy().astype(np.int32))
    c.create_dataset("cost", data=model.costs_["cost"].to_numpy().astype(np.float64))
    classes = np.asarray(model.classes_)
    if classes.dtype.kind in "biuf":
        f.create_dataset("classes", data=classes.astype(np.float64))
    else:
        f.create_dataset("classes", data=np.array([str(c) for c in classes], dtype=object),
                         dtype=h5py.string_dtype("utf-8"))


def _model_refuse(expected, got):
    return input_error("path", expected, got)


def _text(v):
    if isinstance(v, np.ndarray) and v.size == 1:
        v = v.reshape(-1)[0]
    if isinstance(v, (bytes, np.bytes_)):
        return v.decode("utf-8")
    return v


def _model_attr(f, name, kind):
    if name not in f.attrs:
        raise _model_refuse(f"an attribute {name}", "no such attribute")
    if kind == "numbers":
        v = np.asarray(f.attrs[name])
        if v.ndim > 1 or v.size == 0 or v.dtype.kind != "f":
            raise _model_refuse(f"attribute {name} one or more numbers", describe(v))
        v = v.reshape(-1)
        return float(v[0]) if v.size == 1 else tuple(float(x) for x in v)
    v = _text(f.attrs[name])
    if kind == "string":
        if not isinstance(v, str):
            raise _model_refuse(f"attribute {name} a string", describe(v))
        return v
    v = np.asarray(v)
    if v.size != 1 or v.dtype.kind not in "iuf":
        raise _model_refuse(f"attribute {name} a number", describe(v))
    v = v.reshape(-1)[0]
    if kind == "integer":
        if not np.isfinite(v) or v != int(v):
            raise _model_refuse(f"attribute {name} a whole number", describe(v.item()))
        return int(v)
    return float(v)


def _model_dataset(f, name):
    state = files.h5_link_state(f, name)
    if state != "dataset":
        raise _model_refuse(f"a dataset {name}", "a broken link" if state == "broken link" else "no such dataset")
    return f[name]


def load_model(path):
    """Read a model file written by either language; returns a fitted NeuralNet."""
    import h5py

    from .estimator import NeuralNet  # here, not at import: the estimator may bring scikit-learn

    path = check_path(path, "path", MODEL_LOAD_EXPECTED)
    words = files.h5_probe(path)
    if words is not None:
        raise files.fault("path", MODEL_EXPECTED, path, words)
    try:
        f = h5py.File(path, "r")
    except OSError as exc:
        raise files.fault("path", MODEL_EXPECTED, path,
                          f"truncated or not an HDF5 file: {files._h5_error_text(exc)}") from None
    with f:
        fmt = _text(f.attrs.get("format"))
        if fmt != MODEL_FORMAT:
            raise _model_refuse(f'a twinnet model file (attribute format = "{MODEL_FORMAT}")',
                          "no format attribute" if fmt is None else f"format {describe(fmt)}")
        version = _model_attr(f, "format_version", "integer")
        if version not in READABLE_VERSIONS:
            raise _model_refuse(f"format version {MODEL_FORMAT_VERSION} (or 1)", f"format version {version}")
        act = _model_attr(f, "hidden_activation", "string")
        if act not in ACTIVATIONS:
            raise _model_refuse("hidden_activation one of " + ", ".join(f'"{a}"' for a in ACTIVATIONS), describe(act))
        init = _model_attr(f, "init", "string")
        if init not in INIT_SCHEMES:
            raise _model_refuse("init one of " + ", ".join(f'"{s}"' for s in INIT_SCHEMES), describe(init))
        stream = _model_attr(f, "stream", "string") if "stream" in f.attrs else STREAMS[0]  # absent: older files
        if stream not in STREAMS:
            raise _model_refuse("stream one of " + ", ".join(f'"{s}"' for s in STREAMS), describe(stream))
        config = {name: _model_attr(f, name, kind) for name, kind in
                  (("seed", "integer"), ("learning_rate", "number"), ("num_iterations", "integer"),
                   ("print_every", "integer"))}
        if version >= 2:
            for name, kind in TRAINING_ATTRIBUTES.items():
                value = _model_attr(f, name, kind)
                config[name] = None if value == NONE_STORED_AS.get(name) else value
            if config["optimizer"] not in OPTIMIZERS:
                raise _model_refuse("optimizer one of " + ", ".join(f'"{o}"' for o in OPTIMIZERS),
                                    describe(config["optimizer"]))
            if config["decay"] is not None and config["decay"] not in DECAYS:
                raise _model_refuse("decay one of " + ", ".join(f'"{d}"' for d in ("none",) + DECAYS),
                                    describe(config["decay"]))

        ds = _model_dataset(f, "layer_dims")
        dims = np.asarray(ds[()])
        if dims.ndim != 1 or dims.size < 2 or dims.dtype.kind not in "iu" or np.any(dims < 1) or dims[-1] != 1:
            raise _model_refuse("layer_dims of 2 or more whole numbers >= 1 ending in 1",
                          f"{dims.tolist() if dims.ndim == 1 else describe(dims)}")
        dims = [int(d) for d in dims]
        L = len(dims) - 1
        weights = sum(float(dims[l]) * dims[l - 1] + dims[l] for l in range(1, L + 1))
        check_memory(DOUBLE * 2.0 * weights, "path", f"a model of layer_dims {dims}")
        parameters = {}
        for l in range(1, L + 1):
            for name, shape in ((f"W{l}", (dims[l], dims[l - 1])), (f"b{l}", (dims[l], 1))):
                d = _model_dataset(f, f"parameters/{name}")
                if d.shape != shape:
                    raise _model_refuse(f"parameters/{name} of shape {shape_str(shape)} (layer_dims {dims})",
                                  f"shape {shape_str(d.shape)}")
                if d.dtype.kind != "f":
                    raise _model_refuse(f"parameters/{name} of 64-bit floats", f"type {d.dtype}")
                parameters[name] = np.asarray(d[()], dtype=np.float64)
                bad = int(parameters[name].size - np.count_nonzero(np.isfinite(parameters[name])))
                if bad:
                    raise _model_refuse(f"parameters/{name} of finite values (no NaN or Inf)",
                                        f"{bad} non-finite value(s)")
        extra = f"parameters/W{L + 1}"
        if files.h5_link_state(f, extra) != "missing":
            raise _model_refuse(f"{L} layers (layer_dims {dims})", f"a dataset {extra} as well")

        it = np.asarray(_model_dataset(f, "costs/iteration")[()])
        cost = np.asarray(_model_dataset(f, "costs/cost")[()])
        if it.ndim != 1 or cost.ndim != 1 or it.size != cost.size or it.size == 0 \
                or it.dtype.kind not in "iu" or cost.dtype.kind != "f":
            raise _model_refuse("costs/iteration (integers) and costs/cost (floats) of one equal length",
                          f"shapes {shape_str(it.shape)} and {shape_str(cost.shape)}")

        raw = _model_dataset(f, "classes")
        if raw.ndim != 1 or raw.shape[0] != 2:
            raise _model_refuse("classes of length 2", f"shape {shape_str(raw.shape)}")
        if raw.dtype.kind in "iuf":
            values = np.asarray(raw[()], dtype=np.float64)
            classes = values.astype(np.int64) if np.all(values == np.round(values)) else values
        elif raw.dtype.kind in "OSU":
            classes = np.array([_text(v) for v in raw[()]])
        else:
            raise _model_refuse("classes as numbers or strings", f"type {raw.dtype}")

    model = NeuralNet(hidden_layers=tuple(dims[1:-1]), hidden_activation=act, init=init, stream=stream, **config)
    model.parameters_ = parameters
    model.costs_ = pd.DataFrame({"iteration": it.astype(np.int64), "cost": cost.astype(np.float64)})
    model.classes_ = classes
    model.n_features_in_ = dims[0]
    model.layer_dims_ = dims
    return model


__all__ = ["save_model", "load_model", "MODEL_FORMAT", "MODEL_FORMAT_VERSION"]

"""The variants the benchmark times: (a) the textbook loop, (b) twinnet in Python, (c) twinnet in R, (d) PyTorch,
(e) scikit-learn.

A variant is a key ("textbook", "python-direct", "python-gram", "r-direct",
"r-gram", "pytorch"; on the mini-batch case "python-adam", "r-adam",
"pytorch-adam", "sklearn-adam"); ``variants_for`` lists those run on a case
and ``run_variant`` runs one, untimed printing excluded. Adding a variant is
a new key in both.
"""

import gc
import os
import tempfile
import time
from pathlib import Path

import numpy as np

import twinnet as tn
from cases import LEARNING_RATE
from machine import debian_package_of

R_CODE = Path(__file__).with_name("bench.R")


def textbook_model(X, Y, layer_dims, learning_rate=LEARNING_RATE, num_iterations=2500, print_every=100):
    """The contract's training loop as a textbook writes it, nothing optimised.

    relu hidden layers, sigmoid output, the cost from Z_L every iteration,
    dZ_L = A_L - Y, dA computed for every layer including the input's (dA0),
    fresh arrays everywhere and a new parameter dict at every update. Same
    initial parameters as twinnet (seed 1, xavier). Returns (parameters, costs).
    """
    parameters = tn.initialize_parameters(layer_dims, seed=1)
    L = len(layer_dims) - 1
    m = X.shape[1]
    costs = []
    for i in range(num_iterations):
        caches = []
        A = X
        for l in range(1, L + 1):
            A_prev = A
            W = parameters["W" + str(l)]
            b = parameters["b" + str(l)]
            Z = np.dot(W, A_prev) + b
            if l < L:
                A = np.maximum(0, Z)
            else:
                with np.errstate(over="ignore"):
                    A = 1 / (1 + np.exp(-Z))
            caches.append((A_prev, W, b, Z))
        ZL = caches[-1][3]
        cost = np.sum(np.maximum(ZL, 0) - ZL * Y + np.log1p(np.exp(-np.abs(ZL)))) / m
        if i % print_every == 0 or i == num_iterations - 1:
            costs.append(float(cost))
        grads = {}
        dZ = A - Y
        dA = None
        for l in range(L, 0, -1):
            A_prev, W, b, Z = caches[l - 1]
            if l < L:
                dZ = np.array(dA, copy=True)
                dZ[Z <= 0] = 0
            grads["dW" + str(l)] = np.dot(dZ, A_prev.T) / m
            grads["db" + str(l)] = np.sum(dZ, axis=1, keepdims=True) / m
            dA = np.dot(W.T, dZ)  # for l = 1 this is dA0, which nobody needs
        parameters = {k: parameters[k] - learning_rate * grads["d" + k] for k in parameters}
    return parameters, costs


def torch_available():
    try:
        import torch  # noqa: F401
        return True
    except Exception:
        return False


def rows_prepare(X, Y):
    """Examples as rows, C-contiguous numpy arrays, as PyTorch and scikit-learn users hold them (made once,
    untimed; the variants (d) and (e) share this one copy)."""
    return np.ascontiguousarray(X.T), np.ascontiguousarray(Y.T)


def needs_rows(key):
    """Whether the variant trains on the examples-as-rows copy (rows_prepare)."""
    return key.startswith(("pytorch", "sklearn"))


def torch_network(layer_dims):
    """nn.Linear layers with twinnet's initial parameters (seed 1, xavier) and ReLU between them, float64."""
    import torch
    p = tn.initialize_parameters(layer_dims, seed=1)
    L = len(layer_dims) - 1
    layers = []
    for l in range(1, L + 1):
        lin = torch.nn.Linear(layer_dims[l - 1], layer_dims[l], dtype=torch.float64)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(p[f"W{l}"]))
            lin.bias.copy_(torch.from_numpy(p[f"b{l}"][:, 0]))
        layers.append(lin)
        if l < L:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def torch_model(Xt, Yt, layer_dims, learning_rate=LEARNING_RATE, num_iterations=2500, print_every=100):
    """The same network in PyTorch: nn.Linear layers with twinnet's initial parameters,
    ReLU, BCEWithLogitsLoss (the cost from Z_L), plain SGD, float64, full batch."""
    import torch
    model = torch_network(layer_dims)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    opt = torch.optim.SGD(model.parameters(), lr=learning_rate)
    costs = []
    for i in range(num_iterations):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(Xt), Yt)
        if i % print_every == 0 or i == num_iterations - 1:
            costs.append(loss.item())
        loss.backward()
        opt.step()
    return model, costs


def torch_minibatch_model(Xt, Yt, layer_dims, learning_rate, num_epochs, mini_batch_size, mini_batch_seed=10):
    """Adam on mini-batches in PyTorch, float64: twinnet's initial parameters and twinnet's batches.

    Each epoch takes twinnet's permutation (``rng_permutation(m, mini_batch_seed + e + 1)``: the same
    batches as (b) and (c)), gathers each batch's rows with ``index_select`` and makes one
    ``torch.optim.Adam`` step (the course's Adam in exact arithmetic: its bias correction is
    ``lr / (1 - beta1^t)`` and ``sqrt(v) / sqrt(1 - beta2^t) + eps``). Returns (model, epoch costs): the
    sum of the batches' losses over m, as twinnet's.
    """
    import torch
    model = torch_network(layer_dims)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    opt = torch.optim.Adam(model.parameters(), lr=learning_rate, betas=(0.9, 0.999), eps=1e-8)
    m = Xt.shape[0]
    costs = []
    for epoch in range(num_epochs):
        perm = torch.from_numpy(tn.rng_permutation(m, (mini_batch_seed + epoch + 1) % 2**31))
        total = 0.0
        for k in range(0, m, mini_batch_size):
            idx = perm[k:k + mini_batch_size]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(Xt.index_select(0, idx)), Yt.index_select(0, idx))
            total += loss.item() * len(idx)
            loss.backward()
            opt.step()
        costs.append(total / m)
    return model, costs


def sklearn_available():
    try:
        import sklearn.neural_network  # noqa: F401
        return True
    except Exception:
        return False


def sklearn_model(Xr, Yr, layer_dims, learning_rate, num_epochs, mini_batch_size):
    """scikit-learn's MLPClassifier with solver="adam" on mini-batches of the same size, float64.

    Its own initialisation (Glorot uniform) and its own shuffling: not the same numbers as twinnet's,
    the same work (no L2: ``alpha=0``; no early stopping). ``Xr``, ``Yr`` are examples as rows
    (rows_prepare). Returns (model, per-epoch losses).
    """
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    net = MLPClassifier(hidden_layer_sizes=tuple(layer_dims[1:-1]), activation="relu", solver="adam", alpha=0.0,
                        batch_size=mini_batch_size, learning_rate_init=learning_rate, max_iter=num_epochs,
                        shuffle=True, random_state=1, tol=0.0, n_iter_no_change=num_epochs + 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        net.fit(Xr, Yr.ravel())
    return net, list(net.loss_curve_)


class RSide:
    """The R twin through rpy2 (bench/bench.R sourced), with the data held in R's global environment."""

    def __init__(self):
        from twinnet.rbridge import RTwin
        self.twin = RTwin()
        self.ro = self.twin._ro
        self.ro.r["source"](str(R_CODE))

    def _r(self, name):
        return self.ro.globalenv[name]

    def put(self, name, value):
        """Give R a copy of a 2-D array as the global ``name``.

        Through a temporary file written column by column, so that the only
        full-size copy made is R's own (rpy2's conversion would leave a
        Fortran-ordered numpy copy behind, which would blur the memory figures).
        """
        value = np.asarray(value, dtype=np.float64)
        fd, path = tempfile.mkstemp(suffix=".bin")
        try:
            with os.fdopen(fd, "wb") as f:
                step = max(1, (1 << 24) // max(1, value.shape[0]))
                for j in range(0, value.shape[1], step):
                    np.ascontiguousarray(value[:, j:j + step].T).tofile(f)
            self.ro.r["assign"](name, self._r("bench_read_matrix")(path, value.shape[0], value.shape[1]),
                                envir=self.ro.globalenv)
        finally:
            os.unlink(path)

    def data(self, case):
        return self._r(f"bench_X_{case.name}"), self._r(f"bench_Y_{case.name}")

    def drop(self, case):
        """Free R's copy of the case's data."""
        self.ro.r(f"rm(bench_X_{case.name}, bench_Y_{case.name}); invisible(gc())")

    def fit(self, case, solver, iterations=None):
        out = self.twin.from_r(self._r("bench_fit")(*self.data(case), self.twin.to_r(case.dims), case.lr,
                                                    int(iterations or case.iterations), solver,
                                                    self.twin.to_r(case.options)))
        return float(out["seconds"]), float(out["cost"])

    def peak(self, case, solver, iterations):
        """R's heap "max used" (Mb) during one training run."""
        return float(self.twin.from_r(self._r("bench_peak")(*self.data(case), self.twin.to_r(case.dims), case.lr,
                                                            int(iterations), solver, self.twin.to_r(case.options))))

    def products(self, case, solver, products, reps):
        """Seconds of each of ``products`` (cases.iteration_products) timed alone in R (bench.R)."""
        kinds = self.ro.StrVector([kind for _, kind, _ in products])
        layers = self.ro.IntVector([l for _, _, l in products])
        out = self._r("bench_products")(self.data(case)[0], self.twin.to_r(case.dims), solver, kinds, layers, reps)
        return [float(x) for x in out]

    def info(self):
        out = self.twin.from_r(self._r("bench_info")())
        out["r_blas_package"] = debian_package_of(out["r_blas"])
        return out


def variants_for(case, rside, with_torch, auto_only=False):
    """(key, label, language, solver) of every variant run on this case; with ``auto_only`` twinnet's
    full-batch variants only with the solver auto picks (direct is then left out where it picks gram)."""
    if case.options:  # the mini-batch workload: no textbook loop, no gram solver
        size = case.options["mini_batch_size"]
        out = [("python-adam", f"(b) twinnet Python, Adam, batches of {size}", "python", "direct")]
        if rside is not None:
            out.append(("r-adam", f"(c) twinnet R, Adam, batches of {size}", "R", "direct"))
        if with_torch:
            out.append(("pytorch-adam", f"(d) PyTorch CPU float64, Adam, batches of {size}", "python", "-"))
        if sklearn_available():
            out.append(("sklearn-adam", f"(e) scikit-learn MLPClassifier, adam, batches of {size}", "python", "-"))
        return "direct", out
    auto = tn.choose_solver(case.X, case.dims, case.iterations)
    direct = not (auto_only and auto == "gram")
    out = [("textbook", "(a) textbook (numpy)", "python", "-")]
    if direct:
        out.append(("python-direct", "(b) twinnet Python, direct", "python", "direct"))
    if auto == "gram":
        out.append(("python-gram", "(b) twinnet Python, gram (auto)", "python", "gram"))
    if rside is not None:
        if direct:
            out.append(("r-direct", "(c) twinnet R, direct", "R", "direct"))
        if auto == "gram":
            out.append(("r-gram", "(c) twinnet R, gram (auto)", "R", "gram"))
    if with_torch:
        out.append(("pytorch", "(d) PyTorch CPU float64", "python", "-"))
    return auto, out


def run_variant(key, case, rside, rows, iterations=None):
    """(seconds, final cost) of one training run; nothing printed while timing.

    ``rows`` is rows_prepare's examples-as-rows copy, for the variants that need it (needs_rows).
    """
    T = int(iterations or case.iterations)
    gc.collect()
    if key.startswith("r-"):
        return rside.fit(case, "direct" if key == "r-adam" else key.split("-", 1)[1], T)
    if key.startswith("pytorch"):
        import torch
        rows = tuple(torch.from_numpy(a) for a in rows)  # the same memory, no copy
    t0 = time.perf_counter()
    if key == "textbook":
        _, costs = textbook_model(case.X, case.Y, case.dims, case.lr, T)
    elif key == "python-adam":
        _, hist = tn.L_layer_model(case.X, case.Y, case.dims, case.lr, T, **case.options)
        costs = hist["cost"].tolist()
    elif key.startswith("python-"):
        _, hist = tn.L_layer_model(case.X, case.Y, case.dims, case.lr, T, solver=key.split("-", 1)[1])
        costs = hist["cost"].tolist()
    elif key == "pytorch":
        _, costs = torch_model(*rows, case.dims, case.lr, T)
    elif key == "pytorch-adam":
        _, costs = torch_minibatch_model(*rows, case.dims, case.lr, T, case.options["mini_batch_size"])
    elif key == "sklearn-adam":
        _, costs = sklearn_model(*rows, case.dims, case.lr, T, case.options["mini_batch_size"])
    else:
        raise ValueError(key)
    return time.perf_counter() - t0, float(costs[-1])

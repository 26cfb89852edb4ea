"""One calling convention for both twins, so that a test is written once.

``PythonTwin`` calls the Python package; ``RTwinAdapter`` calls the R package
through rpy2 and turns R's named lists back into the Python shapes (tuples,
0-based permutations). Each method returns what the Python function returns.
"""

import numpy as np

import twinnet


class PythonTwin:
    lang = "python"

    def __getattr__(self, name):
        return getattr(twinnet, name)

    def activation(self, name, direction, *args):
        return twinnet.ACTIVATIONS[name][0 if direction == "forward" else 1](*args)


class RTwinAdapter:
    lang = "r"

    def __init__(self, r):
        self.r = r

    def __getattr__(self, name):
        return getattr(self.r, name)

    def rng_sample(self, seed, n_uniform=0, n_normal=0, stream="portable"):
        out = self.r.rng_sample(seed, n_uniform, n_normal, stream)
        return np.atleast_1d(np.asarray(out["uniform"], dtype=float)), np.atleast_1d(np.asarray(out["normal"], dtype=float))

    def rng_permutation(self, n, seed, stream="portable"):
        return np.atleast_1d(np.asarray(self.r.rng_permutation(n, seed, stream))) - 1

    # numpy's stream step by step: (values, state) as in Python, 0-based permutations
    def _numpy_draw(self, name, state, size):
        out = self.r.call(name, state, list(size) if isinstance(size, (list, tuple)) else size)
        values = np.asarray(out["values"])
        if not isinstance(size, (list, tuple)):
            values = np.atleast_1d(values).reshape(size)
        if name == "numpy_permutation":
            values = values.astype(np.int64) - 1
        return values, out["state"]

    def numpy_randn(self, state, size):
        return self._numpy_draw("numpy_randn", state, size)

    def numpy_rand(self, state, size):
        return self._numpy_draw("numpy_rand", state, size)

    def numpy_permutation(self, state, n):
        return self._numpy_draw("numpy_permutation", state, n)

    def L_model_forward(self, X, parameters, hidden_activation="relu", keep_prob=1.0, masks=None):
        out = self.r.L_model_forward(X, parameters, hidden_activation, keep_prob, masks)
        return out["AL"], out["caches"]

    def L_layer_model(self, *args, **kwargs):
        out = self.r.L_layer_model(*args, **kwargs)
        return out["parameters"], out["costs"]

    def make_circles(self, *args, **kwargs):
        out = self.r.make_circles(*args, **kwargs)
        return out["X"], out["Y"]

    def make_moons(self, *args, **kwargs):
        out = self.r.make_moons(*args, **kwargs)
        return out["X"], out["Y"]

    # the course's second part: R's named lists as Python's tuples
    def random_mini_batches(self, *args, **kwargs):
        return [(b["X"], b["Y"]) for b in self.r.random_mini_batches(*args, **kwargs)]

    def initialize_adam(self, parameters):
        out = self.r.initialize_adam(parameters)
        return out["v"], out["s"]

    def update_parameters_with_momentum(self, *args, **kwargs):
        out = self.r.update_parameters_with_momentum(*args, **kwargs)
        return out["parameters"], out["v"]

    def update_parameters_with_adam(self, *args, **kwargs):
        out = self.r.update_parameters_with_adam(*args, **kwargs)
        return tuple(out[k] for k in ("parameters", "v", "s", "v_corrected", "s_corrected"))

    def activation(self, name, direction, *args):
        return self.r.call(f"{name}_{direction}", *args)

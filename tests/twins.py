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

    def rng_sample(self, seed, n_uniform=0, n_normal=0):
        out = self.r.rng_sample(seed, n_uniform, n_normal)
        return np.atleast_1d(np.asarray(out["uniform"], dtype=float)), np.atleast_1d(np.asarray(out["normal"], dtype=float))

    def rng_permutation(self, n, seed):
        return np.atleast_1d(np.asarray(self.r.rng_permutation(n, seed))) - 1

    def L_model_forward(self, X, parameters, hidden_activation="relu"):
        out = self.r.L_model_forward(X, parameters, hidden_activation)
        return out["AL"], out["caches"]

    def L_layer_model(self, *args, **kwargs):
        out = self.r.L_layer_model(*args, **kwargs)
        return out["parameters"], out["costs"]

    def make_circles(self, *args, **kwargs):
        out = self.r.make_circles(*args, **kwargs)
        return out["X"], out["Y"]

    def activation(self, name, direction, *args):
        return self.r.call(f"{name}_{direction}", *args)

"""Both languages refuse the same bad inputs with the same message (contract section 12).

Each case is fed to the Python function and, through rpy2, to its R twin.
Python must raise ValueError or TypeError, R an error of class
twinnet_input_error, and both messages must name the same argument and say
the same "expected ..." (the "got ..." part may use each language's words).
"""

import numpy as np
import pytest
from helpers import refuse_both

import twinnet

X = np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])
Y = np.array([[0.0, 1.0, 1.0]])
P = twinnet.initialize_parameters([2, 3, 1], seed=1)
NAN_X = X.copy()
NAN_X[0, 1] = np.nan
INF_X = X.copy()
INF_X[1, 2] = np.inf

CASES = {
    "X 1-D": ("L_model_forward", (np.array([1.0, 2.0]), P), {}, "X", "a 2-D numeric matrix"),
    "X text": ("L_model_forward", ("abc", P), {}, "X", "a 2-D numeric matrix"),
    "X NaN": ("L_layer_model", (NAN_X, Y, [2, 3, 1]), {}, "X", "finite values (no NaN or Inf)"),
    "X Inf": ("L_model_forward", (INF_X, P), {}, "X", "finite values (no NaN or Inf)"),
    "Y not 1 x m": ("L_layer_model", (X, np.ones((2, 3)), [2, 3, 1]), {}, "Y", "a 1 x m numeric matrix of 0/1 labels"),
    "Y values": ("L_layer_model", (X, np.array([[0.0, 2.0, 1.0]]), [2, 3, 1]), {}, "Y", "values 0 or 1 only"),
    "Y half": ("compute_cost", (np.full((1, 3), 0.5), np.array([[0.5, 1.0, 0.0]])), {}, "Y", "values 0 or 1 only"),
    "m differs": ("L_layer_model", (X, np.array([[0.0, 1.0]]), [2, 3, 1]), {}, "Y", "m = 3 columns, as many as X"),
    "layer_dims[0] != n_x": ("L_layer_model", (X, Y, [3, 3, 1]), {}, "layer_dims",
                             "a first entry equal to n_x = 2 (the rows of X)"),
    "layer size 0": ("initialize_parameters", ([2, 0, 1],), {}, "layer_dims", "whole numbers >= 1"),
    "layer size 2.5": ("initialize_parameters", ([2, 2.5, 1],), {}, "layer_dims", "whole numbers >= 1"),
    "one layer size": ("initialize_parameters", ([2],), {}, "layer_dims", "at least 2 layer sizes (n_x, ..., 1)"),
    "output size 2": ("initialize_parameters", ([2, 2],), {}, "layer_dims", "an output layer of size 1"),
    "activation": ("L_model_forward", (X, P), {"hidden_activation": "softmax"}, "hidden_activation",
                   'one of "sigmoid", "relu", "tanh", "leaky_relu"'),
    "scheme": ("initialize_parameters", ([2, 3, 1],), {"scheme": "glorot"}, "scheme",
               'one of "scaled", "xavier", "he", "standard"'),
    "learning rate 0": ("L_layer_model", (X, Y, [2, 3, 1]), {"learning_rate": 0.0}, "learning_rate",
                        "a positive finite number"),
    "learning rate inf": ("update_parameters", (P, {}, float("inf")), {}, "learning_rate", "a positive finite number"),
    "learning rate -1": ("L_layer_model", (X, Y, [2, 3, 1]), {"learning_rate": -1.0}, "learning_rate",
                         "a positive finite number"),
    "num_iterations 0": ("L_layer_model", (X, Y, [2, 3, 1]), {"num_iterations": 0}, "num_iterations",
                         "a whole number >= 1"),
    "print_every 0": ("L_layer_model", (X, Y, [2, 3, 1]), {"print_every": 0}, "print_every", "a whole number >= 1"),
    "seed -1": ("initialize_parameters", ([2, 3, 1],), {"seed": -1}, "seed", "a whole number in 0..2147483647"),
    "seed 2^31": ("initialize_parameters", ([2, 3, 1],), {"seed": 2**31}, "seed", "a whole number in 0..2147483647"),
    "seed 1.5": ("rng_normal", (3, 1.5), {}, "seed", "a whole number in 0..2147483647"),
    "missing key": ("L_model_forward", (X, {"W1": P["W1"], "b1": P["b1"], "W2": P["W2"]}), {}, "parameters",
                    "a mapping with keys W1, b1, ..., WL, bL"),
    "W shape": ("L_model_forward", (X, dict(P, W2=np.ones((1, 4)))), {}, 'parameters["W2"]',
                "3 columns (the rows of W1)"),
    "b shape": ("L_model_forward", (X, dict(P, b1=np.zeros((1, 3)))), {}, 'parameters["b1"]', "shape (3, 1)"),
    "W1 vs X": ("predict_class", (np.ones((4, 3)), P), {}, 'parameters["W1"]', "4 columns (the rows of X)"),
    "given parameters, other sizes": ("L_layer_model", (X, Y, [2, 4, 1]), {"parameters": P}, "parameters",
                                      "layer sizes [2, 4, 1] (layer_dims)"),
    "given parameters, not a mapping": ("L_layer_model", (X, Y, [2, 3, 1]), {"parameters": [P["W1"]]}, "parameters",
                                        "a mapping with keys W1, b1, ..., WL, bL"),
    "given parameters, W shape": ("L_layer_model", (X, Y, [2, 3, 1]), {"parameters": dict(P, W2=np.ones((1, 4)))},
                                  'parameters["W2"]', "3 columns (the rows of W1)"),
    "stability tolerance": ("training_stability", (X, Y, [2, 3, 1]), {"tolerance": -1.0}, "tolerance",
                            "a positive finite number"),
    "grads missing": ("update_parameters", (P, {"dW1": np.zeros((3, 2))}, 0.1), {}, "grads",
                      "a mapping with db1 of the shape of b1"),
    "circles n": ("make_circles", (1,), {}, "n_samples", "a whole number >= 2"),
    "circles factor": ("make_circles", (10,), {"factor": 1.5}, "factor", "a number in (0, 1)"),
}

@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_both_languages_refuse(r, case):
    fn, args, kwargs, arg, expected = CASES[case]
    refuse_both(r, twinnet, fn, args, kwargs, arg, expected)


def test_python_error_kinds():
    with pytest.raises(TypeError):
        twinnet.L_model_forward("abc", P)
    with pytest.raises(ValueError):
        twinnet.initialize_parameters([2, 0, 1])

"""Both languages refuse the same bad inputs with the same message (contract section 12).

Each case is fed to the Python function and, through rpy2, to its R twin.
Python must raise ValueError or TypeError, R an error of class
twinnet_input_error, and both messages must name the same argument and say
the same "expected ..." (the "got ..." part may use each language's words).
"""

from types import SimpleNamespace

import numpy as np
import pytest
from helpers import refuse_both

from twinnet import NeuralNet

import twinnet
from twinnet.solver import GRAM_PLAIN_ONLY

X = np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])
Y = np.array([[0.0, 1.0, 1.0]])
P = twinnet.initialize_parameters([2, 3, 1], seed=1)
NAN_X = X.copy()
NAN_X[0, 1] = np.nan
INF_X = X.copy()
INF_X[1, 2] = np.inf
P_NAN = dict(P, W2=P["W2"].copy())
P_NAN["W2"][0, 1] = np.nan
STATE = twinnet.numpy_seed(1)
P3 = twinnet.initialize_parameters([2, 3, 3, 1], seed=1)
GRADS = {f"d{k}": np.ones_like(v) for k, v in P.items()}
ZEROS = twinnet.initialize_velocity(P)
KEEP = "a number in (0, 1], or 1 of them (one per hidden layer)"

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
    "output size 2": ("L_layer_model", (X, Y, [2, 2]), {}, "layer_dims", "an output layer of size 1"),
    "predict with 2 outputs": ("predict_class", (X, twinnet.initialize_parameters([2, 3, 2])), {}, 'parameters["W2"]',
                               "1 row (the output layer)"),
    "gradient check with 2 outputs": ("gradient_check", (X, Y, twinnet.initialize_parameters([2, 3, 2])), {},
                                      'parameters["W2"]', "1 row (the output layer)"),
    "backward AL 2 x m": ("L_model_backward", (np.full((2, 3), 0.5), Y, [{}]), {}, "AL", "shape (1, 3), as Y"),
    "cost AL 2 x m": ("compute_cost", (np.full((2, 3), 0.5), Y), {}, "AL", "shape (1, 3), as Y"),
    "activation": ("L_model_forward", (X, P), {"hidden_activation": "softmax"}, "hidden_activation",
                   'one of "sigmoid", "relu", "tanh", "leaky_relu"'),
    "scheme": ("initialize_parameters", ([2, 3, 1],), {"scheme": "glorot"}, "scheme",
               'one of "scaled", "xavier", "he", "standard", "zeros", "random"'),
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
    "stability tolerance": ("training_stability", (X, Y, [2, 3, 1]), {"tolerance": -1.0}, "tolerance",
                            "a positive finite number"),
    "grads missing": ("update_parameters", (P, {"dW1": np.zeros((3, 2))}, 0.1), {}, "grads",
                      "a mapping with db1 of the shape of b1"),
    "circles n": ("make_circles", (1,), {}, "n_samples", "a whole number >= 2"),
    # the random streams (contract section 23)
    "stream": ("initialize_parameters", ([2, 3, 1],), {"stream": "mt"}, "stream", 'one of "portable", "numpy"'),
    "stream of training": ("L_layer_model", (X, Y, [2, 3, 1]), {"stream": 1}, "stream", 'one of "portable", "numpy"'),
    "stream of split": ("train_test_split_indices", (10,), {"stream": "Numpy"}, "stream", 'one of "portable", "numpy"'),
    "stream of circles": ("make_circles", (10,), {"stream": None}, "stream", 'one of "portable", "numpy"'),
    "numpy seed": ("numpy_seed", (-1,), {}, "seed", "a whole number in 0..2147483647"),
    "numpy state": ("numpy_randn", ({"key": [1, 2, 3]}, 3), {}, "state",
                    "a numpy stream state from numpy_seed() (key, pos, has_gauss, gauss)"),
    "numpy state key": ("numpy_rand", (dict(STATE, key=np.arange(600)), 3), {}, "state",
                        "a numpy stream state from numpy_seed() (key, pos, has_gauss, gauss)"),
    "numpy state pos": ("numpy_randn", (dict(STATE, pos=625), 3), {}, "state",
                        "a numpy stream state from numpy_seed() (key, pos, has_gauss, gauss)"),
    "numpy size": ("numpy_randn", (STATE, -1), {}, "size", "a whole number >= 0 or two of them (rows, columns)"),
    "numpy size 3-D": ("numpy_rand", (STATE, [2, 2, 2]), {}, "size", "a whole number >= 0 or two of them (rows, columns)"),
    "numpy permutation n": ("numpy_permutation", (STATE, 2.5), {}, "n", "a whole number >= 0"),
    # training from given parameters
    "parameters not a mapping": ("L_layer_model", (X, Y, [2, 3, 1]), {"parameters": "abc"}, "parameters",
                                 "a mapping with keys W1, b1, ..., WL, bL"),
    "parameters of other layers": ("L_layer_model", (X, Y, [2, 3, 3, 1]), {"parameters": P}, "parameters",
                                   "the keys W1, b1, ..., W3, b3 of layer_dims (2, 3, 3, 1)"),
    "parameters W1 rows": ("L_layer_model", (X, Y, [2, 3, 1]),
                           {"parameters": twinnet.initialize_parameters([2, 4, 1])}, 'parameters["W1"]',
                           "shape (3, 2) from layer_dims (2, 3, 1)"),
    "parameters output rows": ("L_layer_model", (X, Y, [2, 3, 1]),
                               {"parameters": twinnet.initialize_parameters([2, 3, 2])}, 'parameters["W2"]',
                               "shape (1, 3) from layer_dims (2, 3, 1)"),
    "parameters vs X": ("L_layer_model", (X, Y, [2, 3, 1]), {"parameters": twinnet.initialize_parameters([3, 3, 1])},
                        'parameters["W1"]', "2 columns (the rows of X)"),
    "parameters NaN": ("L_layer_model", (X, Y, [2, 3, 1]), {"parameters": P_NAN}, 'parameters["W2"]',
                       "finite values (no NaN or Inf)"),
    "parameters b shape": ("L_layer_model", (X, Y, [2, 3, 1]), {"parameters": dict(P, b2=np.zeros((1, 2)))},
                           'parameters["b2"]', "shape (1, 1)"),
    "circles factor": ("make_circles", (10,), {"factor": 1.5}, "factor", "a number in (0, 1)"),
    "stream of load_dataset": ("load_dataset", ("circles",), {"n_samples": 10, "stream": "Numpy"}, "stream",
                               'one of "portable", "numpy"'),
    # the course's second part (contract sections 31-37)
    "lambd -1": ("L_layer_model", (X, Y, [2, 3, 1]), {"lambd": -1.0}, "lambd", "a finite number >= 0"),
    "lambd inf": ("compute_cost_with_regularization", (np.full((1, 3), 0.5), Y, P, float("inf")), {}, "lambd",
                  "a finite number >= 0"),
    "lambd of backward": ("L_model_backward", (np.full((1, 3), 0.5), Y, twinnet.L_model_forward(X, P)[1]),
                          {"lambd": -0.5}, "lambd", "a finite number >= 0"),
    "lambd of gradient check": ("gradient_check", (X, Y, P), {"lambd": -1.0}, "lambd", "a finite number >= 0"),
    "keep_prob 0": ("L_layer_model", (X, Y, [2, 3, 1]), {"keep_prob": 0.0}, "keep_prob", KEEP),
    "keep_prob 1.5": ("L_layer_model", (X, Y, [2, 3, 1]), {"keep_prob": 1.5}, "keep_prob", KEEP),
    "keep_prob text": ("L_model_forward", (X, P), {"keep_prob": "half"}, "keep_prob", KEEP),
    "keep_prob per layer": ("L_layer_model", (X, Y, [2, 3, 3, 1]), {"keep_prob": [0.5, 0.6, 0.7]}, "keep_prob",
                            "a number in (0, 1], or 2 of them (one per hidden layer)"),
    "keep_prob of a layer": ("dropout_masks", ([2, 3, 3, 1], 4, [0.5, -0.1]), {}, "keep_prob",
                             "a number in (0, 1], or 2 of them (one per hidden layer)"),
    "masks missing": ("L_model_forward", (X, P), {"keep_prob": 0.5}, "masks",
                      "the masks D1 of the hidden layers with keep_prob < 1 (from dropout_masks()), n_l x m of 0/1 "
                      "values"),
    "masks of other layers": ("L_model_forward", (X, P3), {"keep_prob": [1.0, 0.5],
                                                           "masks": {"D1": np.ones((3, 3))}}, "masks",
                              "the masks D2 of the hidden layers with keep_prob < 1 (from dropout_masks()), n_l x m "
                              "of 0/1 values"),
    "mask shape": ("L_model_forward", (X, P), {"keep_prob": 0.5, "masks": {"D1": np.ones((3, 2))}}, 'masks["D1"]',
                   "a 3 x 3 matrix of 0/1 values"),
    "mask values": ("L_model_forward", (X, P), {"keep_prob": 0.5, "masks": {"D1": np.full((3, 3), 0.5)}},
                    'masks["D1"]', "a 3 x 3 matrix of 0/1 values"),
    "mini_batch_size 0": ("L_layer_model", (X, Y, [2, 3, 1]), {"mini_batch_size": 0}, "mini_batch_size",
                          "a whole number in 1..3 (the number of examples) or None"),
    "mini_batch_size > m": ("L_layer_model", (X, Y, [2, 3, 1]), {"mini_batch_size": 4}, "mini_batch_size",
                            "a whole number in 1..3 (the number of examples) or None"),
    "mini_batch_size 1.5": ("training_stability", (X, Y, [2, 3, 1]), {"mini_batch_size": 1.5}, "mini_batch_size",
                            "a whole number in 1..3 (the number of examples) or None"),
    "mini-batches of 0": ("random_mini_batches", (X, Y, 0), {}, "mini_batch_size",
                          "a whole number in 1..3 (the number of examples)"),
    "mini-batches > m": ("random_mini_batches", (X, Y, 5), {}, "mini_batch_size",
                         "a whole number in 1..3 (the number of examples)"),
    "mini-batches seed": ("random_mini_batches", (X, Y, 2), {"seed": -3}, "seed", "a whole number in 0..2147483647"),
    "optimizer": ("L_layer_model", (X, Y, [2, 3, 1]), {"optimizer": "sgd"}, "optimizer",
                  'one of "gd", "momentum", "adam"'),
    "beta 1": ("L_layer_model", (X, Y, [2, 3, 1]), {"optimizer": "momentum", "beta": 1.0}, "beta", "a number in [0, 1)"),
    "beta1 -0.1": ("L_layer_model", (X, Y, [2, 3, 1]), {"optimizer": "adam", "beta1": -0.1}, "beta1",
                   "a number in [0, 1)"),
    "beta2 1": ("update_parameters_with_adam", (P, GRADS, ZEROS, ZEROS, 1), {"beta2": 1.0}, "beta2",
                "a number in [0, 1)"),
    "beta of momentum": ("update_parameters_with_momentum", (P, GRADS, ZEROS, 1.5, 0.1), {}, "beta",
                         "a number in [0, 1)"),
    "epsilon 0": ("L_layer_model", (X, Y, [2, 3, 1]), {"optimizer": "adam", "epsilon": 0.0}, "epsilon",
                  "a positive finite number"),
    "epsilon of adam": ("update_parameters_with_adam", (P, GRADS, ZEROS, ZEROS, 1), {"epsilon": -1e-8}, "epsilon",
                        "a positive finite number"),
    "adam t 0": ("update_parameters_with_adam", (P, GRADS, ZEROS, ZEROS, 0), {}, "t", "a whole number >= 1"),
    "velocity shape": ("update_parameters_with_momentum", (P, GRADS, dict(ZEROS, dW1=np.zeros((2, 2))), 0.9, 0.1), {},
                       "v", "a mapping with dW1 of the shape of W1"),
    "decay": ("L_layer_model", (X, Y, [2, 3, 1]), {"decay": "exponential"}, "decay",
              'None or one of "update_lr", "schedule_lr_decay"'),
    "decay_rate -1": ("L_layer_model", (X, Y, [2, 3, 1]), {"decay": "update_lr", "decay_rate": -1.0}, "decay_rate",
                      "a finite number >= 0"),
    "update_lr rate": ("update_lr", (0.1, 3, -0.5), {}, "decay_rate", "a finite number >= 0"),
    "schedule interval": ("schedule_lr_decay", (0.1, 3, 1.0, 0), {}, "time_interval", "a whole number >= 1"),
    "time_interval 0": ("L_layer_model", (X, Y, [2, 3, 1]), {"decay": "schedule_lr_decay", "time_interval": 0},
                        "time_interval", "a whole number >= 1"),
    "epoch_num -1": ("update_lr", (0.1, -1, 1.0), {}, "epoch_num", "a whole number >= 0"),
    "mini_batch_seed": ("L_layer_model", (X, Y, [2, 3, 1]), {"mini_batch_seed": -1}, "mini_batch_seed",
                        "a whole number in 0..2147483647"),
    "dropout_seed": ("L_layer_model", (X, Y, [2, 3, 1]), {"dropout_seed": 2**31}, "dropout_seed",
                     "a whole number in 0..2147483647"),
    "gram with L2": ("L_layer_model", (X, Y, [2, 3, 1]), {"solver": "gram", "lambd": 0.1}, "solver",
                     GRAM_PLAIN_ONLY),
    "gram with mini-batches": ("choose_solver", (X, [2, 3, 1]), {"solver": "gram", "mini_batch_size": 2}, "solver",
                               GRAM_PLAIN_ONLY),
    "moons noise": ("make_moons", (10,), {"noise": -0.1}, "noise", "a finite number >= 0"),
    "moons n": ("make_moons", (1,), {}, "n_samples", "a whole number >= 2"),
}

# Warm start in the estimators (contract section 24): Python's second fit of NeuralNet(warm_start=True), R's
# neural_net(..., parameters = coef(fit)); the first fit has 4 hidden units on 2 features, the second fit's
# arguments change. The code is R (refuse_both calls it there) and names the Python that does the same.
R_WARM = ("(function(x, y, ...) twinnet::neural_net(x, y, ..., num_iterations = 2, parameters = coef("
          "twinnet::neural_net(x[, 1:2], y, hidden_layers = 4, num_iterations = 2))))")
WARM_PY = SimpleNamespace(**{R_WARM: lambda X, y, **kw: NeuralNet(hidden_layers=4, num_iterations=2, warm_start=True)
                             .fit(X[:, :2], y).set_params(num_iterations=2, **kw).fit(X, y)})
XW = np.vstack([X, X[:1]]).T  # 3 examples, 3 features
YW = Y.ravel()
WARM = {
    "warm start, other hidden sizes": ((XW[:, :2], YW), {"hidden_layers": 5}, 'parameters["W1"]',
                                       "shape (5, 2) from layer_dims (2, 5, 1)"),
    "warm start, more layers": ((XW[:, :2], YW), {"hidden_layers": (4, 4)}, "parameters",
                                "the keys W1, b1, ..., W3, b3 of layer_dims (2, 4, 4, 1)"),
    "warm start, other features": ((XW, YW), {"hidden_layers": 4}, 'parameters["W1"]', "3 columns (the rows of X)"),
}


@pytest.mark.parametrize("case", list(WARM), ids=list(WARM))
def test_both_estimators_refuse_parameters_of_other_shapes(r, case):
    args, kwargs, arg, expected = WARM[case]
    refuse_both(r, WARM_PY, R_WARM, args, kwargs, arg, expected)

@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_both_languages_refuse(r, case):
    fn, args, kwargs, arg, expected = CASES[case]
    refuse_both(r, twinnet, fn, args, kwargs, arg, expected)


def test_python_error_kinds():
    with pytest.raises(TypeError):
        twinnet.L_model_forward("abc", P)
    with pytest.raises(ValueError):
        twinnet.initialize_parameters([2, 0, 1])

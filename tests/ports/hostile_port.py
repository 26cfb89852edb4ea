# A port that misbehaves in every way a checker must survive (tests/ports/README.md): it hangs,
# hangs with the time-limit signal ignored, kills its own process, raises, returns the wrong
# types and writes a file into its working directory. `twinnet verify` must report each of
# these for that function and go on; the two functions that are right must still pass.
import os
import signal

import numpy as np


def sigmoid(Z):  # right
    return 1 / (1 + np.exp(-Z)), Z


def relu(Z):  # hangs in Python code
    while True:
        pass


def sigmoid_backward(dA, cache):  # kills the process it runs in
    os._exit(3)


def linear_forward(A, W, b):  # raises
    raise ValueError("boom")


def linear_activation_forward(A_prev, W, b, activation):  # the wrong type
    return "not a tuple"


def compute_cost(AL, Y):  # an object that cannot be checked
    return lambda: 0.0


def initialize_parameters_deep(layer_dims):  # right, from numpy's new generator (judged by scale), and it writes a file
    with open("written-by-the-port.txt", "w") as f:
        f.write("the checker runs ports in a folder of its own\n")
    rng = np.random.default_rng(3)
    return {k: v for l in range(1, len(layer_dims)) for k, v in
            ((f"W{l}", rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * 0.01), (f"b{l}", np.zeros((layer_dims[l], 1))))}


def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):  # hangs past the signal
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    while True:
        pass

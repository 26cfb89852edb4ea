"""Activation functions and their derivatives (contract section 4; twin of ``R/activations.R``).

Each ``*_forward(Z)`` returns ``A = g(Z)``; the ``*_backward(dA, Z)`` right
below it returns ``dZ = dA * g'(Z)``. :data:`ACTIVATIONS` maps the names used
by the models and the fixtures to the ``(forward, backward)`` pair.
"""

import numpy as np

LEAKY_RELU_SLOPE = 0.01


def sigmoid_forward(Z):
    """Logistic sigmoid that never overflows: exp is only taken of -|z|."""
    Z = np.asarray(Z, dtype=np.float64)
    e = np.exp(-np.abs(Z))
    return np.where(Z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_backward(dA, Z):
    s = sigmoid_forward(Z)
    return dA * s * (1.0 - s)


def relu_forward(Z):
    return np.maximum(Z, 0.0)


def relu_backward(dA, Z):
    """relu'(z) = 1 for z > 0 and 0 for z <= 0 (relu'(0) = 0)."""
    return np.where(Z > 0, dA, 0.0)


def tanh_forward(Z):
    return np.tanh(Z)


def tanh_backward(dA, Z):
    t = np.tanh(Z)
    return dA * (1.0 - t * t)


def leaky_relu_forward(Z, slope=LEAKY_RELU_SLOPE):
    return np.where(Z > 0, Z, slope * Z)


def leaky_relu_backward(dA, Z, slope=LEAKY_RELU_SLOPE):
    """leaky_relu'(z) = 1 for z > 0 and ``slope`` for z <= 0."""
    return np.where(Z > 0, dA, slope * dA)


#: name -> (forward, backward); the names of the contract and the fixtures.
ACTIVATIONS = {
    "sigmoid": (sigmoid_forward, sigmoid_backward),
    "relu": (relu_forward, relu_backward),
    "tanh": (tanh_forward, tanh_backward),
    "leaky_relu": (leaky_relu_forward, leaky_relu_backward),
}

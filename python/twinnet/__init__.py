"""twinnet: the course's L-layer neural network, written twice (Python and R), proven equal.

This package is the Python half. It implements a fully connected binary
classifier -- relu, tanh, sigmoid or leaky-relu hidden layers, a sigmoid
output, cross-entropy cost, backpropagation and full-batch gradient descent
-- exactly as ``docs/contract.md`` specifies, so that the R package
``twinnet`` computes the same numbers from the same seed. Random numbers come
from a portable stream (R's Mersenne-Twister and Box-Muller normals), so
initial parameters are bit-identical in both languages.

What it leaves out, on purpose: mini-batches, momentum/Adam, regularisation,
dropout, multi-class outputs and GPUs. It is a reference to read side by side
with its twin, not a framework.

Layers are numbered 1..L (``W1`` is the first weight matrix); per-layer
Python lists are 0-based, so layer l is ``caches[l - 1]``.
"""

from .activations import (
    ACTIVATIONS,
    LEAKY_RELU_SLOPE,
    leaky_relu_backward,
    leaky_relu_forward,
    relu_backward,
    relu_forward,
    sigmoid_backward,
    sigmoid_forward,
    tanh_backward,
    tanh_forward,
)
from .backward import L_model_backward, linear_activation_backward, linear_backward
from .cost import compute_cost
from .data import feature_stats, load_catvnoncat, load_h5_dataset, load_image_set, train_test_split_indices
from .datasets import make_circles
from .estimator import NeuralNet, NotFittedError
from .forward import L_model_forward, linear_activation_forward, linear_forward
from .gradcheck import gradient_check
from .images import convert_image_folder, load_image, predict_image, resize_area
from .initialize import INIT_SCHEMES, initialize_parameters
from .model import L_layer_model, accuracy, predict_class, predict_proba
from .modelio import load_model, save_model
from .plots import plot_costs, plot_decision_boundary
from .rng import rng_normal, rng_permutation, rng_sample, rng_uniform
from .solver import SOLVERS, choose_solver
from .update import update_parameters


def __getattr__(name):
    """``verify_port``, ``verify_main`` and ``VerifyReport`` (verify.py), imported on first use, so
    that ``python -m twinnet.verify`` runs the module without importing it twice."""
    if name in ("VerifyReport", "verify_main", "verify_port"):
        from . import verify
        return getattr(verify, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | {"VerifyReport", "verify_main", "verify_port"})


__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS", "INIT_SCHEMES", "LEAKY_RELU_SLOPE", "SOLVERS",
    "L_layer_model", "L_model_backward", "L_model_forward", "NeuralNet", "NotFittedError", "accuracy",
    "choose_solver", "compute_cost", "gradient_check", "initialize_parameters", "leaky_relu_backward",
    "leaky_relu_forward",
    "linear_activation_backward", "linear_activation_forward", "linear_backward", "linear_forward",
    "load_model", "make_circles", "plot_costs", "plot_decision_boundary", "predict_class", "predict_proba",
    "relu_backward", "relu_forward", "rng_normal", "rng_permutation", "rng_sample", "rng_uniform",
    "save_model", "sigmoid_backward", "sigmoid_forward", "tanh_backward", "tanh_forward", "update_parameters",
    # real data and image files (data.py, images.py)
    "convert_image_folder", "feature_stats", "load_catvnoncat", "load_h5_dataset", "load_image", "load_image_set",
    "predict_image", "resize_area", "train_test_split_indices",
    # checking anyone's port against the fixtures (verify.py)
    "VerifyReport", "verify_main", "verify_port",
]

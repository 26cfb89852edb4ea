"""twinnet: the course's L-layer neural network, written twice (Python and R), proven equal.

This package is the Python half. It implements a fully connected binary
classifier -- relu, tanh, sigmoid or leaky-relu hidden layers, a sigmoid
output, cross-entropy cost, backpropagation and full-batch gradient descent
-- exactly as ``docs/contract.md`` specifies, so that the R package
``twinnet`` computes the same numbers from the same seed. Random numbers come
from a portable stream (R's Mersenne-Twister and Box-Muller normals), so
initial parameters are bit-identical in both languages; numpy's legacy stream
(``stream="numpy"``, what ``np.random.seed`` gives) reproduces the course's.

The course's second part is here too, under its names: L2 regularisation
(``lambd``), inverted dropout (``keep_prob``, masks from the seeded stream, the
same in both languages), ``random_mini_batches``, momentum and Adam, and
learning-rate decay, all options of ``L_layer_model`` (docs/contract.md
sections 31-36). What it leaves out, on purpose: multi-class outputs and GPUs.
It is a reference to read side by side with its twin, not a framework.

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
from .cli import cli_main
from .data import (
    feature_stats,
    load_catvnoncat,
    load_dataset,
    load_h5_dataset,
    load_image_set,
    train_test_split_indices,
)
from .datasets import make_circles, make_moons
from .files import FileFault
from .forward import L_model_forward, linear_activation_forward, linear_forward
from .gradcheck import gradient_check
from .images import convert_image_folder, load_image, predict_image, resize_area
from .initialize import INIT_SCHEMES, initialize_parameters
from .limits import memory_limit
from .minibatch import random_mini_batches
from .model import COURSE_MODELS, L_layer_model, TrainingDiverged, accuracy, course_models, predict_class, predict_proba
from .modelio import load_model, save_model
from .optimizers import (
    DECAYS,
    OPTIMIZERS,
    initialize_adam,
    initialize_velocity,
    schedule_lr_decay,
    update_lr,
    update_parameters_with_adam,
    update_parameters_with_momentum,
)
from .plots import plot_costs, plot_decision_boundary
from .regularization import compute_cost_with_regularization, dropout_masks
from .rng import (
    STREAMS,
    numpy_permutation,
    numpy_rand,
    numpy_randn,
    numpy_seed,
    rng_normal,
    rng_permutation,
    rng_sample,
    rng_uniform,
)
from .solver import SOLVERS, choose_solver
from .stability import training_stability
from .update import update_parameters


__version__ = "0.1.0"

#: Loaded on first use (PEP 562): with scikit-learn installed, NeuralNet is a scikit-learn
#: classifier, and importing scikit-learn (and scipy) would make `import twinnet` several
#: times slower for everyone who uses only the functional core or the command line; the
#: port checker (verify.py) is imported on first use so that ``python -m twinnet.verify``
#: runs the module without importing it twice.
_LAZY = {"NeuralNet": "estimator", "NotFittedError": "estimator",
         "VerifyReport": "verify", "verify_main": "verify", "verify_port": "verify"}


def __getattr__(name):
    if name in _LAZY:
        from importlib import import_module
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "ACTIVATIONS", "COURSE_MODELS", "INIT_SCHEMES", "LEAKY_RELU_SLOPE", "SOLVERS", "STREAMS",
    "L_layer_model", "L_model_backward", "L_model_forward", "NeuralNet", "NotFittedError", "accuracy",
    "choose_solver", "cli_main", "compute_cost", "course_models", "gradient_check", "initialize_parameters",
    "leaky_relu_backward",
    "leaky_relu_forward",
    "linear_activation_backward", "linear_activation_forward", "linear_backward", "linear_forward",
    "load_model", "make_circles", "make_moons", "numpy_permutation", "numpy_rand", "numpy_randn", "numpy_seed", "plot_costs", "plot_decision_boundary", "predict_class", "predict_proba",
    "relu_backward", "relu_forward", "rng_normal", "rng_permutation", "rng_sample", "rng_uniform",
    "save_model", "sigmoid_backward", "sigmoid_forward", "tanh_backward", "tanh_forward", "training_stability", "update_parameters",
    # the course's second part: regularisation, dropout, mini-batches, optimisers (sections 31-37)
    "DECAYS", "OPTIMIZERS", "compute_cost_with_regularization", "dropout_masks", "initialize_adam",
    "initialize_velocity", "random_mini_batches", "schedule_lr_decay", "update_lr", "update_parameters_with_adam",
    "update_parameters_with_momentum",
    # real data and image files (data.py, images.py)
    "convert_image_folder", "feature_stats", "load_catvnoncat", "load_dataset", "load_h5_dataset", "load_image",
    "load_image_set",
    "predict_image", "resize_area", "train_test_split_indices",
    # faults (limits.py, files.py, model.py): sizes checked up front, file faults and divergence in one line
    "FileFault", "TrainingDiverged", "memory_limit",
    # checking anyone's port against the fixtures (verify.py)
    "VerifyReport", "verify_main", "verify_port",
]

"""Parameter initialisation from a seeded stream (contract sections 3 and 23; twin of ``R/initialize.R``)."""

import numpy as np

from .limits import check_memory, dims_text, parameters_need
from .rng import STREAMS, rng_normal
from .validate import check_choice, check_layer_dims, check_seed

#: scheme name -> factor applied to the standard normals of W_l, given n_(l-1).
INIT_SCHEMES = {
    "scaled": lambda z, n_prev: z * 0.01,
    "xavier": lambda z, n_prev: z / np.sqrt(n_prev),
    "he": lambda z, n_prev: z * np.sqrt(2.0 / n_prev),
    "standard": lambda z, n_prev: z,
    "zeros": lambda z, n_prev: np.zeros_like(z),
    "random": lambda z, n_prev: z * 10.0,
}


def initialize_parameters(layer_dims, seed=1, scheme="xavier", stream="portable"):
    """Initial ``W1, b1, ..., WL, bL`` for the layer sizes ``layer_dims``.

    Parameters
    ----------
    layer_dims : sequence of int
        ``(n_x, n_1, ..., n_(L-1), n_L)``; any output size ``n_L`` (training
        needs 1).
    seed : int, default 1
        Seed of the stream, 0 .. 2^31 - 1.
    scheme : {"xavier", "he", "scaled", "standard", "zeros", "random"}, default "xavier"
        How the standard normals are scaled (contract section 3). ``"zeros"``
        and ``"random"`` (``z * 10``) are the course's initialisation exercise
        (contract section 31): zeros trains without warning or error, but
        the units of a hidden layer stay equal to each other for the whole
        run (the symmetry the exercise shows); with relu, tanh or leaky_relu
        hidden layers (g(0) = 0) only the output bias learns.
    stream : {"portable", "numpy"}, default "portable"
        ``"numpy"`` gives the course's initial values: ``np.random.seed(seed)``,
        then ``np.random.randn(n_l, n_(l-1))`` for l = 1..L (contract section 23).

    Returns
    -------
    dict
        ``W_l`` of shape ``(n_l, n_(l-1))`` filled row by row from one
        stream, ``b_l`` zeros of shape ``(n_l, 1)``; bit-identical to the R twin.
    """
    dims = check_layer_dims(layer_dims, output_one=False)
    seed = check_seed(seed)
    scale = INIT_SCHEMES[check_choice(scheme, tuple(INIT_SCHEMES), "scheme")]
    check_choice(stream, STREAMS, "stream")
    check_memory(parameters_need(dims), "layer_dims", dims_text(dims))
    sizes = [dims[l] * dims[l - 1] for l in range(1, len(dims))]
    z = rng_normal(sum(sizes), seed, stream)
    parameters = {}
    offset = 0
    for l in range(1, len(dims)):
        block = z[offset:offset + sizes[l - 1]].reshape(dims[l], dims[l - 1])
        offset += sizes[l - 1]
        parameters[f"W{l}"] = scale(block, dims[l - 1])
        parameters[f"b{l}"] = np.zeros((dims[l], 1))
    return parameters


def _layer_arrays(parameters, L):
    """The training loops' view of ``parameters`` (contract section 3's names): lists ``W`` and ``b``
    indexed by layer, 1..L (index 0 unused), holding the caller's arrays themselves, not copies."""
    layers = range(1, L + 1)
    return [None] + [parameters[f"W{l}"] for l in layers], [None] + [parameters[f"b{l}"] for l in layers]


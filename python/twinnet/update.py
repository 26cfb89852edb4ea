"""Gradient-descent update (contract section 8; twin of ``R/update.R``)."""

import numpy as np

from .validate import check_parameter_pairs, check_positive_finite, describe, input_error, shape_str


def update_parameters(parameters, grads, learning_rate):
    """``W <- W - learning_rate * dW`` and ``b <- b - learning_rate * db``.

    Returns a new dict; the caller's ``parameters`` is not changed. It works
    entry by entry: the shapes need not chain (contract section 35).
    """
    L = check_parameter_pairs(parameters)
    learning_rate = check_positive_finite(learning_rate, "learning_rate")
    if not isinstance(grads, dict):
        raise input_error("grads", "a mapping with dW1 of the shape of W1", describe(grads), TypeError)
    updated = {}
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key = f"d{p}{l}"
            if key not in grads or not isinstance(grads[key], np.ndarray) or grads[key].dtype.kind not in "iuf" \
                    or grads[key].shape != parameters[f"{p}{l}"].shape:
                raise input_error("grads", f"a mapping with {key} of the shape of {p}{l}", "missing" if key not in grads else
                                  f"shape {shape_str(grads[key].shape)}" if isinstance(grads[key], np.ndarray)
                                  else describe(grads[key]))
            updated[f"{p}{l}"] = parameters[f"{p}{l}"] - learning_rate * grads[key]
    return updated

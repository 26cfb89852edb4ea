"""Gradient-descent update (contract section 8; twin of ``R/update.R``)."""

from .validate import check_parameter_pairs, check_positive_finite, input_error, shape_str


def update_parameters(parameters, grads, learning_rate):
    """``W <- W - learning_rate * dW`` and ``b <- b - learning_rate * db``.

    Returns a new dict; the caller's ``parameters`` is not changed. It works
    entry by entry: the shapes need not chain (contract section 35).
    """
    L = check_parameter_pairs(parameters)
    learning_rate = check_positive_finite(learning_rate, "learning_rate")
    updated = {}
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key = f"d{p}{l}"
            if key not in grads or getattr(grads[key], "shape", None) != parameters[f"{p}{l}"].shape:
                raise input_error("grads", f"a mapping with {key} of the shape of {p}{l}", "missing" if key not in grads else f"shape {shape_str(grads[key].shape)}")
            updated[f"{p}{l}"] = parameters[f"{p}{l}"] - learning_rate * grads[key]
    return updated

"""Central-difference gradient check (contract section 10; twin of ``R/gradcheck.R``)."""

import numpy as np

from .backward import _backward_pass
from .cost import compute_cost
from .forward import _checked_forward, _forward_pass
from .regularization import _l2_cost
from .validate import check_finite_parameters, check_labels, check_nonnegative, check_parameters, check_positive_finite


def gradient_check(X, Y, parameters, hidden_activation="relu", epsilon=1e-7, lambd=0.0):
    """Relative difference between the analytic and the numeric gradient.

    Every entry of every ``W_l`` and ``b_l`` is moved by +/- ``epsilon`` and
    the cost (from ``Z_L``, plus the L2 term when ``lambd`` > 0, contract
    section 32) recomputed. Returns ``||g - g_num|| / (||g|| + ||g_num||)``;
    below 1e-7 the backward pass is right. Dropout is off, as in the course:
    the check is of the network without masks.
    """
    check_finite_parameters(parameters, check_parameters(parameters, output_one=True))
    AL, caches = _checked_forward(X, parameters, hidden_activation, output_one=True)
    Y = check_labels(Y, AL.shape[1])
    epsilon = check_positive_finite(epsilon, "epsilon")
    lambd = check_nonnegative(lambd, "lambd")
    X = caches[0]["A_prev"]
    L = len(caches)
    m = X.shape[1]
    grads = _backward_pass(AL, Y, caches, hidden_activation, lambd)

    def cost(params):
        _, c = _forward_pass(X, params, hidden_activation, L)
        J = compute_cost(None, Y, c[-1]["Z"])
        if lambd > 0:
            J += _l2_cost([params[f"W{l}"] for l in range(1, L + 1)], lambd, m)
        return J

    analytic, numeric = [], []
    work = {k: np.array(v, dtype=np.float64) for k, v in parameters.items()}
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key = f"{p}{l}"
            theta = work[key]
            flat = theta.reshape(-1)
            for i in range(flat.size):
                saved = flat[i]
                flat[i] = saved + epsilon
                plus = cost(work)
                flat[i] = saved - epsilon
                minus = cost(work)
                flat[i] = saved
                numeric.append((plus - minus) / (2.0 * epsilon))
            analytic.append(grads[f"d{key}"].reshape(-1))
    g = np.concatenate(analytic)
    g_num = np.asarray(numeric)
    denom = np.linalg.norm(g) + np.linalg.norm(g_num)
    return float(np.linalg.norm(g - g_num) / denom) if denom > 0 else 0.0

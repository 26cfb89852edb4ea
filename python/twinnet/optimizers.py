"""Momentum, Adam and learning-rate decay (contract section 35; twin of ``R/optimizers.R``).

The course's second part, week 2, under its names: ``initialize_velocity``,
``update_parameters_with_momentum``, ``initialize_adam``,
``update_parameters_with_adam``, ``update_lr`` and ``schedule_lr_decay``.
Each function returns new mappings (the caller's are not changed), with
the course's arithmetic, operation for operation. The training loop
(python/twinnet/minibatch.py) performs the same operations in place, through
the step objects below (``_GradientDescentStep``, ``_MomentumStep``,
``_AdamStep``), so that its numbers are these functions', bit for bit.

Powers ``beta ** t`` are the C library's ``pow`` in both languages (Python's
float power, R's ``^``); squares are products (``g * g``), never ``pow``.
"""

import numpy as np

from .validate import (
    check_count,
    check_decay_factor,
    check_nonnegative,
    check_parameter_pairs,
    check_positive_finite,
    describe,
    input_error,
    shape_str,
)

#: The optimisers L_layer_model takes (the course's names).
OPTIMIZERS = ("gd", "momentum", "adam")
#: The learning-rate decays L_layer_model takes (the course's functions), besides None.
DECAYS = ("update_lr", "schedule_lr_decay")


def _zeros_like_grads(parameters):
    """``dW1, db1, ..., dWL, dbL``: zero arrays of the parameters' shapes, in that order."""
    L = check_parameter_pairs(parameters)
    return {f"d{p}{l}": np.zeros(parameters[f"{p}{l}"].shape) for l in range(1, L + 1) for p in ("W", "b")}


def initialize_velocity(parameters):
    """The course's momentum velocity: ``v["dW<l>"]``, ``v["db<l>"]`` zeros of the shapes of ``W<l>``, ``b<l>``."""
    return _zeros_like_grads(parameters)


def initialize_adam(parameters):
    """The course's Adam state: ``(v, s)``, both zeros of the parameters' shapes (keys ``dW<l>``, ``db<l>``)."""
    return _zeros_like_grads(parameters), _zeros_like_grads(parameters)


def _check_state(state, parameters, arg):
    """A velocity (or Adam's ``v``, ``s``, or the gradients) with ``d<W|b><l>`` of the parameters' shapes."""
    L = check_parameter_pairs(parameters)
    if not isinstance(state, dict):
        raise input_error(arg, "a mapping with dW1, db1, ..., dWL, dbL of the parameters' shapes",
                          describe(state), TypeError)
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key = f"d{p}{l}"
            if key not in state or getattr(state[key], "shape", None) != parameters[f"{p}{l}"].shape:
                raise input_error(arg, f"a mapping with {key} of the shape of {p}{l}",
                                  "missing" if key not in state else f"shape {shape_str(np.shape(state[key]))}")
    return L


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    """One step of gradient descent with momentum, as the course writes it.

    ``v = beta * v + (1 - beta) * g`` for every gradient g, then
    ``W = W - learning_rate * v["dW"]`` and ``b = b - learning_rate * v["db"]``.

    Returns
    -------
    (parameters, v)
        New mappings; the caller's are not changed.
    """
    L = _check_state(grads, parameters, "grads")
    _check_state(v, parameters, "v")
    beta = check_decay_factor(beta, "beta")
    learning_rate = check_positive_finite(learning_rate, "learning_rate")
    new_p, new_v = {}, {}
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key = f"d{p}{l}"
            new_v[key] = beta * v[key] + (1 - beta) * grads[key]
            new_p[f"{p}{l}"] = parameters[f"{p}{l}"] - learning_rate * new_v[key]
    return new_p, new_v


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                                epsilon=1e-8):
    """One Adam step, as the course writes it (``t`` counts the updates, from 1).

    For every gradient g: ``v = beta1 * v + (1 - beta1) * g``,
    ``v_corrected = v / (1 - beta1 ** t)``, ``s = beta2 * s + (1 - beta2) * (g * g)``,
    ``s_corrected = s / (1 - beta2 ** t)``, then
    ``W = W - learning_rate * v_corrected / (sqrt(s_corrected) + epsilon)`` (and b).

    Returns
    -------
    (parameters, v, s, v_corrected, s_corrected)
        New mappings; the caller's are not changed.
    """
    L = _check_state(grads, parameters, "grads")
    _check_state(v, parameters, "v")
    _check_state(s, parameters, "s")
    t = check_count(t, "t")
    learning_rate = check_positive_finite(learning_rate, "learning_rate")
    beta1 = check_decay_factor(beta1, "beta1")
    beta2 = check_decay_factor(beta2, "beta2")
    epsilon = check_positive_finite(epsilon, "epsilon")
    c1, c2 = 1.0 - beta1 ** t, 1.0 - beta2 ** t
    new_p, new_v, new_s, v_corrected, s_corrected = {}, {}, {}, {}, {}
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key = f"d{p}{l}"
            g = grads[key]
            new_v[key] = beta1 * v[key] + (1 - beta1) * g
            v_corrected[key] = new_v[key] / c1
            new_s[key] = beta2 * s[key] + (1 - beta2) * (g * g)
            s_corrected[key] = new_s[key] / c2
            new_p[f"{p}{l}"] = parameters[f"{p}{l}"] - learning_rate * v_corrected[key] / (
                np.sqrt(s_corrected[key]) + epsilon)
    return new_p, new_v, new_s, v_corrected, s_corrected


#: decay name -> ``rule(learning_rate0, epoch_num, decay_rate, time_interval)``, the course's formulas.
_DECAY_RULES = {
    "update_lr": lambda lr0, epoch, rate, interval: lr0 / (1 + rate * epoch),
    "schedule_lr_decay": lambda lr0, epoch, rate, interval: lr0 / (1 + rate * (epoch // interval)),
}


def update_lr(learning_rate0, epoch_num, decay_rate):
    """The course's time-based decay: ``learning_rate0 / (1 + decay_rate * epoch_num)``."""
    learning_rate0 = check_positive_finite(learning_rate0, "learning_rate0")
    epoch_num = check_count(epoch_num, "epoch_num", minimum=0)
    decay_rate = check_nonnegative(decay_rate, "decay_rate")
    return _DECAY_RULES["update_lr"](learning_rate0, epoch_num, decay_rate, None)


def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    """The course's scheduled decay: ``learning_rate0 / (1 + decay_rate * floor(epoch_num / time_interval))``.

    The learning rate falls every ``time_interval`` epochs (the floor is the
    integer division of the two whole numbers, exact in both languages).
    """
    learning_rate0 = check_positive_finite(learning_rate0, "learning_rate0")
    epoch_num = check_count(epoch_num, "epoch_num", minimum=0)
    decay_rate = check_nonnegative(decay_rate, "decay_rate")
    time_interval = check_count(time_interval, "time_interval")
    return _DECAY_RULES["schedule_lr_decay"](learning_rate0, epoch_num, decay_rate, time_interval)


def _epoch_learning_rate(decay, learning_rate0, epoch, decay_rate, time_interval):
    """The learning rate of epoch ``epoch`` (0-based), as the course's model sets it.

    The course updates the rate at the end of each epoch ``i`` to
    ``decay(learning_rate0, i, decay_rate)``: epoch 0 runs at
    ``learning_rate0``, epoch e >= 1 at ``decay(learning_rate0, e - 1, ...)``.
    """
    if decay is None or epoch == 0:
        return learning_rate0
    return _DECAY_RULES[decay](learning_rate0, epoch - 1, decay_rate, time_interval)


# -- the training loop's in-place steps (the same operations as the functions above) -----------
# Each is made from the parameters W, b (lists of layer arrays, layer l at index l) and holds the
# optimiser's state; begin() is called once per mini-batch, before its updates; update(l, W_l, b_l,
# dW, db, learning_rate) updates layer l's arrays in place (the gradients are overwritten).

class _GradientDescentStep:
    """``W -= learning_rate * dW`` (the full-batch loop's update, python/twinnet/model.py)."""

    def __init__(self, W, b, options):
        pass

    def begin(self):
        """Called once per mini-batch, before its updates."""

    def update(self, l, W_l, b_l, dW, db, learning_rate):
        dW *= learning_rate
        W_l -= dW
        db *= learning_rate
        b_l -= db


def _zeros_of(x):
    return np.zeros_like(x)


class _MomentumStep:
    """``v = beta v + (1 - beta) g``; ``W -= learning_rate * v`` (update_parameters_with_momentum, in place)."""

    def __init__(self, W, b, options):
        self.beta = options["beta"]
        self.vW = [None] + [_zeros_of(x) for x in W[1:]]
        self.vb = [None] + [_zeros_of(x) for x in b[1:]]

    def begin(self):
        """Called once per mini-batch, before its updates."""

    def update(self, l, W_l, b_l, dW, db, learning_rate):
        for v, g, x in ((self.vW[l], dW, W_l), (self.vb[l], db, b_l)):
            v *= self.beta
            g *= 1 - self.beta
            v += g                                      # v = beta v + (1 - beta) g
            np.multiply(v, learning_rate, out=g)
            x -= g


class _AdamStep:
    """Adam with the course's bias correction, ``t`` counted per mini-batch (update_parameters_with_adam, in place)."""

    def __init__(self, W, b, options):
        self.beta1, self.beta2, self.epsilon = options["beta1"], options["beta2"], options["epsilon"]
        self.vW = [None] + [_zeros_of(x) for x in W[1:]]
        self.sW = [None] + [_zeros_of(x) for x in W[1:]]
        self.vb = [None] + [_zeros_of(x) for x in b[1:]]
        self.sb = [None] + [_zeros_of(x) for x in b[1:]]
        self.workW = [None] + [np.empty_like(x) for x in W[1:]]  # one buffer per parameter
        self.workb = [None] + [np.empty_like(x) for x in b[1:]]
        self.t = 0
        self.c1 = self.c2 = 0.0

    def begin(self):
        """Called once per mini-batch, before its updates: the course's ``t = t + 1``."""
        self.t += 1
        self.c1 = 1.0 - self.beta1 ** self.t
        self.c2 = 1.0 - self.beta2 ** self.t

    def update(self, l, W_l, b_l, dW, db, learning_rate):
        for v, s, work, g, x in ((self.vW[l], self.sW[l], self.workW[l], dW, W_l),
                                 (self.vb[l], self.sb[l], self.workb[l], db, b_l)):
            v *= self.beta1
            np.multiply(g, 1 - self.beta1, out=work)
            v += work                                   # v = beta1 v + (1 - beta1) g
            s *= self.beta2
            np.multiply(g, g, out=work)
            work *= 1 - self.beta2
            s += work                                   # s = beta2 s + (1 - beta2) g^2
            np.divide(v, self.c1, out=work)
            work *= learning_rate                       # learning_rate * v_corrected
            np.divide(s, self.c2, out=g)
            np.sqrt(g, out=g)
            g += self.epsilon                           # sqrt(s_corrected) + epsilon
            work /= g
            x -= work


#: optimizer name -> the training loop's step (python/twinnet/minibatch.py).
STEPS = {"gd": _GradientDescentStep, "momentum": _MomentumStep, "adam": _AdamStep}

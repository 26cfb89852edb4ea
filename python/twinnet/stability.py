"""Is a training run stable enough to be compared over many iterations? (contract section 13).

Two correct implementations differ in the last bits of every matrix product
(each BLAS, CPU and thread count sums in its own order). Over a long run
these differences are carried along by the dynamics of gradient descent:
a stable run keeps them at the level of rounding, an unstable one (a step
size at the edge of stability, a cost that spikes) amplifies them until the
two runs part. ``training_stability`` measures that amplification directly:
it trains twice, from the initial parameters and from the same parameters
with every weight moved by a relative ``PERTURBATION``, and reports how much
the perturbation grew. Twin of ``R/stability.R``.
"""

import numpy as np

from .initialize import initialize_parameters
from .minibatch import _updates_per_epoch
from .model import L_layer_model
from .rng import rng_uniform
from .validate import check_positive_finite

#: The relative size of the perturbation of the initial weights (2^-40, about 9.1e-13).
PERTURBATION = 2.0 ** -40
#: The unit roundoff of IEEE double precision (2^-53, about 1.1e-16).
UNIT_ROUNDOFF = 2.0 ** -53
#: Seed of the stream that gives the perturbation's signs.
SIGN_SEED = 0


def growth_limit(num_iterations, tolerance=1e-9):
    """The largest growth factor at which a run of ``num_iterations`` stays within ``tolerance``.

    Rounding differences of about one unit roundoff enter at every
    iteration; if none grows more than ``K``-fold, the runs end at most about
    ``num_iterations * UNIT_ROUNDOFF * K`` apart. Stable means that this is
    within the tolerance (contract section 13 says why that bound is itself
    pessimistic).
    """
    return tolerance / (num_iterations * UNIT_ROUNDOFF)


def _perturbed(parameters):
    """Every weight times (1 + s * PERTURBATION), s = +1 or -1 from the portable stream; biases as they are."""
    n = sum(parameters[k].size for k in parameters if k.startswith("W"))
    signs = np.where(rng_uniform(n, SIGN_SEED) > 0.5, 1.0, -1.0)
    out, used = {}, 0
    for k, v in parameters.items():
        if k.startswith("W"):
            s = signs[used:used + v.size].reshape(v.shape)
            used += v.size
            out[k] = v * (1.0 + s * PERTURBATION)
        else:
            out[k] = v.copy()
    return out


def _relative(a, b):
    """max|a - b| / max|a| (contract section 13)."""
    scale = np.max(np.abs(a))
    return float(np.max(np.abs(a - b)) / scale) if scale > 0 else float(np.max(np.abs(a - b)))


def _rises(costs):
    """The iterations i >= 1 whose cost is above that of iteration i - 1."""
    c = np.asarray(costs, dtype=np.float64)
    return [int(i) for i in np.nonzero(c[1:] > c[:-1])[0] + 1]


def _stability_message(stable, growth, limit, num_iterations, rises, updates_per_epoch=None):
    """One line saying what was measured (the same words in both languages).

    ``updates_per_epoch`` (the optimiser path with mini-batches) counts the
    updates: ``num_iterations`` epochs of that many updates each.
    """
    shown = ", ".join(str(i) for i in rises[:5]) + (", ..." if len(rises) > 5 else "")
    rose = f"cost rose at iterations {shown} ({len(rises)} in all)" if rises else "cost never rose"
    verdict = "stable" if stable else "unstable"
    over = (f"{num_iterations} iterations" if updates_per_epoch is None else
            f"{num_iterations * updates_per_epoch} updates ({num_iterations} epochs of {updates_per_epoch} mini-batches)")
    return (f"this configuration is {verdict} ({rose}; a {PERTURBATION:.2g} relative perturbation of the "
            f"initial weights grew {growth:.3g}-fold over {over}, limit {limit:.3g})")


def training_stability(X, Y, layer_dims, learning_rate=0.0075, num_iterations=2500, seed=1,
                       hidden_activation="relu", scheme="xavier", solver="auto", stream="portable",
                       tolerance=1e-9, lambd=0.0, keep_prob=1.0, mini_batch_size=None, optimizer="gd", beta=0.9,
                       beta1=0.9, beta2=0.999, epsilon=1e-8, decay=None, decay_rate=1.0, time_interval=1000,
                       mini_batch_seed=10, dropout_seed=1):
    """Measure how much a training run amplifies rounding (contract section 13).

    Trains with :func:`~twinnet.L_layer_model` twice, recording every cost:
    from the initial parameters of ``seed``, ``scheme`` and ``stream``, and from the same
    parameters with every weight multiplied by ``1 + s * PERTURBATION``
    (``s = +1`` or ``-1``, from ``rng_uniform(n, SIGN_SEED) > 0.5``). The
    growth factor is ``max(d_cost, d_param) / PERTURBATION``, where
    ``d_cost`` is ``max|c - c'| / max|c|`` over the two cost histories and
    ``d_param`` the same over the final parameters taken as one vector. The
    run is stable for ``tolerance`` when the growth factor is at most
    :func:`growth_limit` ``(T, tolerance)``, T the number of updates:
    ``num_iterations``, or, with mini-batches, ``num_iterations`` epochs
    times the batches of an epoch (each update adds its rounding).

    The options after ``tolerance`` are :func:`~twinnet.L_layer_model`'s
    (contract section 36), given to both runs: the dropout masks and the
    mini-batches are the same in both (they depend on the seeds, not on the
    parameters).

    Returns
    -------
    dict
        ``stable`` (bool), ``growth``, ``limit`` (floats), ``rises`` (the
        iterations whose cost rose, a list of int; informative: the cost of a
        stable run may oscillate), ``message`` (one line), ``parameters`` and
        ``costs`` (the unperturbed run, every iteration recorded).
    """
    tolerance = check_positive_finite(tolerance, "tolerance")
    config = dict(learning_rate=learning_rate, num_iterations=num_iterations, hidden_activation=hidden_activation,
                  print_every=1, solver=solver, lambd=lambd, keep_prob=keep_prob, mini_batch_size=mini_batch_size,
                  optimizer=optimizer, beta=beta, beta1=beta1, beta2=beta2, epsilon=epsilon, decay=decay,
                  decay_rate=decay_rate, time_interval=time_interval, mini_batch_seed=mini_batch_seed,
                  dropout_seed=dropout_seed)
    parameters, costs = L_layer_model(X, Y, layer_dims, seed=seed, scheme=scheme, stream=stream, **config)
    start = _perturbed(initialize_parameters(layer_dims, seed, scheme, stream))
    parameters2, costs2 = L_layer_model(X, Y, layer_dims, parameters=start, stream=stream, **config)
    flat = np.concatenate([v.ravel() for v in parameters.values()])
    flat2 = np.concatenate([parameters2[k].ravel() for k in parameters])
    c, c2 = costs["cost"].to_numpy(), costs2["cost"].to_numpy()
    growth = max(_relative(c, c2), _relative(flat, flat2)) / PERTURBATION
    per_epoch = None if mini_batch_size is None else _updates_per_epoch(np.shape(X)[1], int(mini_batch_size))
    limit = growth_limit(len(c) * (per_epoch or 1), tolerance)
    stable = bool(growth <= limit)
    rises = _rises(c)
    return {"stable": stable, "growth": growth, "limit": limit, "rises": rises,
            "message": _stability_message(stable, growth, limit, len(c), rises, per_epoch),
            "parameters": parameters, "costs": costs}

"""How pessimistic is contract section 13's stability bound? A measurement, not a test.

For each configuration: the growth factor K of ``training_stability`` and
the bound ``T*u*K`` it implies, against two measured gaps (max|a - b| / max|a|
over the cost histories):

* "R": Python's run against R's (needs R and rpy2; "-" without them);
* "noise": the contract's training loop (L_model_forward, compute_cost,
  L_model_backward, update_parameters) run twice, once as it is and once with
  every parameter multiplied by (1 + s * 2^-52), s = +1 or -1 at random,
  after every iteration: one ulp of disturbance everywhere, every time.

Prints a markdown table (docs/platforms.md holds one run).

    .venv/bin/python scripts/stability_calibration.py [--with-catvnoncat FOLDER]
"""

import argparse

import numpy as np

import twinnet as tn

U = 2.0 ** -53
ULP = 2.0 ** -52  # 1 + ULP and 1 - ULP are both doubles: the noise is unbiased


def noisy_gap(X, Y, dims, lr, T, seed, act, scheme):
    """max relative cost difference between the loop and the loop with one ulp of noise per step."""
    runs = []
    for noise in (False, True):
        g = np.random.default_rng(0)
        p = tn.initialize_parameters(dims, seed, scheme)
        costs = []
        for _ in range(T):
            AL, caches = tn.L_model_forward(X, p, act)
            costs.append(tn.compute_cost(AL, Y, caches[-1]["Z"]))
            p = tn.update_parameters(p, tn.L_model_backward(AL, Y, caches, act), lr)
            if noise:
                p = {k: v * (1 + ULP * g.choice([-1.0, 1.0], size=v.shape)) for k, v in p.items()}
        runs.append(np.array(costs))
    return gap(*runs)


def gap(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return float(np.max(np.abs(a - b)) / np.max(np.abs(a)))


def r_gap(r, X, Y, dims, lr, T, seed, act, scheme, costs):
    if r is None:
        return None
    fit = r.L_layer_model(X, Y, dims, lr, T, seed, act, scheme, print_every=1)
    return gap(costs["cost"].to_numpy(), fit["costs"]["cost"])


def configurations(cat_folder):
    X, Y = tn.make_circles(400, seed=11)
    yield "circles 400, [2,10,5,1] relu, lr 0.1", X, Y, [2, 10, 5, 1], 0.1, 2500, 5, "relu", "xavier"
    yield "circles 400, [2,10,5,1] relu, lr 0.2", X, Y, [2, 10, 5, 1], 0.2, 2500, 5, "relu", "xavier"
    X, Y = tn.make_circles(200, seed=3)
    yield "circles 200, [2,8,4,1] relu, lr 0.1", X, Y, [2, 8, 4, 1], 0.1, 2500, 1, "relu", "xavier"
    yield "circles 200, [2,8,4,1] relu, lr 0.3", X, Y, [2, 8, 4, 1], 0.3, 2500, 1, "relu", "xavier"
    X, Y = tn.make_circles(500, seed=1)
    yield "circles 500, [2,10,5,1] tanh, lr 0.3", X, Y, [2, 10, 5, 1], 0.3, 2500, 1, "tanh", "xavier"
    X, Y = tn.make_circles(1000, seed=1)
    yield "demo: circles 1000, [2,16,8,1] relu, lr 0.05", X, Y, [2, 16, 8, 1], 0.05, 5000, 1, "relu", "xavier"
    if cat_folder:
        X, Y, *_ = tn.load_catvnoncat(cat_folder)
        yield "cat/non-cat [12288,20,7,5,1], lr 0.0075", X, Y, [12288, 20, 7, 5, 1], 0.0075, 2500, 1, "relu", "xavier"
        yield "cat/non-cat [12288,7,1] scaled, lr 0.0075", X, Y, [12288, 7, 1], 0.0075, 2500, 1, "relu", "scaled"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--with-catvnoncat", metavar="FOLDER", help="also the two cat/non-cat runs (slow: minutes)")
    args = p.parse_args()
    try:
        from twinnet.rbridge import RTwin
        r = RTwin()
    except Exception:  # RUnavailable, or no rpy2
        r = None
    print("| configuration | K | stable | T·u·K | gap Python–R | gap with noise | T·u·K / gap with noise |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: |")
    for name, X, Y, dims, lr, T, seed, act, scheme in configurations(args.with_catvnoncat):
        s = tn.training_stability(X, Y, dims, lr, T, seed, act, scheme)
        bound = T * U * s["growth"]
        rg = r_gap(r, X, Y, dims, lr, T, seed, act, scheme, s["costs"])
        noise = noisy_gap(X, Y, dims, lr, T, seed, act, scheme)
        print(f"| {name} | {s['growth']:.3g} | {'yes' if s['stable'] else 'no'} | {bound:.2g} | "
              f"{'-' if rg is None else f'{rg:.2g}'} | {noise:.2g} | {bound / noise:.3g} |", flush=True)


if __name__ == "__main__":
    main()

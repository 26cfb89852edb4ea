"""Both twins against every fixture (fixtures/*.json, made by scripts/reference.py).

The Python package directly, the R package through rpy2. Draws, initial
parameters and circles bit for bit; everything else within
max|a-b|/max|a| <= 1e-12 per quantity (docs/contract.md section 13).
"""

import numpy as np
import pytest
from helpers import STEP_TOL, as_matrix, assert_close, assert_identical, assert_stable, fixture_paths, load_fixture

FIXTURES = [load_fixture(p) for p in fixture_paths()]


def by_kind(kind):
    return [pytest.param(f, id=f"{f['id']}-{f['name']}") for f in FIXTURES if f["kind"] == kind]


def mats(d):
    return {k: as_matrix(v) for k, v in d.items()}


def stream(c):
    """The fixture's stream (portable unless the config says otherwise)."""
    return c.get("stream", "portable")


@pytest.mark.parametrize("fx", by_kind("rng"))
def test_rng(twin, fx):
    c, e = fx["config"], fx["expected"]
    uniform, normal = twin.rng_sample(c["seed"], c["n_uniform"], c["n_normal"], stream(c))
    assert_identical(f"{twin.lang} uniform", np.array(e["uniform"]), uniform)
    assert_identical(f"{twin.lang} normal", np.array(e["normal"]), normal)
    if c["n_uniform"]:
        assert_identical(f"{twin.lang} permutation", np.array(e["permutation"]),
                         twin.rng_permutation(c["n_uniform"], c["seed"], stream(c)))


@pytest.mark.parametrize("fx", by_kind("numpy-stream"))
def test_numpy_stream_draw_by_draw(twin, fx):
    """Several draws from one seeded state: values and the state after each, bit for bit."""
    state = twin.numpy_seed(fx["config"]["seed"])
    for k, d in enumerate(fx["expected"]["draws"]):
        values, state = getattr(twin, f"numpy_{d['draw']}")(state, d["size"])
        expected = np.array(d["values"], dtype=np.int64 if d["draw"] == "permutation" else np.float64)
        assert_identical(f"{twin.lang} draw {k} ({d['draw']} {d['size']})", expected.reshape(np.shape(values)) if
                         expected.size == 0 else expected, values)
        assert (state["pos"], state["has_gauss"]) == (d["pos"], d["has_gauss"]), f"{twin.lang} draw {k} state"
        assert state["gauss"] == d["gauss"], f"{twin.lang} draw {k}: cached normal {state['gauss']!r}"
    assert_identical(f"{twin.lang} key", np.array(fx["expected"]["key"], dtype=np.float64),
                     np.asarray(state["key"], dtype=np.float64))


@pytest.mark.parametrize("fx", by_kind("circles"))
def test_circles(twin, fx):
    c, e = fx["config"], fx["expected"]
    X, Y = twin.make_circles(c["n_samples"], c["noise"], c["factor"], c["seed"], stream(c))
    assert_identical(f"{twin.lang} X", as_matrix(e["X"]), X)
    assert_identical(f"{twin.lang} Y", as_matrix(e["Y"]), Y)


@pytest.mark.parametrize("fx", by_kind("network"))
def test_network_single_step(twin, fx):
    c, e = fx["config"], fx["expected"]
    X, Y = as_matrix(fx["inputs"]["X"]), as_matrix(fx["inputs"]["Y"])
    act = c["hidden_activation"]
    lang = twin.lang

    params = twin.initialize_parameters(c["layer_dims"], c["seed"], c["scheme"], stream(c))
    assert list(params) == list(e["parameters"]), f"{lang}: parameter keys"
    for k, v in mats(e["parameters"]).items():
        assert_identical(f"{lang} initial {k}", v, params[k])

    AL, caches = twin.L_model_forward(X, params, act)
    L = len(caches)
    assert L == len(c["layer_dims"]) - 1
    for l in range(1, L + 1):
        assert_close(f"{lang} Z{l}", as_matrix(e["forward"][f"Z{l}"]), caches[l - 1]["Z"])
        A = AL if l == L else caches[l]["A_prev"]
        assert_close(f"{lang} A{l}", as_matrix(e["forward"][f"A{l}"]), A)

    ZL = caches[-1]["Z"]
    assert_close(f"{lang} cost", e["cost"], twin.compute_cost(AL, Y, ZL))

    grads = twin.L_model_backward(AL, Y, caches, act)
    expected_keys = {k for k in e["backward"] if not k.startswith("dZ")}
    assert set(grads) == expected_keys, f"{lang}: gradient keys {sorted(grads)}"
    for k in expected_keys:
        assert_close(f"{lang} {k}", as_matrix(e["backward"][k]), grads[k])
    # dZ of each layer, through the activation backward functions of the table
    assert_close(f"{lang} dZ{L}", as_matrix(e["backward"][f"dZ{L}"]), AL - Y)
    for l in range(1, L):
        dZ = twin.activation(act, "backward", as_matrix(e["backward"][f"dA{l}"]), caches[l - 1]["Z"])
        assert_close(f"{lang} dZ{l}", as_matrix(e["backward"][f"dZ{l}"]), dZ)

    updated = twin.update_parameters(params, grads, c["learning_rate"])
    for k, v in mats(e["updated_parameters"]).items():
        assert_close(f"{lang} updated {k}", v, updated[k])

    assert_identical(f"{lang} predictions", np.array(e["predictions"]), twin.predict_class(X, params, act))
    assert twin.accuracy(X, Y, params, act) == e["accuracy"]


@pytest.mark.parametrize("fx", by_kind("network"))
def test_network_trajectory(twin, fx):
    c, e = fx["config"], fx["expected"]
    X, Y = as_matrix(fx["inputs"]["X"]), as_matrix(fx["inputs"]["Y"])
    assert_stable(X, Y, c["layer_dims"], STEP_TOL, **{k: v for k, v in c.items() if k != "layer_dims"})
    _, costs = twin.L_layer_model(X, Y, c["layer_dims"], c["learning_rate"], c["num_iterations"], c["seed"],
                                  c["hidden_activation"], c["scheme"], c["print_every"], stream=stream(c))
    assert list(costs["iteration"]) == e["costs"]["iteration"]
    assert_close(f"{twin.lang} costs", np.array(e["costs"]["cost"]), costs["cost"].to_numpy())


# -- the course's second part (contract sections 31-37) ------------------------------------------------

def keep_list(keep_prob, layer_dims):
    return list(keep_prob) if isinstance(keep_prob, list) else [keep_prob] * (len(layer_dims) - 2)


@pytest.mark.parametrize("fx", by_kind("regularized"))
def test_regularized_single_step(twin, fx):
    """L2 and dropout: the masks bit for bit, forward, both costs and backward within 1e-12."""
    c, e = fx["config"], fx["expected"]
    X, Y = as_matrix(fx["inputs"]["X"]), as_matrix(fx["inputs"]["Y"])
    lang, act, m = twin.lang, c["hidden_activation"], X.shape[1]
    params = twin.initialize_parameters(c["layer_dims"], c["seed"], c["scheme"], stream(c))
    for k, v in mats(e["parameters"]).items():
        assert_identical(f"{lang} initial {k}", v, params[k])
    masks = twin.dropout_masks(c["layer_dims"], m, c["keep_prob"], c["dropout_seed"], stream(c)) or {}
    assert sorted(masks) == sorted(e["masks"]), f"{lang}: mask keys {sorted(masks)}"
    for k, v in mats(e["masks"]).items():
        assert_identical(f"{lang} mask {k}", v, masks[k])
    AL, caches = twin.L_model_forward(X, params, act, c["keep_prob"], masks)
    L = len(caches)
    for l in range(1, L + 1):
        assert_close(f"{lang} Z{l}", as_matrix(e["forward"][f"Z{l}"]), caches[l - 1]["Z"])
        assert_close(f"{lang} A{l}", as_matrix(e["forward"][f"A{l}"]), AL if l == L else caches[l]["A_prev"])
        if f"D{l}" in masks:
            assert_identical(f"{lang} cache D{l}", masks[f"D{l}"], caches[l - 1]["D"])
    ZL = caches[-1]["Z"]
    assert_close(f"{lang} cost", e["cost"], twin.compute_cost_with_regularization(AL, Y, params, c["lambd"], ZL))
    assert_close(f"{lang} textbook cost", e["cost_textbook"],
                 twin.compute_cost_with_regularization(AL, Y, params, c["lambd"]))
    grads = twin.L_model_backward(AL, Y, caches, act, c["lambd"], c["keep_prob"])
    assert set(grads) == set(e["backward"]), f"{lang}: gradient keys {sorted(grads)}"
    for k, v in mats(e["backward"]).items():
        assert_close(f"{lang} {k}", v, grads[k])


@pytest.mark.parametrize("fx", by_kind("minibatches"))
def test_mini_batches(twin, fx):
    """random_mini_batches: every batch bit for bit (the permutation of contract section 34)."""
    c, e = fx["config"], fx["expected"]
    X, Y = as_matrix(fx["inputs"]["X"]), as_matrix(fx["inputs"]["Y"])
    batches = twin.random_mini_batches(X, Y, c["mini_batch_size"], c["seed"], stream(c))
    assert len(batches) == len(e["batches"])
    for k, ((Xb, Yb), want) in enumerate(zip(batches, e["batches"])):
        assert_identical(f"{twin.lang} batch {k} X", as_matrix(want["X"]), Xb)
        assert_identical(f"{twin.lang} batch {k} Y", as_matrix(want["Y"]), Yb)
    assert_identical(f"{twin.lang} permutation", np.array(e["permutation"]),
                     twin.rng_permutation(X.shape[1], c["seed"], stream(c)))
    assert_identical(f"{twin.lang} columns", X[:, e["permutation"]], np.hstack([b[0] for b in batches]))


@pytest.mark.parametrize("fx", by_kind("optimizer"))
def test_optimizer_trajectory(twin, fx):
    """L_layer_model's optimiser path: the cost of every epoch and the final parameters within 1e-12."""
    c, e = fx["config"], fx["expected"]
    X, Y = as_matrix(fx["inputs"]["X"]), as_matrix(fx["inputs"]["Y"])
    config = {k: v for k, v in c.items() if k != "layer_dims"}
    assert_stable(X, Y, c["layer_dims"], STEP_TOL, **config)
    params, costs = twin.L_layer_model(X, Y, c["layer_dims"], **config)
    assert list(costs["iteration"]) == e["costs"]["iteration"]
    assert_close(f"{twin.lang} epoch costs", np.array(e["costs"]["cost"]), costs["cost"].to_numpy())
    want = mats(e["parameters"])
    assert_close(f"{twin.lang} trained parameters", np.concatenate([v.ravel() for v in want.values()]),
                 np.concatenate([np.asarray(params[k]).ravel() for k in want]))


@pytest.mark.parametrize("fx", by_kind("moons"))
def test_moons(twin, fx):
    c, e = fx["config"], fx["expected"]
    X, Y = twin.make_moons(c["n_samples"], c["noise"], c["seed"], stream(c))
    assert_identical(f"{twin.lang} X", as_matrix(e["X"]), X)
    assert_identical(f"{twin.lang} Y", as_matrix(e["Y"]), Y)

"""The course's published test cases (fixtures/course-*.json) against both twins.

Course 1, week 4 of the Deep Learning Specialization: the graded tests of
assignment 1 (W4A1/public_tests.py) and assignment 2 (W4A2/public_tests.py),
each case naming its source (`provenance`). For every case, in each language:

1. the inputs are re-made as the course makes them -- ``np.random.seed``,
   then ``np.random.randn`` of each shape in turn -- with the twin's own
   numpy stream (``numpy_seed``, ``numpy_randn``), bit for bit equal to the
   reference's values in the fixture;
2. the case's adapter (fixtures/README.md) calls twinnet as the course calls
   its own function;
3. what it returns equals the reference's full-precision values (contract
   section 13: initial parameters bit for bit, everything else 1e-12), and the
   course's published values to the precision they were printed with
   (half a unit of the last printed digit, plus 1e-12 relative).

Where twinnet differs from the course on purpose, the case says so in its
flags: labels outside {0, 1} are refused (the case expects the refusal), and
the course's L_model_backward test feeds an A_L that is not sigmoid(Z_L)
(the case also checks twinnet's own L_model_backward against the contract).
The notebook's two models need the real data: tests/test_course_notebook.py.
"""

import sys

import numpy as np
import pytest
from helpers import ROOT, as_matrix, assert_close, assert_identical, expected_part, fixture_paths, load_fixture

import twinnet
from twinnet.rbridge import RError

sys.path.insert(0, str(ROOT / "scripts"))
import make_fixtures  # noqa: E402

COURSE = [f for f in (load_fixture(p) for p in fixture_paths()) if f["kind"] == "course"]
#: Adapters whose cases run elsewhere (the notebooks: real data or long runs) or nowhere (outside-twinnet).
NOT_HERE = ("notebook", "moons_notebook", "outside-twinnet")
CASES = [pytest.param(f, id=f"{f['id']}-{f['name']}") for f in COURSE if f["adapter"] not in NOT_HERE]


# ------------------------------------------------------------------ the rule

def printed_tolerance(text, rule, value):
    """Half a unit of the course's last printed digit, plus 1e-12 relative (fixtures/README.md)."""
    return make_fixtures.printed_tolerance(text, rule, value)


def assert_printed(name, course, actual, rule):
    """``actual`` rounds to the course's printed text ``course`` (a string or nested lists of strings)."""
    texts = np.array(course, dtype=object)
    actual = np.asarray(actual, dtype=np.float64).reshape(texts.shape) if texts.shape else float(actual)
    for idx in np.ndindex(texts.shape):
        text = texts[idx]
        a = actual[idx] if texts.shape else actual
        v = make_fixtures.printed_value(text)
        tol = printed_tolerance(text, rule, v)
        assert abs(a - v) <= tol, (f"{name}{list(idx)}: {a!r} is not the course's {text} "
                                   f"(printed as {rule}, tolerance {tol:.3g})")


def lookup(out, key):
    """``out[key]``; a key ending in "[0]" is the first row of the array without it (the course's Adam test)."""
    if key.endswith("[0]"):
        return np.asarray(out[key[:-3]])[0:1]
    return out[key]


# ------------------------------------------------------------------ inputs

def make_inputs(twin, fx):
    """The course's inputs, drawn with the twin's numpy stream, checked against the fixture's values."""
    values = {k: as_matrix(v) for k, v in fx["inputs"]["values"].items()}
    for block in fx["inputs"]["streams"]:
        state = twin.numpy_seed(block["seed"])
        for d in block["randn"]:
            drawn, state = twin.numpy_randn(state, d["shape"])
            assert_identical(f"{twin.lang} input {d['name']} (seed {block['seed']})", values[d["name"]], drawn)
    return values


# ---------------------------------------------------------------- adapters

def adapt(twin, fx, v):
    """Call twinnet as the course calls its function; return the outputs by the fixture's names."""
    c = fx["config"]
    a = fx["adapter"]
    if a == "initialize_parameters":
        return twin.initialize_parameters(c["layer_dims"], c["seed"], c["scheme"], stream=c["stream"])
    if a == "linear_forward":
        return {"Z": twin.linear_forward(v["A_prev"], v["W"], v["b"])}
    if a == "linear_activation_forward":
        A, cache = twin_linear_activation_forward(twin, v["A_prev"], v["W"], v["b"], c["activation"])
        return {"A": A, "Z": cache["Z"]}
    if a == "L_model_forward":
        params = {k: v[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3")}
        AL, caches = twin.L_model_forward(v["X"], params, c["hidden_activation"])
        out = {"AL": AL}
        for l, cache in enumerate(caches, start=1):
            out.update({f"cache{l}.{k}": cache[k] for k in ("A_prev", "W", "b", "Z")})
        return out
    if a == "compute_cost":
        return {"cost": twin.compute_cost(v["AL"], v["Y"])}
    if a == "linear_backward":
        return named(twin.linear_backward(v["dZ"], {"A_prev": v["A"], "W": v["W"], "b": v["b"]}))
    if a == "linear_activation_backward":
        cache = {"A_prev": v["A"], "W": v["W"], "b": v["b"], "Z": v["Z"]}
        return named(twin.linear_activation_backward(v["dA"], cache, c["activation"]))
    if a == "L_model_backward_chain":
        cache1, cache2 = chain_caches(v)
        dAL = -(v["Y"] / v["AL"] - (1 - v["Y"]) / (1 - v["AL"]))  # the course's start, in its own formula
        dA1, dW2, db2 = tuple_of(twin.linear_activation_backward(dAL, cache2, "sigmoid"))
        dA0, dW1, db1 = tuple_of(twin.linear_activation_backward(dA1, cache1, "relu"))
        return {"dA1": dA1, "dW2": dW2, "db2": db2, "dA0": dA0, "dW1": dW1, "db1": db1}
    if a == "update_parameters":
        params = {k: v[k] for k in ("W1", "b1", "W2", "b2")}
        grads = {k: v[k] for k in ("dW1", "db1", "dW2", "db2")}
        return twin.update_parameters(params, grads, c["learning_rate"])
    if a == "L_layer_model":
        params, costs = twin.L_layer_model(v["X"], v["Y"], c["layer_dims"], c["learning_rate"],
                                           c["num_iterations"], c["seed"], c["hidden_activation"], c["scheme"],
                                           c["print_every"], stream=c["stream"])
        kept = costs["iteration"].to_numpy() % 100 == 0  # the course's history: i mod 100 = 0
        return dict(params, costs=costs["cost"].to_numpy()[kept])
    # course 2
    if a == "compute_cost_with_regularization":
        params = {k: v[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3")}
        return {"cost": twin.compute_cost_with_regularization(v["A3"], v["Y"], params, c["lambd"])}
    if a == "L_model_backward_cache":
        caches = flat_caches(v)
        return twin.L_model_backward(v["A3"], v["Y"], caches, c["hidden_activation"], c.get("lambd", 0.0),
                                     c.get("keep_prob", 1.0))
    if a == "L_model_forward_dropout":
        params = {k: v[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3")}
        masks = twin.dropout_masks([3, 2, 3, 1], v["X"].shape[1], c["keep_prob"], c["dropout_seed"], c["stream"])
        AL, caches = twin.L_model_forward(v["X"], params, c["hidden_activation"], c["keep_prob"], masks)
        out = {"A3": AL, "A1": caches[1]["A_prev"], "A2": caches[2]["A_prev"]}
        for l in (1, 2, 3):
            out[f"Z{l}"] = caches[l - 1]["Z"]
        out.update({f"D{l}": caches[l - 1]["D"] for l in (1, 2)})
        return out
    if a == "gradient_check":
        params = {k: v[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3")}
        return {"difference": twin.gradient_check(v["X"], v["Y"], params, c["hidden_activation"])}
    if a == "predict_class":
        params = {k: v[k] for k in ("W1", "b1", "W2", "b2")}
        return {"predictions": twin.predict_class(v["X"], params, c["hidden_activation"])}
    if a == "random_mini_batches":
        Y = (v["Y_normal"] < 0.5).astype(np.float64)  # the course's boolean Y, as the numbers 0 and 1
        batches = twin.random_mini_batches(v["X"], Y, c["mini_batch_size"], c["seed"], c["stream"])
        return {f"batch{k}.{q}": b[j] for k, b in enumerate(batches, start=1) for j, q in enumerate("XY")}
    params = {k: v[k] for k in ("W1", "b1", "W2", "b2") if k in v}
    grads = {k: v[k] for k in ("dW1", "db1", "dW2", "db2") if k in v}
    state = {q: {k[2:]: x for k, x in v.items() if k.startswith(q + ".")} for q in ("v", "s")}
    if a == "initialize_velocity":
        return prefixed("v", twin.initialize_velocity(params))
    if a == "initialize_adam":
        vv, ss = twin.initialize_adam(params)
        return dict(prefixed("v", vv), **prefixed("s", ss))
    if a == "update_parameters_with_momentum":
        new_p, new_v = twin.update_parameters_with_momentum(params, grads, state["v"], c["beta"], c["learning_rate"])
        return dict(new_p, **prefixed("v", new_v))
    if a == "update_parameters_with_adam":
        new = twin.update_parameters_with_adam(params, grads, state["v"], state["s"], c["t"], c["learning_rate"],
                                               c["beta1"], c["beta2"], c["epsilon"])
        out = dict(new[0])
        for q, d in zip(("v", "s", "v_corrected", "s_corrected"), new[1:]):
            out.update(prefixed(q, d))
        return out
    if a == "update_lr":
        return {"learning_rate": twin.update_lr(c["learning_rate0"], c["epoch_num"], c["decay_rate"])}
    if a == "schedule_lr_decay":
        return {"learning_rate": twin.schedule_lr_decay(c["learning_rate0"], c["epoch_num"], c["decay_rate"],
                                                        c["time_interval"])}
    raise AssertionError(f"no adapter {a}")


def flat_caches(v):
    """The course's flat cache (Z1, A1, W1, b1, ...; D1, D2 with dropout) as twinnet's list of mappings."""
    caches = []
    for l in (1, 2, 3):
        cache = {"A_prev": v["X"] if l == 1 else v[f"A{l - 1}"], "W": v[f"W{l}"], "b": v[f"b{l}"], "Z": v[f"Z{l}"]}
        if f"D{l}" in v:
            cache["D"] = v[f"D{l}"]
        caches.append(cache)
    return caches


def prefixed(prefix, d):
    return {f"{prefix}.{k}": x for k, x in d.items()}


def chain_caches(v):
    return ({"A_prev": v["A1"], "W": v["W1"], "b": v["b1"], "Z": v["Z1"]},
            {"A_prev": v["A2"], "W": v["W2"], "b": v["b2"], "Z": v["Z2"]})


def twin_linear_activation_forward(twin, A_prev, W, b, activation):
    out = twin.linear_activation_forward(A_prev, W, b, activation)
    return (out["A"], out["cache"]) if isinstance(out, dict) else out


def tuple_of(out):
    """(dA_prev, dW, db) from Python's tuple or R's named list."""
    return (out["dA_prev"], out["dW"], out["db"]) if isinstance(out, dict) else out


def named(out):
    return dict(zip(("dA_prev", "dW", "db"), tuple_of(out)))


# ------------------------------------------------------------------- tests

@pytest.mark.parametrize("fx", CASES)
def test_course_case(twin, fx):
    v = make_inputs(twin, fx)
    if "refusal" in fx:
        want = (fx["refusal"]["argument"], fx["refusal"]["expected"])
        with pytest.raises((ValueError, TypeError, RError)) as exc:
            adapt(twin, fx, v)
        message = exc.value.message if isinstance(exc.value, RError) else str(exc.value)
        assert expected_part(message) == want, message
        return
    out = adapt(twin, fx, v)
    for key, expected in fx["expected"].items():
        name = f"{twin.lang} {fx['id']} {key}"
        if fx["adapter"] in BIT_FOR_BIT:
            assert_identical(name, as_matrix(expected), lookup(out, key))  # draws and initial values: bit for bit
        else:
            assert_close(name, np.asarray(expected, dtype=np.float64), lookup(out, key))
    for key, course in fx["course_expected"].items():
        assert_printed(f"{twin.lang} {fx['id']} {key} vs the course", course, lookup(out, key), fx["printed"][key])
    for key, bound in fx.get("bound", {}).items():
        assert lookup(out, key) < bound, f"{twin.lang} {fx['id']} {key} = {lookup(out, key)!r}, not below {bound}"


#: Adapters whose outputs are draws or initial values: held bit for bit (contract section 13).
BIT_FOR_BIT = ("initialize_parameters", "random_mini_batches", "initialize_velocity", "initialize_adam")


def test_course_L_model_backward_is_the_contracts(twin):
    """twinnet's own L_model_backward on the course's inputs: dZ_L = A_L - Y (contract section 7), not the course's."""
    fx = next(f for f in COURSE if f["adapter"] == "L_model_backward_chain")
    v = make_inputs(twin, fx)
    grads = twin.L_model_backward(v["AL"], v["Y"], list(chain_caches(v)), "relu")
    assert set(grads) == set(fx["contract_expected"])
    for key, expected in fx["contract_expected"].items():
        assert_close(f"{twin.lang} contract {key}", as_matrix(expected), grads[key])
    # and the difference is real: the course's dW2 is not the contract's on this A_L
    assert not np.allclose(grads["dW2"], np.asarray(fx["expected"]["dW2"]), atol=1e-6)


def test_the_course_cases_are_all_run():
    assert len(CASES) == 16 + 20  # course 1: 16; course 2: 20 (and 3 outside twinnet, 4 notebook runs)
    assert {f["adapter"] for f in COURSE} == {
        "initialize_parameters", "linear_forward", "linear_activation_forward", "L_model_forward", "compute_cost",
        "linear_backward", "linear_activation_backward", "L_model_backward_chain", "update_parameters",
        "L_layer_model", "notebook",
        # course 2
        "compute_cost_with_regularization", "L_model_backward_cache", "L_model_forward_dropout", "outside-twinnet",
        "gradient_check", "predict_class", "random_mini_batches", "initialize_velocity", "initialize_adam",
        "update_parameters_with_momentum", "update_parameters_with_adam", "update_lr", "schedule_lr_decay",
        "moons_notebook"}


def test_initialize_parameters_is_the_courses_own_code():
    """The course's initialize_parameters(3, 2, 1) and W4A2's initialize_parameters_deep, run with numpy itself."""
    np_state = np.random.get_state()
    try:
        np.random.seed(1)
        W1 = np.random.randn(2, 3) * 0.01
        W2 = np.random.randn(1, 2) * 0.01
        p = twinnet.initialize_parameters([3, 2, 1], 1, "scaled", stream="numpy")
        assert_identical("W1", W1, p["W1"])
        assert_identical("W2", W2, p["W2"])
        np.random.seed(1)
        deep = [np.random.randn(n, n_prev) / np.sqrt(n_prev) for n_prev, n in ((10, 5), (5, 6), (6, 1))]
        q = twinnet.initialize_parameters([10, 5, 6, 1], 1, "xavier", stream="numpy")
        for l, W in enumerate(deep, start=1):
            assert_identical(f"W{l}", W, q[f"W{l}"])
    finally:
        np.random.set_state(np_state)

"""Lint over the fixtures themselves: schema, ids, flags, coverage, consistency, freshness."""

import json
import subprocess
import sys

import jsonschema
import numpy as np
import pytest
from helpers import FIXTURES, ROOT, fixture_paths, load_fixture

sys.path.insert(0, str(ROOT / "scripts"))
import make_fixtures  # noqa: E402

PATHS = fixture_paths()
ALL = [load_fixture(p) for p in PATHS]
TN = [f for f in ALL if f["id"].startswith("tn-")]  # the contract's own test vectors
COURSE = [f for f in ALL if f["kind"] == "course"]  # the course's published test cases
NETWORKS = [f for f in ALL if f["kind"] == "network"]


def test_schema_is_valid_and_strict():
    schema = json.loads((FIXTURES / "schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    extra = dict(ALL[0], surprise=1)
    assert list(validator.iter_errors(extra)), "schema accepts an unknown top-level key"
    cfg = dict(ALL[-1], config=dict(ALL[-1]["config"], surprise=1))
    assert list(validator.iter_errors(cfg)), "schema accepts an unknown config key"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_fixture_matches_schema(path):
    validator = jsonschema.Draft202012Validator(json.loads((FIXTURES / "schema.json").read_text()))
    errors = [e.message for e in validator.iter_errors(load_fixture(path))]
    assert not errors, errors[:3]


def test_ids_and_names_unique_and_match_file_names():
    ids = [f["id"] for f in ALL]
    names = [f["name"] for f in ALL]
    assert len(set(ids)) == len(ids)
    assert len(set(names)) == len(names)
    for p, f in zip(PATHS, ALL):
        assert p.name == f"{f['id']}-{f['name']}.json"


def test_flags_are_explained_in_each_file():
    for f in ALL:
        assert set(f["notes"]) == set(f["flags"]), f["id"]
        for flag in f["flags"]:
            assert f["notes"][flag] == make_fixtures.FLAGS[flag]


def test_coverage():
    assert len(TN) >= 30
    assert {f["config"]["hidden_activation"] for f in NETWORKS if len(f["config"]["layer_dims"]) > 2} == \
        {"relu", "tanh", "sigmoid", "leaky_relu"}
    assert {f["config"]["scheme"] for f in NETWORKS} == {"xavier", "he", "scaled", "standard", "zeros", "random"}
    depths = {len(f["config"]["layer_dims"]) - 1 for f in NETWORKS}
    assert {1, 2, 4} <= depths
    assert any(len(f["inputs"]["X"][0]) == 1 for f in NETWORKS)
    assert len({f["config"]["seed"] for f in TN}) >= 5
    assert {0, 2**31 - 1} <= {f["config"]["seed"] for f in TN}
    for flag in ("saturated", "relu-kink", "logistic-regression", "deep", "single-example"):
        assert any(flag in f["flags"] for f in NETWORKS), flag
    # numpy's stream: every kind that takes a seed, and the state carried from draw to draw
    assert {f["kind"] for f in TN if "numpy-stream" in f["flags"]} == {"rng", "numpy-stream", "circles", "network",
                                                                         "regularized", "minibatches", "optimizer",
                                                                         "moons"}
    for flag in ("cached-normal", "block-boundary"):
        assert any(flag in f["flags"] for f in TN if f["kind"] == "numpy-stream"), flag
    assert all(("numpy-stream" in f["flags"]) == (f["config"].get("stream", "portable") == "numpy")
               for f in TN if f["kind"] != "numpy-stream")


def test_coverage_of_the_courses_second_part():
    """Contract sections 31-37: every optimiser, decay, stream; L2 and dropout on every activation."""
    by = lambda kind: [f for f in TN if f["kind"] == kind]  # noqa: E731
    assert {f["config"]["scheme"] for f in NETWORKS} >= {"zeros", "random"}
    reg = by("regularized")
    both = [f for f in reg if "l2" in f["flags"] and "dropout" in f["flags"]]
    assert {f["config"]["hidden_activation"] for f in both} == set(make_fixtures.ACTIVATIONS)
    assert {f["config"].get("stream", "portable") for f in reg} == {"portable", "numpy"}
    assert any("dropout" in f["flags"] and "l2" not in f["flags"] for f in reg)
    assert any("l2" in f["flags"] and "dropout" not in f["flags"] for f in reg)
    opt = by("optimizer")
    assert {f["config"].get("optimizer", "gd") for f in opt} == {"gd", "momentum", "adam"}
    assert {f["config"].get("decay") for f in opt} == {None, "update_lr", "schedule_lr_decay"}
    assert {f["config"].get("stream", "portable") for f in opt} == {"portable", "numpy"}
    for flag in ("mini-batches", "last-batch-smaller", "dropout", "l2", "lr-decay", "logistic-regression"):
        assert any(flag in f["flags"] for f in opt), flag
    assert any("mini-batches" not in f["flags"] for f in opt)  # the optimiser path on the full batch
    mb = by("minibatches")
    assert {f["config"].get("stream", "portable") for f in mb} == {"portable", "numpy"}
    assert any("last-batch-smaller" not in f["flags"] for f in mb) and any("last-batch-smaller" in f["flags"] for f in mb)
    assert {f["config"].get("stream", "portable") for f in by("moons")} == {"portable", "numpy"}


@pytest.mark.parametrize("fx", [f for f in TN if f["kind"] in ("regularized", "minibatches", "optimizer")],
                         ids=lambda f: f["id"])
def test_second_part_fixtures_hold_together(fx):
    """Shapes, masks and batches as the contract says; flags that say what the case exercises."""
    c, e = fx["config"], fx["expected"]
    X = np.array(fx["inputs"]["X"])
    m = X.shape[1]
    if fx["kind"] == "regularized":
        dims = c["layer_dims"]
        keep = c["keep_prob"] if isinstance(c["keep_prob"], list) else [c["keep_prob"]] * (len(dims) - 2)
        assert sorted(e["masks"]) == sorted(f"D{l}" for l in range(1, len(dims) - 1) if keep[l - 1] < 1)
        for key, D in e["masks"].items():
            D = np.array(D)
            l = int(key[1:])
            assert D.shape == (dims[l], m) and set(np.unique(D)) <= {0.0, 1.0}
            A = np.array(e["forward"][f"A{l}"])
            assert np.all(A[D == 0] == 0.0)  # dropped units are 0
        assert e["cost"] >= 0 and ("l2" in fx["flags"]) == (c["lambd"] > 0)
    elif fx["kind"] == "minibatches":
        perm, size = e["permutation"], c["mini_batch_size"]
        assert sorted(perm) == list(range(m))
        assert [np.array(b["X"]).shape[1] for b in e["batches"]] == [min(size, m - k) for k in range(0, m, size)]
        assert np.array_equal(np.hstack([np.array(b["X"]) for b in e["batches"]]), X[:, perm])
    else:
        assert len(e["costs"]["cost"]) == c["num_iterations"] and c["print_every"] == 1
        size = c.get("mini_batch_size")
        assert ("mini-batches" in fx["flags"]) == (size is not None)
        assert ("last-batch-smaller" in fx["flags"]) == (size is not None and m % size != 0)


#: The course's graded test functions (W4A1/public_tests.py, W4A2/public_tests.py) and the notebook's two models;
#: course 2's (weeks 1 and 2), testCases.py's gradient_check_n case, and the optimization notebook's runs.
COURSE_TESTS = {
    "W4A1/public_tests.py": {"initialize_parameters_test", "initialize_parameters_deep_test", "linear_forward_test",
                             "linear_activation_forward_test", "L_model_forward_test", "compute_cost_test",
                             "linear_backward_test", "linear_activation_backward_test", "L_model_backward_test",
                             "update_parameters_test"},
    "W4A2/public_tests.py": {"two_layer_model_test", "L_layer_model_test"},
    "Application+v8 (1).ipynb": {"the notebook's two_layer_model", "the notebook's L_layer_model"},
    "W1A1/public_tests.py": {"initialize_parameters_zeros_test", "initialize_parameters_random_test",
                             "initialize_parameters_he_test"},
    "W1A2/public_tests.py": {"compute_cost_with_regularization_test", "backward_propagation_with_regularization_test",
                             "forward_propagation_with_dropout_test", "backward_propagation_with_dropout_test"},
    "W1A3/public_tests.py": {"forward_propagation_test", "backward_propagation_test", "gradient_check_test",
                             "predict_test"},
    "W1A3/testCases.py": {"gradient_check_n_test_case"},
    "W2A1/public_tests.py": {"update_parameters_with_gd_test", "random_mini_batches_test", "initialize_velocity_test",
                             "update_parameters_with_momentum_test", "initialize_adam_test",
                             "update_parameters_with_adam_test", "update_lr_test", "schedule_lr_decay_test"},
    "W2A1/Optimization_methods.ipynb": {f"the notebook's {run['call']}" for run in make_fixtures.published.NOTEBOOK_C2
                                        if "schedule_lr_decay" not in run["call"]},
}


def test_course_family_covers_every_published_test():
    seen = {}
    for f in COURSE:
        src = next(k for k in COURSE_TESTS if f["provenance"]["path"].endswith(k))
        seen.setdefault(src, set()).add(f["provenance"]["test"])
    assert seen == COURSE_TESTS


def test_course_deliberate_differences_are_listed_with_a_reason():
    """Each difference a course case declares is a flag with its sentence, and has its row in fixtures/README.md."""
    readme = (FIXTURES / "README.md").read_text()
    differences = {"call-adapter", "dict-cache", "dZL-shortcut", "labels-refused", "cost-from-ZL", "cost-history",
                   "flat-cache", "dZ-not-returned", "labels-as-numbers", "outside-twinnet", "course-backward-bugs",
                   "planar-classifier"}
    used = set().union(*(set(f["flags"]) for f in COURSE)) & differences
    assert used == differences
    for flag in differences:
        assert f"| `{flag}` |" in readme, flag


@pytest.mark.parametrize("fx", COURSE, ids=lambda f: f["id"])
def test_course_case_is_consistent(fx):
    e, course = fx["expected"], fx["course_expected"]
    assert set(fx["printed"]) == set(course)
    assert set(fx["printed"].values()) <= set(make_fixtures.PRINTED)
    if fx["adapter"] == "notebook":
        assert "real-data" in fx["flags"] and e == {}
    elif fx["adapter"] == "moons_notebook":
        assert "notebook-run" in fx["flags"] and e == {} and fx["inputs"]["data"] == "moons"
    else:
        assert set(course) <= set(e), "every published value has its reference value"
        # the reference reproduces the course's numbers to the precision they are printed with
        for key in course:
            make_fixtures.check_printed(f"{fx['id']} {key}", e[key], course[key], fx["printed"][key])
        # the inputs are the course's recipe: np.random.seed, then randn of each shape in order
        values = fx["inputs"]["values"]
        drawn = [d["name"] for s in fx["inputs"]["streams"] for d in s["randn"]]
        assert sorted(drawn + fx["inputs"]["literal"]) == sorted(values)
        for block in fx["inputs"]["streams"]:
            for d in block["randn"]:
                assert np.array(values[d["name"]]).shape == tuple(d["shape"])
    assert ("labels-refused" in fx["flags"]) == ("refusal" in fx)
    assert ("course-backward-bugs" in fx["flags"]) == ("bound" in fx)
    assert ("outside-twinnet" in fx["flags"]) == (fx["adapter"] == "outside-twinnet")
    assert bool(course) or "bound" in fx, "a case the course published no value for needs a bound"
    assert ("dZL-shortcut" in fx["flags"]) == ("contract_expected" in fx)
    assert ("numpy-stream" in fx["flags"]) == (fx["config"].get("stream") == "numpy")


def test_printed_tolerance_is_half_the_last_printed_digit():
    """Worked examples of the rule of fixtures/README.md (plus 1e-12 relative, contract section 13)."""
    tol = make_fixtures.printed_tolerance
    assert tol("0.01624345", "numpy-8", 0.01624345) == pytest.approx(0.5e-8 + 1e-12 * 0.01624345, rel=1e-12)
    assert tol("1.10437111e-05", "numpy-8", 1.10437111e-05) == pytest.approx(0.5e-13 + 1.10437111e-17, rel=1e-9)
    assert tol("0.771749", "fixed-6", 0.771749) == pytest.approx(0.5e-6 + 0.771749e-12, rel=1e-12)
    assert tol("0.985645933014", "str-12", 0.985645933014) == pytest.approx(0.5e-12 + 0.985645933014e-12, rel=1e-9)
    assert tol("0.8", "str-12", 0.8) == pytest.approx(0.5e-12 + 0.8e-12, rel=1e-9)
    assert tol("0.6930497356599888", "repr", 0.6930497356599888) == pytest.approx(0.5e-16 + 0.69305e-12, rel=1e-4)


@pytest.mark.parametrize("fx", NETWORKS, ids=lambda f: f["id"])
def test_network_shapes_chain_and_flags_hold(fx):
    dims = fx["config"]["layer_dims"]
    L = len(dims) - 1
    X = np.array(fx["inputs"]["X"])
    m = X.shape[1]
    assert X.shape[0] == dims[0]
    assert np.array(fx["inputs"]["Y"]).shape == (1, m)
    e = fx["expected"]
    for group in ("parameters", "updated_parameters"):
        assert list(e[group]) == [f"{p}{l}" for l in range(1, L + 1) for p in ("W", "b")]
        for l in range(1, L + 1):
            assert np.array(e[group][f"W{l}"]).shape == (dims[l], dims[l - 1])
            assert np.array(e[group][f"b{l}"]).shape == (dims[l], 1)
    for l in range(1, L + 1):
        for q in ("Z", "A"):
            assert np.array(e["forward"][f"{q}{l}"]).shape == (dims[l], m)
        assert np.array(e["backward"][f"dW{l}"]).shape == (dims[l], dims[l - 1])
    assert set(e["backward"]) == ({f"d{q}{l}" for l in range(1, L + 1) for q in "ZWb"}
                                  | {f"dA{l}" for l in range(1, L)})
    assert len(e["costs"]["cost"]) == fx["config"]["num_iterations"]
    assert e["costs"]["cost"][0] == e["cost"]
    ZL = np.array(e["forward"][f"Z{L}"])
    assert (np.max(np.abs(ZL)) > 40) == ("saturated" in fx["flags"])
    if "relu-kink" in fx["flags"]:
        assert np.any(np.array(e["forward"]["Z1"]) == 0.0)
    assert ("logistic-regression" in fx["flags"]) == (L == 1)
    assert ("deep" in fx["flags"]) == (L == 4)
    assert ("single-example" in fx["flags"]) == (m == 1)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_file_is_in_canonical_form(path):
    """No hand edits: each file is exactly what the writer makes of its own content."""
    text = path.read_text()
    assert text == make_fixtures.dump(json.loads(text)) + "\n"


def test_committed_fixtures_are_fresh():
    """Regenerate into a temporary folder and compare byte for byte."""
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_fixtures.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_generator_is_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    make_fixtures.write_all(a)
    make_fixtures.write_all(b)
    for p in sorted(a.iterdir()):
        assert p.read_bytes() == (b / p.name).read_bytes(), p.name


def test_the_script_writes_the_whole_set_where_asked(tmp_path):
    """`python scripts/make_fixtures.py --out DIR` (a repository script, not an installed command)."""
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_fixtures.py"), "--out", str(tmp_path)],
                          capture_output=True, text=True, cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    written = sorted(p.name for p in tmp_path.glob("*.json"))
    assert written and written == sorted(p.name for p in FIXTURES.glob("*-*.json"))


def test_freshness_forgives_the_c_librarys_last_bits_and_nothing_else():
    """Contract section 2: another C library's log/exp may round one ulp apart; that is not a stale file."""
    import math

    x = 0.6931471805599453
    same = {"a": [x, 1, "s"], "b": {"c": [2.5]}}
    assert make_fixtures.last_bit_differences(same, same) == 0
    one_ulp = {"a": [x + math.ulp(x), 1, "s"], "b": {"c": [2.5]}}
    assert make_fixtures.last_bit_differences(one_ulp, same) == 1
    five_ulps = {"a": [x + 5 * math.ulp(x), 1, "s"], "b": {"c": [2.5]}}
    assert make_fixtures.last_bit_differences(five_ulps, same) is None
    for changed in ({"a": [x, 2, "s"], "b": {"c": [2.5]}}, {"a": [x, 1, "t"], "b": {"c": [2.5]}},
                    {"a": [x, 1.0, "s"], "b": {"c": [2.5]}}, {"a": [x, 1], "b": {"c": [2.5]}},
                    {"a": [x, 1, "s"], "b": {"d": [2.5]}}):
        assert make_fixtures.last_bit_differences(changed, same) is None

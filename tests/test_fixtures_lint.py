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
    assert len(ALL) >= 30
    assert {f["config"]["hidden_activation"] for f in NETWORKS if len(f["config"]["layer_dims"]) > 2} == \
        {"relu", "tanh", "sigmoid", "leaky_relu"}
    assert {f["config"]["scheme"] for f in NETWORKS} == {"xavier", "he", "scaled", "standard"}
    depths = {len(f["config"]["layer_dims"]) - 1 for f in NETWORKS}
    assert {1, 2, 4} <= depths
    assert any(len(f["inputs"]["X"][0]) == 1 for f in NETWORKS)
    assert len({f["config"]["seed"] for f in ALL}) >= 5
    assert {0, 2**31 - 1} <= {f["config"]["seed"] for f in ALL}
    for flag in ("saturated", "relu-kink", "logistic-regression", "deep", "single-example"):
        assert any(flag in f["flags"] for f in NETWORKS), flag


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
    assert written and written == sorted(p.name for p in FIXTURES.glob("tn-*.json"))

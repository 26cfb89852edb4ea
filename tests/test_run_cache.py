"""The harness that computes each expensive run once per test command (tests/helpers.py: once, r_run).

scripts/test.sh trains the expensive R runs in testthat and the pytest pass
with R compares Python with those same runs; that sharing is only sound if
both helpers key a run by the same line of text, so the line is checked here
across the two languages, on the configurations that are shared.
"""

import pytest
from helpers import ROOT, fixture_paths, load_fixture, once, run_key

CONFIGS = [
    ("defaults", [12288, 20, 7, 5, 1], {}),
    ("cat/non-cat direct", [12288, 20, 7, 5, 1], {"solver": "direct"}),
    ("cat/non-cat as the experiment writes it", [12288, 20, 7, 5, 1],
     dict(learning_rate=0.0075, num_iterations=2500, seed=1, hidden_activation="relu", scheme="xavier",
          solver="gram")),
] + [(f["name"], f["config"]["layer_dims"],
      {k: v for k, v in f["config"].items() if k not in ("layer_dims", "print_every")})
     for f in (load_fixture(p) for p in fixture_paths()) if f["kind"] == "course" and f["adapter"] == "moons_notebook"]


def test_the_key_holds_every_argument_and_tells_runs_apart():
    keys = [run_key(dims, config) for _, dims, config in CONFIGS]
    assert keys[0] == run_key([12288, 20, 7, 5, 1], {"scheme": "xavier"})  # a default given is the default
    assert len(set(keys[1:])) == len(keys) - 1
    assert "learning_rate=0.0074999999999999997" in keys[0] and "decay=NULL" in keys[0]
    assert "print_every" not in keys[0] and "callback" not in keys[0]


def test_once_computes_once_per_key(tmp_path, monkeypatch):
    monkeypatch.setenv("TWINNET_RUN_CACHE", str(tmp_path))
    calls = []
    assert once("test", ("a", 1), lambda: calls.append(1) or 41) == 41
    assert once("test", ("a", 1), lambda: calls.append(1) or 42) == 41
    assert once("test", ("a", 2), lambda: calls.append(1) or 43) == 43
    assert len(calls) == 2 and len(list(tmp_path.glob("test-*.pickle"))) == 2


@pytest.mark.parametrize("name, dims, config", CONFIGS, ids=[c[0] for c in CONFIGS])
def test_testthat_keys_a_run_as_python_does(r, name, dims, config):
    helper = ROOT / "tests" / "testthat" / "helper-fixtures.R"
    key = r._ro.r(f"""local({{
        e <- new.env(parent = asNamespace("twinnet"))
        sys.source("{helper}", envir = e)
        e$run_key}})""")
    assert str(key(r.to_r(dims), r.to_r(config))[0]) == run_key(dims, config)

"""The application notebook's tables, from L_layer_model in both languages (needs ../shared/data/catvnoncat/).

Course 1, week 4, assignment 2 ("Deep Neural Network - Application"): the
2-layer model [12288, 7, 1] (the course's two_layer_model: seed 1, weights *
0.01) and the 4-layer model [12288, 20, 7, 5, 1] (its L_layer_model: seed 1,
weights / sqrt(n_(l-1))), numpy's stream, learning rate 0.0075, 2500
iterations. The expected values are the notebook's printed output, version 8
of the notebook as published in github.com/codeamt/Deep-Learning-AI (commit
eca9ec16e0d7551a02021f8cf1d9aeea4ee0b31f, "1 Neural Networks and Deep
Learning/Implementations/4 Deep Neural Networks/2-PA/Deep+Neural+Network+-+
Application+v8 (1).ipynb"), recorded in fixtures/course-017 and course-018
(scripts/course_tests.py): the 2-layer costs in full precision (agreement to
1e-12 relative), the 4-layer ones to their 6 printed decimals, the accuracies
to their 12 printed digits (train 1.0 / test 0.72; 0.985645933014 / 0.8).

Both runs are stable in the sense of contract section 13 (their cost oscillates,
rising at hundreds of iterations, but a perturbation of the initial weights
grows only a few-fold), so the two languages are also compared with each other
at the long-run tolerance, and their predictions must be identical.
"""

import os
import time

import numpy as np
import pytest
from helpers import RUN_TOL, assert_close, assert_stable, fixture_paths, load_fixture, require_data
from test_course import assert_printed

import twinnet

pytestmark = [pytest.mark.slow, pytest.mark.realdata]

NOTEBOOK = {f["config"]["model"]: f for f in (load_fixture(p) for p in fixture_paths())
            if f["kind"] == "course" and f["adapter"] == "notebook"}


def compare_course(folder, r, num_iterations=2500):
    """The application notebook's two models (``COURSE_MODELS``) in both languages, side by side (R through rpy2).

    Runs :func:`~twinnet.course_models` in Python and its R twin on the cat /
    non-cat files in ``folder``. Returns a dict: ``python`` and ``r`` (what
    each ``course_models`` returned, plus ``seconds``), and per model
    (``"two_layer"``, ``"four_layer"``) ``max_rel_cost_diff`` (max|a - b| /
    max|a| over the cost history) and ``predictions_agree`` (train and test).
    The notebook's published costs and accuracies are in
    ``fixtures/course-*.json``.
    """
    out = {}
    for lang in ("python", "r"):
        t0 = time.perf_counter()
        fits = (twinnet.course_models(folder, num_iterations) if lang == "python"
                else r.course_models(os.fspath(folder), num_iterations))
        out[lang] = dict(fits, seconds=time.perf_counter() - t0)
    train_X, _, test_X, _, _ = twinnet.load_catvnoncat(folder)
    Xs = np.hstack([train_X, test_X])
    out["max_rel_cost_diff"], out["predictions_agree"] = {}, {}
    for name in twinnet.COURSE_MODELS:
        a = out["python"][name]["costs"]["cost"].to_numpy()
        b = out["r"][name]["costs"]["cost"].to_numpy()
        out["max_rel_cost_diff"][name] = float(np.max(np.abs(a - b)) / np.max(np.abs(a)))
        out["predictions_agree"][name] = bool(np.array_equal(twinnet.predict_class(Xs, out["python"][name]["parameters"]),
                                                             r.predict_class(Xs, out["r"][name]["parameters"])))
    return out


@pytest.fixture(scope="module")
def folder():
    return require_data("catvnoncat")


@pytest.fixture(scope="module")
def fits(r, folder):
    return compare_course(folder, r)


def test_the_library_trains_the_notebooks_models():
    assert set(NOTEBOOK) == set(twinnet.COURSE_MODELS) == {"two_layer", "four_layer"}
    for name, fx in NOTEBOOK.items():
        c = {k: v for k, v in fx["config"].items() if k != "model"}
        assert twinnet.COURSE_MODELS[name] == c, name


@pytest.mark.parametrize("lang", ["python", "r"])
@pytest.mark.parametrize("model", ["two_layer", "four_layer"])
def test_notebook_table(fits, lang, model):
    fx = NOTEBOOK[model]
    fit = fits[lang][model]
    course = fx["course_expected"]
    costs = dict(zip(fit["costs"]["iteration"].tolist(), fit["costs"]["cost"].tolist()))
    assert set(course["costs"]["iteration"]) <= set(costs)
    got = [costs[i] for i in course["costs"]["iteration"]]
    assert_printed(f"{lang} {model} costs", course["costs"]["cost"], got, fx["printed"]["costs"])
    for key in ("train_accuracy", "test_accuracy"):
        assert_printed(f"{lang} {model} {key}", course[key], fit[key], fx["printed"][key])


def test_two_layer_costs_within_1e_12_of_the_notebook(fits):
    """The issue's figure, spelled out: every recorded 2-layer cost within 1e-12 relative of the notebook's."""
    course = NOTEBOOK["two_layer"]["course_expected"]["costs"]
    want = np.array([float(c) for c in course["cost"]])
    for lang in ("python", "r"):
        costs = fits[lang]["two_layer"]["costs"]
        got = costs["cost"].to_numpy()[np.isin(costs["iteration"].to_numpy(), course["iteration"])]
        assert np.max(np.abs(got - want) / want) <= 1e-12, lang


def test_both_languages_predict_the_same(fits):
    assert fits["predictions_agree"] == {"two_layer": True, "four_layer": True}


@pytest.mark.parametrize("model", ["two_layer", "four_layer"])
def test_python_and_r_agree_within_the_long_run_tolerance(fits, folder, model):
    """The cost rises at hundreds of iterations, yet the runs are stable (contract section 13): compared at 1e-9."""
    X, Y, _, _, _ = twinnet.load_catvnoncat(folder)
    config = {k: v for k, v in twinnet.COURSE_MODELS[model].items() if k != "layer_dims"}
    s = assert_stable(X, Y, twinnet.COURSE_MODELS[model]["layer_dims"], **config)
    assert len(s["rises"]) > 100, len(s["rises"])
    a, b = fits["python"][model]["costs"], fits["r"][model]["costs"]
    assert list(a["iteration"]) == list(b["iteration"])
    assert_close(f"{model} costs, Python vs R", a["cost"].to_numpy(), b["cost"].to_numpy(), RUN_TOL)


def test_textbook_cost_and_cost_from_ZL_agree(folder):
    """The course records the textbook cost from A_L, twinnet the one from Z_L: both agree far below 1e-12 here,
    at the initial parameters and after training."""
    X, Y, _, _, _ = twinnet.load_catvnoncat(folder)
    for name, config in twinnet.COURSE_MODELS.items():
        start = twinnet.initialize_parameters(config["layer_dims"], config["seed"], config["scheme"],
                                              stream=config["stream"])
        trained, _ = twinnet.L_layer_model(X, Y, **config)
        for label, params in (("initial", start), ("trained", trained)):
            AL, caches = twinnet.L_model_forward(X, params)
            textbook = twinnet.compute_cost(AL, Y)
            from_ZL = twinnet.compute_cost(AL, Y, caches[-1]["Z"])
            assert abs(textbook - from_ZL) <= 1e-14 * from_ZL, (name, label, textbook, from_ZL)

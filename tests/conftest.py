"""pytest configuration: the R twin as a session fixture, and the ``r`` marker.

``r`` is the installed R package through rpy2 (twinnet.rbridge.RTwin). When
R, rpy2 or the package is missing, tests that need it are skipped with the
reason -- unless TWINNET_REQUIRE_R=1 (set by scripts/test.sh for its R pass),
where that is a failure: the parity suite must run, not skip, in CI.

Every test that uses the ``r`` fixture, directly or through another fixture,
or the R side of ``twin``, is marked ``r`` here, so that ``pytest -m "not r"``
selects exactly the tests that need no R (scripts/test.sh runs them in an
environment without R and without rpy2) and no test can forget its marker.

The platform matrix (scripts/platforms.sh) forces R's OpenBLAS independently
of numpy's: numpy has loaded its own OpenBLAS when this file is imported; R
loads Debian's when rpy2 first starts R, inside the ``r`` fixture, which sets
OPENBLAS_CORETYPE / OPENBLAS_NUM_THREADS from TWINNET_R_OPENBLAS_CORETYPE /
TWINNET_R_OPENBLAS_NUM_THREADS for that moment only ("auto": unset, so that
R's OpenBLAS picks its own kernel whatever numpy's was told).
"""

import os

import numpy  # noqa: F401  (numpy's OpenBLAS first; see above)
import pytest

R_FORCED = ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS")


@pytest.fixture(scope="session")
def r():
    from twinnet.rbridge import RTwin, RUnavailable

    saved = {v: os.environ.get(v) for v in R_FORCED}
    for var in R_FORCED:
        forced = os.environ.get(f"TWINNET_R_{var}")
        if forced == "auto":  # R's OpenBLAS chooses for itself, whatever numpy's was told
            os.environ.pop(var, None)
        elif forced:
            os.environ[var] = forced
    try:
        return RTwin()
    except RUnavailable as exc:
        if os.environ.get("TWINNET_REQUIRE_R") == "1":
            pytest.fail(f"TWINNET_REQUIRE_R=1 but the R twin is unavailable: {exc}")
        pytest.skip(f"R twin unavailable: {exc}")
    finally:
        for var, value in saved.items():
            if value is None:
                os.environ.pop(var, None)
            else:
                os.environ[var] = value


@pytest.fixture(params=["python", "r"])
def twin(request):
    """Each test that takes ``twin`` runs once per language (tests/twins.py)."""
    from twins import PythonTwin, RTwinAdapter

    if request.param == "python":
        return PythonTwin()
    return RTwinAdapter(request.getfixturevalue("r"))


def needs_r(item):
    """Whether a collected test needs the R twin: the ``r`` fixture in its closure, or ``twin`` on its R side."""
    if "r" in getattr(item, "fixturenames", ()):
        return True
    callspec = getattr(item, "callspec", None)
    return callspec is not None and callspec.params.get("twin") == "r"


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(config, items):
    for item in items:
        if needs_r(item):
            item.add_marker(pytest.mark.r)

#!/usr/bin/env bash
# The project's test command (README, .ci/run): set-up, R's own testthat suite
# (no Python involved), then the pytest suite (Python alone, R through rpy2,
# live parity). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh

echo "== R: testthat on the fixtures, no Python involved"
TWINNET_FIXTURES="$PWD/fixtures" Rscript -e '
  .libPaths(c(".rlib", .libPaths()))
  testthat::test_dir("tests/testthat", package = "twinnet", load_package = "installed",
                     reporter = "summary", stop_on_failure = TRUE)'

echo "== Python: pytest (Python side, R side through rpy2, live parity)"
# TWINNET_REQUIRE_R turns "R is missing" from a skip into a failure: here R was just installed.
TWINNET_REQUIRE_R=1 exec .venv/bin/python -m pytest "$@"

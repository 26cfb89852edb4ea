#!/usr/bin/env bash
# The project's test command (README, .ci/run), in three passes:
#   1. R's own testthat suite, no Python involved;
#   2. the Python half alone: pytest -m "not r" in .venv-py (no rpy2), with
#      R taken off the PATH, so that nothing in it can lean on R;
#   3. everything that needs R: pytest -m r in .venv (rpy2), where a missing R
#      is a failure, not a skip (TWINNET_REQUIRE_R=1).
# Extra arguments go to both pytest passes (e.g. -x, -k name).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh

echo "== R: testthat on the fixtures, no Python involved"
TWINNET_FIXTURES="$PWD/fixtures" Rscript -e '
  .libPaths(c(".rlib", .libPaths()))
  testthat::test_dir("tests/testthat", package = "twinnet", load_package = "installed",
                     reporter = "summary", stop_on_failure = TRUE)'

# The two pytest passes share their expensive reference runs (tests/helpers.py: python_run)
# through a folder that lives as long as this command.
TWINNET_RUN_CACHE=$(mktemp -d "${TMPDIR:-/tmp}/twinnet-runs.XXXXXX")
export TWINNET_RUN_CACHE
shim=$(mktemp -d "${TMPDIR:-/tmp}/twinnet-path-without-r.XXXXXX")
trap 'rm -rf "$shim" "$TWINNET_RUN_CACHE"' EXIT

echo "== Python alone: pytest -m \"not r\" without rpy2 and without R on the PATH"
env -u R_HOME -u TWINNET_REQUIRE_R PATH="$(bash scripts/path-without-r.sh "$shim")" \
  .venv-py/bin/python -m pytest -m "not r" "$@"

echo "== Python and R: pytest -m r (R through rpy2, live parity)"
TWINNET_REQUIRE_R=1 .venv/bin/python -m pytest -m r "$@"

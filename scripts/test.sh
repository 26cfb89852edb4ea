#!/usr/bin/env bash
# The project's test command (README, .ci/run), in three passes:
#   1. R's own testthat suite, no Python involved;
#   2. the Python half alone: pytest -m "not r" in .venv-py (no rpy2), with
#      R taken off the PATH, so that nothing in it can lean on R;
#   3. everything that needs R: pytest -m r in .venv (rpy2), where a missing R
#      is a failure, not a skip (TWINNET_REQUIRE_R=1).
# Pass 1 runs beside passes 2 and 3 (its report is printed when all end; the
# runs pass 3 shares with it are waited for), pass 3 after pass 2; each
# pytest pass spreads its tests over the
# cores (pytest-xdist, TWINNET_TEST_JOBS workers, default: the number of
# cores). Every BLAS runs on one thread (OPENBLAS_NUM_THREADS=1 unless set):
# the cores are shared between test processes instead; other thread counts
# are the platform matrix's (scripts/platforms.sh, docs/platforms.md).
# The expensive reference runs are computed once for the whole command and
# shared between the passes (tests/helpers.py: once, r_run).
# Extra arguments go to both pytest passes (e.g. -x, -k name).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh

export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
jobs=${TWINNET_TEST_JOBS:-$(nproc)}
start=$SECONDS

TWINNET_RUN_CACHE=$(mktemp -d "${TMPDIR:-/tmp}/twinnet-runs.XXXXXX")
export TWINNET_RUN_CACHE
shim=$(mktemp -d "${TMPDIR:-/tmp}/twinnet-path-without-r.XXXXXX")
testthat_pid=""
trap '[ -z "$testthat_pid" ] || kill "$testthat_pid" 2>/dev/null; rm -rf "$shim" "$TWINNET_RUN_CACHE"' EXIT

echo "== R: testthat on the fixtures, no Python involved (its report follows the pytest passes)"
TWINNET_TESTTHAT_STATUS="$TWINNET_RUN_CACHE/testthat.ended"
export TWINNET_TESTTHAT_STATUS
TWINNET_FIXTURES="$PWD/fixtures" Rscript -e '
  .libPaths(c(".rlib", .libPaths()))
  tryCatch(testthat::test_dir("tests/testthat", package = "twinnet", load_package = "installed",
                              reporter = "summary", stop_on_failure = TRUE),
           finally = writeLines("ended", Sys.getenv("TWINNET_TESTTHAT_STATUS")))' >"$TWINNET_RUN_CACHE/testthat.log" 2>&1 &
testthat_pid=$!

echo "== Python alone: pytest -m \"not r\" without rpy2 and without R on the PATH"
python_status=0
env -u R_HOME -u TWINNET_REQUIRE_R PATH="$(bash scripts/path-without-r.sh "$shim")" \
  .venv-py/bin/python -m pytest -m "not r" -n "$jobs" "$@" || python_status=$?

r_status="not run"
if [ "$python_status" -eq 0 ]; then
  echo "== Python and R: pytest -m r (R through rpy2, live parity)"
  r_status=0
  TWINNET_REQUIRE_R=1 .venv/bin/python -m pytest -m r -n "$jobs" "$@" || r_status=$?
fi

testthat_status=0
wait "$testthat_pid" || testthat_status=$?
testthat_pid=""
echo "== R: testthat (report)"
cat "$TWINNET_RUN_CACHE/testthat.log"
if [ "$python_status" != 0 ] || [ "$testthat_status" != 0 ] || [ "$r_status" != 0 ]; then
  echo "test.sh: FAILED (testthat exit $testthat_status, Python-only pass exit $python_status," \
       "pass with R exit $r_status) after $((SECONDS - start)) s"
  exit 1
fi
echo "test.sh: all three passes passed (testthat, Python alone, Python and R) in $((SECONDS - start)) s"

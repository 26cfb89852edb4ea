#!/usr/bin/env bash
# Installs everything twinnet needs on a fresh Debian 12 / Ubuntu machine, and
# is quick (a few seconds) when it is already there:
#   - R and the R packages, from Debian's packages (CRAN is not needed);
#   - OpenBLAS, so that R's matrix products are fast;
#   - .venv/ with the Python package (editable), its test dependencies and rpy2;
#   - .venv-py/ the same without rpy2: the Python half's tests run there with no R;
#   - the R package, installed into the project-local library .rlib/.
# Re-running it after a change to R/ or pyproject.toml re-installs what changed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

APT_PACKAGES="r-base-core r-base-dev r-cran-jsonlite r-cran-testthat r-cran-hdf5r r-cran-png r-cran-jpeg libopenblas0-pthread"
PYTHON=${PYTHON:-python3}

missing=""
for p in $APT_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if ! "$PYTHON" -c "import ensurepip, venv" >/dev/null 2>&1; then
  missing="$missing python3-venv"
fi
if [ -n "$missing" ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
  echo "setup: installing Debian packages:$missing"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# make_venv FOLDER EXTRAS: a virtual environment with the package (editable) and EXTRAS.
make_venv() {
  local venv=$1 extras=$2
  if [ ! -x "$venv/bin/python" ]; then
    echo "setup: creating $venv"
    "$PYTHON" -m venv "$venv"
  fi
  local want
  want=$( (cat pyproject.toml; echo "$extras") | sha256sum | cut -c1-16)
  if [ "$(cat "$venv/.twinnet-stamp" 2>/dev/null)" != "$want" ]; then
    echo "setup: installing the Python package with [$extras] into $venv"
    pip_quiet() { "$venv/bin/python" -m pip install -q --disable-pip-version-check "$@" >"$venv/pip.log" 2>&1 || { cat "$venv/pip.log"; exit 1; }; }
    pip_quiet --upgrade pip
    pip_quiet -e ".[$extras]"
    echo "$want" > "$venv/.twinnet-stamp"
  fi
}
make_venv .venv test,r
make_venv .venv-py test

mkdir -p .rlib
want=$(find DESCRIPTION NAMESPACE R man src -type f ! -name "*.o" ! -name "*.so" ! -name "*.dll" | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-16)
if [ ! -d .rlib/twinnet ] || [ "$(cat .rlib/.twinnet-stamp 2>/dev/null)" != "$want" ]; then
  echo "setup: installing the R package into .rlib"
  R CMD INSTALL --no-multiarch --library=.rlib . >/dev/null 2>.rlib/install.log || { cat .rlib/install.log; exit 1; }
  echo "$want" > .rlib/.twinnet-stamp
fi

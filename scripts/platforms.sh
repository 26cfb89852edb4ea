#!/usr/bin/env bash
# The platform matrix (scripts/platforms.py): the parity tests under simulated
# CPUs (OpenBLAS kernels), BLAS libraries (R on the reference BLAS), thread
# counts and numpy SIMD levels, on this one machine. Prints the table that
# docs/platforms.md holds one run of. Options go to scripts/platforms.py
# (--only NAMES, --groups NAMES, --markdown FILE).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
if ! dpkg-query -W -f='${Status}' libblas3 2>/dev/null | grep -q "install ok installed"; then
  SUDO=""; if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
  echo "platforms: installing Debian's reference BLAS (libblas3)"
  $SUDO apt-get install -y -qq --no-install-recommends libblas3 >/dev/null
fi
exec .venv/bin/python scripts/platforms.py "$@"

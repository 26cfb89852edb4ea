#!/usr/bin/env bash
# The main job: train the same network in Python and in R from the same seed on
# the built-in circles, and print the two cost histories side by side
# (`twinnet compare`, the command line's headline subcommand; arguments go to it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
exec .venv/bin/twinnet compare "$@"

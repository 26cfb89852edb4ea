#!/usr/bin/env bash
# Prints $PATH with R taken off it: every folder that holds R or Rscript is
# replaced by .venv-py/path-without-r/, which links to everything else in it.
# scripts/test.sh runs the Python half's tests under this PATH.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
shim="$PWD/.venv-py/path-without-r"
rm -rf "$shim"
mkdir -p "$shim"
out=""
IFS=: read -ra dirs <<< "$PATH"
for d in "${dirs[@]}"; do
  [ -d "$d" ] || continue
  if [ -e "$d/R" ] || [ -e "$d/Rscript" ]; then
    for f in "$d"/*; do
      n=${f##*/}
      case $n in R | Rscript) ;; *) [ -e "$shim/$n" ] || ln -s "$f" "$shim/$n" ;; esac
    done
    d=$shim
  fi
  case ":$out:" in *":$d:"*) ;; *) out=${out:+$out:}$d ;; esac
done
echo "$out"

#!/usr/bin/env bash
# path-without-r.sh FOLDER: prints $PATH with R taken off it. Every folder of
# $PATH that holds R or Rscript is replaced by FOLDER, which gets a link to
# everything else in it. scripts/test.sh runs the Python half's tests under
# this PATH (FOLDER is a temporary folder it removes afterwards).
set -euo pipefail
shim=${1:?usage: path-without-r.sh FOLDER}
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

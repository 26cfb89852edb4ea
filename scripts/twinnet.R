#!/usr/bin/env Rscript
# The R command line, twinnet::cli_main() (R/cli.R), from a checkout: `Rscript scripts/twinnet.R --help`.
# It loads the R package from the checkout's .rlib/ when there is one (bash scripts/setup.sh), and
# runs Python's command line (train --lang python, compare) with the checkout's .venv/ when there is one.
local({
  root <- dirname(dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1]))))
  if (dir.exists(file.path(root, ".rlib", "twinnet"))) .libPaths(c(file.path(root, ".rlib"), .libPaths()))
  python <- file.path(root, ".venv", "bin", "python")
  if (!nzchar(Sys.getenv("TWINNET_PYTHON")) && file.exists(python)) Sys.setenv(TWINNET_PYTHON = python)
})
quit(status = twinnet::cli_main(commandArgs(trailingOnly = TRUE)), save = "no")

# Helpers for the real-data and image tests (test-data.R, test-images.R).

# The folder ../shared/data/<folder> (relative to the repository root), found
# through TWINNET_SHARED_DATA or by walking up from tests/testthat; a skip that
# says why when it is absent (a fresh clone, R CMD check).
shared_data_or_skip <- function(folder) {
  env <- Sys.getenv("TWINNET_SHARED_DATA")
  roots <- c(if (nzchar(env)) env, "../../../shared/data", "../../shared/data", "../shared/data")
  for (root in roots) {
    path <- file.path(root, folder)
    if (dir.exists(path)) return(normalizePath(path))
  }
  skip(sprintf("real data not found: %s/ is absent from ../shared/data (set TWINNET_SHARED_DATA to the folder that holds it)",
               folder))
}

# A contract error (docs/contract.md section 12) naming `arg` and saying `expected`.
expect_refused <- function(expr, arg, expected) {
  expect_error(expr, sprintf("`%s`: expected %s; got ", arg, expected), fixed = TRUE, class = "twinnet_input_error")
}

# Shared helpers for the testthat suite: find and read fixtures/, and the
# contract's tolerances (docs/contract.md section 13).
#
# fixtures/ is found through TWINNET_FIXTURES or by walking up from this
# folder (tests/testthat -> repository root). Under R CMD check of a built
# tarball it is absent, and the fixture tests skip saying so.

fixtures_dir <- function() {
  env <- Sys.getenv("TWINNET_FIXTURES")
  if (nzchar(env) && dir.exists(env)) return(normalizePath(env))
  for (up in c("../../fixtures", "../../../fixtures", "fixtures")) {
    if (file.exists(file.path(up, "schema.json"))) return(normalizePath(up))
  }
  NULL
}

skip_if_no_fixtures <- function() {
  if (is.null(fixtures_dir())) {
    skip("fixtures/ not found: set TWINNET_FIXTURES to the repository's fixtures/ folder (R CMD check leaves it out)")
  }
}

read_fixtures <- function(kind) {
  dir <- fixtures_dir()
  if (is.null(dir)) return(list())
  files <- sort(list.files(dir, pattern = "^tn-.*\\.json$", full.names = TRUE))
  fx <- lapply(files, jsonlite::fromJSON, simplifyVector = TRUE, simplifyMatrix = TRUE)
  Filter(function(f) f$kind == kind, fx)
}

# A JSON array of rows as a double matrix (jsonlite simplifies [[...]] to a matrix).
as_mat <- function(x) {
  if (!is.matrix(x)) x <- matrix(x, nrow = 1L)
  storage.mode(x) <- "double"
  x
}

STEP_TOL <- 1e-12
RUN_TOL <- 1e-9

rel_err <- function(expected, actual) {
  scale <- max(abs(expected))
  diff <- max(abs(expected - actual))
  if (scale > 0) diff / scale else diff
}

# Appends one measured error to $TWINNET_ERROR_LOG (JSON lines), for scripts/platforms.py's table.
log_error <- function(label, err, tol) {
  path <- Sys.getenv("TWINNET_ERROR_LOG")
  if (nzchar(path)) {
    cat(sprintf('{"test": "testthat", "name": %s, "err": %.17g, "tol": %.17g}\n',
                jsonlite::toJSON(label, auto_unbox = TRUE), err, tol), file = path, append = TRUE)
  }
}

# max|a - b| / max|a| <= tol, with the quantity, the worst element and both values on failure.
expect_close <- function(actual, expected, tol = STEP_TOL, label = "value") {
  expected <- as.matrix(expected)
  actual <- as.matrix(actual)
  expect_identical(dim(actual), dim(expected), label = paste(label, "shape"))
  err <- rel_err(expected, actual)
  log_error(label, err, tol)
  i <- which.max(abs(expected - actual))
  expect(err <= tol, sprintf("%s: max|a-b|/max|a| = %.3g > %g; worst element %d: expected %.17g, got %.17g",
                             label, err, tol, i, expected[i], actual[i]))
}

expect_bits <- function(actual, expected, label = "value") {
  log_error(label, if (identical(as.vector(actual), as.vector(expected))) 0 else 1, 0)
  expect(identical(as.vector(actual), as.vector(expected)) && identical(dim(actual), dim(expected)),
         sprintf("%s: not bit-identical (first difference at %s)", label,
                 paste(head(which(as.vector(actual) != as.vector(expected)), 1), collapse = "")))
}

# The stability guard (docs/contract.md section 13), before a long-run
# comparison: an unstable configuration fails as such, never as a parity
# failure. Returns training_stability()'s result (its costs, every iteration,
# and parameters are this language's run with solver "auto").
expect_stable <- function(X, Y, layer_dims, tolerance = RUN_TOL, ...) {
  config <- list(...)
  guarded <- c("learning_rate", "num_iterations", "seed", "hidden_activation", "scheme", "stream",
               # the options of the optimiser path (contract section 36)
               "lambd", "keep_prob", "mini_batch_size", "optimizer", "beta", "beta1", "beta2", "epsilon", "decay",
               "decay_rate", "time_interval", "mini_batch_seed", "dropout_seed")
  config <- config[intersect(names(config), guarded)]
  s <- do.call(training_stability, c(list(X, Y, layer_dims, tolerance = tolerance), config))
  expect(s$stable, sprintf("%s: contract section 13 excludes it from comparisons at %g; choose a stable configuration (this is not a parity failure)",
                           s$message, tolerance))
  invisible(s)
}

# An L_layer_model run's arguments, defaults filled in, as one line of text: tests/helpers.py's
# run_key writes the same line for the same run (tests/test_run_cache.py checks it).
run_key <- function(layer_dims, config = list()) {
  args <- lapply(formals(L_layer_model)[-(1:3)], eval)
  args[names(config)] <- config
  args <- args[setdiff(names(args), c("print_every", "callback", "parameters"))]
  text <- function(v) {
    if (is.null(v)) "NULL"
    else if (is.logical(v)) paste(ifelse(v, "TRUE", "FALSE"), collapse = ",")
    else if (is.numeric(v)) paste(sprintf("%.17g", as.numeric(v)), collapse = ",")
    else paste(v, collapse = ",")
  }
  keys <- sort(names(args), method = "radix")  # code-point order, as Python's sorted()
  paste(c(paste0("layer_dims=", text(layer_dims)), sprintf("%s=%s", keys, vapply(args[keys], text, ""))),
        collapse = ";")
}

# L_layer_model(X, Y, layer_dims, print_every = 1, ...), computed once per test command: with
# TWINNET_RUN_CACHE set (scripts/test.sh) the run is stored there as r-<name>.rds beside its run_key,
# for the pytest pass with R to compare with Python (tests/helpers.py: r_run) instead of training R
# again. `name` says which data the run is on. A stored run is used only under the same key.
r_run <- function(name, X, Y, layer_dims, ...) {
  config <- list(...)
  key <- run_key(layer_dims, config)
  folder <- Sys.getenv("TWINNET_RUN_CACHE")
  path <- if (nzchar(folder)) file.path(folder, paste0("r-", name, ".rds"))
  if (!is.null(path) && file.exists(path)) {
    saved <- readRDS(path)
    if (identical(saved$key, key)) return(saved$run)
  }
  run <- do.call(L_layer_model, c(list(X, Y, layer_dims, print_every = 1), config))
  if (!is.null(path)) {
    tmp <- paste0(path, ".", Sys.getpid(), ".tmp")
    saveRDS(list(key = key, run = run), tmp, compress = FALSE)
    file.rename(tmp, path)
  }
  run
}

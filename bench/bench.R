# The R side of the benchmark (bench/variants.py sources this file through rpy2). Each function
# times or measures inside R, so that no conversion between the languages is counted.

# L_layer_model on the benchmark's data; `options` are its training options (a named list, empty for
# the full-batch cases; mini_batch_size and optimizer for the mini-batch workload).
bench_train <- function(X, Y, dims, lr, iterations, solver, options) {
  do.call(twinnet::L_layer_model, c(list(X, Y, dims, learning_rate = lr, num_iterations = iterations,
                                         solver = solver), options))
}

# One training run of the R package: list(seconds, cost), timed around the L_layer_model call.
bench_fit <- function(X, Y, dims, lr, iterations, solver, options = list()) {
  invisible(gc())
  t0 <- proc.time()[["elapsed"]]
  fit <- bench_train(X, Y, dims, lr, iterations, solver, options)
  t1 <- proc.time()[["elapsed"]]
  list(seconds = t1 - t0, cost = fit$costs$cost[nrow(fit$costs)])
}

# The first layer's two large products, W1 X and dZ1 X^T, timed alone: their median seconds.
bench_products <- function(X, W, dZ, inner, reps) {
  old <- options(matprod = "blas")  # as inside L_layer_model
  on.exit(options(old))
  Z <- W %*% X
  D <- tcrossprod(dZ, X)  # warm-up
  t1 <- numeric(reps)
  t2 <- numeric(reps)
  for (k in seq_len(reps)) {
    t0 <- proc.time()[["elapsed"]]
    for (j in seq_len(inner)) Z <- W %*% X
    t1[k] <- (proc.time()[["elapsed"]] - t0) / inner
    t0 <- proc.time()[["elapsed"]]
    for (j in seq_len(inner)) D <- tcrossprod(dZ, X)
    t2[k] <- (proc.time()[["elapsed"]] - t0) / inner
  }
  c(stats::median(t1), stats::median(t2))
}

# One training run for the memory probe: R's heap "max used" (Mb) since the reset, X included.
bench_peak <- function(X, Y, dims, lr, iterations, solver, options = list()) {
  invisible(gc(reset = TRUE))
  fit <- bench_train(X, Y, dims, lr, iterations, solver, options)
  sum(gc()[, 6])
}

# A 2-D double matrix read from a file of doubles written column by column (see RSide.put).
bench_read_matrix <- function(path, nrow, ncol) {
  v <- readBin(path, "double", nrow * ncol)
  dim(v) <- c(nrow, ncol)
  v
}

# The R version, its BLAS and LAPACK libraries.
bench_info <- function() {
  list(r_version = R.version.string, r_blas = extSoftVersion()[["BLAS"]], r_lapack = La_library())
}

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

# Every matrix product of one training iteration, each timed alone, in R's forms as in R/model.R and
# R/solver.R, with the BLAS threads and options L_layer_model trains with: their median seconds.
# `kinds` and `layers` come from bench/cases.py (iteration_products); X (and G) are the case's, the
# other operands random of the right shapes.
bench_products <- function(X, dims, solver, kinds, layers, reps) {
  old <- options(matprod = "blas")
  on.exit(options(old), add = TRUE)
  threads <- twinnet:::blas_threads(twinnet:::loop_threads(nrow(X), ncol(X), dims[2], solver))
  on.exit(twinnet:::blas_threads(threads), add = TRUE)
  m <- ncol(X)
  G <- if (solver == "gram") crossprod(X) else NULL
  set.seed(7)
  rnd <- function(r, c) matrix(stats::rnorm(r * c), r, c)
  vapply(seq_along(kinds), function(k) {
    l <- layers[k]
    A <- if (l == 1) X else rnd(dims[l], m)  # A_(l-1); dims[l] is n_(l-1) (R counts from 1)
    W <- rnd(dims[l + 1], dims[l])
    dZ <- rnd(dims[l + 1], m)
    f <- switch(kinds[k], "W A" = function() W %*% A, "dZ A^T" = function() tcrossprod(dZ, A),
                "W^T dZ" = function() crossprod(W, dZ), "dZ G" = function() dZ %*% G)
    bench_time_alone(f, reps)
  }, numeric(1))
}

# The median over `reps` timings of f(), each over enough calls to last about 20 ms: seconds per call.
bench_time_alone <- function(f, reps) {
  f()  # warm-up
  inner <- 1L
  repeat {
    t0 <- proc.time()[["elapsed"]]
    for (j in seq_len(inner)) f()
    if (proc.time()[["elapsed"]] - t0 >= 0.02 || inner >= 2^20) break
    inner <- inner * 4L
  }
  stats::median(vapply(seq_len(reps), function(k) {
    t0 <- proc.time()[["elapsed"]]
    for (j in seq_len(inner)) f()
    (proc.time()[["elapsed"]] - t0) / inner
  }, numeric(1)))
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
# bench/iteration_profile.py's R half: seconds per iteration of L_layer_model (between a short and a long
# run), with the loop's threads and with the BLAS's default count, R's garbage collector's share of
# it, and the loop's elementwise steps (R/model.R, R/solver.R) each timed alone.
bench_profile <- function(X, Y, dims, lr, solver, short, long, reps) {
  run <- function(T) {
    g0 <- gc.time()[[1]]
    t <- system.time(twinnet::L_layer_model(X, Y, dims, learning_rate = lr, num_iterations = T, solver = solver))
    c(t[["elapsed"]], gc.time()[[1]] - g0)
  }
  marginal <- function() {
    run(short)
    a <- sapply(1:3, function(i) run(long))
    b <- sapply(1:3, function(i) run(short))
    k <- which.min(a[1, ])
    c((a[1, k] - min(b[1, ])) / (long - short), a[2, k] / long)
  }
  threaded <- marginal()
  ns <- asNamespace("twinnet")
  small <- get("SMALL_PRODUCT", ns)
  unlockBinding("SMALL_PRODUCT", ns)
  assign("SMALL_PRODUCT", 0, ns)  # no product is small: the BLAS's own thread count
  default <- tryCatch(marginal(), finally = assign("SMALL_PRODUCT", small, ns))
  lockBinding("SMALL_PRODUCT", ns)
  threads <- twinnet:::blas_threads(twinnet:::loop_threads(nrow(X), ncol(X), dims[2], solver))
  on.exit(twinnet:::blas_threads(threads), add = TRUE)
  list(iteration = threaded[1], gc = threaded[2], `iteration, default threads` = default[1],
       elementwise = sum(vapply(bench_elementwise(dims, ncol(X), solver, lr), bench_time_alone, numeric(1),
                                reps = reps)))
}

# The loop's elementwise steps of one iteration, in R's forms (R/model.R, R/solver.R), as functions.
bench_elementwise <- function(dims, m, solver, lr) {
  set.seed(3)
  L <- length(dims) - 1L
  rnd <- function(r, c) matrix(stats::rnorm(r * c), r, c)
  steps <- list()
  for (l in seq_len(L)) local({
    Z <- rnd(dims[l + 1], m); dA <- rnd(dims[l + 1], m); b <- stats::rnorm(dims[l + 1])
    W <- rnd(dims[l + 1], dims[l]); dW <- rnd(dims[l + 1], dims[l]); dZ <- dA
    if (l > 1 || solver == "direct") steps[[length(steps) + 1]] <<- function() Z + b
    if (l < L) {
      steps[[length(steps) + 1]] <<- function() twinnet:::relu_forward(Z)
      steps[[length(steps) + 1]] <<- function() twinnet:::relu_backward_finite(dA, Z)
    } else {
      steps[[length(steps) + 1]] <<- function() twinnet:::sigmoid_forward_finite(Z)
      steps[[length(steps) + 1]] <<- function() Z - dA
    }
    steps[[length(steps) + 1]] <<- function() .rowSums(dZ, nrow(dZ), m) / m
    if (l > 1 || solver == "direct") {
      steps[[length(steps) + 1]] <<- function() { W - lr * (dW / m); b - lr * b }
    } else {
      C <- Z; P <- Z
      steps[[length(steps) + 1]] <<- function() { C + dZ; delta <- lr * b; Z - P * 0.1 - delta; b - delta }
    }
  })
  steps
}

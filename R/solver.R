# How the first layer is trained: the "direct" path and the exact "gram" fast
# path (docs/contract.md section 22; twin of python/twinnet/solver.py).
#
# Full-batch gradient descent only ever uses W1 through Z1 = W1 X + b1 and
# dW1 = (1/m) dZ1 X^T. With the Gram matrix G = X^T X (m x m, computed once),
# one update of W1 moves Z1 by
#     Z1 <- Z1 - (alpha/m) dZ1 G - alpha db1        (db1 recycled over columns)
# so the "gram" solver keeps Z1 itself, accumulates C = sum_t dZ1(t) and
# materialises W1 = W1(0) - (alpha/m) C X^T once, at the end.

#' Solvers of the first layer
#'
#' `SOLVERS` lists the names [L_layer_model()] accepts for `solver`.
#' `choose_solver()` tells which solver `L_layer_model()` uses for the given
#' arguments: `"direct"` (the contract's loop) or `"gram"` (the first layer
#' through the Gram matrix `G = crossprod(X)`, the same parameters in exact
#' arithmetic, much less work when `m < n_x`; see docs/contract.md, section
#' "Solvers"). `"auto"` picks `"gram"` when `m < n_x`, when its first-layer
#' work is smaller than the direct path's, and when `crossprod(X)` cannot
#' overflow; otherwise `"direct"`. `solver = "gram"` is refused for an `X`
#' whose Gram matrix could overflow (`n_x * max|X|^2 > DBL_MAX / 2`).
#'
#' @param X `numeric matrix`, no default. Inputs, `n_x x m`.
#' @param layer_dims `integer`, no default. `c(n_x, n_1, ..., 1)`.
#' @param num_iterations `integer(1)`, default `2500`.
#' @param solver `character(1)`, default `"auto"`. One of `"auto"`, `"direct"`, `"gram"`.
#' @param lambd,keep_prob,mini_batch_size,optimizer,decay The training
#'   options of [L_layer_model()] (docs/contract.md section 36), with the same
#'   defaults: with any of them on, training takes the optimiser path, which is
#'   `"direct"` only (`"auto"` picks it, `"gram"` is refused).
#' @return `character(1)`: `"direct"` or `"gram"`.
#' @examples
#' X <- matrix(rng_normal(50 * 10, seed = 1), nrow = 50)
#' choose_solver(X, c(50, 4, 1), num_iterations = 2500)
#' choose_solver(X, c(50, 4, 1), num_iterations = 1)
#' SOLVERS
#' @export
choose_solver <- function(X, layer_dims, num_iterations = 2500, solver = "auto", lambd = 0, keep_prob = 1,
                          mini_batch_size = NULL, optimizer = "gd", decay = NULL) {
  X <- check_matrix(X, "X")
  dims <- check_layer_dims(layer_dims, n_x = nrow(X))
  num_iterations <- check_count(num_iterations, "num_iterations")
  check_choice(solver, SOLVERS, "solver")
  plain <- plain_training(check_nonnegative(lambd, "lambd"), check_keep_prob(keep_prob, length(dims) - 1L),
                          check_mini_batch_size(mini_batch_size, ncol(X)),
                          check_choice(optimizer, OPTIMIZERS, "optimizer"),
                          check_optional_choice(decay, DECAYS, "decay"))
  choose_for(X, dims, num_iterations, solver, plain)
}

# choose_solver_unchecked for training that is `plain` (contract section 36) or
# not: then "direct", and "gram" refused.
choose_for <- function(X, dims, num_iterations, solver, plain) {
  if (plain) return(choose_solver_unchecked(X, dims, num_iterations, solver))
  if (solver == "gram") input_error("solver", GRAM_PLAIN_ONLY, describe(solver))
  "direct"
}

#' @rdname choose_solver
#' @format `SOLVERS`: a character vector.
#' @export
SOLVERS <- c("auto", "direct", "gram")

# What solver = "gram" is refused with when X^T X could overflow (same text in Python).
GRAM_OVERFLOW <- paste0("\"auto\" or \"direct\": the Gram matrix X^T X of this X could overflow ",
                        "(n_x * max|X|^2 > DBL_MAX / 2)")
# What solver = "gram" is refused with when a training option of contract section 36 is on (same text in Python).
GRAM_PLAIN_ONLY <- paste0("\"auto\" or \"direct\" with these options: the gram solver trains only plain full-batch ",
                          "gradient descent (no lambd, keep_prob, mini_batch_size, optimizer or decay)")

# Multiply-adds of the first layer's matrix products, per solver (the other
# layers cost the same in both): direct T * 2 n1 n_x m; gram n_x m (m + 1) / 2
# for G, 2 n1 n_x m for Z1(0) and the final C X^T, T * n1 m^2 for dZ1 G.
solver_work <- function(n_x, m, n_1, num_iterations) {
  n_x <- as.double(n_x); m <- as.double(m); n_1 <- as.double(n_1); T <- as.double(num_iterations)
  list(direct = T * 2 * n_1 * n_x * m,
       gram = n_x * m * (m + 1) / 2 + 2 * n_1 * n_x * m + T * n_1 * m * m)
}

# TRUE when no entry of X^T X can overflow: n_x * max|X|^2 <= DBL_MAX / 2.
# (min and max rather than range(), which would copy X.)
gram_is_safe <- function(X) {
  max(-min(X), max(X)) <= sqrt(.Machine$double.xmax / 2 / nrow(X))
}

# choose_solver without the argument checks.
choose_solver_unchecked <- function(X, dims, num_iterations, solver) {
  if (solver == "direct") return("direct")
  if (solver == "gram") {
    if (!gram_is_safe(X)) input_error("solver", GRAM_OVERFLOW, describe(solver))
    return("gram")
  }
  work <- solver_work(nrow(X), ncol(X), dims[2], num_iterations)
  if (ncol(X) < nrow(X) && work$gram < work$direct && gram_is_safe(X)) "gram" else "direct"
}

# Multiply-adds of a matrix product below which a second BLAS thread does not pay: the full-batch loop
# then runs on one thread (docs/contract.md section 22, "Threads"; docs/performance.md has the measurements).
SMALL_PRODUCT <- 8e6

# The BLAS threads of the full-batch loop: 1 when the largest product of one iteration (direct: W1 X
# and dZ1 X^T, n1 n_x m each; gram: dZ1 G, n1 m^2) is smaller than SMALL_PRODUCT, else NULL (the
# BLAS's own count). Small products shared between threads spend more time handing over than
# multiplying, and idle OpenBLAS threads spin.
loop_threads <- function(n_x, m, n_1, solver) {
  largest <- if (solver == "gram") as.double(n_1) * m * m else as.double(n_1) * n_x * m
  if (largest < SMALL_PRODUCT) 1L else NULL
}

# Sets the BLAS's thread count to n (NULL: leaves it; NA: only reads it) and returns, invisibly, the
# count in force before: NULL when n is NULL or the BLAS has no such call (src/twinnet.c; R's
# reference BLAS has none, and then nothing changes). Undo with blas_threads(<what it returned>).
blas_threads <- function(n) {
  if (is.null(n)) return(invisible(NULL))
  invisible(.Call(tw_blas_threads, as.integer(n)))
}

# The first layer as the contract writes it: Z1 = W1 X + b1, W1 <- W1 - alpha dW1.
# b1 is a plain vector here (recycled down the columns, as in linear_forward).
direct_layer1 <- function(X, W1, b1, learning_rate) {
  m <- ncol(X)
  list(
    forward = function() W1 %*% X + b1,
    update = function(dZ1, db1) {
      W1 <<- W1 - learning_rate * (tcrossprod(dZ1, X) / m)  # BLAS reads X transposed: no copy
      b1 <<- b1 - learning_rate * db1
    },
    finish = function() list(W1 = W1, b1 = b1)
  )
}

# The first layer through G = X^T X: keeps Z1 and C, never W1 until the end.
gram_layer1 <- function(X, W1, b1, learning_rate) {
  m <- ncol(X)
  G <- crossprod(X)  # a symmetric rank-k product (dsyrk)
  Z1 <- W1 %*% X + b1  # Z1(0): the same numbers as the direct path's first iteration
  C <- matrix(0, nrow(Z1), ncol(Z1))
  step <- learning_rate / m
  list(
    forward = function() Z1,
    update = function(dZ1, db1) {
      C <<- C + dZ1
      delta <- learning_rate * db1
      Z1 <<- Z1 - (dZ1 %*% G) * step - delta  # (Z1 - (dZ1 G) s) - delta: the two steps, one assignment
      b1 <<- b1 - delta
    },
    # W1 = W1(0) - (alpha/m) C X^T
    finish = function() list(W1 = W1 - tcrossprod(C, X) * step, b1 = b1)
  )
}

LAYER1 <- list(direct = direct_layer1, gram = gram_layer1)

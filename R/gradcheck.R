# Central-difference gradient check (docs/contract.md section 10; twin of python/twinnet/gradcheck.py).

#' Central-difference gradient check
#'
#' Moves every entry of every `W_l` and `b_l` by `+/- epsilon`, recomputes the
#' cost (from `Z_L`, plus the L2 term when `lambd` > 0, docs/contract.md
#' section 32) and compares the numeric gradient with `L_model_backward()`'s.
#' Dropout is off, as in the course: the check is of the network without masks.
#'
#' @param X `numeric matrix`, no default. Inputs, `n_x x m`.
#' @param Y `numeric matrix`, no default. Labels in {0, 1}, `1 x m`.
#' @param parameters `list`, no default. `W1, b1, ..., WL, bL`.
#' @param hidden_activation `character(1)`, default `"relu"`.
#' @param epsilon `numeric(1)`, default `1e-7`. The step.
#' @param lambd `numeric(1)`, default `0`. L2 regularisation of the cost and the gradients.
#' @return `numeric(1)`: `||g - g_num|| / (||g|| + ||g_num||)`; below 1e-7
#'   the backward pass is right.
#' @examples
#' X <- matrix(c(0.1, -0.4, 0.3, 0.8, -0.2, 0.5), nrow = 2)
#' Y <- matrix(c(1, 0, 1), nrow = 1)
#' gradient_check(X, Y, initialize_parameters(c(2, 3, 1), seed = 2, scheme = "standard"), "tanh")
#' @export
gradient_check <- function(X, Y, parameters, hidden_activation = "relu", epsilon = 1e-7, lambd = 0) {
  check_finite_parameters(parameters, check_parameters(parameters, output_one = TRUE))
  fwd <- checked_forward(X, parameters, hidden_activation, output_one = TRUE)
  Y <- check_labels(Y, ncol(fwd$AL))
  epsilon <- check_positive_finite(epsilon, "epsilon")
  lambd <- check_nonnegative(lambd, "lambd")
  X <- fwd$caches[[1]]$A_prev
  L <- length(fwd$caches)
  m <- ncol(X)
  grads <- backward_pass(fwd$AL, Y, fwd$caches, hidden_activation, lambd)
  cost <- function(params) {
    ZL <- forward_pass(X, params, hidden_activation, L)$caches[[L]]$Z
    J <- compute_cost(NULL, Y, ZL)
    if (lambd > 0) J <- J + l2_cost(params[paste0("W", seq_len(L))], lambd, m)
    J
  }
  analytic <- numeric(0)
  numeric_grad <- numeric(0)
  work <- parameters
  for (l in seq_len(L)) {
    for (p in c("W", "b")) {
      key <- paste0(p, l)
      theta <- work[[key]]
      # Row by row, the parameter order of the Python twin.
      idx <- as.vector(t(matrix(seq_along(theta), nrow = nrow(theta))))
      for (i in idx) {
        saved <- theta[i]
        work[[key]][i] <- saved + epsilon
        plus <- cost(work)
        work[[key]][i] <- saved - epsilon
        minus <- cost(work)
        work[[key]][i] <- saved
        numeric_grad <- c(numeric_grad, (plus - minus) / (2 * epsilon))
      }
      analytic <- c(analytic, as.vector(t(grads[[paste0("d", key)]])))
    }
  }
  norm2 <- function(v) sqrt(sum(v * v))
  denom <- norm2(analytic) + norm2(numeric_grad)
  if (denom > 0) norm2(analytic - numeric_grad) / denom else 0
}

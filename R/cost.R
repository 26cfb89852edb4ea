# Cross-entropy cost (docs/contract.md section 6; twin of python/twinnet/cost.py).

#' Binary cross-entropy cost
#'
#' Averaged over the m examples. With `ZL`, computed from the output
#' pre-activations as `max(z, 0) - z*y + log1p(exp(-|z|))`, finite for every
#' finite `ZL` (what the training loop records). Without it, the textbook
#' formula (`log(a)` where y = 1, `log(1 - a)` where y = 0), which is `Inf`
#' when a wrong prediction is certain to machine precision. `AL` outside
#' \[0, 1\] (NaN included) and a non-finite `ZL` are refused: the cost is
#' never NaN.
#'
#' @param AL `numeric matrix`, no default. Output probabilities, `1 x m`.
#' @param Y `numeric matrix`, no default. Labels in {0, 1}, `1 x m`.
#' @param ZL `numeric matrix` or `NULL`, default `NULL`. Output pre-activations, `1 x m`.
#' @return `numeric(1)`.
#' @examples
#' Y <- matrix(c(1, 0), nrow = 1)
#' compute_cost(matrix(c(0.9, 0.2), nrow = 1), Y)
#' compute_cost(NULL, Y, ZL = matrix(c(50, -50), nrow = 1))
#' @export
compute_cost <- function(AL, Y, ZL = NULL) {
  Y <- check_labels(Y, NULL)
  m <- ncol(Y)
  if (!is.null(ZL)) {
    cost_numeric(ZL, "ZL")
    check_shape_as(ZL, Y, "ZL")
    finite <- is.finite(ZL)
    if (!all(finite)) input_error("ZL", "finite values (no NaN or Inf)", sprintf("%d non-finite value(s)", sum(!finite)))
    return(cost_from_z(ZL, Y))
  }
  cost_numeric(AL, "AL")
  check_shape_as(AL, Y, "AL")
  bad <- is.na(AL) | AL < 0 | AL > 1
  if (any(bad)) {
    input_error("AL", "probabilities in [0, 1]",
                sprintf("%d value(s) outside, e.g. %s", sum(bad), format(AL[bad][1], digits = 17)))
  }
  logs <- ifelse(Y == 1, log(AL), log(1 - AL))
  -sum(logs) / m
}

# sum[max(z, 0) - z y + log1p(exp(-|z|))]: m times the cost from Z_L (the sum a mini-batch adds).
cost_sum <- function(ZL, Y) sum(pmax(ZL, 0) - ZL * Y + log1p(exp(-abs(ZL))))

# `x` numeric, or the contract's refusal of a non-numeric one.
cost_numeric <- function(x, arg) {
  if (!is.numeric(x)) input_error(arg, "a 2-D numeric matrix", describe(x))
  invisible(x)
}

# The cost from the output pre-activations, without checks (the training loop's; contract section 6).
cost_from_z <- function(ZL, Y) cost_sum(ZL, Y) / ncol(Y)

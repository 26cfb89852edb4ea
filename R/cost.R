# Cross-entropy cost (docs/contract.md section 6; twin of python/twinnet/cost.py).

#' Binary cross-entropy cost
#'
#' Averaged over the m examples. With `ZL`, computed from the output
#' pre-activations as `max(z, 0) - z*y + log1p(exp(-|z|))`, finite for every
#' finite `ZL` (what the training loop records). Without it, the textbook
#' formula (`log(a)` where y = 1, `log(1 - a)` where y = 0), which is `Inf`
#' when a wrong prediction is certain to machine precision.
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
    check_shape_as(ZL, Y, "ZL")
    return(cost_sum(ZL, Y) / m)
  }
  check_shape_as(AL, Y, "AL")
  logs <- ifelse(Y == 1, log(AL), log(1 - AL))
  -sum(logs) / m
}

# sum[max(z, 0) - z y + log1p(exp(-|z|))]: m times the cost from Z_L (the sum a mini-batch adds).
cost_sum <- function(ZL, Y) sum(pmax(ZL, 0) - ZL * Y + log1p(exp(-abs(ZL))))

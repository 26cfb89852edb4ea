# Gradient-descent update (docs/contract.md section 8; twin of python/twinnet/update.py).

#' Gradient-descent update
#'
#' `W <- W - learning_rate * dW` and `b <- b - learning_rate * db` for every
#' layer, entry by entry (the shapes need not chain: docs/contract.md
#' section 35). R copies on modify, so the caller's `parameters` is not changed.
#'
#' @param parameters `list`, no default. `W1, b1, ..., WL, bL`.
#' @param grads `list`, no default. `dW1, db1, ..., dWL, dbL` (as from `L_model_backward()`).
#' @param learning_rate `numeric(1)`, no default. A positive finite step size.
#' @return The updated named list of parameters.
#' @examples
#' p <- initialize_parameters(c(2, 1), seed = 1)
#' g <- list(dW1 = matrix(1, 1, 2), db1 = matrix(1, 1, 1))
#' update_parameters(p, g, 0.1)
#' @export
update_parameters <- function(parameters, grads, learning_rate) {
  L <- check_parameter_pairs(parameters)
  learning_rate <- check_positive_finite(learning_rate, "learning_rate")
  if (!is.list(grads) || is.data.frame(grads)) input_error("grads", "a mapping with dW1 of the shape of W1", describe(grads))
  updated <- list()
  for (l in seq_len(L)) {
    for (p in c("W", "b")) {
      key <- paste0("d", p, l)
      name <- paste0(p, l)
      g <- grads[[key]]
      if (is.null(g) || !is.numeric(g) || !identical(dim(g), dim(parameters[[name]]))) {
        input_error("grads", sprintf("a mapping with %s of the shape of %s", key, name),
                    if (is.null(g)) "missing" else if (is.matrix(g)) sprintf("shape %s", shape_str(dim(g))) else describe(g))
      }
      updated[[name]] <- parameters[[name]] - learning_rate * g
    }
  }
  updated
}

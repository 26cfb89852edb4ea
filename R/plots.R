# Pictures: the cost curve and the decision boundary of 2-D data (twin of python/twinnet/plots.py).
#
# Base graphics only. With path = NULL a function draws on the current
# device; with a path it writes a PNG there (to a temporary file in the same
# folder, then renamed) and returns the path, invisibly.

POINT_COLOURS <- c("#1f5fa8", "#c8402a")
REGION_COLOURS <- c("#c6dbef", "#fcd5c7")
GRID_SIZE <- 300L
# The room a PNG file is given before it is drawn (a full disk is then reported before drawing).
PNG_ROOM <- 256 * 1024

# The columns iteration and cost of a cost history, as doubles, checked.
costs_columns <- function(costs) {
  expected <- "a table with the columns iteration and cost (as costs_ or L_layer_model's history)"
  if (!is.list(costs) || is.null(costs$iteration) || is.null(costs$cost) ||
      !is.numeric(costs$iteration) || !is.numeric(costs$cost)) {
    input_error("costs", expected, describe(costs))
  }
  it <- as.double(costs$iteration)
  cost <- as.double(costs$cost)
  if (length(it) != length(cost) || length(it) == 0L) {
    input_error("costs", expected, sprintf("columns of %d and %d values", length(it), length(cost)))
  }
  if (!all(is.finite(it)) || !all(is.finite(cost))) input_error("costs", "finite values (no NaN or Inf)", "non-finite value(s)")
  list(iteration = it, cost = cost)
}

# Draw with `draw()` on the current device, or into a PNG at `path` (atomically).
with_png <- function(path, draw) {
  if (is.null(path)) {
    draw()
    return(invisible(NULL))
  }
  atomic_write(path, function(tmp) {
    grDevices::png(tmp, width = 640, height = 480, res = 96)
    dev <- grDevices::dev.cur()
    on.exit(grDevices::dev.off(dev))
    draw()
  }, "path", OUTPUT_EXPECTED, nbytes = PNG_ROOM, verify = png_words)
}

#' Plot the cost curve
#'
#' Cost against iteration, from the history of [neural_net()] (`fit$costs`)
#' or [L_layer_model()]; the twin of Python's `twinnet.plot_costs()`.
#'
#' @param costs `data.frame`, no default. Columns `iteration` and `cost`.
#' @param path `character(1)` or `NULL`, default `NULL`. Where to write a PNG;
#'   `NULL` draws on the current device.
#' @param log_scale `logical(1)`, default `FALSE`. A logarithmic cost axis (the
#'   costs must then be positive).
#' @return `path`, invisibly (`NULL` when drawing on the current device).
#' @examples
#' d <- make_circles(200, seed = 1)
#' fit <- L_layer_model(d$X, d$Y, c(2, 8, 1), learning_rate = 0.5, num_iterations = 300)
#' plot_costs(fit$costs)
#' plot_costs(fit$costs, path = tempfile(fileext = ".png"), log_scale = TRUE)
#' @export
plot_costs <- function(costs, path = NULL, log_scale = FALSE) {
  columns <- costs_columns(costs)
  it <- columns$iteration
  cost <- columns$cost
  log_scale <- check_flag(log_scale, "log_scale")
  if (log_scale && any(cost <= 0)) {
    input_error("costs", "positive costs for a log scale", sprintf("%d cost(s) <= 0", sum(cost <= 0)))
  }
  if (!is.null(path)) path <- check_output_path(path)
  with_png(path, function() {
    graphics::plot(it, cost, type = if (length(it) <= 30L) "o" else "l", pch = 19, cex = 0.6, lwd = 2,
                   col = POINT_COLOURS[1], log = if (log_scale) "y" else "", xlab = "iteration",
                   ylab = paste0("cost (cross-entropy)", if (log_scale) ", log scale" else ""),
                   main = "Cost during training")
    graphics::grid()
  })
}

#' Plot the decision boundary of 2-D data
#'
#' The points coloured by label over the regions that the network assigns to
#' each class (`P > 0.5` is class 1), with the boundary `P = 0.5`: the
#' picture of the circles demo. The twin of Python's
#' `twinnet.plot_decision_boundary()`.
#'
#' @param X `numeric matrix`, no default. The points, `2 x m` (one column per example).
#' @param Y `numeric matrix`, no default. Labels in {0, 1}, `1 x m`.
#' @param parameters `list`, no default. `W1, b1, ..., WL, bL` of a network with 2 inputs.
#' @param hidden_activation `character(1)`, no default. One of `"relu"`,
#'   `"tanh"`, `"sigmoid"`, `"leaky_relu"`.
#' @param path `character(1)` or `NULL`, default `NULL`. Where to write a PNG;
#'   `NULL` draws on the current device.
#' @return `path`, invisibly (`NULL` when drawing on the current device).
#' @examples
#' d <- make_circles(200, seed = 1)
#' fit <- L_layer_model(d$X, d$Y, c(2, 8, 1), learning_rate = 0.5, num_iterations = 300)
#' plot_decision_boundary(d$X, d$Y, fit$parameters, "relu")
#' @export
plot_decision_boundary <- function(X, Y, parameters, hidden_activation, path = NULL) {
  X <- check_matrix(X, "X")
  if (nrow(X) != 2L) input_error("X", "2 rows (points in the plane, one column per example)", sprintf("%d rows", nrow(X)))
  Y <- check_labels(Y, ncol(X))
  check_parameters(parameters, n_x = 2L)
  check_choice(hidden_activation, names(ACTIVATIONS), "hidden_activation")
  if (!is.null(path)) path <- check_output_path(path)
  lo <- apply(X, 1, min)
  hi <- apply(X, 1, max)
  pad <- ifelse(hi > lo, 0.1 * (hi - lo), 1)
  gx <- seq(lo[1] - pad[1], hi[1] + pad[1], length.out = GRID_SIZE)
  gy <- seq(lo[2] - pad[2], hi[2] + pad[2], length.out = GRID_SIZE)
  grid <- rbind(rep(gx, times = GRID_SIZE), rep(gy, each = GRID_SIZE))
  P <- matrix(predict_proba(grid, parameters, hidden_activation), nrow = GRID_SIZE)  # P[i, j] at (gx[i], gy[j])
  with_png(path, function() {
    op <- graphics::par(pty = "s")  # a square plotting region, so that asp = 1 leaves no empty margin
    on.exit(graphics::par(op))
    graphics::image(gx, gy, P, breaks = c(-1, 0.5, 2), col = REGION_COLOURS, asp = 1, xlab = "x1", ylab = "x2",
                    main = "Decision boundary (P = 0.5)", useRaster = TRUE)
    if (min(P) < 0.5 && max(P) > 0.5) {
      graphics::contour(gx, gy, P, levels = 0.5, drawlabels = FALSE, add = TRUE, lwd = 1)
    }
    graphics::points(X[1, ], X[2, ], pch = 19, cex = 0.4, col = POINT_COLOURS[Y[1, ] + 1])
    graphics::legend("topright", legend = c("class 0", "class 1"), col = POINT_COLOURS, pch = 19,
                     cex = 0.8, bg = "white")
  })
}

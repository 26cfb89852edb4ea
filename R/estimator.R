# An R modelling function over the functional core (twin of python/twinnet/estimator.py).
#
# neural_net() is the idiomatic R face of twinnet, as NeuralNet is the Python
# one (docs/contract.md, "Estimators": the one place where the twins differ in
# shape, on purpose): like lm() or nnet(), one call fits and returns an object
# of class "twinnet" with predict, print, summary, plot and coef methods. It
# is a thin layer over L_layer_model(): it transposes the data, maps the
# labels to 0/1, calls the core and keeps what it returns.

# The progress line (same format as python/twinnet/_progress.py format_progress).
progress_line <- function(iteration, num_iterations, cost, elapsed) {
  if (iteration > 0 && elapsed > 0) {
    rate <- iteration / elapsed
    left <- (num_iterations - iteration) / rate
    speed <- sprintf("%.0f it/s  %.1f s left", rate, left)
  } else {
    speed <- "-- it/s  -- s left"
  }
  sprintf("iteration %d/%d  cost %s  %s", as.integer(iteration), as.integer(num_iterations),
          sprintf("%.6g", cost), speed)
}

check_hidden_layers <- function(hidden_layers, arg = "hidden_layers") {
  expected <- "whole numbers >= 1 (the hidden layer sizes; may be empty)"
  if (is.null(hidden_layers)) return(integer(0))
  if (!is.numeric(hidden_layers) || is.object(hidden_layers)) input_error(arg, expected, describe(hidden_layers))
  for (v in hidden_layers) {
    if (!is_whole(v) || v < 1) input_error(arg, expected, format(v, digits = 17))
  }
  as.integer(hidden_layers)
}

# x (examples x features: matrix or data.frame) as a double matrix.
examples_matrix <- function(x, arg = "x") {
  if (is.data.frame(x)) {
    ok <- vapply(x, function(col) is.numeric(col) && !is.factor(col), logical(1))
    if (!all(ok)) {
      input_error(arg, "numeric columns only",
                  paste("non-numeric column(s)", paste(utils::head(names(x)[!ok], 5), collapse = ", ")))
    }
    x <- as.matrix(x)
  }
  check_matrix(x, arg)
}

# Map the labels to 0/1: list(codes, classes). The rules of docs/contract.md, "Estimators".
encode_labels <- function(y, m, arg = "y") {
  expected_shape <- "a vector of labels (one per row of X)"
  if (is.data.frame(y)) {
    if (ncol(y) != 1L) input_error(arg, expected_shape, sprintf("a data.frame with %d columns", ncol(y)))
    y <- y[[1]]
  }
  if (is.matrix(y)) {
    if (!(1L %in% dim(y))) input_error(arg, expected_shape, sprintf("a matrix of shape %s", shape_str(dim(y))))
    y <- if (is.factor(y)) y else as.vector(y)
  }
  if (!is.atomic(y) || is.null(y)) input_error(arg, expected_shape, describe(y))
  if (length(y) != m) input_error(arg, sprintf("%d labels, one per row of X", m), sprintf("%d labels", length(y)))
  if (anyNA(y)) input_error(arg, "labels without missing values", sprintf("%d missing value(s)", sum(is.na(y))))
  if (is.factor(y)) {
    classes <- levels(y)
    if (length(classes) != 2L) {
      input_error(arg, "two classes (or labels 0/1)", sprintf("a factor with %d levels", length(classes)))
    }
    return(list(codes = as.integer(y) - 1L, classes = classes))
  }
  if (is.logical(y)) return(list(codes = as.integer(y), classes = c(FALSE, TRUE)))
  if (is.numeric(y)) {
    if (!all(is.finite(y))) input_error(arg, "labels without missing values", sprintf("%d missing value(s)", sum(!is.finite(y))))
    if (all(y == 0 | y == 1)) return(list(codes = as.integer(y), classes = c(0, 1)))
    classes <- sort(unique(as.vector(y)))
  } else if (is.character(y)) {
    classes <- sort(unique(y), method = "radix")  # C-locale order: the same as Python's sorted()
  } else {
    input_error(arg, "labels of one type (numbers or strings)", describe(y))
  }
  if (length(classes) != 2L) {
    input_error(arg, "two classes (or labels 0/1)", sprintf("%d distinct value(s)", length(classes)))
  }
  list(codes = as.integer(y == classes[2]), classes = classes)
}

#' Fit a neural network, the way R fits models
#'
#' Like [stats::lm()] or `nnet::nnet()`, one call trains and returns an
#' object: a fully connected binary classifier of class `"twinnet"`, with
#' [predict()][predict.twinnet], [print()][print.twinnet],
#' [summary()][summary.twinnet], [plot()][plot.twinnet] (the cost curve) and
#' [coef()][coef.twinnet] methods. It is the R twin of Python's
#' `twinnet.NeuralNet(...).fit(X, y)`: the same arguments and defaults give
#' the same costs and predictions. The training is [L_layer_model()].
#'
#' Labels: numbers that are all 0 or 1 give the classes `c(0, 1)`; logicals
#' `c(FALSE, TRUE)`; a factor keeps its two levels in their order; any other
#' two distinct values are sorted (strings in C-locale order) and the first
#' one becomes 0. The network's output is the probability of the second class.
#'
#' @param x `matrix` or `data.frame`, no default. Examples x features (one row
#'   per example), numeric.
#' @param y `vector` or `factor`, no default. One label per row of `x`, two classes.
#' @param hidden_layers `integer`, default `c(20, 7, 5)`. Sizes of the hidden
#'   layers (`integer(0)` or `NULL`: logistic regression). The input and output
#'   sizes come from the data.
#' @param hidden_activation `character(1)`, default `"relu"`. One of `"relu"`,
#'   `"tanh"`, `"sigmoid"`, `"leaky_relu"`.
#' @param init `character(1)`, default `"xavier"`. Initialisation scheme: one
#'   of `"xavier"`, `"he"`, `"scaled"`, `"standard"` (see [initialize_parameters()]).
#' @param learning_rate `numeric(1)`, default `0.0075`.
#' @param num_iterations `integer(1)`, default `2500`.
#' @param seed `integer(1)`, default `1`. Seed of the portable stream: the same
#'   seed gives the same network in Python.
#' @param print_every `integer(1)`, default `100`. Record the cost every
#'   `print_every` iterations (and at the last one).
#' @param verbose `logical(1)`, default `FALSE`. Write a progress line (cost,
#'   iterations per second, time left) to stderr at every recorded cost.
#' @param callback `function` or `NULL`, default `NULL`. Called as
#'   `callback(iteration, cost)` at every recorded cost (as in [L_layer_model()]).
#' @return An object of class `"twinnet"`: a list with `parameters` (`W1, b1,
#'   ..., WL, bL`), `costs` (data.frame: `iteration`, `cost`), `classes`,
#'   `layer_dims`, `n_features` and the arguments `hidden_layers`,
#'   `hidden_activation`, `init`, `learning_rate`, `num_iterations`, `seed`,
#'   `print_every`.
#' @examples
#' d <- make_circles(200, seed = 1)
#' fit <- neural_net(t(d$X), as.vector(d$Y), hidden_layers = 8, learning_rate = 0.5,
#'                   num_iterations = 300)
#' fit
#' head(predict(fit, t(d$X), type = "prob"))
#' mean(predict(fit, t(d$X)) == d$Y)
#' @export
neural_net <- function(x, y, hidden_layers = c(20, 7, 5), hidden_activation = "relu", init = "xavier",
                       learning_rate = 0.0075, num_iterations = 2500, seed = 1, print_every = 100,
                       verbose = FALSE, callback = NULL) {
  hidden <- check_hidden_layers(hidden_layers)
  check_choice(init, names(INIT_SCHEMES), "init")
  verbose <- check_flag(verbose, "verbose")
  x <- examples_matrix(x, "x")
  feature_names <- colnames(x)
  dimnames(x) <- NULL  # keep names out of the parameters (they would reach W1 through dW1)
  m <- nrow(x)
  n <- ncol(x)
  labels <- encode_labels(y, m, "y")
  if (!is.null(callback) && !is.function(callback)) input_error("callback", "a function or None", describe(callback))
  hook <- NULL
  if (verbose || !is.null(callback)) {
    t0 <- proc.time()[["elapsed"]]
    hook <- function(iteration, cost) {
      if (verbose) {
        message(progress_line(iteration, num_iterations, cost, proc.time()[["elapsed"]] - t0))
      }
      if (!is.null(callback)) callback(iteration, cost)
    }
  }
  dims <- c(n, hidden, 1L)
  fit <- L_layer_model(t(x), matrix(as.double(labels$codes), nrow = 1L), dims, learning_rate = learning_rate,
                       num_iterations = num_iterations, seed = seed, hidden_activation = hidden_activation,
                       scheme = init, print_every = print_every, callback = hook)
  new_twinnet(fit$parameters, fit$costs, labels$classes, dims, hidden_activation, init,
              learning_rate, num_iterations, seed, print_every, feature_names = feature_names)
}

# The "twinnet" object (also built by load_model()).
new_twinnet <- function(parameters, costs, classes, layer_dims, hidden_activation, init, learning_rate,
                        num_iterations, seed, print_every, feature_names = NULL) {
  layer_dims <- as.integer(layer_dims)
  structure(list(parameters = parameters, costs = costs, classes = classes, layer_dims = layer_dims,
                 n_features = layer_dims[1], hidden_layers = layer_dims[-c(1L, length(layer_dims))],
                 hidden_activation = hidden_activation, init = init, learning_rate = as.double(learning_rate),
                 num_iterations = as.integer(num_iterations), seed = as.integer(seed),
                 print_every = as.integer(print_every), feature_names = feature_names),
            class = "twinnet")
}

#' Predictions of a fitted neural network
#'
#' @param object `twinnet`, no default. From [neural_net()] or [load_model()].
#' @param newdata `matrix` or `data.frame`, no default. Examples x features,
#'   with as many columns as the training data.
#' @param type `character(1)`, default `"class"`. `"class"`: the predicted
#'   labels (a factor with the classes as levels when the classes are strings,
#'   else a vector of the classes' type); `"prob"`: the probability of the
#'   second class, `object$classes[2]` (a numeric vector).
#' @param ... Ignored.
#' @return A vector with one element per row of `newdata`.
#' @examples
#' d <- make_circles(200, seed = 1)
#' fit <- neural_net(t(d$X), as.vector(d$Y), hidden_layers = 8, learning_rate = 0.5,
#'                   num_iterations = 300)
#' predict(fit, t(d$X[, 1:5]))
#' predict(fit, t(d$X[, 1:5]), type = "prob")
#' @importFrom stats predict
#' @export
predict.twinnet <- function(object, newdata, type = c("class", "prob"), ...) {
  if (missing(newdata)) input_error("newdata", "a matrix or data.frame of examples x features", "nothing")
  if (!is.character(type) || length(type) < 1L || anyNA(type)) {
    input_error("type", "one of \"class\", \"prob\"", describe(type))
  }
  type <- if (identical(type, c("class", "prob"))) "class" else type
  check_choice(type, c("class", "prob"), "type")
  x <- examples_matrix(newdata, "newdata")
  if (ncol(x) != object$n_features) {
    input_error("newdata", sprintf("%d columns (features), as at fit", object$n_features),
                sprintf("%d columns", ncol(x)))
  }
  p <- as.vector(predict_proba(t(x), object$parameters, object$hidden_activation))
  if (type == "prob") return(p)
  labels <- object$classes[as.integer(p > 0.5) + 1L]
  if (is.character(object$classes)) factor(labels, levels = object$classes) else labels
}

#' Print, summarise, plot and extract a fitted neural network
#'
#' `print()` shows the architecture, the classes and the final cost;
#' `summary()` adds a table of the layers and the cost history; `plot()` draws
#' the cost curve with [plot_costs()]; `coef()` returns the parameters
#' (`W1, b1, ..., WL, bL`).
#'
#' @param x,object `twinnet`, no default. A fitted network.
#' @param log_scale `logical(1)`, default `FALSE`. `plot()`: a logarithmic cost axis.
#' @param ... Ignored.
#' @return `print()`: `x`, invisibly. `summary()`: an object of class
#'   `"summary.twinnet"` (a list with `layers`, a data.frame, `n_parameters`,
#'   `costs`, `classes` and the training settings). `plot()`: `NULL`,
#'   invisibly. `coef()`: the named list of parameters.
#' @examples
#' d <- make_circles(200, seed = 1)
#' fit <- neural_net(t(d$X), as.vector(d$Y), hidden_layers = 8, learning_rate = 0.5,
#'                   num_iterations = 300)
#' print(fit)
#' summary(fit)
#' plot(fit)
#' str(coef(fit))
#' @name twinnet-methods
NULL

#' @rdname twinnet-methods
#' @export
print.twinnet <- function(x, ...) {
  cat(sprintf("twinnet neural network %s (%s hidden layers, sigmoid output)\n",
              paste(x$layer_dims, collapse = "-"), x$hidden_activation))
  cat(sprintf("classes: %s (0) / %s (1)\n", format(x$classes[1]), format(x$classes[2])))
  cat(sprintf("trained: %d iterations, learning rate %s, %s init, seed %d\n", x$num_iterations,
              format(x$learning_rate), x$init, x$seed))
  cat(sprintf("final cost: %.6g\n", x$costs$cost[nrow(x$costs)]))
  invisible(x)
}

#' @rdname twinnet-methods
#' @export
summary.twinnet <- function(object, ...) {
  dims <- object$layer_dims
  L <- length(dims) - 1L
  layers <- data.frame(layer = seq_len(L), units = dims[-1], inputs = dims[-length(dims)],
                       activation = c(rep(object$hidden_activation, L - 1L), "sigmoid"),
                       parameters = dims[-1] * dims[-length(dims)] + dims[-1])
  structure(list(layers = layers, n_parameters = sum(layers$parameters), costs = object$costs,
                 classes = object$classes, init = object$init, learning_rate = object$learning_rate,
                 num_iterations = object$num_iterations, seed = object$seed),
            class = "summary.twinnet")
}

#' @rdname twinnet-methods
#' @export
print.summary.twinnet <- function(x, ...) {
  cat(sprintf("twinnet neural network: %d inputs, %d layers, %d parameters\n\n",
              x$layers$inputs[1], nrow(x$layers), as.integer(x$n_parameters)))
  print(x$layers, row.names = FALSE)
  cat(sprintf("\nclasses: %s (0) / %s (1)\n", format(x$classes[1]), format(x$classes[2])))
  cat(sprintf("training: %d iterations, learning rate %s, %s init, seed %d\n\n", x$num_iterations,
              format(x$learning_rate), x$init, x$seed))
  cat("cost history:\n")
  print(x$costs, row.names = FALSE)
  invisible(x)
}

#' @rdname twinnet-methods
#' @export
plot.twinnet <- function(x, log_scale = FALSE, ...) {
  plot_costs(x$costs, log_scale = log_scale)
}

#' @rdname twinnet-methods
#' @importFrom stats coef
#' @export
coef.twinnet <- function(object, ...) object$parameters

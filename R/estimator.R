# An R modelling function over the functional core (twin of python/twinnet/estimator.py).
#
# neural_net() is the idiomatic R face of twinnet, as NeuralNet is the Python
# one (docs/contract.md section 19: the one place where the twins differ in
# shape, on purpose): like glm() or nnet(), one call fits and returns an object
# of class "twinnet", from a formula and a data.frame or from a matrix and a
# vector of labels, with predict, fitted, residuals, nobs, logLik, update,
# print, summary, plot and coef methods. It is a thin layer over
# L_layer_model(): it checks and transposes the data, maps the labels to 0/1,
# calls the core and keeps what it returns.

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

# ------------------------------------------------------------------ checks (twins of estimator.py)

# The parameters of the model: the formals of neural_net.default() between the
# data and the callback (the one table of them, as DEFAULTS in Python).
estimator_parameters <- function() {
  setdiff(names(formals(neural_net.default)), c("x", "y", "callback", "..."))
}

# The estimator's own parameters; every other one is L_layer_model()'s argument of the same name.
OWN_PARAMETERS <- c("hidden_layers", "init", "verbose")

check_parameter_names <- function(names) {
  expected <- paste("one of the parameters", paste(estimator_parameters(), collapse = ", "))
  for (name in names) {
    if (!nzchar(name)) input_error("...", expected, "an unnamed extra argument")
    if (!(name %in% estimator_parameters())) input_error(name, expected, "an unknown parameter name")
  }
}

check_hidden_layers <- function(hidden_layers, arg = "hidden_layers") {
  expected <- "whole numbers >= 1 (the hidden layer sizes; may be empty)"
  if (is.null(hidden_layers)) return(integer(0))
  if (!is.numeric(hidden_layers) || is.object(hidden_layers) || is.matrix(hidden_layers)) {
    input_error(arg, expected, describe(hidden_layers))
  }
  for (v in hidden_layers) {
    if (!is_whole(v) || v < 1) input_error(arg, expected, format(v, digits = 17))
  }
  for (v in hidden_layers) {
    if (v > COUNT_MAX) {
      input_error(arg, sprintf("layer sizes of at most %.0f (R's largest matrix dimension)", COUNT_MAX), number_text(v))
    }
  }
  as.integer(hidden_layers)
}

# "a, b, c", or the first five and "... (n in all)", for messages.
list_names <- function(names, first = 5L) {
  names <- as.character(names)
  if (length(names) <= first) return(paste(names, collapse = ", "))
  sprintf("%s, ... (%d in all)", paste(names[seq_len(first)], collapse = ", "), length(names))
}

# The column names of x (a data.frame, or a matrix with colnames); NULL when it has none.
column_names <- function(x, arg = "x") {
  names <- colnames(x)
  if (is.null(names) || length(names) == 0L) return(NULL)
  if (anyDuplicated(names)) {
    dup <- sort(unique(names[duplicated(names)]), method = "radix")
    input_error(arg, "distinct column names", paste("duplicated name(s)", list_names(dup)))
  }
  names
}

# x with its named columns put in the fitted order (docs/contract.md section 19).
# When both x and the fit have names, x must have exactly those columns, in any
# order; when only one of them has names, the columns are taken by position,
# with a warning (as scikit-learn does in Python).
match_columns <- function(x, fitted, arg = "x") {
  if (length(dim(x)) != 2L) return(x)  # not a table: examples_matrix says what it is
  names <- column_names(x, arg)
  if (is.null(names) || is.null(fitted)) {
    if (!is.null(names)) {
      warning(sprintf("`%s` has column names, but the network was fitted without them: its columns are taken in order",
                      arg), call. = FALSE)
    } else if (!is.null(fitted)) {
      warning(sprintf("`%s` has no column names, but the network was fitted with names (%s): its columns are taken in that order",
                      arg, list_names(fitted)), call. = FALSE)
    }
    return(x)
  }
  if (identical(names, fitted)) return(x)
  missing <- setdiff(fitted, names)
  unknown <- setdiff(names, fitted)
  if (length(missing) || length(unknown)) {
    got <- c(if (length(missing)) paste("missing", list_names(missing)),
             if (length(unknown)) paste("not seen at fit:", list_names(unknown)))
    input_error(arg, sprintf("the columns of the fit, %s (in any order)", list_names(fitted)), paste(got, collapse = "; "))
  }
  x[, fitted, drop = FALSE]
}

# x (examples x features: matrix or data.frame) as a finite double matrix, m >= 1, n >= 1.
examples_matrix <- function(x, arg = "x") {
  expected <- "a 2-D numeric matrix"
  if (inherits(x, "Matrix")) {
    input_error(arg, expected, sprintf("a sparse %s of shape %s (sparse input is not supported: use as.matrix(x))",
                                       class(x)[1], shape_str(dim(x))))
  }
  if (is.data.frame(x)) {
    ok <- vapply(x, function(col) is.numeric(col) && !is.factor(col), logical(1))
    if (!all(ok)) input_error(arg, "numeric columns only", paste("non-numeric column(s)", list_names(names(x)[!ok])))
  }
  if (is.complex(x)) {
    input_error(arg, expected, sprintf("a complex %s (Complex data not supported)", if (is.matrix(x)) "matrix" else "vector"))
  }
  if (is.numeric(x) && !is.object(x) && is.null(dim(x))) {
    input_error(arg, expected, sprintf("a vector of length %d (make it a matrix: one row per example, e.g. matrix(x, nrow = 1))",
                                       length(x)))
  }
  if (is.data.frame(x) || is.matrix(x) && is.numeric(x)) {
    for (k in 1:2) {
      if (dim(x)[k] == 0L) {
        input_error(arg, expected, sprintf("0 %s(s) (shape=%s) while a minimum of 1 is required (an empty matrix)",
                                           c("sample", "feature")[k], shape_str(dim(x))))
      }
    }
  }
  if (is.data.frame(x)) x <- as.matrix(x)
  check_matrix(x, arg)
}

# The "got" part of a refusal of other than two classes (words scikit-learn's checks look for).
not_binary <- function(got) sprintf("%s (Only binary classification is supported.)", got)

# Map the labels to 0/1: list(codes, classes). The rules of docs/contract.md section 19.
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
  if (anyNA(y) || is.numeric(y) && !all(is.finite(y))) {
    input_error(arg, "labels without missing or infinite values",
                sprintf("%d missing or infinite value(s)", sum(is.na(y) | is.numeric(y) & !is.finite(y))))
  }
  if (is.factor(y)) {
    classes <- levels(y)
    if (length(classes) != 2L) {
      input_error(arg, "two classes (or labels 0/1)", not_binary(sprintf("a factor with %d levels", length(classes))))
    }
    return(list(codes = as.integer(y) - 1L, classes = classes))
  }
  if (is.logical(y)) return(list(codes = as.integer(y), classes = c(FALSE, TRUE)))
  if (is.numeric(y)) {
    if (all(y == 0 | y == 1)) return(list(codes = as.integer(y), classes = c(0, 1)))
    classes <- sort(unique(as.vector(y)))
    if (length(classes) != 2L && any(classes != round(classes))) {
      input_error(arg, "two classes (or labels 0/1)",
                  sprintf("%d distinct value(s), not all whole numbers (Unknown label type: continuous)", length(classes)))
    }
  } else if (is.character(y)) {
    classes <- sort(unique(y), method = "radix")  # C-locale order: the same as Python's sorted()
  } else {
    input_error(arg, "labels of one type (numbers or strings)", describe(y))
  }
  if (length(classes) != 2L) {
    input_error(arg, "two classes (or labels 0/1)", not_binary(sprintf("%d distinct value(s)", length(classes))))
  }
  list(codes = as.integer(y == classes[2]), classes = classes)
}

# ------------------------------------------------------------------ fitting

#' Fit a neural network, the way R fits models
#'
#' Like [stats::glm()] or `nnet::nnet()`, one call trains and returns an
#' object: a fully connected binary classifier of class `"twinnet"`, from a
#' formula and a data frame (`neural_net(y ~ ., data = df)`) or from a matrix
#' of examples and a vector of labels (`neural_net(x, y)`). It has
#' [predict()][predict.twinnet], [fitted()][fitted.twinnet],
#' [residuals()][residuals.twinnet], [nobs()][nobs.twinnet],
#' [logLik()][logLik.twinnet], [update()][update.twinnet],
#' [print()][print.twinnet], [summary()][summary.twinnet],
#' [plot()][plot.twinnet] (the cost curve) and [coef()][coef.twinnet]
#' methods. It is the R twin of Python's `twinnet.NeuralNet(...).fit(X, y)`:
#' the same arguments and defaults give the same costs and predictions. The
#' training is [L_layer_model()].
#'
#' The formula method builds the model frame as [stats::glm()] does (`subset`,
#' `na.action`; factor predictors become indicator columns through
#' [stats::model.matrix()], without the intercept column: the network has
#' biases), then calls the matrix method. Its `...` are the matrix method's
#' arguments from `hidden_layers` on.
#'
#' Labels: numbers that are all 0 or 1 give the classes `c(0, 1)`; logicals
#' `c(FALSE, TRUE)`; a factor keeps its two levels in their order; any other
#' two distinct values are sorted (strings in C-locale order) and the first
#' one becomes 0. The network's output is the probability of the second class.
#'
#' @param x `matrix` or `data.frame`, no default. Examples x features (one row
#'   per example), numeric; in the generic, the formula or the matrix.
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
#' @param seed `integer(1)`, default `1`. Seed of the initial parameters: the
#'   same seed gives the same network in Python.
#' @param stream `character(1)`, default `"portable"`. The seed's stream
#'   (contract sections 2 and 23): `"numpy"` is numpy's legacy
#'   `np.random.seed()` / `randn()`, the course's.
#' @param print_every `integer(1)`, default `100`. Record the cost every
#'   `print_every` iterations (and at the last one).
#' @param verbose `logical(1)`, default `FALSE`. Write a progress line (cost,
#'   iterations per second, time left) to stderr at every recorded cost.
#' @param lambd,keep_prob,mini_batch_size,optimizer,beta,beta1,beta2,epsilon,decay,decay_rate,time_interval,mini_batch_seed,dropout_seed
#'   The course's improvements, as in [L_layer_model()] (same types and
#'   defaults; docs/contract.md section 36): L2 (scikit-learn's `alpha`),
#'   dropout, mini-batches (scikit-learn's `batch_size`; `NULL` is the full
#'   batch), `"gd"`, `"momentum"` or `"adam"` (scikit-learn's `solver =
#'   "adam"`, with the course's bias correction), learning-rate decay. With
#'   mini-batches an iteration is an epoch.
#' @param parameters `list` or `NULL`, default `NULL`. Parameters to train
#'   from instead of drawing them, e.g. `coef(fit)` of an earlier fit, to
#'   continue it (their shapes must be those of the layer sizes, contract
#'   section 24; Python's twin is `NeuralNet(warm_start=True)`).
#' @param callback `function` or `NULL`, default `NULL`. Called as
#'   `callback(iteration, cost)` at every recorded cost (as in [L_layer_model()]).
#' @param formula `formula`, no default. `response ~ predictors`, as for [stats::glm()].
#' @param data `data.frame`, default: the formula's environment. Where the
#'   formula's variables are.
#' @param subset `vector`, default: all rows. The rows of `data` to train on
#'   (as for [stats::glm()]).
#' @param na.action `function`, default `getOption("na.action")` (`na.omit`).
#'   What to do with rows holding `NA`; with [stats::na.exclude()], `fitted()`,
#'   `residuals()` and `predict()` without `newdata` give `NA` for them.
#' @param ... The formula method: the matrix method's arguments from
#'   `hidden_layers` on. The matrix method: nothing (an unknown argument is
#'   refused with an error naming it).
#' @return An object of class `"twinnet"`: a list with `parameters` (`W1, b1,
#'   ..., WL, bL`), `costs` (data.frame: `iteration`, `cost`), `classes`,
#'   `layer_dims`, `n_features`, `feature_names`, the arguments
#'   `hidden_layers`, `hidden_activation`, `init`, `learning_rate`,
#'   `num_iterations`, `seed`, `stream`, `print_every`, the training options from
#'   `lambd` to `dropout_seed`, and, as for [stats::glm()],
#'   `call`, `fitted.values` (the probabilities of the second class on the
#'   training rows), `linear.predictors` (the output layer's pre-activations),
#'   `y` (the labels as 0/1); the formula method adds `terms`, `xlevels`,
#'   `contrasts` and `na.action`.
#' @examples
#' d <- make_circles(200, seed = 1)
#' df <- data.frame(x1 = d$X[1, ], x2 = d$X[2, ], inner = d$Y[1, ] == 1)
#' fit <- neural_net(inner ~ x1 + x2, data = df, hidden_layers = 8, learning_rate = 0.5,
#'                   num_iterations = 300)
#' fit
#' head(fitted(fit))
#' mean(predict(fit) == df$inner)
#' predict(fit, data.frame(x2 = 0, x1 = c(0, 1)), type = "prob")
#' logLik(fit)
#' smaller <- update(fit, hidden_layers = 4)
#' # the matrix form: examples x features and a vector of labels
#' fit2 <- neural_net(t(d$X), as.vector(d$Y), hidden_layers = 8, learning_rate = 0.5,
#'                    num_iterations = 300)
#' mean(predict(fit2, t(d$X)) == d$Y)
#' @export
neural_net <- function(x, ...) UseMethod("neural_net")

#' @rdname neural_net
#' @export
neural_net.default <- function(x, y, hidden_layers = c(20, 7, 5), hidden_activation = "relu", init = "xavier",
                               learning_rate = 0.0075, num_iterations = 2500, seed = 1, stream = "portable",
                               print_every = 100, verbose = FALSE, lambd = 0, keep_prob = 1, mini_batch_size = NULL,
                               optimizer = "gd", beta = 0.9, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, decay = NULL,
                               decay_rate = 1, time_interval = 1000, mini_batch_seed = 10, dropout_seed = 1,
                               parameters = NULL, callback = NULL, ...) {
  if (...length()) check_parameter_names(if (is.null(names(list(...)))) rep("", ...length()) else names(list(...)))
  hidden <- check_hidden_layers(hidden_layers)
  check_choice(init, names(INIT_SCHEMES), "init")
  verbose <- check_flag(verbose, "verbose")
  # (again in L_layer_model; the progress line and the memory check need them first)
  num_iterations <- check_count(num_iterations, "num_iterations", maximum = COUNT_MAX)
  print_every <- check_count(print_every, "print_every", maximum = COUNT_MAX)
  feature_names <- column_names(x, "x")
  x <- examples_matrix(x, "x")
  dimnames(x) <- NULL  # keep names out of the parameters (they would reach W1 through dW1)
  m <- nrow(x)
  n <- ncol(x)
  if (missing(y)) input_error("y", "a vector of labels (one per row of X)", "nothing")
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
  codes <- matrix(as.double(labels$codes), nrow = 1L)
  X <- t(x)
  check_training_memory(dims, m, num_iterations, print_every,
                        choose_solver_unchecked(X, dims, num_iterations, "auto") == "gram", arg = "hidden_layers")
  core <- mget(setdiff(estimator_parameters(), OWN_PARAMETERS))
  fit <- do.call(L_layer_model, c(list(X, codes, dims, scheme = init, callback = hook), core))
  object <- new_twinnet(fit$parameters, fit$costs, labels$classes, dims, hidden_activation, init,
                        learning_rate, num_iterations, seed, print_every, feature_names = feature_names,
                        stream = stream, training = core[names(TRAINING_ATTRIBUTES)])
  forward <- L_model_forward(t(x), fit$parameters, hidden_activation)
  call <- match.call()
  call[[1L]] <- quote(neural_net)
  object$call <- call
  object$fitted.values <- as.vector(forward$AL)
  object$linear.predictors <- as.vector(forward$caches[[length(forward$caches)]]$Z)
  object$y <- as.vector(codes)
  object
}

#' @rdname neural_net
#' @export
neural_net.formula <- function(formula, data, subset, na.action, ...) {
  call <- match.call()
  call[[1L]] <- quote(neural_net)
  mf <- match.call(expand.dots = FALSE)
  mf <- mf[c(1L, match(c("formula", "data", "subset", "na.action"), names(mf), 0L))]
  mf$drop.unused.levels <- TRUE
  mf[[1L]] <- quote(stats::model.frame)
  mf <- eval(mf, parent.frame())
  terms <- attr(mf, "terms")
  y <- stats::model.response(mf)
  x <- predictor_matrix(terms, mf)
  object <- neural_net.default(x, y, ...)
  object$call <- call
  object$terms <- terms
  object$xlevels <- stats::.getXlevels(terms, mf)
  object$contrasts <- attr(x, "contrasts")
  object$na.action <- attr(mf, "na.action")
  object
}

# The model matrix of a formula fit, without the intercept column (the network has biases).
predictor_matrix <- function(terms, mf, contrasts = NULL) {
  x <- stats::model.matrix(terms, mf, contrasts.arg = contrasts)
  keep <- colnames(x) != "(Intercept)"
  structure(x[, keep, drop = FALSE], contrasts = attr(x, "contrasts"))
}

# newdata as the matrix the network takes: through the terms for a formula fit
# (the response and other columns ignored), matched by name otherwise.
newdata_matrix <- function(object, newdata) {
  if (is.null(object$terms)) return(examples_matrix(match_columns(newdata, object$feature_names, "newdata"), "newdata"))
  terms <- stats::delete.response(object$terms)
  expected <- sprintf("the columns of the fit, %s (in any order)", list_names(all.vars(terms)))
  if (is.matrix(newdata) && !is.null(colnames(newdata))) newdata <- as.data.frame(newdata)
  if (!is.list(newdata)) input_error("newdata", expected, describe(newdata))
  missing <- setdiff(all.vars(terms), names(newdata))
  if (length(missing)) input_error("newdata", expected, paste("missing", list_names(missing)))
  mf <- stats::model.frame(terms, newdata, na.action = stats::na.pass, xlev = object$xlevels)
  examples_matrix(predictor_matrix(terms, mf, object$contrasts), "newdata")
}

# The "twinnet" object (also built by load_model(), which has no training data).
# `training`: the training options of contract section 36 (the names of TRAINING_ATTRIBUTES, R/modelio.R,
# with the types of the model file); missing ones take L_layer_model()'s defaults, as in a version 1 file.
new_twinnet <- function(parameters, costs, classes, layer_dims, hidden_activation, init, learning_rate,
                        num_iterations, seed, print_every, feature_names = NULL, stream = "portable",
                        training = list()) {
  layer_dims <- as.integer(layer_dims)
  options <- names(TRAINING_ATTRIBUTES)
  defaults <- formals(L_layer_model)[options]
  training <- c(training, lapply(defaults[setdiff(options, names(training))], eval))[options]
  names(training) <- options  # (a NULL option drops out of c(); put its name back)
  for (k in options) {
    kind <- TRAINING_ATTRIBUTES[[k]]
    if (!is.null(training[[k]]) && kind != "string") {
      training[[k]] <- if (kind == "integer") as.integer(training[[k]]) else as.double(training[[k]])
    }
  }
  structure(c(list(parameters = parameters, costs = costs, classes = classes, layer_dims = layer_dims,
                   n_features = layer_dims[1], hidden_layers = layer_dims[-c(1L, length(layer_dims))],
                   hidden_activation = hidden_activation, init = init, learning_rate = as.double(learning_rate),
                   num_iterations = as.integer(num_iterations), seed = as.integer(seed), stream = stream,
                   print_every = as.integer(print_every), feature_names = feature_names), training),
            class = "twinnet")
}

# A part kept from the training data (fitted values, labels), or a clear error for a model without it.
training_part <- function(object, what) {
  if (is.null(object[[what]])) {
    input_error("object", "a network fitted by neural_net() (it keeps what it computed on its training rows)",
                "a network without them (as load_model() returns)")
  }
  object[[what]]
}

# The labels of the probabilities p (a factor when the classes are strings).
class_labels <- function(object, p) {
  labels <- object$classes[as.integer(p > 0.5) + 1L]
  if (is.character(object$classes)) factor(labels, levels = object$classes) else labels
}

# ------------------------------------------------------------------ methods

#' Predictions of a fitted neural network
#'
#' @param object `twinnet`, no default. From [neural_net()] or [load_model()].
#' @param newdata `matrix` or `data.frame`, default: the training rows. The
#'   examples (one row per example). For a formula fit, a data frame with the
#'   formula's variables (other columns, such as the response, are ignored).
#'   Otherwise, when both the fit and `newdata` have column names, `newdata`
#'   must have exactly the fitted columns, in any order (they are put in the
#'   fitted order); when only one has names, the columns are taken in order,
#'   with a warning; else as many columns as at fit.
#' @param type `character(1)`, default `"class"`. `"class"`: the predicted
#'   labels (a factor with the classes as levels when the classes are strings,
#'   else a vector of the classes' type); `"prob"`: the probability of the
#'   second class, `object$classes[2]` (a numeric vector).
#' @param ... Ignored.
#' @return A vector with one element per row of `newdata`; without `newdata`,
#'   one per training row (`NA` for rows left out by `na.exclude`).
#' @examples
#' d <- make_circles(200, seed = 1)
#' fit <- neural_net(t(d$X), as.vector(d$Y), hidden_layers = 8, learning_rate = 0.5,
#'                   num_iterations = 300)
#' predict(fit, t(d$X[, 1:5]))
#' predict(fit, t(d$X[, 1:5]), type = "prob")
#' head(predict(fit))
#' @importFrom stats predict
#' @export
predict.twinnet <- function(object, newdata, type = c("class", "prob"), ...) {
  if (!is.character(type) || length(type) < 1L || anyNA(type)) {
    input_error("type", "one of \"class\", \"prob\"", describe(type))
  }
  type <- if (identical(type, c("class", "prob"))) "class" else type
  check_choice(type, c("class", "prob"), "type")
  if (missing(newdata) || is.null(newdata)) {
    p <- training_part(object, "fitted.values")
    return(stats::napredict(object$na.action, if (type == "prob") p else class_labels(object, p)))
  }
  x <- newdata_matrix(object, newdata)
  if (ncol(x) != object$n_features) {
    input_error("newdata", sprintf("%d columns (features), as at fit", object$n_features),
                sprintf("%d columns", ncol(x)))
  }
  p <- as.vector(predict_proba(t(x), object$parameters, object$hidden_activation))
  if (type == "prob") p else class_labels(object, p)
}

#' Print, summarise, plot, extract and re-fit a fitted neural network
#'
#' `print()` shows the architecture, the classes and the final cost;
#' `summary()` adds a table of the layers and the cost history; `plot()` draws
#' the cost curve with [plot_costs()]; `coef()` returns the parameters
#' (`W1, b1, ..., WL, bL`).
#'
#' As for [stats::glm()]: `fitted()` gives the fitted probabilities of the
#' second class on the training rows, `residuals()` the response residuals
#' (the label as 0/1 minus the fitted probability), `nobs()` the number of
#' training rows, `logLik()` the log-likelihood of the labels, which is minus
#' `nobs()` times the cross-entropy cost of the final parameters (contract
#' section 6), with `df` the number of weights and biases (so [stats::AIC()]
#' and [stats::BIC()] work); `update()` fits again with changed arguments (a
#' new formula, data or any argument of [neural_net()]); `formula()` gives a
#' formula fit's formula. A network read by [load_model()] has no call and no
#' training rows: `fitted()`, `residuals()`, `nobs()`, `logLik()` and
#' `update()` refuse it with an error of class `twinnet_input_error`.
#'
#' @param x,object `twinnet`, no default. A fitted network.
#' @param log_scale `logical(1)`, default `FALSE`. `plot()`: a logarithmic cost axis.
#' @param ... `update()`: the arguments to change (`formula.` first, as for
#'   [stats::update()]). The others: ignored.
#' @return `print()`: `x`, invisibly. `summary()`: an object of class
#'   `"summary.twinnet"` (a list with `layers`, a data.frame, `n_parameters`,
#'   `costs`, `classes` and the training settings). `plot()`: `NULL`,
#'   invisibly. `coef()`: the named list of parameters. `fitted()`,
#'   `residuals()`: a numeric vector, one element per training row (`NA` for
#'   rows left out by `na.exclude`). `nobs()`: an integer. `logLik()`: an
#'   object of class `"logLik"` with attributes `df` and `nobs`. `update()`:
#'   the new fit. `formula()`: a formula.
#' @examples
#' d <- make_circles(200, seed = 1)
#' fit <- neural_net(t(d$X), as.vector(d$Y), hidden_layers = 8, learning_rate = 0.5,
#'                   num_iterations = 300)
#' print(fit)
#' summary(fit)
#' plot(fit)
#' str(coef(fit))
#' df <- data.frame(x1 = d$X[1, ], x2 = d$X[2, ], y = d$Y[1, ])
#' fit2 <- neural_net(y ~ ., data = df, hidden_layers = 8, learning_rate = 0.5, num_iterations = 300)
#' summary(fitted(fit2))
#' sum(residuals(fit2)^2)
#' nobs(fit2)
#' logLik(fit2)
#' AIC(fit2)
#' AIC(update(fit2, hidden_layers = 3))
#' formula(fit2)
#' @name twinnet-methods
NULL

#' @rdname twinnet-methods
#' @importFrom stats fitted
#' @export
fitted.twinnet <- function(object, ...) stats::napredict(object$na.action, training_part(object, "fitted.values"))

#' @rdname twinnet-methods
#' @importFrom stats residuals
#' @export
residuals.twinnet <- function(object, ...) {
  stats::naresid(object$na.action, training_part(object, "y") - object$fitted.values)
}

#' @rdname twinnet-methods
#' @importFrom stats nobs
#' @export
nobs.twinnet <- function(object, ...) length(training_part(object, "y"))

#' @rdname twinnet-methods
#' @importFrom stats logLik
#' @export
logLik.twinnet <- function(object, ...) {
  y <- training_part(object, "y")
  m <- length(y)
  cost <- compute_cost(NULL, matrix(y, nrow = 1L), ZL = matrix(object$linear.predictors, nrow = 1L))
  structure(-m * cost, df = n_parameters(object$layer_dims), nobs = m, class = "logLik")
}

#' @rdname twinnet-methods
#' @importFrom stats update
#' @export
update.twinnet <- function(object, ...) {
  if (is.null(object$call)) {
    input_error("object", "a network fitted by neural_net() (update() runs its call again)",
                "a network without a call (as load_model() returns)")
  }
  NextMethod()
}

# The number of weights and biases of each layer of a network of these sizes.
layer_parameters <- function(layer_dims) layer_dims[-1] * layer_dims[-length(layer_dims)] + layer_dims[-1]

n_parameters <- function(layer_dims) sum(layer_parameters(layer_dims))

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
                       parameters = layer_parameters(dims))
  structure(list(layers = layers, n_parameters = n_parameters(dims), costs = object$costs,
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

#' @rdname twinnet-methods
#' @importFrom stats formula
#' @export
formula.twinnet <- function(x, ...) {
  if (is.null(x$terms)) input_error("x", "a network fitted from a formula", "a network fitted from a matrix")
  stats::formula(x$terms)
}

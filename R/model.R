# Training and prediction (docs/contract.md sections 8 and 9; twin of python/twinnet/model.py).

# The iterations whose cost the history keeps: every print_every-th and the last.
recorded_iterations <- function(num_iterations, print_every) {
  its <- seq(0, num_iterations - 1, by = print_every)
  if (its[length(its)] != num_iterations - 1) its <- c(its, num_iterations - 1)
  as.integer(its)
}

# "NaN", "Inf" or "-Inf" (the same words in Python).
cost_words <- function(cost) if (is.nan(cost) || is.na(cost)) "NaN" else if (cost > 0) "Inf" else "-Inf"

# The one line of the twinnet_diverged condition (the same text as Python's TrainingDiverged).
# `updated`: whether any update had been made (none at iteration 0 of the full-batch loop, none before
# the first mini-batch's); before any, X is the cause.
diverged_message <- function(iteration, cost, learning_rate, X, updated) {
  if (!updated) {
    big <- max(max(X), -min(X))
    return(sprintf(paste0("`X`: expected values small enough for the cost to be finite; got values up to %g in absolute ",
                          "value: the cost of iteration 0 is %s, before any update (training stopped; ",
                          "scale X down, e.g. divide it by its largest value)"), big, cost_words(cost)))
  }
  sprintf(paste0("`learning_rate`: expected a step small enough for the cost to stay finite; got %g: the ",
                 "cost of iteration %d is %s (training diverged and stopped there; try a smaller ",
                 "learning rate, e.g. %g)"), learning_rate, iteration, cost_words(cost), learning_rate / 10)
}

# Training stopped at the first non-finite cost (contract section 8): an error of class
# twinnet_diverged (and twinnet_input_error) with the fields iteration, parameters and costs.
training_diverged <- function(message, iteration, parameters, costs) {
  stop(structure(class = c("twinnet_diverged", "twinnet_input_error", "error", "condition"),
                 list(message = message, call = NULL, iteration = iteration, parameters = parameters, costs = costs)))
}

# Refuse (contract section 29) a training whose cost history or whole need exceeds the memory
# limit: the history by `print_every` (its spacing decides its length), the rest by `arg`, the
# layer sizes as the caller knows them (`layer_dims`; the estimators' `hidden_layers`).
check_training_memory <- function(dims, m, num_iterations, print_every, gram, arg = "layer_dims") {
  check_memory(history_need(num_iterations, print_every), "print_every",
               sprintf("%s with num_iterations = %s (%s recorded costs)", number_text(print_every),
                       number_text(num_iterations), number_text(n_recorded(num_iterations, print_every))))
  check_memory(training_need(dims, m, num_iterations, print_every, gram), arg,
               sprintf("%s on %s examples", dims_text(dims), number_text(m)))
}

#' Train an L-layer network: full-batch gradient descent, or the course's improvements
#'
#' Initialises the parameters from a seeded stream (or takes the given
#' ones), then repeats forward propagation, cost (from `Z_L`), backward
#' propagation and update. Nothing is printed. Without the options after
#' `parameters` this is the course's first-part loop (docs/contract.md
#' section 8); with any of them on (L2, dropout, mini-batches, momentum or
#' Adam, a learning-rate decay) it is the optimiser path of section 36, where
#' an "iteration" is an epoch.
#'
#' @param X `numeric matrix`, no default. Inputs, `n_x x m`.
#' @param Y `numeric matrix`, no default. Labels in {0, 1}, `1 x m`.
#' @param layer_dims `integer`, no default. `c(n_x, n_1, ..., 1)`; `layer_dims[1]` must be `nrow(X)`.
#' @param learning_rate `numeric(1)`, default `0.0075`.
#' @param num_iterations `integer(1)`, default `2500`.
#' @param seed `integer(1)`, default `1`. Seed of the initial parameters.
#' @param hidden_activation `character(1)`, default `"relu"`. One of
#'   `"relu"`, `"tanh"`, `"sigmoid"`, `"leaky_relu"`.
#' @param scheme `character(1)`, default `"xavier"`. See [initialize_parameters()].
#' @param print_every `integer(1)`, default `100`. Record the cost every
#'   `print_every` iterations, and at the last one.
#' @param callback `function` or `NULL`, default `NULL`. Called as
#'   `callback(iteration, cost)` each time a cost is recorded (for progress
#'   displays; its value is ignored).
#' @param solver `character(1)`, default `"auto"`. How the first layer is
#'   trained (docs/contract.md, section "Solvers"): `"direct"` as written in
#'   the contract, `"gram"` through `G = crossprod(X)` (the same parameters in
#'   exact arithmetic, much less work when `m < n_x`), `"auto"` whichever
#'   [choose_solver()] picks.
#' @param stream `character(1)`, default `"portable"`. The stream of the
#'   initial parameters (see [initialize_parameters()]); `"numpy"` with seed
#'   1 gives the course's.
#' @param parameters `list` or `NULL`, default `NULL`. Initial parameters
#'   `W1, b1, ..., WL, bL` to train from instead of drawing them (their shapes
#'   must be those of `layer_dims`; `seed`, `scheme` and `stream` are then
#'   checked but not used), e.g. `coef()` of a fit, to continue its training.
#' @param lambd `numeric(1)`, default `0`. L2 regularisation strength, >= 0
#'   (docs/contract.md section 32; scikit-learn's `alpha`).
#' @param keep_prob `numeric`, default `1`. Inverted dropout (section 33): the
#'   probability of keeping a hidden unit, in (0, 1], one for all hidden
#'   layers or one per hidden layer; the output layer is never dropped.
#' @param mini_batch_size `integer(1)` or `NULL`, default `NULL`. 1..m: train
#'   on [random_mini_batches()] of this size, reshuffled every epoch (section
#'   34); `NULL`: the full batch, in column order.
#' @param optimizer `character(1)`, default `"gd"`. One of `"gd"`,
#'   `"momentum"`, `"adam"` (section 35).
#' @param beta `numeric(1)`, default `0.9`. Momentum's, in \[0, 1).
#' @param beta1 `numeric(1)`, default `0.9`. Adam's, in \[0, 1).
#' @param beta2 `numeric(1)`, default `0.999`. Adam's, in \[0, 1).
#' @param epsilon `numeric(1)`, default `1e-8`. Adam's, positive.
#' @param decay `character(1)` or `NULL`, default `NULL`. Learning-rate decay
#'   per epoch as the course's model applies it: `"update_lr"` or
#'   `"schedule_lr_decay"` (section 35).
#' @param decay_rate `numeric(1)`, default `1`. >= 0.
#' @param time_interval `integer(1)`, default `1000`. `"schedule_lr_decay"`'s
#'   epochs between two falls, >= 1.
#' @param mini_batch_seed `integer(1)`, default `10`. The course's `seed =
#'   10`: epoch e (0-based) is shuffled with seed `mini_batch_seed + e + 1`
#'   (modulo 2^31), from `stream`.
#' @param dropout_seed `integer(1)`, default `1`. Seed of the one stream
#'   (`stream`) that all the dropout masks of the run are drawn from, batch
#'   after batch.
#' @return `list(parameters, costs)`: the trained parameters and a data.frame
#'   with the integer column `iteration` (the epoch on the optimiser path)
#'   and the numeric column `cost` (on the optimiser path, the epoch's cost:
#'   the sum of its batches' costs, each at the parameters before the batch's
#'   update, over m, plus the L2 term). Training stops at the first iteration
#'   (epoch) whose cost is not finite, with an error of classes
#'   `twinnet_diverged` and `twinnet_input_error` naming `learning_rate` (or
#'   `X` when no update has been made yet); its fields `iteration`,
#'   `parameters` and `costs` hold what training had reached. Sizes whose
#'   memory need is above [memory_limit()] are refused before anything is
#'   allocated.
#' @examples
#' d <- make_circles(100, seed = 1)
#' fit <- L_layer_model(d$X, d$Y, c(2, 4, 1), learning_rate = 0.5,
#'                      num_iterations = 200, print_every = 50)
#' fit$costs
#' @export
L_layer_model <- function(X, Y, layer_dims, learning_rate = 0.0075, num_iterations = 2500, seed = 1,
                          hidden_activation = "relu", scheme = "xavier", print_every = 100,
                          callback = NULL, solver = "auto", stream = "portable", parameters = NULL, lambd = 0,
                          keep_prob = 1, mini_batch_size = NULL, optimizer = "gd", beta = 0.9, beta1 = 0.9,
                          beta2 = 0.999, epsilon = 1e-8, decay = NULL, decay_rate = 1, time_interval = 1000,
                          mini_batch_seed = 10, dropout_seed = 1) {
  X <- check_matrix(X, "X")
  Y <- check_labels(Y, ncol(X))
  dims <- check_layer_dims(layer_dims, n_x = nrow(X))
  learning_rate <- check_positive_finite(learning_rate, "learning_rate")
  num_iterations <- check_count(num_iterations, "num_iterations", maximum = COUNT_MAX)
  seed <- check_seed(seed)
  check_choice(hidden_activation, names(ACTIVATIONS), "hidden_activation")
  check_choice(scheme, names(INIT_SCHEMES), "scheme")
  print_every <- check_count(print_every, "print_every", maximum = COUNT_MAX)
  if (!is.null(callback) && !is.function(callback)) {
    input_error("callback", "a function or None", describe(callback))
  }

  check_choice(solver, SOLVERS, "solver")
  check_choice(stream, STREAMS, "stream")
  if (!is.null(parameters)) parameters <- check_initial_parameters(parameters, dims)
  training <- check_training_options(dims, ncol(X), stream, lambd, keep_prob, mini_batch_size, optimizer, beta, beta1,
                                     beta2, epsilon, decay, decay_rate, time_interval, mini_batch_seed, dropout_seed)
  chosen <- choose_for(X, dims, num_iterations, solver, training$plain)
  check_training_memory(dims, ncol(X), num_iterations, print_every, chosen == "gram")

  # X is finite (checked above): skip R's scan of both operands for NaN/Inf
  # before every matrix product; the products are then BLAS's, as in numpy.
  old_options <- options(matprod = "blas")
  on.exit(options(old_options), add = TRUE)
  if (is.null(parameters)) parameters <- initialize_parameters(dims, seed, scheme, stream)
  record <- recorded_iterations(num_iterations, print_every)
  fit <- if (training$plain) {
    old_threads <- blas_threads(loop_threads(nrow(X), ncol(X), dims[2], chosen))  # small products: one thread
    on.exit(blas_threads(old_threads), add = TRUE)
    train_loop(X, Y, parameters, length(dims) - 1L, learning_rate, num_iterations,
               hidden_activation, record, callback, LAYER1[[chosen]], old_options)
  } else {
    train_minibatch(X, Y, parameters, length(dims) - 1L, learning_rate, num_iterations,
                    hidden_activation, record, callback, training, old_options)
  }
  list(parameters = fit$parameters, costs = history(record, fit$costs))
}

# The cost history: a data.frame with the integer column iteration and the double column cost.
history <- function(iterations, costs) data.frame(iteration = as.integer(iterations), cost = as.double(costs))

# Below this, sum(abs(Z_L)) proves the cost finite (it is at most sum|Z_L| + m log 2).
SAFE_SUM <- 1e300

# The training loop (contract section 8). Layers 2..L are written out here;
# layer 1 is `layer1_maker` (the direct or the gram solver, R/solver.R), which
# gives Z1 and takes (dZ1, db1). Same arithmetic as L_model_forward /
# L_model_backward / update_parameters, without their checks and lists, and
# without dA0 (and, for relu and the output sigmoid, with the *_finite twins
# of the activations below, which give the same values on finite input). The
# callback runs under the caller's options.
train_loop <- function(X, Y, parameters, L, learning_rate, num_iterations, hidden_activation,
                       record, callback, layer1_maker, caller_options) {
  g <- ACTIVATIONS[[hidden_activation]]$forward
  g_backward <- if (hidden_activation == "relu") relu_backward_finite else ACTIVATIONS[[hidden_activation]]$backward
  m <- ncol(X)
  layers <- layer_arrays(parameters, L)
  W <- layers$W
  b <- layers$b
  layer1 <- layer1_maker(X, W[[1]], b[[1]], learning_rate)
  forward1 <- layer1$forward  # looked up once, not every iteration
  update1 <- layer1$update
  A <- vector("list", L)
  Z <- vector("list", L)
  costs <- numeric(length(record))
  k <- 0L  # records made
  dA <- NULL
  # the parameters so far, as a named list (for the twinnet_diverged condition)
  so_far <- function() {
    first <- layer1$finish()
    out <- parameters
    for (l in seq_len(L)) {
      out[[paste0("W", l)]] <- if (l == 1L) first$W1 else W[[l]]
      out[[paste0("b", l)]] <- matrix(if (l == 1L) first$b1 else b[[l]], ncol = 1L)
    }
    out
  }
  for (i in seq_len(num_iterations)) {
    A_prev <- X
    for (l in seq_len(L)) {
      Zl <- if (l == 1L) forward1() else W[[l]] %*% A_prev + b[[l]]
      A_prev <- if (l < L) g(Zl) else sigmoid_forward_finite(Zl)
      Z[[l]] <- Zl
      A[[l]] <- A_prev
    }
    # The cost of every iteration is checked: where it is not recorded, through sum(abs(Z_L)),
    # which bounds it (each term is at most |z| + log 2), so it is computed only when needed.
    recorded <- k < length(record) && i - 1L == record[k + 1L]
    ZL <- Z[[L]]
    cost <- if (recorded || !isTRUE(sum(abs(ZL)) <= SAFE_SUM)) cost_from_z(ZL, Y) else 0
    if (!is.finite(cost)) {
      training_diverged(diverged_message(i - 1L, cost, learning_rate, X, i > 1L), i - 1L, so_far(),
                        history(record[seq_len(k)], costs[seq_len(k)]))
    }
    if (recorded) {
      k <- k + 1L
      costs[k] <- cost
      if (!is.null(callback)) {
        options(caller_options)
        callback(i - 1L, costs[k])
        options(matprod = "blas")
      }
    }
    dZ <- A_prev - Y
    for (l in L:1) {
      if (l < L) dZ <- g_backward(dA, Z[[l]])
      db <- .rowSums(dZ, nrow(dZ), m) / m  # rowSums without its R-level checks
      if (l == 1L) {
        update1(dZ, db)
      } else {
        dW <- tcrossprod(dZ, A[[l - 1L]]) / m
        dA <- crossprod(W[[l]], dZ)  # before W[[l]] changes
        W[[l]] <- W[[l]] - learning_rate * dW
        b[[l]] <- b[[l]] - learning_rate * db
      }
    }
  }
  first <- layer1$finish()
  W[[1]] <- first$W1
  b[[1]] <- first$b1
  for (l in seq_len(L)) {
    parameters[[paste0("W", l)]] <- W[[l]]
    parameters[[paste0("b", l)]] <- matrix(b[[l]], ncol = 1L)
  }
  list(parameters = parameters, costs = costs)
}

# relu_backward() and sigmoid_forward() for the training loop, where every
# value is finite: the same values (a zero gradient may come out as -0, which
# equals 0 and changes no later sum or update), without the copy and logical
# subassignment of `dA[Z <= 0] <- 0` and without ifelse(). About a quarter of
# R's time per iteration on the gram path.
relu_backward_finite <- function(dA, Z) dA * (Z > 0)

sigmoid_forward_finite <- function(Z) {
  e <- exp(-abs(Z))
  d <- 1 + e
  A <- 1 / d
  neg <- which(Z < 0)
  A[neg] <- e[neg] / d[neg]
  A
}

#' Predictions and accuracy
#'
#' `predict_proba()` is `A_L`; `predict_class()` is 1 where `A_L > 0.5`, else
#' 0 (the course's `predict`, renamed so that twinnet does not mask
#' `stats::predict`); `accuracy()` is the share of predictions equal to `Y`.
#'
#' @param X `numeric matrix`, no default. Inputs, `n_x x m`.
#' @param parameters `list`, no default. `W1, b1, ..., WL, bL`.
#' @param hidden_activation `character(1)`, default `"relu"`.
#' @param Y `numeric matrix`, no default. Labels in {0, 1}, `1 x m`.
#' @return `predict_proba()`: a `1 x m` numeric matrix. `predict_class()`: a
#'   `1 x m` integer matrix of 0/1. `accuracy()`: `numeric(1)` in \[0, 1\].
#' @examples
#' d <- make_circles(100, seed = 1)
#' fit <- L_layer_model(d$X, d$Y, c(2, 4, 1), learning_rate = 0.5, num_iterations = 200)
#' predict_class(d$X[, 1:5], fit$parameters)
#' accuracy(d$X, d$Y, fit$parameters)
#' @export
predict_proba <- function(X, parameters, hidden_activation = "relu") {
  X <- check_matrix(X, "X")
  dims <- check_parameters(parameters, n_x = nrow(X), output_one = TRUE)
  check_finite_parameters(parameters, dims)
  check_choice(hidden_activation, names(ACTIVATIONS), "hidden_activation")
  check_memory(forward_need(dims, ncol(X)), "X", sprintf("%s examples for the layers %s", number_text(ncol(X)), dims_text(dims)))
  AL <- forward_pass(X, parameters, hidden_activation, length(dims) - 1L)$AL
  bad <- is.na(AL)
  if (any(bad)) {
    input_error("X", "values for which the network's output is a number",
                sprintf("%d example(s) whose output is NaN (an overflow inside the network: scale X down)", sum(bad)))
  }
  AL
}

#' @rdname predict_proba
#' @export
predict_class <- function(X, parameters, hidden_activation = "relu") {
  p <- predict_proba(X, parameters, hidden_activation)
  out <- matrix(as.integer(p > 0.5), nrow = 1L)
  out
}

#' @rdname predict_proba
#' @export
accuracy <- function(X, Y, parameters, hidden_activation = "relu") {
  X <- check_matrix(X, "X")
  Y <- check_labels(Y, ncol(X))
  mean(predict_class(X, parameters, hidden_activation) == Y)
}

#' The course's notebook models
#'
#' `COURSE_MODELS` holds the application notebook's two models (course 1,
#' week 4, assignment 2, "Deep Neural Network - Application") as arguments of
#' [L_layer_model()]: the course's `two_layer_model` (`layer_dims` `c(12288,
#' 7, 1)`, its `initialize_parameters()`: seed 1, weights times 0.01) and
#' `L_layer_model` (`c(12288, 20, 7, 5, 1)`, `initialize_parameters_deep()`:
#' seed 1, weights over `sqrt(n_(l-1))`), both from numpy's stream, learning
#' rate 0.0075, 2500 iterations. `course_models()` trains both on the cat /
#' non-cat files in `folder` (see [load_catvnoncat()]).
#'
#' @param folder `character(1)`, no default. The folder of
#'   `train_catvnoncat.h5` and `test_catvnoncat.h5`.
#' @param num_iterations `integer(1)`, default `2500`. The notebook's 2500,
#'   or fewer for a quick look.
#' @param solver `character(1)`, default `"auto"`. See [L_layer_model()].
#' @return `course_models()`: a list with `two_layer` and `four_layer`, each
#'   a list with `parameters`, `costs` (the cost history, every 100
#'   iterations and the last), `train_accuracy` and `test_accuracy`. The
#'   notebook's published values are in the repository's
#'   `fixtures/course-*.json`.
#' @format `COURSE_MODELS`: a named list of two named lists.
#' @examples
#' COURSE_MODELS$two_layer$layer_dims
#' \dontrun{
#' fits <- course_models("../shared/data/catvnoncat")
#' fits$four_layer$test_accuracy
#' }
#' @export
COURSE_MODELS <- list(
  two_layer = list(layer_dims = c(12288, 7, 1), learning_rate = 0.0075, num_iterations = 2500, seed = 1,
                   hidden_activation = "relu", scheme = "scaled", print_every = 100, stream = "numpy"),
  four_layer = list(layer_dims = c(12288, 20, 7, 5, 1), learning_rate = 0.0075, num_iterations = 2500, seed = 1,
                    hidden_activation = "relu", scheme = "xavier", print_every = 100, stream = "numpy")
)

#' @rdname COURSE_MODELS
#' @export
course_models <- function(folder, num_iterations = 2500, solver = "auto") {
  d <- load_catvnoncat(folder)
  lapply(COURSE_MODELS, function(config) {
    config$num_iterations <- num_iterations
    config$solver <- solver
    fit <- do.call(L_layer_model, c(list(d$train_X, d$train_Y), config))
    list(parameters = fit$parameters, costs = fit$costs,
         train_accuracy = accuracy(d$train_X, d$train_Y, fit$parameters),
         test_accuracy = accuracy(d$test_X, d$test_Y, fit$parameters))
  })
}

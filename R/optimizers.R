# Momentum, Adam and learning-rate decay (docs/contract.md section 35; twin of
# python/twinnet/optimizers.py).
#
# The course's second part, week 2, under its names. Each function returns new
# lists, with the course's arithmetic, operation for operation. The training
# loop (R/minibatch.R) performs the same operations through the steps below
# (gradient_descent_step, momentum_step, adam_step), so that its numbers are
# these functions'. Powers beta^t are the C library's pow (R's ^, as Python's
# float power); squares are products (g * g).

#' Optimisers and learning-rate decays
#'
#' `OPTIMIZERS` lists the optimisers [L_layer_model()] takes (`"gd"`,
#' `"momentum"`, `"adam"`), `DECAYS` its learning-rate decays
#' (`"update_lr"`, `"schedule_lr_decay"`; or `NULL`, none): the course's names.
#'
#' @format `OPTIMIZERS`, `DECAYS`: character vectors.
#' @examples
#' OPTIMIZERS
#' DECAYS
#' @export
OPTIMIZERS <- c("gd", "momentum", "adam")

#' @rdname OPTIMIZERS
#' @export
DECAYS <- c("update_lr", "schedule_lr_decay")

# dW1, db1, ..., dWL, dbL: zero matrices of the parameters' shapes, in that order.
zeros_like_grads <- function(parameters) {
  L <- check_parameter_pairs(parameters)
  out <- list()
  for (l in seq_len(L)) {
    for (p in c("W", "b")) out[[paste0("d", p, l)]] <- array(0, dim(parameters[[paste0(p, l)]]))
  }
  out
}

#' Momentum and Adam, step by step
#'
#' The course's functions: `initialize_velocity()` and `initialize_adam()`
#' give zero matrices `dW<l>`, `db<l>` of the parameters' shapes;
#' `update_parameters_with_momentum()` computes `v = beta * v + (1 - beta) *
#' g` for every gradient and `W = W - learning_rate * v`;
#' `update_parameters_with_adam()` computes `v = beta1 * v + (1 - beta1) * g`,
#' `v_corrected = v / (1 - beta1^t)`, `s = beta2 * s + (1 - beta2) * (g * g)`,
#' `s_corrected = s / (1 - beta2^t)` and `W = W - learning_rate *
#' v_corrected / (sqrt(s_corrected) + epsilon)`; `t` counts the updates, from
#' 1. The Python twin gives the same numbers (docs/contract.md section 35).
#'
#' @param parameters `list`, no default. `W1, b1, ..., WL, bL`.
#' @param grads `list`, no default. `dW1, db1, ..., dWL, dbL`.
#' @param v `list`, no default. The velocity (first moment): `dW1, db1, ...`.
#' @param s `list`, no default. Adam's second moment: `dW1, db1, ...`.
#' @param beta `numeric(1)`, no default. Momentum, in \[0, 1).
#' @param t `integer(1)`, no default. Adam's update count, from 1.
#' @param learning_rate `numeric(1)`, no default for momentum, `0.01` for Adam.
#' @param beta1 `numeric(1)`, default `0.9`. In \[0, 1).
#' @param beta2 `numeric(1)`, default `0.999`. In \[0, 1).
#' @param epsilon `numeric(1)`, default `1e-8`. Positive.
#' @return `initialize_velocity()`: the list `v`. `initialize_adam()`:
#'   `list(v, s)`. `update_parameters_with_momentum()`: `list(parameters, v)`.
#'   `update_parameters_with_adam()`: `list(parameters, v, s, v_corrected,
#'   s_corrected)`.
#' @examples
#' p <- initialize_parameters(c(3, 2, 1), seed = 1, scheme = "standard")
#' g <- lapply(zeros <- initialize_velocity(p), function(z) z + 0.1)
#' update_parameters_with_momentum(p, g, zeros, beta = 0.9, learning_rate = 0.01)$v$dW1
#' st <- initialize_adam(p)
#' update_parameters_with_adam(p, g, st$v, st$s, t = 1)$parameters$W1
#' @export
initialize_velocity <- function(parameters) zeros_like_grads(parameters)

#' @rdname initialize_velocity
#' @export
initialize_adam <- function(parameters) list(v = zeros_like_grads(parameters), s = zeros_like_grads(parameters))

# A velocity (or Adam's v, s, or the gradients) with d<W|b><l> of the parameters' shapes; returns L.
check_state <- function(state, parameters, arg) {
  L <- check_parameter_pairs(parameters)
  if (!is.list(state) || length(state) && is.null(names(state))) {
    input_error(arg, "a mapping with dW1, db1, ..., dWL, dbL of the parameters' shapes", describe(state))
  }
  for (l in seq_len(L)) {
    for (p in c("W", "b")) {
      key <- paste0("d", p, l)
      x <- state[[key]]
      if (is.null(x) || !identical(dim(x), dim(parameters[[paste0(p, l)]]))) {
        input_error(arg, sprintf("a mapping with %s of the shape of %s%d", key, p, l),
                    if (is.null(x)) "missing" else sprintf("shape %s", shape_str(dim(x))))
      }
    }
  }
  L
}

#' @rdname initialize_velocity
#' @export
update_parameters_with_momentum <- function(parameters, grads, v, beta, learning_rate) {
  L <- check_state(grads, parameters, "grads")
  check_state(v, parameters, "v")
  beta <- check_decay_factor(beta, "beta")
  learning_rate <- check_positive_finite(learning_rate, "learning_rate")
  new_p <- list()
  new_v <- list()
  for (l in seq_len(L)) {
    for (p in c("W", "b")) {
      key <- paste0("d", p, l)
      new_v[[key]] <- beta * v[[key]] + (1 - beta) * grads[[key]]
      new_p[[paste0(p, l)]] <- parameters[[paste0(p, l)]] - learning_rate * new_v[[key]]
    }
  }
  list(parameters = new_p, v = new_v)
}

#' @rdname initialize_velocity
#' @export
update_parameters_with_adam <- function(parameters, grads, v, s, t, learning_rate = 0.01, beta1 = 0.9, beta2 = 0.999,
                                        epsilon = 1e-8) {
  L <- check_state(grads, parameters, "grads")
  check_state(v, parameters, "v")
  check_state(s, parameters, "s")
  t <- check_count(t, "t")
  learning_rate <- check_positive_finite(learning_rate, "learning_rate")
  beta1 <- check_decay_factor(beta1, "beta1")
  beta2 <- check_decay_factor(beta2, "beta2")
  epsilon <- check_positive_finite(epsilon, "epsilon")
  c1 <- 1 - beta1^t
  c2 <- 1 - beta2^t
  new_p <- list(); new_v <- list(); new_s <- list(); v_corrected <- list(); s_corrected <- list()
  for (l in seq_len(L)) {
    for (p in c("W", "b")) {
      key <- paste0("d", p, l)
      g <- grads[[key]]
      new_v[[key]] <- beta1 * v[[key]] + (1 - beta1) * g
      v_corrected[[key]] <- new_v[[key]] / c1
      new_s[[key]] <- beta2 * s[[key]] + (1 - beta2) * (g * g)
      s_corrected[[key]] <- new_s[[key]] / c2
      new_p[[paste0(p, l)]] <- parameters[[paste0(p, l)]] - learning_rate * v_corrected[[key]] /
        (sqrt(s_corrected[[key]]) + epsilon)
    }
  }
  list(parameters = new_p, v = new_v, s = new_s, v_corrected = v_corrected, s_corrected = s_corrected)
}

# decay name -> rule(learning_rate0, epoch_num, decay_rate, time_interval), the course's formulas.
DECAY_RULES <- list(
  update_lr = function(lr0, epoch, rate, interval) lr0 / (1 + rate * epoch),
  schedule_lr_decay = function(lr0, epoch, rate, interval) lr0 / (1 + rate * (epoch %/% interval))
)

#' Learning-rate decay
#'
#' The course's two decays: `update_lr()` is `learning_rate0 / (1 +
#' decay_rate * epoch_num)`; `schedule_lr_decay()` is `learning_rate0 / (1 +
#' decay_rate * floor(epoch_num / time_interval))`, the rate falling every
#' `time_interval` epochs (the floor is the integer division of the two whole
#' numbers, exact in both languages). [L_layer_model()] applies them per epoch
#' as the course's model does (docs/contract.md section 35).
#'
#' @param learning_rate0 `numeric(1)`, no default. The initial learning rate, positive.
#' @param epoch_num `integer(1)`, no default. The epoch, >= 0.
#' @param decay_rate `numeric(1)`, no default. >= 0.
#' @param time_interval `integer(1)`, default `1000`. Epochs between two falls, >= 1.
#' @return `numeric(1)`.
#' @examples
#' update_lr(0.5, 2, 1)
#' schedule_lr_decay(0.5, 100, 1, time_interval = 100)
#' @export
update_lr <- function(learning_rate0, epoch_num, decay_rate) {
  learning_rate0 <- check_positive_finite(learning_rate0, "learning_rate0")
  epoch_num <- check_count(epoch_num, "epoch_num", minimum = 0)
  decay_rate <- check_nonnegative(decay_rate, "decay_rate")
  DECAY_RULES$update_lr(learning_rate0, epoch_num, decay_rate, NULL)
}

#' @rdname update_lr
#' @export
schedule_lr_decay <- function(learning_rate0, epoch_num, decay_rate, time_interval = 1000) {
  learning_rate0 <- check_positive_finite(learning_rate0, "learning_rate0")
  epoch_num <- check_count(epoch_num, "epoch_num", minimum = 0)
  decay_rate <- check_nonnegative(decay_rate, "decay_rate")
  time_interval <- check_count(time_interval, "time_interval")
  DECAY_RULES$schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval)
}

# The learning rate of epoch `epoch` (0-based), as the course's model sets it: it
# updates the rate at the end of each epoch i to decay(learning_rate0, i,
# decay_rate), so epoch 0 runs at learning_rate0, epoch e >= 1 at decay(..., e - 1, ...).
epoch_learning_rate <- function(decay, learning_rate0, epoch, decay_rate, time_interval) {
  if (is.null(decay) || epoch == 0L) return(learning_rate0)
  DECAY_RULES[[decay]](learning_rate0, epoch - 1L, decay_rate, time_interval)
}

# -- the training loop's steps (the same operations as the functions above) ----------------------
# Each is made from the parameters W, b (lists of layer matrices; b as plain
# vectors, as in train_loop) and holds the optimiser's state; begin() is
# called once per mini-batch, before its updates; update(l, W_l, b_l, dW, db,
# learning_rate) returns layer l's new list(W, b).

# W <- W - learning_rate * dW (the full-batch loop's update, R/model.R).
gradient_descent_step <- function(W, b, options) {
  list(
    begin = function() NULL,
    update = function(l, W_l, b_l, dW, db, learning_rate) {
      list(W = W_l - learning_rate * dW, b = b_l - learning_rate * db)
    }
  )
}

zeros_of <- function(x) {
  x[] <- 0
  x
}

# v <- beta v + (1 - beta) g; W <- W - learning_rate * v (update_parameters_with_momentum).
momentum_step <- function(W, b, options) {
  beta <- options$beta
  vW <- lapply(W, zeros_of)
  vb <- lapply(b, zeros_of)
  list(
    begin = function() NULL,
    update = function(l, W_l, b_l, dW, db, learning_rate) {
      vW[[l]] <<- beta * vW[[l]] + (1 - beta) * dW
      vb[[l]] <<- beta * vb[[l]] + (1 - beta) * db
      list(W = W_l - learning_rate * vW[[l]], b = b_l - learning_rate * vb[[l]])
    }
  )
}

# Adam with the course's bias correction, t counted per mini-batch (update_parameters_with_adam).
adam_step <- function(W, b, options) {
  beta1 <- options$beta1
  beta2 <- options$beta2
  epsilon <- options$epsilon
  vW <- lapply(W, zeros_of)
  sW <- vW
  vb <- lapply(b, zeros_of)
  sb <- vb
  t <- 0L
  c1 <- 0
  c2 <- 0
  list(
    begin = function() {
      t <<- t + 1L
      c1 <<- 1 - beta1^t
      c2 <<- 1 - beta2^t
    },
    update = function(l, W_l, b_l, dW, db, learning_rate) {
      vW[[l]] <<- beta1 * vW[[l]] + (1 - beta1) * dW
      sW[[l]] <<- beta2 * sW[[l]] + (1 - beta2) * (dW * dW)
      vb[[l]] <<- beta1 * vb[[l]] + (1 - beta1) * db
      sb[[l]] <<- beta2 * sb[[l]] + (1 - beta2) * (db * db)
      list(W = W_l - learning_rate * (vW[[l]] / c1) / (sqrt(sW[[l]] / c2) + epsilon),
           b = b_l - learning_rate * (vb[[l]] / c1) / (sqrt(sb[[l]] / c2) + epsilon))
    }
  )
}

# optimizer name -> the training loop's step (R/minibatch.R).
STEPS <- list(gd = gradient_descent_step, momentum = momentum_step, adam = adam_step)

# Mini-batches and the optimiser path of training (docs/contract.md sections 34
# and 32; twin of python/twinnet/minibatch.py).
#
# random_mini_batches() is the course's: a permutation of the columns, then
# full batches and one smaller last batch. train_minibatch() is the second
# training loop of L_layer_model(), kept apart from the full-batch
# gradient-descent loop of R/model.R (which it reproduces when no option is
# used): it runs whenever one of the course's second-part options is on (L2,
# dropout, mini-batches, momentum or Adam, a learning-rate decay), one epoch
# per "iteration", the seed of the mini-batches advanced once per epoch as the
# course does, the cost recorded per epoch.

# A whole number in 1..m (or NULL, the full batch, when allow_none); returned as integer or NULL.
check_mini_batch_size <- function(mini_batch_size, m, allow_none = TRUE, arg = "mini_batch_size") {
  expected <- paste0(sprintf("a whole number in 1..%d (the number of examples)", as.integer(m)),
                     if (allow_none) " or None" else "")
  if (is.null(mini_batch_size) && allow_none) return(NULL)
  if (!is_whole(mini_batch_size) || mini_batch_size < 1 || mini_batch_size > m) {
    input_error(arg, expected, describe(mini_batch_size))
  }
  as.integer(mini_batch_size)
}

# The columns of each mini-batch: `perm` cut into full batches, then the smaller rest (if any).
batch_columns <- function(perm, mini_batch_size) {
  starts <- seq.int(1L, length(perm), by = mini_batch_size)
  lapply(starts, function(k) perm[k:min(k + mini_batch_size - 1L, length(perm))])
}

#' The course's mini-batches
#'
#' The columns of `X` and `Y` shuffled by the seeded permutation
#' [rng_permutation()]`(m, seed, stream)` (with `stream = "numpy"`,
#' `np.random.seed(seed); np.random.permutation(m)`, the course's), then cut
#' into batches of `mini_batch_size` columns, the last one holding the `m %%
#' mini_batch_size` left over (when there are any). The Python twin returns
#' the same batches.
#'
#' @param X `numeric matrix`, no default. Inputs, `n_x x m`.
#' @param Y `numeric matrix`, no default. Labels in {0, 1}, `1 x m`.
#' @param mini_batch_size `integer(1)`, default `64`. In 1..m.
#' @param seed `integer(1)`, default `0`.
#' @param stream `character(1)`, default `"portable"`. `"portable"` or `"numpy"`.
#' @return A list of `list(X, Y)`, one per mini-batch, in order.
#' @examples
#' d <- make_circles(10, seed = 1)
#' b <- random_mini_batches(d$X, d$Y, mini_batch_size = 4, seed = 0)
#' length(b)
#' b[[3]]$Y
#' @export
random_mini_batches <- function(X, Y, mini_batch_size = 64, seed = 0, stream = "portable") {
  X <- check_matrix(X, "X")
  Y <- check_labels(Y, ncol(X))
  size <- check_mini_batch_size(mini_batch_size, ncol(X), allow_none = FALSE)
  perm <- rng_permutation(ncol(X), check_seed(seed), check_choice(stream, STREAMS, "stream"))
  lapply(batch_columns(perm, size), function(cols) list(X = X[, cols, drop = FALSE], Y = Y[, cols, drop = FALSE]))
}

# The seed of the mini-batches of epoch `epoch` (0-based): advanced before each epoch, as the course does.
epoch_seed <- function(mini_batch_seed, epoch) (mini_batch_seed + epoch + 1) %% (SEED_MAX + 1)

# epoch -> the permutation of that epoch's mini-batches (0-based epochs), as
# rng_permutation(m, epoch_seed(mini_batch_seed, epoch), stream). For the numpy
# stream, numpy_seed()'s loop runs for the seeds of up to 256 epochs at once.
epoch_permutations <- function(m, mini_batch_seed, num_epochs, stream) {
  if (stream != "numpy") return(function(epoch) rng_permutation(m, epoch_seed(mini_batch_seed, epoch), stream))
  keys <- NULL
  first <- -1L
  function(epoch) {
    if (is.null(keys) || epoch < first || epoch >= first + ncol(keys)) {
      first <<- epoch
      seeds <- epoch_seed(mini_batch_seed, epoch + seq_len(min(256L, num_epochs - epoch)) - 1L)
      keys <<- matrix(mt_init_genrand(seeds), nrow = 624L)
    }
    state <- list(key = keys[, epoch - first + 1L], pos = 624L, has_gauss = 0L, gauss = 0)  # numpy_seed()
    numpy_permutation(state, m)$values
  }
}

# The options of contract section 36, checked (in argument order); `plain` when none is on.
check_training_options <- function(dims, m, stream, lambd, keep_prob, mini_batch_size, optimizer, beta, beta1, beta2,
                                   epsilon, decay, decay_rate, time_interval, mini_batch_seed, dropout_seed) {
  o <- list(
    lambd = check_nonnegative(lambd, "lambd"),
    keep_prob = check_keep_prob(keep_prob, length(dims) - 1L),
    mini_batch_size = check_mini_batch_size(mini_batch_size, m),
    optimizer = check_choice(optimizer, OPTIMIZERS, "optimizer"),
    beta = check_decay_factor(beta, "beta"),
    beta1 = check_decay_factor(beta1, "beta1"),
    beta2 = check_decay_factor(beta2, "beta2"),
    epsilon = check_positive_finite(epsilon, "epsilon"),
    decay = check_optional_choice(decay, DECAYS, "decay"),
    decay_rate = check_nonnegative(decay_rate, "decay_rate"),
    time_interval = check_count(time_interval, "time_interval"),
    mini_batch_seed = check_seed(mini_batch_seed, "mini_batch_seed"),
    dropout_seed = check_seed(dropout_seed, "dropout_seed"),
    stream = stream
  )
  o$plain <- plain_training(o$lambd, o$keep_prob, o$mini_batch_size, o$optimizer, o$decay)
  o
}

# No option of contract section 36 is on: the full-batch gradient-descent loop trains (and gram may).
plain_training <- function(lambd, keep, mini_batch_size, optimizer, decay) {
  lambd == 0 && all(keep == 1) && is.null(mini_batch_size) && optimizer == "gd" && is.null(decay)
}

# How many parameter updates an epoch makes: the number of mini-batches (1 for the full batch).
updates_per_epoch <- function(m, mini_batch_size) {
  if (is.null(mini_batch_size)) 1L else as.integer(ceiling(m / mini_batch_size))
}

# gather(cols): the columns `cols` of X (only those are read). R's matrices are column-major, so the
# columns are contiguous and each batch is one fresh matrix of the batch's columns (R has no
# preallocated output buffers, unlike numpy's `out=`).
column_gatherer <- function(X) {
  function(cols) X[, cols, drop = FALSE]
}

# The optimiser path (contract section 36): list(parameters, costs), `costs` those of `record`.
# Each epoch: the learning rate of the decay; the mini-batches (without
# mini_batch_size, the full batch in column order); for each batch, forward
# propagation with the dropout masks drawn from one stream (seeded once with
# dropout_seed), the batch's cost sum, backward propagation (dropout masks,
# L2), and the optimiser's update of every layer (t counted per batch). The
# epoch's cost is the sum over its batches divided by m: the course's
# cost_total / m. At the first batch that makes the epoch's cost non-finite it
# stops with a twinnet_diverged error (the parameters that gave it, the costs
# recorded before; contract section 8). The callback runs under the caller's options.
train_minibatch <- function(X, Y, parameters, L, learning_rate, num_epochs, hidden_activation, record, callback,
                            options, caller_options) {
  o <- options
  g <- ACTIVATIONS[[hidden_activation]]$forward
  g_backward <- if (hidden_activation == "relu") relu_backward_finite else ACTIVATIONS[[hidden_activation]]$backward
  m <- ncol(X)
  layers <- layer_arrays(parameters, L)
  W <- layers$W
  b <- layers$b
  dims <- c(nrow(X), vapply(W, nrow, 0L))
  keep <- o$keep_prob
  lambd <- o$lambd
  size <- o$mini_batch_size
  draws <- if (any(keep < 1)) draw_stream(o$dropout_seed, o$stream) else NULL
  permutation <- if (!is.null(size)) epoch_permutations(m, o$mini_batch_seed, num_epochs, o$stream)
  step <- STEPS[[o$optimizer]](W, b, o)
  X_batch <- column_gatherer(X)
  Y_batch <- column_gatherer(Y)
  is_recorded <- logical(num_epochs)
  is_recorded[record + 1L] <- TRUE
  costs <- numeric(length(record))
  k <- 0L
  A <- vector("list", L)
  Z <- vector("list", L)
  masks <- list()
  dA <- NULL
  updated <- FALSE  # whether a batch has updated the parameters (twinnet_diverged's cause: X before any)
  # the parameters so far, as a named list
  so_far <- function() {
    for (l in seq_len(L)) {
      parameters[[paste0("W", l)]] <- W[[l]]
      parameters[[paste0("b", l)]] <- matrix(b[[l]], ncol = 1L)
    }
    parameters
  }
  for (epoch in seq_len(num_epochs) - 1L) {
    rate <- epoch_learning_rate(o$decay, learning_rate, epoch, o$decay_rate, o$time_interval)
    batches <- if (is.null(size)) list(NULL) else batch_columns(permutation(epoch), size)
    total <- 0
    for (cols in batches) {
      if (is.null(cols)) {
        Xb <- X
        Yb <- Y
      } else {
        Xb <- X_batch(cols)  # the one copy of X: the batch's columns
        Yb <- Y_batch(cols)
      }
      mb <- ncol(Xb)
      if (!is.null(draws)) masks <- draw_masks(draws, dims, mb, keep)
      A_prev <- Xb
      for (l in seq_len(L)) {
        Zl <- W[[l]] %*% A_prev + b[[l]]
        if (l < L) {
          A_prev <- g(Zl)
          D <- masks[[paste0("D", l)]]
          if (!is.null(D)) A_prev <- A_prev * D / keep[l]  # inverted dropout
        } else {
          A_prev <- sigmoid_forward_finite(Zl)
        }
        Z[[l]] <- Zl
        A[[l]] <- A_prev
      }
      total <- total + cost_sum(Z[[L]], Yb)
      if (lambd > 0) total <- total + (lambd / 2) * l2_sum(W)
      if (!is.finite(total)) {  # the epoch's cost cannot be finite: stop before this batch's update
        training_diverged(diverged_message(epoch, total / m, rate, X, updated), epoch, so_far(),
                          history(record[seq_len(k)], costs[seq_len(k)]))
      }
      step$begin()
      dZ <- A_prev - Yb
      for (l in L:1) {
        if (l < L) {
          D <- masks[[paste0("D", l)]]
          if (!is.null(D)) dA <- dA * D / keep[l]
          dZ <- g_backward(dA, Z[[l]])
        }
        dW <- tcrossprod(dZ, if (l == 1L) Xb else A[[l - 1L]]) / mb
        if (lambd > 0) dW <- dW + (lambd * W[[l]]) / mb
        db <- .rowSums(dZ, nrow(dZ), mb) / mb
        if (l > 1L) dA <- crossprod(W[[l]], dZ)  # before W[[l]] changes
        new <- step$update(l, W[[l]], b[[l]], dW, db, rate)
        W[[l]] <- new$W
        b[[l]] <- new$b
      }
      updated <- TRUE
    }
    cost <- total / m
    if (is_recorded[epoch + 1L]) {
      k <- k + 1L
      costs[k] <- cost
      if (!is.null(callback)) {
        options(caller_options)
        callback(epoch, cost)
        options(matprod = "blas")
      }
    }
  }
  list(parameters = so_far(), costs = costs)
}

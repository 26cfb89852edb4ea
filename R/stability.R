# Is a training run stable enough to be compared over many iterations?
# (docs/contract.md section 13; twin of python/twinnet/stability.py)
#
# Two correct implementations differ in the last bits of every matrix product
# (each BLAS, CPU and thread count sums in its own order). Over a long run
# these differences are carried along by the dynamics of gradient descent: a
# stable run keeps them at the level of rounding, an unstable one amplifies
# them until the two runs part. training_stability() measures that
# amplification directly.

# The relative size of the perturbation of the initial weights (2^-40, about 9.1e-13).
PERTURBATION <- 2^-40
# The unit roundoff of IEEE double precision (2^-53, about 1.1e-16).
UNIT_ROUNDOFF <- 2^-53
# Seed of the stream that gives the perturbation's signs.
SIGN_SEED <- 0

# The largest growth factor at which a run of `num_iterations` stays within
# `tolerance`: rounding differences of about one unit roundoff enter at every
# iteration; if none grows more than K-fold, the runs end at most about
# num_iterations * UNIT_ROUNDOFF * K apart. Stable: that is within the
# tolerance (contract section 13 says why that bound is itself pessimistic).
growth_limit <- function(num_iterations, tolerance = 1e-9) {
  tolerance / (num_iterations * UNIT_ROUNDOFF)
}

# Every weight times (1 + s * PERTURBATION), s = +1 or -1 from the portable
# stream (in parameter order, each matrix row by row); biases as they are.
perturbed <- function(parameters) {
  weights <- grep("^W", names(parameters))
  n <- sum(vapply(parameters[weights], length, 0L))
  signs <- ifelse(rng_uniform(n, SIGN_SEED) > 0.5, 1, -1)
  used <- 0
  for (k in names(parameters)[weights]) {
    v <- parameters[[k]]
    s <- matrix(signs[used + seq_len(length(v))], nrow = nrow(v), byrow = TRUE)
    used <- used + length(v)
    parameters[[k]] <- v * (1 + s * PERTURBATION)
  }
  parameters
}

# max|a - b| / max|a| (contract section 13).
relative <- function(a, b) {
  scale <- max(abs(a))
  if (scale > 0) max(abs(a - b)) / scale else max(abs(a - b))
}

# The iterations i >= 1 whose cost is above that of iteration i - 1.
rises <- function(costs) {
  which(costs[-1] > costs[-length(costs)])
}

# One line saying what was measured (the same words in both languages).
# `updates_per_epoch` (the optimiser path with mini-batches) counts the
# updates: `num_iterations` epochs of that many updates each.
stability_message <- function(stable, growth, limit, num_iterations, rises, updates_per_epoch = NULL) {
  shown <- paste0(paste(utils::head(rises, 5), collapse = ", "), if (length(rises) > 5) ", ..." else "")
  rose <- if (length(rises)) sprintf("cost rose at iterations %s (%d in all)", shown, length(rises)) else "cost never rose"
  over <- if (is.null(updates_per_epoch)) sprintf("%d iterations", as.integer(num_iterations)) else
    sprintf("%.0f updates (%d epochs of %d mini-batches)", as.double(num_iterations) * updates_per_epoch,
            as.integer(num_iterations), as.integer(updates_per_epoch))
  sprintf("this configuration is %s (%s; a %.2g relative perturbation of the initial weights grew %s-fold over %s, limit %s)",
          if (stable) "stable" else "unstable", rose, PERTURBATION, sprintf("%.3g", growth), over,
          sprintf("%.3g", limit))
}

#' Measure how much a training run amplifies rounding
#'
#' Trains with [L_layer_model()] twice, recording every cost: from the
#' initial parameters of `seed`, `scheme` and `stream`, and from the same parameters
#' with every weight multiplied by `1 + s * 2^-40` (`s = +1` or `-1`, from
#' `rng_uniform(n, 0) > 0.5`). The growth factor is
#' `max(d_cost, d_param) / 2^-40`, where `d_cost` is `max|c - c'| / max|c|`
#' over the two cost histories and `d_param` the same over the final
#' parameters taken as one vector. The run is stable for `tolerance` when
#' the growth factor is at most `tolerance / (T * 2^-53)`, T the number of
#' updates (`num_iterations`, or, with mini-batches, `num_iterations` epochs
#' times the batches of an epoch): then the rounding differences between two
#' correct implementations (any BLAS, CPU or thread count) stay within
#' `tolerance` (docs/contract.md section 13). The options after `tolerance`
#' are [L_layer_model()]'s (section 36), given to both runs: the dropout
#' masks and the mini-batches are the same in both. The Python twin gives the
#' same verdict.
#'
#' @inheritParams L_layer_model
#' @param tolerance `numeric(1)`, default `1e-9`. The tolerance the run is
#'   to be compared at (the contract's long-run tolerance).
#' @return A list: `stable` (logical), `growth`, `limit` (numeric), `rises`
#'   (the iterations whose cost rose, 0-based as in the cost history;
#'   informative: the cost of a stable run may oscillate), `message` (one
#'   line), `parameters` and `costs` (the unperturbed run, every iteration
#'   recorded).
#' @examples
#' d <- make_circles(200, seed = 3)
#' s <- training_stability(d$X, d$Y, c(2, 8, 4, 1), learning_rate = 0.1, num_iterations = 300)
#' s$stable
#' s$message
#' @export
training_stability <- function(X, Y, layer_dims, learning_rate = 0.0075, num_iterations = 2500, seed = 1,
                               hidden_activation = "relu", scheme = "xavier", solver = "auto",
                               stream = "portable", tolerance = 1e-9, lambd = 0, keep_prob = 1,
                               mini_batch_size = NULL, optimizer = "gd", beta = 0.9, beta1 = 0.9, beta2 = 0.999,
                               epsilon = 1e-8, decay = NULL, decay_rate = 1, time_interval = 1000,
                               mini_batch_seed = 10, dropout_seed = 1) {
  tolerance <- check_positive_finite(tolerance, "tolerance")
  run <- function(...) {
    L_layer_model(X, Y, layer_dims, learning_rate = learning_rate, num_iterations = num_iterations,
                  hidden_activation = hidden_activation, print_every = 1, solver = solver, stream = stream,
                  lambd = lambd, keep_prob = keep_prob, mini_batch_size = mini_batch_size, optimizer = optimizer,
                  beta = beta, beta1 = beta1, beta2 = beta2, epsilon = epsilon, decay = decay,
                  decay_rate = decay_rate, time_interval = time_interval, mini_batch_seed = mini_batch_seed,
                  dropout_seed = dropout_seed, ...)
  }
  fit <- run(seed = seed, scheme = scheme)
  fit2 <- run(parameters = perturbed(initialize_parameters(layer_dims, seed, scheme, stream)))
  c1 <- fit$costs$cost
  flat <- unlist(lapply(fit$parameters, as.vector), use.names = FALSE)
  flat2 <- unlist(lapply(fit2$parameters[names(fit$parameters)], as.vector), use.names = FALSE)
  growth <- max(relative(c1, fit2$costs$cost), relative(flat, flat2)) / PERTURBATION
  per_epoch <- if (is.null(mini_batch_size)) NULL else updates_per_epoch(ncol(X), mini_batch_size)
  limit <- growth_limit(length(c1) * (if (is.null(per_epoch)) 1 else per_epoch), tolerance)
  stable <- growth <= limit
  r <- rises(c1)
  list(stable = stable, growth = growth, limit = limit, rises = r,
       message = stability_message(stable, growth, limit, length(c1), r, per_epoch),
       parameters = fit$parameters, costs = fit$costs)
}

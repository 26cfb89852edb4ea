# Mirrors tests/test_minibatch.py and the minibatches / optimizer fixtures (R/minibatch.R).

test_that("random_mini_batches matches every minibatches fixture bit for bit", {
  skip_if_no_fixtures()
  for (fx in read_fixture_lists("minibatches", "^tn-.*\\.json$")) {
    c <- fx$config
    stream <- if (is.null(c$stream)) "portable" else c$stream
    b <- random_mini_batches(as_mat(fx$inputs$X), as_mat(fx$inputs$Y), c$mini_batch_size, c$seed, stream)
    expect_length(b, length(fx$expected$batches))
    for (k in seq_along(b)) {
      expect_bits(b[[k]]$X, as_mat(fx$expected$batches[[k]]$X), paste(fx$id, "batch", k, "X"))
      expect_bits(b[[k]]$Y, as_mat(fx$expected$batches[[k]]$Y), paste(fx$id, "batch", k, "Y"))
    }
    expect_identical(rng_permutation(ncol(as_mat(fx$inputs$X)), c$seed, stream) - 1L,
                     as.integer(fx$expected$permutation))
  }
})

test_that("the optimiser path matches every optimizer fixture within 1e-12, behind the stability guard", {
  skip_if_no_fixtures()
  for (fx in read_fixture_lists("optimizer", "^tn-.*\\.json$")) {
    c <- fx$config
    X <- as_mat(fx$inputs$X)
    Y <- as_mat(fx$inputs$Y)
    config <- c[setdiff(names(c), "layer_dims")]
    if (!is.null(config$keep_prob)) config$keep_prob <- unlist(config$keep_prob)
    do.call(expect_stable, c(list(X, Y, c$layer_dims, STEP_TOL), config))
    fit <- do.call(L_layer_model, c(list(X, Y, c$layer_dims), config))
    expect_identical(fit$costs$iteration, as.integer(fx$expected$costs$iteration))
    expect_close(fit$costs$cost, fx$expected$costs$cost, label = paste(fx$id, "epoch costs"))
    want <- unlist(lapply(fx$expected$parameters, function(x) as.vector(t(as_mat(x)))), use.names = FALSE)
    got <- unlist(lapply(names(fx$expected$parameters), function(k) as.vector(t(fit$parameters[[k]]))))
    expect_close(got, want, label = paste(fx$id, "trained parameters"))
  }
})

test_that("with no option the optimiser path is the full-batch loop", {
  d <- make_circles(40, seed = 4)
  for (act in c("relu", "tanh", "sigmoid", "leaky_relu")) {
    a <- L_layer_model(d$X, d$Y, c(2, 5, 3, 1), 0.2, 30, 3, act, print_every = 1, solver = "direct")
    o <- check_training_options(c(2L, 5L, 3L, 1L), 40L, "portable", 0, 1, NULL, "gd", 0.9, 0.9, 0.999,
                                          1e-8, NULL, 1, 1000, 10, 1)
    b <- train_minibatch(d$X, d$Y, initialize_parameters(c(2, 5, 3, 1), 3), 3L, 0.2, 30L, act, 0:29, NULL,
                                   o, options())
    expect_identical(a$costs$cost, b$costs, label = act)
    expect_equal(a$parameters, b$parameters, tolerance = 0, label = act)
  }
})

test_that("the loop is the course's model written with twinnet's functions", {
  d <- make_circles(25, seed = 6)
  dims <- c(2, 5, 4, 1)
  keep <- c(0.8, 0.6)
  fit <- L_layer_model(d$X, d$Y, dims, 0.05, 4, 2, "relu", "he", 1, stream = "numpy", lambd = 0.3, keep_prob = keep,
                       mini_batch_size = 7, optimizer = "adam", beta1 = 0.8, beta2 = 0.99, epsilon = 1e-7,
                       decay = "schedule_lr_decay", decay_rate = 0.5, time_interval = 2, mini_batch_seed = 3,
                       dropout_seed = 4)
  p <- initialize_parameters(dims, 2, "he", "numpy")
  st <- initialize_adam(p)
  v <- st$v
  s <- st$s
  t <- 0
  draws <- draw_stream(4L, "numpy")
  costs <- numeric(0)
  for (e in 0:3) {
    rate <- if (e == 0) 0.05 else schedule_lr_decay(0.05, e - 1, 0.5, 2)
    total <- 0
    for (batch in random_mini_batches(d$X, d$Y, 7, 3 + e + 1, "numpy")) {
      masks <- draw_masks(draws, dims, ncol(batch$X), keep)
      fwd <- L_model_forward(batch$X, p, "relu", keep, masks)
      ZL <- fwd$caches[[3]]$Z
      total <- total + sum(pmax(ZL, 0) - ZL * batch$Y + log1p(exp(-abs(ZL))))
      total <- total + (0.3 / 2) * (sum(p$W1 * p$W1) + sum(p$W2 * p$W2) + sum(p$W3 * p$W3))
      g <- L_model_backward(fwd$AL, batch$Y, fwd$caches, "relu", 0.3, keep)
      t <- t + 1
      u <- update_parameters_with_adam(p, g[!startsWith(names(g), "dA")], v, s, t, rate, 0.8, 0.99, 1e-7)
      p <- u$parameters
      v <- u$v
      s <- u$s
    }
    costs <- c(costs, total / 25)
  }
  expect_equal(fit$costs$cost, costs, tolerance = 1e-14)
  expect_equal(fit$parameters, p, tolerance = 1e-13)
})

test_that("the seeds of the epochs: numpy's seeded 256 epochs at a time, the same orders", {
  for (stream in c("portable", "numpy")) {
    perm <- epoch_permutations(37L, 10L, 600L, stream)
    for (e in c(0L, 1L, 255L, 256L, 257L, 599L)) {
      expect_identical(perm(e), rng_permutation(37, 10 + e + 1, stream), label = paste(stream, e))
    }
  }
  expect_identical(epoch_seed(2^31 - 1, 0), 0)
})

test_that("the history is per epoch, the gram solver refused, zeros symmetric", {
  d <- make_circles(40, seed = 7)
  seen <- list()
  fit <- L_layer_model(d$X, d$Y, c(2, 3, 1), 0.1, 12, print_every = 5, mini_batch_size = 8,
                       callback = function(i, cost) seen[[length(seen) + 1]] <<- c(i, cost))
  expect_identical(fit$costs$iteration, c(0L, 5L, 10L, 11L))
  expect_identical(do.call(rbind, seen)[, 2], fit$costs$cost)
  X <- matrix(rnorm(50 * 10), 50)
  expect_identical(choose_solver(X, c(50, 3, 1), 2500), "gram")
  expect_identical(choose_solver(X, c(50, 3, 1), 2500, optimizer = "adam"), "direct")
  expect_refused(L_layer_model(X, matrix(rep(0:1, 5), 1), c(50, 3, 1), solver = "gram", lambd = 0.1), "solver",
                 GRAM_PLAIN_ONLY)
  p <- expect_silent(L_layer_model(d$X, d$Y, c(2, 4, 3, 1), 0.5, 200, scheme = "zeros", hidden_activation = "sigmoid"))
  for (l in 1:3) {
    W <- p$parameters[[paste0("W", l)]]
    expect_equal(W, matrix(W[1, ], nrow(W), ncol(W), byrow = TRUE), tolerance = 1e-12)
  }
})

test_that("the optimiser path stops at the first non-finite cost (contract sections 8 and 36)", {
  d <- make_circles(40, seed = 1)
  e <- tryCatch(L_layer_model(d$X, d$Y, c(2, 4, 1), learning_rate = 1e300, num_iterations = 3, print_every = 1,
                              mini_batch_size = 8),
                twinnet_diverged = function(e) e)
  expect_s3_class(e, "twinnet_input_error")
  expect_match(conditionMessage(e), paste0("^`learning_rate`: expected a step small enough for the cost to stay ",
                                           "finite; got 1e\\+300: the cost of iteration 0 is"))
  expect_identical(e$iteration, 0L)
  expect_identical(nrow(e$costs), 0L)
  expect_setequal(names(e$parameters), c("W1", "b1", "W2", "b2"))
  big <- matrix(1.5e308, 2, 40)
  e <- tryCatch(L_layer_model(big, d$Y, c(2, 4, 1), learning_rate = 0.1, num_iterations = 2, seed = 2,
                              scheme = "random", mini_batch_size = 8, optimizer = "adam"),
                twinnet_diverged = function(e) e)
  expect_match(conditionMessage(e), "^`X`: expected values small enough for the cost to be finite")
})

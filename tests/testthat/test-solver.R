# The "gram" solver against the "direct" one (docs/contract.md, section "Solvers").
# The direct path is the contract's loop; gram must reproduce it within the
# long-run tolerance: costs within 1e-9 relative over 2500 iterations,
# identical predictions, final parameters within 1e-9 (max|a - b| / max|a|).

# RUN_TOL, rel_err() and expect_stable() are in helper-fixtures.R.

# m = 12 < n_x = 30, from the portable stream: the same X and Y as tests/test_solver.py.
small_data <- function() {
  list(X = matrix(rng_normal(30 * 12, 11), nrow = 30, byrow = TRUE),
       Y = matrix(as.numeric(rng_uniform(12, 12) > 0.5), nrow = 1))
}

expect_same_run <- function(direct, gram, X, act) {
  expect_identical(gram$costs$iteration, direct$costs$iteration)
  expect_close(gram$costs$cost, direct$costs$cost, RUN_TOL, label = "costs")
  expect_identical(names(gram$parameters), names(direct$parameters))
  for (key in names(direct$parameters)) {
    expect_close(gram$parameters[[key]], direct$parameters[[key]], RUN_TOL, label = key)
  }
  expect_identical(predict_class(X, gram$parameters, act), predict_class(X, direct$parameters, act))
}

test_that("the direct path is the contract's loop, to the last bit of every value", {
  # identical() takes -0 and 0 as equal: the training loop's relu' may give -0 (R/model.R)
  d <- small_data()
  for (act in c("relu", "tanh")) {
    p <- initialize_parameters(c(30, 5, 4, 1), 1)
    costs <- numeric(50)
    for (i in 1:50) {
      fwd <- L_model_forward(d$X, p, act)
      costs[i] <- compute_cost(fwd$AL, d$Y, fwd$caches[[3]]$Z)
      p <- update_parameters(p, L_model_backward(fwd$AL, d$Y, fwd$caches, act), 0.1)
    }
    fit <- L_layer_model(d$X, d$Y, c(30, 5, 4, 1), 0.1, 50, hidden_activation = act,
                         print_every = 1, solver = "direct")
    expect_identical(fit$costs$cost, costs)
    expect_identical(fit$parameters, p)
  }
})

test_that("the training loop's finite-input activations equal the public ones", {
  Z <- matrix(c(-3, -1e-300, -0, 0, 1e-300, 2, 40, -40, 800, -800), 2)
  dA <- matrix(c(1, -2, 3, -4, 5, -6, 7, -8, 9, -10), 2)
  expect_identical(relu_backward_finite(dA, Z), relu_backward(dA, Z))
  expect_identical(sigmoid_forward_finite(Z), sigmoid_forward(Z))
})

test_that("small products train on one BLAS thread, and the count is restored", {
  expect_identical(loop_threads(12288, 209, 20, "gram"), 1L)  # dZ1 G: 20 * 209^2 multiply-adds
  expect_null(loop_threads(12288, 209, 20, "direct"))  # W1 X: 20 * 12288 * 209
  expect_identical(loop_threads(2, 1000, 16, "direct"), 1L)  # the circles demo
  expect_null(loop_threads(3072, 21000, 7, "direct"))  # the Dogs-vs-Cats shape
  n_1 <- SMALL_PRODUCT %/% (100 * 100)
  expect_null(loop_threads(100, 100, n_1, "direct"))  # exactly SMALL_PRODUCT: not small
  expect_identical(loop_threads(100, 100, n_1 - 1, "direct"), 1L)
  outer <- blas_threads(2L)  # two threads around the calls (scripts/test.sh runs every BLAS on one)
  skip_if(is.null(outer), "this R's BLAS has no thread count to set")
  on.exit(blas_threads(outer), add = TRUE)
  before <- blas_threads(NA)
  d <- small_data()
  seen <- integer(0)
  fit <- L_layer_model(d$X, d$Y, c(30, 5, 1), 0.1, 3, print_every = 1,
                       callback = function(i, cost) seen <<- c(seen, blas_threads(NA)))
  expect_identical(seen, rep(1L, 3))
  expect_identical(blas_threads(NA), before)
  expect_error(L_layer_model(d$X, d$Y, c(30, 5, 1), 0.1, 3, callback = function(i, cost) stop("stop")), "stop")
  expect_identical(blas_threads(NA), before)  # also after an error
})

test_that("gram matches direct for every activation and depth, L = 1 included", {
  d <- small_data()
  for (dims in list(c(30, 1), c(30, 5, 1), c(30, 6, 4, 1), c(30, 5, 4, 3, 1))) {
    for (act in names(ACTIVATIONS)) {
      run <- function(solver) {
        L_layer_model(d$X, d$Y, dims, learning_rate = 0.1, num_iterations = 2500,
                      hidden_activation = act, print_every = 1, solver = solver)
      }
      expect_stable(d$X, d$Y, dims, learning_rate = 0.1, num_iterations = 2500, hidden_activation = act)
      direct <- run("direct")
      gram <- run("gram")
      expect_lt(direct$costs$cost[2500], 0.5 * direct$costs$cost[1])  # it really trains
      expect_same_run(direct, gram, d$X, act)
      expect_identical(run("auto")$costs, gram$costs)  # auto picks gram here
    }
  }
})

test_that("gram is exact also when m exceeds n_x", {
  d <- make_circles(200, seed = 3)
  expect_identical(choose_solver(d$X, c(2, 8, 4, 1), 2500), "direct")
  # learning rate 0.1: at 0.3 this run is unstable (contract section 13)
  expect_stable(d$X, d$Y, c(2, 8, 4, 1), learning_rate = 0.1, num_iterations = 2500)
  run <- function(solver) {
    L_layer_model(d$X, d$Y, c(2, 8, 4, 1), learning_rate = 0.1, num_iterations = 2500,
                  print_every = 10, solver = solver)
  }
  expect_same_run(run("direct"), run("gram"), d$X, "relu")
})

test_that("solver follows callback, default auto", {
  # solver came after callback; the later arguments stream and parameters follow it (contract section 8),
  # then the options of contract section 36
  f <- formals(L_layer_model)
  at <- match("callback", names(f))
  expect_identical(names(f)[at + 0:4], c("callback", "solver", "stream", "parameters", "lambd"))
  expect_identical(f$solver, "auto")
  expect_identical(SOLVERS, c("auto", "direct", "gram"))
})

test_that("the work model, by hand", {
  # n_x = 50, m = 10, n1 = 4, T = 1: direct 2*4*50*10 = 4000; gram 50*10*11/2 + 2*4*50*10 + 4*100 = 7150
  expect_identical(solver_work(50, 10, 4, 1), list(direct = 4000, gram = 7150))
  expect_identical(solver_work(50, 10, 4, 2500), list(direct = 1e7, gram = 1006750))
})

test_that("auto picks gram only when it pays", {
  X <- matrix(rng_normal(50 * 10, 2), nrow = 50, byrow = TRUE)
  expect_identical(choose_solver(X, c(50, 4, 1), 2500), "gram")
  expect_identical(choose_solver(X, c(50, 4, 1), 1), "direct")
  expect_identical(choose_solver(X, c(50, 4, 1), 2500, "direct"), "direct")
  expect_identical(choose_solver(X, c(50, 4, 1), 1, "gram"), "gram")
  expect_identical(choose_solver(t(X), c(10, 4, 1), 2500), "direct")
})

test_that("an unknown solver is refused, naming the argument", {
  d <- small_data()
  expect_error(L_layer_model(d$X, d$Y, c(30, 1), solver = "fast"),
               "`solver`: expected one of \"auto\", \"direct\", \"gram\"; got \"fast\"",
               fixed = TRUE, class = "twinnet_input_error")
  expect_error(choose_solver(d$X, c(30, 1), solver = NULL), "`solver`: expected one of",
               fixed = TRUE, class = "twinnet_input_error")
})

# Entries of 1e160: each X^T X entry is ~1e320, beyond DBL_MAX; W1 X and W1 stay finite.
overflow_case <- function() {
  d <- small_data()
  list(X = d$X * 1e160, Y = d$Y)
}

test_that("gram is refused when the Gram matrix could overflow", {
  d <- overflow_case()
  expect_false(all(is.finite(crossprod(d$X))))  # what gram would have to work with
  expect_error(L_layer_model(d$X, d$Y, c(30, 3, 1), learning_rate = 1e-300, num_iterations = 20,
                             solver = "gram"),
               "`solver`: expected \"auto\" or \"direct\": the Gram matrix X^T X of this X could overflow (n_x * max|X|^2 > DBL_MAX / 2); got \"gram\"",
               fixed = TRUE, class = "twinnet_input_error")
  expect_error(choose_solver(d$X, c(30, 3, 1), 2500, "gram"), class = "twinnet_input_error")
})

test_that("auto falls back to direct when the Gram matrix could overflow", {
  d <- overflow_case()
  expect_identical(choose_solver(d$X, c(30, 3, 1), 2500), "direct")
  run <- function(solver) {
    L_layer_model(d$X, d$Y, c(30, 3, 1), learning_rate = 1e-300, num_iterations = 20,
                  print_every = 1, solver = solver)
  }
  direct <- run("direct")
  expect_true(all(is.finite(direct$costs$cost)))
  expect_true(all(vapply(direct$parameters, function(p) all(is.finite(p)), logical(1))))
  expect_identical(run("auto"), direct)
})

test_that("the largest safe entry is accepted, the next one refused", {
  edge <- sqrt(.Machine$double.xmax / 2 / 30)
  X <- matrix(edge, 30, 4)
  expect_identical(choose_solver(X, c(30, 1), 10, "gram"), "gram")
  expect_true(all(is.finite(crossprod(X))))
  X[1, 1] <- edge * (1 + .Machine$double.eps)
  expect_error(choose_solver(X, c(30, 1), 10, "gram"), "could overflow", class = "twinnet_input_error")
})

test_that("the callback sees the same costs, under the caller's options", {
  d <- small_data()
  expect_stable(d$X, d$Y, c(30, 5, 1), learning_rate = 0.1, num_iterations = 300)
  seen <- list()
  for (s in c("direct", "gram")) {
    got <- list()
    L_layer_model(d$X, d$Y, c(30, 5, 1), 0.1, 300, print_every = 100, solver = s,
                  callback = function(i, cost) got[[length(got) + 1L]] <<- c(i, cost, getOption("matprod") == "default"))
    seen[[s]] <- do.call(rbind, got)
  }
  expect_identical(seen$gram[, 1], c(0, 100, 200, 299))
  expect_identical(seen$direct[, 1], c(0, 100, 200, 299))
  expect_close(seen$gram[, 2], seen$direct[, 2], RUN_TOL, label = "callback costs")
  expect_true(all(seen$gram[, 3] == 1))
  expect_identical(getOption("matprod"), "default")  # restored after training
})

test_that("gram matches direct on the cat/non-cat experiment", {
  cats <- load_catvnoncat(shared_data_or_skip("catvnoncat"))
  d <- list(X = cats$train_X, Y = cats$train_Y)
  dims <- c(12288, 20, 7, 5, 1)
  expect_identical(choose_solver(d$X, dims, 2500), "gram")
  expect_stable(d$X, d$Y, dims)
  # shared with tests/test_catvnoncat_experiment.py through r_run (helper-fixtures.R)
  direct <- r_run("catvnoncat-direct", d$X, d$Y, dims, solver = "direct")
  gram <- r_run("catvnoncat-gram", d$X, d$Y, dims, solver = "gram")
  expect_same_run(direct, gram, d$X, "relu")
  expect_gt(accuracy(d$X, d$Y, gram$parameters), 0.95)
})

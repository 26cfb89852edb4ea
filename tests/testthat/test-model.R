# Mirrors tests/test_fixtures.py (trajectories, predictions) and tests/test_handworked.py (R/model.R).

test_that("30-iteration trajectories, predictions and accuracy match every network fixture", {
  skip_if_no_fixtures()
  for (fx in read_fixtures("network")) {
    c <- fx$config
    X <- as_mat(fx$inputs$X)
    Y <- as_mat(fx$inputs$Y)
    expect_stable(X, Y, c$layer_dims, STEP_TOL, learning_rate = c$learning_rate, num_iterations = c$num_iterations,
                  seed = c$seed, hidden_activation = c$hidden_activation, scheme = c$scheme)
    fit <- L_layer_model(X, Y, c$layer_dims, c$learning_rate, c$num_iterations, c$seed,
                         c$hidden_activation, c$scheme, c$print_every)
    expect_identical(fit$costs$iteration, as.integer(fx$expected$costs$iteration))
    expect_close(fit$costs$cost, fx$expected$costs$cost, label = paste(fx$id, "costs"))
    p <- lapply(fx$expected$parameters, as_mat)
    expect_identical(predict_class(X, p, c$hidden_activation), matrix(as.integer(fx$expected$predictions), 1))
    expect_identical(accuracy(X, Y, p, c$hidden_activation), fx$expected$accuracy)
  }
})

test_that("the cost history keeps every print_every-th iteration and the last", {
  X <- matrix(c(0.5, -1, 2), 1)
  Y <- matrix(c(1, 0, 1), 1)
  its <- function(n, every) L_layer_model(X, Y, c(1, 1), 0.1, n, print_every = every)$costs$iteration
  expect_identical(its(250, 100), c(0L, 100L, 200L, 249L))
  expect_identical(its(201, 100), c(0L, 100L, 200L))
  expect_identical(its(1, 100), 0L)
  calls <- 0
  L_layer_model(X, Y, c(1, 1), 0.1, 5, print_every = 2, callback = function(i, cost) calls <<- calls + 1)
  expect_identical(calls, 3)
})

test_that("it learns the circles", {
  d <- make_circles(200, seed = 3)
  fit <- L_layer_model(d$X, d$Y, c(2, 8, 4, 1), learning_rate = 0.5, num_iterations = 1500, print_every = 500)
  expect_lt(fit$costs$cost[nrow(fit$costs)], fit$costs$cost[1] / 5)
  expect_gt(accuracy(d$X, d$Y, fit$parameters), 0.95)
})

test_that("bad training arguments are refused", {
  X <- matrix(c(0.1, 0.2, 0.3, 0.4), 2)
  Y <- matrix(c(0, 1), 1)
  expect_error(L_layer_model(X, Y, c(3, 1)), "`layer_dims`: expected a first entry equal to n_x = 2",
               class = "twinnet_input_error")
  expect_error(L_layer_model(X, matrix(c(0, 1, 1), 1), c(2, 1)), "`Y`: expected m = 2 columns",
               class = "twinnet_input_error")
  expect_error(L_layer_model(X, Y, c(2, 1), num_iterations = 0), "`num_iterations`", class = "twinnet_input_error")
  expect_error(L_layer_model(X, Y, c(2, 1), learning_rate = -1), "`learning_rate`", class = "twinnet_input_error")
})

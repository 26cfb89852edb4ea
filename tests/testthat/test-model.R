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
                         c$hidden_activation, c$scheme, c$print_every,
                         stream = if (is.null(c$stream)) "portable" else c$stream)
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

test_that("training from given parameters continues a run exactly", {
  d <- make_circles(60, seed = 2)
  dims <- c(2, 5, 3, 1)
  whole <- L_layer_model(d$X, d$Y, dims, 0.3, 20, seed = 4, print_every = 1, solver = "direct")
  half <- L_layer_model(d$X, d$Y, dims, 0.3, 10, seed = 4, print_every = 1, solver = "direct")
  rest <- L_layer_model(d$X, d$Y, dims, 0.3, 10, print_every = 1, solver = "direct", parameters = half$parameters)
  expect_identical(rest$costs$cost, whole$costs$cost[11:20])
  expect_identical(rest$parameters, whole$parameters)
  # the drawn parameters, given back, give the same run; seed, scheme and stream are then unused
  p0 <- initialize_parameters(dims, 4)
  again <- L_layer_model(d$X, d$Y, dims, 0.3, 20, seed = 99, scheme = "he", print_every = 1, solver = "direct",
                         stream = "numpy", parameters = p0)
  expect_identical(again$costs, whole$costs)
})

test_that("the course's initialisation is drawn with stream = \"numpy\"", {
  d <- make_circles(30, seed = 5)
  fit <- L_layer_model(d$X, d$Y, c(2, 3, 1), 0.1, 1, seed = 1, scheme = "scaled", stream = "numpy")
  p0 <- initialize_parameters(c(2, 3, 1), 1, "scaled", stream = "numpy")
  expect_identical(fit$costs$cost, compute_cost(NULL, d$Y, L_model_forward(d$X, p0)$caches[[2]]$Z))
})

test_that("given parameters that do not fit layer_dims are refused", {
  X <- matrix(c(0.1, 0.2, 0.3, 0.4, 0.5, 0.6), 2)
  Y <- matrix(c(0, 1, 1), 1)
  P <- initialize_parameters(c(2, 3, 1))
  expect_refused(L_layer_model(X, Y, c(2, 3, 3, 1), parameters = P), "parameters",
                 "the keys W1, b1, ..., W3, b3 of layer_dims (2, 3, 3, 1)")
  expect_refused(L_layer_model(X, Y, c(2, 3, 1), parameters = initialize_parameters(c(2, 4, 1))),
                 "parameters[\"W1\"]", "shape (3, 2) from layer_dims (2, 3, 1)")
  P$W2[1, 2] <- NaN
  expect_refused(L_layer_model(X, Y, c(2, 3, 1), parameters = P), "parameters[\"W2\"]",
                 "finite values (no NaN or Inf)")
})

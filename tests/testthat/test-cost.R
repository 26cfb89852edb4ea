# Mirrors tests/test_handworked.py and the cost of each fixture (R/cost.R).

test_that("cost matches every network fixture", {
  skip_if_no_fixtures()
  for (fx in read_fixtures("network")) {
    L <- length(fx$config$layer_dims) - 1
    ZL <- as_mat(fx$expected$forward[[paste0("Z", L)]])
    AL <- as_mat(fx$expected$forward[[paste0("A", L)]])
    expect_close(compute_cost(AL, as_mat(fx$inputs$Y), ZL), fx$expected$cost, label = fx$id)
  }
})

test_that("the cost from Z_L is finite where the textbook one is not", {
  ZL <- matrix(c(1000, -1000, 3), 1)
  Y <- matrix(c(0, 1, 1), 1)
  expect_close(compute_cost(sigmoid_forward(ZL), Y, ZL), (2000 + log1p(exp(-3))) / 3)
  expect_identical(compute_cost(sigmoid_forward(ZL), Y), Inf)
})

test_that("logistic regression by hand", {
  # X = [1, -2], W = 0.5, b = 0.25: Z = [0.75, -0.75]; cost = log(1 + exp(-0.75))
  X <- matrix(c(1, -2), 1)
  Y <- matrix(c(1, 0), 1)
  fwd <- L_model_forward(X, list(W1 = matrix(0.5), b1 = matrix(0.25)))
  expect_close(compute_cost(fwd$AL, Y), log1p(exp(-0.75)))
  expect_close(compute_cost(fwd$AL, Y, fwd$caches[[1]]$Z), log1p(exp(-0.75)))
  expect_error(compute_cost(fwd$AL, matrix(c(0.5, 1), 1)), "`Y`: expected values 0 or 1 only", class = "twinnet_input_error")
})

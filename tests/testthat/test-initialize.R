# Mirrors the initial-parameter checks of tests/test_fixtures.py (R/initialize.R).

test_that("initial parameters match every network fixture bit for bit", {
  skip_if_no_fixtures()
  for (fx in read_fixtures("network")) {
    c <- fx$config
    p <- initialize_parameters(c$layer_dims, c$seed, c$scheme, if (is.null(c$stream)) "portable" else c$stream)
    expect_identical(names(p), names(fx$expected$parameters))
    for (k in names(p)) expect_bits(p[[k]], as_mat(fx$expected$parameters[[k]]), paste(fx$id, k))
  }
})

test_that("schemes scale the same draws, filled row by row", {
  z <- rng_normal(3 * 2 + 2, 9)
  std <- initialize_parameters(c(3, 2, 1), 9, "standard")
  expect_identical(std$W1, matrix(z[1:6], nrow = 2, byrow = TRUE))
  expect_identical(std$W2, matrix(z[7:8], nrow = 1))
  expect_identical(initialize_parameters(c(3, 2, 1), 9, "scaled")$W1, std$W1 * 0.01)
  expect_identical(initialize_parameters(c(3, 2, 1), 9, "xavier")$W1, std$W1 / sqrt(3))
  expect_identical(initialize_parameters(c(3, 2, 1), 9, "he")$W2, std$W2 * sqrt(2 / 2))
  expect_identical(std$b1, matrix(0, 2, 1))
})

test_that("bad layer sizes and schemes are refused", {
  expect_error(initialize_parameters(c(2, 0, 1)), "`layer_dims`: expected whole numbers >= 1; got 0",
               class = "twinnet_input_error")
  expect_error(L_layer_model(matrix(1:4, 2), matrix(c(0, 1), 1), c(2, 2)), "an output layer of size 1",
               class = "twinnet_input_error")
  expect_error(initialize_parameters(c(2, 1), scheme = "glorot"), "`scheme`: expected one of", class = "twinnet_input_error")
})

test_that("any output size can be initialised, from either stream", {
  p <- initialize_parameters(c(5, 4, 3), seed = 3, scheme = "scaled", stream = "numpy")
  expect_identical(dim(p$W2), c(3L, 4L))
  expect_identical(p$b2, matrix(0, 3, 1))
  # the course's initialize_parameters_deep([5, 4, 3]): np.random.seed(3), then randn(4, 5), randn(3, 4), * 0.01
  z <- rng_normal(4 * 5 + 3 * 4, 3, stream = "numpy")
  expect_identical(p$W1, matrix(z[1:20], 4, byrow = TRUE) * 0.01)
  expect_identical(p$W2, matrix(z[21:32], 3, byrow = TRUE) * 0.01)
  expect_identical(dim(initialize_parameters(c(2, 2))$W1), c(2L, 2L))
})

# Mirrors tests/test_fixtures.py (backward) and tests/test_handworked.py (R/backward.R).

test_that("gradients match every network fixture", {
  skip_if_no_fixtures()
  for (fx in read_fixtures("network")) {
    c <- fx$config
    p <- lapply(fx$expected$parameters, as_mat)
    Y <- as_mat(fx$inputs$Y)
    fwd <- L_model_forward(as_mat(fx$inputs$X), p, c$hidden_activation)
    g <- L_model_backward(fwd$AL, Y, fwd$caches, c$hidden_activation)
    expected <- fx$expected$backward
    expect_setequal(names(g), grep("^dZ", names(expected), value = TRUE, invert = TRUE))
    for (k in names(g)) expect_close(g[[k]], as_mat(expected[[k]]), label = paste(fx$id, k))
  }
})

test_that("two-layer relu gradients worked out by hand", {
  X <- matrix(c(1, 3, 2, -1), nrow = 2)
  Y <- matrix(c(1, 0), 1)
  p <- list(W1 = matrix(c(1, 0.5, 0, -1), 2), b1 = matrix(c(0, 1), 2),
            W2 = matrix(c(1, -0.5), 1), b2 = matrix(-0.5, 1))
  s <- 1 / (1 + exp(-0.5))
  fwd <- L_model_forward(X, p, "relu")
  g <- L_model_backward(fwd$AL, Y, fwd$caches, "relu")
  expect_close(g$dW2, matrix(c(s / 2, 0.75), 1))
  expect_close(g$db2, matrix((s - 0.5) / 2))
  expect_close(g$dA1, matrix(c(s - 1, (1 - s) / 2, 0.5, -0.25), 2))
  expect_close(g$dW1, matrix(c(s / 2, -0.25, (3 * s - 3.5) / 2, 0.125), 2))
  expect_close(g$db1, matrix(c((s - 0.5) / 2, -0.125), 2))
  expect_null(g$dA0)
})

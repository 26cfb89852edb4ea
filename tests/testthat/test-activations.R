# Mirrors tests/test_handworked.py (R/activations.R).

sig <- function(z) 1 / (1 + exp(-z))

test_that("sigmoid never overflows", {
  A <- sigmoid_forward(matrix(c(-1000, -40, 0, 40, 1000), 1))
  expect_true(all(is.finite(A)))
  expect_identical(A[c(1, 3, 5)], c(0, 0.5, 1))
  expect_close(A[2], exp(-40) / (1 + exp(-40)))
})

test_that("derivatives at the kink and elsewhere", {
  Z <- matrix(c(-1, 0, 2), 1)
  dA <- matrix(3, 1, 3)
  expect_identical(relu_backward(dA, Z), matrix(c(0, 0, 3), 1))
  expect_close(leaky_relu_backward(dA, Z), matrix(c(0.03, 0.03, 3), 1))
  expect_close(leaky_relu_backward(dA, Z, 0.2), matrix(c(0.6, 0.6, 3), 1))
  expect_close(tanh_backward(dA, Z), 3 * (1 - base::tanh(Z)^2))
  expect_close(sigmoid_backward(dA, Z), 3 * sig(Z) * (1 - sig(Z)))
})

test_that("the table maps the contract's names, and base::tanh is not masked", {
  expect_named(ACTIVATIONS, c("sigmoid", "relu", "tanh", "leaky_relu"))
  expect_identical(ACTIVATIONS$relu$backward, relu_backward)
  expect_false("tanh" %in% getNamespaceExports("twinnet"))
  expect_false("predict" %in% getNamespaceExports("twinnet"))
})

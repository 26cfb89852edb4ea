# Mirrors tests/test_gradcheck.py (R/gradcheck.R).

test_that("central differences agree with backpropagation for every activation and depth", {
  dims <- list(c(4, 1), c(4, 3, 1), c(4, 5, 3, 1), c(4, 3, 3, 2, 1))
  set.seed(11)
  X <- matrix(rnorm(4 * 7), 4)
  Y <- matrix(c(1, 0, 1, 1, 0, 0, 1), 1)
  for (act in c("relu", "tanh", "sigmoid", "leaky_relu")) {
    for (L in 1:4) {
      p <- initialize_parameters(dims[[L]], seed = L, scheme = "standard")
      # Nonzero biases: with zero biases a dead layer puts the next Z exactly on the
      # relu kink, where the one-sided differences disagree and no check applies.
      for (l in seq_len(L)) p[[paste0("b", l)]][] <- rnorm(length(p[[paste0("b", l)]]), sd = 0.5)
      d <- gradient_check(X, Y, p, act)
      expect(d < 1e-7, sprintf("%s L=%d: relative difference %.3g", act, L, d))
    }
  }
})

test_that("a wrong gradient is caught", {
  X <- matrix(c(0.3, -1.2, 0.8, 0.5, 1.1, -0.4), 2)
  Y <- matrix(c(1, 0, 1), 1)
  p <- initialize_parameters(c(2, 3, 1), seed = 2, scheme = "standard")
  real <- backward_pass
  wrong <- function(...) {
    g <- real(...)
    g$dW1 <- g$dW1 * 0.5
    g
  }
  utils::assignInNamespace("backward_pass", wrong, "twinnet")
  withr::defer(utils::assignInNamespace("backward_pass", real, "twinnet"))
  expect_gt(gradient_check(X, Y, p, "tanh"), 1e-3)
})

test_that("with L2 the cost and the gradients agree on every activation (contract section 32)", {
  dims <- list(c(4, 1), c(4, 3, 1), c(4, 5, 3, 1))
  set.seed(12)
  X <- matrix(rnorm(4 * 7), 4)
  Y <- matrix(c(1, 0, 1, 1, 0, 0, 1), 1)
  for (act in c("relu", "tanh", "sigmoid", "leaky_relu")) {
    for (L in 1:3) {
      p <- initialize_parameters(dims[[L]], seed = L + 5, scheme = "standard")
      for (l in seq_len(L)) p[[paste0("b", l)]][] <- rnorm(length(p[[paste0("b", l)]]), sd = 0.5)
      d <- gradient_check(X, Y, p, act, 1e-7, lambd = 0.7)
      expect(d < 1e-7, sprintf("%s L=%d lambd=0.7: relative difference %.3g", act, L, d))
    }
  }
})

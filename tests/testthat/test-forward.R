# Mirrors tests/test_fixtures.py (forward) and tests/test_handworked.py (R/forward.R).

test_that("Z and A of every layer match every network fixture", {
  skip_if_no_fixtures()
  for (fx in read_fixtures("network")) {
    c <- fx$config
    X <- as_mat(fx$inputs$X)
    p <- lapply(fx$expected$parameters, as_mat)
    fwd <- L_model_forward(X, p, c$hidden_activation)
    L <- length(fwd$caches)
    for (l in seq_len(L)) {
      expect_close(fwd$caches[[l]]$Z, as_mat(fx$expected$forward[[paste0("Z", l)]]), label = paste(fx$id, "Z", l))
      A <- if (l == L) fwd$AL else fwd$caches[[l + 1]]$A_prev
      expect_close(A, as_mat(fx$expected$forward[[paste0("A", l)]]), label = paste(fx$id, "A", l))
    }
  }
})

test_that("a two-layer relu network worked out by hand", {
  X <- matrix(c(1, 3, 2, -1), nrow = 2)
  p <- list(W1 = matrix(c(1, 0.5, 0, -1), 2), b1 = matrix(c(0, 1), 2),
            W2 = matrix(c(1, -0.5), 1), b2 = matrix(-0.5, 1))
  # Z1 = [[1, 2], [-1.5, 3]], A1 = [[1, 2], [0, 3]], Z2 = [0.5, 0], A2 = [sig(0.5), 0.5]
  fwd <- L_model_forward(X, p, "relu")
  expect_close(fwd$caches[[1]]$Z, matrix(c(1, -1.5, 2, 3), 2))
  expect_close(fwd$caches[[2]]$A_prev, matrix(c(1, 0, 2, 3), 2))
  expect_close(fwd$AL, matrix(c(1 / (1 + exp(-0.5)), 0.5), 1))
  expect_identical(predict_class(X, p), matrix(c(1L, 0L), 1))
})

test_that("caches are named, one per layer", {
  fwd <- L_model_forward(matrix(1, 3, 2), initialize_parameters(c(3, 2, 2, 1)))
  expect_length(fwd$caches, 3)
  expect_named(fwd$caches[[1]], c("A_prev", "W", "b", "Z"))
})

test_that("bad X and parameters are refused", {
  p <- initialize_parameters(c(2, 3, 1))
  expect_error(L_model_forward(c(1, 2), p), "`X`: expected a 2-D numeric matrix", class = "twinnet_input_error")
  expect_error(L_model_forward(matrix(c(1, NaN), 2), p), "finite values", class = "twinnet_input_error")
  expect_error(L_model_forward(matrix(1, 2, 2), p[1:3]), "`parameters`: expected a mapping", class = "twinnet_input_error")
  expect_error(L_model_forward(matrix(1, 4, 2), p), "4 columns \\(the rows of X\\)", class = "twinnet_input_error")
  expect_error(L_model_forward(matrix(1, 2, 2), p, "softmax"), "`hidden_activation`", class = "twinnet_input_error")
})

test_that("forward propagation takes any output size; prediction keeps one", {
  X <- matrix(c(1, -2, 0.5, 3, 2, -1), 2)
  p <- initialize_parameters(c(2, 4, 3), seed = 7)
  fwd <- L_model_forward(X, p)
  expect_identical(dim(fwd$AL), c(3L, 3L))
  expect_identical(fwd$AL, sigmoid_forward(p$W2 %*% relu_forward(p$W1 %*% X + as.vector(p$b1)) + as.vector(p$b2)))
  expect_refused(predict_proba(X, p), "parameters[\"W2\"]", "1 row (the output layer)")
  expect_refused(L_model_backward(fwd$AL, matrix(c(0, 1, 1), 1), fwd$caches), "AL", "shape (1, 3), as Y")
})

# Mirrors tests/test_fixtures.py (update) and tests/test_handworked.py (R/update.R).

test_that("one update matches every network fixture", {
  skip_if_no_fixtures()
  for (fx in read_fixtures("network")) {
    p <- lapply(fx$expected$parameters, as_mat)
    g <- lapply(fx$expected$backward, as_mat)
    u <- update_parameters(p, g, fx$config$learning_rate)
    for (k in names(u)) expect_close(u[[k]], as_mat(fx$expected$updated_parameters[[k]]), label = paste(fx$id, k))
  }
})

test_that("W - alpha dW, and the caller's list is unchanged", {
  p <- list(W1 = matrix(c(1, 2), 1), b1 = matrix(3))
  u <- update_parameters(p, list(dW1 = matrix(c(0.5, -1), 1), db1 = matrix(2)), 0.1)
  expect_close(u$W1, matrix(c(0.95, 2.1), 1))
  expect_close(u$b1, matrix(2.8))
  expect_identical(p$W1, matrix(c(1, 2), 1))
  expect_error(update_parameters(p, list(dW1 = matrix(0, 1, 2)), 0.1), "`grads`: expected a mapping with db1",
               class = "twinnet_input_error")
  expect_error(update_parameters(p, list(), Inf), "`learning_rate`: expected a positive finite number",
               class = "twinnet_input_error")
})

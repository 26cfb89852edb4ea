# Mirrors tests/test_regularization.py and the regularized fixtures (R/regularization.R).

test_that("L2 and dropout match every regularized fixture: masks bit for bit, the rest within 1e-12", {
  skip_if_no_fixtures()
  for (fx in read_fixture_lists("regularized", "^tn-.*\\.json$")) {
    c <- fx$config
    e <- fx$expected
    X <- as_mat(fx$inputs$X)
    Y <- as_mat(fx$inputs$Y)
    stream <- if (is.null(c$stream)) "portable" else c$stream
    keep <- unlist(c$keep_prob)
    p <- initialize_parameters(c$layer_dims, c$seed, c$scheme, stream)
    for (k in names(e$parameters)) expect_bits(p[[k]], as_mat(e$parameters[[k]]), paste(fx$id, "initial", k))
    masks <- dropout_masks(c$layer_dims, ncol(X), keep, c$dropout_seed, stream)
    expect_setequal(as.character(names(masks)), as.character(names(e$masks)))
    for (k in names(e$masks)) expect_bits(masks[[k]], as_mat(e$masks[[k]]), paste(fx$id, "mask", k))
    fwd <- L_model_forward(X, p, c$hidden_activation, keep, if (length(masks)) masks else NULL)
    L <- length(fwd$caches)
    for (l in seq_len(L)) {
      expect_close(fwd$caches[[l]]$Z, as_mat(e$forward[[paste0("Z", l)]]), label = paste(fx$id, "Z", l))
      A <- if (l == L) fwd$AL else fwd$caches[[l + 1]]$A_prev
      expect_close(A, as_mat(e$forward[[paste0("A", l)]]), label = paste(fx$id, "A", l))
    }
    ZL <- fwd$caches[[L]]$Z
    expect_close(compute_cost_with_regularization(fwd$AL, Y, p, c$lambd, ZL), e$cost, label = paste(fx$id, "cost"))
    expect_close(compute_cost_with_regularization(fwd$AL, Y, p, c$lambd), e$cost_textbook,
                 label = paste(fx$id, "textbook cost"))
    g <- L_model_backward(fwd$AL, Y, fwd$caches, c$hidden_activation, c$lambd, keep)
    expect_setequal(names(g), names(e$backward))
    for (k in names(e$backward)) expect_close(g[[k]], as_mat(e$backward[[k]]), label = paste(fx$id, k))
  }
})

test_that("the L2 term and gradient, by hand", {
  p <- list(W1 = matrix(c(1, -2), 1), b1 = matrix(5), W2 = matrix(3), b2 = matrix(-7))
  AL <- matrix(c(0.8, 0.4), 1)
  Y <- matrix(c(1, 0), 1)
  # (1/m) (lambd/2) (1 + 4 + 9) = 1.75; the biases are not penalised
  expect_equal(compute_cost_with_regularization(AL, Y, p, 0.5), compute_cost(AL, Y) + 1.75, tolerance = 1e-15)
  X <- matrix(c(0.5, -1, 2), 1)
  q <- list(W1 = matrix(0.3), b1 = matrix(0.1))
  fwd <- L_model_forward(X, q)
  g0 <- L_model_backward(fwd$AL, matrix(c(1, 0, 1), 1), fwd$caches)
  g <- L_model_backward(fwd$AL, matrix(c(1, 0, 1), 1), fwd$caches, lambd = 0.6)
  expect_equal(g$dW1, g0$dW1 + 0.6 * 0.3 / 3, tolerance = 1e-15)
  expect_identical(g$db1, g0$db1)
})

test_that("inverted dropout, by hand: kept units over keep_prob, dropped ones 0; the mask reaches dA", {
  X <- matrix(c(1, 2), 1)
  p <- list(W1 = matrix(c(1, 2), 2), b1 = matrix(0, 2, 1), W2 = matrix(c(1, 1), 1), b2 = matrix(0))
  D <- matrix(c(1, 0, 0, 1), 2)
  fwd <- L_model_forward(X, p, "relu", 0.5, list(D1 = D))
  expect_identical(fwd$caches[[2]]$A_prev, matrix(c(2, 0, 0, 8), 2))
  expect_identical(fwd$caches[[1]]$D, D)
  g <- L_model_backward(fwd$AL, matrix(c(1, 0), 1), fwd$caches, "relu", keep_prob = 0.5)
  expect_identical(g$dA1, crossprod(p$W2, fwd$AL - matrix(c(1, 0), 1)) * D / 0.5)
})

test_that("the portable masks are R's runif, from one stream that continues", {
  u <- rng_uniform(4 * 6 + 3 * 6, 9)
  masks <- dropout_masks(c(5, 4, 3, 1), 6, c(0.5, 0.8), seed = 9)
  expect_identical(masks$D1, (matrix(u[1:24], 4, byrow = TRUE) < 0.5) * 1)
  expect_identical(masks$D2, (matrix(u[25:42], 3, byrow = TRUE) < 0.8) * 1)
  expect_identical(names(dropout_masks(c(5, 4, 3, 1), 6, c(1, 0.8), seed = 9)), "D2")  # keep_prob 1 draws nothing
  for (stream in c("portable", "numpy")) {
    s <- draw_stream(4L, stream)
    a <- s$uniform(20)
    b <- s$uniform(700)
    expect_identical(c(a, b), rng_uniform(720, 4, stream))
  }
  set.seed(42)
  x <- runif(2)
  set.seed(42)
  invisible(dropout_masks(c(3, 4, 1), 5, 0.5, 7))
  expect_identical(runif(2), x)  # the caller's stream is untouched
})

test_that("prediction never drops, and the masks are refused where they do not fit", {
  X <- matrix(c(0.1, 0.2, 0.3, 0.4, 0.5, 0.6), 2)
  p <- initialize_parameters(c(2, 3, 1), 1)
  expect_identical(predict_proba(X, p), L_model_forward(X, p)$AL)
  expect_refused(L_model_forward(X, p, keep_prob = 0.5), "masks",
                 "the masks D1 of the hidden layers with keep_prob < 1 (from dropout_masks()), n_l x m of 0/1 values")
  expect_refused(L_model_forward(X, p, keep_prob = 0.5, masks = list(D1 = matrix(1, 3, 2))), "masks[\"D1\"]",
                 "a 3 x 3 matrix of 0/1 values")
  expect_refused(L_layer_model(X, matrix(c(0, 1, 1), 1), c(2, 3, 1), keep_prob = 1.5), "keep_prob",
                 "a number in (0, 1], or 1 of them (one per hidden layer)")
})

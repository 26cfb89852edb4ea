# training_stability() (docs/contract.md section 13), without Python. The
# verdicts: the circles at learning rate 0.2 ([2, 10, 5, 1], relu, seed 5)
# were seen to end 2e-9 apart on Intel and AMD CPUs with AVX-512; at 0.1 the
# run is monotone. The limit is worked out by hand.

circles <- make_circles(400, seed = 11)

test_that("the limit, by hand", {
  # 1e-9 / (2500 * 2^-53) = 1e-9 * 9007199254740992 / 2500 = 3602.8797...
  expect_equal(growth_limit(2500), 3602.8797018963968, tolerance = 1e-15)
  expect_identical(PERTURBATION, 1 / 1099511627776)
})

test_that("the perturbation moves every weight by 2^-40, signs from the portable stream", {
  p <- initialize_parameters(c(3, 4, 2, 1), 7, "standard")
  q <- perturbed(p)
  signs <- ifelse(rng_uniform(12 + 8 + 2, 0) > 0.5, 1, -1)  # W1 4 x 3, W2 2 x 4, W3 1 x 2
  got <- unlist(lapply(c("W1", "W2", "W3"), function(k) as.vector(t(sign(q[[k]] - p[[k]]) * sign(p[[k]])))))
  expect_identical(got, signs)
  expect_identical(q$b1, p$b1)
})

test_that("rises, by hand", {
  expect_identical(rises(c(3, 2, 2.5, 1, 1.5, 1.5)), c(2L, 4L))
})

test_that("the unstable configuration is caught, the stable one passes and is the run itself", {
  bad <- training_stability(circles$X, circles$Y, c(2, 10, 5, 1), 0.2, 2500, seed = 5)
  expect_false(bad$stable)
  expect_gt(bad$growth, 100 * bad$limit)
  expect_match(bad$message, "^this configuration is unstable \\(cost rose at iterations ")
  good <- training_stability(circles$X, circles$Y, c(2, 10, 5, 1), 0.1, 2500, seed = 5)
  expect_true(good$stable)
  expect_identical(good$rises, integer(0))
  fit <- L_layer_model(circles$X, circles$Y, c(2, 10, 5, 1), 0.1, 2500, seed = 5, print_every = 1)
  expect_identical(good$costs, fit$costs)
  expect_identical(good$parameters, fit$parameters)
})

test_that("tolerance is checked", {
  expect_error(training_stability(circles$X, circles$Y, c(2, 1), tolerance = 0),
               "`tolerance`: expected a positive finite number; got 0", fixed = TRUE,
               class = "twinnet_input_error")
})

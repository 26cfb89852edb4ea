# Mirrors tests/test_rng.py and the rng fixtures (R/rng.R).

test_that("the stream matches every rng fixture bit for bit", {
  skip_if_no_fixtures()
  for (fx in read_fixtures("rng")) {
    c <- fx$config
    out <- rng_sample(c$seed, c$n_uniform, c$n_normal)
    expect_bits(out$uniform, as.double(fx$expected$uniform), paste(fx$id, "uniform"))
    expect_bits(out$normal, as.double(fx$expected$normal), paste(fx$id, "normal"))
    expect_equal(rng_permutation(c$n_uniform, c$seed), fx$expected$permutation + 1L)
  }
})

test_that("the stream is R's own runif and Box-Muller rnorm", {
  withr::local_seed(99)
  set.seed(42, kind = "Mersenne-Twister", normal.kind = "Box-Muller")
  u <- runif(5)
  z <- rnorm(7)
  expect_identical(rng_sample(42, 5, 7), list(uniform = u, normal = z))
})

test_that("the caller's random state is left as it was", {
  set.seed(3)
  before <- .Random.seed
  rng_normal(11, 1)
  initialize_parameters(c(3, 2, 1), seed = 4)
  expect_identical(.Random.seed, before)
  set.seed(3)
  try(with_portable_seed(1L, stop("boom")), silent = TRUE)
  expect_identical(.Random.seed, before)
})

test_that("seeds outside 0..2^31-1 are refused", {
  expect_error(rng_normal(3, -1), "`seed`: expected a whole number in 0..2147483647", class = "twinnet_input_error")
  expect_error(rng_normal(3, 2^31), class = "twinnet_input_error")
  expect_error(rng_normal(3, 1.5), class = "twinnet_input_error")
  expect_length(rng_normal(3, 2^31 - 1), 3)
})

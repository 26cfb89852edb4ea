# Mirrors tests/test_rng.py and the rng fixtures (R/rng.R).

test_that("the stream matches every rng fixture bit for bit", {
  skip_if_no_fixtures()
  for (fx in read_fixtures("rng")) {
    c <- fx$config
    stream <- if (is.null(c$stream)) "portable" else c$stream
    out <- rng_sample(c$seed, c$n_uniform, c$n_normal, stream)
    expect_bits(out$uniform, as.double(fx$expected$uniform), paste(fx$id, "uniform"))
    expect_bits(out$normal, as.double(fx$expected$normal), paste(fx$id, "normal"))
    expect_equal(rng_permutation(c$n_uniform, c$seed, stream), fx$expected$permutation + 1L)
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

test_that("numpy's stream, draw by draw, matches every numpy-stream fixture, state included", {
  skip_if_no_fixtures()
  fixtures <- read_fixture_lists("numpy-stream", "^tn-.*\\.json$")
  expect_gte(length(fixtures), 3)
  for (fx in fixtures) {
    state <- numpy_seed(fx$config$seed)
    for (k in seq_along(fx$expected$draws)) {
      d <- fx$expected$draws[[k]]
      out <- switch(d$draw, randn = numpy_randn(state, d$size), rand = numpy_rand(state, d$size),
                    permutation = numpy_permutation(state, d$size))
      label <- sprintf("%s draw %d (%s)", fx$id, k, d$draw)
      want <- d$values  # a matrix (JSON rows as rows) for a (rows, columns) size
      storage.mode(want) <- if (d$draw == "permutation") "integer" else "double"
      if (d$draw == "permutation") want <- want + 1L
      expect_bits(out$values, if (length(d$size) == 2L) want else as.vector(want), label)
      state <- out$state
      expect_identical(c(state$pos, state$has_gauss), as.integer(c(d$pos, d$has_gauss)), label = label)
      expect_identical(state$gauss, d$gauss, label = label)
    }
    expect_identical(state$key, as.double(fx$expected$key), label = paste(fx$id, "key"))
  }
})

test_that("numpy's stream is numpy's: worked values of np.random.seed(1)", {
  # numpy's documented legacy values: np.random.seed(1); np.random.randn(3) and np.random.rand(2)
  # (printed by the course's W4A1 notebook as W1 * 100 = 1.62434536, -0.61175641, -0.52817175)
  expect_equal(rng_normal(3, 1, stream = "numpy"), c(1.62434536, -0.61175641, -0.52817175), tolerance = 1e-8)
  s <- numpy_seed(1)
  expect_identical(s$pos, 624L)
  expect_identical(s$key[1:3], c(1, 1812433254, 3713160357))  # init_genrand(1), MT19937's reference seeding
  a <- numpy_randn(s, 3)
  expect_identical(a$state$has_gauss, 1L)  # an odd count caches the pair's second normal
  b <- numpy_randn(a$state, 1)
  expect_identical(b$values, a$state$gauss)
  expect_identical(b$state$pos, a$state$pos)  # served from the cache: no words drawn
  expect_identical(numpy_randn(s, c(2, 2))$values, matrix(rng_normal(4, 1, stream = "numpy"), 2, byrow = TRUE))
})

test_that("numpy's stream leaves the caller's random state as it was", {
  set.seed(3)
  before <- .Random.seed
  z <- numpy_randn(numpy_seed(1), 1001)
  numpy_permutation(z$state, 50)
  initialize_parameters(c(3, 2, 1), seed = 4, stream = "numpy")
  make_circles(10, stream = "numpy")
  train_test_split_indices(10, stream = "numpy")
  expect_identical(.Random.seed, before)
})

test_that("bad numpy states, sizes and streams are refused", {
  s <- numpy_seed(1)
  msg <- "a numpy stream state from numpy_seed() (key, pos, has_gauss, gauss)"
  expect_refused(numpy_randn(list(key = 1:3), 3), "state", msg)
  expect_refused(numpy_randn(replace(s, "pos", 625L), 3), "state", msg)
  expect_refused(numpy_rand(replace(s, "key", list(s$key[-1])), 3), "state", msg)
  expect_refused(numpy_randn(s, -1), "size", "a whole number >= 0 or two of them (rows, columns)")
  expect_refused(numpy_permutation(s, 2.5), "n", "a whole number >= 0")
  expect_refused(rng_sample(1, 2, 2, stream = "mt"), "stream", "one of \"portable\", \"numpy\"")
  expect_refused(numpy_seed(2^31), "seed", "a whole number in 0..2147483647")
})

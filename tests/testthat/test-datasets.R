# Mirrors the circles fixtures (R/datasets.R).

test_that("make_circles matches every circles fixture bit for bit", {
  skip_if_no_fixtures()
  for (fx in read_fixtures("circles")) {
    c <- fx$config
    d <- make_circles(c$n_samples, c$noise, c$factor, c$seed, if (is.null(c$stream)) "portable" else c$stream)
    expect_bits(d$X, as_mat(fx$expected$X), paste(fx$id, "X"))
    expect_bits(d$Y, as_mat(fx$expected$Y), paste(fx$id, "Y"))
  }
})

test_that("circles: shapes, labels and radii", {
  d <- make_circles(101, noise = 0, factor = 0.5, seed = 2)
  expect_identical(dim(d$X), c(2L, 101L))
  expect_equal(sum(d$Y == 0), 50)
  r <- sqrt(colSums(d$X^2))
  expect_equal(r[d$Y == 0], rep(1, 50), tolerance = 1e-15)
  expect_equal(r[d$Y == 1], rep(0.5, 51), tolerance = 1e-15)
  expect_error(make_circles(1), "`n_samples`: expected a whole number >= 2", class = "twinnet_input_error")
})

test_that("make_moons matches every moons fixture bit for bit", {
  skip_if_no_fixtures()
  for (fx in read_fixtures("moons")) {
    c <- fx$config
    d <- make_moons(c$n_samples, c$noise, c$seed, if (is.null(c$stream)) "portable" else c$stream)
    expect_bits(d$X, as_mat(fx$expected$X), paste(fx$id, "X"))
    expect_bits(d$Y, as_mat(fx$expected$Y), paste(fx$id, "Y"))
  }
})

test_that("moons: shapes, labels and the half circles", {
  d <- make_moons(101, noise = 0, seed = 2)
  expect_identical(dim(d$X), c(2L, 101L))
  expect_equal(sum(d$Y == 0), 50)
  upper <- d$X[, d$Y == 0]
  expect_equal(colSums(upper^2), rep(1, 50), tolerance = 1e-15)
  lower <- d$X[, d$Y == 1]
  expect_equal((lower[1, ] - 1)^2 + (lower[2, ] - 0.5)^2, rep(1, 51), tolerance = 1e-15)
  expect_refused(make_moons(10, noise = -1), "noise", "a finite number >= 0")
})

# HDF5 loading, feature statistics and the portable split (docs/contract.md sections 14 and 15).

write_small_h5 <- function() {
  path <- tempfile(fileext = ".h5")
  f <- hdf5r::H5File$new(path, mode = "w")
  # numpy shape (3, 2, 2, 3) is hdf5r's c(3, 2, 2, 3) reversed: x[c, w, h, i] = 100 i + 10 h + 3 w + c
  x <- array(0L, c(3, 2, 2, 3))
  for (i in 0:2) for (h in 0:1) for (w in 0:1) for (cc in 0:2) x[cc + 1, w + 1, h + 1, i + 1] <- 100L * i + 10L * h + 3L * w + cc
  f[["x"]] <- x
  f[["y"]] <- c(0L, 1L, 1L)
  f[["y_short"]] <- c(0L, 1L)
  f[["y_bad"]] <- c(0L, 2L, 1L)
  f$close_all()
  path
}

test_that("load_h5_dataset flattens each example in numpy's C order of (h, w, c)", {
  path <- write_small_h5()
  d <- load_h5_dataset(path, "x", "y", scale = 1)
  expect_equal(dim(d$X), c(12L, 3L))
  for (i in 0:2) for (h in 0:1) for (w in 0:1) for (cc in 0:2) {
    expect_identical(d$X[(h * 2 + w) * 3 + cc + 1, i + 1], 100 * i + 10 * h + 3 * w + cc)
  }
  expect_identical(d$Y, matrix(c(0, 1, 1), nrow = 1))
  d255 <- load_h5_dataset(path, "x", "y")
  expect_identical(d255$X[6, 3], (200 + 3 + 2) / 255)
})

test_that("load_h5_dataset refuses bad input", {
  path <- write_small_h5()
  text <- tempfile(fileext = ".txt")
  writeLines("not HDF5", text)
  listing <- "the name of a dataset in the file (one of \"x\", \"y\", \"y_bad\", \"y_short\")"
  expect_refused(load_h5_dataset(tempfile(), "x", "y"), "path", "an existing HDF5 file")
  expect_refused(load_h5_dataset(text, "x", "y"), "path", "an existing HDF5 file")
  expect_refused(load_h5_dataset(path, "train_set_x", "y"), "x_key", listing)
  expect_refused(load_h5_dataset(path, "x", "nope"), "y_key", listing)
  expect_refused(load_h5_dataset(path, "x", "y_short"), "y_key", "3 labels, one per example of `x_key`")
  expect_refused(load_h5_dataset(path, "x", "y_bad"), "y_key", "labels 0 or 1 only")
  expect_refused(load_h5_dataset(path, "x", "y", scale = -1), "scale", "a positive finite number")
})

test_that("feature_stats: population sd, a zero sd becomes 1 (worked by hand)", {
  X <- rbind(c(0, 255, 0, 255), c(10, 10, 10, 10), c(1, 2, 3, 4))
  st <- feature_stats(X)
  expect_identical(st$mean, matrix(c(127.5, 10, 2.5), ncol = 1))
  expect_identical(st$sd, matrix(c(127.5, 1, sqrt(1.25)), ncol = 1))
})

test_that("train_test_split_indices follows the rule of section 15", {
  cases <- list(c(2000, 0.15, 300), c(25000, 0.15, 3750), c(10, 0.3, 3), c(7, 0.5, 4), c(2, 0.15, 1), c(209, 0.15, 31))
  for (cs in cases) {
    s <- train_test_split_indices(cs[1], cs[2], seed = 5)
    expect_length(s$test, cs[3])
    expect_identical(c(s$train, s$test), rng_permutation(cs[1], 5))
  }
  expect_refused(train_test_split_indices(1), "m", "a whole number >= 2")
  expect_refused(train_test_split_indices(10, 0), "test_fraction", "a number in (0, 1)")
  expect_refused(train_test_split_indices(10, 1), "test_fraction", "a number in (0, 1)")
})

test_that("load_catvnoncat refuses a missing folder or file", {
  expect_refused(load_catvnoncat(tempfile()), "folder",
                 "an existing folder holding train_catvnoncat.h5 and test_catvnoncat.h5")
  empty <- tempfile()
  dir.create(empty)
  expect_refused(load_catvnoncat(empty), "folder",
                 "an existing folder holding train_catvnoncat.h5 and test_catvnoncat.h5")
})

test_that("the cat / non-cat files load in the documented layout", {
  folder <- shared_data_or_skip("catvnoncat")
  d <- load_catvnoncat(folder)
  expect_equal(dim(d$train_X), c(12288L, 209L))
  expect_equal(dim(d$test_X), c(12288L, 50L))
  expect_equal(dim(d$train_Y), c(1L, 209L))
  expect_identical(d$classes, c("non-cat", "cat"))
  # the first pixel of the first training image, as h5py reads it: (17, 31, 56)
  expect_identical(d$train_X[1:3, 1] * 255, c(17, 31, 56))
  f <- hdf5r::H5File$new(file.path(folder, "train_catvnoncat.h5"), mode = "r")
  raw <- f[["train_set_x"]]$read()  # c(3, 64, 64, 209): [c, w, h, i]
  f$close_all()
  for (i in c(1, 77, 209)) for (h in c(0, 31, 63)) for (w in c(0, 40, 63)) for (cc in 0:2) {
    expect_identical(d$train_X[(h * 64 + w) * 3 + cc + 1, i], raw[cc + 1, w + 1, h + 1, i] / 255)
  }
  s <- load_catvnoncat(folder, standardize = TRUE)
  expect_lt(max(abs(rowMeans(s$train_X))), 1e-12)
  pop_sd <- sqrt(rowMeans(s$train_X^2) - rowMeans(s$train_X)^2)
  expect_lt(max(abs(pop_sd - 1)), 1e-12)
})

test_that("the split can shuffle with numpy's permutation", {
  s <- train_test_split_indices(20, 0.25, seed = 3, stream = "numpy")
  perm <- numpy_permutation(numpy_seed(3), 20)$values
  expect_identical(s$train, perm[1:15])
  expect_identical(s$test, perm[16:20])
  expect_refused(train_test_split_indices(10, stream = "Numpy"), "stream", "one of \"portable\", \"numpy\"")
})

# Real data sets: HDF5 loading, feature standardisation, the portable split
# (docs/contract.md sections 14 and 15; twin of python/twinnet/data.py).
#
# hdf5r shows an h5py-written array of shape (m, H, W, 3) with its dimensions
# reversed, c(3, W, H, m): R's column-major order then walks channel fastest,
# then width, then height -- exactly numpy's C order of (H, W, 3) -- so
# `dim(x) <- c(n_x, m)` gives the columns the Python twin gets from
# `x.reshape(m, -1).T`, with no copy and no aperm().

CATVNONCAT_FILES <- c("train_catvnoncat.h5", "test_catvnoncat.h5")
H5_KEYS <- c("train_set_x", "train_set_y", "test_set_x", "test_set_y", "list_classes")

# What a data file must be (the same words in Python).
H5_EXPECTED <- "an existing HDF5 file"

h5_dataset <- function(f, key, arg) {
  if (!is.character(key) || length(key) != 1L || is.na(key)) {
    input_error(arg, "the name of a dataset in the file", describe(key))
  }
  state <- h5_link_state(f, key)
  if (state != "dataset") {
    listing <- paste0("\"", h5_datasets(f), "\"", collapse = ", ")
    extra <- switch(state, "broken link" = " (a broken link)", group = " (a group)", other = " (not a dataset)", "")
    input_error(arg, sprintf("the name of a dataset in the file (one of %s)", listing), paste0(describe(key), extra))
  }
  f[[key]]
}

h5_numeric <- function(ds) as.character(ds$get_type()$get_class()) %in% c("H5T_INTEGER", "H5T_FLOAT")

# Examples and labels of one open file; X divided by `scale`. `labels` name the
# two datasets in error messages (the arguments, or the dataset names).
read_xy <- function(f, x_key, y_key, scale, labels = c("x_key", "y_key"), scope = NULL) {
  xl <- labels[1]
  yl <- labels[2]
  own <- is.null(scope)
  if (own) {
    scope <- h5_scope()
    on.exit(h5_close(scope), add = TRUE)
  }
  dx <- h5_keep(scope, h5_dataset(f, x_key, xl))
  dy <- h5_keep(scope, h5_dataset(f, y_key, yl))
  dims <- rev(dx$dims)  # numpy's shape
  if (!h5_numeric(dx) || length(dims) < 1L || dims[1] < 1) {
    input_error(xl, "a numeric dataset with the examples along its first axis",
                sprintf("a dataset of class %s and shape %s", as.character(dx$get_type()$get_class()),
                        shape_str(dims)))
  }
  if (!h5_numeric(dy)) {
    input_error(yl, "a numeric dataset of 0/1 labels",
                sprintf("a dataset of class %s", as.character(dy$get_type()$get_class())))
  }
  m <- dims[1]
  ny <- prod(dy$dims)
  if (ny != m) input_error(yl, sprintf("%d labels, one per example of `%s`", m, xl), sprintf("%d values", ny))
  check_memory(dataset_need(prod(as.double(dims))), xl, sprintf("a dataset of shape %s", shape_str(dims)))
  X <- dx$read()
  dim(X) <- c(length(X) / m, m)
  storage.mode(X) <- "double"
  finite <- is.finite(X)
  if (!all(finite)) input_error(xl, "finite values (no NaN or Inf)", sprintf("%d non-finite value(s)", sum(!finite)))
  rm(finite)
  if (scale != 1) X <- X / scale
  Y <- matrix(as.double(dy$read()), nrow = 1L)
  bad <- is.na(Y) | !(Y %in% c(0, 1))
  if (any(bad)) {
    input_error(yl, "labels 0 or 1 only", sprintf("%d other value(s), e.g. %s", sum(bad), format(Y[bad][1], digits = 17)))
  }
  list(X = X, Y = Y)
}

#' Load examples and labels from an HDF5 file
#'
#' Reads the dataset `x_key` (examples along its first axis, as h5py writes
#' them) and the dataset `y_key` (`m` labels 0/1) of an HDF5 file with
#' hdf5r. Each example is flattened in numpy's C order of its axes (for an
#' image, height, width, channel), so that `X` is bit-identical to what the
#' Python twin returns for the same file.
#'
#' @param path `character(1)`, no default. An HDF5 file.
#' @param x_key `character(1)`, no default. The examples, e.g. `"train_set_x"`.
#' @param y_key `character(1)`, no default. The labels, e.g. `"train_set_y"`.
#' @param scale `numeric(1)`, default `255`. `X` is the stored values divided
#'   by `scale` (1 keeps the raw values).
#' @return `list(X, Y)`: `X` an `n_x x m` numeric matrix, `Y` a `1 x m`
#'   numeric matrix.
#' @examples
#' f <- tempfile(fileext = ".h5")
#' h5 <- hdf5r::H5File$new(f, mode = "w")
#' h5[["x"]] <- array(0:23, dim = c(3, 2, 2, 2))   # numpy shape (2, 2, 2, 3)
#' h5[["y"]] <- c(0L, 1L)
#' h5$close_all()
#' d <- load_h5_dataset(f, "x", "y", scale = 1)
#' dim(d$X)
#' d$Y
#' @export
load_h5_dataset <- function(path, x_key, y_key, scale = 255) {
  scale <- check_positive_finite(scale, "scale")
  scope <- h5_scope()
  on.exit(h5_close(scope), add = TRUE)
  f <- h5_keep(scope, open_h5(path, "path", H5_EXPECTED))
  read_xy(f, x_key, y_key, scale, scope = scope)
}

#' Per-feature mean and standard deviation
#'
#' The mean and the population standard deviation of every row of `X`,
#' computed as `mean = s1 / m`, `sd = sqrt(max(m * s2 - s1^2, 0) / m^2)` from
#' the row sums `s1` and `s2` of `X` and `X^2`; a zero sd becomes 1. For
#' integer-valued `X` (raw pixels) every sum is exact, so the result is
#' bit-identical to the Python twin's.
#'
#' @param X `numeric matrix`, no default. `n_x x m`.
#' @return `list(mean, sd)`: two `n_x x 1` numeric matrices.
#' @examples
#' X <- matrix(c(0, 255, 10, 10, 20, 30), nrow = 2, byrow = TRUE)
#' feature_stats(X)
#' @export
feature_stats <- function(X) {
  X <- check_matrix(X, "X")
  m <- ncol(X)
  s1 <- rowSums(X)
  s2 <- rowSums(X * X)
  num <- pmax(m * s2 - s1 * s1, 0)
  sd <- sqrt(num / (as.double(m) * as.double(m)))
  sd[sd == 0] <- 1
  list(mean = matrix(s1 / m, ncol = 1L), sd = matrix(sd, ncol = 1L))
}

h5_missing_key <- function(path, keys) {
  scope <- h5_scope()
  on.exit(h5_close(scope), add = TRUE)
  f <- h5_keep(scope, open_h5(path, "path", H5_EXPECTED))
  for (k in keys) if (h5_link_state(f, k) != "dataset") return(k)
  NULL
}

load_pair <- function(train_path, test_path, standardize) {
  scale <- if (standardize) 1 else 255
  read_file <- function(path, keys, with_classes) {
    scope <- h5_scope()
    on.exit(h5_close(scope), add = TRUE)
    f <- h5_keep(scope, open_h5(path, "path", H5_EXPECTED))
    out <- read_xy(f, keys[1], keys[2], scale, labels = keys, scope = scope)
    if (with_classes) {
      classes <- as.character(h5_keep(scope, f[[H5_KEYS[5]]])$read())
      Encoding(classes) <- "UTF-8"
      out$classes <- classes
    }
    out
  }
  train <- read_file(train_path, H5_KEYS[1:2], TRUE)
  test <- read_file(test_path, H5_KEYS[3:4], FALSE)
  if (nrow(test$X) != nrow(train$X)) {
    input_error(H5_KEYS[3], sprintf("examples of n_x = %d values, as in `%s`", nrow(train$X), H5_KEYS[1]),
                sprintf("%d values", nrow(test$X)))
  }
  if (standardize) {
    st <- feature_stats(train$X)
    train$X <- (train$X - as.vector(st$mean)) / as.vector(st$sd)
    test$X <- (test$X - as.vector(st$mean)) / as.vector(st$sd)
  }
  list(train_X = train$X, train_Y = train$Y, test_X = test$X, test_Y = test$Y, classes = train$classes)
}

#' Load the cat / non-cat data set
#'
#' Reads `train_catvnoncat.h5` and `test_catvnoncat.h5` from `folder` (the
#' datasets `train_set_x`, `train_set_y`, `list_classes`, `test_set_x`,
#' `test_set_y`) into the matrices the models take, bit-identical to the
#' Python twin.
#'
#' @param folder `character(1)`, no default. The folder holding both files.
#' @param standardize `logical(1)`, default `FALSE`. `FALSE`: pixels divided
#'   by 255 (the course's scaling). `TRUE`: every feature centred and divided
#'   by the training set's mean and population sd ([feature_stats()] of the
#'   raw training pixels), applied unchanged to the test set.
#' @return A list with `train_X` (`12288 x 209`), `train_Y` (`1 x 209`),
#'   `test_X` (`12288 x 50`), `test_Y` (`1 x 50`) and `classes` (the class
#'   names; label `i` is `classes[i + 1]`).
#' @examples
#' folder <- file.path("..", "shared", "data", "catvnoncat")
#' if (dir.exists(folder)) {
#'   d <- load_catvnoncat(folder)
#'   dim(d$train_X)
#'   d$classes
#' }
#' @export
load_catvnoncat <- function(folder, standardize = FALSE) {
  expected <- "an existing folder holding train_catvnoncat.h5 and test_catvnoncat.h5"
  folder <- check_folder(folder, "folder", expected)
  standardize <- check_flag(standardize, "standardize")
  paths <- file.path(folder, CATVNONCAT_FILES)
  for (p in paths) {
    if (path_kind(p)[1] == "missing") input_error("folder", expected, sprintf("\"%s\", without %s", folder, basename(p)))
    check_h5_file(p, "folder", expected)
  }
  expected <- paste0("train_catvnoncat.h5 with the datasets \"train_set_x\", \"train_set_y\", \"list_classes\" ",
                     "and test_catvnoncat.h5 with \"test_set_x\", \"test_set_y\"")
  keys <- list(H5_KEYS[c(1, 2, 5)], H5_KEYS[3:4])
  for (i in 1:2) {
    missing <- h5_missing_key(paths[i], keys[[i]])
    if (!is.null(missing)) input_error("folder", expected, sprintf("no dataset \"%s\" in %s", missing, basename(paths[i])))
  }
  load_pair(paths[1], paths[2], standardize)
}

#' Load an HDF5 file in the cat / non-cat layout
#'
#' One file holding `train_set_x`, `train_set_y`, `test_set_x`, `test_set_y`
#' and `list_classes`, as [convert_image_folder()] writes it. Scaling as in
#' [load_catvnoncat()].
#'
#' @param path `character(1)`, no default. The HDF5 file.
#' @param standardize `logical(1)`, default `FALSE`. See [load_catvnoncat()].
#' @return A list with `train_X`, `train_Y`, `test_X`, `test_Y`, `classes`.
#' @examples
#' src <- file.path(tempdir(), "pets")
#' for (k in c("Cat", "Dog")) dir.create(file.path(src, k), recursive = TRUE, showWarnings = FALSE)
#' for (i in 1:4) {
#'   png::writePNG(array(runif(300), c(10, 10, 3)), file.path(src, "Cat", paste0(i, ".png")))
#'   png::writePNG(array(runif(300), c(10, 10, 3)), file.path(src, "Dog", paste0(i, ".png")))
#' }
#' dest <- file.path(tempdir(), "pets.h5")
#' convert_image_folder(src, dest, size = 8, verbose = FALSE)
#' d <- load_image_set(dest)
#' dim(d$train_X)
#' @export
load_image_set <- function(path, standardize = FALSE) {
  standardize <- check_flag(standardize, "standardize")
  path <- check_h5_file(path, "path", H5_EXPECTED)
  missing <- h5_missing_key(path, H5_KEYS)
  if (!is.null(missing)) {
    input_error("path", paste0("an HDF5 file with the datasets \"train_set_x\", \"train_set_y\", ",
                               "\"test_set_x\", \"test_set_y\", \"list_classes\""),
                sprintf("no dataset \"%s\"", missing))
  }
  load_pair(path, path, standardize)
}

split_sizes <- function(m, test_fraction) {
  n_test <- floor(m * test_fraction + 0.5)
  n_test <- min(max(n_test, 1), m - 1)
  c(n_train = m - n_test, n_test = n_test)
}

#' A portable seeded train / test split
#'
#' `perm <- rng_permutation(m, seed, stream)`; `n_test = floor(m *
#' test_fraction + 0.5)`, kept within 1..m-1; the training set is the first
#' `m - n_test` entries of `perm`, the test set the rest, both in that
#' (shuffled) order. The Python twin returns the same indices minus one.
#'
#' @param m `integer(1)`, no default. Number of examples, at least 2.
#' @param test_fraction `numeric(1)`, default `0.15`. In (0, 1).
#' @param seed `integer(1)`, default `1`. Seed of the stream.
#' @param stream `character(1)`, default `"portable"`. `"portable"` or
#'   `"numpy"` (numpy's `np.random.permutation(m)` after `np.random.seed(seed)`).
#' @return `list(train, test)`: two integer vectors of 1-based column indices.
#' @examples
#' s <- train_test_split_indices(10, test_fraction = 0.3, seed = 1)
#' s$train
#' s$test
#' @export
train_test_split_indices <- function(m, test_fraction = 0.15, seed = 1, stream = "portable") {
  m <- check_count(m, "m", minimum = 2)
  check_memory(split_need(m), "m", sprintf("%s examples", number_text(m)))
  test_fraction <- check_fraction(test_fraction)
  seed <- check_seed(seed)
  check_choice(stream, STREAMS, "stream")
  n <- split_sizes(m, test_fraction)
  perm <- rng_permutation(m, seed, stream)
  list(train = perm[seq_len(n[["n_train"]])], test = perm[n[["n_train"]] + seq_len(n[["n_test"]])])
}

DATASET_EXPECTED <- "\"circles\", a cat/non-cat folder, an HDF5 file in that layout or an image folder"

#' Load the data named by a command-line `--data` value
#'
#' The training and test data behind the command lines' `--data` (the same
#' matrices as the Python twin's `load_dataset()`, bit for bit).
#'
#' @param spec `character(1)`, no default. `"circles"`: [make_circles()] of
#'   `n_samples` points (seed `seed`) for training and `n_samples %/% 2`
#'   (seed `seed + 1`) for testing. A folder holding `train_catvnoncat.h5`
#'   and `test_catvnoncat.h5`: [load_catvnoncat()]. An HDF5 file:
#'   [load_image_set()]. A folder with one subfolder of images per class:
#'   [convert_image_folder()] (`size`, `reduce_jpeg = FALSE`) into a
#'   temporary file, then [load_image_set()]; the temporary file is removed.
#' @param n_samples `integer(1)`, default `1000`. Circles only.
#' @param seed `integer(1)`, default `1`. Circles only.
#' @param size `integer(1)`, default `64`. Image folders only: the side of the square images.
#' @param verbose `logical(1)`, default `FALSE`. Image folders only: the
#'   converter's progress (stderr) and report (stdout).
#' @return A list with `train_X`, `train_Y`, `test_X`, `test_Y` and
#'   `classes` (`NULL` for circles), as [load_catvnoncat()].
#' @examples
#' d <- load_dataset("circles", n_samples = 100)
#' dim(d$train_X)
#' dim(d$test_X)
#' @export
load_dataset <- function(spec, n_samples = 1000, seed = 1, size = 64, verbose = FALSE) {
  if (identical(spec, "circles")) {
    train <- make_circles(n_samples, seed = seed)
    test <- make_circles(ncol(train$X) %/% 2L, seed = seed + 1)
    return(list(train_X = train$X, train_Y = train$Y, test_X = test$X, test_Y = test$Y, classes = NULL))
  }
  if (is.character(spec) && length(spec) == 1L && !is.na(spec) && !(path_kind(spec)[1] %in% c("folder", "missing"))) {
    return(load_image_set(spec))  # a file, or what is there instead of one: refused there, in words
  }
  folder <- check_folder(spec, "spec", DATASET_EXPECTED)
  if (all(vapply(file.path(folder, CATVNONCAT_FILES), function(f) !(path_kind(f)[1] %in% c("missing", "folder")), logical(1)))) {
    return(load_catvnoncat(folder))
  }
  if (!length(list.dirs(folder, recursive = FALSE))) {
    input_error("spec", DATASET_EXPECTED, sprintf("'%s', a folder with neither %s nor subfolders", folder,
                                                  paste(CATVNONCAT_FILES, collapse = " nor ")))
  }
  size <- check_count(size, "size")
  verbose <- check_flag(verbose, "verbose")
  work <- tempfile("twinnet-")
  dir.create(work)
  on.exit(unlink(work, recursive = TRUE), add = TRUE)
  dest <- file.path(work, "images.h5")
  if (verbose) message(sprintf("converting the image folder %s to %dx%d pixels ...", folder, size, size))
  convert_image_folder(folder, dest, size = size, reduce_jpeg = FALSE, verbose = verbose)
  load_image_set(dest)
}

# save_model() / load_model(): the HDF5 model files (twin of python/twinnet/modelio.py).
# The cross-language round trips are in tests/test_modelio.py; here R alone: round trip,
# the documented layout as hdf5r sees it, refusal of broken files, atomic saves.

d <- make_circles(200, seed = 2)
x <- t(d$X)
y <- ifelse(as.vector(d$Y) == 1, "inner", "outer")
fit <- neural_net(x, y, hidden_layers = c(8, 4), hidden_activation = "tanh", init = "he", learning_rate = 0.3,
                  num_iterations = 300, seed = 4, print_every = 50)

good_file <- function() {
  path <- tempfile(fileext = ".h5")
  save_model(fit, path)
  path
}

test_that("a saved model loads back identical and predicts the same", {
  path <- good_file()
  on.exit(unlink(path))
  expect_identical(save_model(fit, path), path)
  m <- load_model(path)
  expect_s3_class(m, "twinnet")
  expect_identical(coef(m), coef(fit))
  expect_identical(m$costs, fit$costs)
  for (k in c("classes", "layer_dims", "hidden_layers", "hidden_activation", "init", "learning_rate",
              "num_iterations", "seed", "print_every")) {
    expect_identical(m[[k]], fit[[k]], label = k)
  }
  expect_identical(predict(m, x, "prob"), predict(fit, x, "prob"))
  expect_identical(predict(m, x), predict(fit, x))
})

test_that("numeric and UTF-8 classes round trip", {
  path <- tempfile(fileext = ".h5")
  on.exit(unlink(path))
  a <- neural_net(x, as.vector(d$Y), hidden_layers = 3, num_iterations = 5)
  save_model(a, path)
  expect_identical(load_model(path)$classes, c(0, 1))
  b <- neural_net(x, ifelse(as.vector(d$Y) == 1, "\u00e9cureuil", "chat noir"), hidden_layers = 3, num_iterations = 5)
  save_model(b, path)
  expect_identical(load_model(path)$classes, c("chat noir", "\u00e9cureuil"))
})

test_that("the file has the documented layout: matrices stored row-major (hdf5r shows them reversed)", {
  path <- good_file()
  on.exit(unlink(path))
  f <- hdf5r::H5File$new(path, mode = "r")
  on.exit(f$close_all(), add = TRUE)
  expect_identical(hdf5r::h5attr(f, "format"), "twinnet-model")
  expect_identical(hdf5r::h5attr(f, "format_version"), 2L)
  expect_identical(f[["layer_dims"]]$read(), c(2L, 8L, 4L, 1L))
  # h5py (C order) sees W1 as 8 x 2; hdf5r lists the dimensions the other way round
  expect_identical(f[["parameters/W1"]]$dims, c(2L, 8L))
  expect_identical(t(f[["parameters/W1"]]$read()), coef(fit)$W1)
  expect_identical(f[["costs/iteration"]]$read(), c(0L, 50L, 100L, 150L, 200L, 250L, 299L))
  expect_identical(f[["classes"]]$read(), c("inner", "outer"))
})

edit_file <- function(fn) {
  path <- good_file()
  f <- hdf5r::H5File$new(path, mode = "r+")
  fn(f)
  f$close_all()
  path
}

test_that("broken files are refused with a twinnet_input_error", {
  cases <- list(
    list(function(f) { hdf5r::h5attr(f, "format_version") <- 3L }, "`path`: expected format version 2 (or 1); got format version 3"),
    list(function(f) f$attr_delete("format"), "`path`: expected a twinnet model file (attribute format = \"twinnet-model\"); got no format attribute"),
    list(function(f) f[["parameters"]]$link_delete("W2"), "`path`: expected a dataset parameters/W2; got no such dataset"),
    list(function(f) f$link_delete("costs"), "`path`: expected a dataset costs/iteration; got no such dataset"),
    list(function(f) {
      f[["parameters"]]$link_delete("W2")
      f[["parameters"]][["W2"]] <- t(matrix(0, 4, 7))
    }, "`path`: expected parameters/W2 of shape (4, 8) (layer_dims [2, 8, 4, 1]); got shape (4, 7)"),
    list(function(f) {
      f$link_delete("layer_dims")
      f[["layer_dims"]] <- c(2L, 8L, 4L, 2L)
    }, "`path`: expected layer_dims of 2 or more whole numbers >= 1 ending in 1; got [2, 8, 4, 2]")
  )
  for (case in cases) {
    path <- edit_file(case[[1]])
    expect_error(load_model(path), case[[2]], fixed = TRUE, class = "twinnet_input_error")
    unlink(path)
  }
  text <- tempfile(fileext = ".h5")
  writeLines("not a model", text)
  expect_error(load_model(text), sprintf("`path`: expected a twinnet model file (HDF5); got '%s' (not an HDF5 file)", text),
               fixed = TRUE, class = "twinnet_input_error")
  unlink(text)
  expect_error(load_model(text), "`path`: expected an existing file", class = "twinnet_input_error")
})

test_that("save_model refuses what is not a model, and a missing folder", {
  expect_error(save_model(list(W1 = 1), tempfile()), "`model`: expected a fitted model", class = "twinnet_input_error")
  expect_error(save_model(fit, file.path(tempfile(), "m.h5")), "`path`: expected a file path in an existing folder",
               class = "twinnet_input_error")
})

test_that("an interrupted save leaves the old file and no temporary file", {
  folder <- tempfile("atomic")
  dir.create(folder)
  on.exit(unlink(folder, recursive = TRUE))
  path <- file.path(folder, "m.h5")
  old <- neural_net(x, as.vector(d$Y), hidden_layers = integer(0), num_iterations = 3)
  save_model(old, path)
  before <- readBin(path, "raw", file.size(path))
  # a crash while saving: write_model_h5 fails after writing the temporary file, before the rename
  quietly <- function(expr) invisible(utils::capture.output(suppressMessages(expr)))
  quietly(trace("write_model_h5", where = asNamespace("twinnet"), print = FALSE,
                exit = quote(stop("simulated crash"))))
  on.exit(quietly(untrace("write_model_h5", where = asNamespace("twinnet"))), add = TRUE)
  expect_error(save_model(fit, path), "simulated crash")
  expect_identical(readBin(path, "raw", file.size(path)), before)
  expect_identical(list.files(folder, all.files = TRUE, no.. = TRUE), "m.h5")
  expect_error(save_model(fit, file.path(folder, "new.h5")), "simulated crash")
  expect_identical(list.files(folder, all.files = TRUE, no.. = TRUE), "m.h5")
})

test_that("the training options are recorded (format version 2), and a version 1 file loads with the defaults", {
  m <- neural_net(x, y, hidden_layers = 6, learning_rate = 0.01, num_iterations = 20, print_every = 5, lambd = 0.3,
                  keep_prob = 0.8, mini_batch_size = 32, optimizer = "momentum", beta = 0.7,
                  decay = "schedule_lr_decay", decay_rate = 0.5, time_interval = 7)
  path <- tempfile(fileext = ".h5")
  on.exit(unlink(path), add = TRUE)
  save_model(m, path)
  f <- hdf5r::H5File$new(path, mode = "r")
  expect_identical(hdf5r::h5attr(f, "optimizer"), "momentum")
  expect_identical(hdf5r::h5attr(f, "mini_batch_size"), 32L)
  expect_identical(as.vector(hdf5r::h5attr(f, "keep_prob")), 0.8)
  f$close_all()
  back <- load_model(path)
  for (k in names(TRAINING_ATTRIBUTES)) expect_identical(back[[k]], m[[k]], label = k)
  plain <- neural_net(x, y, hidden_layers = NULL, num_iterations = 3)
  save_model(plain, path)
  f <- hdf5r::H5File$new(path, mode = "r+")
  expect_identical(hdf5r::h5attr(f, "decay"), "none")
  expect_identical(hdf5r::h5attr(f, "mini_batch_size"), 0L)
  hdf5r::h5attr(f, "format_version") <- 1L
  for (k in names(TRAINING_ATTRIBUTES)) f$attr_delete(k)
  f$close_all()
  v1 <- load_model(path)
  expect_identical(coef(v1), coef(plain))
  expect_null(v1$decay)
  expect_null(v1$mini_batch_size)
  expect_identical(v1$optimizer, "gd")
})

# File-system and HDF5 faults in one line, temporary files (docs/contract.md section 30). The
# corpus of tests/test_hostile.py covers full and read-only file systems, permissions, signals
# and both command lines; these run without Python.

test_that("what is not a regular file is refused in words, without waiting", {
  dir <- tempfile("files")
  dir.create(dir)
  on.exit(unlink(dir, recursive = TRUE))
  fifo <- file.path(dir, "fifo.h5")
  skip_if(system2("mkfifo", fifo) != 0, "no mkfifo here")
  expect_error(load_h5_dataset(fifo, "x", "y"), "(not a regular file (a named pipe))", fixed = TRUE,
               class = "twinnet_file_error")
  expect_error(load_model(fifo), "`path`: expected an existing file; got", class = "twinnet_file_error")
  file.symlink("/dev/zero", file.path(dir, "zero.jpg"))
  expect_error(load_image(file.path(dir, "zero.jpg")), "(not a regular file (a device))", fixed = TRUE)
  file.symlink(file.path(dir, "nowhere"), file.path(dir, "broken.h5"))
  expect_error(load_model(file.path(dir, "broken.h5")), "(broken link)", fixed = TRUE)
  expect_error(load_model(file.path(dir, "nope.h5")), "(not found)", fixed = TRUE)
})

test_that("a truncated HDF5 file and one with a dangling link are answered in one line", {
  d <- make_circles(40, seed = 1)
  fit <- neural_net(t(d$X), as.vector(d$Y), hidden_layers = 3, num_iterations = 3)
  path <- tempfile(fileext = ".h5")
  on.exit(unlink(path))
  save_model(fit, path)
  bytes <- readBin(path, "raw", file.size(path))
  writeBin(bytes[seq_len(length(bytes) %/% 2)], path)
  expect_error(load_model(path), "a truncated HDF5 file: ", class = "twinnet_file_error")
  links <- tempfile(fileext = ".h5")  # a file of its own: HDF5 refuses to truncate one it still holds open
  on.exit(unlink(links), add = TRUE)
  h5 <- hdf5r::H5File$new(links, mode = "w")
  h5[["x"]] <- array(0L, c(3, 2, 2))
  h5[["y"]] <- c(0L, 1L)
  h5$link_create_soft("/nowhere", "link")
  h5$close_all()  # the datasets made by [[<- are still open: close() alone would leave the file unwritten
  expect_error(load_h5_dataset(links, "link", "y"), "(one of \"x\", \"y\"); got \"link\" (a broken link)", fixed = TRUE)
  expect_identical(dim(load_h5_dataset(links, "x", "y")$X), c(6L, 2L))
})

test_that("temporary files carry one pattern, and stale ones are swept by the next write", {
  dir <- tempfile("atomic")
  dir.create(dir)
  on.exit(unlink(dir, recursive = TRUE))
  expect_match(twinnet:::temp_name(file.path(dir, "m.h5")), "^\\.twinnet-[0-9]+-[0-9a-f]+-m\\.h5\\.tmp$")
  stale <- file.path(dir, ".twinnet-999999999-deadbeef-old.h5.tmp")
  live <- file.path(dir, sprintf(".twinnet-%d-cafe-live.h5.tmp", Sys.getpid()))
  writeLines("x", stale)
  writeLines("x", live)
  d <- make_circles(40, seed = 1)
  save_model(neural_net(t(d$X), as.vector(d$Y), hidden_layers = 3, num_iterations = 3), file.path(dir, "m.h5"))
  expect_false(file.exists(stale))
  expect_true(file.exists(live))
})

test_that("training stops at the first non-finite cost with what it had reached", {
  d <- make_circles(40, seed = 1)
  e <- tryCatch(L_layer_model(d$X, d$Y, c(2, 4, 1), learning_rate = 1e300, num_iterations = 5, print_every = 1),
                twinnet_diverged = function(e) e)
  expect_s3_class(e, "twinnet_input_error")
  expect_match(conditionMessage(e), "^`learning_rate`: expected a step small enough for the cost to stay finite; got 1e\\+300")
  expect_identical(e$iteration, 1L)
  expect_identical(nrow(e$costs), 1L)
  expect_setequal(names(e$parameters), c("W1", "b1", "W2", "b2"))
})

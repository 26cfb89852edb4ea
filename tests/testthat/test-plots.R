# plot_costs() and plot_decision_boundary(): base graphics (twin of python/twinnet/plots.py).

d <- make_circles(300, seed = 1)
fit <- L_layer_model(d$X, d$Y, c(2, 8, 1), learning_rate = 0.5, num_iterations = 600, print_every = 20)

png_info <- function(path) {
  raw <- readBin(path, "raw", file.size(path))
  expect_identical(raw[1:8], as.raw(c(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)))
  expect_identical(rawToChar(raw[13:16]), "IHDR")
  to_int <- function(b) sum(as.integer(b) * 256^(3:0))
  img <- png::readPNG(path)
  colours <- unique(as.vector(round(img[, , 1] * 255) * 65536 + round(img[, , 2] * 255) * 256 + round(img[, , 3] * 255)))
  list(width = to_int(raw[17:20]), height = to_int(raw[21:24]), dim = dim(img), colours = length(colours))
}

test_that("the cost curve is a real PNG, written atomically", {
  folder <- tempfile("plots")
  dir.create(folder)
  on.exit(unlink(folder, recursive = TRUE))
  for (log_scale in c(FALSE, TRUE)) {
    path <- file.path(folder, "cost.png")
    expect_identical(plot_costs(fit$costs, path, log_scale = log_scale), path)
    info <- png_info(path)
    expect_gt(info$width, 0)
    expect_gt(info$height, 0)
    expect_equal(info$dim[1:2], c(info$height, info$width))
    expect_gt(info$colours, 2)
  }
  expect_identical(list.files(folder, all.files = TRUE, no.. = TRUE), "cost.png")
})

test_that("the decision boundary is a real PNG with both region colours", {
  path <- tempfile(fileext = ".png")
  on.exit(unlink(path))
  plot_decision_boundary(d$X, d$Y, fit$parameters, "relu", path)
  info <- png_info(path)
  expect_gt(info$colours, 2)
  img <- png::readPNG(path)
  rgb <- round(img[, , 1] * 255) * 65536 + round(img[, , 2] * 255) * 256 + round(img[, , 3] * 255)
  expect_true(0xc6dbef %in% rgb)  # class 0 region
  expect_true(0xfcd5c7 %in% rgb)  # class 1 region
})

test_that("bad arguments are refused", {
  expect_error(plot_costs(data.frame(iteration = 0:1, cost = c(0.5, 0)), log_scale = TRUE),
               "`costs`: expected positive costs for a log scale; got 1 cost(s) <= 0", fixed = TRUE,
               class = "twinnet_input_error")
  expect_error(plot_costs(1:3), "`costs`: expected a table with the columns iteration and cost",
               class = "twinnet_input_error")
  expect_error(plot_costs(fit$costs, file.path(tempfile(), "x.png")), "`path`: expected a file path in an existing folder",
               class = "twinnet_input_error")
  expect_error(plot_decision_boundary(rbind(d$X, d$X[1, ]), d$Y, fit$parameters, "relu"),
               "`X`: expected 2 rows (points in the plane, one column per example); got 3 rows", fixed = TRUE,
               class = "twinnet_input_error")
  expect_error(plot_decision_boundary(d$X, d$Y, fit$parameters, "swish"), "`hidden_activation`: expected one of",
               class = "twinnet_input_error")
})

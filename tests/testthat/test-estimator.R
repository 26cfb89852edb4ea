# neural_net(): the R estimator over L_layer_model (twin of python/twinnet/estimator.py).
# Expected values come from L_layer_model called directly (neural_net must be a thin layer over it)
# and from hand-counted label mappings.

circles <- make_circles(240, seed = 3)
x <- t(circles$X)
y <- as.vector(circles$Y)
small <- list(hidden_layers = c(6, 3), learning_rate = 0.3, num_iterations = 400, seed = 7, print_every = 50)
fit_small <- function(x, y, ...) do.call(neural_net, c(list(x, y), utils::modifyList(small, list(...))))

test_that("the arguments and defaults are the cat/non-cat experiment's, in order", {
  f <- formals(neural_net)
  expect_identical(names(f), c("x", "y", "hidden_layers", "hidden_activation", "init", "learning_rate",
                               "num_iterations", "seed", "print_every", "verbose", "callback"))
  expect_identical(eval(f$hidden_layers), c(20, 7, 5))
  expect_identical(list(f$hidden_activation, f$init, f$learning_rate, f$num_iterations, f$seed, f$print_every,
                        f$verbose), list("relu", "xavier", 0.0075, 2500, 1, 100, FALSE))
})

test_that("neural_net is L_layer_model on the transposed data", {
  fit <- fit_small(x, y, hidden_activation = "tanh", init = "he")
  ref <- L_layer_model(circles$X, circles$Y, c(2, 6, 3, 1), learning_rate = 0.3, num_iterations = 400, seed = 7,
                       hidden_activation = "tanh", scheme = "he", print_every = 50)
  expect_s3_class(fit, "twinnet")
  expect_identical(fit$costs, ref$costs)
  expect_identical(coef(fit), ref$parameters)
  expect_identical(fit$layer_dims, c(2L, 6L, 3L, 1L))
  expect_identical(fit$classes, c(0, 1))
  p <- as.vector(predict_proba(circles$X, ref$parameters, "tanh"))
  expect_identical(predict(fit, x, type = "prob"), p)
  expect_identical(predict(fit, x), as.numeric(p > 0.5))
  expect_identical(predict(fit, x, type = "class"), as.numeric(p > 0.5))
})

test_that("a data.frame gives the same network as a matrix, and names stay out of the parameters", {
  df <- data.frame(x1 = x[, 1], x2 = x[, 2])
  a <- fit_small(x, y)
  b <- fit_small(df, y)
  expect_identical(coef(a), coef(b))
  expect_null(dimnames(coef(b)$W1))
  expect_identical(b$feature_names, c("x1", "x2"))
  expect_identical(predict(a, df, "prob"), predict(a, x, "prob"))
})

test_that("labels: sorted strings (C-locale), factor levels kept, logicals, two other numbers", {
  ref <- fit_small(x, y)
  s <- fit_small(x, ifelse(y == 1, "dog", "cat"))
  expect_identical(s$classes, c("cat", "dog"))
  expect_identical(s$costs, ref$costs)
  pred <- predict(s, x)
  expect_s3_class(pred, "factor")
  expect_identical(levels(pred), c("cat", "dog"))
  expect_identical(as.character(pred), ifelse(predict(ref, x) == 1, "dog", "cat"))
  expect_identical(fit_small(x, ifelse(y == 1, "apple", "Banana"), num_iterations = 2)$classes,
                   c("Banana", "apple"))  # "B" (66) < "a" (97), whatever the locale
  f <- fit_small(x, factor(ifelse(y == 1, "cat", "non-cat"), levels = c("non-cat", "cat")))
  expect_identical(f$classes, c("non-cat", "cat"))
  expect_identical(f$costs, ref$costs)
  expect_identical(fit_small(x, y == 1)$classes, c(FALSE, TRUE))
  expect_identical(fit_small(x, y == 1)$costs, ref$costs)
  seven <- fit_small(x, ifelse(y == 1, 7, 3))
  expect_identical(seven$classes, c(3, 7))
  expect_identical(seven$costs, ref$costs)
  expect_identical(predict(seven, x), ifelse(predict(ref, x) == 1, 7, 3))
})

test_that("logistic regression: no hidden layer", {
  fit <- neural_net(x, y, hidden_layers = integer(0), learning_rate = 0.1, num_iterations = 50)
  expect_identical(names(coef(fit)), c("W1", "b1"))
  expect_identical(dim(coef(fit)$W1), c(1L, 2L))
})

test_that("bad input is refused with a twinnet_input_error naming the argument", {
  expect_error(fit_small(x, seq_along(y) %% 3), "`y`: expected two classes (or labels 0/1); got 3 distinct value(s)",
               fixed = TRUE, class = "twinnet_input_error")
  expect_error(fit_small(x, y[-1]), "`y`: expected 240 labels, one per row of X; got 239 labels", fixed = TRUE,
               class = "twinnet_input_error")
  expect_error(fit_small(x, replace(y, 3, NA)), "`y`: expected labels without missing values", fixed = TRUE,
               class = "twinnet_input_error")
  expect_error(fit_small(data.frame(a = x[, 1], b = "s"), y), "`x`: expected numeric columns only; got non-numeric column(s) b",
               fixed = TRUE, class = "twinnet_input_error")
  expect_error(neural_net(x, y, hidden_layers = c(4, 0)),
               "`hidden_layers`: expected whole numbers >= 1 (the hidden layer sizes; may be empty); got 0",
               fixed = TRUE, class = "twinnet_input_error")
  expect_error(neural_net(x, y, init = "glorot"), "`init`: expected one of", class = "twinnet_input_error")
  expect_error(neural_net(x, y, verbose = "yes"), "`verbose`: expected TRUE/True or FALSE/False", class = "twinnet_input_error")
  fit <- fit_small(x, y, num_iterations = 2)
  expect_error(predict(fit, matrix(1, 3, 5)), "`newdata`: expected 2 columns (features), as at fit; got 5 columns",
               fixed = TRUE, class = "twinnet_input_error")
  expect_error(predict(fit, x, type = "response"), "`type`: expected one of \"class\", \"prob\"",
               fixed = TRUE, class = "twinnet_input_error")
  expect_error(predict(fit), "`newdata`", class = "twinnet_input_error")
})

test_that("verbose writes one progress line per recorded cost to stderr; callback sees every cost", {
  seen <- list()
  msgs <- character(0)
  fit <- withCallingHandlers(
    fit_small(x, y, verbose = TRUE, callback = function(i, cost) seen[[length(seen) + 1L]] <<- c(i, cost)),
    message = function(m) {
      msgs <<- c(msgs, conditionMessage(m))
      invokeRestart("muffleMessage")
    })
  expect_length(msgs, 9L)
  expect_match(msgs, "^iteration [0-9]+/400  cost \\S+  (-- it/s  -- s left|[0-9]+ it/s  [0-9]+\\.[0-9] s left)\n$")
  expect_identical(as.integer(sub("^iteration ([0-9]+)/.*\n$", "\\1", msgs)), fit$costs$iteration)
  expect_identical(vapply(seen, `[`, numeric(1), 2), fit$costs$cost)
})

test_that("print, summary, plot and coef", {
  fit <- fit_small(x, ifelse(y == 1, "inner", "outer"))
  out <- capture.output(print(fit))
  expect_match(out[1], "twinnet neural network 2-6-3-1 (relu hidden layers, sigmoid output)", fixed = TRUE)
  expect_match(out[2], "classes: inner (0) / outer (1)", fixed = TRUE)
  expect_match(out[4], sprintf("final cost: %.6g", fit$costs$cost[nrow(fit$costs)]), fixed = TRUE)
  s <- summary(fit)
  expect_s3_class(s, "summary.twinnet")
  expect_identical(s$layers$parameters, c(2L * 6L + 6L, 6L * 3L + 3L, 3L * 1L + 1L))
  expect_identical(s$n_parameters, 18L + 21L + 4L)
  expect_identical(s$layers$activation, c("relu", "relu", "sigmoid"))
  expect_output(print(s), "43 parameters")
  expect_identical(names(coef(fit)), c("W1", "b1", "W2", "b2", "W3", "b3"))
  png_file <- tempfile(fileext = ".png")
  grDevices::png(png_file)
  expect_null(plot(fit))
  grDevices::dev.off()
  expect_gt(file.size(png_file), 1000)
  unlink(png_file)
})

test_that("twinnet does not mask stats::predict or stats::coef", {
  exports <- getNamespaceExports("twinnet")
  expect_false(any(c("predict", "coef", "plot", "print", "summary") %in% exports))
  expect_identical(environmentName(environment(predict)), "stats")
})

# neural_net(): the R estimator over L_layer_model (twin of python/twinnet/estimator.py).
# Expected values come from L_layer_model called directly (neural_net must be a thin layer over it),
# from hand-counted label mappings, from hand-built model matrices and from the textbook
# cross-entropy (for logLik).

circles <- make_circles(240, seed = 3)
x <- t(circles$X)
y <- as.vector(circles$Y)
small <- list(hidden_layers = c(6, 3), learning_rate = 0.3, num_iterations = 400, seed = 7, print_every = 50)
fit_small <- function(x, y, ...) do.call(neural_net, c(list(x, y), utils::modifyList(small, list(...))))

test_that("the arguments and defaults are the cat/non-cat experiment's, in order", {
  expect_identical(names(formals(neural_net)), c("x", "..."))  # an S3 generic: matrix and formula methods
  f <- formals(getS3method("neural_net", "default", envir = asNamespace("twinnet")))
  options <- c("lambd", "keep_prob", "mini_batch_size", "optimizer", "beta", "beta1", "beta2", "epsilon", "decay",
               "decay_rate", "time_interval", "mini_batch_seed", "dropout_seed")  # issue 15, contract section 36
  expect_identical(names(f), c("x", "y", "hidden_layers", "hidden_activation", "init", "learning_rate",
                               "num_iterations", "seed", "stream", "print_every", "verbose", options, "parameters",
                               "callback", "..."))
  expect_identical(estimator_parameters(), names(f)[3:25])
  expect_identical(eval(f$hidden_layers), c(20, 7, 5))
  expect_identical(list(f$hidden_activation, f$init, f$learning_rate, f$num_iterations, f$seed, f$stream,
                        f$print_every, f$verbose, f$parameters),
                   list("relu", "xavier", 0.0075, 2500, 1, "portable", 100, FALSE, NULL))
  # every parameter but the estimator's own is L_layer_model()'s, with its default
  core <- setdiff(estimator_parameters(), c("hidden_layers", "init", "verbose"))
  expect_identical(lapply(f[core], eval), lapply(formals(L_layer_model)[core], eval))
})

test_that("stream = \"numpy\" is L_layer_model's, and the model file keeps it", {
  fit <- fit_small(x, y, stream = "numpy", num_iterations = 20)
  ref <- L_layer_model(circles$X, circles$Y, c(2, 6, 3, 1), learning_rate = 0.3, num_iterations = 20, seed = 7,
                       print_every = 50, stream = "numpy")
  expect_identical(coef(fit), ref$parameters)
  expect_false(identical(coef(fit), coef(fit_small(x, y, num_iterations = 20))))
  path <- withr::local_tempfile(fileext = ".h5")
  save_model(fit, path)
  expect_identical(load_model(path)$stream, "numpy")
})

test_that("parameters = coef(fit) continues a fit: T then T iterations are 2T, bit for bit (contract section 24)", {
  first <- fit_small(x, y, num_iterations = 200)
  again <- fit_small(x, y, num_iterations = 200, parameters = coef(first))
  whole <- fit_small(x, y, num_iterations = 400)
  expect_identical(coef(again), coef(whole))
  expect_identical(again$costs$cost[-1], whole$costs$cost[whole$costs$iteration >= 250])
  expect_identical(coef(update(first, parameters = coef(first))), coef(whole))
  expect_identical(coef(fit_small(x, y, num_iterations = 200, parameters = coef(load_model({
    path <- withr::local_tempfile(fileext = ".h5"); save_model(first, path); path
  })))), coef(whole))  # coef() round-trips through a model file
})

test_that("parameters of other shapes are refused as L_layer_model refuses them", {
  first <- fit_small(x, y, hidden_layers = 6, num_iterations = 2)
  expect_error(fit_small(x, y, hidden_layers = 5, parameters = coef(first)),
               "^`parameters\\[\"W1\"\\]`: expected shape \\(5, 2\\) from layer_dims \\(2, 5, 1\\); got shape \\(6, 2\\)$",
               class = "twinnet_input_error")
  expect_error(fit_small(x, y, stream = "mt"), "^`stream`: expected one of", class = "twinnet_input_error")
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
  expect_warning(p <- predict(a, df, "prob"), "`newdata` has column names, but the network was fitted without them")
  expect_identical(p, predict(a, x, "prob"))
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
  refused <- function(expr, message) expect_error(expr, message, fixed = TRUE, class = "twinnet_input_error")
  refused(fit_small(x, seq_along(y) %% 3),
          "`y`: expected two classes (or labels 0/1); got 3 distinct value(s) (Only binary classification is supported.)")
  refused(fit_small(x, factor(seq_along(y) %% 3)),
          "`y`: expected two classes (or labels 0/1); got a factor with 3 levels (Only binary classification")
  refused(fit_small(x, x[, 1]), paste("`y`: expected two classes (or labels 0/1); got 240 distinct value(s),",
                                      "not all whole numbers (Unknown label type: continuous)"))
  refused(fit_small(x, y[-1]), "`y`: expected 240 labels, one per row of X; got 239 labels")
  refused(fit_small(x, replace(y, 3, NA)), "`y`: expected labels without missing or infinite values; got 1 missing")
  refused(fit_small(x, replace(y, 3:4, Inf)), "`y`: expected labels without missing or infinite values; got 2 missing")
  refused(fit_small(x, NULL), "`y`: expected a vector of labels (one per row of X); got NULL")
  refused(neural_net(x), "`y`: expected a vector of labels (one per row of X); got nothing")
  refused(fit_small(data.frame(a = x[, 1], b = "s"), y), "`x`: expected numeric columns only; got non-numeric column(s) b")
  refused(fit_small(data.frame(a = x[, 1], b = x[, 2] > 0), y), "`x`: expected numeric columns only; got non-numeric column(s) b")
  refused(fit_small(x[, 1], y), "`x`: expected a 2-D numeric matrix; got a vector of length 240 (make it a matrix")
  refused(fit_small(x > 0, y), "`x`: expected a 2-D numeric matrix; got a logical matrix of shape (240, 2)")
  refused(fit_small(matrix(as.character(x), ncol = 2), y), "`x`: expected a 2-D numeric matrix; got a character matrix")
  refused(fit_small(x + 1i, y), "`x`: expected a 2-D numeric matrix; got a complex matrix (Complex data not supported)")
  refused(fit_small(x[0, , drop = FALSE], y[0]),
          "`x`: expected a 2-D numeric matrix; got 0 sample(s) (shape=(0, 2)) while a minimum of 1 is required")
  refused(fit_small(x[, 0, drop = FALSE], y),
          "`x`: expected a 2-D numeric matrix; got 0 feature(s) (shape=(240, 0)) while a minimum of 1 is required")
  refused(fit_small(data.frame(x)[, 0], y), "`x`: expected a 2-D numeric matrix; got 0 feature(s) (shape=(240, 0))")
  refused(fit_small(`colnames<-`(x, c("a", "a")), y), "`x`: expected distinct column names; got duplicated name(s) a")
  if (requireNamespace("Matrix", quietly = TRUE)) {
    refused(fit_small(Matrix::Matrix(x, sparse = TRUE), y), "(sparse input is not supported: use as.matrix(x))")
  }
  refused(neural_net(x, y, hidden_layers = c(4, 0)),
          "`hidden_layers`: expected whole numbers >= 1 (the hidden layer sizes; may be empty); got 0")
  refused(neural_net(x, y, hidden_layers = "5"), "`hidden_layers`: expected whole numbers >= 1")
  refused(neural_net(x, y, hidden_layers = matrix(4)), "`hidden_layers`: expected whole numbers >= 1")
  expect_error(neural_net(x, y, init = "glorot"), "`init`: expected one of", class = "twinnet_input_error")
  expect_error(neural_net(x, y, verbose = "yes"), "`verbose`: expected TRUE/True or FALSE/False", class = "twinnet_input_error")
  refused(neural_net(x, y, alpha = 1), paste("`alpha`: expected one of the parameters hidden_layers, hidden_activation,",
                                             "init, learning_rate, num_iterations, seed, stream, print_every, verbose,",
                                             "lambd, keep_prob, mini_batch_size, optimizer, beta, beta1, beta2, epsilon,",
                                             "decay, decay_rate, time_interval, mini_batch_seed, dropout_seed, parameters;",
                                             "got an unknown parameter name"))
  positional <- c(list(x, y, 3, "relu", "xavier", 0.1, 2, 1, "portable", 1, FALSE, 0, 1, NULL, "gd", 0.9, 0.9, 0.999,
                       1e-8, NULL, 1, 1000, 10, 1, NULL, NULL, 99))
  refused(do.call(neural_net, positional), "`...`: expected one of the parameters hidden_layers")
  fit <- fit_small(x, y, num_iterations = 2)
  refused(predict(fit, matrix(1, 3, 5)), "`newdata`: expected 2 columns (features), as at fit; got 5 columns")
  refused(predict(fit, x[1, ]), "`newdata`: expected a 2-D numeric matrix; got a vector of length 2")
  refused(predict(fit, x, type = "response"), "`type`: expected one of \"class\", \"prob\"")
})

test_that("the same inputs are accepted as in Python: sizes as doubles, one size alone, NULL, integer x", {
  ref <- fit_small(x, y, hidden_layers = 3L)
  expect_identical(fit_small(x, y, hidden_layers = 3)$costs, ref$costs)
  expect_identical(fit_small(x, y, hidden_layers = c(3, 2))$layer_dims, c(2L, 3L, 2L, 1L))
  expect_identical(neural_net(x, y, hidden_layers = NULL, num_iterations = 2)$layer_dims, c(2L, 1L))
  expect_identical(fit_small(x, y, num_iterations = 400.0)$costs, fit_small(x, y)$costs)
  xi <- round(x * 4)
  expect_identical(fit_small(xi, y)$costs, fit_small(`storage.mode<-`(xi, "integer"), y)$costs)
  expect_identical(fit_small(x, ifelse(y == 1, "1", "0"), num_iterations = 2)$classes, c("0", "1"))
})

test_that("newdata is matched by column name: reordered matched, renamed or missing refused", {
  df <- data.frame(x1 = x[, 1], x2 = x[, 2])
  fit <- fit_small(df, y, num_iterations = 50)
  p <- predict(fit, df, type = "prob")
  expect_identical(predict(fit, df[, c("x2", "x1")], type = "prob"), p)
  expect_identical(predict(fit, as.matrix(df[, c("x2", "x1")]), type = "prob"), p)  # a matrix's colnames too
  expect_error(predict(fit, data.frame(x1 = 1, z = 2)),
               "`newdata`: expected the columns of the fit, x1, x2 (in any order); got missing x2; not seen at fit: z",
               fixed = TRUE, class = "twinnet_input_error")
  expect_error(predict(fit, df[, "x1", drop = FALSE]), "got missing x2", fixed = TRUE, class = "twinnet_input_error")
  expect_error(predict(fit, cbind(df, id = 1)), "got not seen at fit: id", fixed = TRUE, class = "twinnet_input_error")
  expect_warning(q <- predict(fit, x, type = "prob"),
                 "`newdata` has no column names, but the network was fitted with names (x1, x2)", fixed = TRUE)
  expect_identical(q, p)
  wide <- as.data.frame(matrix(seq_len(16), 2, 8, dimnames = list(NULL, paste0("p", 0:7))))
  w <- neural_net(wide, c(0, 1), hidden_layers = NULL, num_iterations = 2)
  expect_error(predict(w, `names<-`(wide, c(paste0("p", 0:6), "q"))),
               "expected the columns of the fit, p0, p1, p2, p3, p4, ... (8 in all) (in any order); got missing p7",
               fixed = TRUE, class = "twinnet_input_error")
})

# ------------------------------------------------------------------ a real R model

df <- data.frame(x1 = x[, 1], x2 = x[, 2], y = y, id = seq_along(y))

test_that("the formula interface is the matrix form on the model matrix, without the intercept", {
  fit <- neural_net(y ~ x1 + x2, data = df, hidden_layers = c(6, 3), learning_rate = 0.3, num_iterations = 400,
                    seed = 7, print_every = 50)
  ref <- fit_small(x, y)
  expect_identical(fit$costs, ref$costs)
  expect_identical(coef(fit), coef(ref))
  expect_identical(fit$feature_names, c("x1", "x2"))
  expect_identical(fit$call, quote(neural_net(formula = y ~ x1 + x2, data = df, hidden_layers = c(6, 3),
                                              learning_rate = 0.3, num_iterations = 400, seed = 7, print_every = 50)))
  dot <- neural_net(y ~ . - id, data = df, hidden_layers = c(6, 3), learning_rate = 0.3, num_iterations = 400,
                    seed = 7, print_every = 50)
  expect_identical(dot$costs, ref$costs)
  expect_identical(labels(terms(formula(dot))), c("x1", "x2"))
  # factor predictors become indicator columns (treatment contrasts), as in glm
  g <- factor(c("a", "b", "c")[seq_along(y) %% 3 + 1])
  fac <- neural_net(y ~ x1 + g, data = cbind(df, g = g), hidden_layers = 3, num_iterations = 20)
  by_hand <- fit_small(cbind(x1 = x[, 1], gb = as.numeric(g == "b"), gc = as.numeric(g == "c")), y,
                       hidden_layers = 3, num_iterations = 20, learning_rate = 0.0075, seed = 1, print_every = 100)
  expect_identical(fac$costs, by_hand$costs)
  expect_identical(fac$feature_names, c("x1", "gb", "gc"))
  new <- data.frame(g = factor("c", levels = c("a", "b", "c")), x1 = 0.5)
  expect_identical(predict(fac, new, type = "prob"), predict(by_hand, cbind(x1 = 0.5, gb = 0, gc = 1), type = "prob"))
  # the response: a factor, logicals, strings, as in the matrix form
  lab <- neural_net(factor(ifelse(y == 1, "in", "out"), levels = c("out", "in")) ~ x1 + x2, data = df,
                    hidden_layers = 3, num_iterations = 5)
  expect_identical(lab$classes, c("out", "in"))
  expect_identical(lab$costs, neural_net(y ~ x1 + x2, data = df, hidden_layers = 3, num_iterations = 5)$costs)
})

test_that("formula fits take subset and na.action as glm does", {
  sub <- neural_net(y ~ x1 + x2, data = df, subset = id <= 100, hidden_layers = 3, num_iterations = 20)
  expect_identical(sub$costs, neural_net(x[1:100, ], y[1:100], hidden_layers = 3, num_iterations = 20)$costs)
  expect_identical(nobs(sub), 100L)
  holes <- df
  holes$x1[c(5, 9)] <- NA
  omit <- neural_net(y ~ x1 + x2, data = holes, hidden_layers = 3, num_iterations = 20)
  expect_identical(omit$costs, neural_net(x[-c(5, 9), ], y[-c(5, 9)], hidden_layers = 3, num_iterations = 20)$costs)
  expect_identical(nobs(omit), 238L)
  expect_length(fitted(omit), 238L)
  exclude <- update(omit, na.action = na.exclude)
  expect_identical(exclude$costs, omit$costs)
  expect_length(fitted(exclude), 240L)
  expect_identical(which(is.na(fitted(exclude))), c(5L, 9L))
  expect_identical(which(is.na(residuals(exclude))), c(5L, 9L))
  expect_identical(which(is.na(predict(exclude))), c(5L, 9L))
  expect_identical(unname(fitted(exclude)[-c(5, 9)]), fitted(omit))
  expect_error(neural_net(y ~ x1 + x2, data = holes, na.action = na.fail, num_iterations = 2), "missing values")
})

test_that("predict(fit) gives the fitted values; newdata is matched by name, the response ignored", {
  fit <- neural_net(y ~ x1 + x2, data = df, hidden_layers = c(6, 3), learning_rate = 0.3, num_iterations = 400,
                    seed = 7, print_every = 50)
  p <- predict(fit_small(x, y), x, type = "prob")  # the same network (the formula test above)
  expect_identical(predict(fit, type = "prob"), p)
  expect_identical(fitted(fit), p)
  expect_identical(predict(fit), as.numeric(p > 0.5))
  expect_identical(predict(fit, df, type = "prob"), p)                              # with y and id in df
  expect_identical(predict(fit, df[, c("id", "x2", "x1")], type = "prob"), p)        # reordered, no y
  expect_identical(predict(fit, newdata = NULL, type = "prob"), p)
  expect_error(predict(fit, df[, c("x1", "id")]),
               "`newdata`: expected the columns of the fit, x1, x2 (in any order); got missing x2", fixed = TRUE,
               class = "twinnet_input_error")
  expect_error(predict(fit, x[, 1]), "`newdata`: expected the columns of the fit, x1, x2", class = "twinnet_input_error")
  s <- neural_net(ifelse(y == 1, "dog", "cat") ~ x1 + x2, data = df, hidden_layers = 3, num_iterations = 30)
  expect_identical(predict(s), factor(ifelse(fitted(s) > 0.5, "dog", "cat"), levels = c("cat", "dog")))
})

test_that("fitted, residuals, nobs and logLik are those of the cross-entropy model", {
  fit <- fit_small(x, y)
  p <- predict(fit, x, type = "prob")
  expect_identical(fitted(fit), p)
  expect_identical(residuals(fit), y - p)                     # response residuals
  expect_identical(nobs(fit), 240L)
  ll <- logLik(fit)
  expect_s3_class(ll, "logLik")
  expect_equal(as.numeric(ll), sum(y * log(p) + (1 - y) * log(1 - p)), tolerance = 1e-12)  # the textbook formula
  expect_identical(attr(ll, "df"), 2L * 6L + 6L + 6L * 3L + 3L + 3L + 1L)                     # weights and biases
  expect_identical(attr(ll, "nobs"), 240L)
  expect_equal(AIC(fit), -2 * as.numeric(ll) + 2 * 43, tolerance = 1e-12)
  expect_equal(BIC(fit), -2 * as.numeric(ll) + log(240) * 43, tolerance = 1e-12)
  # the final parameters' cost: below the last recorded one (recorded before its update) in a falling run
  expect_lt(-as.numeric(ll) / 240, fit$costs$cost[nrow(fit$costs)])
})

test_that("update() re-runs the call with changed arguments, formula or data", {
  fit <- neural_net(y ~ x1 + x2, data = df, hidden_layers = 3, num_iterations = 20)
  wider <- update(fit, hidden_layers = 5)
  expect_identical(wider$costs, neural_net(y ~ x1 + x2, data = df, hidden_layers = 5, num_iterations = 20)$costs)
  one <- update(fit, . ~ . - x2)
  expect_identical(one$layer_dims, c(1L, 3L, 1L))
  expect_identical(one$costs, neural_net(y ~ x1, data = df, hidden_layers = 3, num_iterations = 20)$costs)
  expect_identical(update(fit, data = df[1:50, ])$costs,
                   neural_net(y ~ x1 + x2, data = df[1:50, ], hidden_layers = 3, num_iterations = 20)$costs)
  local({
    xx <- x[1:30, ]
    yy <- y[1:30]
    m <- neural_net(xx, yy, hidden_layers = 2, num_iterations = 10)
    expect_identical(update(m, seed = 4)$costs, neural_net(xx, yy, hidden_layers = 2, num_iterations = 10, seed = 4)$costs)
  })
})

test_that("a network read by load_model() predicts but has no training rows to give", {
  fit <- fit_small(x, y, num_iterations = 5)
  path <- tempfile(fileext = ".h5")
  save_model(fit, path)
  loaded <- load_model(path)
  unlink(path)
  expect_identical(predict(loaded, x, type = "prob"), predict(fit, x, type = "prob"))
  for (f in list(function(o) predict(o), fitted, residuals, nobs, logLik)) {
    expect_error(f(loaded), "`object`: expected a network fitted by neural_net()", fixed = TRUE,
                 class = "twinnet_input_error")
  }
  expect_error(update(loaded, seed = 2), "`object`: expected a network fitted by neural_net() (update() runs its call",
               fixed = TRUE, class = "twinnet_input_error")
  expect_error(formula(fit), "`x`: expected a network fitted from a formula", class = "twinnet_input_error")
})

test_that("?twinnet is the package's help page", {
  expect_gt(length(utils::help("twinnet", package = "twinnet")), 0L)
  expect_gt(length(utils::help("twinnet-package", package = "twinnet")), 0L)
  expect_gt(length(utils::help("fitted.twinnet", package = "twinnet")), 0L)
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
  expect_false(any(c("predict", "coef", "plot", "print", "summary", "fitted", "residuals", "nobs", "logLik", "update",
                     "formula") %in% exports))
  expect_identical(environmentName(environment(predict)), "stats")
})

test_that("the course's improvements are L_layer_model's options, under the same names", {
  opts <- list(learning_rate = 0.005, num_iterations = 60, seed = 3, print_every = 10, lambd = 0.2,
               keep_prob = c(0.9, 0.8), mini_batch_size = 50, optimizer = "adam", beta1 = 0.85, beta2 = 0.99,
               epsilon = 1e-7, decay = "update_lr", decay_rate = 0.05, mini_batch_seed = 4, dropout_seed = 6)
  fit <- do.call(neural_net, c(list(x, y, hidden_layers = c(8, 4)), opts))
  ref <- do.call(L_layer_model, c(list(circles$X, circles$Y, c(2, 8, 4, 1)), opts))
  expect_identical(fit$costs, ref$costs)
  expect_identical(coef(fit), ref$parameters)
  expect_identical(fit$optimizer, "adam")
  expect_identical(fit$keep_prob, c(0.9, 0.8))
  expect_null(fit_small(x, y, num_iterations = 2)$mini_batch_size)
})

#!/usr/bin/env Rscript
# twinnet from the command line, in R only (no Python needed): train and predict.
#
#   Rscript scripts/twinnet.R train [--data circles|FOLDER|FILE.h5] [--layers 16,8] [--activation relu]
#                                   [--init xavier] [--learning-rate 0.05] [--iterations 5000] [--seed 1]
#                                   [--print-every 500] [--n-samples 1000] [--size 64] [--out out]
#   Rscript scripts/twinnet.R predict MODEL INPUT... [--set test|train]
#
# The same options, defaults and files as Python's `twinnet train` / `twinnet predict` (see
# the README, "The command line"): train writes model.h5 (the model file format of docs/model-format.md, which
# Python reads too), costs.csv and cost-curve.png (and decision-boundary.png for 2-D data) into --out.
# Data: "circles" (built in), a cat/non-cat folder (train_catvnoncat.h5, test_catvnoncat.h5), an HDF5
# file in that layout, or an image folder with one subfolder per class (the last three need the
# package's data loaders). Exit codes: 0 success, 2 bad arguments or input (one line), 1 anything else.
# The R package is loaded from the repository's .rlib/ when there is one (bash scripts/setup.sh),
# else from the default library.

local({
  file_arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(file_arg)) {
    root <- dirname(dirname(normalizePath(sub("^--file=", "", file_arg[1]))))
    lib <- file.path(root, ".rlib")
    if (dir.exists(file.path(lib, "twinnet"))) .libPaths(c(lib, .libPaths()))
  }
})
suppressPackageStartupMessages(library(twinnet))

usage <- "usage: Rscript scripts/twinnet.R {train,predict} [options] (see the header of scripts/twinnet.R)"

usage_error <- function(msg) {
  stop(structure(class = c("twinnet_usage_error", "error", "condition"), list(message = msg, call = NULL)))
}

# --name value / --name=value options and positional arguments.
parse_args <- function(args, known, flags = character(0)) {
  opts <- list()
  pos <- character(0)
  i <- 1L
  while (i <= length(args)) {
    a <- args[i]
    if (startsWith(a, "--")) {
      key <- sub("^--", "", a)
      value <- NULL
      if (grepl("=", key, fixed = TRUE)) {
        value <- sub("^[^=]*=", "", key)
        key <- sub("=.*$", "", key)
      }
      if (!(key %in% c(known, flags))) usage_error(sprintf("unknown option --%s", key))
      if (key %in% flags) {
        opts[[key]] <- TRUE
      } else {
        if (is.null(value)) {
          if (i == length(args)) usage_error(sprintf("option --%s needs a value", key))
          i <- i + 1L
          value <- args[i]
        }
        opts[[key]] <- value
      }
    } else {
      pos <- c(pos, a)
    }
    i <- i + 1L
  }
  list(opts = opts, pos = pos)
}

as_count <- function(opts, key, default) {
  v <- opts[[key]]
  if (is.null(v)) return(default)
  n <- suppressWarnings(as.numeric(v))
  if (is.na(n) || n != round(n) || n < 1) usage_error(sprintf("--%s: expected a whole number >= 1; got '%s'", key, v))
  as.integer(n)
}

as_seed <- function(v) {
  n <- suppressWarnings(as.numeric(v))
  if (is.na(n) || n != round(n) || n < 0 || n > 2^31 - 1) {
    usage_error(sprintf("--seed: expected a whole number in 0..2147483647; got '%s'", v))
  }
  as.integer(n)
}

as_rate <- function(v) {
  n <- suppressWarnings(as.numeric(v))
  if (is.na(n) || !is.finite(n) || n <= 0) usage_error(sprintf("--learning-rate: expected a positive finite number; got '%s'", v))
  n
}

as_layers <- function(v) {
  if (tolower(v) %in% c("", "none", "-")) return(integer(0))
  n <- suppressWarnings(as.numeric(strsplit(gsub(" ", "", v), ",", fixed = TRUE)[[1]]))
  if (!length(n) || anyNA(n) || any(n != round(n)) || any(n < 1)) {
    usage_error(sprintf("--layers: expected comma-separated hidden layer sizes such as 20,7,5; got '%s'", v))
  }
  as.integer(n)
}

choice <- function(opts, key, choices, default) {
  v <- if (is.null(opts[[key]])) default else opts[[key]]
  if (!(v %in% choices)) {
    usage_error(sprintf("--%s: expected one of %s; got '%s'", key, paste(choices, collapse = ", "), v))
  }
  v
}

needs <- function(name, what) {
  if (!exists(name, envir = asNamespace("twinnet"), inherits = FALSE)) {
    stop(sprintf("%s needs twinnet::%s, which this installation of the R package does not have", what, name))
  }
  get(name, envir = asNamespace("twinnet"))
}

is_hdf5 <- function(path) {
  con <- file(path, "rb")
  on.exit(close(con))
  identical(readBin(con, "raw", 8L), as.raw(c(0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a)))
}

xy_of <- function(out) list(X = out$X, Y = out$Y)

read_classes <- function(path) {
  f <- hdf5r::H5File$new(path, mode = "r")
  on.exit(f$close_all())
  if (!f$exists("list_classes")) return(NULL)
  as.character(f[["list_classes"]]$read())
}

load_h5_file <- function(path) {
  load_h5_dataset <- needs("load_h5_dataset", "reading an HDF5 data file")
  tr <- xy_of(load_h5_dataset(path, "train_set_x", "train_set_y"))
  te <- xy_of(load_h5_dataset(path, "test_set_x", "test_set_y"))
  list(train_X = tr$X, train_Y = tr$Y, test_X = te$X, test_Y = te$Y, classes = read_classes(path))
}

circles_defaults <- list(hidden_layers = c(16L, 8L), learning_rate = 0.05, num_iterations = 5000L, print_every = 500L)
image_defaults <- list(hidden_layers = c(20L, 7L, 5L), learning_rate = 0.0075, num_iterations = 2500L, print_every = 100L)

load_data <- function(spec, n_samples, seed, size) {
  if (spec == "circles") {
    tr <- make_circles(n_samples, seed = seed)
    te <- make_circles(n_samples %/% 2L, seed = seed + 1L)
    return(list(name = "circles", X = tr$X, Y = tr$Y, X_test = te$X, Y_test = te$Y, classes = NULL,
                defaults = circles_defaults))
  }
  if (!file.exists(spec)) {
    input_error_line(sprintf("`--data`: expected \"circles\", a cat/non-cat folder, an HDF5 file or an image folder; got '%s' (no such file or folder)", spec))
  }
  if (dir.exists(spec)) {
    if (file.exists(file.path(spec, "train_catvnoncat.h5")) && file.exists(file.path(spec, "test_catvnoncat.h5"))) {
      d <- needs("load_catvnoncat", "reading a cat/non-cat folder")(spec)
    } else if (length(list.dirs(spec, recursive = FALSE))) {
      convert <- needs("convert_image_folder", "training on an image folder")
      dest <- file.path(tempfile("twinnet-"), "images.h5")
      dir.create(dirname(dest))
      message(sprintf("converting the image folder %s to %dx%d pixels ...", spec, size, size))
      convert(spec, dest, size = size)
      d <- load_h5_file(dest)
    } else {
      input_error_line(sprintf("`--data`: expected a folder holding train_catvnoncat.h5 and test_catvnoncat.h5, or one subfolder of images per class; got '%s'", spec))
    }
  } else {
    if (!is_hdf5(spec)) input_error_line(sprintf("`--data`: expected an HDF5 file in the cat/non-cat layout; got '%s', not HDF5", spec))
    d <- load_h5_file(spec)
  }
  list(name = spec, X = d$train_X, Y = matrix(d$train_Y, nrow = 1L), X_test = d$test_X,
       Y_test = matrix(d$test_Y, nrow = 1L), classes = as.character(d$classes), defaults = image_defaults)
}

input_error_line <- function(msg) {
  stop(structure(class = c("twinnet_input_error", "error", "condition"), list(message = msg, call = NULL)))
}

write_text_atomic <- function(path, lines) {
  twinnet:::atomic_write(path, function(tmp) writeLines(lines, tmp))
}

# A progress line on stderr for runs longer than a second (redrawn on a terminal).
progress_display <- function(num_iterations, mode) {
  t0 <- proc.time()[["elapsed"]]
  last <- NA_real_
  shown <- FALSE
  tty <- isatty(stderr())
  list(
    callback = function(iteration, cost) {
      if (mode == "never") return(invisible(NULL))
      now <- proc.time()[["elapsed"]]
      elapsed <- now - t0
      if (mode == "auto") {
        if (elapsed < 1) return(invisible(NULL))
        gap <- if (tty) 0.2 else 5
        if (!is.na(last) && now - last < gap && iteration != num_iterations - 1) return(invisible(NULL))
      }
      line <- twinnet:::progress_line(iteration, num_iterations, cost, elapsed)
      if (tty && mode == "auto") cat("\r", line, "   ", sep = "", file = stderr()) else cat(line, "\n", sep = "", file = stderr())
      last <<- now
      shown <<- TRUE
      invisible(NULL)
    },
    close = function() {
      if (!shown) return(invisible(NULL))
      elapsed <- proc.time()[["elapsed"]] - t0
      summary <- sprintf("done: %d iterations in %.1f s (%.0f it/s)", num_iterations, elapsed, num_iterations / elapsed)
      if (tty && mode == "auto") cat("\r", summary, "          \n", sep = "", file = stderr()) else cat(summary, "\n", sep = "", file = stderr())
    }
  )
}

cmd_train <- function(args) {
  p <- parse_args(args, c("data", "layers", "activation", "init", "learning-rate", "iterations", "seed",
                          "print-every", "n-samples", "size", "out", "progress"))
  if (length(p$pos)) usage_error(sprintf("train: unexpected argument '%s'", p$pos[1]))
  o <- p$opts
  seed <- if (is.null(o$seed)) 1L else as_seed(o$seed)
  d <- load_data(if (is.null(o$data)) "circles" else o$data, as_count(o, "n-samples", 1000L), seed,
                 as_count(o, "size", 64L))
  def <- d$defaults
  hidden <- if (is.null(o$layers)) def$hidden_layers else as_layers(o$layers)
  act <- choice(o, "activation", c("relu", "tanh", "sigmoid", "leaky_relu"), "relu")
  init <- choice(o, "init", c("xavier", "he", "scaled", "standard"), "xavier")
  lr <- if (is.null(o[["learning-rate"]])) def$learning_rate else as_rate(o[["learning-rate"]])
  its <- as_count(o, "iterations", def$num_iterations)
  every <- as_count(o, "print-every", def$print_every)
  mode <- choice(o, "progress", c("auto", "always", "never"), "auto")
  out <- if (is.null(o$out)) "out" else o$out
  lab <- function(Y) if (length(d$classes)) factor(d$classes[as.vector(Y) + 1], levels = d$classes) else as.numeric(Y)
  cat(sprintf("data: %s: %d training and %d test examples, %d features\n", d$name, ncol(d$X), ncol(d$X_test), nrow(d$X)))
  cat(sprintf("network: %s, %s hidden layers, %s init, learning rate %s, %d iterations, seed %d (R)\n",
              paste(c(nrow(d$X), hidden, 1L), collapse = "-"), act, init, format(lr), its, seed))
  dir.create(out, showWarnings = FALSE, recursive = TRUE)
  progress <- progress_display(its, mode)
  fit <- tryCatch(neural_net(t(d$X), lab(d$Y), hidden_layers = hidden, hidden_activation = act, init = init,
                             learning_rate = lr, num_iterations = its, seed = seed, print_every = every,
                             callback = progress$callback),
                  finally = progress$close())
  acc <- function(X, Y) mean(as.character(predict(fit, t(X))) == as.character(lab(Y)))
  files <- file.path(out, c("model.h5", "costs.csv", "cost-curve.png"))
  save_model(fit, files[1])
  write_text_atomic(files[2], c("iteration,cost", sprintf("%d,%s", fit$costs$iteration,
                                                           sprintf("%.17g", fit$costs$cost))))
  plot_costs(fit$costs, files[3])
  if (nrow(d$X) == 2L) {
    files <- c(files, file.path(out, "decision-boundary.png"))
    plot_decision_boundary(d$X, d$Y, fit$parameters, act, files[4])
  }
  cat(sprintf("final cost: %.6g\n", fit$costs$cost[nrow(fit$costs)]))
  cat(sprintf("train accuracy: %.4f\ntest accuracy: %.4f\n", acc(d$X, d$Y), acc(d$X_test, d$Y_test)))
  cat(sprintf("wrote %s\n", paste(files, collapse = ", ")))
}

cmd_predict <- function(args) {
  p <- parse_args(args, c("set"))
  if (length(p$pos) < 2L) usage_error("predict: expected a model file and at least one input")
  set <- choice(p$opts, "set", c("test", "train"), "test")
  model <- load_model(p$pos[1])
  classes <- as.character(model$classes)
  rows <- data.frame(input = character(0), class = integer(0), p = numeric(0), truth = integer(0))
  for (item in p$pos[-1]) {
    if (!file.exists(item) || dir.exists(item)) {
      input_error_line(sprintf("`inputs`: expected image, HDF5 or CSV files; got '%s' (no such file)", item))
    }
    ext <- tolower(tools::file_ext(item))
    if (ext == "csv") {
      P <- predict(model, utils::read.csv(item), type = "prob")
      rows <- rbind(rows, data.frame(input = sprintf("%s[%d]", item, seq_along(P)), class = as.integer(P > 0.5),
                                     p = P, truth = NA_integer_))
    } else if (ext %in% c("h5", "hdf5", "hdf") || is_hdf5(item)) {
      out <- xy_of(needs("load_h5_dataset", "predicting an HDF5 data file")(item, paste0(set, "_set_x"), paste0(set, "_set_y")))
      P <- predict(model, t(out$X), type = "prob")
      rows <- rbind(rows, data.frame(input = sprintf("%s:%s[%d]", item, set, seq_along(P) - 1L),
                                     class = as.integer(P > 0.5), p = P, truth = as.integer(as.vector(out$Y))))
    } else if (ext %in% c("png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff", "webp")) {
      fn <- needs("predict_image", "predicting an image")
      formals_fn <- names(formals(fn))
      extra <- list()
      if ("hidden_activation" %in% formals_fn) extra$hidden_activation <- model$hidden_activation
      size <- as.integer(round(sqrt(model$n_features / 3)))
      for (nm in intersect(c("size", "num_px"), formals_fn)) extra[[nm]] <- size
      res <- do.call(fn, c(list(item, model$parameters), extra))
      pr <- as.numeric(if (!is.null(res$probability)) res$probability else res[[1]])[1]
      rows <- rbind(rows, data.frame(input = item, class = as.integer(pr > 0.5), p = pr, truth = NA_integer_))
    } else {
      input_error_line(sprintf("`inputs`: expected image, HDF5 or CSV files; got '%s'", item))
    }
  }
  w <- max(nchar("input"), nchar(rows$input))
  cw <- max(nchar("class"), nchar(classes))
  cat(sprintf("%-*s  %-*s  P(%s)\n", w, "input", cw, "class", classes[2]))
  cat(sprintf("%-*s  %-*s  %.6f\n", w, rows$input, cw, classes[rows$class + 1L], rows$p), sep = "")
  lab <- !is.na(rows$truth)
  if (any(lab)) cat(sprintf("accuracy on the %d labelled examples: %.4f\n", sum(lab), mean(rows$class[lab] == rows$truth[lab])))
}

main <- function(args) {
  if (!length(args) || args[1] %in% c("-h", "--help", "help")) {
    cat(usage, "\n")
    return(if (length(args)) 0L else 2L)
  }
  status <- tryCatch({
    switch(args[1],
           train = cmd_train(args[-1]),
           predict = cmd_predict(args[-1]),
           usage_error(sprintf("unknown command '%s' (expected train or predict)", args[1])))
    0L
  }, twinnet_usage_error = function(e) {
    message("twinnet.R: ", conditionMessage(e), " (", usage, ")")
    2L
  }, twinnet_input_error = function(e) {
    message("twinnet.R: error: ", gsub("\n", " ", conditionMessage(e)))
    2L
  }, error = function(e) {
    message("twinnet.R: error: ", gsub("\n", " ", conditionMessage(e)))
    1L
  })
  status
}

quit(status = main(commandArgs(trailingOnly = TRUE)), save = "no")

# The twinnet command line in R (twin of python/twinnet/cli.py): the same commands, options,
# defaults, messages and exit codes. `Rscript scripts/twinnet.R ...` in a checkout, or
# `Rscript -e 'quit(status = twinnet::cli_main())' ...` wherever the package is installed.
#
#   train     train on circles, a cat/non-cat folder, an HDF5 file or an image folder and write
#             model.h5, costs.csv and PNGs to --out (--lang python: Python's command line trains)
#   predict   class and probability for images, an HDF5 file or a CSV file of features
#   compare   train here and through Python's command line from one seed, compare the two runs
#   convert   an image folder (one subfolder per class) to one HDF5 file
#
# Exit codes: 0 success, 2 bad arguments or input (one line on stderr), 1 anything else, 130
# interrupted. `--lang python` and `compare` run Python's command line: `$TWINNET_PYTHON -m
# twinnet` (default `python3`).

#' @include activations.R initialize.R data.R rng.R optimizers.R
NULL

# This command line's language, and the names the output gives the two.
LANGUAGE <- "r"
LANGUAGES <- list(python = "Python", r = "R")

# The defaults of train and compare that depend on the data: the demo's configuration on circles,
# the cat/non-cat experiment's on every other data set.
DATA_DEFAULTS <- list(
  circles = list(hidden_layers = c(16L, 8L), learning_rate = 0.05, num_iterations = 5000L, print_every = 500L),
  images = list(hidden_layers = c(20L, 7L, 5L), learning_rate = 0.0075, num_iterations = 2500L, print_every = 100L)
)
# The options whose default depends on the data, and the configuration entry they set.
PER_DATA <- list(layers = "hidden_layers", `learning-rate` = "learning_rate", iterations = "num_iterations",
                 `print-every` = "print_every")

# Options: list(name, metavar, kind, default, help); kind is "text", "layers", "count", "seed", "rate",
# "nonnegative", "beta", "numbers" (comma-separated), "batch" (a count or none) or the character vector of
# the values allowed. A default of NULL is the data's (DATA_DEFAULTS), or none (mini-batch-size).
MODEL_OPTIONS <- list(
  list("data", "DATA", "text", "circles",
       "\"circles\", a cat/non-cat folder, an HDF5 file in that layout or an image folder"),
  list("layers", "SIZES", "layers", NULL, "hidden layer sizes, comma-separated, or none (logistic regression)"),
  list("activation", "NAME", names(ACTIVATIONS), "relu", "activation of the hidden layers"),
  list("init", "SCHEME", names(INIT_SCHEMES), "xavier", "initialisation scheme"),
  list("learning-rate", "RATE", "rate", NULL, "learning rate"),
  list("iterations", "N", "count", NULL, "iterations of gradient descent (epochs, with mini-batches)"),
  list("seed", "SEED", "seed", 1L, "seed of the initial parameters (and of circles)"),
  list("stream", "STREAM", STREAMS, "portable", "the seed's random stream: twinnet's portable one or numpy's legacy one"),
  list("print-every", "N", "count", NULL, "record the cost every N iterations"),
  list("n-samples", "N", "count", 1000L, "circles: training points (the test set has half as many)"),
  list("size", "PIXELS", "count", 64L, "image folders: side of the square images")
)
# The course's improvements (docs/contract.md section 36): each is neural_net()'s argument of the same
# name, with "_" for "-"; "none" is NULL.
TRAINING_OPTIONS <- list(
  list("lambd", "LAMBD", "nonnegative", 0, "L2 regularisation strength"),
  list("keep-prob", "P", "numbers", 1, paste("dropout: the probability of keeping a hidden unit, one value or one per",
                                             "hidden layer, comma-separated")),
  list("mini-batch-size", "N", "batch", NULL, paste("mini-batches of N examples, reshuffled every epoch, or none (the",
                                                    "full batch)")),
  list("optimizer", "NAME", OPTIMIZERS, "gd", "the optimiser"),
  list("beta", "BETA", "beta", 0.9, "momentum's beta"),
  list("beta1", "BETA", "beta", 0.9, "Adam's beta1"),
  list("beta2", "BETA", "beta", 0.999, "Adam's beta2"),
  list("epsilon", "EPS", "rate", 1e-8, "Adam's epsilon"),
  list("decay", "NAME", c("none", DECAYS), "none", "learning-rate decay per epoch"),
  list("decay-rate", "RATE", "nonnegative", 1, "the decay's rate"),
  list("time-interval", "N", "count", 1000L, "schedule_lr_decay: epochs between two falls of the learning rate"),
  list("mini-batch-seed", "SEED", "seed", 10L, "seed of the mini-batches (advanced once per epoch)"),
  list("dropout-seed", "SEED", "seed", 1L, "seed of the dropout masks")
)
MODEL_OPTIONS <- c(MODEL_OPTIONS, TRAINING_OPTIONS)
TRAIN_OPTIONS <- c(MODEL_OPTIONS, list(
  list("lang", "LANG", names(LANGUAGES), LANGUAGE, "train in Python or in R"),
  list("out", "FOLDER", "text", "out", "folder for model.h5, costs.csv and the PNGs"),
  list("progress", "WHEN", c("auto", "always", "never"), "auto",
       "when to show a progress line on stderr (auto: for runs longer than a second)"),
  list("init-from", "MODEL", "text", NULL, paste("a model file to train from instead of drawing the initial parameters",
                                                 "(--layers defaults to the model's)"))
))
# compare --course: the application notebook's two models on a cat/non-cat folder (COURSE_MODELS).
COURSE_OPTION <- list("course", "DATA", "text", NULL, paste("a cat/non-cat folder: train the course notebook's two models",
                                                            "and print the notebook's costs beside both languages'",
                                                            "(of the other options only --iterations applies)"))
COURSE_EXPECTED <- paste("a folder holding", paste(CATVNONCAT_FILES, collapse = " and "))
# Commands: name -> list(summary, positional arguments as list(name, metavar, many, help), options).
COMMANDS <- list(
  train = list("train a network and write the model, the cost history and pictures", list(), TRAIN_OPTIONS),
  predict = list("class and probability for images, an HDF5 file or a CSV file", list(
    list("model", "MODEL", FALSE, "a model file (twinnet train, save_model in Python or R)"),
    list("inputs", "INPUT", TRUE, paste("image files, HDF5 files in the cat/non-cat layout, or CSV files of features",
                                        "(one row per example, with a header)"))
  ), list(list("set", "SET", c("test", "train"), "test", "HDF5 inputs: which set"))),
  compare = list("train in Python and in R from one seed and compare the two runs (needs R)", list(),
                 c(MODEL_OPTIONS, list(COURSE_OPTION))),
  convert = list("convert an image folder (one subfolder per class) to an HDF5 file", list(
    list("src", "SRC", FALSE, "a folder with one subfolder of images per class"),
    list("dest", "DEST", FALSE, "the HDF5 file to write")
  ), list(list("size", "PIXELS", "count", 64L, "side of the square images")))
)
# What train writes into --out: the whole set is swapped in at once (swap_folder in R/atomic.R).
OUTPUT_SET <- c("model.h5", "costs.csv", "cost-curve.png", "decision-boundary.png")
OUT_EXPECTED <- paste0("a folder to write the output to: a new one, or one that holds only a previous run's ",
                       paste(OUTPUT_SET, collapse = ", "))
# The library's arguments that are options of the command line (a message naming one names the option).
OPTION_OF <- list(hidden_layers = "layers", learning_rate = "learning-rate", num_iterations = "iterations",
                  print_every = "print-every", n_samples = "n-samples", seed = "seed", size = "size", spec = "data",
                  path = "data", folder = "data")
IMAGE_EXTENSIONS <- c(".png", ".jpg", ".jpeg")
HDF5_EXTENSIONS <- c(".h5", ".hdf5", ".hdf")
INT_TEXT <- "^[+-]?[0-9]+$"
NUMBER_TEXT <- "^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$"

# Bad command-line arguments (exit code 2), found while reading them for `prog`.
usage_error <- function(prog, message) {
  stop(structure(class = c("twinnet_usage_error", "error", "condition"),
                 list(message = message, call = NULL, prog = prog)))
}

# ---------------------------------------------------------------- reading the arguments

# A default as the help shows it: 16,8 for layer sizes, %g for numbers.
shown <- function(value) {
  if (is.character(value)) return(value)
  if (length(value) != 1L) return(if (length(value)) paste(value, collapse = ",") else "none")
  sprintf("%g", as.double(value))
}

default_text <- function(option) {
  name <- option[[1]]
  if (name %in% names(PER_DATA)) {
    key <- PER_DATA[[name]]
    return(sprintf("%s on circles, %s otherwise", shown(DATA_DEFAULTS$circles[[key]]),
                   shown(DATA_DEFAULTS$images[[key]])))
  }
  if (name == "lang") return("this command line's language")
  shown(option[[4]])
}

# The text of --help, for twinnet or one of its commands.
help_text <- function(command = NULL) {
  if (is.null(command)) {
    lines <- c("usage: twinnet [--version] [--help] COMMAND [options]", "",
               "twinnet: one neural network in Python and R, from the command line.", "", "commands:",
               sprintf("  %-9s %s", names(COMMANDS), vapply(COMMANDS, function(spec) spec[[1]], "")),
               "", "twinnet COMMAND --help lists the options of a command.",
               "Exit codes: 0 success, 2 bad arguments or input, 1 anything else.")
    return(paste(lines, collapse = "\n"))
  }
  spec <- COMMANDS[[command]]
  usage <- sprintf("usage: twinnet %s [options]", command)
  for (p in spec[[2]]) usage <- paste0(usage, " ", p[[2]], if (p[[3]]) sprintf(" [%s ...]", p[[2]]) else "")
  lines <- c(usage, "", spec[[1]])
  if (length(spec[[2]])) {
    lines <- c(lines, "", "arguments:", vapply(spec[[2]], function(p) sprintf("  %-22s %s", p[[2]], p[[4]]), ""))
  }
  lines <- c(lines, "", "options:")
  for (option in spec[[3]]) {
    kind <- option[[3]]
    help <- option[[5]]
    if (length(kind) > 1L) help <- paste0(help, "; one of: ", paste(kind, collapse = ", "))
    lines <- c(lines, sprintf("  %-22s %s (default: %s)", paste0("--", option[[1]], " ", option[[2]]), help,
                              default_text(option)))
  }
  paste(c(lines, sprintf("  %-22s this text", "--help")), collapse = "\n")
}

# The "expected ..." part of a contract error message (docs/contract.md section 12).
expected_text <- function(e) sub("^`[^`]*`: (expected .*); got .*$", "\\1", conditionMessage(e))

parse_layers <- function(text, prog) {
  words <- strsplit(gsub(" ", "", text, fixed = TRUE), ",", fixed = TRUE)[[1]]
  if (tolower(trimws(text)) %in% c("", "none", "-")) return(integer(0))
  if (!length(words) || !all(grepl(INT_TEXT, words))) {
    usage_error(prog, sprintf("argument --layers: expected comma-separated hidden layer sizes such as 20,7,5; got '%s'",
                              text))
  }
  tryCatch(check_hidden_layers(as.numeric(words), "--layers"), twinnet_input_error = function(e) {
    usage_error(prog, sprintf("argument --layers: %s; got '%s'", expected_text(e), text))
  })
}

# The value of an option from its text, checked by the library's own checks (R/validate.R).
convert_option <- function(option, text, prog) {
  name <- option[[1]]
  kind <- option[[3]]
  if (length(kind) > 1L) {
    if (!(text %in% kind)) {
      usage_error(prog, sprintf("argument --%s: invalid choice: '%s' (choose from %s)", name, text,
                                paste0("'", kind, "'", collapse = ", ")))
    }
    return(text)
  }
  if (kind == "text") return(text)
  if (kind == "layers") return(parse_layers(text, prog))
  if (kind == "numbers") {  # keep_prob: checked (against the layers) when training
    words <- strsplit(gsub(" ", "", text, fixed = TRUE), ",", fixed = TRUE)[[1]]
    if (!length(words) || !all(grepl(NUMBER_TEXT, words))) {
      usage_error(prog, sprintf("argument --%s: expected comma-separated numbers such as 0.8,0.5; got '%s'", name, text))
    }
    return(as.numeric(words))
  }
  if (kind == "batch" && tolower(trimws(text)) == "none") return(NULL)
  if (kind %in% c("rate", "nonnegative", "beta")) {
    value <- if (grepl(NUMBER_TEXT, text)) as.numeric(text) else text
    check <- switch(kind, rate = check_positive_finite, nonnegative = check_nonnegative, beta = check_decay_factor)
  } else {
    value <- if (grepl(INT_TEXT, text)) as.numeric(text) else text
    check <- if (kind == "seed") check_seed else check_count
  }
  tryCatch(check(value, paste0("--", name)), twinnet_input_error = function(e) {
    usage_error(prog, sprintf("argument --%s: %s; got '%s'", name, expected_text(e), text))
  })
}

# list(command, opts) from the arguments after `twinnet`; command "help" or "version" with the text.
parse_args <- function(argv) {
  if (!length(argv)) usage_error("twinnet", "the following arguments are required: COMMAND")
  command <- argv[1]
  if (command %in% c("-h", "--help")) return(list(command = "help", opts = help_text()))
  if (command == "--version") {
    return(list(command = "version", opts = sprintf("twinnet %s", utils::packageVersion("twinnet"))))
  }
  if (!(command %in% names(COMMANDS))) {
    if (startsWith(command, "-")) usage_error("twinnet", sprintf("unrecognized arguments: %s", command))
    usage_error("twinnet", sprintf("argument COMMAND: invalid choice: '%s' (choose from %s)", command,
                                   paste0("'", names(COMMANDS), "'", collapse = ", ")))
  }
  prog <- sprintf("twinnet %s", command)
  positionals <- COMMANDS[[command]][[2]]
  options <- COMMANDS[[command]][[3]]
  by_name <- stats::setNames(options, vapply(options, function(o) o[[1]], ""))
  opts <- lapply(by_name, function(o) o[[4]])
  words <- character(0)
  unknown <- character(0)
  i <- 2L
  while (i <= length(argv)) {
    arg <- argv[i]
    if (arg %in% c("-h", "--help")) return(list(command = "help", opts = help_text(command)))
    if (arg == "--") {
      words <- c(words, argv[-seq_len(i)])
      break
    }
    if (startsWith(arg, "--")) {
      name <- sub("=.*$", "", substring(arg, 3L))
      eq <- grepl("=", arg, fixed = TRUE)
      if (!(name %in% names(by_name))) {
        unknown <- c(unknown, arg)
      } else {
        text <- sub("^[^=]*=", "", arg)
        if (!eq) {
          if (i == length(argv) || startsWith(argv[i + 1L], "--")) {
            usage_error(prog, sprintf("argument --%s: expected one argument", name))
          }
          i <- i + 1L
          text <- argv[i]
        }
        opts[name] <- list(convert_option(by_name[[name]], text, prog))
      }
    } else if (grepl("^-[^0-9.]", arg)) {
      unknown <- c(unknown, arg)
    } else {
      words <- c(words, arg)
    }
    i <- i + 1L
  }
  missing <- vapply(positionals, function(p) p[[1]], "")[seq_along(positionals) > length(words)]
  if (length(missing)) {
    usage_error(prog, paste("the following arguments are required:", paste(missing, collapse = ", ")))
  }
  for (k in seq_along(positionals)) {
    p <- positionals[[k]]
    opts[[p[[1]]]] <- if (p[[3]]) words[k:length(words)] else words[k]
  }
  if (!(length(positionals) && positionals[[length(positionals)]][[3]])) {
    unknown <- c(unknown, words[seq_along(words) > length(positionals)])
  }
  if (length(unknown)) usage_error("twinnet", paste("unrecognized arguments:", paste(unknown, collapse = " ")))
  list(command = command, opts = opts)
}

# The arguments that give `options` the values in `opts` (those that are set), read back exactly.
option_args <- function(opts, options) {
  args <- character(0)
  for (option in options) {
    value <- opts[[option[[1]]]]
    if (!is.null(value)) {
      text <- if (identical(option[[3]], "layers")) {
        if (length(value)) paste(value, collapse = ",") else "none"
      } else if (identical(option[[3]], "numbers")) {
        paste(sprintf("%.17g", value), collapse = ",")
      } else if (is.double(value)) {
        sprintf("%.17g", value)
      } else {
        as.character(value)
      }
      args <- c(args, paste0("--", option[[1]]), text)
    }
  }
  args
}

# ---------------------------------------------------------------- the other language

# Run Python's command line with `args`: list(returncode, stdout, stderr) (NULL unless captured).
other_cli <- function(args, capture = FALSE) {
  python <- Sys.getenv("TWINNET_PYTHON", "python3")
  if (!nzchar(Sys.which(python))) {
    stop(sprintf("the Python command line needs Python: %s is not on the PATH (set TWINNET_PYTHON)", python),
         call. = FALSE)
  }
  if (!capture) {
    status <- system2(python, c("-m", "twinnet", shQuote(args)))
    return(list(returncode = status, stdout = NULL, stderr = NULL))
  }
  err <- tempfile()
  on.exit(unlink(err), add = TRUE)
  out <- suppressWarnings(system2(python, c("-m", "twinnet", shQuote(args)), stdout = TRUE, stderr = err))
  status <- attr(out, "status")
  list(returncode = if (is.null(status)) 0L else status, stdout = paste(c(out, ""), collapse = "\n"),
       stderr = paste(readLines(err, warn = FALSE), collapse = "\n"))
}

# ---------------------------------------------------------------- train, compare

# 0/1 labels as the estimator's y: numbers, or a factor of the class names in label order.
label_vector <- function(Y, classes) {
  codes <- as.vector(Y)
  if (is.null(classes)) return(codes)
  factor(classes[codes + 1], levels = classes)
}

# The data of --data and the training configuration (the data's defaults where not given).
load_cli_data <- function(opts) {
  data <- load_dataset(opts$data, opts$`n-samples`, opts$seed, opts$size, verbose = TRUE, stream = opts$stream)
  defaults <- DATA_DEFAULTS[[if (opts$data == "circles") "circles" else "images"]]
  config <- list(hidden_activation = opts$activation, init = opts$init, seed = opts$seed, stream = opts$stream)
  for (name in names(PER_DATA)) {
    key <- PER_DATA[[name]]
    config[key] <- list(if (is.null(opts[[name]])) defaults[[key]] else opts[[name]])
  }
  if (!is.null(opts$`init-from`)) {  # train --init-from: the model's parameters, checked as the library does
    start <- start_model(opts$`init-from`)
    if (is.null(opts$layers)) config$hidden_layers <- start$hidden_layers
    config$parameters <- check_initial_parameters(start$parameters, network_dims(data, config), "--init-from")
  }
  for (option in TRAINING_OPTIONS) {
    value <- opts[[option[[1]]]]
    config[gsub("-", "_", option[[1]], fixed = TRUE)] <- list(if (identical(value, "none")) NULL else value)
  }
  list(data = data, config = config)
}

# The model of --init-from; a refusal of its file names the option (not --data, the library's path).
start_model <- function(path) {
  tryCatch(load_model(path), twinnet_input_error = function(e) {
    stop(structure(class = c("twinnet_input_error", "error", "condition"),
                   list(message = sub("^`path`:", "`--init-from`:", one_line(e)), call = NULL)))
  })
}

# The network train and compare train, and its training time in seconds.
fit_network <- function(data, config, callback = NULL) {
  t0 <- proc.time()[["elapsed"]]
  net <- do.call(neural_net, c(list(t(data$train_X), label_vector(data$train_Y, data$classes)), config,
                               list(callback = callback)))
  list(net = net, seconds = proc.time()[["elapsed"]] - t0)
}

score <- function(net, X, Y, classes) {
  mean(as.character(stats::predict(net, t(X))) == as.character(label_vector(Y, classes)))
}

costs_csv <- function(costs) {
  paste0("iteration,cost\n", paste0(sprintf("%d,%.17g\n", as.integer(costs$iteration), costs$cost), collapse = ""))
}

network_dims <- function(data, config) c(nrow(data$train_X), config$hidden_layers, 1L)

cmd_train <- function(opts) {
  if (opts$lang != LANGUAGE) {
    others <- Filter(function(option) option[[1]] != "lang", TRAIN_OPTIONS)
    return(other_cli(c("train", option_args(opts, others)))$returncode)
  }
  loaded <- load_cli_data(opts)
  data <- loaded$data
  config <- loaded$config
  cat(sprintf("data: %s: %d training and %d test examples, %d features\n", opts$data, ncol(data$train_X),
              ncol(data$test_X), nrow(data$train_X)))
  cat(sprintf("network: %s, %s hidden layers, %s init, learning rate %g, %s iterations, %s (%s)\n",
              paste(network_dims(data, config), collapse = "-"), config$hidden_activation, config$init,
              config$learning_rate, number_text(config$num_iterations), start_text(opts, config), LANGUAGES[[LANGUAGE]]))
  out <- check_out(opts$out)
  progress <- progress_display(config$num_iterations, opts$progress)
  fit <- tryCatch(fit_network(data, config, progress$callback), finally = progress$close())
  net <- fit$net
  written <- write_output(out, net, data, config)
  cat(sprintf("final cost: %.6g\n", net$costs$cost[nrow(net$costs)]))
  cat(sprintf("time: %.2f s\n", fit$seconds))
  cat(sprintf("train accuracy: %.4f\n", score(net, data$train_X, data$train_Y, data$classes)))
  cat(sprintf("test accuracy: %.4f\n", score(net, data$test_X, data$test_Y, data$classes)))
  cat(sprintf("wrote %s\n", paste(written, collapse = ", ")))
  0L
}

# Where the initial parameters come from, for the "network:" line: seed 1, seed 1 (numpy stream), a model.
start_text <- function(opts, config) {
  if (!is.null(opts$`init-from`)) return(sprintf("initial parameters from %s", opts$`init-from`))
  paste0(sprintf("seed %d", as.integer(config$seed)), if (config$stream == STREAMS[1]) "" else sprintf(" (%s stream)", config$stream))
}

# The --out folder: one that can be made, or that holds only a previous run (OUTPUT_SET) and
# twinnet's temporary files; its parent folders are made. Returns the path, without a final slash.
check_out <- function(out) {
  out <- sub("(.)/+$", "\\1", out)
  kind <- path_kind(out)
  if (kind[1] == "folder") {
    entries <- list.files(out, all.files = TRUE, no.. = TRUE)
    others <- sort(entries[!(entries %in% OUTPUT_SET) & !grepl(TEMP_PATTERN, entries)], method = "radix")
    if (length(others)) {
      shown <- paste0(paste(utils::head(others, 5L), collapse = ", "),
                      if (length(others) > 5L) sprintf(", ... (%d in all)", length(others)) else "")
      input_error("--out", OUT_EXPECTED, sprintf("'%s', which holds %s", out, shown))
    }
  } else if (kind[1] == "broken_link") {
    fault("--out", OUT_EXPECTED, out, "broken link")
  } else if (kind[1] != "missing") {
    fault("--out", OUT_EXPECTED, out, "not a folder")
  }
  parent <- dirname(normalizePath(out, mustWork = FALSE))
  above <- parent
  while (path_kind(above)[1] == "missing" && dirname(above) != above) above <- dirname(above)
  if (path_kind(above)[1] != "folder") fault("--out", OUT_EXPECTED, out, sprintf("%s is not a folder", above))
  if (!dir.exists(parent)) {
    made <- suppressWarnings(dir.create(parent, recursive = TRUE))
    if (!made) os_fault("--out", OUT_EXPECTED, out, .Call(tw_mkdir, parent))
  }
  out
}

# model.h5, costs.csv and the pictures, written into a temporary folder swapped in for `out` (so
# that `out` always holds one complete run); returns the paths as they end up.
write_output <- function(out, net, data, config) {
  work <- create_temp_folder(out, "--out", OUT_EXPECTED)
  done <- FALSE
  on.exit(if (!done) discard_temp(work), add = TRUE)
  names <- c("model.h5", "costs.csv", "cost-curve.png")
  tryCatch({
    save_model(net, file.path(work, "model.h5"))
    atomic_write_text(file.path(work, "costs.csv"), costs_csv(net$costs))
    plot_costs(net$costs, file.path(work, "cost-curve.png"))
    if (nrow(data$train_X) == 2L) {
      plot_decision_boundary(data$train_X, data$train_Y, net$parameters, config$hidden_activation,
                             file.path(work, "decision-boundary.png"))
      names <- c(names, "decision-boundary.png")
    }
  }, twinnet_file_error = function(e) {  # a full disk while writing: said of --out, not of the temporary folder
    discard_temp(work)
    fault("--out", OUT_EXPECTED, out, if (is.null(e$words)) conditionMessage(e) else e$words)
  })
  swap_folder(work, out, "--out", OUT_EXPECTED)
  done <- TRUE
  file.path(out, names)
}

# Train through the other language's command line on `opts` (train into a temporary folder):
# list(net, seconds), or list(net = NULL, seconds = its exit code) when it failed (its stderr passed on).
other_fit <- function(opts) {
  work <- tempfile("twinnet-")
  dir.create(work)
  on.exit(unlink(work, recursive = TRUE), add = TRUE)
  run <- other_cli(c("train", option_args(opts, MODEL_OPTIONS), "--out", work, "--progress", "never"), capture = TRUE)
  if (run$returncode != 0L) {
    message(run$stderr)
    return(list(net = NULL, seconds = run$returncode))
  }
  list(net = load_model(file.path(work, "model.h5")),
       seconds = as.numeric(sub("^time: (\\S+) s$", "\\1", grep("^time: ", strsplit(run$stdout, "\n")[[1]],
                                                                value = TRUE)[1])))
}

cmd_compare <- function(opts) {
  if (!is.null(opts$course)) return(cmd_compare_course(opts))
  loaded <- load_cli_data(opts)
  data <- loaded$data
  config <- loaded$config
  dims <- network_dims(data, config)
  what <- if (opts$data == "circles") {
    sprintf("circles: %d training points, %d test points", ncol(data$train_X), ncol(data$test_X))
  } else {
    sprintf("%s: %d training and %d test examples, %d features", opts$data, ncol(data$train_X), ncol(data$test_X),
            nrow(data$train_X))
  }
  cat(sprintf("%s; layers [%s], %s, %s init, learning rate %g, %s iterations, seed %d\n", what,
              paste(dims, collapse = ", "), config$hidden_activation, config$init, config$learning_rate,
              number_text(config$num_iterations), as.integer(config$seed)))
  nets <- list()
  seconds <- list()
  fit <- fit_network(data, config)
  nets[[LANGUAGE]] <- fit$net
  seconds[[LANGUAGE]] <- fit$seconds
  other <- if (LANGUAGE == "python") "r" else "python"
  fit <- other_fit(opts)
  if (is.null(fit$net)) return(fit$seconds)
  nets[[other]] <- fit$net
  seconds[[other]] <- fit$seconds
  py <- nets$python
  rr <- nets$r
  a <- py$costs$cost
  b <- rr$costs$cost
  cat(sprintf("%9s  %22s  %22s  %9s\n", "iteration", "cost (Python)", "cost (R)", "rel. diff"))
  cat(sprintf("%9d  %22.17g  %22.17g  %9.1e\n", as.integer(py$costs$iteration), a, b, abs(a - b) / abs(a)), sep = "")
  cost_diff <- max(abs(a - b)) / max(abs(a))
  cat(sprintf("largest relative cost difference: %.2e (contract: <= 1e-9)\n", cost_diff))
  for (set in list(list("train", data$train_X, data$train_Y), list("test", data$test_X, data$test_Y))) {
    cat(sprintf("%s accuracy: Python %.4f   R %.4f\n", set[[1]], score(py, set[[2]], set[[3]], data$classes),
                score(rr, set[[2]], set[[3]], data$classes)))
  }
  X_all <- t(cbind(data$train_X, data$test_X))
  pa <- stats::predict(py, X_all, type = "prob")
  pb <- stats::predict(rr, X_all, type = "prob")
  agree <- identical(pa > 0.5, pb > 0.5)
  cat(sprintf("predictions identical: %s (largest relative probability difference %.2e)\n",
              if (agree) "yes" else "NO", max(abs(pa - pb)) / max(abs(pa))))
  cat(sprintf("time: Python %.2f s   R %.2f s\n", seconds$python, seconds$r))
  if (cost_diff <= 1e-9 && agree) return(0L)
  message("twinnet compare: Python and R disagree beyond the contract's tolerances ",
          "(costs <= 1e-9 relative, identical predictions)")
  1L
}

# The notebook's published costs and accuracies per model (course_expected of the fixtures course-*.json
# whose adapter is "notebook"), or NULL when the fixtures are not found.
notebook <- function() {
  folder <- tryCatch(fixtures_folder(NULL), twinnet_input_error = function(e) NULL)
  if (is.null(folder)) return(NULL)
  out <- list()
  for (path in sort(list.files(folder, pattern = "^course-.*[.]json$", full.names = TRUE), method = "radix")) {
    fx <- jsonlite::fromJSON(path, simplifyVector = TRUE)
    if (identical(fx$adapter, "notebook")) out[[fx$config$model]] <- fx$course_expected
  }
  if (length(out)) out else NULL
}

# compare's options that train `model` (one of COURSE_MODELS) on the --course folder; --iterations applies.
course_opts <- function(opts, model) {
  opts$data <- opts$course
  opts$layers <- as.integer(model$layer_dims[-c(1L, length(model$layer_dims))])
  opts$activation <- model$hidden_activation
  opts$init <- model$scheme
  opts$seed <- model$seed
  opts$stream <- model$stream
  opts$`learning-rate` <- model$learning_rate
  opts$`print-every` <- model$print_every
  opts$iterations <- if (is.null(opts$iterations)) model$num_iterations else opts$iterations
  opts
}

cmd_compare_course <- function(opts) {
  folder <- check_folder(opts$course, "--course", COURSE_EXPECTED)
  for (name in CATVNONCAT_FILES) check_path(file.path(folder, name), "--course", COURSE_EXPECTED)
  book_all <- notebook()
  cat(sprintf("course: %s: the notebook \"Deep Neural Network - Application\" (course 1, week 4, assignment 2)%s\n",
              folder, if (is.null(book_all)) "; its values not found (fixtures/, or set TWINNET_FIXTURES)" else ""))
  other <- if (LANGUAGE == "python") "r" else "python"
  agree <- TRUE
  for (name in names(COURSE_MODELS)) {
    model <- COURSE_MODELS[[name]]
    copts <- course_opts(opts, model)
    loaded <- load_cli_data(copts)
    data <- loaded$data
    config <- loaded$config
    full <- config$num_iterations == model$num_iterations
    cat(sprintf("\n%s: layers [%s], %s, %s init, learning rate %g, %s iterations, seed %d (%s stream)\n", name,
                paste(model$layer_dims, collapse = ", "), config$hidden_activation, config$init, config$learning_rate,
                number_text(config$num_iterations), as.integer(config$seed), config$stream))
    nets <- list()
    nets[[LANGUAGE]] <- fit_network(data, config)$net
    fit <- other_fit(copts)
    if (is.null(fit$net)) return(fit$seconds)
    nets[[other]] <- fit$net
    py <- nets$python
    rr <- nets$r
    book <- book_all[[name]]
    texts <- rep("-", nrow(py$costs))
    if (!is.null(book)) {
      at <- match(py$costs$iteration, book$costs$iteration)
      texts[!is.na(at)] <- book$costs$cost[at[!is.na(at)]]
    }
    cat(sprintf("%9s  %22s  %22s  %22s\n", "iteration", "notebook", "cost (Python)", "cost (R)"))
    cat(sprintf("%9d  %22s  %22.17g  %22.17g\n", as.integer(py$costs$iteration), texts, py$costs$cost, rr$costs$cost),
        sep = "")
    known <- texts != "-"
    if (any(known)) {
      v <- as.numeric(texts[known])
      cat(sprintf("largest relative difference from the notebook's %d printed costs: Python %.1e   R %.1e\n",
                  sum(known), max(abs(py$costs$cost[known] - v) / abs(v)), max(abs(rr$costs$cost[known] - v) / abs(v))))
    }
    for (set in list(list("train", data$train_X, data$train_Y), list("test", data$test_X, data$test_Y))) {
      shown <- if (full && !is.null(book[[paste0(set[[1]], "_accuracy")]])) book[[paste0(set[[1]], "_accuracy")]] else "-"
      cat(sprintf("%s accuracy: notebook %s   Python %.4f   R %.4f\n", set[[1]], shown,
                  score(py, set[[2]], set[[3]], data$classes), score(rr, set[[2]], set[[3]], data$classes)))
    }
    X_all <- t(cbind(data$train_X, data$test_X))
    same <- identical(as.character(stats::predict(py, X_all)), as.character(stats::predict(rr, X_all)))
    cat(sprintf("predictions identical: %s\n", if (same) "yes" else "NO"))
    agree <- agree && same
  }
  if (agree) return(0L)
  message("twinnet compare: Python and R predict different classes")
  1L
}

# ---------------------------------------------------------------- predict, convert

# "csv", "hdf5" or "image", from the name (or the content, for HDF5) of an input file.
input_kind <- function(path) {
  suffix <- tolower(regmatches(path, regexpr("[.][^./]*$", path)))
  if (identical(suffix, ".csv")) return("csv")
  if (length(suffix) && suffix %in% HDF5_EXTENSIONS || hdf5r::is.h5file(path)) return("hdf5")
  if (length(suffix) && suffix %in% IMAGE_EXTENSIONS) return("image")
  input_error("inputs", sprintf("image (%s), HDF5 or CSV files", paste(IMAGE_EXTENSIONS, collapse = ", ")),
              sprintf("'%s'", path))
}

# data.frame(input, class index, probability of class 1, true class index or NA) for every example of `item`.
predict_rows <- function(model, item, which) {
  path <- check_path(item, "inputs", "image, HDF5 or CSV files")
  kind <- input_kind(path)
  if (kind == "csv") {
    frame <- utils::read.csv(path)  # matched by column name when the model has feature names
    P <- stats::predict(model, if (length(model$feature_names)) frame else unname(as.matrix(frame)), type = "prob")
    return(data.frame(input = sprintf("%s[%d]", item, seq_along(P)), class = as.integer(P > 0.5), p = P,
                      truth = NA_integer_))
  }
  if (kind == "hdf5") {
    d <- load_h5_dataset(path, paste0(which, "_set_x"), paste0(which, "_set_y"))
    P <- stats::predict(model, t(d$X), type = "prob")
    return(data.frame(input = sprintf("%s:%s[%d]", item, which, seq_along(P) - 1L), class = as.integer(P > 0.5),
                      p = P, truth = as.integer(d$Y)))
  }
  size <- as.integer(round(sqrt(model$n_features / 3)))  # predict_image checks 3 * size^2 = n_x
  res <- predict_image(path, model$parameters, model$hidden_activation, size = size)
  data.frame(input = item, class = res$class, p = res$probability, truth = NA_integer_)
}

cmd_predict <- function(opts) {
  model <- load_model(opts$model)
  classes <- as.character(model$classes)
  rows <- do.call(rbind, lapply(opts$inputs, function(item) predict_rows(model, item, opts$set)))
  width <- max(nchar("input"), nchar(rows$input))
  cw <- max(nchar("class"), nchar(classes))
  cat(sprintf("%-*s  %-*s  P(%s)\n", width, "input", cw, "class", classes[2]))
  cat(sprintf("%-*s  %-*s  %.6f\n", width, rows$input, cw, classes[rows$class + 1L], rows$p), sep = "")
  labelled <- !is.na(rows$truth)
  if (any(labelled)) {
    cat(sprintf("accuracy on the %d labelled examples: %.4f\n", sum(labelled),
                sum(rows$class[labelled] == rows$truth[labelled]) / sum(labelled)))
  }
  0L
}

cmd_convert <- function(opts) {
  convert_image_folder(opts$src, opts$dest, size = opts$size)
  cat(sprintf("wrote %s\n", opts$dest))
  0L
}

# ---------------------------------------------------------------- progress, main

# callback(iteration, cost) for train: a progress line on stderr, quiet for short runs. Mode
# "auto" shows nothing during the first `delay` seconds (a short run prints no progress at all),
# then the progress line, redrawn in place on a terminal (at most every 0.2 s) or written as a
# new line every `every` seconds otherwise; "always" shows every recorded cost from the start
# (one line each); "never" shows nothing. close() ends the line with a summary when anything
# was shown.
progress_display <- function(num_iterations, mode, delay = 1, every = 5) {
  tty <- isatty(stderr())
  t0 <- proc.time()[["elapsed"]]
  last <- NULL
  shown <- FALSE
  width <- 0L
  write <- function(line, end = "") {
    if (tty && mode == "auto") {
      cat("\r", line, strrep(" ", max(0L, width - nchar(line))), end, sep = "", file = stderr())
      width <<- nchar(line)
    } else {
      cat(line, "\n", sep = "", file = stderr())
    }
  }
  list(
    callback = function(iteration, cost) {
      if (mode == "never") return(invisible(NULL))
      now <- proc.time()[["elapsed"]]
      elapsed <- now - t0
      if (mode == "auto") {
        if (elapsed < delay) return(invisible(NULL))
        gap <- if (tty) 0.2 else every
        if (!is.null(last) && now - last < gap && iteration != num_iterations - 1) return(invisible(NULL))
      }
      write(progress_line(iteration, num_iterations, cost, elapsed))
      last <<- now
      shown <<- TRUE
      invisible(NULL)
    },
    close = function() {
      if (!shown) return(invisible(NULL))
      elapsed <- proc.time()[["elapsed"]] - t0
      rate <- if (elapsed > 0) num_iterations / elapsed else Inf
      write(sprintf("done: %s iterations in %.1f s (%.0f it/s)", number_text(num_iterations), elapsed, rate), end = "\n")
    }
  )
}

run <- function(command, opts) {
  if (command %in% c("help", "version")) {
    cat(opts, "\n", sep = "")
    return(0L)
  }
  switch(command, train = cmd_train(opts), predict = cmd_predict(opts), compare = cmd_compare(opts),
         cmd_convert(opts))
}

one_line <- function(e) {
  text <- trimws(conditionMessage(e))
  if (!nzchar(text)) text <- class(e)[1]
  parts <- trimws(strsplit(text, "\n", fixed = TRUE)[[1]])
  paste(parts[nzchar(parts)], collapse = " ")
}

# A library message naming an argument that is an option of `command` names the option.
as_option <- function(text, command) {
  arg <- regmatches(text, regexpr("^`[^`]+`:", text))
  if (!length(arg) || is.null(command) || !(command %in% names(COMMANDS))) return(text)
  name <- substr(arg, 2L, nchar(arg) - 2L)
  options <- vapply(COMMANDS[[command]][[3]], function(option) option[[1]], "")
  option <- OPTION_OF[[name]]
  if (is.null(option) || !(option %in% options)) return(text)
  paste0("`--", option, "`", substring(text, nchar(arg)))
}

#' The twinnet command line
#'
#' The R twin of Python's `twinnet` command (`twinnet.cli_main`): the same
#' commands (`train`, `predict`, `compare`, `convert`), options, defaults,
#' messages and exit codes. Run it as `Rscript scripts/twinnet.R ...` in a
#' checkout, or `Rscript -e 'quit(status = twinnet::cli_main())' ...`;
#' `Rscript scripts/twinnet.R --help` lists the commands, `... train --help`
#' the options of one. `train --lang python` and `compare` run Python's
#' command line, `$TWINNET_PYTHON -m twinnet` (default `python3`).
#'
#' @param args `character`, default `commandArgs(trailingOnly = TRUE)`. The
#'   arguments, e.g. `c("train", "--iterations", "500", "--out", "out")`.
#' @return `integer(1)`, the exit code: 0 success, 2 bad arguments or input
#'   (one line on stderr), 1 anything else, 130 interrupted.
#' @examples
#' cli_main("--help")
#' out <- file.path(tempdir(), "circles")
#' cli_main(c("train", "--iterations", "200", "--n-samples", "100", "--out", out))
#' @export
cli_main <- function(args = commandArgs(trailingOnly = TRUE)) {
  command <- NULL
  tryCatch({
    parsed <- parse_args(as.character(args))
    command <- parsed$command
    run(parsed$command, parsed$opts)
  }, twinnet_usage_error = function(e) {
    message(sprintf("%s: %s (see --help)", e$prog, one_line(e)))
    2L
  }, twinnet_input_error = function(e) {
    message("twinnet: error: ", as_option(one_line(e), command))
    2L
  }, interrupt = function(e) {
    message("twinnet: interrupted")
    130L
  }, error = function(e) {
    message("twinnet: error: ", one_line(e))
    1L
  })
}

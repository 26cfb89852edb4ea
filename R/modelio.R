# Model files that move between R and Python (twin of python/twinnet/modelio.py).
#
# One HDF5 layout, docs/model-format.md (format version 2; version 1 is read too), read and written
# with hdf5r. hdf5r shows the dimensions of a dataset in reverse order of
# h5py (R arrays are column-major, HDF5 and numpy row-major): a matrix is
# written as t(M) and read back as t(.), so that both languages see W_l as
# n_l x n_(l-1), bit for bit.

MODEL_FORMAT <- "twinnet-model"
MODEL_FORMAT_VERSION <- 2L
# The format versions load_model reads (version 1 has no training options: they were the defaults).
READABLE_VERSIONS <- c(1L, 2L)

# The attributes format version 2 adds, the training options of contract section
# 36, with their kinds and the values that stand for NULL (mini_batch_size 0: the
# full batch; decay "none": no decay).
TRAINING_ATTRIBUTES <- c(lambd = "number", keep_prob = "numbers", mini_batch_size = "integer", optimizer = "string",
                         beta = "number", beta1 = "number", beta2 = "number", epsilon = "number", decay = "string",
                         decay_rate = "number", time_interval = "integer", mini_batch_seed = "integer",
                         dropout_seed = "integer")
NONE_STORED_AS <- list(mini_batch_size = 0L, decay = "none")
# What load_model's `path` must be: a readable file, then a model file (the same words in Python).
MODEL_LOAD_EXPECTED <- "an existing file"
MODEL_EXPECTED <- "a twinnet model file (HDF5)"

#' Save and load a fitted neural network
#'
#' `save_model()` writes a fitted network to one HDF5 file, in the layout of
#' docs/model-format.md that Python's `twinnet.save_model()` also writes;
#' `load_model()` reads a file written by either language and returns a
#' `"twinnet"` object, which predicts exactly what the saved network
#' predicted (the parameters are stored bit for bit). Saving writes a
#' temporary file in the same folder and renames it, so an interrupted save
#' never leaves a half-written model; loading refuses a file of another
#' format version, with missing datasets, or with shapes that do not chain,
#' with an error of class `twinnet_input_error`.
#'
#' @param model `twinnet`, no default. From [neural_net()] or [load_model()].
#' @param path `character(1)`, no default. The file to write or read.
#' @return `save_model()`: `path`, invisibly. `load_model()`: a `"twinnet"` object.
#' @examples
#' d <- make_circles(200, seed = 1)
#' fit <- neural_net(t(d$X), as.vector(d$Y), hidden_layers = 8, learning_rate = 0.5,
#'                   num_iterations = 300)
#' path <- tempfile(fileext = ".h5")
#' save_model(fit, path)
#' again <- load_model(path)
#' identical(coef(again), coef(fit))
#' unlink(path)
#' @export
save_model <- function(model, path) {
  if (!inherits(model, "twinnet")) input_error("model", "a fitted model (NeuralNet in Python, neural_net() in R)", describe(model))
  path <- check_output_path(path)
  atomic_write(path, function(tmp) write_model_h5(model, tmp, path), "path", OUTPUT_EXPECTED, nbytes = model_file_size(model))
}

# The model file, written into the temporary file `tmp` (write_h5: into reserved space); `dest`
# names the destination in the messages of faults.
write_model_h5 <- function(model, tmp, dest) {
  write_h5(tmp, model_file_size(model), function(f, scope) fill_model_h5(model, f, scope), "path", OUTPUT_EXPECTED, dest)
}

# The room a model file is given: its doubles and integers, and HDF5's own (h5_size).
model_file_size <- function(model) {
  dims <- as.double(model$layer_dims)
  L <- length(dims) - 1L
  weights <- sum(dims[-1] * dims[-(L + 1L)] + dims[-1])
  h5_size(DOUBLE * weights + 12 * nrow(model$costs) + 4 * length(dims) + 1024, 2 * L + 4)
}

# The datasets and attributes of docs/model-format.md, into the open HDF5 file `f`; what is
# opened is kept in `scope` (closed by write_h5 in reverse order).
fill_model_h5 <- function(model, f, scope) {
  scalar_attr <- function(name, value) {
    space <- h5_keep(scope, hdf5r::H5S$new("scalar"))
    h5_keep(scope, f$create_attr(name, robj = value, space = space))
  }
  dataset <- function(where, name, value) {
    h5_keep(scope, where$create_dataset(name, robj = value, chunk_dims = NULL))
  }
  scalar_attr("format", MODEL_FORMAT)
  scalar_attr("format_version", MODEL_FORMAT_VERSION)
  scalar_attr("hidden_activation", as.character(model$hidden_activation))
  scalar_attr("init", as.character(model$init))
  scalar_attr("seed", as.integer(model$seed))
  scalar_attr("stream", if (is.null(model$stream)) STREAMS[1] else as.character(model$stream))
  scalar_attr("learning_rate", as.double(model$learning_rate))
  scalar_attr("num_iterations", as.integer(model$num_iterations))
  scalar_attr("print_every", as.integer(model$print_every))
  for (name in names(TRAINING_ATTRIBUTES)) {
    value <- model[[name]]
    if (is.null(value)) value <- NONE_STORED_AS[[name]]
    switch(TRAINING_ATTRIBUTES[[name]],
           numbers = h5_keep(scope, f$create_attr(name, robj = as.double(value))),  # 1-D, even of length 1
           integer = scalar_attr(name, as.integer(value)),
           number = scalar_attr(name, as.double(value)),
           string = scalar_attr(name, as.character(value)))
  }
  scalar_attr("writer", sprintf("twinnet %s (R)", as.character(utils::packageVersion("twinnet"))))
  dims <- as.integer(model$layer_dims)
  dataset(f, "layer_dims", dims)
  g <- h5_keep(scope, f$create_group("parameters"))
  for (l in seq_len(length(dims) - 1L)) {
    for (name in paste0(c("W", "b"), l)) {
      M <- model$parameters[[name]]
      storage.mode(M) <- "double"
      dataset(g, name, t(M))  # stored row-major: h5py sees n_l x n_(l-1)
    }
  }
  cg <- h5_keep(scope, f$create_group("costs"))
  dataset(cg, "iteration", as.integer(model$costs$iteration))
  dataset(cg, "cost", as.double(model$costs$cost))
  classes <- model$classes
  if (is.numeric(classes) || is.logical(classes)) {
    dataset(f, "classes", as.double(classes))
  } else {
    utf8 <- h5_keep(scope, hdf5r::H5T_STRING$new(size = Inf))
    utf8$set_cset(hdf5r::h5const$H5T_CSET_UTF8)
    h5_keep(scope, f$create_dataset("classes", robj = enc2utf8(as.character(classes)), dtype = utf8, chunk_dims = NULL))
  }
  invisible(f)
}

model_refuse <- function(expected, got) input_error("path", expected, got)

# The value of the root attribute `name`, the attribute closed at once.
h5_attr <- function(f, name) {
  a <- f$attr_open_by_name(name, ".")
  on.exit(a$close(), add = TRUE)
  a$read()
}

model_attr <- function(f, name, kind) {
  if (!(name %in% hdf5r::h5attr_names(f))) model_refuse(sprintf("an attribute %s", name), "no such attribute")
  v <- h5_attr(f, name)
  if (kind == "numbers") {
    if (!is.double(v) || length(v) == 0L || length(dim(v)) > 1L) {
      model_refuse(sprintf("attribute %s one or more numbers", name), describe(v))
    }
    return(as.vector(v))
  }
  if (kind == "string") {
    if (!is.character(v) || length(v) != 1L) model_refuse(sprintf("attribute %s a string", name), describe(v))
    return(v)
  }
  if (!is.numeric(v) || length(v) != 1L) model_refuse(sprintf("attribute %s a number", name), describe(v))
  if (kind == "integer") {
    if (!is_whole(v)) model_refuse(sprintf("attribute %s a whole number", name), describe(v))
    return(as.integer(v))
  }
  as.double(v)
}

model_dataset <- function(f, name, scope) {
  state <- h5_link_state(f, name)
  if (state != "dataset") model_refuse(sprintf("a dataset %s", name), if (state == "broken link") "a broken link" else "no such dataset")
  h5_keep(scope, f[[name]])
}

#' @rdname save_model
#' @export
load_model <- function(path) {
  path <- check_path(path, "path", MODEL_LOAD_EXPECTED)
  words <- h5_probe(path)
  if (!is.null(words)) fault("path", MODEL_EXPECTED, path, words)
  scope <- h5_scope()
  on.exit(h5_close(scope), add = TRUE)
  f <- tryCatch(hdf5r::H5File$new(path, mode = "r"), error = function(e) e)
  if (inherits(f, "error")) fault("path", MODEL_EXPECTED, path, sprintf("truncated or not an HDF5 file: %s", h5_error_text(f)))
  h5_keep(scope, f)
  fmt <- if ("format" %in% hdf5r::h5attr_names(f)) h5_attr(f, "format") else NULL
  if (!identical(fmt, MODEL_FORMAT)) {
    model_refuse(sprintf("a twinnet model file (attribute format = \"%s\")", MODEL_FORMAT),
                 if (is.null(fmt)) "no format attribute" else paste("format", describe(fmt)))
  }
  version <- model_attr(f, "format_version", "integer")
  if (!(version %in% READABLE_VERSIONS)) {
    model_refuse(sprintf("format version %d (or 1)", MODEL_FORMAT_VERSION), sprintf("format version %d", version))
  }
  act <- model_attr(f, "hidden_activation", "string")
  if (!(act %in% names(ACTIVATIONS))) {
    model_refuse(paste("hidden_activation one of", paste0("\"", names(ACTIVATIONS), "\"", collapse = ", ")),
                 describe(act))
  }
  init <- model_attr(f, "init", "string")
  if (!(init %in% names(INIT_SCHEMES))) {
    model_refuse(paste("init one of", paste0("\"", names(INIT_SCHEMES), "\"", collapse = ", ")), describe(init))
  }
  seed <- model_attr(f, "seed", "integer")
  stream <- if ("stream" %in% hdf5r::h5attr_names(f)) model_attr(f, "stream", "string") else STREAMS[1]  # absent: older files
  if (!(stream %in% STREAMS)) model_refuse(paste("stream one of", paste0("\"", STREAMS, "\"", collapse = ", ")), describe(stream))
  learning_rate <- model_attr(f, "learning_rate", "number")
  num_iterations <- model_attr(f, "num_iterations", "integer")
  print_every <- model_attr(f, "print_every", "integer")
  training <- list()
  if (version >= 2L) {
    for (name in names(TRAINING_ATTRIBUTES)) {
      value <- model_attr(f, name, TRAINING_ATTRIBUTES[[name]])
      training[name] <- list(if (identical(value, NONE_STORED_AS[[name]])) NULL else value)
    }
    if (!(training$optimizer %in% OPTIMIZERS)) {
      model_refuse(paste("optimizer one of", paste0("\"", OPTIMIZERS, "\"", collapse = ", ")), describe(training$optimizer))
    }
    if (!is.null(training$decay) && !(training$decay %in% DECAYS)) {
      model_refuse(paste("decay one of", paste0("\"", c("none", DECAYS), "\"", collapse = ", ")), describe(training$decay))
    }
  }

  ds <- model_dataset(f, "layer_dims", scope)
  dims <- ds$read()
  if (length(ds$dims) != 1L || length(dims) < 2L || !is.integer(dims) || any(dims < 1L) ||
      dims[length(dims)] != 1L) {
    model_refuse("layer_dims of 2 or more whole numbers >= 1 ending in 1",
                 if (length(ds$dims) == 1L) sprintf("[%s]", paste(dims, collapse = ", ")) else describe(dims))
  }
  L <- length(dims) - 1L
  dims_text <- sprintf("[%s]", paste(dims, collapse = ", "))
  weights <- sum(as.double(dims[-1]) * dims[-(L + 1L)] + dims[-1])
  check_memory(DOUBLE * 2 * weights, "path", sprintf("a model of layer_dims %s", dims_text))
  parameters <- list()
  for (l in seq_len(L)) {
    for (spec in list(list(paste0("W", l), c(dims[l + 1L], dims[l])), list(paste0("b", l), c(dims[l + 1L], 1L)))) {
      name <- spec[[1]]
      shape <- spec[[2]]
      d <- model_dataset(f, paste0("parameters/", name), scope)
      file_shape <- rev(d$dims)  # the shape as h5py and the docs write it
      if (!identical(as.integer(file_shape), as.integer(shape))) {
        model_refuse(sprintf("parameters/%s of shape %s (layer_dims %s)", name, shape_str(shape), dims_text),
                     sprintf("shape %s", shape_str(file_shape)))
      }
      if (!inherits(d$get_type(), "H5T_FLOAT")) {
        model_refuse(sprintf("parameters/%s of 64-bit floats", name), "another type")
      }
      parameters[[name]] <- t(array(as.double(d$read()), dim = d$dims))
      bad <- sum(!is.finite(parameters[[name]]))
      if (bad) model_refuse(sprintf("parameters/%s of finite values (no NaN or Inf)", name), sprintf("%d non-finite value(s)", bad))
    }
  }
  extra <- paste0("parameters/W", L + 1L)
  if (h5_link_state(f, extra) != "missing") model_refuse(sprintf("%d layers (layer_dims %s)", L, dims_text), sprintf("a dataset %s as well", extra))

  it_ds <- model_dataset(f, "costs/iteration", scope)
  cost_ds <- model_dataset(f, "costs/cost", scope)
  it <- it_ds$read()
  cost <- cost_ds$read()
  if (length(it_ds$dims) != 1L || length(cost_ds$dims) != 1L || length(it) != length(cost) ||
      length(it) == 0L || !is.integer(it) || !is.double(cost)) {
    model_refuse("costs/iteration (integers) and costs/cost (floats) of one equal length",
                 sprintf("shapes %s and %s", shape_str(rev(it_ds$dims)), shape_str(rev(cost_ds$dims))))
  }

  cl <- model_dataset(f, "classes", scope)
  if (length(cl$dims) != 1L || cl$dims != 2L) model_refuse("classes of length 2", sprintf("shape %s", shape_str(rev(cl$dims))))
  classes <- cl$read()
  if (is.character(classes)) {
    Encoding(classes) <- "UTF-8"
  } else if (!is.numeric(classes)) {
    model_refuse("classes as numbers or strings", "another type")
  } else {
    classes <- as.double(classes)
  }
  new_twinnet(parameters, data.frame(iteration = as.integer(it), cost = as.double(cost)), classes, dims, act,
              init, learning_rate, num_iterations, seed, print_every, stream = stream, training = training)
}

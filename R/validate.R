# Argument checks shared by every exported function (twin of python/twinnet/validate.py).
#
# Every message has the form "`arg`: expected <what>; got <what was given>"
# (docs/contract.md section 12). The "expected" part is word for word the
# same as on the Python side; the parity suite checks it.

SEED_MAX <- 2^31 - 1
# The largest count (iterations, the spacing of the cost history, a layer size): R's largest
# integer and matrix dimension, and the model file's 32-bit integers (contract section 12).
COUNT_MAX <- 2^31 - 1

input_error <- function(arg, expected, got) {
  msg <- sprintf("`%s`: expected %s; got %s", arg, expected, got)
  stop(structure(class = c("twinnet_input_error", "error", "condition"),
                 list(message = msg, call = NULL)))
}

describe <- function(x) {
  if (is.null(x)) return("NULL")
  if (is.matrix(x)) return(sprintf("a %s matrix of shape %s", typeof(x), shape_str(dim(x))))
  if (is.atomic(x) && length(x) == 1L) {
    if (is.character(x)) return(sprintf("\"%s\"", x))
    return(format(x, digits = 17))
  }
  if (is.data.frame(x)) return("a data.frame")
  if (is.atomic(x)) return(sprintf("a %s vector of length %d", typeof(x), length(x)))
  sprintf("a %s", class(x)[1])
}

shape_str <- function(d) sprintf("(%s)", paste(d, collapse = ", "))

is_whole <- function(v) {
  is.numeric(v) && length(v) == 1L && !is.na(v) && is.finite(v) && v == round(v)
}

# A number as both languages print it in messages: whole numbers in full, others with %g.
number_text <- function(v) {
  if (is_whole(v) && abs(v) < 1e21) return(format(as.double(v), scientific = FALSE, digits = 22))
  if (is.numeric(v) && length(v) == 1L) {
    if (is.na(v)) return("NaN")
    if (is.infinite(v)) return(if (v > 0) "Inf" else "-Inf")
    return(sprintf("%g", v))
  }
  describe(v)
}

# A count as R holds it: an integer when it fits in one, else a double (never NA).
as_count <- function(v) if (abs(v) <= .Machine$integer.max) as.integer(v) else as.double(v)

check_matrix <- function(x, arg) {
  expected <- "a 2-D numeric matrix"
  if (!is.numeric(x) || is.object(x) && !is.matrix(x)) input_error(arg, expected, describe(x))
  if (!is.matrix(x)) {
    input_error(arg, expected, sprintf("an array of %d dimension(s)", max(1L, length(dim(x)))))
  }
  if (length(x) == 0L) input_error(arg, expected, sprintf("an empty matrix of shape %s", shape_str(dim(x))))
  # storage.mode<- on a double that the caller also holds returns an ALTREP
  # wrapper, which the first matrix product then copies in full: skip it.
  if (!is.double(x)) storage.mode(x) <- "double"
  finite <- is.finite(x)
  if (!all(finite)) {
    input_error(arg, "finite values (no NaN or Inf)", sprintf("%d non-finite value(s)", sum(!finite)))
  }
  x
}

check_labels <- function(y, m, arg = "Y") {
  expected <- "a 1 x m numeric matrix of 0/1 labels"
  if (!is.numeric(y) || !is.matrix(y)) input_error(arg, expected, describe(y))
  if (nrow(y) != 1L) input_error(arg, expected, sprintf("shape %s", shape_str(dim(y))))
  if (!is.null(m) && ncol(y) != m) {
    input_error(arg, sprintf("m = %d columns, as many as X", m), sprintf("%d columns", ncol(y)))
  }
  bad <- is.na(y) | !(y %in% c(0, 1))
  if (any(bad)) {
    input_error(arg, "values 0 or 1 only",
                sprintf("%d other value(s), e.g. %s", sum(bad), format(y[bad][1], digits = 17)))
  }
  if (!is.double(y)) storage.mode(y) <- "double"
  y
}

check_layer_dims <- function(layer_dims, n_x = NULL, arg = "layer_dims", output_one = TRUE) {
  if (!is.atomic(layer_dims) || is.null(layer_dims) || length(layer_dims) < 2L || is.object(layer_dims)) {
    input_error(arg, "at least 2 layer sizes (n_x, ..., 1)", describe(layer_dims))
  }
  for (v in as.list(layer_dims)) {
    if (!is_whole(v) || v < 1) input_error(arg, "whole numbers >= 1", if (is.numeric(v)) format(v, digits = 17) else describe(v))
  }
  for (v in layer_dims) {
    if (v > COUNT_MAX) {
      input_error(arg, sprintf("layer sizes of at most %.0f (R's largest matrix dimension)", COUNT_MAX), number_text(v))
    }
  }
  dims <- as.integer(layer_dims)
  if (output_one && dims[length(dims)] != 1L) {
    input_error(arg, "an output layer of size 1", as.character(dims[length(dims)]))
  }
  if (!is.null(n_x) && dims[1] != n_x) {
    input_error(arg, sprintf("a first entry equal to n_x = %d (the rows of X)", n_x), as.character(dims[1]))
  }
  dims
}

check_choice <- function(value, choices, arg) {
  if (!is.character(value) || length(value) != 1L || is.na(value) || !(value %in% choices)) {
    input_error(arg, paste("one of", paste0("\"", choices, "\"", collapse = ", ")), describe(value))
  }
  value
}

check_positive_finite <- function(value, arg) {
  if (!is.numeric(value) || length(value) != 1L || is.na(value) || !is.finite(value) || value <= 0) {
    input_error(arg, "a positive finite number", describe(value))
  }
  as.double(value)
}

check_nonnegative <- function(value, arg) {
  if (!is.numeric(value) || length(value) != 1L || is.na(value) || !is.finite(value) || value < 0) {
    input_error(arg, "a finite number >= 0", describe(value))
  }
  as.double(value)
}

check_count <- function(value, arg, minimum = 1, maximum = NULL) {
  if (!is_whole(value) || value < minimum) {
    input_error(arg, sprintf("a whole number >= %d", as.integer(minimum)), describe(value))
  }
  if (!is.null(maximum) && value > maximum) {
    input_error(arg, sprintf("a whole number <= %.0f", maximum), number_text(value))
  }
  as_count(value)
}

check_seed <- function(seed, arg = "seed") {
  if (!is_whole(seed) || seed < 0 || seed > SEED_MAX) {
    input_error(arg, sprintf("a whole number in 0..%.0f", SEED_MAX), describe(seed))
  }
  as.integer(seed)
}

check_fraction <- function(value, arg = "test_fraction") {
  if (!is.numeric(value) || length(value) != 1L || is.na(value) || !is.finite(value) || value <= 0 || value >= 1) {
    input_error(arg, "a number in (0, 1)", describe(value))
  }
  as.double(value)
}

check_flag <- function(value, arg) {
  if (!is.logical(value) || length(value) != 1L || is.na(value)) {
    input_error(arg, "TRUE/True or FALSE/False", describe(value))
  }
  value
}

# A single non-empty string, or the contract's error (the paths' own checks are in R/files.R:
# contract section 30).
path_text <- function(path, arg, expected) {
  if (!is.character(path) || length(path) != 1L || is.na(path) || !nzchar(path)) {
    input_error(arg, expected, describe(path))
  }
  path
}

n_layers <- function(parameters, arg = "parameters") {
  expected <- "a mapping with keys W1, b1, ..., WL, bL"
  if (!is.list(parameters) || is.null(names(parameters))) input_error(arg, expected, describe(parameters))
  L <- 0L
  while (paste0("W", L + 1L) %in% names(parameters)) L <- L + 1L
  if (L == 0L) input_error(arg, expected, "no key W1")
  keys <- as.vector(rbind(paste0("W", seq_len(L)), paste0("b", seq_len(L))))
  missing <- setdiff(keys, names(parameters))
  layered <- grep("^[Wb][0-9]+$", names(parameters), value = TRUE)
  beyond <- layered[as.double(substring(layered, 2L)) > L]
  beyond <- beyond[order(as.double(substring(beyond, 2L)), substring(beyond, 1L, 1L) != "W")]
  if (length(beyond)) missing <- c(missing, paste0("W", L + 1L))
  if (length(missing)) {
    input_error(arg, expected, paste0("missing ", paste(missing, collapse = ", "),
                                      if (length(beyond)) sprintf(" (but %s given)", paste(beyond, collapse = ", ")) else ""))
  }
  L
}

check_parameters <- function(parameters, n_x = NULL, arg = "parameters", output_one = TRUE) {
  L <- n_layers(parameters, arg)
  key <- function(name) sprintf("%s[\"%s\"]", arg, name)
  dims <- integer(0)
  for (l in seq_len(L)) {
    W <- parameters[[paste0("W", l)]]
    b <- parameters[[paste0("b", l)]]
    if (!is.numeric(W) || !is.matrix(W)) input_error(key(paste0("W", l)), "a 2-D numeric matrix", describe(W))
    if (!is.numeric(b) || !is.matrix(b)) input_error(key(paste0("b", l)), "a 2-D numeric matrix", describe(b))
    if (l == 1L) {
      dims <- ncol(W)
    } else if (ncol(W) != dims[length(dims)]) {
      input_error(key(paste0("W", l)), sprintf("%d columns (the rows of W%d)", dims[length(dims)], l - 1L),
                  sprintf("shape %s", shape_str(dim(W))))
    }
    if (!identical(dim(b), c(nrow(W), 1L))) {
      input_error(key(paste0("b", l)), sprintf("shape (%d, 1)", nrow(W)), sprintf("shape %s", shape_str(dim(b))))
    }
    dims <- c(dims, nrow(W))
  }
  if (output_one && dims[length(dims)] != 1L) {
    input_error(key(paste0("W", L)), "1 row (the output layer)", sprintf("shape %s", shape_str(dim(parameters[[paste0("W", L)]]))))
  }
  if (!is.null(n_x) && dims[1] != n_x) {
    input_error(key("W1"), sprintf("%d columns (the rows of X)", n_x), sprintf("shape %s", shape_str(dim(parameters$W1))))
  }
  dims
}

# Keys complete, each W_l a matrix and b_l of shape (rows of W_l, 1); returns L. For
# the functions that work entry by entry (the updates, contract section 35): the
# shapes need not chain from layer to layer.
check_parameter_pairs <- function(parameters, arg = "parameters") {
  L <- n_layers(parameters, arg)
  key <- function(name) sprintf("%s[\"%s\"]", arg, name)
  for (l in seq_len(L)) {
    W <- parameters[[paste0("W", l)]]
    b <- parameters[[paste0("b", l)]]
    if (!is.numeric(W) || !is.matrix(W)) input_error(key(paste0("W", l)), "a 2-D numeric matrix", describe(W))
    if (!is.numeric(b) || !is.matrix(b)) input_error(key(paste0("b", l)), "a 2-D numeric matrix", describe(b))
    if (!identical(dim(b), c(nrow(W), 1L))) {
      input_error(key(paste0("b", l)), sprintf("shape (%d, 1)", nrow(W)), sprintf("shape %s", shape_str(dim(b))))
    }
  }
  L
}

# Every W_l and b_l of `dims` (from check_parameters) finite: predictions are never NaN.
check_finite_parameters <- function(parameters, dims, arg = "parameters") {
  for (l in seq_len(length(dims) - 1L)) {
    for (p in c("W", "b")) check_matrix(parameters[[paste0(p, l)]], sprintf("%s[\"%s%d\"]", arg, p, l))
  }
  invisible(TRUE)
}

# Parameters to train from: the keys and shapes of `dims` (layer_dims), finite
# values, as double matrices W1, b1, ..., WL, bL (in that order).
check_initial_parameters <- function(parameters, dims, arg = "parameters") {
  got <- check_parameters(parameters, n_x = dims[1], arg = arg, output_one = FALSE)
  L <- length(dims) - 1L
  if (length(got) != length(dims)) {
    input_error(arg, sprintf("the keys W1, b1, ..., W%d, b%d of layer_dims %s", L, L, shape_str(dims)),
                sprintf("keys W1, b1, ..., W%d, b%d", length(got) - 1L, length(got) - 1L))
  }
  out <- list()
  for (l in seq_len(L)) {
    for (name in paste0(c("W", "b"), l)) {
      shape <- c(dims[l + 1L], if (startsWith(name, "W")) dims[l] else 1L)
      key <- sprintf("%s[\"%s\"]", arg, name)
      x <- check_matrix(parameters[[name]], key)
      if (!identical(as.integer(dim(x)), as.integer(shape))) {
        input_error(key, sprintf("shape %s from layer_dims %s", shape_str(shape), shape_str(dims)),
                    sprintf("shape %s", shape_str(dim(x))))
      }
      out[[name]] <- x
    }
  }
  out
}

# `x` (AL or ZL) has the shape of the labels `Y` (1 x m).
check_shape_as <- function(x, Y, arg) {
  if (!identical(dim(x), dim(Y))) {
    input_error(arg, sprintf("shape %s, as Y", shape_str(dim(Y))), sprintf("shape %s", shape_str(dim(x))))
  }
  invisible(x)
}

# A number in [0, 1): the betas of momentum and Adam (contract section 35).
check_decay_factor <- function(value, arg) {
  if (!is.numeric(value) || length(value) != 1L || is.na(value) || !is.finite(value) || value < 0 || value >= 1) {
    input_error(arg, "a number in [0, 1)", describe(value))
  }
  as.double(value)
}

# NULL, or one of `choices` (the learning-rate decays, contract section 35).
check_optional_choice <- function(value, choices, arg) {
  if (is.null(value)) return(NULL)
  if (!is.character(value) || length(value) != 1L || is.na(value) || !(value %in% choices)) {
    input_error(arg, paste("None or one of", paste0("\"", choices, "\"", collapse = ", ")), describe(value))
  }
  value
}

is_numeric_matrix <- function(x) is.numeric(x) && is.matrix(x)

# The operands of Z = W A_prev + b (contract section 5): numeric matrices whose shapes conform.
check_linear <- function(A_prev, W, b) {
  for (arg in c("A_prev", "W", "b")) {
    x <- switch(arg, A_prev = A_prev, W = W, b = b)
    if (!is_numeric_matrix(x)) input_error(arg, "a 2-D numeric matrix", describe(x))
  }
  if (ncol(W) != nrow(A_prev)) {
    input_error("W", sprintf("%d columns (the rows of A_prev)", nrow(A_prev)), sprintf("shape %s", shape_str(dim(W))))
  }
  if (!identical(as.integer(dim(b)), c(nrow(W), 1L))) {
    input_error("b", sprintf("shape (%d, 1)", nrow(W)), sprintf("shape %s", shape_str(dim(b))))
  }
  invisible(TRUE)
}

# dZ and a cache of one layer (A_prev, W): numeric matrices, dZ of shape (rows of W, columns of A_prev).
check_linear_backward <- function(dZ, cache) {
  if (!is.list(cache) || !all(c("A_prev", "W") %in% names(cache))) {
    input_error("cache", "a mapping with A_prev, W, b, Z (from linear_activation_forward)", describe(cache))
  }
  for (arg in c("dZ", "cache[\"A_prev\"]", "cache[\"W\"]")) {
    x <- switch(arg, dZ = dZ, "cache[\"A_prev\"]" = cache$A_prev, "cache[\"W\"]" = cache$W)
    if (!is_numeric_matrix(x)) input_error(arg, "a 2-D numeric matrix", describe(x))
  }
  shape <- c(nrow(cache$W), ncol(cache$A_prev))
  if (!identical(as.integer(dim(dZ)), as.integer(shape)) || ncol(cache$W) != nrow(cache$A_prev)) {
    input_error("dZ", sprintf("shape %s (rows of W, columns of A_prev)", shape_str(shape)), sprintf("shape %s", shape_str(dim(dZ))))
  }
  invisible(TRUE)
}

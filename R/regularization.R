# L2 regularisation and inverted dropout (docs/contract.md sections 32 and 33;
# twin of python/twinnet/regularization.py).
#
# The course's second part, week 1: compute_cost_with_regularization() adds
# (1/m) (lambd/2) sum_l ||W_l||^2 to the cross-entropy, the backward pass adds
# (lambd/m) W_l to every dW_l (L_model_backward(..., lambd)), and inverted
# dropout keeps each unit of a hidden layer with probability keep_prob,
# scaling the kept ones by 1 / keep_prob (L_model_forward(..., keep_prob,
# masks)). The masks come from a seeded stream, portable or numpy's, so that a
# seed fixes every mask, bit for bit, in both languages.

# sum_l sum(W_l * W_l) over the weight matrices, layer 1 first (biases are not penalised).
l2_sum <- function(weights) {
  total <- 0
  for (W in weights) total <- total + sum(W * W)
  total
}

# The course's L2 term: (1/m) * (lambd/2) * sum_l ||W_l||^2.
l2_cost <- function(weights, lambd, m) (1 / m) * (lambd / 2) * l2_sum(weights)

#' Cost with L2 regularisation
#'
#' The cross-entropy of [compute_cost()] plus the L2 term of every weight
#' matrix, `(1/m) * (lambd/2) * sum_l sum(W_l^2)` (the biases are not
#' penalised), as the course's `compute_cost_with_regularization()`.
#'
#' @param AL `numeric matrix`, no default. Output probabilities, `1 x m`.
#' @param Y `numeric matrix`, no default. Labels in {0, 1}, `1 x m`.
#' @param parameters `list`, no default. `W1, b1, ..., WL, bL`.
#' @param lambd `numeric(1)`, no default. The regularisation strength, >= 0
#'   (the course's `lambd`; scikit-learn's `alpha`).
#' @param ZL `numeric matrix` or `NULL`, default `NULL`. As in [compute_cost()]:
#'   the cost from `Z_L` when given.
#' @return `numeric(1)`.
#' @examples
#' p <- initialize_parameters(c(2, 3, 1), seed = 1)
#' compute_cost_with_regularization(matrix(c(0.9, 0.2), 1), matrix(c(1, 0), 1), p, lambd = 0.1)
#' @export
compute_cost_with_regularization <- function(AL, Y, parameters, lambd, ZL = NULL) {
  Y <- check_labels(Y, NULL)
  dims <- check_parameters(parameters)
  lambd <- check_nonnegative(lambd, "lambd")
  cross_entropy <- compute_cost(AL, Y, ZL)
  cross_entropy + l2_cost(parameters[paste0("W", seq_len(length(dims) - 1L))], lambd, ncol(Y))
}

# keep_prob: one number in (0, 1], or one per hidden layer; returned as L - 1
# doubles. The output layer is never dropped (contract section 33).
check_keep_prob <- function(keep_prob, L, arg = "keep_prob") {
  expected <- sprintf("a number in (0, 1], or %d of them (one per hidden layer)", L - 1L)
  if (!is.numeric(keep_prob) || is.object(keep_prob) || is.matrix(keep_prob)) {
    input_error(arg, expected, describe(keep_prob))
  }
  if (!(length(keep_prob) %in% c(1L, L - 1L))) input_error(arg, expected, sprintf("%d values", length(keep_prob)))
  for (v in keep_prob) {
    if (is.na(v) || !is.finite(v) || v <= 0 || v > 1) input_error(arg, expected, describe(v))
  }
  if (length(keep_prob) == 1L) rep(as.double(keep_prob), L - 1L) else as.double(keep_prob)
}

#' Dropout masks of one forward pass
#'
#' For every hidden layer l = 1..L-1 whose `keep_prob` is below 1, in order:
#' `n_l * m` uniforms from the seeded stream, filled row by row into
#' `n_l x m` (numpy's `rand(n_l, m)`), and `D_l = 1` where the uniform is
#' below `keep_prob`, else 0. With `stream = "numpy"` and seed 1 these are the
#' course's `forward_propagation_with_dropout()` masks; a training run draws
#' its masks from one such stream, continuing from batch to batch
#' (docs/contract.md section 33), and its first masks are these. The Python
#' twin gives the same masks, bit for bit.
#'
#' @param layer_dims `integer`, no default. `c(n_x, n_1, ..., n_L)`.
#' @param m `integer(1)`, no default. The number of examples (columns) of the pass.
#' @param keep_prob `numeric`, no default. In (0, 1]: one for every hidden
#'   layer, or one per hidden layer.
#' @param seed `integer(1)`, default `1`.
#' @param stream `character(1)`, default `"portable"`. `"portable"` or `"numpy"`.
#' @return A named list: `D<l>` (`n_l x m` double matrices of 0/1) for the
#'   layers with `keep_prob` below 1.
#' @examples
#' masks <- dropout_masks(c(3, 2, 3, 1), 5, keep_prob = 0.7, seed = 1, stream = "numpy")
#' masks$D1
#' @export
dropout_masks <- function(layer_dims, m, keep_prob, seed = 1, stream = "portable") {
  dims <- check_layer_dims(layer_dims, output_one = FALSE)
  m <- check_count(m, "m")
  keep <- check_keep_prob(keep_prob, length(dims) - 1L)
  seed <- check_seed(seed)
  check_choice(stream, STREAMS, "stream")
  draw_masks(draw_stream(seed, stream), dims, m, keep)
}

# One pass's masks from the stream `draws`: D_l = (uniforms < keep_prob_l) for the dropped layers.
draw_masks <- function(draws, dims, m, keep) {
  masks <- list()
  for (l in seq_len(length(dims) - 2L)) {
    if (keep[l] < 1) {
      u <- matrix(draws$uniform(dims[l + 1L] * m), nrow = dims[l + 1L], ncol = m, byrow = TRUE)
      masks[[paste0("D", l)]] <- (u < keep[l]) * 1
    }
  }
  masks
}

# The masks L_model_forward applies: exactly D_l of the layers with keep_prob < 1, n_l x m, 0/1 values.
check_masks <- function(masks, dims, m, keep, arg = "masks") {
  hidden <- seq_len(length(dims) - 2L)
  dropped <- sprintf("D%d", hidden[keep[hidden] < 1])
  expected <- paste0("the masks ", if (length(dropped)) paste(dropped, collapse = ", ") else "(none)",
                     " of the hidden layers with keep_prob < 1 (from dropout_masks()), n_l x m of 0/1 values")
  if (is.null(masks)) {
    if (length(dropped)) input_error(arg, expected, "None")
    return(NULL)
  }
  if (!is.list(masks) || length(masks) && is.null(names(masks))) input_error(arg, expected, describe(masks))
  given <- sort(as.character(names(masks)), method = "radix")
  if (!identical(given, sort(dropped, method = "radix"))) {
    input_error(arg, expected, paste("keys", if (length(given)) paste(given, collapse = ", ") else "(none)"))
  }
  out <- list()
  for (l in hidden) {
    key <- paste0("D", l)
    if (!(key %in% names(masks))) next
    D <- masks[[key]]
    what <- sprintf("a %d x %d matrix of 0/1 values", dims[l + 1L], m)
    name <- sprintf("%s[\"%s\"]", arg, key)
    if (!(is.numeric(D) || is.logical(D)) || !is.matrix(D)) input_error(name, what, describe(D))
    if (!identical(dim(D), c(dims[l + 1L], as.integer(m)))) input_error(name, what, sprintf("shape %s", shape_str(dim(D))))
    if (anyNA(D) || !all(D == 0 | D == 1)) input_error(name, what, "other values")
    out[[key]] <- D * 1
  }
  out
}

# Every cache of a layer with keep_prob < 1 holds its mask D (of the shape of its Z).
check_cache_masks <- function(caches, keep) {
  for (l in seq_len(length(caches) - 1L)) {
    if (keep[l] < 1) {
      D <- if (is.list(caches[[l]])) caches[[l]]$D else NULL
      if (!is.matrix(D) || !identical(dim(D), dim(caches[[l]]$Z))) {
        input_error("caches", sprintf(paste("a dropout mask D of the shape of Z in the cache of layer %d",
                                            "(keep_prob < 1 there: L_model_forward with masks)"), l),
                    if (is.null(D)) "none" else describe(D))
      }
    }
  }
}

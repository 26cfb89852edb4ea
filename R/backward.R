# Backward propagation (docs/contract.md section 7; twin of python/twinnet/backward.py).

#' Backward propagation
#'
#' `linear_backward()` turns `dZ` of one layer into `list(dA_prev, dW, db)`
#' (`dA_prev` is `NULL` when `need_dA_prev = FALSE`);
#' `linear_activation_backward()` first forms `dZ = dA * g'(Z)`;
#' `L_model_backward()` returns the gradients of every layer, starting from
#' `dZ_L = AL - Y` at the sigmoid output.
#'
#' @param dZ `numeric matrix`, no default. Gradient with respect to `Z` (`n_l x m`).
#' @param cache `list`, no default. A layer's cache: `A_prev`, `W`, `b`, `Z`.
#' @param need_dA_prev `logical(1)`, default `TRUE`. Whether to compute `dA_prev = t(W) %*% dZ`.
#' @param dA `numeric matrix`, no default. Gradient with respect to the layer's activations.
#' @param activation `character(1)`, no default. A name in `ACTIVATIONS`.
#' @param AL `numeric matrix`, no default. Output probabilities, `1 x m`.
#' @param Y `numeric matrix`, no default. Labels in {0, 1}, `1 x m`.
#' @param caches `list`, no default. The caches from `L_model_forward()`.
#' @param hidden_activation `character(1)`, default `"relu"`. The hidden layers' activation.
#' @param lambd `numeric(1)`, default `0`. L2 regularisation (docs/contract.md
#'   section 32): `(lambd / m) * W_l` is added to every `dW_l`.
#' @param keep_prob `numeric`, default `1`. Inverted dropout (section 33), as
#'   given to [L_model_forward()]: `dA_l` becomes `dA_l * D_l / keep_prob_l`
#'   with the mask `D` of the cache of layer l.
#' @return `linear_backward()`, `linear_activation_backward()`:
#'   `list(dA_prev, dW, db)`. `L_model_backward()`: a named list with `dW1, db1,
#'   ..., dWL, dbL` and `dA1 ... dA(L-1)` (`dA0` is not computed).
#' @examples
#' X <- matrix(c(1, 2, 3, 4), nrow = 2)
#' Y <- matrix(c(1, 0), nrow = 1)
#' p <- initialize_parameters(c(2, 3, 1), seed = 1)
#' fwd <- L_model_forward(X, p)
#' names(L_model_backward(fwd$AL, Y, fwd$caches))
#' @export
linear_backward <- function(dZ, cache, need_dA_prev = TRUE) {
  check_linear_backward(dZ, cache)
  A_prev <- cache$A_prev
  m <- ncol(A_prev)
  dW <- tcrossprod(dZ, A_prev) / m
  db <- matrix(rowSums(dZ) / m, ncol = 1L)
  dA_prev <- if (need_dA_prev) crossprod(cache$W, dZ) else NULL
  list(dA_prev = dA_prev, dW = dW, db = db)
}

#' @rdname linear_backward
#' @export
linear_activation_backward <- function(dA, cache, activation, need_dA_prev = TRUE) {
  backward <- ACTIVATIONS[[check_choice(activation, names(ACTIVATIONS), "activation")]]$backward
  if (!is.list(cache) || !("Z" %in% names(cache))) {
    input_error("cache", "a mapping with A_prev, W, b, Z (from linear_activation_forward)", describe(cache))
  }
  if (!identical(dim(dA), dim(cache$Z)) || is.null(dim(dA))) {
    input_error("dA", sprintf("the shape of cache[\"Z\"], %s", shape_str(dim(cache$Z))),
                if (is.null(dim(dA))) describe(dA) else sprintf("shape %s", shape_str(dim(dA))))
  }
  linear_backward(backward(dA, cache$Z), cache, need_dA_prev)
}

#' @rdname linear_backward
#' @export
L_model_backward <- function(AL, Y, caches, hidden_activation = "relu", lambd = 0, keep_prob = 1) {
  Y <- check_labels(Y, if (is.matrix(AL)) ncol(AL) else NULL)
  check_shape_as(AL, Y, "AL")  # the output layer has one unit: 1 x m, as Y
  check_choice(hidden_activation, names(ACTIVATIONS), "hidden_activation")
  if (!is.list(caches) || length(caches) == 0L) {
    input_error("caches", "the non-empty list of caches from L_model_forward", describe(caches))
  }
  lambd <- check_nonnegative(lambd, "lambd")
  keep <- check_keep_prob(keep_prob, length(caches))
  check_cache_masks(caches, keep)
  backward_pass(AL, Y, caches, hidden_activation, lambd, keep)
}

# L_model_backward without the argument checks (for the training loop).
backward_pass <- function(AL, Y, caches, hidden_activation, lambd = 0, keep = NULL) {
  L <- length(caches)
  grads <- list()
  dZ <- AL - Y
  backward <- ACTIVATIONS[[hidden_activation]]$backward
  for (l in L:1) {
    cache <- caches[[l]]
    if (l < L) dZ <- backward(grads[[paste0("dA", l)]], cache$Z)
    step <- linear_backward(dZ, cache, need_dA_prev = l > 1L)
    # the course: dW = (1/m) dZ A_prev^T + (lambd W) / m
    grads[[paste0("dW", l)]] <- if (lambd > 0) step$dW + (lambd * cache$W) / ncol(cache$A_prev) else step$dW
    grads[[paste0("db", l)]] <- step$db
    if (l > 1L) {
      dA_prev <- step$dA_prev
      if (!is.null(keep) && keep[l - 1L] < 1) dA_prev <- dA_prev * caches[[l - 1L]]$D / keep[l - 1L]
      grads[[paste0("dA", l - 1L)]] <- dA_prev
    }
  }
  grads
}

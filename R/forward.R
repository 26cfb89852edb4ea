# Forward propagation (docs/contract.md section 5; twin of python/twinnet/forward.py).

#' Forward propagation
#'
#' `linear_forward()` computes `Z = W %*% A_prev + b`;
#' `linear_activation_forward()` applies one layer and returns
#' `list(A, cache)` with `cache = list(A_prev, W, b, Z)`; `L_model_forward()`
#' runs layers 1..L-1 with `hidden_activation` and layer L with the sigmoid
#' (any output size `n_L`; the binary classifier has 1).
#'
#' @param A_prev `numeric matrix`, no default. Activations of the previous layer (`n_(l-1) x m`).
#' @param W `numeric matrix`, no default. Weights (`n_l x n_(l-1)`).
#' @param b `numeric matrix`, no default. Biases (`n_l x 1`).
#' @param activation `character(1)`, no default. A name in `ACTIVATIONS`.
#' @param X `numeric matrix`, no default. Inputs, `n_x x m` (one column per example).
#' @param parameters `list`, no default. `W1, b1, ..., WL, bL`.
#' @param hidden_activation `character(1)`, default `"relu"`. One of
#'   `"relu"`, `"tanh"`, `"sigmoid"`, `"leaky_relu"`.
#' @param keep_prob `numeric`, default `1`. Inverted dropout (docs/contract.md
#'   section 33): the probability of keeping a unit, one for every hidden
#'   layer or one per hidden layer, in (0, 1]. The output layer is never
#'   dropped; 1 is no dropout.
#' @param masks `list` or `NULL`, default `NULL`. The masks `D<l>` of the
#'   layers with `keep_prob` below 1 (as [dropout_masks()] draws them): `A_l`
#'   becomes `A_l * D_l / keep_prob_l` and the cache of layer l keeps `D`.
#' @return `linear_forward()`: `Z`. `linear_activation_forward()`:
#'   `list(A, cache)`. `L_model_forward()`: `list(AL, caches)` where `AL` is
#'   `n_L x m` and `caches[[l]]` is the cache of layer l.
#' @examples
#' X <- matrix(c(1, 2, 3, 4), nrow = 2)
#' p <- initialize_parameters(c(2, 3, 1), seed = 1)
#' L_model_forward(X, p)$AL
#' @export
linear_forward <- function(A_prev, W, b) {
  check_linear(A_prev, W, b)
  # b (n_l values) is recycled down each column; R adds into the product's
  # fresh result rather than allocating another n_l x m matrix
  W %*% A_prev + as.vector(b)
}

#' @rdname linear_forward
#' @export
linear_activation_forward <- function(A_prev, W, b, activation) {
  forward <- ACTIVATIONS[[check_choice(activation, names(ACTIVATIONS), "activation")]]$forward
  Z <- linear_forward(A_prev, W, b)
  list(A = forward(Z), cache = list(A_prev = A_prev, W = W, b = b, Z = Z))
}

#' @rdname linear_forward
#' @export
L_model_forward <- function(X, parameters, hidden_activation = "relu", keep_prob = 1, masks = NULL) {
  checked_forward(X, parameters, hidden_activation, output_one = FALSE, keep_prob = keep_prob, masks = masks)
}

# L_model_forward(), with `output_one` to require n_L = 1 (for the predictions, which never drop).
checked_forward <- function(X, parameters, hidden_activation, output_one, keep_prob = 1, masks = NULL) {
  X <- check_matrix(X, "X")
  dims <- check_parameters(parameters, n_x = nrow(X), output_one = output_one)
  check_choice(hidden_activation, names(ACTIVATIONS), "hidden_activation")
  keep <- check_keep_prob(keep_prob, length(dims) - 1L)
  masks <- check_masks(masks, dims, ncol(X), keep)
  forward_pass(X, parameters, hidden_activation, length(dims) - 1L, keep, masks)
}

# L_model_forward without the argument checks (for the training loop).
forward_pass <- function(X, parameters, hidden_activation, L, keep = NULL, masks = NULL) {
  caches <- vector("list", L)
  A <- X
  for (l in seq_len(L)) {
    activation <- if (l < L) hidden_activation else "sigmoid"
    step <- linear_activation_forward(A, parameters[[paste0("W", l)]], parameters[[paste0("b", l)]], activation)
    A <- step$A
    key <- paste0("D", l)
    if (!is.null(masks[[key]])) {  # inverted dropout: A * D, then / keep_prob
      step$cache$D <- masks[[key]]
      A <- A * masks[[key]] / keep[l]
    }
    caches[[l]] <- step$cache
  }
  list(AL = A, caches = caches)
}

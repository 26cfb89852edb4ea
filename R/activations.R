# Activation functions and their derivatives (docs/contract.md section 4;
# twin of python/twinnet/activations.py). Each `*_forward(Z)` returns
# A = g(Z); the `*_backward(dA, Z)` right below it returns dZ = dA * g'(Z).

#' Activation functions and their derivatives
#'
#' `*_forward(Z)` returns `g(Z)`; `*_backward(dA, Z)` returns `dA * g'(Z)`.
#' The sigmoid never overflows; `relu'(0) = 0`; `leaky_relu'(z) = slope` for
#' `z <= 0`. They are named `*_forward` rather than `sigmoid`, `tanh`, ... so
#' that attaching twinnet masks no base R function (`base::tanh`).
#' `LEAKY_RELU_SLOPE` is the default slope of leaky relu. `ACTIVATIONS` maps the names `"sigmoid"`, `"relu"`, `"tanh"`,
#' `"leaky_relu"` to `list(forward, backward)`.
#'
#' @param Z `numeric matrix`, no default. Pre-activations.
#' @param dA `numeric matrix`, no default. Gradient of the cost with respect to
#'   the activations, the shape of `Z`.
#' @param slope `numeric(1)`, default `LEAKY_RELU_SLOPE` (0.01). Slope of leaky relu for `z <= 0`.
#' @return A numeric matrix the shape of `Z`.
#' @examples
#' Z <- matrix(c(-2, 0, 3), nrow = 1)
#' sigmoid_forward(Z)
#' relu_backward(matrix(1, 1, 3), Z)
#' ACTIVATIONS$tanh$forward(Z)
#' @name activations
NULL

#' @rdname activations
#' @export
sigmoid_forward <- function(Z) {
  e <- exp(-abs(Z))
  ifelse(Z >= 0, 1 / (1 + e), e / (1 + e))
}

#' @rdname activations
#' @export
sigmoid_backward <- function(dA, Z) {
  s <- sigmoid_forward(Z)
  dA * s * (1 - s)
}

#' @rdname activations
#' @export
relu_forward <- function(Z) {
  # pmax.int keeps NaN, NA and -0 exactly as `Z[Z < 0] <- 0` would, at half the cost
  A <- pmax.int(Z, 0)
  attributes(A) <- attributes(Z)
  A
}

#' @rdname activations
#' @export
relu_backward <- function(dA, Z) {
  dA[Z <= 0] <- 0
  dA
}

#' @rdname activations
#' @export
tanh_forward <- function(Z) tanh(Z)

#' @rdname activations
#' @export
tanh_backward <- function(dA, Z) {
  t <- tanh(Z)
  dA * (1 - t * t)
}

#' @rdname activations
#' @export
leaky_relu_forward <- function(Z, slope = LEAKY_RELU_SLOPE) {
  ifelse(Z > 0, Z, slope * Z)
}

#' @rdname activations
#' @export
leaky_relu_backward <- function(dA, Z, slope = LEAKY_RELU_SLOPE) {
  ifelse(Z > 0, dA, slope * dA)
}

#' @rdname activations
#' @format `LEAKY_RELU_SLOPE`: `numeric(1)`, 0.01.
#' @export
LEAKY_RELU_SLOPE <- 0.01

#' @rdname activations
#' @format `ACTIVATIONS`: a named list of `list(forward, backward)`.
#' @export
ACTIVATIONS <- list(
  sigmoid = list(forward = sigmoid_forward, backward = sigmoid_backward),
  relu = list(forward = relu_forward, backward = relu_backward),
  tanh = list(forward = tanh_forward, backward = tanh_backward),
  leaky_relu = list(forward = leaky_relu_forward, backward = leaky_relu_backward)
)

# Parameter initialisation from a seeded stream (docs/contract.md sections 3
# and 23; twin of python/twinnet/initialize.py).

#' Initialisation schemes
#'
#' A named list mapping each scheme name to `function(z, n_prev)`, which
#' scales the standard normals `z` of a weight matrix whose layer has `n_prev`
#' inputs: `"scaled"` (`z * 0.01`), `"xavier"` (`z / sqrt(n_prev)`), `"he"`
#' (`z * sqrt(2 / n_prev)`), `"standard"` (`z`), and the course's
#' initialisation exercise: `"zeros"` (all weights 0) and `"random"` (`z * 10`).
#'
#' @format A named list of six functions.
#' @examples
#' names(INIT_SCHEMES)
#' INIT_SCHEMES$he(1, 8)
#' @export
INIT_SCHEMES <- list(
  scaled = function(z, n_prev) z * 0.01,
  xavier = function(z, n_prev) z / sqrt(n_prev),
  he = function(z, n_prev) z * sqrt(2 / n_prev),
  standard = function(z, n_prev) z,
  zeros = function(z, n_prev) {
    z[] <- 0  # +0 everywhere (z * 0 would give -0 where z < 0)
    z
  },
  random = function(z, n_prev) z * 10
)

#' Initial parameters from a seeded stream
#'
#' Draws all weights from one `rng_normal()` call and fills each `W_l` row by
#' row, layer 1 first, then scales them by `scheme`; biases are zero. The
#' result is bit-identical to the Python twin for every seed, scheme, stream
#' and shape. With `stream = "numpy"` these are the course's initial values:
#' `np.random.seed(seed)`, then `np.random.randn(n_l, n_(l-1))` for each layer
#' (e.g. `scheme = "scaled"`, seed 1: the course's `initialize_parameters()`;
#' `"xavier"`, seed 1: its `initialize_parameters_deep()` of the application).
#'
#' @param layer_dims `integer`, no default. `c(n_x, n_1, ..., n_L)`; any
#'   output size `n_L` (training needs 1).
#' @param seed `integer(1)`, default `1`. Seed in 0..2^31 - 1.
#' @param scheme `character(1)`, default `"xavier"`. One of `"xavier"`
#'   (`z / sqrt(n_(l-1))`), `"he"` (`z * sqrt(2 / n_(l-1))`), `"scaled"`
#'   (`z * 0.01`), `"standard"` (`z`), `"zeros"` (all 0), `"random"` (`z *
#'   10`). `"zeros"` trains without warning or error, but the units of a
#'   hidden layer stay equal to each other for the whole run (the symmetry
#'   the course's exercise shows); with relu, tanh or leaky_relu hidden
#'   layers (g(0) = 0) only the output bias learns (docs/contract.md
#'   section 31).
#' @param stream `character(1)`, default `"portable"`. `"portable"` or
#'   `"numpy"` (see [rng_sample()]).
#' @return A named list `W1, b1, ..., WL, bL`: `W_l` is `n_l x n_(l-1)`,
#'   `b_l` is `n_l x 1`.
#' @examples
#' str(initialize_parameters(c(3, 2, 1), seed = 1))
#' initialize_parameters(c(3, 2, 1), seed = 1, scheme = "scaled", stream = "numpy")$W2
#' @export
initialize_parameters <- function(layer_dims, seed = 1, scheme = "xavier", stream = "portable") {
  dims <- check_layer_dims(layer_dims, output_one = FALSE)
  seed <- check_seed(seed)
  scale <- INIT_SCHEMES[[check_choice(scheme, names(INIT_SCHEMES), "scheme")]]
  check_choice(stream, STREAMS, "stream")
  check_memory(parameters_need(dims), "layer_dims", dims_text(dims))
  L <- length(dims) - 1L
  sizes <- as.double(dims[-1]) * dims[-(L + 1L)]
  z <- rng_normal(sum(sizes), seed, stream)
  parameters <- list()
  offset <- 0
  for (l in seq_len(L)) {
    block <- matrix(z[offset + seq_len(sizes[l])], nrow = dims[l + 1L], ncol = dims[l], byrow = TRUE)
    offset <- offset + sizes[l]
    parameters[[paste0("W", l)]] <- scale(block, dims[l])
    parameters[[paste0("b", l)]] <- matrix(0, nrow = dims[l + 1L], ncol = 1L)
  }
  parameters
}

# The training loops' view of `parameters` (contract section 3's names): lists `W` and `b` indexed
# by layer, 1..L, the biases as plain vectors (R recycles a vector down the columns).
layer_arrays <- function(parameters, L) {
  list(W = lapply(seq_len(L), function(l) parameters[[paste0("W", l)]]),
       b = lapply(seq_len(L), function(l) as.vector(parameters[[paste0("b", l)]])))
}


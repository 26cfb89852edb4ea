# The built-in circles and moons data sets (docs/contract.md sections 11, 23 and 37; twin of
# python/twinnet/datasets.py).

#' Two noisy concentric circles from a seeded stream
#'
#' As scikit-learn's `make_circles`: `floor(n_samples / 2)` points on the unit
#' circle (label 0) and the rest on a circle of radius `factor` (label 1),
#' shuffled by the order of uniforms and blurred by Gaussian noise, all from
#' one seeded stream, so that the Python twin gives the identical data set.
#'
#' @param n_samples `integer(1)`, default `1000`. At least 2.
#' @param noise `numeric(1)`, default `0.05`. Standard deviation of the noise (>= 0).
#' @param factor `numeric(1)`, default `0.8`. Radius of the inner circle, in (0, 1).
#' @param seed `integer(1)`, default `1`. Seed in 0..2^31 - 1.
#' @param stream `character(1)`, default `"portable"`. `"portable"` or
#'   `"numpy"` (see [rng_sample()]).
#' @return `list(X, Y)`: `X` is `2 x n_samples`, `Y` is `1 x n_samples`.
#' @examples
#' d <- make_circles(10, seed = 1)
#' dim(d$X)
#' d$Y
#' @export
make_circles <- function(n_samples = 1000, noise = 0.05, factor = 0.8, seed = 1, stream = "portable") {
  n <- check_count(n_samples, "n_samples", minimum = 2)
  check_memory(circles_need(n), "n_samples", sprintf("%s points", number_text(n)))
  noise <- check_nonnegative(noise, "noise")
  factor <- check_fraction(factor, "factor")
  seed <- check_seed(seed)
  check_choice(stream, STREAMS, "stream")
  n_out <- n %/% 2L
  n_in <- n - n_out
  t_out <- 2 * pi * seq(0, length.out = n_out) / n_out
  t_in <- 2 * pi * seq(0, length.out = n_in) / n_in
  base <- rbind(c(cos(t_out), factor * cos(t_in)), c(sin(t_out), factor * sin(t_in)))
  labels <- c(rep(0, n_out), rep(1, n_in))
  draws <- rng_sample(seed, n, 2 * n, stream)
  perm <- order(draws$uniform, method = "radix")
  X <- base[, perm, drop = FALSE] + noise * matrix(draws$normal, nrow = 2L, byrow = TRUE)
  list(X = X, Y = matrix(labels[perm], nrow = 1L))
}

# numpy's linspace(0, pi, k): i * (pi / (k - 1)), the last one pi itself.
linspace_pi <- function(k) {
  if (k == 1L) return(0)
  t <- (seq_len(k) - 1) * (pi / (k - 1))
  t[k] <- pi
  t
}

#' Two interleaving half circles from a seeded stream
#'
#' As scikit-learn's `make_moons`: `floor(n_samples / 2)` points on the upper
#' half circle `(cos t, sin t)` (label 0) and the rest on the lower one `(1 -
#' cos t, 1 - sin t - 0.5)` (label 1), `t` spaced as numpy's `linspace(0, pi,
#' k)`, shuffled and blurred by Gaussian noise, all from one seeded stream
#' (docs/contract.md section 37). With `stream = "numpy"` it is
#' scikit-learn's own recipe on numpy's legacy stream: `np.random.seed(seed);
#' sklearn.datasets.make_moons(n_samples, noise = noise)` gives the same
#' points (transposed). The Python twin gives the identical data set.
#'
#' @param n_samples `integer(1)`, default `100`. At least 2.
#' @param noise `numeric(1)`, default `0`. Standard deviation of the noise (>= 0).
#' @param seed `integer(1)`, default `1`. Seed in 0..2^31 - 1.
#' @param stream `character(1)`, default `"portable"`. `"portable"` or
#'   `"numpy"` (see [rng_sample()]).
#' @return `list(X, Y)`: `X` is `2 x n_samples`, `Y` is `1 x n_samples`.
#' @examples
#' d <- make_moons(300, noise = 0.2, seed = 3, stream = "numpy")  # the course's moons
#' dim(d$X)
#' table(d$Y)
#' @export
make_moons <- function(n_samples = 100, noise = 0, seed = 1, stream = "portable") {
  n <- check_count(n_samples, "n_samples", minimum = 2)
  noise <- check_nonnegative(noise, "noise")
  seed <- check_seed(seed)
  check_choice(stream, STREAMS, "stream")
  n_out <- n %/% 2L
  n_in <- n - n_out
  t_out <- linspace_pi(n_out)
  t_in <- linspace_pi(n_in)
  base <- rbind(c(cos(t_out), 1 - cos(t_in)), c(sin(t_out), 1 - sin(t_in) - 0.5))
  labels <- c(rep(0, n_out), rep(1, n_in))
  if (stream == "numpy") {  # scikit-learn: shuffle(arange(n)), then normal(scale = noise, size = (n, 2))
    shuffled <- numpy_permutation(numpy_seed(seed), n)
    perm <- shuffled$values
    normal <- numpy_randn(shuffled$state, 2L * n)$values
  } else {
    draws <- rng_sample(seed, n, 2L * n)
    perm <- order(draws$uniform, method = "radix")
    normal <- draws$normal
  }
  X <- base[, perm, drop = FALSE] + noise * matrix(normal, nrow = 2L)
  list(X = X, Y = matrix(labels[perm], nrow = 1L))
}

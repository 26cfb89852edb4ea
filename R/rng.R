# The portable random stream (docs/contract.md section 2; twin of python/twinnet/rng.py).

# Run `expr` with R's own generator seeded by `set.seed(seed)` (Mersenne-Twister,
# Box-Muller), then put the caller's RNG state back as it was, also on error.
with_portable_seed <- function(seed, expr) {
  genv <- globalenv()
  had_seed <- exists(".Random.seed", envir = genv, inherits = FALSE)
  if (had_seed) {
    saved <- get(".Random.seed", envir = genv, inherits = FALSE)
  } else {
    kinds <- RNGkind()
  }
  on.exit({
    if (had_seed) {
      assign(".Random.seed", saved, envir = genv)
    } else {
      RNGkind(kinds[1], kinds[2], kinds[3])
      if (exists(".Random.seed", envir = genv, inherits = FALSE)) rm(".Random.seed", envir = genv)
    }
  }, add = TRUE)
  suppressWarnings(set.seed(seed, kind = "Mersenne-Twister", normal.kind = "Box-Muller",
                            sample.kind = "Rejection"))
  force(expr)
}

#' Draw from the portable random stream
#'
#' Seeds R's Mersenne-Twister with `set.seed(seed)` and draws `n_uniform`
#' uniforms (`runif`), then `n_normal` Box-Muller normals (`rnorm`). The
#' Python twin reproduces the same numbers bit for bit. The caller's own
#' random-number state (`.Random.seed`) is left as it was.
#'
#' @param seed `integer(1)`, no default. A whole number in 0..2^31 - 1.
#' @param n_uniform `integer(1)`, default `0`. How many uniforms to draw first.
#' @param n_normal `integer(1)`, default `0`. How many normals to draw after them.
#' @param n `integer(1)`, no default. How many draws.
#' @return `rng_sample()`: a list with the numeric vectors `uniform` and
#'   `normal`. `rng_uniform()`, `rng_normal()`: a numeric vector.
#'   `rng_permutation()`: a permutation of `1:n` (the Python twin returns the
#'   same permutation of `0:(n-1)`).
#' @examples
#' rng_sample(1, n_uniform = 2, n_normal = 3)
#' rng_normal(3, seed = 42)
#' rng_permutation(5, seed = 1)
#' @export
rng_sample <- function(seed, n_uniform = 0, n_normal = 0) {
  seed <- check_seed(seed)
  n_uniform <- check_count(n_uniform, "n_uniform", minimum = 0)
  n_normal <- check_count(n_normal, "n_normal", minimum = 0)
  with_portable_seed(seed, {
    uniform <- stats::runif(n_uniform)
    normal <- stats::rnorm(n_normal)
    list(uniform = uniform, normal = normal)
  })
}

#' @rdname rng_sample
#' @export
rng_uniform <- function(n, seed) rng_sample(seed, n_uniform = n)$uniform

#' @rdname rng_sample
#' @export
rng_normal <- function(n, seed) rng_sample(seed, n_normal = n)$normal

#' @rdname rng_sample
#' @export
rng_permutation <- function(n, seed) order(rng_uniform(n, seed), method = "radix")

# The two random streams (docs/contract.md sections 2 and 23; twin of python/twinnet/rng.py).
#
# stream = "portable" (section 2) is R's own Mersenne-Twister with Box-Muller
# normals. stream = "numpy" (section 23) is numpy's legacy generator
# (np.random.seed, rand, randn, permutation), written here in plain R: MT19937
# on 32-bit words held as two 16-bit halves in R integers (R has no unsigned
# 32-bit type), one block of 624 words at a time in four vector steps, tempered
# all at once; doubles, the polar method and the rejection of the shuffle are
# vector operations over the words. It never touches R's own generator.

#' Random streams
#'
#' `STREAMS` lists the names of the random streams twinnet draws from:
#' `"portable"` (R's Mersenne-Twister with Box-Muller normals, the default)
#' and `"numpy"` (numpy's legacy generator, the course's `np.random.seed()`).
#'
#' @format `STREAMS`: a character vector.
#' @examples
#' STREAMS
#' @export
STREAMS <- c("portable", "numpy")

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

#' Draw from a seeded random stream
#'
#' With `stream = "portable"` (the default), seeds R's Mersenne-Twister with
#' `set.seed(seed)` and draws `n_uniform` uniforms (`runif`), then `n_normal`
#' Box-Muller normals (`rnorm`). With `stream = "numpy"`, the same from
#' numpy's legacy generator: `np.random.seed(seed)`, then
#' `np.random.rand(n_uniform)`, then `np.random.randn(n_normal)` (see
#' [numpy_seed()]). The Python twin gives the same numbers bit for bit. The
#' caller's own random-number state (`.Random.seed`) is left as it was.
#'
#' @param seed `integer(1)`, no default. A whole number in 0..2^31 - 1.
#' @param n_uniform `integer(1)`, default `0`. How many uniforms to draw first.
#' @param n_normal `integer(1)`, default `0`. How many normals to draw after them.
#' @param stream `character(1)`, default `"portable"`. `"portable"` or `"numpy"`.
#' @param n `integer(1)`, no default. How many draws.
#' @return `rng_sample()`: a list with the numeric vectors `uniform` and
#'   `normal`. `rng_uniform()`, `rng_normal()`: a numeric vector.
#'   `rng_permutation()`: a permutation of `1:n` (the Python twin returns the
#'   same permutation of `0:(n-1)`): the stable order of `n` uniforms
#'   (`"portable"`) or numpy's `np.random.permutation(n)` plus one (`"numpy"`).
#' @examples
#' rng_sample(1, n_uniform = 2, n_normal = 3)
#' rng_normal(3, seed = 42)
#' rng_normal(3, seed = 1, stream = "numpy")  # np.random.seed(1); np.random.randn(3)
#' rng_permutation(5, seed = 1)
#' @export
rng_sample <- function(seed, n_uniform = 0, n_normal = 0, stream = "portable") {
  seed <- check_seed(seed)
  n_uniform <- check_count(n_uniform, "n_uniform", minimum = 0)
  n_normal <- check_count(n_normal, "n_normal", minimum = 0)
  check_memory(draws_need(n_uniform, 0), "n_uniform", sprintf("%s uniforms", number_text(n_uniform)))
  check_memory(draws_need(n_uniform, n_normal), "n_normal",
               sprintf("%s normals after %s uniforms", number_text(n_normal), number_text(n_uniform)))
  if (check_choice(stream, STREAMS, "stream") == "numpy") {
    u <- numpy_draw(numpy_seed(seed), "rand", n_uniform)
    z <- numpy_draw(u$state, "randn", n_normal)
    return(list(uniform = u$values, normal = z$values))
  }
  with_portable_seed(seed, {
    uniform <- stats::runif(n_uniform)
    normal <- stats::rnorm(n_normal)
    list(uniform = uniform, normal = normal)
  })
}

#' @rdname rng_sample
#' @export
rng_uniform <- function(n, seed, stream = "portable") rng_sample(seed, n_uniform = n, stream = stream)$uniform

#' @rdname rng_sample
#' @export
rng_normal <- function(n, seed, stream = "portable") rng_sample(seed, n_normal = n, stream = stream)$normal

#' @rdname rng_sample
#' @export
rng_permutation <- function(n, seed, stream = "portable") {
  if (check_choice(stream, STREAMS, "stream") == "numpy") {
    n <- check_count(n, "n", minimum = 0)
    return(numpy_permutation(numpy_seed(check_seed(seed)), n)$values)
  }
  if (is_whole(n)) check_memory(DOUBLE * 3 * as.double(n), "n", sprintf("a permutation of %s", number_text(n)))
  order(rng_uniform(n, seed), method = "radix")
}

# --------------------------------------------------- numpy's legacy generator

#' numpy's legacy random stream, step by step
#'
#' `numpy_seed(seed)` is the state of numpy's legacy generator after
#' `np.random.seed(seed)`; `numpy_randn()`, `numpy_rand()` and
#' `numpy_permutation()` draw from a state as `np.random.randn()`,
#' `np.random.rand()` and `np.random.permutation()` do and return the values
#' with the state after them, so that several draws can follow each other from
#' one seeded stream exactly as in numpy (the polar method's cached second
#' normal carries over from one call to the next). Pure R, bit-identical to
#' numpy (docs/contract.md, section 23); R's own generator and `.Random.seed`
#' are never touched.
#'
#' @param seed `integer(1)`, no default. A whole number in 0..2^31 - 1.
#' @param state `list`, no default. A state from `numpy_seed()` or from a
#'   previous draw: `key` (624 words), `pos`, `has_gauss`, `gauss`.
#' @param size `integer`, no default. A count (a vector of draws) or
#'   `c(rows, columns)` (a matrix, filled row by row as numpy fills it).
#' @param n `integer(1)`, no default. The length of the permutation.
#' @return `numpy_seed()`: the state, a list with `key` (624 whole numbers in
#'   0..2^32 - 1), `pos` (0..624), `has_gauss` (0 or 1) and `gauss` (the cached
#'   normal, 0 when there is none): numpy's `get_state()` without its name.
#'   The others: `list(values, state)`. `numpy_permutation()` returns a
#'   permutation of `1:n` (numpy's plus one).
#' @examples
#' s <- numpy_seed(1)                # np.random.seed(1)
#' A <- numpy_randn(s, c(3, 2))      # A = np.random.randn(3, 2)
#' W <- numpy_randn(A$state, c(1, 3)) # W = np.random.randn(1, 3)
#' W$values
#' numpy_permutation(numpy_seed(0), 5)$values
#' @export
numpy_seed <- function(seed) {
  seed <- check_seed(seed)
  list(key = mt_init_genrand(seed), pos = 624L, has_gauss = 0L, gauss = 0)
}

#' @rdname numpy_seed
#' @export
numpy_randn <- function(state, size) numpy_draw(state, "randn", size)

#' @rdname numpy_seed
#' @export
numpy_rand <- function(state, size) numpy_draw(state, "rand", size)

#' @rdname numpy_seed
#' @export
numpy_permutation <- function(state, n) numpy_draw(state, "permutation", n)

# A state as numpy_seed() returns it, in the generator's working form: the key
# as 16-bit halves `hi`, `lo` (integers), `pos`, `has_gauss`, `gauss`.
check_numpy_state <- function(state, arg = "state") {
  expected <- "a numpy stream state from numpy_seed() (key, pos, has_gauss, gauss)"
  if (!is.list(state) || is.null(names(state))) input_error(arg, expected, describe(state))
  if (!identical(sort(names(state)), c("gauss", "has_gauss", "key", "pos"))) {
    input_error(arg, expected, paste("keys", paste(sort(names(state)), collapse = ", ")))
  }
  key <- state$key
  if (!is.numeric(key) || length(key) != 624L || anyNA(key) || any(key != floor(key)) ||
      any(key < 0) || any(key > 4294967295)) {
    input_error(arg, expected, "a key that is not 624 whole numbers in 0..4294967295")
  }
  if (!whole_in(state$pos, 0, 624)) input_error(arg, expected, paste("pos =", describe(state$pos)))
  if (!whole_in(state$has_gauss, 0, 1)) input_error(arg, expected, paste("has_gauss =", describe(state$has_gauss)))
  if (!is.numeric(state$gauss) || length(state$gauss) != 1L || !is.finite(state$gauss)) {
    input_error(arg, expected, paste("gauss =", describe(state$gauss)))
  }
  key <- as.double(key)
  list(hi = as.integer(key %/% 65536), lo = as.integer(key %% 65536), pos = as.integer(state$pos),
       has_gauss = as.integer(state$has_gauss), gauss = as.double(state$gauss))
}

whole_in <- function(v, lo, hi) is_whole(v) && v >= lo && v <= hi

# `size` of a draw: a count, or c(rows, columns) for randn / rand.
check_size <- function(size, what) {
  arg <- if (what == "permutation") "n" else "size"
  if (what != "permutation" && is.numeric(size) && length(size) == 2L &&
      whole_in(size[1], 0, 2^31 - 1) && whole_in(size[2], 0, 2^31 - 1)) {
    check_memory(draws_need(as.double(size[1]) * size[2], 0), arg,
                 sprintf("(%s, %s) draws", number_text(size[1]), number_text(size[2])))
    return(as.integer(size))
  }
  if (whole_in(size, 0, 2^31 - 1)) {
    check_memory(draws_need(size, 0), arg, sprintf("%s draws", number_text(size)))
    return(as.integer(size))
  }
  if (is_whole(size) && size > 2^31 - 1) input_error(arg, "a whole number <= 2147483647", number_text(size))
  if (what == "permutation") input_error("n", "a whole number >= 0", describe(size))
  input_error("size", "a whole number >= 0 or two of them (rows, columns)", describe(size))
}

# list(values, state): `what` in "randn", "rand", "permutation" drawn from `state`.
numpy_draw <- function(state, what, size) {
  mt <- check_numpy_state(state)
  size <- check_size(size, what)
  n <- prod(size)
  out <- switch(what, randn = mt_gauss(mt, n), rand = mt_uniform(mt, n), permutation = mt_permutation(mt, n))
  values <- out$values
  if (length(size) == 2L) values <- matrix(values, nrow = size[1], ncol = size[2], byrow = TRUE)
  list(values = values, state = state_of(out$mt))
}

# The state (numpy_seed()'s form) of the generator's working form.
state_of <- function(mt) {
  list(key = mt$hi * 65536 + mt$lo, pos = mt$pos, has_gauss = mt$has_gauss, gauss = mt$gauss)
}

# MT19937's init_genrand(seed): key[0] = seed, key[i] = 1812433253 *
# (key[i-1] ^ (key[i-1] >> 30)) + i (mod 2^32). In doubles, exactly: the
# multiplier is split into 16-bit halves so that no product exceeds 2^53.
# `seed` may be a vector: then one key per seed, the columns of a 624-row
# matrix (the loop runs once for all of them).
mt_init_genrand <- function(seed) {
  x <- as.double(seed)
  key <- matrix(0, 624L, length(x))
  key[1L, ] <- x
  for (i in 1:623) {
    low2 <- x %% 4
    y <- x - low2 + bitwXor(as.integer(low2), as.integer(x %/% 1073741824))  # x ^ (x >> 30)
    yh <- y %/% 65536
    yl <- y %% 65536
    # 1812433253 = 27655 * 2^16 + 35173
    x <- (35173 * yl + 65536 * ((27655 * yl + 35173 * yh) %% 65536) + i) %% 4294967296
    key[i + 1L, ] <- x
  }
  if (length(x) == 1L) as.vector(key) else key
}

# One MT19937 block regeneration (numpy's mt19937_gen) on the halves. Word i
# becomes key[i + M] ^ (y >> 1) ^ (y odd ? MATRIX_A : 0) with y = upper bit
# of key[i], lower 31 bits of key[i + 1]. The C loop runs i = 0..623 in order;
# words 0..226 read only old words, 227..453 read the new 0..226, 454..622 the
# new 227..395, and 623 reads the new 0 and 396: four vector steps (1-based
# below) reproduce it.
mt_twist <- function(hi, lo) {
  steps <- list(list(i = 1:227, j = 2:228, k = 398:624), list(i = 228:454, j = 229:455, k = 1:227),
                list(i = 455:623, j = 456:624, k = 228:396), list(i = 624L, j = 1L, k = 397L))
  for (s in steps) {
    yh <- bitwOr(bitwAnd(hi[s$i], 32768L), bitwAnd(hi[s$j], 32767L))
    yl <- lo[s$j]
    odd <- bitwAnd(yl, 1L)
    hi[s$i] <- bitwXor(bitwXor(hi[s$k], bitwShiftR(yh, 1L)), odd * 39176L)  # MATRIX_A 0x9908b0df
    lo[s$i] <- bitwXor(bitwXor(lo[s$k], bitwOr(bitwShiftR(yl, 1L), bitwShiftL(bitwAnd(yh, 1L), 15L))),
                       odd * 45279L)
  }
  list(hi = hi, lo = lo)
}

# MT19937's tempering of words given as halves (vectors of any length).
mt_temper <- function(hi, lo) {
  lo <- bitwXor(lo, bitwAnd(bitwOr(bitwShiftR(lo, 11L), bitwShiftL(hi, 5L)), 65535L))  # y ^= y >> 11
  hi <- bitwXor(hi, bitwShiftR(hi, 11L))
  t_hi <- bitwAnd(bitwOr(bitwShiftL(hi, 7L), bitwShiftR(lo, 9L)), 40236L)  # y ^= (y << 7) & 0x9d2c5680
  lo <- bitwXor(lo, bitwAnd(bitwShiftL(lo, 7L), 22144L))
  hi <- bitwXor(hi, t_hi)
  hi <- bitwXor(hi, bitwAnd(bitwOr(bitwShiftL(bitwAnd(hi, 1L), 15L), bitwShiftR(lo, 1L)), 61382L))  # (y << 15) & 0xefc60000
  lo <- bitwXor(lo, bitwShiftR(hi, 2L))  # y ^= y >> 18
  list(hi = hi, lo = lo)
}

# The next n tempered words after the generator state `mt` (list(hi, lo, pos,
# ...)): `hi`, `lo` (halves), with the untempered blocks they came from
# (`raw_hi`, `raw_lo`, the current block's remaining words first), which
# mt_after() turns into the state after any number of them.
mt_words <- function(mt, n) {
  avail <- 624L - mt$pos
  blocks <- if (n > avail) ceiling((n - avail) / 624) else 0
  total <- avail + 624L * blocks
  raw_hi <- integer(total)
  raw_lo <- integer(total)
  if (avail > 0L) {
    raw_hi[seq_len(avail)] <- mt$hi[(mt$pos + 1L):624L]
    raw_lo[seq_len(avail)] <- mt$lo[(mt$pos + 1L):624L]
  }
  hi <- mt$hi
  lo <- mt$lo
  for (b in seq_len(blocks)) {
    block <- mt_twist(hi, lo)
    hi <- block$hi
    lo <- block$lo
    at <- avail + 624L * (b - 1L) + 1:624
    raw_hi[at] <- hi
    raw_lo[at] <- lo
  }
  tempered <- mt_temper(raw_hi[seq_len(n)], raw_lo[seq_len(n)])
  list(hi = tempered$hi, lo = tempered$lo, raw_hi = raw_hi, raw_lo = raw_lo, mt = mt, avail = avail)
}

# The generator state after the first `used` words of `w` (from mt_words()).
mt_after <- function(w, used) {
  mt <- w$mt
  if (used <= w$avail) {
    mt$pos <- mt$pos + as.integer(used)
    return(mt)
  }
  b <- ceiling((used - w$avail) / 624)
  start <- w$avail + 624 * (b - 1)
  mt$hi <- w$raw_hi[start + 1:624]
  mt$lo <- w$raw_lo[start + 1:624]
  mt$pos <- as.integer(used - start)
  mt
}

# 53-bit doubles (numpy's mt19937_next_double) from pairs of words:
# (a * 2^26 + b) / 2^53 with a = first >> 5, b = second >> 6.
mt_doubles <- function(hi, lo) {
  first <- seq.int(1L, length(hi), by = 2L)
  a <- hi[first] * 2048 + bitwShiftR(lo[first], 5L)
  b <- hi[first + 1L] * 1024 + bitwShiftR(lo[first + 1L], 6L)
  (a * 67108864 + b) / 9007199254740992
}

# np.random.rand(n): n doubles, two words each; the cached normal stays.
mt_uniform <- function(mt, n) {
  if (n == 0) return(list(values = numeric(0), mt = mt))
  w <- mt_words(mt, 2 * n)
  list(values = mt_doubles(w$hi, w$lo), mt = mt_after(w, 2 * n))
}

# np.random.randn(n): numpy's legacy_gauss n times. A cached normal is used
# first; then pairs of doubles (x1, x2) = 2 d - 1 are drawn until r2 = x1^2 +
# x2^2 is in (0, 1), each accepted pair giving f * x2 and then f * x1 with f
# = sqrt(-2 log(r2) / r2). An odd count leaves the last f * x1 cached.
mt_gauss <- function(mt, n) {
  values <- numeric(n)
  first <- 0L
  if (n > 0 && mt$has_gauss == 1L) {
    values[1L] <- mt$gauss
    first <- 1L
    mt$has_gauss <- 0L
    mt$gauss <- 0
  }
  rest <- n - first
  if (rest == 0) return(list(values = values, mt = mt))
  pairs <- (rest + 1L) %/% 2L
  x1 <- numeric(0)
  x2 <- numeric(0)
  r2 <- numeric(0)
  repeat {
    want <- pairs - length(r2)
    tries <- ceiling(want * 4 / pi * 1.02) + 16  # acceptance pi/4
    w <- mt_words(mt, 4 * tries)
    d <- mt_doubles(w$hi, w$lo)
    c1 <- 2 * d[c(TRUE, FALSE)] - 1
    c2 <- 2 * d[c(FALSE, TRUE)] - 1
    s <- c1 * c1 + c2 * c2
    ok <- which(s < 1 & s != 0)
    if (length(ok) >= want) {
      ok <- ok[seq_len(want)]
      mt <- mt_after(w, 4 * ok[want])
    } else {
      mt <- mt_after(w, 4 * tries)
    }
    x1 <- c(x1, c1[ok])
    x2 <- c(x2, c2[ok])
    r2 <- c(r2, s[ok])
    if (length(r2) == pairs) break
  }
  f <- sqrt(-2 * log(r2) / r2)
  z <- as.vector(rbind(f * x2, f * x1))
  values[first + seq_len(rest)] <- z[seq_len(rest)]
  if (rest %% 2L == 1L) {
    mt$has_gauss <- 1L
    mt$gauss <- z[2L * pairs]
  }
  list(values = values, mt = mt)
}

# np.random.permutation(n): Fisher-Yates from the last position down, position
# i swapped with j drawn by numpy's random_interval(i): words masked with the
# smallest 2^b - 1 >= i, rejected while above i. Returned 1-based.
mt_permutation <- function(mt, n) {
  perm <- seq_len(n)
  if (n < 2) return(list(values = perm, mt = mt))
  i_all <- (n - 1):1
  masks <- 2^ceiling(log2(i_all + 1))  # mask + 1
  w <- mt_words(mt, 2 * n + 64)
  words <- w$hi * 65536 + w$lo
  k <- 0
  for (t in seq_along(i_all)) {
    i <- i_all[t]
    repeat {
      k <- k + 1
      if (k > length(words)) {
        w <- mt_words(mt_after(w, length(words)), 2 * n + 64)
        words <- w$hi * 65536 + w$lo
        k <- 1
      }
      j <- words[k] %% masks[t]
      if (j <= i) break
    }
    tmp <- perm[i + 1L]
    perm[i + 1L] <- perm[j + 1]
    perm[j + 1] <- tmp
  }
  list(values = perm, mt = mt_after(w, k))
}

# ------------------------------------------- one stream, drawn from call after call

# Uniforms from one seeded stream, continuing from draw to draw (docs/contract.md
# section 33): "portable", R's runif after set.seed(seed), one draw after the
# other as R's own generator gives them (its state is kept here between the
# draws; the caller's .Random.seed is back in place after each); "numpy",
# np.random.seed(seed), then np.random.rand after np.random.rand. list(uniform =
# function(n)). The dropout masks of a whole training run come from one such stream.
draw_stream <- function(seed, stream) {
  if (stream == "numpy") {
    mt <- check_numpy_state(numpy_seed(seed))
    return(list(uniform = function(n) {
      out <- mt_uniform(mt, n)
      mt <<- out$mt
      out$values
    }))
  }
  genv <- globalenv()
  state <- with_portable_seed(seed, get(".Random.seed", envir = genv))
  list(uniform = function(n) {
    with_portable_seed(0, {
      assign(".Random.seed", state, envir = genv)
      u <- stats::runif(n)
      state <<- get(".Random.seed", envir = genv)
      u
    })
  })
}

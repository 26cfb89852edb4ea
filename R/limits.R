# Sizes checked before anything is allocated (docs/contract.md section 29;
# twin of python/twinnet/limits.py).
#
# Every function that allocates memory in proportion to an argument -- layer
# sizes, iterations x recorded costs, sample counts, image sizes, stream
# lengths, datasets read from files -- first estimates what it will need, in
# bytes, with the formulas below (the one home of them), and refuses the input
# with the contract section 12 message naming the user's argument when that is
# above the memory limit. All arithmetic is in doubles: no size can overflow
# R's 32-bit integers on the way.

MEMORY_ENV <- "TWINNET_MEMORY_LIMIT"
MEMORY_FRACTION <- 0.5
BYTE_UNITS <- c("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB")
BYTE_SUFFIX <- c(K = 1024, M = 1024^2, G = 1024^3, T = 1024^4)
DOUBLE <- 8

machine_cache <- new.env(parent = emptyenv())

# The machine's memory in bytes: /proc/meminfo's MemTotal, capped by the cgroup's memory.max.
machine_memory <- function() {
  if (is.null(machine_cache$total)) {
    total <- NA_real_
    lines <- tryCatch(suppressWarnings(readLines("/proc/meminfo", n = 5L)), error = function(e) character(0))
    hit <- grep("^MemTotal:", lines, value = TRUE)
    if (length(hit)) total <- as.double(strsplit(trimws(sub("^MemTotal:", "", hit[1])), "[[:space:]]+")[[1]][1]) * 1024
    if (is.na(total)) {
      pages <- tryCatch(suppressWarnings(as.double(system2("getconf", "_PHYS_PAGES", stdout = TRUE, stderr = FALSE))),
                        error = function(e) NA_real_)
      size <- tryCatch(suppressWarnings(as.double(system2("getconf", "PAGESIZE", stdout = TRUE, stderr = FALSE))),
                       error = function(e) NA_real_)
      total <- if (length(pages) == 1L && length(size) == 1L && !is.na(pages * size)) pages * size else 8 * 1024^3
    }
    cap <- tryCatch(suppressWarnings(readLines("/sys/fs/cgroup/memory.max", n = 1L)), error = function(e) character(0))
    if (length(cap) && grepl("^[0-9]+$", trimws(cap[1]))) total <- min(total, as.double(trimws(cap[1])))
    machine_cache$total <- total
  }
  machine_cache$total
}

#' The memory limit of size checks
#'
#' Every function that allocates memory in proportion to an argument (layer
#' sizes, iterations times recorded costs, sample counts, image sizes,
#' stream lengths, datasets read from files) estimates its need first and
#' refuses an input that needs more than this limit, with an error of class
#' `twinnet_input_error` naming the argument (docs/contract.md section 29).
#' The limit is the environment variable `TWINNET_MEMORY_LIMIT` (bytes, or a
#' number with the suffix K, M, G or T, powers of 1024, e.g. `"512M"`,
#' `"1.5G"`), or half the machine's memory. The Python twin reads the same
#' variable.
#'
#' @return `numeric(1)`, the limit in bytes.
#' @examples
#' memory_limit()
#' Sys.setenv(TWINNET_MEMORY_LIMIT = "1G")
#' memory_limit()
#' Sys.unsetenv("TWINNET_MEMORY_LIMIT")
#' @export
memory_limit <- function() {
  text <- trimws(Sys.getenv(MEMORY_ENV, ""))
  if (!nzchar(text)) return(floor(machine_memory() * MEMORY_FRACTION))
  pattern <- "^([0-9]+(\\.[0-9]*)?|\\.[0-9]+)[[:space:]]*([KMGTkmgt]?)([iI]?[bB])?$"
  ok <- grepl(pattern, text)
  value <- 0
  if (ok) {
    number <- as.double(sub(pattern, "\\1", text))
    suffix <- toupper(sub(pattern, "\\3", text))
    value <- number * if (nzchar(suffix)) BYTE_SUFFIX[[suffix]] else 1
  }
  if (!ok || !(value >= 1)) {
    input_error(MEMORY_ENV, "a size in bytes such as 4G, 512M or 1000000 (K, M, G, T: powers of 1024)",
                sprintf("'%s'", text))
  }
  floor(value)
}

# `n` bytes in binary units with 4 significant digits: "11.7 GiB", "512 MiB".
format_bytes <- function(n) {
  n <- as.double(n)
  k <- 1L
  while (n >= 1024 && k < length(BYTE_UNITS)) {
    n <- n / 1024
    k <- k + 1L
  }
  sprintf("%.4g %s", n, BYTE_UNITS[k])
}

# Refuse (contract section 12) when `need` bytes exceed the limit; `what` is the "got" part's start.
check_memory <- function(need, arg, what) {
  limit <- memory_limit()
  if (!isTRUE(need <= limit)) {
    input_error(arg, sprintf("sizes whose memory need fits in twinnet's limit of %s (%s)", format_bytes(limit), MEMORY_ENV),
                sprintf("%s, which needs %s", what, format_bytes(need)))
  }
  invisible(need)
}

dims_text <- function(dims) sprintf("(%s)", paste(format(as.double(dims), scientific = FALSE, trim = TRUE), collapse = ", "))

# -- the estimates (contract section 29), in bytes ----------------------------------------------

draws_need <- function(n_uniform, n_normal) DOUBLE * 2 * (as.double(n_uniform) + as.double(n_normal))

parameters_need <- function(dims) {
  dims <- as.double(dims)
  L <- length(dims) - 1L
  DOUBLE * (3 * sum(dims[-1] * dims[-(L + 1L)]) + sum(dims[-1]))
}

n_recorded <- function(num_iterations, print_every) {
  t <- as.double(num_iterations)
  p <- as.double(print_every)
  (t - 1) %/% p + 1 + if ((t - 1) %% p != 0) 1 else 0
}

history_need <- function(num_iterations, print_every) DOUBLE * 2 * n_recorded(num_iterations, print_every)

training_need <- function(dims, m, num_iterations, print_every, gram) {
  dims <- as.double(dims)
  m <- as.double(m)
  L <- length(dims) - 1L
  products <- dims[-1] * dims[-(L + 1L)]
  units <- sum(dims[-1])
  need <- 2 * (sum(products) + units) + 2 * m * units + 2 * m * max(dims[-1]) + max(products)
  if (gram) need <- need + m * m + dims[2] * m
  DOUBLE * need + history_need(num_iterations, print_every)
}

forward_need <- function(dims, m) DOUBLE * 2 * as.double(m) * sum(as.double(dims[-1]))

circles_need <- function(n_samples) DOUBLE * 10 * as.double(n_samples)

split_need <- function(m) DOUBLE * 4 * as.double(m)

image_need <- function(size, width = NULL, height = NULL) {
  s <- as.double(size)
  w <- if (is.null(width)) s else as.double(width)
  h <- if (is.null(height)) s else as.double(height)
  DOUBLE * (2 * 3 * w * h + 3 * s * w + 9 * s * s)
}

dataset_need <- function(n_values) DOUBLE * 2 * as.double(n_values)

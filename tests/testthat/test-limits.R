# Sizes checked before anything is allocated (docs/contract.md section 29). The corpus of
# tests/test_hostile.py runs the same cases in both languages; these run without Python.

with_limit <- function(value, code) {
  old <- Sys.getenv("TWINNET_MEMORY_LIMIT", NA)
  Sys.setenv(TWINNET_MEMORY_LIMIT = value)
  on.exit(if (is.na(old)) Sys.unsetenv("TWINNET_MEMORY_LIMIT") else Sys.setenv(TWINNET_MEMORY_LIMIT = old))
  force(code)
}

test_that("the limit is read from TWINNET_MEMORY_LIMIT, in powers of 1024", {
  expect_identical(with_limit("1.5G", memory_limit()), 1.5 * 1024^3)
  expect_identical(with_limit("512MiB", memory_limit()), 512 * 1024^2)
  expect_identical(with_limit("1000000", memory_limit()), 1e6)
  expect_error(with_limit("lots", memory_limit()),
               "`TWINNET_MEMORY_LIMIT`: expected a size in bytes such as 4G, 512M or 1000000", class = "twinnet_input_error")
  expect_error(with_limit("0", memory_limit()), class = "twinnet_input_error")
})

test_that("sizes are refused before allocating, naming the argument, with no NA and no warning", {
  expect_no_warning(expect_error(initialize_parameters(c(1e5, 1e5, 1)),
                                 "`layer_dims`: expected sizes whose memory need fits", class = "twinnet_input_error"))
  expect_error(initialize_parameters(c(2, 2^31, 1)), "layer sizes of at most 2147483647", class = "twinnet_input_error")
  expect_no_warning(expect_error(rng_normal(3e9, 1), "`n_normal`: .*got 3000000000 normals", class = "twinnet_input_error"))
  expect_error(make_circles(1e10), "`n_samples`: ", class = "twinnet_input_error")
  d <- make_circles(20, seed = 1)
  expect_error(L_layer_model(d$X, d$Y, c(2, 3, 1), num_iterations = 2^31 - 1, print_every = 1),
               "`print_every`: .*2147483647 recorded costs", class = "twinnet_input_error")
  expect_error(L_layer_model(d$X, d$Y, c(2, 3, 1), print_every = 1e10),
               "`print_every`: expected a whole number <= 2147483647; got 10000000000", fixed = FALSE,
               class = "twinnet_input_error")
  expect_error(with_limit("64M", make_circles(1e6)), "limit of 64 MiB .*got 1000000 points, which needs 76.29 MiB",
               class = "twinnet_input_error")
})

test_that("byte counts read in binary units with 4 significant digits", {
  expect_identical(twinnet:::format_bytes(1023), "1023 B")
  expect_identical(twinnet:::format_bytes(1024^3 * 11.77), "11.77 GiB")
  expect_identical(twinnet:::format_bytes(1024^4 * 21.83), "21.83 TiB")
})

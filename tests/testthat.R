# Run by R CMD check. The fixture-driven tests need fixtures/ (left out of the
# built tarball): set TWINNET_FIXTURES to the repository's fixtures/ folder.
library(testthat)
library(twinnet)

test_check("twinnet")

# cli_main(): R's command line (twin of python/twinnet/cli.py; tests/test_cli.py compares the two).

run_cli <- function(...) {
  out <- character(0)
  err <- character(0)
  status <- withCallingHandlers(
    {
      out <- utils::capture.output(s <- cli_main(c(...)))
      s
    },
    message = function(m) {
      err <<- c(err, conditionMessage(m))
      invokeRestart("muffleMessage")
    })
  list(status = status, stdout = out, stderr = sub("\n$", "", err))
}

test_that("help and version exit 0", {
  h <- run_cli("--help")
  expect_identical(h$status, 0L)
  expect_true(any(grepl("^  train ", h$stdout)) && any(grepl("^  compare ", h$stdout)))
  expect_identical(run_cli("--version")$stdout, sprintf("twinnet %s", utils::packageVersion("twinnet")))
  expect_true(any(grepl("--learning-rate RATE .*default: 0.05 on circles, 0.0075 otherwise", run_cli("train", "--help")$stdout)))
})

test_that("bad arguments exit 2 with one line naming the option", {
  cases <- list(
    list(character(0), "twinnet: the following arguments are required: COMMAND (see --help)"),
    list(c("train", "--iterations", "0"),
         "twinnet train: argument --iterations: expected a whole number >= 1; got '0' (see --help)"),
    list(c("train", "--activation", "swish"),
         "twinnet train: argument --activation: invalid choice: 'swish' (choose from 'sigmoid', 'relu', 'tanh', 'leaky_relu') (see --help)"),
    list(c("train", "--seed"), "twinnet train: argument --seed: expected one argument (see --help)"),
    list(c("predict", "m.h5"), "twinnet predict: the following arguments are required: inputs (see --help)"),
    list(c("train", "surplus"), "twinnet: unrecognized arguments: surplus (see --help)")
  )
  for (case in cases) {
    res <- run_cli(case[[1]])
    expect_identical(res$status, 2L)
    expect_identical(res$stderr, case[[2]])
  }
  res <- run_cli("train", "--data", file.path(tempdir(), "nowhere"))
  expect_identical(res$status, 2L)
  expect_match(res$stderr, "^twinnet: error: `--data`: expected \"circles\", a cat/non-cat folder")
})

test_that("train writes what neural_net computes, and predict reads it back", {
  out <- file.path(withr::local_tempdir(), "out")
  res <- run_cli("train", "--iterations", "300", "--n-samples", "100", "--layers", "6", "--print-every", "100",
                 "--out", out)
  expect_identical(res$status, 0L)
  expect_identical(sort(list.files(out)), c("cost-curve.png", "costs.csv", "decision-boundary.png", "model.h5"))
  tr <- make_circles(100, seed = 1)
  fit <- neural_net(t(tr$X), as.vector(tr$Y), hidden_layers = 6, learning_rate = 0.05, num_iterations = 300,
                    print_every = 100)
  csv <- utils::read.csv(file.path(out, "costs.csv"))
  expect_identical(csv$iteration, c(0L, 100L, 200L, 299L))
  expect_identical(csv$cost, fit$costs$cost)  # written with 17 significant digits: read back bit for bit
  expect_true(sprintf("network: 2-6-1, relu hidden layers, xavier init, learning rate 0.05, 300 iterations, seed 1 (R)")
              %in% res$stdout)
  expect_true(sprintf("train accuracy: %.4f", mean(predict(fit, t(tr$X)) == tr$Y)) %in% res$stdout)
  points <- file.path(dirname(out), "points.csv")
  utils::write.csv(data.frame(x1 = tr$X[1, 1:3], x2 = tr$X[2, 1:3]), points, row.names = FALSE)
  pred <- run_cli("predict", file.path(out, "model.h5"), points)
  expect_identical(pred$status, 0L)
  p <- predict(fit, t(tr$X[, 1:3]), type = "prob")
  expect_identical(pred$stdout[-1], sprintf("%s[%d]  %-5s  %.6f", points, 1:3, as.integer(p > 0.5), p))
})

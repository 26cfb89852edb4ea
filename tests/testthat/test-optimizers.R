# Mirrors tests/test_optimizers.py (R/optimizers.R).

one <- function(x) list(W1 = matrix(x), b1 = matrix(0))

test_that("momentum and Adam, by hand", {
  g <- list(dW1 = matrix(0.5), db1 = matrix(2))
  v <- initialize_velocity(one(1))
  expect_identical(v, list(dW1 = matrix(0), db1 = matrix(0)))
  m <- update_parameters_with_momentum(one(1), g, v, 0.9, 0.1)
  expect_equal(m$v$dW1[1, 1], 0.05, tolerance = 1e-15)
  expect_equal(m$parameters$W1[1, 1], 1 - 0.1 * 0.05, tolerance = 1e-15)
  st <- initialize_adam(one(1))
  a <- update_parameters_with_adam(one(1), list(dW1 = matrix(0.5), db1 = matrix(-2)), st$v, st$s, 1, 0.1, 0.9, 0.999, 1e-8)
  expect_equal(a$v_corrected$dW1[1, 1], 0.5, tolerance = 1e-14)
  expect_equal(a$s_corrected$dW1[1, 1], 0.25, tolerance = 1e-12)
  expect_equal(a$parameters$W1[1, 1], 1 - 0.1 * 0.5 / (0.5 + 1e-8), tolerance = 1e-14)
  expect_equal(a$parameters$b1[1, 1], 0.1 * 2 / (2 + 1e-8), tolerance = 1e-14)
})

test_that("the decays, by hand, and as the course applies them per epoch", {
  expect_equal(update_lr(0.5, 2, 1), 0.5 / 3, tolerance = 1e-15)
  expect_identical(schedule_lr_decay(0.5, 100, 1, 100), 0.25)
  expect_identical(schedule_lr_decay(0.5, 99, 1, 100), 0.5)  # the floor
  expect_identical(epoch_learning_rate("update_lr", 0.1, 0L, 1, 1000), 0.1)
  expect_identical(epoch_learning_rate("update_lr", 0.1, 1L, 1, 1000), 0.1)
  expect_identical(epoch_learning_rate("update_lr", 0.1, 2L, 1, 1000), update_lr(0.1, 1, 1))
  expect_identical(OPTIMIZERS, c("gd", "momentum", "adam"))
  expect_identical(DECAYS, c("update_lr", "schedule_lr_decay"))
})

test_that("the training loop's steps are the course's functions", {
  set.seed(3)
  shapes <- list(W1 = c(3, 4), b1 = c(3, 1), W2 = c(1, 3), b2 = c(1, 1))
  rnd <- function() lapply(shapes, function(s) matrix(rnorm(prod(s)), s[1], s[2]))
  p <- rnd()
  for (optimizer in OPTIMIZERS) {
    W <- list(p$W1, p$W2)
    b <- list(as.vector(p$b1), as.vector(p$b2))
    step <- STEPS[[optimizer]](W, b, list(beta = 0.8, beta1 = 0.85, beta2 = 0.95, epsilon = 1e-7))
    ref <- p
    st <- initialize_adam(p)
    v <- st$v
    s <- st$s
    set.seed(10)
    for (t in 1:3) {
      grads <- stats::setNames(rnd(), paste0("d", names(shapes)))
      step$begin()
      for (l in 1:2) {
        new <- step$update(l, W[[l]], b[[l]], grads[[paste0("dW", l)]], as.vector(grads[[paste0("db", l)]]), 0.05)
        W[[l]] <- new$W
        b[[l]] <- new$b
      }
      if (optimizer == "gd") {
        ref <- update_parameters(ref, grads, 0.05)
      } else if (optimizer == "momentum") {
        u <- update_parameters_with_momentum(ref, grads, v, 0.8, 0.05)
        ref <- u$parameters
        v <- u$v
      } else {
        u <- update_parameters_with_adam(ref, grads, v, s, t, 0.05, 0.85, 0.95, 1e-7)
        ref <- u$parameters
        v <- u$v
        s <- u$s
      }
    }
    for (l in 1:2) {
      expect_identical(W[[l]], ref[[paste0("W", l)]], label = paste(optimizer, "W", l))
      expect_identical(b[[l]], as.vector(ref[[paste0("b", l)]]), label = paste(optimizer, "b", l))
    }
  }
})

test_that("the updates take parameters whose shapes do not chain (the course's week-2 tests)", {
  p <- list(W1 = matrix(1, 2, 3), b1 = matrix(0, 2, 1), W2 = matrix(1, 3, 3), b2 = matrix(0, 3, 1))
  g <- lapply(initialize_velocity(p), function(z) z + 0.5)
  expect_identical(dim(update_parameters(p, g, 0.1)$W2), c(3L, 3L))
  expect_identical(dim(update_parameters_with_momentum(p, g, initialize_velocity(p), 0.9, 0.1)$parameters$b2), c(3L, 1L))
})

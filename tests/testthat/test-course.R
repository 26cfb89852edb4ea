# Mirrors tests/test_course.py: the course's published test cases (fixtures/course-*.json),
# R alone. Inputs re-made with the numpy stream in R; each case's adapter calls twinnet as the
# course calls its own function (fixtures/README.md lists the adapters and the deliberate
# differences); outputs against the reference's values (contract section 13) and the course's
# printed ones.

course_cases <- function() Filter(function(f) f$adapter != "notebook", read_fixture_lists("course", "^course-.*\\.json$"))

chain_caches <- function(v) {
  list(list(A_prev = v$A1, W = v$W1, b = v$b1, Z = v$Z1), list(A_prev = v$A2, W = v$W2, b = v$b2, Z = v$Z2))
}

# The course's call, in twinnet's terms: the outputs by the fixture's names.
course_adapter <- function(fx, v) {
  c <- fx$config
  switch(fx$adapter,
    initialize_parameters = initialize_parameters(c$layer_dims, c$seed, c$scheme, stream = c$stream),
    linear_forward = list(Z = linear_forward(v$A_prev, v$W, v$b)),
    linear_activation_forward = {
      out <- linear_activation_forward(v$A_prev, v$W, v$b, c$activation)
      list(A = out$A, Z = out$cache$Z)
    },
    L_model_forward = {
      fwd <- L_model_forward(v$X, v[c("W1", "b1", "W2", "b2", "W3", "b3")], c$hidden_activation)
      out <- list(AL = fwd$AL)
      for (l in seq_along(fwd$caches)) {
        for (k in c("A_prev", "W", "b", "Z")) out[[sprintf("cache%d.%s", l, k)]] <- fwd$caches[[l]][[k]]
      }
      out
    },
    compute_cost = list(cost = compute_cost(v$AL, v$Y)),
    linear_backward = linear_backward(v$dZ, list(A_prev = v$A, W = v$W, b = v$b)),
    linear_activation_backward = linear_activation_backward(v$dA, list(A_prev = v$A, W = v$W, b = v$b, Z = v$Z),
                                                            c$activation),
    L_model_backward_chain = {
      caches <- chain_caches(v)
      dAL <- -(v$Y / v$AL - (1 - v$Y) / (1 - v$AL))  # the course's start, in its own formula
      two <- linear_activation_backward(dAL, caches[[2]], "sigmoid")
      one <- linear_activation_backward(two$dA_prev, caches[[1]], "relu")
      list(dA1 = two$dA_prev, dW2 = two$dW, db2 = two$db, dA0 = one$dA_prev, dW1 = one$dW, db1 = one$db)
    },
    update_parameters = update_parameters(v[c("W1", "b1", "W2", "b2")], v[c("dW1", "db1", "dW2", "db2")],
                                          c$learning_rate),
    L_layer_model = {
      fit <- L_layer_model(v$X, v$Y, c$layer_dims, c$learning_rate, c$num_iterations, c$seed,
                           c$hidden_activation, c$scheme, c$print_every, stream = c$stream)
      c(fit$parameters, list(costs = fit$costs$cost[fit$costs$iteration %% 100 == 0]))  # the course's history
    },
    stop("no adapter ", fx$adapter))
}

test_that("every course test case passes through its adapter, or is refused as the case says", {
  skip_if_no_fixtures()
  cases <- course_cases()
  expect_length(cases, 16)
  for (fx in cases) {
    v <- course_inputs(fx)
    if (!is.null(fx$refusal)) {
      expect_refused(course_adapter(fx, v), fx$refusal$argument, fx$refusal$expected)
      next
    }
    out <- course_adapter(fx, v)
    for (key in names(fx$expected)) {
      label <- paste(fx$id, key)
      expected <- fx$expected[[key]]
      if (fx$adapter == "initialize_parameters") {
        expect_bits(out[[key]], as_mat(expected), label)  # initial parameters: bit for bit
      } else if (is.matrix(expected) || length(expected) > 1) {
        expect_close(out[[key]], if (key == "costs") expected else as_mat(expected), label = label)
      } else {
        expect_close(out[[key]], expected, label = label)
      }
    }
    for (key in names(fx$course_expected)) {
      expect_printed(out[[key]], fx$course_expected[[key]], fx$printed[[key]], paste(fx$id, key, "vs the course"))
    }
  }
})

test_that("twinnet's own L_model_backward on the course's inputs gives the contract's values", {
  skip_if_no_fixtures()
  fx <- Filter(function(f) f$adapter == "L_model_backward_chain", course_cases())[[1]]
  v <- course_inputs(fx)
  g <- L_model_backward(v$AL, v$Y, chain_caches(v), "relu")
  expect_setequal(names(g), names(fx$contract_expected))
  for (k in names(g)) expect_close(g[[k]], as_mat(fx$contract_expected[[k]]), label = paste("contract", k))
  # and the difference from the course's chain is real on this A_L
  expect_false(isTRUE(all.equal(g$dW2, as_mat(fx$expected$dW2), tolerance = 1e-6)))
})

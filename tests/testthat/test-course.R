# Mirrors tests/test_course.py: the course's published test cases (fixtures/course-*.json),
# R alone. Inputs re-made with the numpy stream in R; each case's adapter calls twinnet as the
# course calls its own function (fixtures/README.md lists the adapters and the deliberate
# differences); outputs against the reference's values (contract section 13) and the course's
# printed ones.

# Adapters whose cases run elsewhere (the notebooks: real data or long runs) or nowhere (outside-twinnet).
NOT_HERE <- c("notebook", "moons_notebook", "outside-twinnet")
course_cases <- function() Filter(function(f) !(f$adapter %in% NOT_HERE), read_fixture_lists("course", "^course-.*\\.json$"))

# Adapters whose outputs are draws or initial values: held bit for bit (contract section 13).
BIT_FOR_BIT <- c("initialize_parameters", "random_mini_batches", "initialize_velocity", "initialize_adam")

# out[[key]]; a key ending in "[0]" is the first row of the matrix without it (the course's Adam test).
course_lookup <- function(out, key) {
  if (endsWith(key, "[0]")) return(out[[sub("\\[0\\]$", "", key)]][1, , drop = FALSE])
  out[[key]]
}

# The course's flat cache (Z1, A1, W1, b1, ...; D1, D2 with dropout) as twinnet's list of caches.
flat_caches <- function(v) {
  lapply(1:3, function(l) {
    cache <- list(A_prev = if (l == 1) v$X else v[[paste0("A", l - 1)]], W = v[[paste0("W", l)]],
                  b = v[[paste0("b", l)]], Z = v[[paste0("Z", l)]])
    if (!is.null(v[[paste0("D", l)]])) cache$D <- v[[paste0("D", l)]]
    cache
  })
}

prefixed <- function(prefix, d) stats::setNames(d, paste0(prefix, ".", names(d)))

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
    # course 2
    compute_cost_with_regularization = list(cost = compute_cost_with_regularization(
      v$A3, v$Y, v[c("W1", "b1", "W2", "b2", "W3", "b3")], c$lambd)),
    L_model_backward_cache = L_model_backward(v$A3, v$Y, flat_caches(v), c$hidden_activation,
                                              if (is.null(c$lambd)) 0 else c$lambd,
                                              if (is.null(c$keep_prob)) 1 else c$keep_prob),
    L_model_forward_dropout = {
      masks <- dropout_masks(c(3, 2, 3, 1), ncol(v$X), c$keep_prob, c$dropout_seed, c$stream)
      fwd <- L_model_forward(v$X, v[c("W1", "b1", "W2", "b2", "W3", "b3")], c$hidden_activation, c$keep_prob, masks)
      list(A3 = fwd$AL, A1 = fwd$caches[[2]]$A_prev, A2 = fwd$caches[[3]]$A_prev, Z1 = fwd$caches[[1]]$Z,
           Z2 = fwd$caches[[2]]$Z, Z3 = fwd$caches[[3]]$Z, D1 = fwd$caches[[1]]$D, D2 = fwd$caches[[2]]$D)
    },
    gradient_check = list(difference = gradient_check(v$X, v$Y, v[c("W1", "b1", "W2", "b2", "W3", "b3")],
                                                      c$hidden_activation)),
    predict_class = list(predictions = predict_class(v$X, v[c("W1", "b1", "W2", "b2")], c$hidden_activation)),
    random_mini_batches = {
      Y <- (v$Y_normal < 0.5) * 1  # the course's boolean Y, as the numbers 0 and 1
      batches <- random_mini_batches(v$X, Y, c$mini_batch_size, c$seed, c$stream)
      out <- list()
      for (k in seq_along(batches)) {
        out[[sprintf("batch%d.X", k)]] <- batches[[k]]$X
        out[[sprintf("batch%d.Y", k)]] <- batches[[k]]$Y
      }
      out
    },
    initialize_velocity = prefixed("v", initialize_velocity(v[c("W1", "b1", "W2", "b2")])),
    initialize_adam = {
      st <- initialize_adam(v[c("W1", "b1", "W2", "b2")])
      c(prefixed("v", st$v), prefixed("s", st$s))
    },
    update_parameters_with_momentum = {
      state <- v[startsWith(names(v), "v.")]
      names(state) <- sub("^v\\.", "", names(state))
      new <- update_parameters_with_momentum(v[c("W1", "b1", "W2", "b2")], v[c("dW1", "db1", "dW2", "db2")], state,
                                             c$beta, c$learning_rate)
      c(new$parameters, prefixed("v", new$v))
    },
    update_parameters_with_adam = {
      state <- function(q) {
        x <- v[startsWith(names(v), paste0(q, "."))]
        names(x) <- sub("^[vs]\\.", "", names(x))
        x
      }
      new <- update_parameters_with_adam(v[c("W1", "b1", "W2", "b2")], v[c("dW1", "db1", "dW2", "db2")], state("v"),
                                         state("s"), c$t, c$learning_rate, c$beta1, c$beta2, c$epsilon)
      c(new$parameters, prefixed("v", new$v), prefixed("s", new$s), prefixed("v_corrected", new$v_corrected),
        prefixed("s_corrected", new$s_corrected))
    },
    update_lr = list(learning_rate = update_lr(c$learning_rate0, c$epoch_num, c$decay_rate)),
    schedule_lr_decay = list(learning_rate = schedule_lr_decay(c$learning_rate0, c$epoch_num, c$decay_rate,
                                                               c$time_interval)),
    stop("no adapter ", fx$adapter))
}

test_that("every course test case passes through its adapter, or is refused as the case says", {
  skip_if_no_fixtures()
  cases <- course_cases()
  expect_length(cases, 16 + 20)  # course 1: 16; course 2: 20 (and 3 outside twinnet, 4 notebook runs)
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
      got <- course_lookup(out, key)
      if (fx$adapter %in% BIT_FOR_BIT) {
        expect_bits(got, as_mat(expected), label)  # draws and initial values: bit for bit
      } else if (is.matrix(expected) || length(expected) > 1) {
        expect_close(got, if (key == "costs") expected else as_mat(expected), label = label)
      } else {
        expect_close(got, expected, label = label)
      }
    }
    for (key in names(fx$course_expected)) {
      expect_printed(course_lookup(out, key), fx$course_expected[[key]], fx$printed[[key]],
                     paste(fx$id, key, "vs the course"))
    }
    for (key in names(fx$bound)) {
      expect_lt(course_lookup(out, key), fx$bound[[key]], label = paste(fx$id, key))
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

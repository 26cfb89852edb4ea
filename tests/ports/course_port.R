# The line-by-line R translation of tests/ports/course_port.py: the course's calling
# conventions in R (a parameters named list, caches list(list(A_prev, W, b), Z) accessed by
# position, tuples as unnamed lists), the same formulas. Test data for `verify_port()`
# (tests/ports/README.md): this file must pass; tests/ports/mistakes.json plants one classic
# mistake at a time into a copy of it. The weights come from set.seed() and rnorm(): correct,
# judged by shape and scale.

sigmoid <- function(Z) {
  A <- 1 / (1 + exp(-Z))
  list(A, Z)  # the activation cache is Z
}

relu <- function(Z) {
  A <- pmax(Z, 0)
  list(A, Z)
}

sigmoid_backward <- function(dA, cache) {
  s <- 1 / (1 + exp(-cache))
  dA * s * (1 - s)
}

relu_backward <- function(dA, cache) {
  dZ <- dA
  dZ[cache <= 0] <- 0  # relu'(z) = 0 for z <= 0
  dZ
}

initialize_parameters <- function(n_x, n_h, n_y) {
  set.seed(1)
  W1 <- matrix(rnorm(n_h * n_x), n_h, n_x) * 0.01
  W2 <- matrix(rnorm(n_y * n_h), n_y, n_h) * 0.01
  list(W1 = W1, b1 = matrix(0, n_h, 1), W2 = W2, b2 = matrix(0, n_y, 1))
}

initialize_parameters_deep <- function(layer_dims) {
  set.seed(3)
  parameters <- list()
  for (l in 2:length(layer_dims)) {
    parameters[[paste0("W", l - 1)]] <- matrix(rnorm(layer_dims[l] * layer_dims[l - 1]), layer_dims[l], layer_dims[l - 1]) * 0.01
    parameters[[paste0("b", l - 1)]] <- matrix(0, layer_dims[l], 1)
  }
  parameters
}

linear_forward <- function(A, W, b) {
  Z <- W %*% A + as.vector(b)
  list(Z, list(A, W, b))
}

linear_activation_forward <- function(A_prev, W, b, activation) {
  out <- linear_forward(A_prev, W, b)
  Z <- out[[1]]
  linear_cache <- out[[2]]
  if (activation == "sigmoid") {
    act <- sigmoid(Z)
  } else {
    act <- relu(Z)
  }
  list(act[[1]], list(linear_cache, act[[2]]))
}

L_model_forward <- function(X, parameters) {
  L <- length(parameters) %/% 2
  caches <- list()
  A <- X
  for (l in 1:L) {
    activation <- if (l < L) "relu" else "sigmoid"
    out <- linear_activation_forward(A, parameters[[paste0("W", l)]], parameters[[paste0("b", l)]], activation)
    A <- out[[1]]
    caches[[l]] <- out[[2]]
  }
  list(A, caches)
}

compute_cost <- function(AL, Y) {
  m <- ncol(Y)
  cost <- -(Y %*% t(log(AL)) + (1 - Y) %*% t(log(1 - AL))) / m
  drop(cost)
}

linear_backward <- function(dZ, cache) {
  A_prev <- cache[[1]]
  W <- cache[[2]]
  b <- cache[[3]]
  m <- ncol(A_prev)
  dW <- (dZ %*% t(A_prev)) / m
  db <- matrix(rowSums(dZ), ncol = 1) / m
  dA_prev <- t(W) %*% dZ
  list(dA_prev, dW, db)
}

linear_activation_backward <- function(dA, cache, activation) {
  linear_cache <- cache[[1]]
  activation_cache <- cache[[2]]
  if (activation == "sigmoid") {
    dZ <- sigmoid_backward(dA, activation_cache)
  } else {
    dZ <- relu_backward(dA, activation_cache)
  }
  linear_backward(dZ, linear_cache)
}

L_model_backward <- function(AL, Y, caches) {
  grads <- list()
  L <- length(caches)
  Y <- matrix(Y, nrow(AL), ncol(AL))
  dA <- -(Y / AL - (1 - Y) / (1 - AL))
  for (l in L:1) {
    activation <- if (l == L) "sigmoid" else "relu"
    out <- linear_activation_backward(dA, caches[[l]], activation)
    dA <- out[[1]]
    grads[[paste0("dW", l)]] <- out[[2]]
    grads[[paste0("db", l)]] <- out[[3]]
    grads[[paste0("dA", l - 1)]] <- dA
  }
  grads
}

update_parameters <- function(params, grads, learning_rate) {
  parameters <- params
  for (l in 1:(length(parameters) %/% 2)) {
    parameters[[paste0("W", l)]] <- params[[paste0("W", l)]] - learning_rate * grads[[paste0("dW", l)]]
    parameters[[paste0("b", l)]] <- params[[paste0("b", l)]] - learning_rate * grads[[paste0("db", l)]]
  }
  parameters
}

predict <- function(X, y, parameters) {
  probas <- L_model_forward(X, parameters)[[1]]
  p <- (probas > 0.5) * 1
  cat("Accuracy:", mean(p == y), "\n")
  p
}

two_layer_model <- function(X, Y, layers_dims, learning_rate = 0.0075, num_iterations = 3000, print_cost = FALSE) {
  n_x <- layers_dims[1]
  n_h <- layers_dims[2]
  n_y <- layers_dims[3]
  parameters <- initialize_parameters(n_x, n_h, n_y)
  costs <- list()
  for (i in 0:(num_iterations - 1)) {
    out1 <- linear_activation_forward(X, parameters$W1, parameters$b1, "relu")
    out2 <- linear_activation_forward(out1[[1]], parameters$W2, parameters$b2, "sigmoid")
    A2 <- out2[[1]]
    cost <- compute_cost(A2, Y)
    dA2 <- -(Y / A2 - (1 - Y) / (1 - A2))
    back2 <- linear_activation_backward(dA2, out2[[2]], "sigmoid")
    back1 <- linear_activation_backward(back2[[1]], out1[[2]], "relu")
    grads <- list(dW1 = back1[[2]], db1 = back1[[3]], dW2 = back2[[2]], db2 = back2[[3]])
    parameters <- update_parameters(parameters, grads, learning_rate)
    if (i %% 100 == 0) {
      costs[[length(costs) + 1]] <- cost
      if (print_cost) cat(sprintf("Cost after iteration %d: %s\n", i, cost))
    }
  }
  list(parameters, costs)
}

L_layer_model <- function(X, Y, layers_dims, learning_rate = 0.0075, num_iterations = 3000, print_cost = FALSE) {
  parameters <- initialize_parameters_deep(layers_dims)
  costs <- list()
  for (i in 0:(num_iterations - 1)) {
    out <- L_model_forward(X, parameters)
    AL <- out[[1]]
    cost <- compute_cost(AL, Y)
    grads <- L_model_backward(AL, Y, out[[2]])
    parameters <- update_parameters(parameters, grads, learning_rate)
    if (i %% 100 == 0) {
      costs[[length(costs) + 1]] <- cost
      if (print_cost) cat(sprintf("Cost after iteration %d: %s\n", i, cost))
    }
  }
  list(parameters, costs)
}

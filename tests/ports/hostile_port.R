# A port that misbehaves in every way a checker must survive (tests/ports/README.md): it hangs in
# R code, hangs in compiled code (where setTimeLimit() cannot reach), ends its own R session,
# signals an error, returns the wrong types and writes a file into its working directory.
# verify_port() must report each of these for that function and go on; the two functions that
# are right must still pass.

sigmoid <- function(Z) list(1 / (1 + exp(-Z)), Z)  # right

relu <- function(Z) repeat {}  # hangs in R code

sigmoid_backward <- function(dA, cache) quit(save = "no", status = 3)  # ends the session it runs in

linear_forward <- function(A, W, b) stop("boom")

linear_activation_forward <- function(A_prev, W, b, activation) "not a list"  # the wrong type

compute_cost <- function(AL, Y) function() 0  # an object that cannot be checked

initialize_parameters_deep <- function(layer_dims) {  # right, and it writes a file and moves the random state
  writeLines("the checker runs ports in a folder of its own", "written-by-the-port.txt")
  set.seed(3)
  p <- list()
  for (l in 2:length(layer_dims)) {
    p[[paste0("W", l - 1)]] <- matrix(rnorm(layer_dims[l] * layer_dims[l - 1]) * 0.01, layer_dims[l], layer_dims[l - 1])
    p[[paste0("b", l - 1)]] <- matrix(0, layer_dims[l], 1)
  }
  p
}

two_layer_model <- function(X, Y, layers_dims, learning_rate = 0.0075, num_iterations = 3000, print_cost = FALSE) {
  Sys.sleep(3600)  # hangs in compiled code
}

# The package's help page, ?twinnet (the R side of python/twinnet/__init__.py's docstring).

#' twinnet: the course's L-layer neural network, written twice (R and Python) and proven equal
#'
#' A fully connected binary classifier -- relu, tanh, sigmoid or leaky-relu
#' hidden layers, a sigmoid output, cross-entropy cost, backpropagation and
#' full-batch gradient descent -- that follows one written numerical contract
#' (`docs/contract.md` in the sources) together with its Python twin, so that
#' the same seed gives the same numbers in both languages. Random numbers come
#' from a portable stream (Mersenne-Twister, Box-Muller normals), so initial
#' parameters are bit-identical in R and Python.
#'
#' @section Fitting a model:
#' [neural_net()] fits a network the way [stats::glm()] fits a model: from a
#' formula and a data frame, `neural_net(y ~ ., data = df)`, or from a matrix
#' of examples (one row per example) and a vector of labels. The fit has
#' [predict()][predict.twinnet], [fitted()][fitted.twinnet],
#' [residuals()][residuals.twinnet], [nobs()][nobs.twinnet],
#' [logLik()][logLik.twinnet], [update()][update.twinnet],
#' [print()][print.twinnet], [summary()][summary.twinnet],
#' [plot()][plot.twinnet] and [coef()][coef.twinnet] methods;
#' [save_model()] and [load_model()] move it to and from Python.
#'
#' @section The functional core:
#' The course's functions, in its layout (features x examples, labels 1 x m):
#' [initialize_parameters()], [L_model_forward()], [compute_cost()],
#' [L_model_backward()], [update_parameters()], [L_layer_model()],
#' [predict_proba()], [gradient_check()]; data: [make_circles()],
#' [load_catvnoncat()], [load_image_set()], [load_image()]; pictures:
#' [plot_costs()], [plot_decision_boundary()].
#'
#' @section Bad input:
#' Every function refuses bad input with an error of class
#' `twinnet_input_error` and a message of the form
#' "`` `argument`: expected ...; got ... ``", whose "expected" part is word for
#' word the Python twin's.
#'
#' @examples
#' d <- make_circles(200, seed = 1)
#' df <- data.frame(x1 = d$X[1, ], x2 = d$X[2, ], y = d$Y[1, ])
#' fit <- neural_net(y ~ x1 + x2, data = df, hidden_layers = 8, learning_rate = 0.5,
#'                   num_iterations = 300)
#' mean(predict(fit) == df$y)
#' @keywords internal
#' @useDynLib twinnet, .registration = TRUE
"_PACKAGE"

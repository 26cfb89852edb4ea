# A port in the course's calling conventions (Deep Learning Specialization, course 1, week 4:
# W4A1 "Building your Deep Neural Network: Step by Step" and W4A2 "Deep Neural Network -
# Application"), written for twinnet from the notebooks' formulas: equations (4) Z = W A + b,
# (7) the cross-entropy cost, (8)-(10) dW, db, dA_prev, (11) dZ = dA * g'(Z), (16)-(17) the
# update, and dAL = -(Y/AL - (1 - Y)/(1 - AL)). Test data for `twinnet verify`
# (tests/ports/README.md): this file must pass; tests/ports/mistakes.json plants one classic
# mistake at a time into a copy of it. tests/ports/course_port.R is its line-by-line R translation.
import numpy as np


def sigmoid(Z):
    A = 1 / (1 + np.exp(-Z))
    return A, Z  # the activation cache is Z


def relu(Z):
    A = np.maximum(0, Z)
    return A, Z


def sigmoid_backward(dA, cache):
    s = 1 / (1 + np.exp(-cache))
    return dA * s * (1 - s)


def relu_backward(dA, cache):
    dZ = np.array(dA, copy=True)
    dZ[cache <= 0] = 0  # relu'(z) = 0 for z <= 0
    return dZ


def initialize_parameters(n_x, n_h, n_y):
    np.random.seed(1)
    W1 = np.random.randn(n_h, n_x) * 0.01
    W2 = np.random.randn(n_y, n_h) * 0.01
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}


def initialize_parameters_deep(layer_dims):
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W%d" % l] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        parameters["b%d" % l] = np.zeros((layer_dims[l], 1))
    return parameters


def linear_forward(A, W, b):
    Z = np.dot(W, A) + b
    return Z, (A, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A, activation_cache = sigmoid(Z)
    else:
        A, activation_cache = relu(Z)
    return A, (linear_cache, activation_cache)


def L_model_forward(X, parameters):
    L = len(parameters) // 2
    caches = []
    A = X
    for l in range(1, L + 1):
        activation = "relu" if l < L else "sigmoid"
        A, cache = linear_activation_forward(A, parameters["W%d" % l], parameters["b%d" % l], activation)
        caches.append(cache)
    return A, caches


def compute_cost(AL, Y):
    m = Y.shape[1]
    cost = -(np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T)) / m
    return np.squeeze(cost)


def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.dot(dZ, A_prev.T) / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    if activation == "sigmoid":
        dZ = sigmoid_backward(dA, activation_cache)
    else:
        dZ = relu_backward(dA, activation_cache)
    return linear_backward(dZ, linear_cache)


def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    for l in range(L, 0, -1):
        activation = "sigmoid" if l == L else "relu"
        dA, grads["dW%d" % l], grads["db%d" % l] = linear_activation_backward(dA, caches[l - 1], activation)
        grads["dA%d" % (l - 1)] = dA
    return grads


def update_parameters(params, grads, learning_rate):
    parameters = params.copy()
    for l in range(1, len(parameters) // 2 + 1):
        parameters["W%d" % l] = params["W%d" % l] - learning_rate * grads["dW%d" % l]
        parameters["b%d" % l] = params["b%d" % l] - learning_rate * grads["db%d" % l]
    return parameters


def predict(X, y, parameters):
    probas, caches = L_model_forward(X, parameters)
    p = (probas > 0.5).astype(float)
    print("Accuracy: %s" % np.mean(p == y))
    return p


def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    n_x, n_h, n_y = layers_dims
    parameters = initialize_parameters(n_x, n_h, n_y)
    costs = []
    for i in range(num_iterations):
        A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        cost = compute_cost(A2, Y)
        dA2 = -(np.divide(Y, A2) - np.divide(1 - Y, 1 - A2))
        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")
        dA0, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")
        grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0:
            costs.append(cost)
            if print_cost:
                print("Cost after iteration %d: %s" % (i, cost))
    return parameters, costs


def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    parameters = initialize_parameters_deep(layers_dims)
    costs = []
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        grads = L_model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0:
            costs.append(cost)
            if print_cost:
                print("Cost after iteration %d: %s" % (i, cost))
    return parameters, costs

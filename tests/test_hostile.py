"""The hostile-input corpus (issue 14): what a careless or hostile user does, in both languages.

Groups: ``sizes`` (contract section 29: every size is checked before anything is
allocated, refused naming the user's argument; R shows no NA and no warning),
``limit`` (the same under TWINNET_MEMORY_LIMIT), ``nonfinite`` (training stops at
the first non-finite cost, costs and predictions are never NaN), ``files`` (every
file-system and HDF5 fault in one line, contract section 30), ``disk`` (a full and a
read-only file system, root only), ``denied`` (permission denied: a child without
root's overrides) and ``parity`` (the same misuse refused with the same message in
both languages, the estimators included). Each case runs in both languages, in
child processes under a memory cap and timeouts (tests/hostile.py), and asserts
the one-line message -- argument and "expected" part identical in both, the "got"
part holding the reason -- or the outcome, identical in both. A case's warnings
(numpy's RuntimeWarnings, R's integer-overflow warnings) fail it.
"""

import os

import pytest

import hostile
from hostile import memory_expected

#: Arguments of the Python-side path helper p(...) and the R one are written once: "p('a', 'b')".
CASES = []
GROUPS = ("sizes", "limit", "nonfinite", "files", "disk", "denied", "parity", "cli")
LIMIT_64M = 64 * 1024**2

MEM = "@memory"  # the expected part of a memory refusal (computed from the machine, or the batch's limit)


def refuse(group, case_id, py, r, arg, expected, got=(), watch=None, timeout=30):
    """Both languages refuse: same argument (a pair when the languages name it differently), same
    "expected" part, a one-line message whose "got" part holds each of ``got``."""
    CASES.append(dict(group=group, id=case_id, py=py, r=r, kind="refuse", arg=arg, expected=expected,
                      got=tuple(got), watch=watch, timeout=timeout))


def same(group, case_id, py, r, value=None, watch=None, timeout=60):
    """Both languages succeed with the same (JSON) value, and ``value`` when given."""
    CASES.append(dict(group=group, id=case_id, py=py, r=r, kind="same", value=value, watch=watch, timeout=timeout))


def cli_refuse(group, case_id, code, arg, expected, got=(), exit_code=2, watch=None, timeout=60):
    """Both command lines (cli_main, in the batch's process) end with ``exit_code`` and the one line
    "twinnet: error: `arg`: expected ...; got ..." (``code``: cli(...) calls, the same text in both)."""
    CASES.append(dict(group=group, id=case_id, py=code, r=code, kind="cli", arg=arg, expected=expected, got=tuple(got),
                      exit_code=exit_code, usage=None, watch=watch, timeout=timeout))


def cli_usage(group, case_id, code, line, exit_code=2):
    """Both command lines refuse the arguments with exactly this usage line."""
    CASES.append(dict(group=group, id=case_id, py=code, r=code, kind="cli", usage=line, exit_code=exit_code, arg=None,
                      expected=None, got=(), watch=None, timeout=60))


def diverged(group, case_id, py, r, arg, iteration):
    """Training stops at ``iteration`` with the divergence message naming ``arg``."""
    expected = ("a step small enough for the cost to stay finite" if arg == "learning_rate"
                else "values small enough for the cost to be finite")
    CASES.append(dict(group=group, id=case_id, py=py, r=r, kind="diverged", arg=arg, expected=expected,
                      got=("try a smaller learning rate",) if arg == "learning_rate" else ("before any update",),
                      iteration=iteration, watch=None, timeout=60))


# ================================================================== sizes (contract section 29)
S = "sizes"
refuse(S, "init 10^6 x 10^6", "initialize_parameters([10**6, 10**6, 1])", "initialize_parameters(c(1e6, 1e6, 1))",
       "layer_dims", MEM, ["(1000000, 1000000, 1)", "TiB"])
refuse(S, "init 10^5 x 10^5 (R: above 2^31)", "initialize_parameters([10**5, 10**5, 1])",
       "initialize_parameters(c(1e5, 1e5, 1))", "layer_dims", MEM, ["(100000, 100000, 1)"])
refuse(S, "init 2 x 2e9", "initialize_parameters([2, 2 * 10**9, 1])", "initialize_parameters(c(2, 2e9, 1))",
       "layer_dims", MEM)
refuse(S, "init 3 layers of 1e5", "initialize_parameters([100000, 100000, 100000, 1])",
       "initialize_parameters(c(1e5, 1e5, 1e5, 1))", "layer_dims", MEM)
refuse(S, "layer 1e20 (an int)", "initialize_parameters([2, 10**20, 1])", "initialize_parameters(c(2, 1e20, 1))",
       "layer_dims", "layer sizes of at most 2147483647 (R's largest matrix dimension)", ["100000000000000000000"])
refuse(S, "layer 1e20 (a float)", "initialize_parameters([2, 1e20, 1])", "initialize_parameters(c(2, 1e20, 1))",
       "layer_dims", "layer sizes of at most 2147483647 (R's largest matrix dimension)")
refuse(S, "layer 2^31", "initialize_parameters([2, 2**31, 1])", "initialize_parameters(c(2, 2^31, 1))",
       "layer_dims", "layer sizes of at most 2147483647 (R's largest matrix dimension)", ["2147483648"])
refuse(S, "layer 10^400 (R: 1e300)", "initialize_parameters([2, 10**400, 1])", "initialize_parameters(c(2, 1e300, 1))",
       "layer_dims", "layer sizes of at most 2147483647 (R's largest matrix dimension)")
refuse(S, "layer inf", "initialize_parameters([2, float('inf'), 1])", "initialize_parameters(c(2, Inf, 1))",
       "layer_dims", "whole numbers >= 1")
refuse(S, "3e9 normals", "rng_normal(3 * 10**9, 1)", "rng_normal(3e9, 1)", "n_normal", MEM, ["3000000000 normals"])
refuse(S, "1e12 uniforms", "rng_uniform(10**12, 1)", "rng_uniform(1e12, 1)", "n_uniform", MEM)
refuse(S, "normals after uniforms", "rng_sample(1, 10, 10**11)", "rng_sample(1, 10, 1e11)", "n_normal", MEM)
refuse(S, "permutation of 1e12", "rng_permutation(10**12, 1)", "rng_permutation(1e12, 1)", "n", MEM)
refuse(S, "numpy permutation of 1e12", "rng_permutation(10**12, 1, 'numpy')", "rng_permutation(1e12, 1, 'numpy')",
       "n", "a whole number <= 2147483647")
refuse(S, "numpy randn 1e5 x 1e5", "numpy_randn(numpy_seed(1), (10**5, 10**5))",
       "numpy_randn(numpy_seed(1), c(1e5, 1e5))", "size", MEM, ["(100000, 100000) draws"])
refuse(S, "numpy rand 1e10", "numpy_rand(numpy_seed(1), 10**10)", "numpy_rand(numpy_seed(1), 1e10)", "size",
       "a whole number <= 2147483647")
refuse(S, "numpy randn 2e9", "numpy_randn(numpy_seed(1), 2 * 10**9)", "numpy_randn(numpy_seed(1), 2e9)", "size", MEM)
refuse(S, "circles 1e10", "make_circles(10**10)", "make_circles(1e10)", "n_samples", MEM, ["10000000000 points"])
refuse(S, "circles 2e9 (--n-samples 2000000000)", "make_circles(2 * 10**9)", "make_circles(2e9)", "n_samples", MEM)
refuse(S, "split of 1e11", "train_test_split_indices(10**11)", "train_test_split_indices(1e11)", "m", MEM)
refuse(S, "history of 2^31 - 1 costs", "L_layer_model(X2, Y2, [2, 4, 1], num_iterations=2**31 - 1, print_every=1)",
       "L_layer_model(X2, Y2, c(2, 4, 1), num_iterations = 2^31 - 1, print_every = 1)", "print_every", MEM,
       ["2147483647 recorded costs"])
refuse(S, "num_iterations 2^31", "L_layer_model(X2, Y2, [2, 4, 1], num_iterations=2**31)",
       "L_layer_model(X2, Y2, c(2, 4, 1), num_iterations = 2^31)", "num_iterations", "a whole number <= 2147483647")
refuse(S, "num_iterations 1e10", "L_layer_model(X2, Y2, [2, 4, 1], num_iterations=1e10)",
       "L_layer_model(X2, Y2, c(2, 4, 1), num_iterations = 1e10)", "num_iterations", "a whole number <= 2147483647")
refuse(S, "print_every 1e10", "L_layer_model(X2, Y2, [2, 4, 1], print_every=1e10)",
       "L_layer_model(X2, Y2, c(2, 4, 1), print_every = 1e10)", "print_every", "a whole number <= 2147483647",
       ["10000000000"])
refuse(S, "training 10^6 x 10^4", "L_layer_model(X2, Y2, [2, 10**6, 10**4, 1])",
       "L_layer_model(X2, Y2, c(2, 1e6, 1e4, 1))", "layer_dims", MEM, ["on 40 examples"])
refuse(S, "training 1e5 x 1e5", "L_layer_model(X2, Y2, [2, 10**5, 10**5, 1], num_iterations=1)",
       "L_layer_model(X2, Y2, c(2, 1e5, 1e5, 1), num_iterations = 1)", "layer_dims", MEM)
refuse(S, "estimator 10^6 x 10^6", "NeuralNet(hidden_layers=(10**6, 10**6)).fit(X2.T, Y2.ravel())",
       "neural_net(t(X2), as.vector(Y2), hidden_layers = c(1e6, 1e6))", "hidden_layers", MEM)
refuse(S, "estimator layer 1e10", "NeuralNet(hidden_layers=(1e10,)).fit(X2.T, Y2.ravel())",
       "neural_net(t(X2), as.vector(Y2), hidden_layers = 1e10)", "hidden_layers",
       "layer sizes of at most 2147483647 (R's largest matrix dimension)")
refuse(S, "estimator num_iterations 2^31", "NeuralNet(num_iterations=2**31).fit(X2.T, Y2.ravel())",
       "neural_net(t(X2), as.vector(Y2), num_iterations = 2^31)", "num_iterations", "a whole number <= 2147483647")
refuse(S, "estimator history", "NeuralNet(num_iterations=2**31 - 1, print_every=1).fit(X2.T, Y2.ravel())",
       "neural_net(t(X2), as.vector(Y2), num_iterations = 2^31 - 1, print_every = 1)", "print_every", MEM)
refuse(S, "load_image size 100000", "load_image(p('img.png'), size=100000)",
       "load_image(p('img.png'), size = 100000)", "size", MEM, ["100000 x 100000 pixels"])
refuse(S, "predict_image size 100000", "predict_image(p('img.png'), P3, size=100000)",
       "predict_image(p('img.png'), P3, size = 100000)", "size", MEM)
refuse(S, "resize_area size 100000", "resize_area(np.zeros((4, 4, 3)), 100000)",
       "resize_area(array(0, c(4, 4, 3)), 100000)", "size", MEM)
refuse(S, "convert size 100000", "convert_image_folder(p('src_intl'), p('out', 'big.h5'), size=100000, verbose=False)",
       "convert_image_folder(p('src_intl'), p('out', 'big.h5'), size = 100000, verbose = FALSE)", "size", MEM,
       watch="out")
same(S, "memory_limit is half the machine", "memory_limit() == machine_memory_half()",
     "memory_limit() == machine_memory_half()", True)
refuse(S, "TWINNET_MEMORY_LIMIT lots", "with_limit('lots', lambda: make_circles(10))",
       "with_limit('lots', function() make_circles(10))", "TWINNET_MEMORY_LIMIT",
       "a size in bytes such as 4G, 512M or 1000000 (K, M, G, T: powers of 1024)", ["lots"])
refuse(S, "TWINNET_MEMORY_LIMIT 0", "with_limit('0', lambda: make_circles(10))",
       "with_limit('0', function() make_circles(10))", "TWINNET_MEMORY_LIMIT",
       "a size in bytes such as 4G, 512M or 1000000 (K, M, G, T: powers of 1024)")
refuse(S, "TWINNET_MEMORY_LIMIT -5G", "with_limit('-5G', lambda: memory_limit())",
       "with_limit('-5G', function() memory_limit())", "TWINNET_MEMORY_LIMIT",
       "a size in bytes such as 4G, 512M or 1000000 (K, M, G, T: powers of 1024)")
same(S, "TWINNET_MEMORY_LIMIT 1.5G", "with_limit('1.5G', lambda: memory_limit())",
     "with_limit('1.5G', function() memory_limit())", 1610612736)
same(S, "TWINNET_MEMORY_LIMIT 512MiB", "with_limit('512MiB', lambda: memory_limit())",
     "with_limit('512MiB', function() memory_limit())", 536870912)

# ================================================================== limit (TWINNET_MEMORY_LIMIT=64M)
M64 = "limit"
refuse(M64, "circles 1e6 under 64 MiB", "make_circles(10**6)", "make_circles(1e6)", "n_samples", MEM,
       ["1000000 points", "76.29 MiB"])
refuse(M64, "init 3000 x 3000 under 64 MiB", "initialize_parameters([3000, 3000, 1])",
       "initialize_parameters(c(3000, 3000, 1))", "layer_dims", MEM)
refuse(M64, "history of 1e7 under 64 MiB", "L_layer_model(X2, Y2, [2, 4, 1], num_iterations=10**7, print_every=1)",
       "L_layer_model(X2, Y2, c(2, 4, 1), num_iterations = 1e7, print_every = 1)", "print_every", MEM)
refuse(M64, "image 2000 under 64 MiB", "load_image(p('img.png'), size=2000)", "load_image(p('img.png'), size = 2000)",
       "size", MEM)
refuse(M64, "normals 1e7 under 64 MiB", "rng_normal(10**7, 1)", "rng_normal(1e7, 1)", "n_normal", MEM)
refuse(M64, "dataset under 1 MiB", "with_limit('1M', lambda: load_h5_dataset(p('big_layout.h5'), 'train_set_x', 'train_set_y'))",
       "with_limit('1M', function() load_h5_dataset(p('big_layout.h5'), 'train_set_x', 'train_set_y'))", "x_key",
       "@memory:1M")
same(M64, "circles 1e5 fit under 64 MiB", "make_circles(10**5)[0].shape", "dim(make_circles(1e5)$X)", [2, 100000])

# ================================================================== nonfinite (contract sections 6, 8, 9)
N = "nonfinite"
diverged(N, "X * 1e300", "L_layer_model(X2 * 1e300, Y2, [2, 4, 1], num_iterations=5)",
         "L_layer_model(X2 * 1e300, Y2, c(2, 4, 1), num_iterations = 5)", "learning_rate", 1)
diverged(N, "learning rate 1e300", "L_layer_model(X2, Y2, [2, 4, 1], learning_rate=1e300, num_iterations=5)",
         "L_layer_model(X2, Y2, c(2, 4, 1), learning_rate = 1e300, num_iterations = 5)", "learning_rate", 1)
diverged(N, "learning rate 1e300, gram", "L_layer_model(X2[:, :1], Y2[:, :1], [2, 4, 1], learning_rate=1e300, "
         "num_iterations=5, solver='gram')", "L_layer_model(X2[, 1, drop = FALSE], Y2[, 1, drop = FALSE], c(2, 4, 1), "
         "learning_rate = 1e300, num_iterations = 5, solver = 'gram')", "learning_rate", 1)
diverged(N, "learning rate 1e300, [2, 8, 8, 1], he", "L_layer_model(X2, Y2, [2, 8, 8, 1], learning_rate=1e300, "
         "num_iterations=50, scheme='he')", "L_layer_model(X2, Y2, c(2, 8, 8, 1), learning_rate = 1e300, "
         "num_iterations = 50, scheme = 'he')", "learning_rate", 1)
diverged(N, "learning rate 1e300, leaky relu", "L_layer_model(X2, Y2, [2, 4, 1], learning_rate=1e300, "
         "num_iterations=5, hidden_activation='leaky_relu')", "L_layer_model(X2, Y2, c(2, 4, 1), learning_rate = 1e300, "
         "num_iterations = 5, hidden_activation = 'leaky_relu')", "learning_rate", 1)
same(N, "a sigmoid network at 1e300 stays finite (no false alarm)", "float(L_layer_model(X2, Y2, [2, 4, 1], "
     "learning_rate=1e300, num_iterations=20, hidden_activation='sigmoid')[1]['cost'].iloc[-1]) > 1e290",
     "tail(L_layer_model(X2, Y2, c(2, 4, 1), learning_rate = 1e300, num_iterations = 20, "
     "hidden_activation = 'sigmoid')$costs$cost, 1) > 1e290", True)
diverged(N, "X of 1e308 (iteration 0)", "L_layer_model(np.full((2, 3), 1e308), np.array([[0, 1, 1]]), [2, 4, 1], "
         "parameters=ones_parameters([2, 4, 1]))", "L_layer_model(matrix(1e308, 2, 3), matrix(c(0, 1, 1), 1), "
         "c(2, 4, 1), parameters = ones_parameters(c(2, 4, 1)))", "X", 0)
diverged(N, "estimator, learning rate 1e300", "NeuralNet(hidden_layers=(4,), learning_rate=1e300, num_iterations=5)"
         ".fit(X2.T, Y2.ravel())", "neural_net(t(X2), as.vector(Y2), hidden_layers = 4, learning_rate = 1e300, "
         "num_iterations = 5)", "learning_rate", 1)
diverged(N, "training_stability, learning rate 1e300", "training_stability(X2, Y2, [2, 4, 1], 1e300, 5, 1, 'relu', "
         "'xavier')", "training_stability(X2, Y2, c(2, 4, 1), 1e300, 5, 1, 'relu', 'xavier')", "learning_rate", 1)
same(N, "what training had reached", "diverged_fields(lambda: L_layer_model(X2, Y2, [2, 4, 1], learning_rate=1e300, "
     "num_iterations=5, print_every=1))", "diverged_fields(function() L_layer_model(X2, Y2, c(2, 4, 1), "
     "learning_rate = 1e300, num_iterations = 5, print_every = 1))", [1, ["W1", "W2", "b1", "b2"], 1])
refuse(N, "cost of AL 1.5", "compute_cost(np.array([[1.5, 0.2]]), np.array([[0, 1]]))",
       "compute_cost(matrix(c(1.5, 0.2), 1), matrix(c(0, 1), 1))", "AL", "probabilities in [0, 1]", ["1 value(s)"])
refuse(N, "cost of AL NaN", "compute_cost(np.array([[np.nan, 0.2]]), np.array([[0, 1]]))",
       "compute_cost(matrix(c(NaN, 0.2), 1), matrix(c(0, 1), 1))", "AL", "probabilities in [0, 1]")
refuse(N, "cost of AL -0.1", "compute_cost(np.array([[-0.1, 0.2]]), np.array([[0, 1]]))",
       "compute_cost(matrix(c(-0.1, 0.2), 1), matrix(c(0, 1), 1))", "AL", "probabilities in [0, 1]")
refuse(N, "cost of AL Inf", "compute_cost(np.array([[np.inf, 0.2]]), np.array([[0, 1]]))",
       "compute_cost(matrix(c(Inf, 0.2), 1), matrix(c(0, 1), 1))", "AL", "probabilities in [0, 1]")
refuse(N, "cost of ZL NaN", "compute_cost(None, np.array([[0, 1]]), np.array([[np.nan, 1.0]]))",
       "compute_cost(NULL, matrix(c(0, 1), 1), matrix(c(NaN, 1), 1))", "ZL", "finite values (no NaN or Inf)")
refuse(N, "cost of ZL -Inf", "compute_cost(None, np.array([[0, 1]]), np.array([[-np.inf, 1.0]]))",
       "compute_cost(NULL, matrix(c(0, 1), 1), matrix(c(-Inf, 1), 1))", "ZL", "finite values (no NaN or Inf)")
refuse(N, "cost of AL text", "compute_cost('abc', np.array([[0, 1]]))", "compute_cost('abc', matrix(c(0, 1), 1))",
       "AL", "a 2-D numeric matrix")
same(N, "cost of a certain mistake is Inf", "compute_cost(np.array([[1.0, 0.2]]), np.array([[0, 1]])) == float('inf')",
     "compute_cost(matrix(c(1, 0.2), 1), matrix(c(0, 1), 1)) == Inf", True)
refuse(N, "predict with NaN W1", "predict_proba(X2, replaced(P3, W1=nan_at(P3['W1'])))",
       "predict_proba(X2, replaced(P3, W1 = nan_at(P3$W1)))", 'parameters["W1"]', "finite values (no NaN or Inf)")
refuse(N, "predict_class with Inf b2", "predict_class(X2, replaced(P3, b2=nan_at(P3['b2'], np.inf)))",
       "predict_class(X2, replaced(P3, b2 = nan_at(P3$b2, Inf)))", 'parameters["b2"]', "finite values (no NaN or Inf)")
refuse(N, "accuracy with NaN W2", "accuracy(X2, Y2, replaced(P3, W2=nan_at(P3['W2'])))",
       "accuracy(X2, Y2, replaced(P3, W2 = nan_at(P3$W2)))", 'parameters["W2"]', "finite values (no NaN or Inf)")
refuse(N, "gradient check with NaN W1", "gradient_check(X2, Y2, replaced(P3, W1=nan_at(P3['W1'])))",
       "gradient_check(X2, Y2, replaced(P3, W1 = nan_at(P3$W1)))", 'parameters["W1"]', "finite values (no NaN or Inf)")
refuse(N, "predict an overflow", "predict_proba(np.full((2, 3), 1e308), overflow_parameters())",
       "predict_proba(matrix(1e308, 2, 3), overflow_parameters())", "X", "values for which the network's output is a number",
       ["3 example(s)"])
refuse(N, "load NaN weights", "load_model(p('nan_model.h5'))", "load_model(p('nan_model.h5'))", "path",
       "parameters/W1 of finite values (no NaN or Inf)", ["1 non-finite value(s)"])
refuse(N, "load Inf bias", "load_model(p('inf_model.h5'))", "load_model(p('inf_model.h5'))", "path",
       "parameters/b1 of finite values (no NaN or Inf)")
refuse(N, "estimator predicts an overflow", "overflow_net().predict(np.full((3, 2), 1e308))",
       "predict(overflow_net(), matrix(1e308, 3, 2))", "X", "values for which the network's output is a number")

# ================================================================== files (contract section 30)
F = "files"
H5 = "an existing HDF5 file"
for name, words in (("missing.h5", "not found"), ("folder.h5", "a folder, not a file"),
                    ("fifo.h5", "not a regular file (a named pipe)"), ("zero.h5", "not a regular file (a device)"),
                    ("broken.h5", "broken link"), ("text.h5", "not an HDF5 file"), ("empty.h5", "not an HDF5 file"),
                    ("trunc.h5", "a truncated HDF5 file")):
    refuse(F, f"load_h5_dataset {name}", f"load_h5_dataset(p('{name}'), 'x', 'y')",
           f"load_h5_dataset(p('{name}'), 'x', 'y')", "path", H5, [words])
    refuse(F, f"load_model {name}", f"load_model(p('{name}'))", f"load_model(p('{name}'))", "path",
           "an existing file" if name in ("missing.h5", "folder.h5", "fifo.h5", "zero.h5", "broken.h5")
           else "a twinnet model file (HDF5)", [words])
for name, words in (("fifo.h5", "not a regular file (a named pipe)"), ("trunc.h5", "a truncated HDF5 file"),
                    ("text.h5", "not an HDF5 file")):
    refuse(F, f"load_image_set {name}", f"load_image_set(p('{name}'))", f"load_image_set(p('{name}'))", "path", H5, [words])
DANGLE = 'the name of a dataset in the file (one of "x", "y_ok")'
refuse(F, "a missing dataset (beside a broken link)", "load_h5_dataset(p('dangle.h5'), 'x', 'y')",
       "load_h5_dataset(p('dangle.h5'), 'x', 'y')", "y_key", DANGLE)
refuse(F, "a broken link as x_key", "load_h5_dataset(p('dangle.h5'), 'link', 'y_ok')",
       "load_h5_dataset(p('dangle.h5'), 'link', 'y_ok')", "x_key", DANGLE, ["(a broken link)"])
refuse(F, "a group as x_key", "load_h5_dataset(p('dangle.h5'), 'grp', 'y_ok')",
       "load_h5_dataset(p('dangle.h5'), 'grp', 'y_ok')", "x_key", DANGLE, ["(a group)"])
refuse(F, "a path through a dataset", "load_h5_dataset(p('dangle.h5'), 'x/deeper', 'y_ok')",
       "load_h5_dataset(p('dangle.h5'), 'x/deeper', 'y_ok')", "x_key", DANGLE)
same(F, "read beside a broken link", "load_h5_dataset(p('dangle.h5'), 'x', 'y_ok')[0].shape",
     "dim(load_h5_dataset(p('dangle.h5'), 'x', 'y_ok')$X)", [12, 3])
refuse(F, "load_image_set without its datasets", "load_image_set(p('dangle.h5'))", "load_image_set(p('dangle.h5'))",
       "path", 'an HDF5 file with the datasets "train_set_x", "train_set_y", "test_set_x", "test_set_y", "list_classes"',
       ['no dataset "train_set_x"'])
same(F, "a non-ASCII file name", "load_image_set(p('été ß.h5'))[4]", "load_image_set(p('été ß.h5'))$classes",
     ["non-cat", "cat"])
CVN = "an existing folder holding train_catvnoncat.h5 and test_catvnoncat.h5"
refuse(F, "cat/non-cat: a FIFO", "load_catvnoncat(p('cvn_fifo'))", "load_catvnoncat(p('cvn_fifo'))", "folder", CVN,
       ["not a regular file (a named pipe)"])
refuse(F, "cat/non-cat: truncated", "load_catvnoncat(p('cvn_trunc'))", "load_catvnoncat(p('cvn_trunc'))", "folder", CVN,
       ["a truncated HDF5 file"])
refuse(F, "cat/non-cat: no folder", "load_catvnoncat(p('nowhere'))", "load_catvnoncat(p('nowhere'))", "folder", CVN,
       ["not found"])
refuse(F, "cat/non-cat: a file", "load_catvnoncat(p('text.h5'))", "load_catvnoncat(p('text.h5'))", "folder", CVN,
       ["not a folder"])
MODEL = "a twinnet model file (HDF5)"
refuse(F, "load_model: truncated", "load_model(p('trunc_model.h5'))", "load_model(p('trunc_model.h5'))", "path", MODEL,
       ["a truncated HDF5 file"])
refuse(F, "load_model: a missing dataset", "load_model(p('nolayer.h5'))", "load_model(p('nolayer.h5'))", "path",
       "a dataset parameters/W2", ["no such dataset"])
refuse(F, "load_model: a broken link", "load_model(p('danglemodel.h5'))", "load_model(p('danglemodel.h5'))", "path",
       "a dataset parameters/W2", ["a broken link"])
refuse(F, "load_model: not a model", "load_model(p('dangle.h5'))", "load_model(p('dangle.h5'))", "path",
       'a twinnet model file (attribute format = "twinnet-model")', ["no format attribute"])
IMG = "an existing image file"
for name, words in (("fifo.jpg", "not a regular file (a named pipe)"), ("zero.jpg", "not a regular file (a device)"),
                    ("missing.png", "not found"), ("folder.h5", "a folder, not a file")):
    refuse(F, f"load_image {name}", f"load_image(p('{name}'), size=8)", f"load_image(p('{name}'), size = 8)", "path", IMG,
           [words])
refuse(F, "predict_image of a FIFO", "predict_image(p('fifo.jpg'), P192, size=8)",
       "predict_image(p('fifo.jpg'), P192, size = 8)", "path", IMG, ["not a regular file (a named pipe)"])
same(F, "convert skips a FIFO and a link to /dev/zero", "convert_summary(p('src_fifo'), p('out', 'fifo.h5'))",
     "convert_summary(p('src_fifo'), p('out', 'fifo_r.h5'))", [6, 6, 0], watch="out", timeout=60)
same(F, "convert: class folders Chat été / Hund ß", "convert_classes(p('src_intl'), p('out', 'intl.h5'))",
     "convert_classes(p('src_intl'), p('out', 'intl_r.h5'))", [["Chat été", "Hund ß"], ["Chat été", "Hund ß"]],
     watch="out", timeout=60)
SRC = "an existing folder with one subfolder per class"
DEST = "a file path in an existing folder"
refuse(F, "convert: no src", "convert_image_folder(p('nowhere'), p('out', 'x.h5'), verbose=False)",
       "convert_image_folder(p('nowhere'), p('out', 'x.h5'), verbose = FALSE)", "src", SRC, ["not found"])
refuse(F, "convert: src a file", "convert_image_folder(p('text.h5'), p('out', 'x.h5'), verbose=False)",
       "convert_image_folder(p('text.h5'), p('out', 'x.h5'), verbose = FALSE)", "src", SRC, ["not a folder"])
refuse(F, "convert: dest in no folder", "convert_image_folder(p('src_intl'), p('nowhere', 'x.h5'), verbose=False)",
       "convert_image_folder(p('src_intl'), p('nowhere', 'x.h5'), verbose = FALSE)", "dest", DEST, ["no folder"])
refuse(F, "convert: dest a folder", "convert_image_folder(p('src_intl'), p('folder.h5'), verbose=False)",
       "convert_image_folder(p('src_intl'), p('folder.h5'), verbose = FALSE)", "dest", DEST, ["a folder, not a file"])
refuse(F, "convert: dest /dev/full", "convert_image_folder(p('src_intl'), '/dev/full', verbose=False)",
       "convert_image_folder(p('src_intl'), '/dev/full', verbose = FALSE)", "dest", DEST,
       ["not a regular file (a device)"])
refuse(F, "convert: dest a FIFO", "convert_image_folder(p('src_intl'), p('fifo.h5'), verbose=False)",
       "convert_image_folder(p('src_intl'), p('fifo.h5'), verbose = FALSE)", "dest", DEST,
       ["not a regular file (a named pipe)"])
SAVE = "a file path in an existing folder"
refuse(F, "save_model: no folder", "save_model(fitted(), p('nowhere', 'm.h5'))",
       "save_model(fitted(), p('nowhere', 'm.h5'))", "path", SAVE, ["no folder"])
refuse(F, "save_model: a folder", "save_model(fitted(), p('folder.h5'))", "save_model(fitted(), p('folder.h5'))",
       "path", SAVE, ["a folder, not a file"])
refuse(F, "save_model: a FIFO", "save_model(fitted(), p('fifo.h5'))", "save_model(fitted(), p('fifo.h5'))", "path",
       SAVE, ["not a regular file (a named pipe)"])
refuse(F, "save_model: /dev/full", "save_model(fitted(), '/dev/full')", "save_model(fitted(), '/dev/full')", "path",
       SAVE, ["not a regular file (a device)"])
refuse(F, "save_model: a file as folder", "save_model(fitted(), p('text.h5', 'm.h5'))",
       "save_model(fitted(), p('text.h5', 'm.h5'))", "path", SAVE, ["is not a folder"])
same(F, "save_model sweeps a stale temporary file, not a live one", "sweep_case(p('out'))", "sweep_case(p('out'))",
     [True, True], watch="out")

# ================================================================== disk: a full and a read-only file system
K = "disk"
for where, words in (("full", "no space left"), ("ro", "read-only file system")):
    refuse(K, f"save_model on {where}", f"save_model(fitted((16, 8)), p('{where}', 'm.h5'))",
           f"save_model(fitted(c(16, 8)), p('{where}', 'm.h5'))", "path", SAVE, [words], watch=where)
    refuse(K, f"plot_costs on {where}", f"plot_costs(fitted().costs_, p('{where}', 'c.png'))",
           f"plot_costs(fitted()$costs, p('{where}', 'c.png'))", "path", SAVE, [words], watch=where)
    refuse(K, f"convert on {where}", f"convert_image_folder(p('src_intl'), p('{where}', 'x.h5'), size=8, verbose=False)",
           f"convert_image_folder(p('src_intl'), p('{where}', 'x.h5'), size = 8, verbose = FALSE)", "dest", DEST,
           [words], watch=where, timeout=60)
    refuse(K, f"a text file on {where}", f"atomic.atomic_write_text(p('{where}', 'c.csv'), 'x' * 100000)",
           f"twinnet:::atomic_write_text(p('{where}', 'c.csv'), strrep('x', 100000))", "path",
           "a file path in an existing folder", [words], watch=where)
    refuse(K, f"a big model on {where}", f"save_model(fitted((300, 300), num_iterations=1), p('{where}', 'big.h5'))",
           f"save_model(fitted(c(300, 300), num_iterations = 1), p('{where}', 'big.h5'))", "path", SAVE, [words],
           watch=where)
same(K, "the folder of a full disk is left as it was", "sorted(os.listdir(p('full')))",
     "as.list(sort(list.files(p('full'), all.files = TRUE, no.. = TRUE), method = 'radix'))", ["filler"])
same(K, "a small file still fits on the full disk", "small_file_fits(p('full', 's.txt'))",
     "small_file_fits(p('full', 's_r.txt'))", True, watch="full")

# ================================================================== denied: permission bits apply
P = "denied"
refuse(P, "load_h5_dataset unreadable", "load_h5_dataset(p('denied', 'secret.h5'), 'train_set_x', 'train_set_y')",
       "load_h5_dataset(p('denied', 'secret.h5'), 'train_set_x', 'train_set_y')", "path", H5, ["permission denied"])
refuse(P, "load_model unreadable", "load_model(p('denied', 'secret.h5'))", "load_model(p('denied', 'secret.h5'))",
       "path", "an existing file", ["permission denied"])
refuse(P, "load_image unreadable", "load_image(p('denied', 'secret.png'), size=8)",
       "load_image(p('denied', 'secret.png'), size = 8)", "path", IMG, ["permission denied"])
refuse(P, "load_catvnoncat unreadable", "load_catvnoncat(p('cvn_denied'))", "load_catvnoncat(p('cvn_denied'))",
       "folder", CVN, ["permission denied"])
refuse(P, "save_model into a locked folder", "save_model(fitted(), p('denied', 'locked', 'm.h5'))",
       "save_model(fitted(), p('denied', 'locked', 'm.h5'))", "path", SAVE, ["permission denied"],
       watch="denied/locked")
refuse(P, "plot into a locked folder", "plot_costs(fitted().costs_, p('denied', 'locked', 'c.png'))",
       "plot_costs(fitted()$costs, p('denied', 'locked', 'c.png'))", "path", SAVE, ["permission denied"])
refuse(P, "convert into a locked folder", "convert_image_folder(p('src_intl'), p('denied', 'locked', 'x.h5'), size=8, "
       "verbose=False)", "convert_image_folder(p('src_intl'), p('denied', 'locked', 'x.h5'), size = 8, verbose = FALSE)",
       "dest", DEST, ["permission denied"])
same(P, "convert reports an unreadable image", "convert_dropped(p('src_denied'), p('out_denied', 'd.h5'))",
     "convert_dropped(p('src_denied'), p('out_denied', 'd_r.h5'))", [["Cat/locked.png"], 4], watch="out_denied",
     timeout=60)

# ================================================================== parity: the same misuse, the same message
Q = "parity"
refuse(Q, "layer sizes as strings", "initialize_parameters(['2', '4', '1'])", "initialize_parameters(c('2', '4', '1'))",
       "layer_dims", "whole numbers >= 1")
refuse(Q, "layer sizes as booleans", "initialize_parameters([True, True])", "initialize_parameters(c(TRUE, TRUE))",
       "layer_dims", "whole numbers >= 1")
refuse(Q, "layer sizes as one string", "initialize_parameters('241')", "initialize_parameters('241')", "layer_dims",
       "at least 2 layer sizes (n_x, ..., 1)")
refuse(Q, "layer size 2.5", "initialize_parameters([2, 2.5, 1])", "initialize_parameters(c(2, 2.5, 1))", "layer_dims",
       "whole numbers >= 1")
refuse(Q, "linear_forward W vs A_prev", "linear_forward(np.ones((3, 2)), np.ones((2, 2)), np.ones((2, 1)))",
       "linear_forward(matrix(1, 3, 2), matrix(1, 2, 2), matrix(1, 2, 1))", "W", "3 columns (the rows of A_prev)")
refuse(Q, "linear_forward b", "linear_forward(np.ones((2, 2)), np.ones((3, 2)), np.ones((2, 1)))",
       "linear_forward(matrix(1, 2, 2), matrix(1, 3, 2), matrix(1, 2, 1))", "b", "shape (3, 1)")
refuse(Q, "linear_forward A_prev text", "linear_forward('abc', np.ones((2, 2)), np.ones((2, 1)))",
       "linear_forward('abc', matrix(1, 2, 2), matrix(1, 2, 1))", "A_prev", "a 2-D numeric matrix")
refuse(Q, "linear_activation_forward shapes", "linear_activation_forward(np.ones((3, 2)), np.ones((2, 2)), "
       "np.ones((2, 1)), 'relu')", "linear_activation_forward(matrix(1, 3, 2), matrix(1, 2, 2), matrix(1, 2, 1), 'relu')",
       "W", "3 columns (the rows of A_prev)")
refuse(Q, "linear_backward dZ", "linear_backward(np.ones((2, 5)), cache_of(P3))", "linear_backward(matrix(1, 2, 5), cache_of(P3))",
       "dZ", "shape (3, 40) (rows of W, columns of A_prev)")
refuse(Q, "linear_backward cache", "linear_backward(np.ones((3, 40)), 'cache')", "linear_backward(matrix(1, 3, 40), 'cache')",
       "cache", "a mapping with A_prev, W, b, Z (from linear_activation_forward)")
refuse(Q, "linear_activation_backward dA", "linear_activation_backward(np.ones((2, 2)), cache_of(P3), 'relu')",
       "linear_activation_backward(matrix(1, 2, 2), cache_of(P3), 'relu')", "dA", 'the shape of cache["Z"], (3, 40)')
refuse(Q, "update without grads", "update_parameters(P3, None, 0.1)", "update_parameters(P3, NULL, 0.1)", "grads",
       "a mapping with dW1 of the shape of W1")
refuse(Q, "update with text grads", "update_parameters(P3, {'dW1': 'x'}, 0.1)",
       "update_parameters(P3, list(dW1 = 'x'), 0.1)", "grads", "a mapping with dW1 of the shape of W1")
refuse(Q, "update with a grads of other shape", "update_parameters(P3, {'dW1': np.ones((2, 2))}, 0.1)",
       "update_parameters(P3, list(dW1 = matrix(1, 2, 2)), 0.1)", "grads", "a mapping with dW1 of the shape of W1")
refuse(Q, "W1, b1, W3, b3 (no W2)", "L_model_forward(X2, no_layer_2())", "L_model_forward(X2, no_layer_2())",
       "parameters", "a mapping with keys W1, b1, ..., WL, bL", ["missing W2 (but W3, b3 given)"])
refuse(Q, "predict W1, b1, W3, b3", "predict_class(X2, no_layer_2())", "predict_class(X2, no_layer_2())", "parameters",
       "a mapping with keys W1, b1, ..., WL, bL")
refuse(Q, "feature_sd zeros", "predict_image(p('img.png'), P192, size=8, feature_mean=np.zeros((192, 1)), "
       "feature_sd=np.zeros((192, 1)))", "predict_image(p('img.png'), P192, size = 8, feature_mean = matrix(0, 192, 1), "
       "feature_sd = matrix(0, 192, 1))", "feature_sd",
       "positive values (standard deviations; feature_stats() gives 1 for a constant feature)")
refuse(Q, "feature_sd 0", "predict_image(p('img.png'), P192, size=8, feature_mean=np.zeros((192, 1)), feature_sd=0)",
       "predict_image(p('img.png'), P192, size = 8, feature_mean = matrix(0, 192, 1), feature_sd = 0)", "feature_sd",
       "a 2-D numeric matrix")
ESTIMATOR_X = ("X", "x")
refuse(Q, "estimator: numeric strings", "NeuralNet().fit([['1.5', '2'], ['3', '4']], [0, 1])",
       "neural_net(matrix(c('1.5', '3', '2', '4'), 2), c(0, 1))", ESTIMATOR_X, "a 2-D numeric matrix")
refuse(Q, "estimator: nested booleans", "NeuralNet().fit([[True, False], [False, True]], [0, 1])",
       "neural_net(matrix(c(TRUE, FALSE, FALSE, TRUE), 2), c(0, 1))", ESTIMATOR_X, "a 2-D numeric matrix")
refuse(Q, "estimator: a string column", "NeuralNet().fit(pd.DataFrame({'a': ['1', '2']}), [0, 1])",
       "neural_net(data.frame(a = c('1', '2')), c(0, 1))", ESTIMATOR_X, "numeric columns only")
refuse(Q, "estimator: complex", "NeuralNet().fit(np.array([[1 + 1j], [2]]), [0, 1])",
       "neural_net(matrix(complex(real = c(1, 2), imaginary = c(1, 0)), 2), c(0, 1))", ESTIMATOR_X, "a 2-D numeric matrix")
refuse(Q, "estimator: Inf", "NeuralNet().fit(np.array([[1.0], [np.inf]]), [0, 1])",
       "neural_net(matrix(c(1, Inf), 2), c(0, 1))", ESTIMATOR_X, "finite values (no NaN or Inf)")
refuse(Q, "estimator: y of 3 classes", "NeuralNet().fit(np.ones((3, 1)), [0, 1, 2])",
       "neural_net(matrix(1, 3, 1), c(0, 1, 2))", "y", "two classes (or labels 0/1)")
refuse(Q, "estimator: y NaN", "NeuralNet().fit(np.ones((2, 1)), [0.0, float('nan')])",
       "neural_net(matrix(1, 2, 1), c(0, NaN))", "y", "labels without missing or infinite values")
same(Q, "estimator: numeric strings are string classes", "list(fitted_labels(['0', '1']))",
     "fitted_labels(c('0', '1'))", ["0", "1"])
same(Q, "estimator: size 5.0", "NeuralNet(hidden_layers=5.0, num_iterations=2).fit(X2.T, Y2.ravel()).layer_dims_",
     "neural_net(t(X2), as.vector(Y2), hidden_layers = 5.0, num_iterations = 2)$layer_dims", [2, 5, 1])
same(Q, "estimator: sizes 5.0, 3", "NeuralNet(hidden_layers=[5.0, 3], num_iterations=2).fit(X2.T, Y2.ravel()).layer_dims_",
     "neural_net(t(X2), as.vector(Y2), hidden_layers = c(5.0, 3), num_iterations = 2)$layer_dims", [2, 5, 3, 1])
same(Q, "estimator: no hidden layer", "NeuralNet(hidden_layers=[], num_iterations=2).fit(X2.T, Y2.ravel()).layer_dims_",
     "neural_net(t(X2), as.vector(Y2), hidden_layers = integer(0), num_iterations = 2)$layer_dims", [2, 1])
HIDDEN = "whole numbers >= 1 (the hidden layer sizes; may be empty)"
refuse(Q, "estimator: size '5'", "NeuralNet(hidden_layers='5').fit(X2.T, Y2.ravel())",
       "neural_net(t(X2), as.vector(Y2), hidden_layers = '5')", "hidden_layers", HIDDEN)
refuse(Q, "estimator: size True", "NeuralNet(hidden_layers=True).fit(X2.T, Y2.ravel())",
       "neural_net(t(X2), as.vector(Y2), hidden_layers = TRUE)", "hidden_layers", HIDDEN)
refuse(Q, "estimator: size 0", "NeuralNet(hidden_layers=[0]).fit(X2.T, Y2.ravel())",
       "neural_net(t(X2), as.vector(Y2), hidden_layers = 0)", "hidden_layers", HIDDEN)
refuse(Q, "estimator: size 2.5", "NeuralNet(hidden_layers=2.5).fit(X2.T, Y2.ravel())",
       "neural_net(t(X2), as.vector(Y2), hidden_layers = 2.5)", "hidden_layers", HIDDEN)
refuse(Q, "estimator: learning rate '0.1'", "NeuralNet(learning_rate='0.1', num_iterations=2).fit(X2.T, Y2.ravel())",
       "neural_net(t(X2), as.vector(Y2), learning_rate = '0.1', num_iterations = 2)", "learning_rate",
       "a positive finite number")
refuse(Q, "estimator: num_iterations 2.5", "NeuralNet(num_iterations=2.5).fit(X2.T, Y2.ravel())",
       "neural_net(t(X2), as.vector(Y2), num_iterations = 2.5)", "num_iterations", "a whole number >= 1")
refuse(Q, "estimator: print_every 1e10", "NeuralNet(print_every=1e10).fit(X2.T, Y2.ravel())",
       "neural_net(t(X2), as.vector(Y2), print_every = 1e10)", "print_every", "a whole number <= 2147483647")
same(Q, "estimator: seed 1e3", "int(NeuralNet(seed=1e3, num_iterations=2).fit(X2.T, Y2.ravel()).n_iter_)",
     "nrow(neural_net(t(X2), as.vector(Y2), seed = 1e3, num_iterations = 2)$costs)", 2)
refuse(Q, "estimator: seed 2^31", "NeuralNet(seed=2**31, num_iterations=2).fit(X2.T, Y2.ravel())",
       "neural_net(t(X2), as.vector(Y2), seed = 2^31, num_iterations = 2)", "seed", "a whole number in 0..2147483647")
refuse(Q, "circles noise NaN", "make_circles(10, noise=float('nan'))", "make_circles(10, noise = NaN)", "noise",
       "a finite number >= 0")
refuse(Q, "circles factor NaN", "make_circles(10, factor=float('nan'))", "make_circles(10, factor = NaN)", "factor",
       "a number in (0, 1)")
refuse(Q, "split fraction NaN", "train_test_split_indices(10, test_fraction=float('nan'))",
       "train_test_split_indices(10, test_fraction = NaN)", "test_fraction", "a number in (0, 1)")
refuse(Q, "normals -1", "rng_normal(-1, 1)", "rng_normal(-1, 1)", "n_normal", "a whole number >= 0")
refuse(Q, "normals 2.5", "rng_normal(2.5, 1)", "rng_normal(2.5, 1)", "n_normal", "a whole number >= 0")
refuse(Q, "x_key a number", "load_h5_dataset(p('dangle.h5'), 1, 'y_ok')", "load_h5_dataset(p('dangle.h5'), 1, 'y_ok')",
       "x_key", "the name of a dataset in the file")
refuse(Q, "scale 0", "load_h5_dataset(p('dangle.h5'), 'x', 'y_ok', scale=0)",
       "load_h5_dataset(p('dangle.h5'), 'x', 'y_ok', scale = 0)", "scale", "a positive finite number")
refuse(Q, "save something else", "save_model('not a model', p('out', 'x.h5'))",
       "save_model('not a model', p('out', 'x.h5'))", "model", "a fitted model (NeuralNet in Python, neural_net() in R)")
refuse(Q, "save to ''", "save_model(fitted(), '')", "save_model(fitted(), '')", "path", "a file path in an existing folder")
refuse(Q, "load 42", "load_model(42)", "load_model(42)", "path", "an existing file")
refuse(Q, "convert size 0", "convert_image_folder(p('src_intl'), p('out', 'y.h5'), size=0, verbose=False)",
       "convert_image_folder(p('src_intl'), p('out', 'y.h5'), size = 0, verbose = FALSE)", "size", "a whole number >= 1")
refuse(Q, "convert one class", "convert_image_folder(p('src_intl'), p('out', 'y.h5'), classes=['Chat été'], verbose=False)",
       "convert_image_folder(p('src_intl'), p('out', 'y.h5'), classes = 'Chat été', verbose = FALSE)", "classes",
       "2 distinct names of subfolders of `src`, in label order (0, 1)")
same(Q, "convert with classes named", "convert_image_folder(p('src_intl'), p('out', 'z.h5'), size=8, "
     "classes=['Hund ß', 'Chat été'], verbose=False)['classes']", "convert_image_folder(p('src_intl'), p('out', 'z_r.h5'), "
     "size = 8, classes = c('Hund ß', 'Chat été'), verbose = FALSE)$classes", ["Hund ß", "Chat été"], watch="out",
     timeout=60)
refuse(Q, "predict wrong image size", "predict_image(p('img.png'), P3, size=8)", "predict_image(p('img.png'), P3, size = 8)",
       "size", "the side s of the training images, with 3 * s^2 = 2 (the columns of W1)")
refuse(Q, "stream 'Numpy'", "rng_normal(3, 1, 'Numpy')", "rng_normal(3, 1, 'Numpy')", "stream",
       'one of "portable", "numpy"')


# ================================================================== cli: both command lines (cli_main in the child)
C = "cli"
OUT = ("a folder to write the output to: a new one, or one that holds only a previous run's model.h5, costs.csv, "
       "cost-curve.png, decision-boundary.png")
cli_refuse(C, "train: learning rate 1e300", "cli('train', '--learning-rate', '1e300', '--iterations', '5', '--progress', "
           "'never', '--out', p('cli', 'lr'))", "--learning-rate", "a step small enough for the cost to stay finite",
           ["try a smaller learning rate"])
same(C, "train: nothing written when training diverged", "listing(p('cli', 'lr'))", "listing(p('cli', 'lr'))", None)
cli_refuse(C, "train: layers 100000,100000", "cli('train', '--layers', '100000,100000', '--out', p('cli', 'big'))",
           "--layers", MEM, ["(2, 100000, 100000, 1) on 1000 examples"])
cli_refuse(C, "train: n-samples 2e9", "cli('train', '--n-samples', '2000000000', '--out', p('cli', 'n'))", "--n-samples",
           MEM, ["2000000000 points"])
cli_refuse(C, "train: iterations 2^31", "cli('train', '--iterations', '2147483648', '--out', p('cli', 'i'))",
           "--iterations", "a whole number <= 2147483647")
cli_refuse(C, "train: print-every 1e10", "cli('train', '--print-every', '10000000000', '--out', p('cli', 'i'))",
           "--print-every", "a whole number <= 2147483647")
cli_refuse(C, "train: history of 2^31 - 1", "cli('train', '--iterations', '2147483647', '--print-every', '1', "
           "'--out', p('cli', 'i'))", "--print-every", MEM)
cli_refuse(C, "train: an out folder of the user's files", "cli('train', '--iterations', '2', '--out', p('cli', 'foreign'))",
           "--out", OUT, ["which holds notes.txt"])
same(C, "train: the user's files are left alone", "listing(p('cli', 'foreign'))", "listing(p('cli', 'foreign'))",
     ["notes.txt"])
cli_refuse(C, "train: out a file", "cli('train', '--iterations', '2', '--out', p('cli', 'afile'))", "--out", OUT,
           ["not a folder"])
cli_refuse(C, "train: out under a file", "cli('train', '--iterations', '2', '--out', p('cli', 'afile', 'o'))", "--out", OUT,
           ["not a folder"])
cli_refuse(C, "train: data a FIFO", "cli('train', '--data', p('fifo.h5'), '--out', p('cli', 'd'))", "--data", H5,
           ["not a regular file (a named pipe)"])
cli_refuse(C, "train: data truncated", "cli('train', '--data', p('trunc.h5'), '--out', p('cli', 'd'))", "--data", H5,
           ["a truncated HDF5 file"])
cli_refuse(C, "train: data text", "cli('train', '--data', p('text.h5'), '--out', p('cli', 'd'))", "--data", H5,
           ["not an HDF5 file"])
cli_refuse(C, "train: data nowhere", "cli('train', '--data', p('nowhere'), '--out', p('cli', 'd'))", "--data",
           '"circles", a cat/non-cat folder, an HDF5 file in that layout or an image folder', ["not found"])
cli_refuse(C, "train: data a broken link", "cli('train', '--data', p('broken.h5'), '--out', p('cli', 'd'))", "--data", H5,
           ["broken link"])
cli_refuse(C, "train: cat/non-cat with a FIFO", "cli('train', '--data', p('cvn_fifo'), '--out', p('cli', 'd'))", "--data",
           CVN, ["not a regular file (a named pipe)"])
cli_refuse(C, "train: image size 100000", "cli('train', '--data', p('src_intl'), '--size', '100000', '--out', "
           "p('cli', 'd'))", "--size", MEM)
cli_usage(C, "train: seed 1e3", "cli('train', '--seed', '1e3', '--out', p('cli', 's'))",
          "twinnet train: argument --seed: expected a whole number in 0..2147483647; got '1e3' (see --help)")
cli_usage(C, "train: seed -1", "cli('train', '--seed', '-1', '--out', p('cli', 's'))",
          "twinnet train: argument --seed: expected a whole number in 0..2147483647; got '-1' (see --help)")
cli_usage(C, "train: iterations 0", "cli('train', '--iterations', '0')",
          "twinnet train: argument --iterations: expected a whole number >= 1; got '0' (see --help)")
cli_usage(C, "train: learning rate inf", "cli('train', '--learning-rate', 'inf')",
          "twinnet train: argument --learning-rate: expected a positive finite number; got 'inf' (see --help)")
cli_usage(C, "train: layers 8,x", "cli('train', '--layers', '8,x')",
          "twinnet train: argument --layers: expected comma-separated hidden layer sizes such as 20,7,5; got '8,x' "
          "(see --help)")
cli_usage(C, "train: layers 3e9", "cli('train', '--layers', '3000000000')",
          "twinnet train: argument --layers: expected layer sizes of at most 2147483647 (R's largest matrix dimension); "
          "got '3000000000' (see --help)")
cli_refuse(C, "predict: NaN weights", "cli('predict', p('nan_model.h5'), p('img.png'))", "path",
           "parameters/W1 of finite values (no NaN or Inf)")
cli_refuse(C, "predict: a FIFO model", "cli('predict', p('fifo.h5'), p('img.png'))", "path", "an existing file",
           ["not a regular file (a named pipe)"])
cli_refuse(C, "predict: a FIFO input", "cli('predict', p('model.h5'), p('fifo.jpg'))", "inputs",
           "image, HDF5 or CSV files", ["not a regular file (a named pipe)"])
cli_refuse(C, "predict: a missing input", "cli('predict', p('model.h5'), p('none.csv'))", "inputs",
           "image, HDF5 or CSV files", ["not found"])
cli_refuse(C, "predict: a truncated HDF5 input", "cli('predict', p('model.h5'), p('trunc.h5'))", "path", H5,
           ["a truncated HDF5 file"])
cli_refuse(C, "convert (cli): no src", "cli('convert', p('nowhere'), p('cli', 'x.h5'))", "src", SRC, ["not found"])
cli_refuse(C, "convert (cli): dest /dev/full", "cli('convert', p('src_intl'), '/dev/full')", "dest", DEST,
           ["not a regular file (a device)"])
same(C, "train writes the whole set, twice over", "[cli('train', '--iterations', '3', '--n-samples', '20', '--progress', "
     "'never', '--out', p('cli', 'run'))[0], cli('train', '--iterations', '4', '--n-samples', '20', '--progress', "
     "'never', '--out', p('cli', 'run'))[0], listing(p('cli', 'run'))]", "list(cli('train', '--iterations', '3', "
     "'--n-samples', '20', '--progress', 'never', '--out', p('cli', 'run_r'))[[1]], cli('train', '--iterations', '4', "
     "'--n-samples', '20', '--progress', 'never', '--out', p('cli', 'run_r'))[[1]], listing(p('cli', 'run_r')))",
     [0, 0, ["cost-curve.png", "costs.csv", "decision-boundary.png", "model.h5"]], watch="cli", timeout=90)
for where, words in (("full", "no space left"), ("ro", "read-only file system")):
    cli_refuse(K, f"train --out on {where}", f"cli('train', '--iterations', '2', '--n-samples', '20', '--progress', "
               f"'never', '--out', p('{where}', 'out'))", "--out", OUT, [words], watch=where)
cli_refuse(P, "train --out in a locked folder", "cli('train', '--iterations', '2', '--n-samples', '20', '--progress', "
           "'never', '--out', p('denied', 'locked', 'out'))", "--out", OUT, ["permission denied"])


# ------------------------------------------------------------------ running them

def _ids(group):
    return [c for c in CASES if c["group"] == group]


@pytest.fixture(scope="session")
def hostile_dir(tmp_path_factory):
    return hostile.build(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="session")
def mounts(hostile_dir):
    m = hostile.Mounts(hostile_dir)
    yield m
    m.close()


_BATCHES = {}


def batch(group, lang, folder, mounts):
    """The results of a group's cases in one language (run once per session)."""
    key = (group, lang)
    if key not in _BATCHES:
        env = {}
        prefix = ()
        if group == "limit":
            env["TWINNET_MEMORY_LIMIT"] = "64M"
        if group == "disk" and mounts.reason:
            pytest.skip(mounts.reason)
        if group == "denied":
            prefix = hostile.priv_prefix()
            if prefix is None:
                pytest.skip("running as root without setpriv: no process here can be denied a file")
        cases = [{"id": c["id"], "code": c["py" if lang == "python" else "r"], "watch": c["watch"], "timeout": c["timeout"]} for c in _ids(group)]
        _BATCHES[key] = hostile.run_batch(lang, cases, folder, env, prefix)
    return _BATCHES[key]


LANGS = [pytest.param("python", id="py"), pytest.param("r", id="r", marks=pytest.mark.r)]


def _expected_text(expected, group):
    if expected == MEM:
        return memory_expected(LIMIT_64M if group == "limit" else None)
    if expected.startswith("@memory:"):
        return memory_expected(1024**2)
    return expected


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", CASES, ids=[f"{c['group']}: {c['id']}" for c in CASES])
def test_case(lang, case, hostile_dir, mounts):
    results, code, err, hung = batch(case["group"], lang, hostile_dir, mounts)
    assert hung != case["id"], f"the case hung (batch timeout after {hostile.BATCH_TIMEOUT} s)"
    assert case["id"] in results, (f"the case did not report (the child exited with {code}"
                                   f"{'; it hung in ' + repr(hung) if hung else ''}): {err[-1500:]}")
    res = results[case["id"]]
    assert res["status"] != "timeout", "the case ran past its timeout"
    assert not res.get("warnings"), f"warnings: {res['warnings']}"
    if case.get("watch"):
        assert res.get("leftovers") == [], f"temporary files left: {res.get('leftovers')}"
    if case["kind"] == "same":
        assert res["status"] == "ok", f"{res.get('type', '')} {res.get('message')} {res.get('traceback', '')}"
        if case["value"] is not None:
            assert res["value"] == case["value"]
        return
    if case["kind"] == "cli":
        assert res["status"] == "ok", f"{res.get('type', '')} {res.get('message')} {res.get('traceback', '')}"
        code, line = res["value"]
        assert code == case["exit_code"], f"exit code {code}: {line}"
        if case["usage"] is not None:
            assert line == case["usage"]
            return
        assert line.startswith("twinnet: error: "), line
        arg, expected, got = hostile.expected_part(line[len("twinnet: error: "):])
        assert (arg, expected) == (case["arg"], _expected_text(case["expected"], case["group"])), line
        for words in case["got"]:
            assert words in got, line
        assert "NA" not in got.split() and "Traceback" not in line, line
        return
    assert res["status"] == "error", f"not refused: returned {res.get('value')!r}"
    message = res["message"]
    if lang == "python":
        assert "ValueError" in res["classes"] or "TypeError" in res["classes"], \
            f"{res['type']}: {message} {res.get('traceback', '')}"
    else:
        assert "twinnet_input_error" in res["classes"], f"{res['classes']}: {message}"
    assert "\n" not in message, f"not one line: {message!r}"
    arg, expected, got = hostile.expected_part(message)
    want_arg = case["arg"] if isinstance(case["arg"], str) else case["arg"][0 if lang == "python" else 1]
    assert (arg, expected) == (want_arg, _expected_text(case["expected"], case["group"])), message
    for words in case["got"]:
        assert words in got, message
    assert "got NA" not in message and "NA)" not in message, message
    if case["kind"] == "diverged":
        assert res.get("fields", {}).get("iteration") == case["iteration"], res.get("fields")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("group", GROUPS)
def test_batch_ends_cleanly(lang, group, hostile_dir, mounts):
    """The child ran every case and exited normally: no segfault at exit (hdf5r), no hang, no
    library error stack on stderr."""
    results, code, err, hung = batch(group, lang, hostile_dir, mounts)
    assert hung is None, f"hung in {hung!r}"
    assert code == 0, f"exit code {code}: {err[-3000:]}"
    for stack in ("HDF5-DIAG", "HDF5-API Errors", "caught segfault", "Traceback"):
        assert stack not in err, err[-3000:]


def test_the_corpus_is_large_enough():
    """Issue 14: at least 150 cases, each in both languages."""
    assert len(CASES) >= 150, len(CASES)
    assert len({c["id"] for c in CASES}) == len(CASES), "duplicate case ids"

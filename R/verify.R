# Verify your own port: twinnet's shared vectors as a checker for anyone's implementation
# (twin of python/twinnet/verify.py; docs/verify.md is the user's guide, docs/contract.md
# section 28 the rules). verify_port(path) loads a user's implementation of the course's network
# -- an R file or an installed package; a Python file or module goes to the Python checker
# (python -m twinnet.verify, read back as JSON) -- finds its functions by name, runs every
# applicable fixture of fixtures/ against each and returns a report: per function pass / fail,
# the contract's normwise error per quantity (section 13, the cancelling-sums rule included),
# the worst element, and a diagnosis where a classic mistake fits. A diagnosis is never a guess
# from a message: the expected value is recomputed under the mistaken hypothesis and the port's
# value must match it.
#
# The user's code is untrusted: it runs in a child R session (callr, when installed), every call
# under setTimeLimit() and, for hangs in compiled code, a hard deadline after which the child is
# killed; an error, a wrong return type, a hang or a crash is reported for that function and the
# checker goes on. Without callr it runs in this session under setTimeLimit() only. The child
# works in a temporary folder; the caller's random state and working directory are restored.
#
# The helpers are the Python file's, name for name (tests/test_twin_rule.py lists the few that
# are one language's own, and why): R needs no transport of its own (callr serialises R values;
# load_port() and run_calls() below are what the child runs, in callr's session and, from Python,
# through rpy2).

STEP_TOL <- 1e-12
MATCH_TOL <- 1e-9
DEFAULT_TIMEOUT <- 10
SCALE_Z <- 6
FAMILIES <- c(tn = "^tn-.*\\.json$", course = "^course-.*\\.json$")
PROBE_DIMS <- list(initialize_parameters = c(100L, 40L, 1L), initialize_parameters_deep = c(100L, 40L, 10L, 1L))
ACCEPTED_RULES <- list(initialize_parameters = "scaled", initialize_parameters_deep = c("scaled", "xavier", "he"))
CONVENTIONS <- c("auto", "course", "twinnet")
FUNCTIONS <- list(
  course = c("sigmoid", "relu", "sigmoid_backward", "relu_backward", "initialize_parameters",
             "initialize_parameters_deep", "linear_forward", "linear_activation_forward", "L_model_forward",
             "compute_cost", "linear_backward", "linear_activation_backward", "L_model_backward",
             "update_parameters", "predict", "two_layer_model", "L_layer_model"),
  twinnet = c("sigmoid_forward", "relu_forward", "tanh_forward", "leaky_relu_forward", "sigmoid_backward",
              "relu_backward", "tanh_backward", "leaky_relu_backward", "initialize_parameters", "linear_forward",
              "linear_activation_forward", "L_model_forward", "compute_cost", "linear_backward",
              "linear_activation_backward", "L_model_backward", "update_parameters", "predict_class",
              "L_layer_model")
)
EVIDENCE <- list(course = c("initialize_parameters_deep", "sigmoid", "relu", "predict", "two_layer_model"),
                 twinnet = c("sigmoid_forward", "relu_forward", "tanh_forward", "leaky_relu_forward",
                             "predict_class", "predict_proba"))
DEPENDS <- list(
  linear_activation_forward = c("linear_forward", "sigmoid", "relu"),
  L_model_forward = c("linear_activation_forward", "linear_forward", "sigmoid", "relu"),
  linear_activation_backward = c("linear_backward", "sigmoid_backward", "relu_backward"),
  L_model_backward = c("linear_activation_backward", "linear_backward", "sigmoid_backward", "relu_backward"),
  predict = c("L_model_forward", "linear_activation_forward"),
  predict_class = c("L_model_forward", "linear_activation_forward"),
  two_layer_model = c("linear_activation_forward", "compute_cost", "linear_activation_backward",
                      "update_parameters", "linear_forward", "linear_backward", "relu_backward", "sigmoid_backward"),
  L_layer_model = c("initialize_parameters", "L_model_forward", "compute_cost", "L_model_backward",
                    "update_parameters", "linear_activation_forward", "linear_activation_backward")
)
DIAGNOSES <- c(
  vector_shape = "{q} has shape {got} instead of {want}: a 1-D array (R: a plain vector) where a matrix is expected (keepdims=True, reshape; R: matrix(..., ncol = 1))",
  transposed = "{q} is the transpose of the expected matrix (W transposed: shape (n_(l-1), n_l) instead of (n_l, n_(l-1)))",
  W_transposed = "the function uses W transposed: called with t(W) in place of W it gives the expected {q}",
  missing_1_over_m = "{q} is m = {m} times the expected value: the 1/m factor is missing",
  m_wrong_axis = "{q} is m/n_(l-1) times the expected value: m was taken from the wrong axis (A_prev.shape[0], nrow(A_prev)) instead of the number of examples",
  sign_flipped = "{q} has the opposite sign: the sign of dZ is flipped (dAL = -(Y/AL - (1 - Y)/(1 - AL)), dZ_L = AL - Y)",
  cost_sign = "the cost has the opposite sign: the minus of -(1/m) sum(y log(a) + (1 - y) log(1 - a)) is missing",
  cost_missing_term = "the cost lacks the (1 - y) log(1 - a) term",
  cost_not_scalar = "the cost is a 1 x 1 array, not a number (np.squeeze; R: drop or as.numeric)",
  relu_prime_at_zero = "{q} matches relu'(0) = 1: dZ is kept where Z == 0 (the derivative at Z <= 0 is {at0})",
  activation_swapped = "{q} matches the {alt} activation where {act} is expected",
  hidden_activation_wrong = "{q} matches a network whose hidden layers use {alt} instead of {act}",
  output_activation_wrong = "{q} matches a network whose output layer uses relu (it must be sigmoid)",
  sigmoid_prime_twice = "{q} matches dZ_L = (AL - Y) * sigmoid'(Z_L): AL - Y is already dZ_L and must not go through sigmoid_backward again",
  sum_wrong_axis = "{q} sums over the wrong axis: over the units (axis=0, colSums) instead of the examples (axis=1, rowSums)",
  cache_A_for_Z = "the cache holds A where Z belongs: the activation cache must be Z",
  learning_rate_twice = "{q} matches W - alpha^2 dW: the learning rate is applied twice",
  update_twice = "{q} matches W - 2 alpha dW: the update is applied twice",
  not_updated = "{q} comes back unchanged: the update went into a copy (or another dict) than the one returned",
  update_sign = "{q} matches W + alpha dW: gradient ascent, the sign of the update is flipped",
  probabilities_not_classes = "predict returns the probabilities AL, not 0/1 classes (AL > 0.5)",
  classes_flipped = "the predicted classes are flipped: class 1 where AL < 0.5",
  threshold_ge = "AL = 0.5 is predicted as class 1: the rule is AL > 0.5, not AL >= 0.5",
  init_standard = "the weights are standard normal draws: the scale factor ({accepted}) is missing",
  init_rule = "the weights follow the {alt} rule where {accepted} is expected",
  init_uniform = "the weights are uniform draws (np.random.rand, runif) instead of standard normal ones (randn, rnorm)",
  b_not_zero = "{q} is not zero: the biases start at zeros",
  scheme_ignored = "{q} matches the scheme {alt}, not the requested {scheme}",
  inherited = "probably follows from what fails in {fn} ({ids})"
)
DERIVATIVE_BOUND <- c(relu = 1, leaky_relu = 1, tanh = 1, sigmoid = 0.25)

# ------------------------------------------------------------------ the public functions

#' Verify your own port of the course's network
#'
#' `verify_port()` loads a user's implementation of the course's L-layer network -- an R file,
#' an installed package (`"package:NAME"`), or a Python file or module (checked by the Python
#' checker, `python -m twinnet.verify`, and read back as JSON) -- finds the course's functions by
#' name, runs every applicable fixture of twinnet's `fixtures/` against each and reports per
#' function: pass / fail, the contract's normwise error per quantity, the worst element, and a
#' diagnosis where a classic mistake fits (1/m missing, W transposed, the sign of dZ, relu'(0),
#' ...), found by recomputing the expected value under the mistake. See `docs/verify.md`.
#' `verify_main()` is the command line (`twinnet verify PATH [options]`).
#'
#' The user's code is untrusted: it runs in a child R session (package callr, when installed),
#' each call under `setTimeLimit()` and a hard deadline; errors, wrong return types, hangs and
#' crashes are reported per function. The caller's random state and working directory are left
#' as they were, and nothing is written into the port's folder.
#'
#' @param path `character(1)`, no default. A `.R` or `.py` file, `"package:NAME"` (an installed R
#'   package) or a Python module name.
#' @param name_map named `character`, default `NULL`. Checker name -> the port's name, e.g.
#'   `c(linear_forward = "for_prop", L_model_forward = "deep_model")`.
#' @param convention `character(1)`, default `"auto"`. `"course"`, `"twinnet"` or `"auto"`
#'   (detected from the names and arguments).
#' @param fixtures `character(1)`, default `NULL`. The fixtures folder; default
#'   `Sys.getenv("TWINNET_FIXTURES")`, else `./fixtures`.
#' @param timeout `numeric(1)`, default `10`. Time limit in seconds for each call of the port.
#' @param only `character`, default `NULL`. Check only these functions (checker names).
#' @param argv `character`, default `commandArgs(trailingOnly = TRUE)`. The command line: `PATH`
#'   and the options `--name CHECKER=PORT` (repeatable, or comma-separated), `--convention`,
#'   `--fixtures DIR`, `--timeout SECONDS`, `--only NAME,...`, `--json FILE`, `--junit FILE`,
#'   `--quiet`.
#' @return `verify_port()`: the report, a list of class `twinnet_verify_report` (printed as text;
#'   `report$exit_code` is 0 when every function found passes, else 1). `verify_main()`: the exit
#'   code, 0 (all pass), 1 (some fail) or 2 (bad input), after printing the report.
#' @examples
#' \dontrun{
#' report <- verify_port("my_port.R")
#' report
#' verify_main(c("my_port.R", "--junit", "verify.xml"))
#' }
#' @export
verify_port <- function(path, name_map = NULL, convention = "auto", fixtures = NULL, timeout = DEFAULT_TIMEOUT,
                        only = NULL) {
  target <- check_target(path)
  name_map <- check_name_map(name_map)
  check_choice(convention, CONVENTIONS, "convention")
  if (!is.numeric(timeout) || length(timeout) != 1L || is.na(timeout) || !is.finite(timeout) || timeout <= 0) {
    input_error("timeout", "a positive finite number of seconds", describe(timeout))
  }
  only <- check_only(only)
  folder <- fixtures_folder(fixtures)
  if (target$lang == "python") return(verify_python(path, name_map, convention, folder, timeout, only))
  fixtures_list <- load_fixtures(folder)
  workdir <- tempfile("twinnet-verify-")
  dir.create(workdir)
  old_wd <- getwd()
  on.exit({
    setwd(old_wd)
    unlink(workdir, recursive = TRUE)
  }, add = TRUE)
  # the caller's random state comes back as it was, whatever the port (run here without callr) draws
  with_portable_seed(1L, verify_in(target, workdir, path, name_map, convention, folder, fixtures_list, as.double(timeout), only))
}

# The report of the port target (of check_target()), run in a child working in workdir.
verify_in <- function(target, workdir, path, name_map, convention, folder, fixtures_list, timeout, only) {
  port <- tryCatch(open_port(target$target, target$kind, workdir),
                   twinnet_load_error = function(e) {
                     input_error("path", "a port that loads", sprintf("'%s', which fails: %s", path, conditionMessage(e)))
                   })
  on.exit(port$close(), add = TRUE)
  verify_loaded(port, path, target$lang, name_map, convention, folder, fixtures_list, timeout, only)
}

#' @rdname verify_port
#' @export
verify_main <- function(argv = commandArgs(trailingOnly = TRUE)) {
  usage <- "usage: twinnet verify PATH [--name CHECKER=PORT] [--convention auto|course|twinnet] [--fixtures DIR] [--timeout SECONDS] [--only NAME,...] [--json FILE] [--junit FILE] [--quiet]"
  res <- tryCatch({
    opts <- parse_verify_args(argv)
    if (isTRUE(opts$help)) {
      cat(usage, "\n")
      return(0L)
    }
    timeout <- suppressWarnings(as.numeric(opts$timeout))
    if (is.na(timeout)) input_error("timeout", "a positive finite number of seconds", sprintf("'%s'", opts$timeout))
    for (dest in c(opts$json, opts$junit)) {
      if (!dir.exists(dirname(normalizePath(dest, mustWork = FALSE)))) {
        input_error("--json/--junit", "a file in an existing folder", sprintf("'%s'", dest))
      }
    }
    report <- verify_port(opts$path, parse_name_pairs(opts$name), opts$convention, opts$fixtures, timeout,
                          if (is.null(opts$only)) NULL else strsplit(opts$only, ",", fixed = TRUE)[[1]])
    list(report = report, opts = opts)
  }, twinnet_input_error = function(e) {
    message("twinnet verify: error: ", gsub("\\s+", " ", conditionMessage(e)))
    2L
  })
  if (!is.list(res)) return(res)
  if (!isTRUE(res$opts$quiet)) print(res$report)
  if (!is.null(res$opts$json)) atomic_write_text(res$opts$json, report_json(res$report))
  if (!is.null(res$opts$junit)) atomic_write_text(res$opts$junit, report_junit(res$report))
  as.integer(res$report$exit_code)
}

#' @rdname verify_port
#' @param x `twinnet_verify_report`, no default. A report of `verify_port()`.
#' @param ... ignored.
#' @export
print.twinnet_verify_report <- function(x, ...) {
  cat(report_text(x), "\n", sep = "")
  invisible(x)
}

# The report of verify_port(): a list (JSON-able) of class twinnet_verify_report, printed as the text report.
verify_report <- function(fields) structure(fields, class = c("twinnet_verify_report", "list"))

parse_verify_args <- function(argv) {
  opts <- list(name = character(0), convention = "auto", timeout = as.character(DEFAULT_TIMEOUT))
  known <- c("name", "convention", "fixtures", "timeout", "only", "json", "junit")
  pos <- character(0)
  i <- 1L
  while (i <= length(argv)) {
    a <- argv[i]
    if (a %in% c("--quiet", "--help", "-h")) {
      opts[[if (a == "--quiet") "quiet" else "help"]] <- TRUE
    } else if (startsWith(a, "--")) {
      key <- sub("^--", "", sub("=.*$", "", a))
      if (!(key %in% known)) input_error("argv", "the options of twinnet verify (see --help)", sprintf("--%s", key))
      if (grepl("=", a, fixed = TRUE)) {
        value <- sub("^[^=]*=", "", a)
      } else {
        if (i == length(argv)) input_error("argv", sprintf("a value after --%s", key), "nothing")
        i <- i + 1L
        value <- argv[i]
      }
      opts[[key]] <- if (key == "name") c(opts$name, value) else value
    } else {
      pos <- c(pos, a)
    }
    i <- i + 1L
  }
  if (!isTRUE(opts$help) && length(pos) != 1L) {
    input_error("argv", "one PATH (a .R or .py file, package:NAME or a Python module)", sprintf("%d", length(pos)))
  }
  opts$path <- pos[1]
  opts
}

# ------------------------------------------------------------------ arguments

# What path names, list(target, lang, kind): a file, a Python module or package:NAME.
check_target <- function(path) {
  expected <- "a .py or .R file, a Python module name or package:NAME (an R package)"
  if (!is.character(path) || length(path) != 1L || is.na(path) || !nzchar(path)) input_error("path", expected, describe(path))
  if (startsWith(path, "package:")) return(list(target = sub("^package:", "", path), lang = "r", kind = "r-package"))
  if (file.exists(path) && !dir.exists(path)) {
    ext <- tolower(sub("^.*\\.", "", basename(path)))
    if (ext == "py") return(list(target = normalizePath(path), lang = "python", kind = "py-file"))
    if (ext == "r") return(list(target = normalizePath(path), lang = "r", kind = "r-file"))
    input_error("path", expected, sprintf("\"%s\" (a file that is neither .py nor .R)", path))
  }
  if (grepl("^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$", path) && !grepl("\\.(py|R)$", path)) {
    return(list(target = path, lang = "python", kind = "py-module"))
  }
  input_error("path", expected, sprintf("\"%s\", which does not exist", path))
}

check_name_map <- function(name_map) {
  known <- sort(unique(c(FUNCTIONS$course, FUNCTIONS$twinnet)), method = "radix")
  if (is.null(name_map)) return(structure(list(), names = character(0)))
  if (!(is.character(name_map) || is.list(name_map)) || (length(name_map) && is.null(names(name_map)))) {
    input_error("name_map", "a mapping of checker names to the port's names", describe(name_map))
  }
  for (k in names(name_map)) {
    if (!(k %in% known)) input_error("name_map", paste0("keys among the checker's names (", paste(known, collapse = ", "), ")"), sprintf("'%s'", k))
    v <- name_map[[k]]
    if (!is.character(v) || length(v) != 1L || is.na(v) || !nzchar(v)) {
      input_error("name_map", "non-empty names of the port's functions", sprintf("%s for %s", describe(v), k))
    }
  }
  as.list(name_map)
}

parse_name_pairs <- function(items) {
  out <- list()
  for (item in items) {
    for (pair in strsplit(item, ",", fixed = TRUE)[[1]]) {
      if (!nzchar(pair)) next
      parts <- strsplit(pair, "=", fixed = TRUE)[[1]]
      if (length(parts) != 2L || !all(nzchar(parts)) || endsWith(pair, "=")) {
        input_error("--name", "CHECKER=PORT pairs such as linear_forward=for_prop", sprintf("'%s'", pair))
      }
      out[[trimws(parts[1])]] <- trimws(parts[2])
    }
  }
  out
}

check_only <- function(only) {
  if (is.null(only)) return(NULL)
  known <- c(FUNCTIONS$course, FUNCTIONS$twinnet)
  if (!is.character(only) || !length(only)) input_error("only", "a non-empty list of checker function names", describe(only))
  for (name in only) {
    if (!(name %in% known)) input_error("only", "checker function names such as linear_backward", sprintf("'%s'", name))
  }
  only
}

fixtures_folder <- function(fixtures) {
  if (is.null(fixtures)) {
    env <- Sys.getenv("TWINNET_FIXTURES")
    fixtures <- if (nzchar(env)) env else "fixtures"
  }
  if (!is.character(fixtures) || length(fixtures) != 1L || !dir.exists(fixtures)) {
    input_error("fixtures", "the folder of twinnet's fixtures (fixtures/, or set TWINNET_FIXTURES)",
                if (is.character(fixtures)) sprintf("'%s'", fixtures) else describe(fixtures))
  }
  fixtures
}

load_fixtures <- function(folder) {
  out <- list()
  for (family in names(FAMILIES)) {
    for (path in sort(list.files(folder, pattern = FAMILIES[[family]], full.names = TRUE), method = "radix")) {
      fx <- tryCatch(jsonlite::fromJSON(path, simplifyVector = TRUE, simplifyMatrix = TRUE),
                     error = function(e) input_error("fixtures", "readable JSON fixtures", sprintf("%s: %s", basename(path), conditionMessage(e))))
      if (!is.list(fx) || is.null(names(fx))) input_error("fixtures", "fixtures that are JSON objects", basename(path))
      fx$family <- family
      if (is.null(fx$id)) fx$id <- sub("\\.json$", "", basename(path))
      out[[length(out) + 1L]] <- fx
    }
  }
  if (!any(vapply(out, function(fx) identical(fx$kind, "network"), logical(1)))) {
    input_error("fixtures", paste0("a folder with network fixtures (tn-*.json, course-*.json)"), sprintf("'%s'", folder))
  }
  out
}

# ------------------------------------------------------------------ the run

verify_loaded <- function(port, path, lang, name_map, convention, folder, fixtures, timeout, only) {
  functions <- port$functions
  det <- if (convention == "auto") detect_convention(functions, name_map) else list(used = convention, evidence = character(0))
  used <- det$used
  names_ <- if (is.null(only)) FUNCTIONS[[used]] else FUNCTIONS[[used]][FUNCTIONS[[used]] %in% only]
  views <- network_views(fixtures)
  records <- list()
  for (name in names_) {
    port_name <- if (is.null(name_map[[name]])) name else name_map[[name]]
    rec <- list(name = name, port_name = port_name, status = "missing", cases = list(),
                quantities = structure(list(), names = character(0)), diagnoses = list())
    if (port_name %in% names(functions)) {
      cases <- cases_for(name, used, views)
      if (!length(cases)) {
        rec$status <- "not applicable"
      } else {
        rec$cases <- run_function(port, port_name, cases, timeout, name_map)
        rec <- summarise_function(rec)
      }
    }
    records[[length(records) + 1L]] <- rec
  }
  records <- add_inherited(records)
  statuses <- vapply(records, function(r) r$status, character(1))
  counts <- lapply(c(pass = "pass", fail = "fail", missing = "missing", `not applicable` = "not applicable"),
                   function(s) sum(statuses == s))
  if (counts$pass + counts$fail == 0 && counts$`not applicable` == 0) {
    input_error("path", paste("a port defining at least one of the functions", paste(names_, collapse = ", ")),
                sprintf("'%s', which defines none of them%s", path, if (!length(name_map)) " (see name_map)" else ""))
  }
  fams <- vapply(fixtures, function(fx) fx$family, character(1))
  families <- lapply(stats::setNames(names(FAMILIES), names(FAMILIES)), function(f) sum(fams == f))
  verify_report(list(
    schema = "twinnet-verify-report", schema_version = 1L, checker = "r", path = path, language = lang,
    convention = used, convention_source = if (convention == "auto") "detected" else "option",
    convention_evidence = as.list(det$evidence), name_map = name_map,
    fixtures = list(folder = folder, families = families), timeout = timeout, index_base = 1L,
    functions = records, summary = counts, exit_code = if (counts$fail == 0) 0L else 1L
  ))
}

detect_convention <- function(functions, name_map) {
  mapped <- function(n) if (is.null(name_map[[n]])) n else name_map[[n]]
  found <- lapply(EVIDENCE, function(ns) ns[vapply(ns, function(n) mapped(n) %in% names(functions), logical(1))])
  if (length(found$course) != length(found$twinnet)) {
    used <- if (length(found$course) > length(found$twinnet)) "course" else "twinnet"
    return(list(used = used, evidence = found[[used]]))
  }
  forward <- functions[[mapped("L_model_forward")]]
  if (mapped("L_model_forward") %in% names(functions)) {
    return(list(used = if (length(forward) >= 3L) "twinnet" else "course",
                evidence = sprintf("L_model_forward(%s)", paste(forward, collapse = ", "))))
  }
  list(used = "course", evidence = character(0))
}

network_views <- function(fixtures) {
  views <- list()
  for (fx in fixtures) {
    if (!identical(fx$kind, "network")) next
    v <- tryCatch(network_view(fx), error = function(e) NULL)  # without the quantities the checker needs
    if (!is.null(v)) views[[length(views) + 1L]] <- v
  }
  views
}

network_view <- function(fx) {
  cfg <- fx$config
  e <- fx$expected
  dims <- as.integer(cfg$layer_dims)
  L <- length(dims) - 1L
  f <- e$forward
  b <- e$backward
  P <- lapply(e$parameters, mat)
  v <- list(id = fx$id, family = fx$family, flags = as.character(unlist(fx$flags)), dims = dims, L = L,
            X = mat(fx$inputs$X), Y = mat(fx$inputs$Y), P = P, act = cfg$hidden_activation,
            acts = c(rep(cfg$hidden_activation, L - 1L), "sigmoid"), lr = as.double(cfg$learning_rate),
            T = as.integer(cfg$num_iterations), seed = as.integer(cfg$seed), scheme = cfg$scheme,
            cost = as.double(e$cost), stream = if (is.null(cfg$stream)) "portable" else cfg$stream)
  if (is.null(f) || is.null(b) || is.null(e$updated_parameters) || is.null(e$costs)) stop("not a complete network fixture")
  v$m <- ncol(v$X)
  v$A <- c(list(v$X), lapply(seq_len(L), function(l) mat(f[[paste0("A", l)]])))   # A[[l + 1]] is A_l
  v$Z <- lapply(seq_len(L), function(l) mat(f[[paste0("Z", l)]]))
  v$dZ <- lapply(seq_len(L), function(l) mat(b[[paste0("dZ", l)]]))
  v$grads <- lapply(b[!startsWith(names(b), "dZ")], mat)
  # dA0 = W1^T dZ1: the course returns it, the fixtures never hold it (contract section 1)
  v$dA <- c(list(crossprod(P$W1, v$dZ[[1]])), lapply(seq_len(L - 1L), function(l) mat(b[[paste0("dA", l)]])))  # dA[[l + 1]] is dA_l
  v$updated <- lapply(e$updated_parameters, mat)
  v$predictions <- matrix(as.integer(e$predictions), nrow = 1L)
  v$costs <- as.double(e$costs$cost)
  v$iterations <- as.integer(e$costs$iteration)
  v$saturated <- "saturated" %in% v$flags
  if (any(vapply(c(v$A, v$Z, v$dZ), is.null, logical(1)))) stop("not a complete network fixture")
  v
}

mat <- function(x) {
  if (is.null(x)) stop("missing quantity")
  if (!is.matrix(x)) x <- matrix(x, nrow = 1L)
  storage.mode(x) <- "double"
  x
}

cases_for <- function(name, convention, views) {
  builder <- builder_for(convention, name)
  cases <- list()
  for (v in views) {
    calls <- builder(v, name)
    if (length(calls)) cases[[length(cases) + 1L]] <- list(fixture = v$id, family = v$family, calls = calls)
  }
  if (convention == "course" && name %in% names(PROBE_DIMS)) {
    dims <- PROBE_DIMS[[name]]
    cases[[length(cases) + 1L]] <- list(fixture = paste0("probe-", paste(dims, collapse = "-")), family = "checker",
                                        calls = init_course_calls(name, dims))
  }
  cases
}

run_function <- function(port, port_name, cases, timeout, name_map) {
  mapped <- function(k) if (is.null(name_map[[k]])) k else name_map[[k]]
  calls <- unlist(lapply(cases, function(case) case$calls), recursive = FALSE)
  sent <- lapply(calls, function(c) {
    c$patches <- stats::setNames(c$patches, vapply(names(c$patches), mapped, character(1)))
    c$record <- vapply(c$record, mapped, character(1), USE.NAMES = FALSE)
    c
  })
  outcomes <- port$run(port_name, sent, timeout)
  back <- unlist(lapply(calls, function(c) stats::setNames(c$record, vapply(c$record, mapped, character(1)))))
  outcomes <- lapply(outcomes, function(out) {
    if (length(out$records)) names(out$records) <- vapply(names(out$records), function(k) if (k %in% names(back)) back[[k]] else k, character(1))
    out
  })
  judged <- mapply(judge_call, calls, outcomes, SIMPLIFY = FALSE)
  # the probes: calls with changed inputs that test a hypothesis a failing call left open
  probes <- list()
  for (j in seq_along(calls)) {
    if (!judged[[j]]$pass) for (p in calls[[j]]$probes) probes[[length(probes) + 1L]] <- list(j = j, p = p)
  }
  if (length(probes)) {
    probe_out <- port$run(port_name, lapply(probes, function(x) x$p), timeout)
    for (k in seq_along(probes)) {
      p <- probes[[k]]$p
      out <- probe_out[[k]]
      if (identical(out$status, "ok") && matches(p$expected, resolve(out$value, p$path)$value)) {
        j <- probes[[k]]$j
        judged[[j]]$diagnoses[[length(judged[[j]]$diagnoses) + 1L]] <- diagnosis(p$id, p$quantity, list())
      }
    }
  }
  records <- list()
  k <- 0L
  for (case in cases) {
    parts <- judged[k + seq_along(case$calls)]
    k <- k + length(case$calls)
    failed <- Filter(function(p) !p$pass, parts)
    status <- if (!length(failed)) "pass" else {
      other <- Filter(function(s) s != "fail", vapply(failed, function(p) p$status, character(1)))
      if (length(other)) other[[1]] else "fail"
    }
    msgs <- Filter(Negate(is.null), lapply(failed, function(p) p$message))
    records[[length(records) + 1L]] <- list(
      fixture = case$fixture, family = case$family, status = status,
      message = if (length(msgs)) msgs[[1]] else NULL,
      quantities = unlist(lapply(parts, function(p) p$quantities), recursive = FALSE),
      diagnoses = unique_diagnoses(unlist(lapply(parts, function(p) p$diagnoses), recursive = FALSE)))
  }
  records
}

judge_call <- function(call, out) {
  if (!identical(out$status, "ok")) {
    return(list(pass = FALSE, status = out$status, message = out$message, quantities = list(), diagnoses = list()))
  }
  quantities <- list()
  diagnoses <- list()
  for (check in call$checks) {
    res <- judge_check(check, out)
    quantities <- c(quantities, res$quantities)
    diagnoses <- c(diagnoses, res$diagnoses)
  }
  ok <- all(vapply(quantities, function(q) q$pass, logical(1)))
  list(pass = ok, status = if (ok) "pass" else "fail", message = NULL, quantities = quantities, diagnoses = diagnoses)
}

summarise_function <- function(rec) {
  rec$status <- if (all(vapply(rec$cases, function(c) c$status == "pass", logical(1)))) "pass" else "fail"
  worst <- list()
  for (case in rec$cases) {
    for (q in case$quantities) {
      if (!is.null(q$error) && (is.null(worst[[q$base]]) || q$error > worst[[q$base]])) worst[[q$base]] <- q$error
    }
  }
  rec$quantities <- if (length(worst)) worst else structure(list(), names = character(0))
  seen <- list()
  for (case in rec$cases) {
    for (d in case$diagnoses) {
      if (is.null(seen[[d$id]])) seen[[d$id]] <- c(d, list(cases = list()))
      seen[[d$id]]$cases[[length(seen[[d$id]]$cases) + 1L]] <- case$fixture
    }
  }
  rec$diagnoses <- unname(seen)
  rec
}

add_inherited <- function(records) {
  by_name <- stats::setNames(records, vapply(records, function(r) r$name, character(1)))
  for (i in seq_along(records)) {
    r <- records[[i]]
    deps <- Filter(function(d) !is.null(by_name[[d]]) && by_name[[d]]$status == "fail", DEPENDS[[r$name]])
    if (r$status != "fail" || !length(deps)) next
    ids <- sort(unique(unlist(lapply(deps, function(d) {
      vapply(by_name[[d]]$diagnoses, function(x) x$id, character(1))
    }))), method = "radix")
    ids <- ids[ids != "inherited"]
    text <- fill_text(DIAGNOSES[["inherited"]], list(fn = paste(deps, collapse = ", "),
                                                     ids = if (length(ids)) paste(ids, collapse = ", ") else "no diagnosis"))
    records[[i]]$diagnoses[[length(r$diagnoses) + 1L]] <- list(id = "inherited", quantity = NULL, text = text,
                                                               from = as.list(deps), cases = list())
  }
  records
}

unique_diagnoses <- function(diagnoses) {
  keys <- vapply(diagnoses, function(d) paste(d$id, d$text), character(1))
  diagnoses[!duplicated(keys)]
}

# ------------------------------------------------------------------ judging one value

spec <- function(name, path, expected, kind = "close", scale = NULL, alts = list(), ...) {
  c(list(name = name, base = sub("[0-9]+$", "", name), path = as.list(path), kind = kind, expected = expected,
         scale = scale, alts = alts), list(...))
}

call_spec <- function(args, checks, probes = list(), patches = list(), record = character(0), pre_seed = NULL) {
  list(args = args, checks = checks, probes = probes, patches = patches, record = record, pre_seed = pre_seed)
}

probe <- function(args, ident, path, expected, quantity) {
  c(call_spec(args, list()), list(id = ident, path = as.list(path), expected = expected, quantity = quantity))
}

resolve <- function(value, path) {
  where <- "result"
  for (step in path) {
    if (is.numeric(step)) {
      if (!is.list(value) || is.data.frame(value) || length(value) < step) {
        return(list(value = NULL, problem = paste0(sprintf("%s is %s, not a list", where, describe_value(value)),
                                                  if (is.list(value) && !is.data.frame(value)) sprintf(" of %d or more items", step) else "")))
      }
      value <- value[[step]]
      where <- sprintf("%s[[%d]]", where, step)
    } else {
      if (!is.list(value) || is.null(names(value)) || !(step %in% names(value))) {
        problem <- if (is.list(value) && !is.null(names(value))) {
          sprintf("%s has no '%s' (names: %s)", where, step, paste(names(value), collapse = ", "))
        } else {
          sprintf("%s is %s, not a named list with '%s'", where, describe_value(value), step)
        }
        return(list(value = NULL, problem = problem))
      }
      value <- value[[step]]
      where <- sprintf("%s$%s", where, step)
    }
  }
  list(value = value, problem = NULL)
}

describe_value <- function(x) {
  if (is.function(x)) return("a function")
  if (is.list(x) && !is.data.frame(x)) return(sprintf("a list of %d item(s)", length(x)))
  if ((is.numeric(x) || is.logical(x)) && length(x) != 1L) return(sprintf("an array of shape %s", shape_text(shape_of(x))))
  describe(x)
}

as_array <- function(x) {
  if ((is.numeric(x) || is.logical(x)) && !is.object(x) || is.matrix(x) && (is.numeric(x) || is.logical(x))) {
    d <- dim(x)
    x <- as.double(x)
    if (!is.null(d)) dim(x) <- d
    return(x)
  }
  NULL
}

shape_of <- function(x) if (is.null(dim(x))) length(x) else dim(x)

shape_text <- function(shape) {
  paste0("(", paste(shape, collapse = ", "), if (length(shape) == 1L) "," else "", ")")
}

quantity <- function(check, err, problem = NULL, worst = NULL, note = NULL, denominator = "max|a|", tol = STEP_TOL,
                     passed = NULL) {
  ok <- if (is.null(passed)) is.null(problem) && !is.null(err) && err <= tol else passed
  list(name = check$name, base = check$base, pass = isTRUE(ok),
       error = if (is.null(err) || !is.finite(err)) NULL else as.double(err), tolerance = tol,
       denominator = denominator, worst = worst, message = problem, note = note)
}

# max|a - b| / max(max|a|, s) (contract section 13) and the worst element's index (the first non-finite
# one of got if there is one).
normwise <- function(expected, got, scale = NULL) {
  if (!all(is.finite(got))) return(list(err = Inf, idx = which(!is.finite(got))[1]))
  diff <- abs(expected - got)
  denom <- max(if (length(expected)) max(abs(expected)) else 0, if (is.null(scale)) 0 else scale)
  worst <- if (length(diff)) max(diff) else 0
  list(err = if (denom > 0) worst / denom else worst, idx = if (length(diff)) which.max(diff) else 1L)
}

# The 1-based index of element i of x, one entry per dimension.
element_index <- function(x, i) {
  if (is.null(dim(x))) return(as.list(as.integer(i)))
  as.list(as.integer(arrayInd(i, dim(x))))
}

judge_check <- function(check, out) {
  kind <- check$kind
  if (kind == "init") return(judge_init(check, out))
  if (kind == "series") return(judge_series(check, out))
  res <- resolve(out$value, check$path)
  if (!is.null(res$problem)) return(list(quantities = list(quantity(check, NULL, res$problem)), diagnoses = list()))
  got <- res$value
  if (kind == "none") {
    ok <- is.null(got)
    return(list(quantities = list(quantity(check, if (ok) 0 else NULL, if (ok) NULL else sprintf("expected NULL, got %s", describe_value(got)))),
                diagnoses = list()))
  }
  b <- as_array(got)
  a <- check$expected
  if (is.null(b)) {
    return(list(quantities = list(quantity(check, NULL, sprintf("expected %s, got %s",
                                                                  if (kind == "scalar") "a number" else "a numeric array", describe_value(got)))),
                diagnoses = list()))
  }
  if (kind == "scalar") {
    if (!is.null(dim(b)) || length(b) != 1L) {
      return(list(quantities = list(quantity(check, NULL, sprintf("shape %s instead of a number", shape_text(shape_of(b))))),
                  diagnoses = diagnose(check, b, a)))
    }
  } else if (!identical(shape_of(b), shape_of(a))) {
    return(list(quantities = list(quantity(check, NULL, sprintf("shape %s instead of %s", shape_text(shape_of(b)), shape_text(shape_of(a))))),
                diagnoses = diagnose(check, b, a)))
  }
  if (kind == "labels" && !all(b %in% c(0, 1))) {
    return(list(quantities = list(quantity(check, NULL, "values other than 0/1 (or logicals)")), diagnoses = diagnose(check, b, a)))
  }
  nw <- normwise(a, b, check$scale)
  worst <- list(index = if (kind == "scalar") list() else element_index(a, nw$idx), expected = a[[nw$idx]],
                got = if (is.finite(b[[nw$idx]])) b[[nw$idx]] else as.character(b[[nw$idx]]))
  if (kind == "identical") {
    err <- if (identical(as.double(a), as.double(b))) 0 else max(nw$err, .Machine$double.eps)
    q <- quantity(check, err, NULL, worst, tol = 0)
  } else {
    q <- quantity(check, nw$err, if (!is.finite(nw$err)) "non-finite values" else NULL, worst,
                  denominator = if (is.null(check$scale)) "max|a|" else "terms")
  }
  list(quantities = list(q), diagnoses = if (q$pass) list() else diagnose(check, b, a))
}

matches <- function(alt, got) {
  a <- as_array(alt)
  b <- as_array(got)
  if (is.null(a) || is.null(b) || length(a) != length(b) || !length(a)) return(FALSE)
  if (!identical(shape_of(a), shape_of(b))) {
    if (!is.null(dim(a)) && !is.null(dim(b))) return(FALSE)
    a <- as.vector(a)
    b <- as.vector(b)
  }
  if (!all(is.finite(a)) || !all(is.finite(b))) return(FALSE)
  normwise(a, b)$err <= MATCH_TOL
}

diagnose <- function(check, b, a) {
  out <- list()
  if (is.matrix(a) && is.null(dim(b)) && length(b) == length(a) &&
      (matches(as.vector(a), b) || matches(as.vector(t(a)), b))) {
    out[[length(out) + 1L]] <- diagnosis("vector_shape", check$name, list(got = shape_text(shape_of(b)), want = shape_text(dim(a))))
  }
  if (is.matrix(a) && nrow(a) != ncol(a) && identical(shape_of(b), rev(dim(a))) && matches(t(a), b)) {
    out[[length(out) + 1L]] <- diagnosis("transposed", check$name, list())
  }
  for (alt in check$alts) {
    value <- alt$thunk()
    same <- !is.null(value) && identical(shape_of(value), shape_of(a)) && matches(value, a)
    if (!is.null(value) && !same && matches(value, b)) {
      out[[length(out) + 1L]] <- diagnosis(alt$id, check$name, alt$params)
    }
  }
  out
}

# A hypothesis: the mistake ident, the value it predicts (thunk(), NULL if none), the parameters of its text.
alt <- function(ident, thunk, params = list()) list(id = ident, thunk = thunk, params = params)

# "{q} is {m} times" with q and the params filled in (Python's str.format).
fill_text <- function(template, params) {
  for (k in names(params)) template <- gsub(paste0("{", k, "}"), as.character(params[[k]]), template, fixed = TRUE)
  template
}

diagnosis <- function(ident, quantity, params) {
  list(id = ident, quantity = quantity, text = fill_text(DIAGNOSES[[ident]], c(list(q = quantity), params)))
}

judge_series <- function(check, out) {
  expected <- check$expected
  recorded <- if (!is.null(check$record)) out$records[[check$record]] else NULL
  note <- NULL
  if (length(recorded)) {
    values <- lapply(recorded, as_array)
    source <- sprintf("the %d values %s returned during training", length(values), check$record)
  } else {
    res <- resolve(out$value, check$path)
    if (!is.null(res$problem)) return(list(quantities = list(quantity(check, NULL, res$problem)), diagnoses = list()))
    got <- res$value
    values <- if (is.list(got)) lapply(got, as_array) else lapply(as.list(as.vector(got)), as_array)
    every <- if (is.null(check$every)) 1L else check$every
    expected <- expected[seq(1L, length(expected), by = every)]
    source <- "the returned costs"
    note <- sprintf("costs observed only in the returned list (every %d iterations)", every)
  }
  if (any(vapply(values, function(x) is.null(x) || length(x) != 1L, logical(1)))) {
    return(list(quantities = list(quantity(check, NULL, sprintf("%s are not numbers", source))), diagnoses = list()))
  }
  got <- vapply(values, function(x) x[[1]], double(1))
  if (length(got) != length(expected)) {
    return(list(quantities = list(quantity(check, NULL, sprintf("%s: %d values, expected %d", source, length(got), length(expected)), note = note)),
                diagnoses = list()))
  }
  nw <- normwise(expected, got)
  worst <- list(index = element_index(expected, nw$idx), expected = expected[[nw$idx]], got = got[[nw$idx]])
  list(quantities = list(quantity(check, nw$err, if (is.finite(nw$err)) NULL else "non-finite costs", worst, note)),
       diagnoses = list())
}

# ------------------------------------------------------------------ initialisation: exact, or shape and scale

judge_init <- function(check, out) {
  P <- out$value
  dims <- check$dims
  accepted <- check$accepted
  L <- length(dims) - 1L
  quantities <- list()
  diagnoses <- list()
  if (!is.list(P) || is.null(names(P))) {
    return(list(quantities = list(quantity(check, NULL, sprintf("expected a named list W1, b1, ...; got %s", describe_value(P)))),
                diagnoses = list()))
  }
  Ws <- list()
  for (l in seq_len(L)) {
    n <- dims[l + 1L]
    p <- dims[l]
    for (key in paste0(c("W", "b"), l)) {
      want <- if (startsWith(key, "W")) c(n, p) else c(n, 1L)
      qc <- spec(key, list(key), NULL)
      x <- as_array(P[[key]])
      if (is.null(x)) {
        quantities[[length(quantities) + 1L]] <- quantity(qc, NULL, sprintf("missing or not numeric (%s)", describe_value(P[[key]])))
        next
      }
      if (!identical(as.integer(shape_of(x)), as.integer(want))) {
        quantities[[length(quantities) + 1L]] <- quantity(qc, NULL, sprintf("shape %s instead of %s", shape_text(shape_of(x)), shape_text(want)))
        if (identical(as.integer(shape_of(x)), as.integer(rev(want))) && startsWith(key, "W")) {
          diagnoses[[length(diagnoses) + 1L]] <- diagnosis("transposed", key, list())
        }
        if (is.null(dim(x)) && length(x) == n * want[2]) {
          diagnoses[[length(diagnoses) + 1L]] <- diagnosis("vector_shape", key, list(got = shape_text(shape_of(x)), want = shape_text(want)))
        }
      }
      if (startsWith(key, "b")) {
        err <- if (length(x)) max(abs(x)) else 0
        q <- quantity(qc, err, denominator = "absolute (zeros expected)", tol = 0)
        quantities[[length(quantities) + 1L]] <- q
        if (!q$pass) diagnoses[[length(diagnoses) + 1L]] <- diagnosis("b_not_zero", key, list())
      } else if (length(x) == n * p) {
        Ws[[length(Ws) + 1L]] <- list(l = l, x = x, p = p)
      }
    }
  }
  if (length(Ws) == L) {
    res <- judge_draws(check, Ws, out$seeds, accepted, dims)
    quantities[[length(quantities) + 1L]] <- res$quantity
    diagnoses <- c(diagnoses, res$diagnoses)
  }
  list(quantities = quantities, diagnoses = diagnoses)
}

rule_text <- function(rules) {
  names_ <- c(scaled = "x 0.01", xavier = "/ sqrt(n_(l-1))", he = "x sqrt(2 / n_(l-1))", standard = "x 1")
  paste(sprintf("%s (%s)", rules, names_[rules]), collapse = " or ")
}

judge_draws <- function(check, Ws, seeds, accepted, dims) {
  qc <- spec("W draws", list(), NULL)
  for (seed in seeds) if (!is.null(numpy_replay(Ws, seed, dims))) break  # never in R: no numpy stream
  judge_scale(qc, Ws, accepted, !is.null(seeds))
}

# The Python checker replays numpy's legacy stream here; R has none, so an R port's weights are
# judged by shape and scale only (contract section 28).
numpy_replay <- function(Ws, seed, dims) NULL

draw_stats <- function(Ws, rule) {
  zs <- unlist(lapply(Ws, function(w) as.vector(w$x) / INIT_SCHEMES[[rule]](1, w$p)))
  c(ms = mean(zs * zs), mean = mean(zs), min = min(zs), N = length(zs))
}

normal_band <- function(N) {
  h <- 2 / (9 * N)
  c(lo = max(0, 1 - h - SCALE_Z * sqrt(h))^3, hi = (1 - h + SCALE_Z * sqrt(h))^3)
}

fits_normal <- function(ms, mean, N) {
  band <- normal_band(N)
  band[["lo"]] <= ms && ms <= band[["hi"]] && abs(mean) <= SCALE_Z / sqrt(N)
}

fits_uniform <- function(ms, mean, minimum, N) {
  minimum >= 0 && abs(ms - 1 / 3) <= SCALE_Z * sqrt(4 / 45 / N) && abs(mean - 0.5) <= SCALE_Z * sqrt(1 / 12 / N)
}

judge_scale <- function(qc, Ws, accepted, tried_exact) {
  # the rules that scale a normal draw (not "zeros", whose factor is 0: zeros are judged exactly)
  scaling <- Filter(function(r) as.double(INIT_SCHEMES[[r]](1, 2)) != 0, names(INIT_SCHEMES))
  stats <- lapply(stats::setNames(scaling, scaling), function(r) draw_stats(Ws, r))
  N <- stats$standard[["N"]]
  band <- normal_band(N)
  pre <- if (tried_exact) "not numpy's legacy stream; " else ""
  fitting <- accepted[vapply(accepted, function(r) fits_normal(stats[[r]][["ms"]], stats[[r]][["mean"]], N), logical(1))]
  if (length(fitting)) {
    r <- fitting[which.min(vapply(fitting, function(r) abs(log(stats[[r]][["ms"]])), double(1)))]
    note <- sprintf("%sjudged by scale: the mean square of W / factor over %d draws is %.3g for rule %s (a standard normal sample: %.3g .. %.3g)",
                    pre, as.integer(N), stats[[r]][["ms"]], r, band[["lo"]], band[["hi"]])
    return(list(quantity = quantity(qc, NULL, note = note, denominator = "scale", passed = TRUE), diagnoses = list()))
  }
  problem <- sprintf("%sthe draws fit none of %s: mean square of W / factor %s (a standard normal sample: %.3g .. %.3g)",
                     pre, paste(accepted, collapse = ", "),
                     paste(sprintf("%s %.3g", accepted, vapply(accepted, function(r) stats[[r]][["ms"]], double(1))), collapse = ", "),
                     band[["lo"]], band[["hi"]])
  q <- quantity(qc, NULL, problem, denominator = "scale")
  diagnoses <- list()
  if (fits_normal(stats$standard[["ms"]], stats$standard[["mean"]], N)) {
    diagnoses[[1]] <- diagnosis("init_standard", "W", list(accepted = rule_text(accepted)))
  } else {
    for (r in names(stats)) {
      if (!(r %in% accepted) && fits_normal(stats[[r]][["ms"]], stats[[r]][["mean"]], N)) {
        diagnoses[[length(diagnoses) + 1L]] <- diagnosis("init_rule", "W", list(accepted = rule_text(accepted), alt = r))
      }
    }
  }
  for (r in accepted) {
    s <- stats[[r]]
    if (fits_uniform(s[["ms"]], s[["mean"]], s[["min"]], s[["N"]])) {
      diagnoses[[length(diagnoses) + 1L]] <- diagnosis("init_uniform", "W", list())
      break
    }
  }
  list(quantity = q, diagnoses = diagnoses)
}

# ------------------------------------------------------------------ the cases of each function

linear_scales <- function(absdZ, A_prev, W, m) {
  c(dW = max(tcrossprod(absdZ, abs(A_prev))) / m, db = max(rowSums(absdZ)) / m, dA = max(crossprod(abs(W), absdZ)))
}

term_scales <- function(v) {
  out <- list()
  dZ <- abs(v$A[[v$L + 1L]]) + abs(v$Y)
  for (l in v$L:1) {
    W <- v$P[[paste0("W", l)]]
    s <- linear_scales(dZ, v$A[[l]], W, v$m)
    out[[paste0("dW", l)]] <- s[["dW"]]
    out[[paste0("db", l)]] <- s[["db"]]
    out[[paste0("dA", l - 1L)]] <- s[["dA"]]
    if (l > 1L) dZ <- crossprod(abs(W), dZ) * DERIVATIVE_BOUND[[v$acts[l - 1L]]]
  }
  out
}

course_cache <- function(v, l, W = NULL) {
  list(list(v$A[[l]], if (is.null(W)) v$P[[paste0("W", l)]] else W, v$P[[paste0("b", l)]]), v$Z[[l]])
}

twinnet_cache <- function(v, l, W = NULL) {
  list(A_prev = v$A[[l]], W = if (is.null(W)) v$P[[paste0("W", l)]] else W, b = v$P[[paste0("b", l)]], Z = v$Z[[l]])
}

relu_at_zero <- function(act) {
  slope <- formals(leaky_relu_backward)$slope
  if (act == "relu") return(function(dA, Z) ifelse(Z >= 0, dA, 0))
  if (act == "leaky_relu") return(function(dA, Z) ifelse(Z >= 0, dA, slope * dA))
  NULL
}

b_activation_forward <- function(v, name) {
  act <- sub("_forward$", "", name)
  calls <- list()
  for (l in seq_len(v$L)) {
    if (v$acts[l] != act) next
    calls[[length(calls) + 1L]] <- local({
      Z <- v$Z[[l]]
      A <- v$A[[l + 1L]]
      alts <- lapply(setdiff(names(ACTIVATIONS), act), function(o) {
        alt("activation_swapped", function() ACTIVATIONS[[o]]$forward(Z), list(alt = o, act = act))
      })
      checks <- if (name == act) {
        list(spec(paste0("A", l), list(1L), A, alts = alts),
             spec(paste0("cache Z", l), list(2L), Z, alts = list(alt("cache_A_for_Z", function() A))))
      } else {
        list(spec(paste0("A", l), list(), A, alts = alts))
      }
      call_spec(list(Z), checks)
    })
  }
  calls
}

b_activation_backward <- function(v, name) {
  act <- sub("_backward$", "", name)
  calls <- list()
  for (l in seq_len(v$L - 1L)) {
    if (v$acts[l] != act) next
    calls[[length(calls) + 1L]] <- local({
      dA <- v$dA[[l + 1L]]
      Z <- v$Z[[l]]
      dZ <- v$dZ[[l]]
      alts <- lapply(setdiff(names(ACTIVATIONS), act), function(o) {
        alt("activation_swapped", function() ACTIVATIONS[[o]]$backward(dA, Z), list(alt = o, act = act))
      })
      alts[[length(alts) + 1L]] <- alt("sign_flipped", function() -dZ)
      kink <- relu_at_zero(act)
      if (!is.null(kink)) {
        alts[[length(alts) + 1L]] <- alt("relu_prime_at_zero", function() kink(dA, Z), list(at0 = if (act == "relu") "0" else "the slope"))
      }
      call_spec(list(dA, Z), list(spec(paste0("dZ", l), list(), dZ, alts = alts)))
    })
  }
  calls
}

init_course_calls <- function(name, dims) {
  args <- if (name == "initialize_parameters") as.list(as.integer(dims)) else list(as.integer(dims))
  list(call_spec(args, list(spec("parameters", list(), NULL, "init", dims = as.integer(dims), accepted = ACCEPTED_RULES[[name]])),
                 pre_seed = 1L))
}

b_init_course <- function(v, name) {
  if (name == "initialize_parameters" && v$L != 2L) return(list())
  init_course_calls(name, v$dims)
}

b_init_twinnet <- function(v, name) {
  if (v$stream != "portable") return(list())  # the call draws from the default stream; the fixture's came from another
  checks <- lapply(names(v$P), function(key) {
    alts <- if (startsWith(key, "W")) {
      lapply(setdiff(names(INIT_SCHEMES), v$scheme), function(s) {
        alt("scheme_ignored", function() initialize_parameters(v$dims, v$seed, s)[[key]], list(alt = s, scheme = v$scheme))
      })
    } else list()
    spec(key, list(key), v$P[[key]], "identical", alts = alts)
  })
  list(call_spec(list(v$dims, v$seed, v$scheme), checks))
}

b_linear_forward <- function(v, name, conv) {
  lapply(seq_len(v$L), function(l) {
    A_prev <- v$A[[l]]
    W <- v$P[[paste0("W", l)]]
    b <- v$P[[paste0("b", l)]]
    Z <- v$Z[[l]]
    if (conv == "course") {
      checks <- list(spec(paste0("Z", l), list(1L), Z), spec(paste0("cache A_prev", l), list(2L, 1L), A_prev),
                     spec(paste0("cache W", l), list(2L, 2L), W), spec(paste0("cache b", l), list(2L, 3L), b))
      path <- list(1L)
    } else {
      checks <- list(spec(paste0("Z", l), list(), Z))
      path <- list()
    }
    probes <- if (nrow(W) != ncol(W)) list(probe(list(A_prev, t(W), b), "W_transposed", path, Z, paste0("Z", l))) else list()
    call_spec(list(A_prev, W, b), checks, probes)
  })
}

b_linear_activation_forward <- function(v, name, conv) {
  calls <- list()
  for (l in seq_len(v$L)) {
    act <- v$acts[l]
    if (conv == "course" && !(act %in% c("relu", "sigmoid"))) next
    calls[[length(calls) + 1L]] <- local({
      A_prev <- v$A[[l]]
      W <- v$P[[paste0("W", l)]]
      b <- v$P[[paste0("b", l)]]
      Z <- v$Z[[l]]
      A <- v$A[[l + 1L]]
      others <- setdiff(names(ACTIVATIONS), act)
      if (conv == "course") others <- intersect(others, c("relu", "sigmoid"))
      alts <- lapply(others, function(o) alt("activation_swapped", function() ACTIVATIONS[[o]]$forward(Z), list(alt = o, act = act)))
      z_alts <- list(alt("cache_A_for_Z", function() A))
      where <- if (conv == "course") {
        list(Z = list(2L, 2L), A_prev = list(2L, 1L, 1L), W = list(2L, 1L, 2L), b = list(2L, 1L, 3L))
      } else {
        lapply(c(Z = "Z", A_prev = "A_prev", W = "W", b = "b"), function(k) list(2L, k))
      }
      checks <- list(spec(paste0("A", l), list(1L), A, alts = alts), spec(paste0("cache Z", l), where$Z, Z, alts = z_alts),
                     spec(paste0("cache A_prev", l), where$A_prev, A_prev), spec(paste0("cache W", l), where$W, W),
                     spec(paste0("cache b", l), where$b, b))
      probes <- if (nrow(W) != ncol(W)) list(probe(list(A_prev, t(W), b, act), "W_transposed", list(1L), A, paste0("A", l))) else list()
      call_spec(list(A_prev, W, b, act), checks, probes)
    })
  }
  calls
}

forward_variant <- function(v, acts) {
  A <- v$X
  for (l in seq_len(v$L)) A <- linear_activation_forward(A, v$P[[paste0("W", l)]], v$P[[paste0("b", l)]], acts[l])$A
  A
}

b_L_model_forward <- function(v, name, conv) {
  if (conv == "course" && v$act != "relu") return(list())
  L <- v$L
  act <- v$act
  alts <- if (L > 1L) {
    lapply(setdiff(names(ACTIVATIONS), act), function(o) {
      alt("hidden_activation_wrong", function() forward_variant(v, c(rep(o, L - 1L), "sigmoid")), list(alt = o, act = act))
    })
  } else list()
  alts[[length(alts) + 1L]] <- alt("output_activation_wrong", function() forward_variant(v, c(v$acts[-L], "relu")))
  checks <- list(spec("AL", list(1L), v$A[[L + 1L]], alts = alts))
  for (l in seq_len(L)) {
    paths <- if (conv == "course") list(z = list(2L, l, 2L), a = list(2L, l, 1L, 1L)) else list(z = list(2L, l, "Z"), a = list(2L, l, "A_prev"))
    checks[[length(checks) + 1L]] <- local({
      A_l <- v$A[[l + 1L]]
      spec(paste0("cache Z", l), paths$z, v$Z[[l]], alts = list(alt("cache_A_for_Z", function() A_l)))
    })
    checks[[length(checks) + 1L]] <- spec(paste0("cache A_prev", l), paths$a, v$A[[l]])
  }
  args <- if (conv == "course") list(v$X, v$P) else list(v$X, v$P, act)
  list(call_spec(args, checks))
}

b_compute_cost <- function(v, name, conv) {
  if (conv == "course" && v$saturated) return(list())  # the course's formula takes log(1 - AL) of AL = 1
  AL <- v$A[[v$L + 1L]]
  Y <- v$Y
  J <- v$cost
  m <- v$m
  alts <- list(alt("cost_sign", function() -J), alt("missing_1_over_m", function() m * J, list(m = m)),
               alt("cost_missing_term", function() -sum(ifelse(Y == 1, log(AL), 0)) / m),
               alt("cost_not_scalar", function() matrix(J, 1L, 1L)))
  args <- if (conv == "course") list(AL, Y) else list(AL, Y, v$Z[[v$L]])
  list(call_spec(args, list(spec("cost", list(), J, "scalar", alts = alts))))
}

gradient_alts <- function(key, expected, v, l, variants) {
  force(expected)
  m <- v$m
  n_prev <- v$dims[l]
  alts <- list(alt("sign_flipped", function() -expected))
  if (!startsWith(key, "dA")) {
    alts[[length(alts) + 1L]] <- alt("missing_1_over_m", function() m * expected, list(m = m))
    if (n_prev != m) alts[[length(alts) + 1L]] <- alt("m_wrong_axis", function() expected * m / n_prev)
  }
  if (startsWith(key, "db")) alts[[length(alts) + 1L]] <- alt("sum_wrong_axis", function() matrix(colSums(v$dZ[[l]]), nrow = 1L) / m)
  for (variant in variants) {
    alts[[length(alts) + 1L]] <- local({
      thunk <- variant$thunk
      alt(variant$id, function() thunk()[[key]], variant$params)
    })
  }
  alts
}

step_variants <- function(v, l, dA, act) {
  force(dA)
  cache <- twinnet_cache(v, l)
  step <- function(dZ) {
    s <- linear_backward(dZ, cache, TRUE)
    stats::setNames(list(s$dA_prev, s$dW, s$db), c(paste0("dA", l - 1L), paste0("dW", l), paste0("db", l)))
  }
  out <- list()
  kink <- relu_at_zero(act)
  if (!is.null(kink)) {
    out[[1]] <- alt("relu_prime_at_zero", function() step(kink(dA, v$Z[[l]])), list(at0 = if (act == "relu") "0" else "the slope"))
  }
  for (o in setdiff(names(ACTIVATIONS), act)) {
    out[[length(out) + 1L]] <- local({
      oo <- o
      alt("activation_swapped", function() step(ACTIVATIONS[[oo]]$backward(dA, v$Z[[l]])), list(alt = oo, act = act))
    })
  }
  out
}

b_linear_backward <- function(v, name, conv, with_activation = FALSE) {
  calls <- list()
  L <- v$L
  m <- v$m
  for (l in seq_len(L)) {
    act <- v$acts[l]
    dA <- NULL
    if (with_activation) {
      if (conv == "course" && !(act %in% c("relu", "sigmoid"))) next
      if (l == L && (conv == "twinnet" || v$saturated)) next  # dA_L exists only in the course's formula, which AL = 1 breaks
      AL <- v$A[[L + 1L]]
      Y <- v$Y
      dA <- if (l < L) v$dA[[l + 1L]] else -(Y / AL - (1 - Y) / (1 - AL))
    }
    calls[[length(calls) + 1L]] <- local({
      dZ <- v$dZ[[l]]
      W <- v$P[[paste0("W", l)]]
      s <- linear_scales(abs(dZ), v$A[[l]], W, m)
      cache <- if (conv == "course") course_cache(v, l) else twinnet_cache(v, l)
      if (conv == "course" && !with_activation) cache <- cache[[1]]  # the linear cache list(A_prev, W, b)
      variants <- if (with_activation) step_variants(v, l, dA, act) else list()
      if (with_activation && conv == "course") {
        variants <- Filter(function(x) x$id != "activation_swapped" || x$params$alt %in% c("relu", "sigmoid"), variants)
      }
      keys <- c(paste0("dA", l - 1L), paste0("dW", l), paste0("db", l))
      expected <- stats::setNames(list(v$dA[[l]], v$grads[[keys[2]]], v$grads[[keys[3]]]), keys)
      scales <- c(s[["dA"]], s[["dW"]], s[["db"]])
      checks <- list()
      for (i in 1:3) {
        if (i == 1L && conv == "twinnet" && l == 1L && !with_activation) {
          checks[[length(checks) + 1L]] <- spec("dA0", list(1L), NULL, "none")
          next
        }
        checks[[length(checks) + 1L]] <- spec(keys[i], list(i), expected[[i]], scale = scales[i],
                                              alts = gradient_alts(keys[i], expected[[i]], v, l, variants))
      }
      first <- list(if (with_activation) dA else dZ)
      tail <- if (with_activation) list(act) else if (conv == "course") list() else list(l > 1L)
      probes <- list()
      if (nrow(W) != ncol(W) && (conv == "course" || with_activation || l > 1L)) {
        t_cache <- if (conv == "course") course_cache(v, l, t(W)) else twinnet_cache(v, l, t(W))
        if (conv == "course" && !with_activation) t_cache <- t_cache[[1]]
        probes[[1]] <- probe(c(first, list(t_cache), tail), "W_transposed", list(1L), v$dA[[l]], paste0("dA", l - 1L))
      }
      call_spec(c(first, list(cache), tail), checks, probes)
    })
  }
  calls
}

backward_variant <- function(v, dZL, gprime) {
  grads <- list()
  dZ <- dZL
  for (l in v$L:1) {
    if (l < v$L) dZ <- gprime(grads[[paste0("dA", l)]], v$Z[[l]])
    s <- linear_backward(dZ, twinnet_cache(v, l), TRUE)
    grads[[paste0("dA", l - 1L)]] <- s$dA_prev
    grads[[paste0("dW", l)]] <- s$dW
    grads[[paste0("db", l)]] <- s$db
  }
  grads
}

b_L_model_backward <- function(v, name, conv) {
  if (conv == "course" && (v$act != "relu" || v$saturated)) return(list())
  L <- v$L
  act <- v$act
  AL <- v$A[[L + 1L]]
  Y <- v$Y
  scales <- term_scales(v)
  plain <- ACTIVATIONS[[act]]$backward
  variants <- list(alt("sigmoid_prime_twice", function() backward_variant(v, (AL - Y) * AL * (1 - AL), plain)))
  kink <- relu_at_zero(act)
  if (!is.null(kink)) {
    variants[[length(variants) + 1L]] <- alt("relu_prime_at_zero", function() backward_variant(v, AL - Y, kink),
                                             list(at0 = if (act == "relu") "0" else "the slope"))
  }
  for (o in setdiff(names(ACTIVATIONS), act)) {
    if ((conv == "twinnet" || o == "sigmoid") && L > 1L) {
      variants[[length(variants) + 1L]] <- local({
        oo <- o
        alt("activation_swapped", function() backward_variant(v, AL - Y, ACTIVATIONS[[oo]]$backward), list(alt = oo, act = act))
      })
    }
  }
  checks <- list()
  for (l in L:1) {
    for (key in c(paste0("dW", l), paste0("db", l), paste0("dA", l - 1L))) {
      if (key == "dA0" && conv == "twinnet") next
      expected <- if (startsWith(key, "dA")) v$dA[[l]] else v$grads[[key]]
      checks[[length(checks) + 1L]] <- spec(key, list(key), expected, scale = scales[[key]],
                                            alts = gradient_alts(key, expected, v, l, variants))
    }
  }
  args <- if (conv == "course") {
    list(AL, Y, lapply(seq_len(L), function(l) course_cache(v, l)))
  } else {
    list(AL, Y, lapply(seq_len(L), function(l) twinnet_cache(v, l)), act)
  }
  list(call_spec(args, checks))
}

b_update <- function(v, name, conv) {
  lr <- v$lr
  checks <- lapply(names(v$updated), function(key) {
    P0 <- v$P[[key]]
    d <- v$grads[[paste0("d", key)]]
    alts <- list(alt("learning_rate_twice", function() P0 - lr * lr * d), alt("update_twice", function() P0 - 2 * lr * d),
                 alt("not_updated", function() P0), alt("update_sign", function() P0 + lr * d))
    spec(key, list(key), v$updated[[key]], alts = alts)
  })
  list(call_spec(list(v$P, v$grads, lr), checks))
}

b_predict <- function(v, name, conv) {
  if (conv == "course" && v$act != "relu") return(list())
  AL <- v$A[[v$L + 1L]]
  p <- v$predictions
  alts <- list(alt("probabilities_not_classes", function() AL), alt("classes_flipped", function() 1 - p),
               alt("threshold_ge", function() (AL >= 0.5) * 1))
  args <- if (conv == "course") list(v$X, v$Y, v$P) else list(v$X, v$P, v$act)
  list(call_spec(args, list(spec("predictions", list(), p, "labels", alts = alts))))
}

b_model <- function(v, name, conv) {
  if (conv == "course") {
    if (v$act != "relu" || v$saturated || (name == "two_layer_model" && v$L != 2L)) return(list())
    init <- if (name == "two_layer_model") "initialize_parameters" else "initialize_parameters_deep"
    checks <- list(spec("costs", list(2L), v$costs, "series", record = "compute_cost", every = 100L))
    return(list(call_spec(list(v$X, v$Y, v$dims, v$lr, v$T), checks, patches = stats::setNames(list(v$P), init),
                          record = "compute_cost")))
  }
  if (v$stream != "portable") return(list())  # the call draws from the default stream; the fixture's came from another
  checks <- list(spec("costs", list(2L, "cost"), v$costs, "series"),
                 spec("iterations", list(2L, "iteration"), v$iterations, "identical"))
  list(call_spec(list(v$X, v$Y, v$dims, v$lr, v$T, v$seed, v$act, v$scheme, 1L), checks))
}

builder_for <- function(conv, name) {
  if (name %in% c("sigmoid_backward", "relu_backward", "tanh_backward", "leaky_relu_backward")) return(b_activation_backward)
  if (name %in% c("sigmoid", "relu") || endsWith(name, "_forward") && sub("_forward$", "", name) %in% names(ACTIVATIONS)) {
    return(b_activation_forward)
  }
  if (startsWith(name, "initialize_parameters")) return(if (conv == "course") b_init_course else b_init_twinnet)
  f <- switch(name, linear_forward = b_linear_forward, linear_activation_forward = b_linear_activation_forward,
              L_model_forward = b_L_model_forward, compute_cost = b_compute_cost, linear_backward = b_linear_backward,
              linear_activation_backward = function(v, n, c) b_linear_backward(v, n, c, with_activation = TRUE),
              L_model_backward = b_L_model_backward, update_parameters = b_update, predict = b_predict,
              predict_class = b_predict, two_layer_model = b_model, L_layer_model = b_model)
  function(v, n) f(v, n, conv)
}

# ------------------------------------------------------------------ the report as text, JSON and JUnit

report_text <- function(report) {
  base <- report$index_base
  fams <- report$fixtures$families
  evidence <- unlist(report$convention_evidence)
  lines <- c(sprintf("twinnet verify: %s", report$path),
             sprintf("  %s port, %s convention (%s%s)", if (report$language == "python") "Python" else "R",
                     report$convention, report$convention_source,
                     if (length(evidence)) paste0(": ", paste(evidence, collapse = ", ")) else ""),
             sprintf("  fixtures: %s (%s); time limit %s s per call; checked by %s", report$fixtures$folder,
                     paste(sprintf("%s: %d file(s)", names(fams), as.integer(unlist(fams))), collapse = ", "),
                     format(report$timeout), report$checker), "")
  for (r in report$functions) {
    label <- if (r$port_name == r$name) r$name else sprintf("%s (as %s)", r$name, r$port_name)
    status <- c(pass = "PASS", fail = "FAIL", missing = "MISSING", `not applicable` = "N/A")[[r$status]]
    if (r$status %in% c("missing", "not applicable")) {
      lines <- c(lines, sprintf("  %-8s %s%s", status, label, if (r$status == "not applicable") "  (no applicable fixture)" else ""))
      next
    }
    n_pass <- sum(vapply(r$cases, function(c) c$status == "pass", logical(1)))
    errs <- paste(sprintf("%s %s", names(r$quantities), vapply(r$quantities, num_text, character(1))), collapse = "  ")
    lines <- c(lines, sprintf("  %-8s %-28s %d/%d cases%s", status, label, n_pass, length(r$cases),
                              if (length(r$quantities)) paste0("   ", errs) else ""))
    if (r$status == "fail") lines <- c(lines, failure_lines(r, base))
  }
  s <- report$summary
  lines <- c(lines, "", sprintf("  %d passed, %d failed, %d missing, %d not applicable -> exit code %d", as.integer(s$pass),
                                as.integer(s$fail), as.integer(s$missing), as.integer(s$`not applicable`), as.integer(report$exit_code)))
  paste(lines, collapse = "\n")
}

num_text <- function(x) if (is.null(x)) "-" else sprintf("%.2g", x)

# An element's index as the checker's language writes it: (0, 2) in Python, [1, 3] in R.
index_text <- function(index, base) {
  idx <- paste(as.integer(unlist(index)), collapse = ", ")
  if (base == 0) sprintf("(%s)", idx) else sprintf("[%s]", idx)
}

failure_lines <- function(r, base, most = 4L) {
  out <- character(0)
  seen <- character(0)
  failing <- Filter(function(cs) cs$status != "pass", r$cases)
  for (cs in failing) {
    items <- if (cs$status != "fail") {
      list(list(key = paste(cs$status, cs$message), text = sprintf("%s: %s", cs$status, cs$message)))
    } else {
      lapply(Filter(function(q) !q$pass, cs$quantities), function(q) {
        list(key = if (is.null(q$message)) q$base else q$message, text = paste0(q$name, ": ", quantity_text(q, base)))
      })
    }
    for (it in items) {
      if (!(it$key %in% seen) && length(seen) < most) {
        seen <- c(seen, it$key)
        out <- c(out, sprintf("           %s  %s", cs$fixture, it$text))
      }
    }
  }
  out <- c(out, sprintf("           %d of %d cases fail", length(failing), length(r$cases)))
  for (d in r$diagnoses) out <- c(out, sprintf("           diagnosis [%s]: %s", d$id, d$text))
  out
}

quantity_text <- function(q, base) {
  if (!is.null(q$message)) return(q$message)
  text <- sprintf("error %s > %s", num_text(q$error), format(q$tolerance))
  w <- q$worst
  if (!is.null(w)) {
    text <- sprintf("%s; worst %s: expected %s, got %s", text, index_text(w$index, base), format_value(w$expected), format_value(w$got))
  }
  text
}

# The shortest text that reads back as the same double (Python's repr), or the text of a non-number.
format_value <- function(x) {
  if (!is.numeric(x) || !is.finite(x)) return(as.character(x))
  for (d in 15:17) {
    s <- trimws(formatC(x, digits = d, format = "g"))
    if (as.numeric(s) == x) return(s)
  }
  s
}

# The report as JSON text (non-finite numbers as null).
report_json <- function(report) {
  paste0(jsonlite::toJSON(unclass(report), auto_unbox = TRUE, null = "null", na = "null", digits = NA, pretty = TRUE), "\n")
}

# x as XML character data: &, < and > escaped.
xml_text <- function(x) {
  x <- gsub("&", "&amp;", x, fixed = TRUE)
  x <- gsub("<", "&lt;", x, fixed = TRUE)
  gsub(">", "&gt;", x, fixed = TRUE)
}

# x as a quoted XML attribute value.
xml_attr <- function(x) paste0("\"", gsub("\"", "&quot;", xml_text(x), fixed = TRUE), "\"")

report_junit <- function(report) {
  cases <- character(0)
  for (r in report$functions) {
    cls <- paste0("twinnet.verify.", r$name)
    if (r$status %in% c("missing", "not applicable")) {
      cases <- c(cases, sprintf("  <testcase classname=%s name=\"%s\"><skipped message=%s/></testcase>", xml_attr(cls), r$status, xml_attr(r$status)))
      next
    }
    for (cs in r$cases) {
      body <- ""
      if (cs$status %in% c("error", "timeout", "crash", "skipped")) {
        body <- sprintf("<error message=%s/>", xml_attr(paste0(cs$status, ": ", if (is.null(cs$message)) "None" else cs$message)))
      } else if (cs$status == "fail") {
        bad <- Filter(function(q) !q$pass, cs$quantities)
        detail <- paste(vapply(bad, function(q) paste0(q$name, ": ", if (is.null(q$message)) paste("error", num_text(q$error)) else q$message), character(1)), collapse = "\n")
        detail <- paste0(detail, paste(vapply(cs$diagnoses, function(d) sprintf("\ndiagnosis [%s]: %s", d$id, d$text), character(1)), collapse = ""))
        body <- sprintf("<failure message=%s>%s</failure>", xml_attr(paste(vapply(bad, function(q) q$name, character(1)), collapse = ", ")),
                        xml_text(detail))
      }
      cases <- c(cases, sprintf("  <testcase classname=%s name=%s>%s</testcase>", xml_attr(cls), xml_attr(cs$fixture), body))
    }
  }
  lines <- c("<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
             sprintf("<testsuite name=%s tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\">", xml_attr(paste("twinnet verify", report$path)),
                     length(cases), sum(grepl("<failure", cases, fixed = TRUE)), sum(grepl("<error", cases, fixed = TRUE)),
                     sum(grepl("<skipped", cases, fixed = TRUE))),
             cases, "</testsuite>")
  paste0(lines, "\n", collapse = "")
}

# ------------------------------------------------------------------ a Python port: the Python checker

verify_python <- function(path, name_map, convention, folder, timeout, only) {
  python <- Sys.getenv("TWINNET_PYTHON")
  if (!nzchar(python)) python <- Sys.which("python3")
  if (!nzchar(python)) input_error("path", "Python with twinnet installed to check a Python port (set TWINNET_PYTHON)", sprintf("'%s'", path))
  out <- tempfile(fileext = ".json")
  err <- tempfile(fileext = ".txt")
  on.exit(unlink(c(out, err)), add = TRUE)
  args <- c("-m", "twinnet.verify", shQuote(path), "--quiet", "--json", shQuote(out), "--convention", convention,
            "--fixtures", shQuote(folder), "--timeout", format(timeout, digits = 17))
  for (k in names(name_map)) args <- c(args, "--name", shQuote(paste0(k, "=", name_map[[k]])))
  if (!is.null(only)) args <- c(args, "--only", paste(only, collapse = ","))
  status <- suppressWarnings(system2(python, args, stdout = FALSE, stderr = err))
  if (!file.exists(out) || file.size(out) == 0) {
    msg <- if (file.exists(err)) paste(readLines(err, warn = FALSE), collapse = " ") else ""
    m <- regmatches(msg, regexec("`([^`]+)`: expected (.*); got (.*)$", msg))[[1]]
    if (length(m) == 4L) input_error(m[2], m[3], m[4])
    input_error("path", "a Python port the Python checker can run (python -m twinnet.verify)",
                sprintf("'%s': %s exited with %s: %s", path, python, format(status), trimws(msg)))
  }
  verify_report(jsonlite::fromJSON(out, simplifyVector = FALSE))
}

# ------------------------------------------------------------------ the port in a child R session

load_error <- function(msg) {
  stop(structure(class = c("twinnet_load_error", "error", "condition"), list(message = msg, call = NULL)))
}

# What the child runs: the port's environment and its functions' argument names.
load_port <- function(target, kind) {
  env <- if (kind == "r-package") {
    asNamespace(target)
  } else {
    e <- new.env(parent = globalenv())
    sys.source(target, envir = e, chdir = TRUE, keep.source = FALSE)
    e
  }
  keep <- Filter(function(n) is.function(get(n, envir = env)), ls(env))
  list(env = env, functions = lapply(structure(keep, names = keep), function(n) names(formals(get(n, envir = env)))))
}

# What the child runs: the calls of one function of an R port (its environment env), each under the
# time limit; a timeout ends the run (the rest are skipped).
run_calls <- function(env, name, calls, timeout) {
  outcomes <- list()
  for (call in calls) {
    outcomes[[length(outcomes) + 1L]] <- if (length(outcomes) && outcomes[[length(outcomes)]]$status %in% c("timeout", "skipped")) {
      list(status = "skipped", message = "not run: an earlier call timed out")
    } else {
      run_call(env, name, call, timeout)
    }
  }
  outcomes
}

# One call under setTimeLimit(), its output and warnings muffled. Patches replace a function of the
# port by one returning a value, records wrap one to keep what it returns (an R port sets no numpy
# seeds: pre_seed is the Python checker's).
run_call <- function(env, name, call, timeout) {
  saved <- list()
  records <- new.env()
  if (!environmentIsLocked(env)) {
    for (k in names(call$patches)) if (exists(k, envir = env, inherits = FALSE)) {
      saved[[k]] <- get(k, envir = env)
      assign(k, local({ v <- call$patches[[k]]; function(...) v }), envir = env)
    }
    for (k in call$record) if (exists(k, envir = env, inherits = FALSE)) {
      saved[[k]] <- get(k, envir = env)
      records[[k]] <- list()
      assign(k, recorder(saved[[k]], records, k), envir = env)
    }
  }
  out <- tryCatch({
    setTimeLimit(elapsed = timeout, transient = TRUE)
    utils::capture.output(value <- withCallingHandlers(do.call(get(name, envir = env), call$args),
                                                       warning = function(w) invokeRestart("muffleWarning")))
    setTimeLimit(elapsed = Inf)
    list(status = "ok", value = value, records = as.list(records))
  }, error = function(e) {
    setTimeLimit(elapsed = Inf)
    msg <- gsub("\\s+", " ", conditionMessage(e))
    if (grepl("time limit", msg)) list(status = "timeout", message = sprintf("no answer within %s s (%s)", format(timeout), msg))
    else list(status = "error", message = exc_text(e))
  })
  for (k in names(saved)) assign(k, saved[[k]], envir = env)
  out
}

# fn, keeping what each call returns in records[[key]] (records: an environment).
recorder <- function(fn, records, key) {
  force(fn)
  force(key)
  function(...) {
    value <- fn(...)
    records[[key]][[length(records[[key]]) + 1L]] <- value
    value
  }
}

# The text of an error the port's code raised, as the report gives it.
exc_text <- function(exc) paste("R error:", gsub("\\s+", " ", conditionMessage(exc)))

# The same outcome for every call of a batch that could not run.
same_outcome <- function(calls, status, message) rep(list(list(status = status, message = message)), length(calls))

# A function of this file to send to the child R session, which does not load the package: callr
# serialises a function with its environment, so the child's functions go in an environment of
# their own (parent: base) instead of the package namespace.
child_function <- function(name) {
  env <- new.env(parent = baseenv())
  for (n in c("load_port", "run_calls", "run_call", "recorder", "exc_text")) {
    f <- get(n)
    environment(f) <- env
    assign(n, f, envir = env)
  }
  env[[name]]
}

# The user's code in a child R session (callr; without it, in this session): functions (each one's
# argument names), run(name, calls, timeout) (one outcome per call) and close().
open_port <- function(target, kind, workdir) {
  use_callr <- isTRUE(getOption("twinnet.verify.callr", TRUE)) && requireNamespace("callr", quietly = TRUE)
  state <- new.env()
  in_workdir <- function(expr) {
    old <- setwd(workdir)
    on.exit(setwd(old))
    expr
  }
  stop_child <- function() {
    state$rs$kill()
    state$rs <- NULL
  }
  start <- function() {
    if (!use_callr) {
      loaded <- in_workdir(tryCatch(load_port(target, kind), error = function(e) load_error(conditionMessage(e))))
      state$env <- loaded$env
      return(loaded$functions)
    }
    state$rs <- callr::r_session$new(wait = TRUE)
    state$rs$call(function(load_port, target, kind, workdir) {
      setwd(workdir)
      p <- load_port(target, kind)
      assign(".twinnet_port", p$env, envir = globalenv())
      p$functions
    }, list(child_function("load_port"), target, kind, workdir))
    ready <- state$rs$poll_process(120000)
    if (ready != "ready") {
      stop_child()
      load_error("the child R session hung while loading it")
    }
    r <- state$rs$read()
    if (!is.null(r$error)) {
      msg <- if (!is.null(r$error$parent)) conditionMessage(r$error$parent) else conditionMessage(r$error)
      stop_child()
      load_error(gsub("\\s+", " ", msg))
    }
    r$result
  }
  functions <- start()
  run <- function(name, calls, timeout) {
    if (!use_callr) return(in_workdir(run_calls(state$env, name, calls, timeout)))
    if (is.null(state$rs) || !state$rs$is_alive()) {
      restarted <- tryCatch({ start(); TRUE }, twinnet_load_error = function(e) FALSE)
      if (!restarted) return(same_outcome(calls, "crash", "the port could not be restarted"))
    }
    state$rs$call(function(run_calls, name, calls, timeout) {
      run_calls(get(".twinnet_port", envir = globalenv()), name, calls, timeout)
    }, list(child_function("run_calls"), name, calls, timeout))
    ready <- state$rs$poll_process(as.integer(1000 * (length(calls) * timeout + 5)))
    if (ready != "ready") {
      stop_child()
      return(same_outcome(calls, "timeout", sprintf("no answer within %s s per call; the child R session was stopped", format(timeout))))
    }
    r <- tryCatch(state$rs$read(), error = function(e) list(error = e))
    if (!is.null(r$error) || !state$rs$is_alive()) {
      msg <- if (!is.null(r$error)) gsub("\\s+", " ", conditionMessage(r$error)) else "the session ended"
      stop_child()
      return(same_outcome(calls, "crash", paste("the port's R session died:", msg)))
    }
    r$result
  }
  close <- function() if (!is.null(state$rs)) {
    state$rs$close()
    state$rs <- NULL
  }
  list(functions = functions, run = run, close = close)
}

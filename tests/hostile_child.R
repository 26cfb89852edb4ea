# Runs a batch of hostile-input cases in a child process (tests/test_hostile.py), R side: the
# twin of tests/hostile_child.py. Reads [{"id", "code"}, ...] (JSON) from stdin, evaluates each
# `code` (an expression, with the package attached and the prelude's fixtures) and writes one
# JSON line per case: `start` before it, then the outcome -- the condition's classes and message
# (and a twinnet_diverged condition's fields), or a JSON-able summary of the value -- with the
# warnings it signalled and the temporary files left in `watch`. The parent sets the memory cap
# (RLIMIT_AS) and the timeouts.

local({
  lib <- Sys.getenv("TWINNET_R_LIB")
  if (nzchar(lib)) .libPaths(c(lib, .libPaths()))
})
suppressPackageStartupMessages(library(twinnet))

D <- Sys.getenv("HOSTILE_DIR")
TEMP <- "^\\.twinnet-[0-9]+-[0-9a-f]+-.*\\.tmp$"
circles <- make_circles(40, seed = 1)
X2 <- circles$X
Y2 <- circles$Y
P3 <- initialize_parameters(c(2, 3, 1), seed = 1)

P192 <- initialize_parameters(c(192, 3, 1), seed = 1)

p <- function(...) file.path(D, ...)

# The command line, in this process: list(exit code, its last line on stderr).
cli <- function(...) {
  args <- as.character(c(...))
  msgs <- character(0)
  utils::capture.output(code <- withCallingHandlers(cli_main(args), message = function(m) {
    msgs <<- c(msgs, conditionMessage(m))
    invokeRestart("muffleMessage")
  }))
  lines <- trimws(unlist(strsplit(msgs, "\n", fixed = TRUE)))
  lines <- lines[nzchar(lines)]
  list(code, if (length(lines)) lines[length(lines)] else "")
}

# The names in `folder`, or NULL when there is no such folder.
listing <- function(folder) {
  if (!dir.exists(folder)) return(NULL)
  as.list(sort(list.files(folder, all.files = TRUE, no.. = TRUE), method = "radix"))
}

# The contract's definition (section 29), written out independently: half of MemTotal, capped
# by the cgroup's memory.max.
machine_memory_half <- function() {
  line <- grep("^MemTotal:", readLines("/proc/meminfo"), value = TRUE)
  total <- as.double(strsplit(trimws(sub("MemTotal:", "", line)), " +")[[1]][1]) * 1024
  cap <- if (file.exists("/sys/fs/cgroup/memory.max")) readLines("/sys/fs/cgroup/memory.max", warn = FALSE) else "max"
  if (grepl("^[0-9]+$", cap[1])) total <- min(total, as.double(cap[1]))
  floor(total / 2)
}

with_limit <- function(value, fn) {
  old <- Sys.getenv("TWINNET_MEMORY_LIMIT", NA)
  Sys.setenv(TWINNET_MEMORY_LIMIT = value)
  on.exit(if (is.na(old)) Sys.unsetenv("TWINNET_MEMORY_LIMIT") else Sys.setenv(TWINNET_MEMORY_LIMIT = old))
  fn()
}

ones_parameters <- function(dims) {
  out <- list()
  for (l in seq_len(length(dims) - 1L)) {
    out[[paste0("W", l)]] <- matrix(1, dims[l + 1L], dims[l])
    out[[paste0("b", l)]] <- matrix(0, dims[l + 1L], 1)
  }
  out
}

# X of 1e308 overflows Z1 to Inf, and W2 = (1, -1) makes Inf - Inf = NaN.
overflow_parameters <- function() {
  list(W1 = matrix(1, 2, 2), b1 = matrix(0, 2, 1), W2 = matrix(c(1, -1), 1), b2 = matrix(0, 1, 1))
}

# A file that fits is written (then removed again: the other language's batch needs the room).
small_file_fits <- function(path) {
  twinnet:::atomic_write_text(path, "ok")
  ok <- identical(readChar(path, 10L), "ok")
  unlink(path)
  ok
}

overflow_net <- function() {
  net <- fitted(2)
  net$parameters <- overflow_parameters()
  net
}

diverged_fields <- function(fn) {
  e <- tryCatch({
    fn()
    NULL
  }, twinnet_diverged = function(e) e)
  if (is.null(e)) return("did not diverge")
  list(e$iteration, as.list(sort(names(e$parameters), method = "radix")), nrow(e$costs))
}

cache_of <- function(params) L_model_forward(X2, params)$caches[[1]]

no_layer_2 <- function() replaced(P3, W2 = NULL, b2 = NULL, W3 = matrix(1, 1, 3), b3 = matrix(0, 1, 1))

fitted_labels <- function(y) as.list(neural_net(matrix(1, 2, 1), y, num_iterations = 2)$classes)

convert_summary <- function(src, dest) {
  r <- convert_image_folder(src, dest, size = 8, verbose = FALSE)
  list(r$files, r$kept, sum(unlist(r$dropped)))
}

convert_classes <- function(src, dest) {
  r <- convert_image_folder(src, dest, size = 8, verbose = FALSE)
  list(as.list(r$classes), as.list(load_image_set(dest)$classes))
}

convert_dropped <- function(src, dest) {
  r <- convert_image_folder(src, dest, size = 8, verbose = FALSE)
  list(as.list(r$dropped_files$unreadable), r$kept)
}

# A temporary file of a process that is gone is swept by the next save; one of a live process is not.
sweep_case <- function(folder) {
  stale <- file.path(folder, ".twinnet-999999999-deadbeef-old.h5.tmp")
  live <- file.path(folder, sprintf(".twinnet-%d-cafe-live.h5.tmp", Sys.getpid()))
  for (path in c(stale, live)) writeLines("half a model", path)
  save_model(fitted(), file.path(folder, "swept_r.h5"))
  out <- list(!file.exists(stale), file.exists(live))
  unlink(live)
  out
}
fitted <- function(hidden = 4, num_iterations = 5, ...) {
  neural_net(t(X2), as.vector(Y2), hidden_layers = hidden, num_iterations = num_iterations, ...)
}
replaced <- function(params, ...) {
  kw <- list(...)
  for (k in names(kw)) params[k] <- list(kw[[k]])
  params[!vapply(params, is.null, logical(1))]
}
nan_at <- function(a, value = NaN) {
  a[1] <- value
  a
}
keys <- function(d) sort(names(d), method = "radix")
shapes <- function(d) lapply(d[keys(d)], function(v) as.list(dim(v)))

summary_of <- function(v) {
  if (is.null(v)) return(NULL)
  if (is.data.frame(v)) return("data.frame")
  if (is.factor(v)) v <- as.character(v)
  if (is.list(v)) return(lapply(v, summary_of))
  if (is.atomic(v)) {
    if (length(v) > 50) return(list(shape = as.list(dim(v) %||% length(v))))
    if (is.matrix(v)) return(lapply(seq_len(nrow(v)), function(i) as.list(v[i, ])))
    return(if (length(v) == 1L) v else as.list(v))
  }
  class(v)[1]
}
`%||%` <- function(a, b) if (is.null(a)) b else a

temp_files <- function(folder) {
  entries <- list.files(folder, all.files = TRUE, no.. = TRUE)
  sort(entries[grepl(TEMP, entries)], method = "radix")
}

emit <- function(x) {
  cat(jsonlite::toJSON(x, auto_unbox = TRUE, null = "null", digits = NA, force = TRUE), "\n", sep = "")
  flush(stdout())
}

cases <- jsonlite::fromJSON(file("stdin"), simplifyVector = FALSE)
for (case in cases) {
  emit(list(id = case$id, start = TRUE))
  out <- list(id = case$id)
  caught <- character(0)
  res <- withCallingHandlers(
    tryCatch({
      setTimeLimit(elapsed = if (is.null(case$timeout)) 30 else case$timeout, transient = TRUE)
      v <- eval(parse(text = case$code), envir = globalenv())
      setTimeLimit(elapsed = Inf)
      list(status = "ok", value = summary_of(v))
    }, error = function(e) {
      setTimeLimit(elapsed = Inf)
      r <- list(status = "error", message = conditionMessage(e), classes = as.list(class(e)))
      if (inherits(e, "twinnet_diverged")) {
        r$fields <- list(iteration = e$iteration, parameters = as.list(sort(names(e$parameters), method = "radix")),
                         recorded = nrow(e$costs))
      }
      r
    }),
    warning = function(w) {
      caught <<- c(caught, conditionMessage(w))
      invokeRestart("muffleWarning")
    },
    message = function(m) invokeRestart("muffleMessage"))
  out <- c(out, res)
  out$warnings <- as.list(caught)
  if (!is.null(case$watch)) {
    out$leftovers <- as.list(temp_files(if (startsWith(case$watch, "/")) case$watch else file.path(D, case$watch)))
  }
  emit(out)
}
emit(list(done = TRUE))

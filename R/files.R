# File-system and HDF5 faults, answered in one line (docs/contract.md section 30; twin of
# python/twinnet/files.py).
#
# Every file twinnet reads is checked here before any library touches it: it must exist, be
# a regular file (a named pipe, a device or a socket would hang a reader or feed it endless
# bytes), be readable, and -- for HDF5 -- carry the HDF5 signature and be as long as its
# superblock says. Every fault is an error of classes twinnet_file_error and
# twinnet_input_error naming the user's argument, the path and the reason in the words of
# REASONS (the same words in Python).
#
# hdf5r turns every HDF5 error into an R error by a longjmp out of the HDF5 library (its
# automatic error handler calls error()). At the end of a top-level HDF5 call that is
# harmless, but from inside one of HDF5's iterations (H5Literate / H5Lvisit, which
# `H5Group$ls()` runs to open every link) it skips HDF5's own clean-up: a dangling soft link
# makes ls() fail there, HDF5's state is left inconsistent, and closing the file fails or R
# segfaults at exit. The same happens when a write fails while the file is closed (a full
# disk): the half-closed file stays in HDF5's list and HDF5's exit handler crashes on it.
# So the R side never lists a file with ls() (names() walks the links by index), asks
# path_valid() before opening a link, closes what it opened itself in reverse order (never
# close_all(), which also closes objects that R6 finalizers close again later), and writes
# HDF5 only into space reserved beforehand (R/atomic.R).

REASONS <- c(
  ENOENT = "not found",
  ENOTDIR = "not found (a part of the path is not a folder)",
  EACCES = "permission denied",
  EPERM = "permission denied",
  EROFS = "read-only file system",
  ENOSPC = "no space left",
  EDQUOT = "no space left (disk quota exceeded)",
  EFBIG = "no space left (file too large)",
  EISDIR = "a folder, not a file",
  ELOOP = "broken link (a loop of symbolic links)",
  ENAMETOOLONG = "file name too long",
  EIO = "input/output error",
  EMFILE = "too many open files",
  ENFILE = "too many open files",
  ETXTBSY = "file busy",
  EBUSY = "file busy",
  EXDEV = "on another file system"
)

NOT_REGULAR <- c(folder = "a folder, not a file", fifo = "not a regular file (a named pipe)",
                 char_device = "not a regular file (a device)", block_device = "not a regular file (a device)",
                 socket = "not a regular file (a socket)", other = "not a regular file")

HDF5_SIGNATURE <- as.raw(c(0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a))

# The words of the errno `name` ("ENOSPC" -> "no space left"); unknown ones by `detail` or the name.
reason <- function(name, detail = NULL) {
  if (!is.null(name) && name %in% names(REASONS)) return(REASONS[[name]])
  text <- if (!is.null(detail) && nzchar(detail)) detail else if (!is.null(name) && nzchar(name)) name else "an unknown error"
  tolower(sub("[.[:space:]]+$", "", trimws(text)))
}

# The error of a fault: "`arg`: expected ...; got '<path>' (<words>)"; its field `words` holds the words.
fault <- function(arg, expected, path, words) {
  msg <- sprintf("`%s`: expected %s; got '%s' (%s)", arg, expected, path, words)
  stop(structure(class = c("twinnet_file_error", "twinnet_input_error", "error", "condition"),
                 list(message = msg, call = NULL, words = words)))
}

# The error of a failed system call: `res` is c(errno name, strerror) from src/twinnet.c.
os_fault <- function(arg, expected, path, res) fault(arg, expected, path, reason(res[1], res[2]))

# c(kind, errno name, strerror): kind is "file", "folder", "fifo", "char_device", "block_device",
# "socket", "other", "broken_link" or "missing".
path_kind <- function(path) .Call(tw_path_kind, path)

# `path` when it exists and is of the kind `want` ("file" or "folder"); else the fault.
existing <- function(path, arg, expected, want) {
  path <- path_text(path, arg, expected)
  k <- path_kind(path)
  if (k[1] == "broken_link") fault(arg, expected, path, "broken link")
  if (k[1] == "missing") os_fault(arg, expected, path, k[2:3])
  if (k[1] != want) fault(arg, expected, path, if (want == "file") NOT_REGULAR[[k[1]]] else "not a folder")
  path
}

# An existing, regular, readable file; returns `path`, or signals a twinnet_file_error.
check_path <- function(path, arg, expected) {
  path <- existing(path, arg, expected, "file")
  res <- .Call(tw_probe_read, path)
  if (nzchar(res[1])) os_fault(arg, expected, path, res)
  path
}

# An existing folder; returns it, or signals a twinnet_file_error.
check_folder <- function(folder, arg, expected) existing(folder, arg, expected, "folder")

# What a file to write must be (the same words in Python).
OUTPUT_EXPECTED <- "a file path in an existing folder"

# A path to write: its folder exists, and it is not itself a folder or another non-regular file.
check_output_path <- function(path, arg = "path", expected = OUTPUT_EXPECTED) {
  path <- path_text(path, arg, expected)
  folder <- dirname(normalizePath(path, mustWork = FALSE))
  k <- path_kind(folder)
  if (k[1] != "folder") {
    fault(arg, expected, path, if (k[1] %in% c("missing", "broken_link")) sprintf("no folder %s", folder)
                               else sprintf("%s is not a folder", folder))
  }
  k <- path_kind(path)
  if (!(k[1] %in% c("file", "missing", "broken_link"))) fault(arg, expected, path, NOT_REGULAR[[k[1]]])
  path
}

# Little-endian unsigned integer of the raw bytes `b` (as a double: exact below 2^53).
le_uint <- function(b) sum(as.double(as.integer(b)) * 256^(seq_along(b) - 1L))

# NULL for a file that looks like a whole HDF5 file; otherwise the words of what is wrong (the
# signature at 0, 512, 1024, ...; the superblock's end-of-file address within the file).
h5_probe <- function(path) {
  size <- file.size(path)
  con <- file(path, "rb")
  on.exit(close(con), add = TRUE)
  offset <- 0
  while (offset + 8 <= size) {
    seek(con, offset)
    if (identical(readBin(con, "raw", 8L), HDF5_SIGNATURE)) {
      return(superblock_words(readBin(con, "raw", 120L), offset, size))
    }
    offset <- if (offset == 0) 512 else 2 * offset
  }
  "not an HDF5 file"
}

superblock_words <- function(head, offset, size) {
  if (length(head) < 4L) return(truncated_words(size, NULL))
  version <- as.integer(head[1])
  if (version %in% 0:1) {
    o <- as.integer(head[6])
    base_at <- if (version == 0L) 16L else 20L
  } else if (version %in% 2:3) {
    o <- as.integer(head[2])
    base_at <- 4L
  } else {
    return(sprintf("not an HDF5 file (superblock version %d)", version))
  }
  at <- base_at + 2L * o
  if (!(o %in% c(2L, 4L, 8L, 16L))) return("not an HDF5 file")
  if (length(head) < at + o) return(truncated_words(size, NULL))
  base <- le_uint(head[base_at + seq_len(o)])
  eof_bytes <- head[at + seq_len(o)]
  if (all(eof_bytes == as.raw(255))) return(NULL)  # undefined address
  need <- (if (base != 0) base else offset) + le_uint(eof_bytes)
  if (need > size) truncated_words(size, need) else NULL
}

truncated_words <- function(size, need) {
  if (is.null(need)) "a truncated HDF5 file" else sprintf("a truncated HDF5 file: %.0f of its %.0f bytes", size, need)
}

# An existing, readable, whole HDF5 file; returns `path`, or signals a twinnet_file_error.
check_h5_file <- function(path, arg, expected) {
  path <- check_path(path, arg, expected)
  words <- h5_probe(path)
  if (!is.null(words)) fault(arg, expected, path, words)
  path
}

# hdf5r::H5File$new(path, "r") after check_h5_file(); an HDF5 error is answered in one line.
open_h5 <- function(path, arg, expected) {
  path <- check_h5_file(path, arg, expected)
  f <- tryCatch(hdf5r::H5File$new(path, mode = "r"), error = function(e) e)
  if (inherits(f, "error")) fault(arg, expected, path, sprintf("truncated or not an HDF5 file: %s", h5_error_text(f)))
  f
}

# The words of an hdf5r error: the C library's error message, or the first minor message.
h5_error_text <- function(e) {
  msg <- conditionMessage(e)
  hit <- regmatches(msg, regexpr("error message = '[^']*'", msg))
  if (length(hit)) return(tolower(sub("^error message = '([^']*)'$", "\\1", hit)))
  hit <- regmatches(msg, regexpr("minor: [^\n]*", msg))
  if (length(hit)) return(tolower(sub("^minor: ", "", hit)))
  gsub("[[:space:]]+", " ", trimws(msg))
}

# How `key` ("a" or "a/b") resolves in an open hdf5r group: "dataset", "group", "other",
# "broken link" or "missing" -- through path_valid() (H5LTpath_valid, which checks every
# component and whether the last one resolves), never by opening a link that might dangle.
h5_link_state <- function(group, key) {
  if (!is.character(key) || length(key) != 1L || is.na(key) || !nzchar(key)) return("missing")
  exists <- tryCatch(group$path_valid(key, check_object_valid = FALSE), error = function(e) FALSE)
  if (!isTRUE(exists)) return("missing")
  resolves <- tryCatch(group$path_valid(key, check_object_valid = TRUE), error = function(e) FALSE)
  if (!isTRUE(resolves)) return("broken link")
  info <- tryCatch(group$obj_info_by_name(key), error = function(e) NULL)
  if (is.null(info)) return("broken link")
  type <- as.character(info$type)
  if (type == "H5O_TYPE_DATASET") "dataset" else if (type == "H5O_TYPE_GROUP") "group" else "other"
}

# The names of the datasets directly in `group`, in code-point order (broken links left out).
h5_datasets <- function(group) {
  names <- enc2utf8(names(group))
  names <- names[vapply(names, function(n) h5_link_state(group, n) == "dataset", logical(1))]
  sort(names, method = "radix")
}

# NULL for a complete PNG file (it ends with the IEND chunk), else the words of what is wrong:
# R's png() device reports a failed write only as a warning, and may leave an empty file.
png_words <- function(path) {
  size <- file.size(path)
  if (is.na(size) || size < 20) return("an incomplete PNG file (the write failed)")
  con <- file(path, "rb")
  on.exit(close(con), add = TRUE)
  seek(con, size - 12)
  tail <- readBin(con, "raw", 12L)
  if (!identical(tail[5:8], charToRaw("IEND"))) return("an incomplete PNG file (the write failed)")
  NULL
}

# Opened HDF5 objects, closed in reverse order of opening (children before their file), also
# on error: `scope <- h5_scope(); on.exit(h5_close(scope))`, then `h5_keep(scope, obj)`.
h5_scope <- function() {
  scope <- new.env(parent = emptyenv())
  scope$objects <- list()
  scope
}

h5_keep <- function(scope, obj) {
  scope$objects[[length(scope$objects) + 1L]] <- obj
  obj
}

h5_close <- function(scope) {
  for (obj in rev(scope$objects)) {
    try(if (isTRUE(obj$is_valid)) obj$close(), silent = TRUE)
  }
  scope$objects <- list()
  invisible(NULL)
}

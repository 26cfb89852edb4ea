# Atomic file writes (docs/contract.md section 30; twin of python/twinnet/atomic.py): nothing is
# left half-written. Every file twinnet writes is first written to a temporary file in the
# destination's own folder (the same file system, so the final rename is atomic) and renamed
# over the destination only once it is complete; on error or interrupt the temporary file is
# removed and an existing destination is left as it was.
#
# * One pattern: ".twinnet-<pid>-<hex>-<name>.tmp" (TEMP_PATTERN), in both languages.
# * Signals: while one exists, SIGTERM and SIGINT first remove them (a handler in
#   src/twinnet.c), then do what they would have done (end the process, or R's interrupt).
# * Stale ones, left by a process killed outright (kill -9) whose pid no longer runs, are
#   removed at the next write into the same folder.
# * Folders too: `twinnet train` writes its whole output set into a temporary folder of the same
#   pattern and swaps it in (swap_folder: one atomic exchange of the two folders on Linux), so
#   that out/ always holds one complete run.
# * Faults in words: the space a file needs is reserved when its temporary file is created
#   (posix_fallocate), so a full disk, a read-only file system or a folder without write
#   permission is answered in one line (R/files.R) before anything is written; HDF5 files
#   are then written into that reserved space (write_h5), where HDF5 cannot meet a full disk.

TEMP_PATTERN <- "^\\.twinnet-([0-9]+)-([0-9a-f]+)-(.*)\\.tmp$"
H5_OVERHEAD <- 16 * 1024
H5_PER_DATASET <- 2 * 1024

# A new temporary file name for `dest` (not created): ".twinnet-<pid>-<hex>-<name><role>.tmp".
temp_name <- function(dest, role = "") {
  name <- substr(paste0(basename(dest), role), 1L, 120L)
  hex <- paste(sprintf("%02x", as.integer(.Call(tw_random_bytes, 4L))), collapse = "")
  sprintf(".twinnet-%d-%s-%s.tmp", Sys.getpid(), hex, name)
}

pid_alive <- function(pid) .Call(tw_pid_alive, as.integer(pid))

# Remove a temporary file or folder (and what it holds); nothing if it is gone.
remove_temp <- function(path) {
  kind <- path_kind(path)[1]
  if (kind == "folder") unlink(path, recursive = TRUE) else if (kind != "missing") unlink(path)
  invisible(NULL)
}

# Remove the temporary files and folders in `folder` whose process no longer runs; returns how many.
sweep_stale <- function(folder) {
  entries <- tryCatch(list.files(folder, all.files = TRUE, no.. = TRUE), error = function(e) character(0))
  hits <- entries[grepl(TEMP_PATTERN, entries)]
  removed <- 0L
  for (entry in hits) {
    pid <- as.double(sub(TEMP_PATTERN, "\\1", entry))
    if (pid <= .Machine$integer.max && !pid_alive(pid)) {
      remove_temp(file.path(folder, entry))
      if (!file.exists(file.path(folder, entry))) removed <- removed + 1L
    }
  }
  removed
}

# Watch a temporary file: SIGTERM and SIGINT remove it first (the handler in src/twinnet.c).
register <- function(path) invisible(.Call(tw_temp_register, path))

# Stop watching it.
unregister <- function(path) invisible(.Call(tw_temp_unregister, path))

# Reserve `nbytes` for the existing file `path` (its content is kept): c(errno name, strerror).
reserve <- function(path, nbytes) .Call(tw_reserve, path, as.double(nbytes), FALSE)

# A new temporary name beside `dest` (stale ones swept first), made by make(path) (which returns
# c(errno name, strerror)) and watched; returns the path.
new_temp <- function(dest, arg, expected, role, make) {
  folder <- dirname(normalizePath(dest, mustWork = FALSE))
  sweep_stale(folder)
  for (attempt in 1:100) {
    path <- file.path(folder, temp_name(dest, role))
    register(path)  # watched before it is made: a signal in between would leave it behind
    res <- make(path)
    if (res[1] != "EEXIST") break
    unregister(path)
  }
  if (nzchar(res[1])) {
    unregister(path)
    os_fault(arg, expected, dest, res)
  }
  path
}

# A new empty temporary file beside `dest`, with `nbytes` reserved; returns its path. Stale
# temporary files of the folder are swept first. A fault (no folder, permission denied,
# read-only file system, no space left) is a twinnet_file_error naming `arg`. The file is
# registered for removal on SIGTERM / SIGINT until discard_temp() or commit_temp().
create_temp <- function(dest, arg, expected, role = "", nbytes = 0) {
  path <- new_temp(dest, arg, expected, role, function(p) .Call(tw_reserve, p, 0, TRUE))
  res <- reserve(path, nbytes)
  if (nzchar(res[1])) {
    discard_temp(path)
    os_fault(arg, expected, dest, res)
  }
  path
}

# Remove a temporary file or folder (if it is still there) and stop watching it.
discard_temp <- function(path) {
  remove_temp(path)
  unregister(path)
  invisible(NULL)
}

# Rename the temporary file over `dest` (atomic); a fault is answered naming `arg`.
commit_temp <- function(path, dest, arg, expected) {
  res <- .Call(tw_rename, path, dest)
  if (nzchar(res[1])) {
    discard_temp(path)
    os_fault(arg, expected, dest, res)
  }
  unregister(path)
  invisible(dest)
}

# Call write(tmp_path), then rename tmp_path to `dest`; returns `dest` invisibly. `nbytes` is
# reserved for the file first (its expected size), so that a full disk is reported before
# anything is written; `verify(tmp_path)`, when given, returns NULL for a complete file or the
# words of what is wrong (R's own writers, such as the png() device, do not always report a
# failed write). On error or interrupt the temporary file is removed and `dest` is left as it was.
atomic_write <- function(dest, write, arg = "path", expected = "a file path in an existing folder", nbytes = 0,
                         role = "", verify = NULL) {
  tmp <- create_temp(dest, arg, expected, role, nbytes)
  done <- FALSE
  on.exit(if (!done) discard_temp(tmp), add = TRUE)
  write(tmp)
  if (!is.null(verify)) {
    words <- verify(tmp)
    if (!is.null(words)) {
      res <- reserve(tmp, 64 * 1024)  # why: a full disk or a read-only file system says so here
      fault(arg, expected, dest, if (nzchar(res[1])) reason(res[1], res[2]) else words)
    }
  }
  commit_temp(tmp, dest, arg, expected)
  done <- TRUE
  invisible(dest)
}

# Write the string `text` to `dest` atomically (UTF-8, newlines as given); returns `dest` invisibly.
atomic_write_text <- function(dest, text, arg = "path", expected = "a file path in an existing folder") {
  bytes <- charToRaw(enc2utf8(paste(text, collapse = "")))
  atomic_write(dest, function(tmp) {
    res <- .Call(tw_write_bytes, tmp, bytes)
    if (nzchar(res[1])) os_fault(arg, expected, dest, res)
  }, arg, expected, nbytes = length(bytes))
}

# What an HDF5 file of `data_bytes` of data in `n_datasets` datasets is given room for.
h5_size <- function(data_bytes, n_datasets) as.double(data_bytes) + H5_OVERHEAD + H5_PER_DATASET * n_datasets

# Write an HDF5 file into `tmp` (a temporary file from create_temp()) by fill(h5file, scope):
# HDF5 never meets a full disk. The file is created (its superblock goes into the space
# create_temp() reserved and the truncation freed), closed, given `nbytes` of room by
# reserve() -- a fault there is a plain one, with no HDF5 file open -- and reopened to be
# filled; `fill` keeps what it opens in `scope` (h5_keep), and everything is closed in reverse
# order, also on error. HDF5 gives back what it did not use when it closes the file.
write_h5 <- function(tmp, nbytes, fill, arg, expected, dest) {
  hdf5r::H5File$new(tmp, mode = "w")$close()
  res <- reserve(tmp, nbytes)
  if (nzchar(res[1])) os_fault(arg, expected, dest, res)
  scope <- h5_scope()
  f <- h5_keep(scope, hdf5r::H5File$new(tmp, mode = "r+"))
  closed <- FALSE
  on.exit(if (!closed) h5_close(scope), add = TRUE)
  fill(f, scope)
  h5_close(scope)
  closed <- TRUE
  invisible(tmp)
}

# A new empty temporary folder beside the folder `dest` (the same pattern), watched as
# create_temp()'s files are; a fault is a twinnet_file_error naming `arg`.
create_temp_folder <- function(dest, arg, expected) {
  new_temp(dest, arg, expected, "", function(p) .Call(tw_mkdir, p))
}

# Swap the two paths in one step (Linux renameat2 with RENAME_EXCHANGE); FALSE where it cannot.
exchange <- function(a, b) !nzchar(.Call(tw_exchange, a, b)[1])

# Put the complete temporary folder `tmp` in the place of the folder `dest`: where `dest` exists,
# the two are exchanged in one step (there is never a moment without a complete `dest`) and the
# old one, now at `tmp`, is removed; where the file system cannot exchange, the old one is first
# renamed to a temporary name of the pattern (swept if the process dies between the two renames).
swap_folder <- function(tmp, dest, arg, expected) {
  fail <- function(res) {
    discard_temp(tmp)
    os_fault(arg, expected, dest, res)
  }
  if (path_kind(dest)[1] == "missing") {
    res <- .Call(tw_rename, tmp, dest)
    if (nzchar(res[1])) fail(res)
  } else if (exchange(tmp, dest)) {
    remove_temp(tmp)
  } else {
    old <- file.path(dirname(normalizePath(dest, mustWork = FALSE)), temp_name(dest, ".old"))
    res <- .Call(tw_rename, dest, old)
    if (nzchar(res[1])) fail(res)
    res <- .Call(tw_rename, tmp, dest)
    if (nzchar(res[1])) fail(res)
    remove_temp(old)
  }
  unregister(tmp)
  invisible(dest)
}

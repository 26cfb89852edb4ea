# Atomic file writes (twin of python/twinnet/atomic.py): nothing is ever left
# half-written. Every file twinnet writes is first written to a temporary file
# in the destination's own folder (the same file system, so the final rename
# is atomic) and renamed over the destination only once it is complete; on
# error or interrupt the temporary file is removed and an existing
# destination is left as it was.

# A path ".<name>.<random><fileext>" next to `dest`.
temp_path_beside <- function(dest, fileext = ".tmp") {
  tempfile(pattern = paste0(".", basename(dest), "."), tmpdir = dirname(normalizePath(dest, mustWork = FALSE)),
           fileext = fileext)
}

# Call write(tmp_path), then rename tmp_path to `dest`; returns `dest` invisibly.
atomic_write <- function(dest, write, fileext = ".tmp") {
  tmp <- temp_path_beside(dest, fileext)
  done <- FALSE
  on.exit(if (!done && file.exists(tmp)) unlink(tmp), add = TRUE)
  write(tmp)
  if (!file.rename(tmp, dest)) stop(sprintf("could not rename %s to %s", tmp, dest), call. = FALSE)
  done <- TRUE
  invisible(dest)
}

# Write the string `text` to `dest` atomically (UTF-8, newlines as given); returns `dest` invisibly.
atomic_write_text <- function(dest, text) {
  atomic_write(dest, function(tmp) {
    con <- file(tmp, "wb")
    on.exit(close(con))
    writeBin(charToRaw(enc2utf8(text)), con)
  })
}

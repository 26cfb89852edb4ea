# Image files: the decoding rules, the shared area-average resize, folder
# conversion, own-image prediction (docs/contract.md sections 16 to 18; twin
# of python/twinnet/images.py).
#
# The jpeg and png packages decode; every decision that is not decoding --
# which files are accepted, converted or dropped, how grey, palette, alpha and
# 16-bit pixels become 8-bit RGB, the resize, the shuffle and split -- is
# integer arithmetic written out in the contract and implemented identically
# in Python, so that the same decoded pixels give bit-identical output.
# Positions in a file's bytes are 0-based below, as in the Python twin.

DROP_REASONS <- c("unreadable", "empty", "not_an_image", "unsupported_format", "truncated", "too_large", "too_small",
                  "cmyk", "unsupported_mode")
CONVERSIONS <- c("grayscale", "palette", "alpha", "sixteen_bit")
CONVERT_DEST <- "a file path in an existing folder"
LOAD_EXPECTED <- "a readable JPEG or PNG image (RGB, grayscale or palette; see docs/contract.md section 16)"
PNG_SIGNATURE <- c(137L, 80L, 78L, 71L, 13L, 10L, 26L, 10L)
OTHER_FORMATS <- list(utf8ToInt("GIF87a"), utf8ToInt("GIF89a"), utf8ToInt("BM"), c(73L, 73L, 42L, 0L),
                      c(77L, 77L, 0L, 42L))
PNG_IHDR <- utf8ToInt("IHDR")
PNG_TRNS <- utf8ToInt("tRNS")
PNG_IEND <- utf8ToInt("IEND")
JPEG_SOF <- setdiff(192:207, c(196L, 200L, 204L))

rejected <- function(reason, detail) {
  stop(structure(class = c("twinnet_rejected", "error", "condition"),
                 list(message = paste0(reason, ": ", detail), call = NULL, reason = reason, detail = detail)))
}

starts_with <- function(b, sig) length(b) >= length(sig) && all(b[seq_along(sig)] == sig)

be16 <- function(b, pos) b[pos + 1L] * 256L + b[pos + 2L]
be32 <- function(b, pos) ((as.double(b[pos + 1L]) * 256 + b[pos + 2L]) * 256 + b[pos + 3L]) * 256 + b[pos + 4L]

# 0-based positions p of the bytes 0xFF followed by a marker byte (not 0x00, 0xD0-0xD7 or 0xFF).
jpeg_marker_positions <- function(b) {
  n <- length(b)
  if (n < 2L) return(integer(0))
  nxt <- b[-1L]
  which(b[-n] == 255L & nxt != 0L & (nxt < 208L | nxt > 215L) & nxt != 255L) - 1L
}

# The first candidate position >= pos, or NA.
next_marker <- function(cand, pos) {
  k <- findInterval(pos - 1, cand) + 1L
  if (k > length(cand)) NA_integer_ else cand[k]
}

sniff_jpeg <- function(b) {
  n <- length(b)
  cand <- jpeg_marker_positions(b)
  pos <- 2L
  sof <- NULL
  scans <- 0L
  repeat {
    if (pos >= n) rejected("truncated", "the file ends before the end-of-image marker")
    if (b[pos + 1L] != 255L) {  # stray bytes between segments: skip to the next marker, as libjpeg does
      pos <- next_marker(cand, pos)
      if (is.na(pos)) rejected("truncated", "the file ends before the end-of-image marker")
    }
    while (pos < n && b[pos + 1L] == 255L) pos <- pos + 1L
    if (pos >= n) rejected("truncated", "the file ends before the end-of-image marker")
    marker <- b[pos + 1L]
    pos <- pos + 1L
    if (marker == 217L) break
    if (marker == 1L || (marker >= 208L && marker <= 215L)) next
    if (pos + 2L > n) rejected("truncated", "the file ends inside a segment header")
    len <- be16(b, pos)
    if (len < 2L || pos + len > n) rejected("truncated", "the file ends inside a segment")
    if (marker %in% JPEG_SOF && is.null(sof)) {
      if (len < 8L) rejected("truncated", "damaged frame header")
      sof <- list(precision = b[pos + 3L], height = be16(b, pos + 3L), width = be16(b, pos + 5L),
                  components = b[pos + 8L])
    }
    pos <- pos + len
    if (marker == 218L) {
      scans <- scans + 1L
      pos <- next_marker(cand, pos)
      if (is.na(pos)) rejected("truncated", "the file ends inside the image data")
    }
  }
  if (is.null(sof) || scans == 0L) {
    rejected("truncated", "no frame header or no image data before the end-of-image marker")
  }
  if (sof$width == 0L || sof$height == 0L) rejected("truncated", "a frame header with a zero dimension")
  list(format = "JPEG", width = sof$width, height = sof$height, components = sof$components,
       precision = sof$precision)
}

sniff_png <- function(b) {
  n <- length(b)
  pos <- 8
  ihdr <- NULL
  trns <- FALSE
  repeat {
    if (pos + 8 > n) rejected("truncated", "the file ends before the IEND chunk")
    len <- be32(b, pos)
    ctype <- b[pos + 5:8]
    if (pos + 12 + len > n) rejected("truncated", "the file ends inside a chunk")
    if (is.null(ihdr)) {
      if (!all(ctype == PNG_IHDR) || len < 13) rejected("truncated", "damaged header: no IHDR chunk first")
      ihdr <- list(width = be32(b, pos + 8), height = be32(b, pos + 12), depth = b[pos + 17],
                   color_type = b[pos + 18])
    } else if (all(ctype == PNG_TRNS)) {
      trns <- TRUE
    } else if (all(ctype == PNG_IEND)) {
      break
    }
    pos <- pos + 12 + len
  }
  if (ihdr$width == 0 || ihdr$height == 0) rejected("truncated", "a header with a zero dimension")
  list(format = "PNG", width = ihdr$width, height = ihdr$height, depth = ihdr$depth,
       color_type = ihdr$color_type, trns = trns)
}

# Rules 1 to 6 of contract section 16, from the file's bytes alone.
sniff_image <- function(b, min_side, max_pixels, size) {
  if (length(b) == 0L) rejected("empty", "zero bytes")
  if (starts_with(b, c(255L, 216L, 255L))) {
    info <- sniff_jpeg(b)
  } else if (starts_with(b, PNG_SIGNATURE)) {
    info <- sniff_png(b)
  } else if (any(vapply(OTHER_FORMATS, function(sig) starts_with(b, sig), logical(1))) ||
             (starts_with(b, utf8ToInt("RIFF")) && length(b) >= 12L && all(b[9:12] == utf8ToInt("WEBP")))) {
    rejected("unsupported_format", "an image format other than JPEG or PNG")
  } else {
    rejected("not_an_image", "neither JPEG nor PNG data")
  }
  w <- info$width
  h <- info$height
  if (as.double(w) * h > max_pixels) {
    rejected("too_large", sprintf("%.0f x %.0f pixels, more than max_pixels = %.0f", w, h, max_pixels))
  }
  if (image_need(size, w, h) > memory_limit()) {
    rejected("too_large", sprintf("%.0f x %.0f pixels, more than the memory limit allows (TWINNET_MEMORY_LIMIT)", w, h))
  }
  if (min(w, h) < min_side) {
    rejected("too_small", sprintf("%.0f x %.0f pixels, a side below min_side = %d", w, h, as.integer(min_side)))
  }
  conversions <- character(0)
  if (info$format == "JPEG") {
    if (info$precision != 8L) rejected("unsupported_mode", sprintf("%d-bit JPEG samples", info$precision))
    if (info$components == 4L) rejected("cmyk", "4 colour components (CMYK or YCCK)")
    if (!(info$components %in% c(1L, 3L))) {
      rejected("unsupported_mode", sprintf("%d colour components", info$components))
    }
    if (info$components == 1L) conversions <- "grayscale"
  } else {
    ct <- info$color_type
    depth <- info$depth
    if (!(ct %in% c(0L, 2L, 3L, 4L, 6L))) rejected("truncated", sprintf("damaged header: colour type %d", ct))
    if (depth == 16L && info$trns && ct %in% c(0L, 2L)) {
      rejected("unsupported_mode", "a 16-bit PNG with a transparent colour key")
    }
    if (ct %in% c(0L, 4L)) conversions <- c(conversions, "grayscale")
    if (ct == 3L) conversions <- c(conversions, "palette")
    if (ct %in% c(4L, 6L) || info$trns) conversions <- c(conversions, "alpha")
    if (depth == 16L) conversions <- c(conversions, "sixteen_bit")
  }
  info$conversions <- conversions
  info
}

# Area sums along the rows of the matrix `a` (n x k): out[i, ] = sum_y overlap(i, y) * a[y, ]
# (contract section 16): F(t) = size * (sum of rows y < t %/% size) + (t %% size) * a[t %/% size, ],
# out[i, ] = F(i * n) - F((i - 1) * n). Doubles holding integers below 2^53: exact.
area_sums <- function(a, size) {
  n <- nrow(a)
  t <- (0:size) * n
  q <- t %/% size
  r <- t %% size
  grp <- findInterval(0:(n - 1), q[1:size])  # block of every input row
  s <- rowsum(a, grp, reorder = TRUE)
  blocks <- matrix(0, size, ncol(a))
  blocks[as.integer(rownames(s)), ] <- s
  cum <- matrix(0, size + 1L, ncol(a))
  for (i in seq_len(size)) cum[i + 1L, ] <- cum[i, ] + blocks[i, ]
  Fv <- size * cum + r * a[pmin(q, n - 1) + 1, , drop = FALSE]
  Fv[-1L, , drop = FALSE] - Fv[-(size + 1L), , drop = FALSE]
}

# The area-average resize of an h x w x 3 array of whole numbers 0..255 (contract section 16):
# area sums down the rows, then across the columns, rounded half up; an integer array.
resize_pixels <- function(pixels, size) {
  h <- dim(pixels)[1]
  w <- dim(pixels)[2]
  rows <- array(0, c(size, w, 3L))
  for (k in 1:3) rows[, , k] <- area_sums(matrix(as.double(pixels[, , k]), nrow = h), size)
  cols <- array(area_sums(matrix(aperm(rows, c(2L, 1L, 3L)), nrow = w), size), c(size, size, 3L))
  num <- aperm(cols, c(2L, 1L, 3L))
  hw <- as.double(h) * w
  out <- (2 * num + hw) %/% (2 * hw)
  storage.mode(out) <- "integer"
  out
}

# (c * a + 255 * (255 - a) + 127) %/% 255: over a white background, rounded to nearest
# (integer arithmetic; `alpha` h x w is recycled over the three channels of `rgb`).
composite_white <- function(rgb, alpha) {
  (rgb * alpha + 255L * (255L - alpha) + 127L) %/% 255L
}

# Decode with the jpeg / png package into an h x w x 3 integer array, following the conversion
# rules. The jpeg package always decodes at full size: `size` and `reduce_jpeg` (Pillow's reduced
# decoding in the Python twin) change nothing here.
decode_pixels <- function(raw, info, size, reduce_jpeg) {
  x <- tryCatch(suppressWarnings(if (info$format == "JPEG") jpeg::readJPEG(raw) else png::readPNG(raw)),
                error = function(e) e)
  if (inherits(x, "error")) rejected("truncated", paste("the decoder failed:", conditionMessage(x)))
  d <- dim(x)
  h <- d[1]
  w <- d[2]
  nch <- if (length(d) == 2L) 1L else d[3]
  if (h != info$height || w != info$width) {
    rejected("truncated", sprintf("decoded %d x %d, the header says %.0f x %.0f", w, h, info$width, info$height))
  }
  sixteen <- info$format == "PNG" && info$depth == 16L
  to8 <- if (sixteen) function(v) round(v * 65535) %/% 256 else function(v) round(v * 255)
  plane <- function(k) as.integer(to8(if (nch == 1L) x else x[, , k]))
  pixels <- array(0L, c(h, w, 3L))
  for (k in 1:3) pixels[, , k] <- plane(if (nch <= 2L) 1L else k)
  if (nch %in% c(2L, 4L)) pixels <- composite_white(pixels, plane(nch))
  pixels
}

read_image_file <- function(path, size, reduce_jpeg, min_side, max_pixels) {
  k <- path_kind(path)
  if (k[1] != "file") rejected("unreadable", if (k[1] %in% names(NOT_REGULAR)) NOT_REGULAR[[k[1]]] else reason(k[2], k[3]))
  res <- .Call(tw_probe_read, path)
  if (nzchar(res[1])) rejected("unreadable", reason(res[1], res[2]))
  bytes <- file.size(path)
  if (2 * bytes > memory_limit()) rejected("too_large", sprintf("a file of %.0f bytes, more than the memory limit allows", bytes))
  raw <- tryCatch(readBin(path, "raw", n = max(1, bytes)), error = function(e) e, warning = function(w) w)
  if (inherits(raw, "condition")) rejected("unreadable", tolower(conditionMessage(raw)))
  info <- sniff_image(as.integer(raw), min_side, max_pixels, size)
  pixels <- decode_pixels(raw, info, size, reduce_jpeg)
  list(pixels = resize_pixels(pixels, size), conversions = info$conversions)
}

#' Resize an RGB image by exact area averaging
#'
#' Output pixel (i, j) of the `size x size` result is the average of the
#' input over the rectangle it covers, each input pixel weighted by its
#' overlap (the image is stretched: the aspect ratio is not kept), rounded
#' half up. All arithmetic is on integers, so the Python twin gives the same
#' values (docs/contract.md section 16).
#'
#' @param pixels `numeric array`, no default. `height x width x 3`, whole
#'   numbers 0..255 (`pixels[h, w, c]`).
#' @param size `integer(1)`, no default. The output side, at least 1.
#' @return An integer array `size x size x 3`.
#' @examples
#' img <- array(c(0, 255, 255, 0), dim = c(2, 2, 3))
#' resize_area(img, 1)   # every channel averages to 127.5, rounded to 128
#' @export
resize_area <- function(pixels, size) {
  expected <- "an array of shape (height, width, 3) of whole numbers 0..255"
  if (!is.numeric(pixels) || is.null(dim(pixels))) input_error("pixels", expected, describe(pixels))
  d <- dim(pixels)
  if (length(d) != 3L || d[3] != 3L || d[1] < 1L || d[2] < 1L) input_error("pixels", expected, sprintf("shape %s", shape_str(d)))
  if (anyNA(pixels) || any(pixels < 0 | pixels > 255 | pixels != floor(pixels))) {
    input_error("pixels", expected, "other values")
  }
  size <- check_count(size, "size", minimum = 1)
  check_memory(image_need(size, d[2], d[1]), "size", sprintf("%s x %s pixels", number_text(size), number_text(size)))
  resize_pixels(pixels, size)
}

# The output side: a whole number >= 1 whose images fit in the memory limit (contract section 29).
check_size_of_images <- function(size) {
  size <- check_count(size, "size", minimum = 1)
  check_memory(image_need(size), "size", sprintf("%s x %s pixels", number_text(size), number_text(size)))
  size
}

check_limits <- function(min_side, max_pixels) {
  min_side <- check_count(min_side, "min_side", minimum = 1)
  if (!is_whole(max_pixels) || max_pixels < 1) input_error("max_pixels", "a whole number >= 1", describe(max_pixels))
  list(min_side = min_side, max_pixels = as.double(max_pixels))
}

#' Read one image file as the converter stores it
#'
#' The file goes through the rules of docs/contract.md section 16 (format,
#' structure, dimensions, colour), is decoded by the jpeg or png package,
#' converted to 8-bit RGB and resized with [resize_area()].
#'
#' @param path `character(1)`, no default. A JPEG or PNG file.
#' @param size `integer(1)`, default `64`. Side of the result.
#' @param reduce_jpeg `logical(1)`, default `FALSE`. Accepted for parity with
#'   the Python twin, where it lets Pillow decode JPEGs at a reduced scale;
#'   the jpeg package cannot, so R always decodes at full size.
#' @param min_side `integer(1)`, default `8`. Images with a side below this
#'   are refused ("too_small").
#' @param max_pixels `numeric(1)`, default `25000000`. Images with more
#'   pixels (from the header, before decoding) are refused ("too_large").
#' @return An integer array `size x size x 3` (`[h, w, c]`), values 0..255.
#'   A refused file is an error naming `path` and the reason.
#' @examples
#' f <- tempfile(fileext = ".png")
#' png::writePNG(array(c(0, 1), dim = c(20, 30, 3)), f)
#' dim(load_image(f, size = 8))
#' @export
load_image <- function(path, size = 64, reduce_jpeg = FALSE, min_side = 8, max_pixels = 25000000) {
  path <- check_path(path, "path", "an existing image file")
  size <- check_size_of_images(size)
  reduce_jpeg <- check_flag(reduce_jpeg, "reduce_jpeg")
  lim <- check_limits(min_side, max_pixels)
  out <- tryCatch(read_image_file(path, size, reduce_jpeg, lim$min_side, lim$max_pixels),
                  twinnet_rejected = function(e) e)
  if (inherits(out, "twinnet_rejected")) {
    input_error("path", LOAD_EXPECTED, sprintf("\"%s\": %s (%s)", path, out$reason, out$detail))
  }
  out$pixels
}

#' Classify one image file
#'
#' The course's "test with your own image": the file is read with
#' [load_image()] (the same rules and resize as [convert_image_folder()]),
#' flattened in numpy's C order of (height, width, channel) into a
#' `3 * size^2 x 1` column and scaled as the training data: divided by 255,
#' or `(x - feature_mean) / feature_sd` on the raw pixels when both are given
#' (from [feature_stats()]).
#'
#' @param path `character(1)`, no default. A JPEG or PNG file.
#' @param parameters `list`, no default. Trained parameters whose `W1` has
#'   `3 * size^2` columns.
#' @param hidden_activation `character(1)`, default `"relu"`.
#' @param size `integer(1)`, default `64`. Side of the training images.
#' @param reduce_jpeg `logical(1)`, default `FALSE`. See [load_image()].
#' @param feature_mean `numeric matrix` or `NULL`, default `NULL`. `3 * size^2 x 1`.
#' @param feature_sd `numeric matrix` or `NULL`, default `NULL`. `3 * size^2 x 1`.
#' @return `list(probability, class)`: the probability of class 1 and the
#'   class, 1 if `probability > 0.5`, else 0. The Python twin returns the
#'   same class and a probability within 1e-12 (relative).
#' @examples
#' f <- tempfile(fileext = ".png")
#' png::writePNG(array(runif(8 * 8 * 3), dim = c(8, 8, 3)), f)
#' p <- initialize_parameters(c(8 * 8 * 3, 4, 1), seed = 1)
#' predict_image(f, p, size = 8)
#' @export
predict_image <- function(path, parameters, hidden_activation = "relu", size = 64, reduce_jpeg = FALSE,
                          feature_mean = NULL, feature_sd = NULL) {
  size <- check_size_of_images(size)
  dims <- check_parameters(parameters)
  n_x <- 3 * size * size
  if (dims[1] != n_x) {
    input_error("size", sprintf("the side s of the training images, with 3 * s^2 = %d (the columns of W1)", dims[1]),
                describe(size))
  }
  if (is.null(feature_mean) != is.null(feature_sd)) {
    input_error(if (is.null(feature_sd)) "feature_sd" else "feature_mean",
                "both feature_mean and feature_sd, or neither", "only one of them")
  }
  if (!is.null(feature_mean)) {
    feature_mean <- check_matrix(feature_mean, "feature_mean")
    feature_sd <- check_matrix(feature_sd, "feature_sd")
    for (arg in c("feature_mean", "feature_sd")) {
      v <- if (arg == "feature_mean") feature_mean else feature_sd
      if (!identical(as.integer(dim(v)), as.integer(c(n_x, 1)))) {
        input_error(arg, sprintf("shape (%.0f, 1)", n_x), sprintf("shape %s", shape_str(dim(v))))
      }
    }
    if (any(feature_sd <= 0)) {
      input_error("feature_sd", paste0("positive values (standard deviations; feature_stats() gives 1 for ",
                                       "a constant feature)"), sprintf("%d value(s) <= 0", sum(feature_sd <= 0)))
    }
  }
  pixels <- load_image(path, size = size, reduce_jpeg = reduce_jpeg)
  x <- matrix(as.double(aperm(pixels, c(3L, 2L, 1L))), ncol = 1L)
  x <- if (is.null(feature_mean)) x / 255 else (x - feature_mean) / feature_sd
  p <- predict_proba(x, parameters, hidden_activation)[1, 1]
  list(probability = p, class = as.integer(p > 0.5))
}

# Only regular files are listed (a named pipe, a device or a socket, or a link to one, is not a
# file to read); names are UTF-8 (enc2utf8) and compared by code point.
list_class_files <- function(src, classes) {
  entries <- sort(enc2utf8(list.files(src, all.files = TRUE, no.. = TRUE)), method = "radix")
  subfolders <- entries[vapply(file.path(src, entries), function(p) path_kind(p)[1] == "folder", logical(1))]
  if (is.null(classes)) {
    if (length(subfolders) != 2L) {
      got <- sprintf("%d subfolder(s)%s", length(subfolders),
                     if (length(subfolders)) paste0(": ", paste0("\"", subfolders, "\"", collapse = ", ")) else "")
      input_error("src", "exactly 2 class subfolders (or `classes` naming 2 of them)", got)
    }
    classes <- subfolders
  } else if (!is.character(classes) || length(classes) != 2L || anyNA(classes) || classes[1] == classes[2] ||
             !all(enc2utf8(classes) %in% subfolders)) {
    input_error("classes", "2 distinct names of subfolders of `src`, in label order (0, 1)", describe(classes))
  } else {
    classes <- enc2utf8(classes)
  }
  rel <- character(0)
  label <- integer(0)
  for (i in 1:2) {
    folder <- file.path(src, classes[i])
    names <- sort(enc2utf8(list.files(folder, all.files = TRUE, no.. = TRUE)), method = "radix")
    names <- names[vapply(file.path(folder, names), function(p) path_kind(p)[1] == "file", logical(1))]
    if (!length(names)) {
      input_error("src", "at least one file in every class folder", sprintf("an empty class folder \"%s\"", classes[i]))
    }
    rel <- c(rel, paste0(classes[i], "/", names))
    label <- c(label, rep(i - 1L, length(names)))
  }
  list(classes = classes, rel = rel, label = label)
}

format_report <- function(report) {
  lines <- c(sprintf("convert_image_folder: %d of %d files kept (train %d, test %d), %dx%d, classes %s",
                     report$kept, report$files, report$n_train, report$n_test, report$size, report$size,
                     paste0(0:1, " = ", report$classes, collapse = ", ")),
             sprintf("  written to %s", report$dest))
  for (what in list(list("dropped", DROP_REASONS), list("converted", CONVERSIONS))) {
    counts <- report[[what[[1]]]]
    files <- report[[paste0(what[[1]], "_files")]]
    total <- sum(unlist(counts))
    lines <- c(lines, sprintf("  %s %d%s", what[[1]], total, if (total) ":" else ""))
    for (key in what[[2]]) {
      if (counts[[key]]) lines <- c(lines, sprintf("    %s (%d):", key, counts[[key]]), paste0("      ", files[[key]]))
    }
  }
  c(lines, sprintf("  report: %s", report$report))
}

#' Convert a folder of class subfolders of images into one HDF5 file
#'
#' Every file of `src/<class>/` is read by the rules of docs/contract.md
#' section 16 (dropped files are counted and listed by reason; grey,
#' palette, alpha and 16-bit images are converted to 8-bit RGB), resized to
#' `size x size` by [resize_area()], and the kept images are shuffled and
#' split by [train_test_split_indices()]. The output is one HDF5 file in the
#' cat / non-cat layout (`train_set_x` `(m, size, size, 3)` uint8,
#' `train_set_y` int64, the same for `test_`, and `list_classes`), read back
#' by [load_image_set()]. Images are streamed: each is decoded, resized and
#' appended to a scratch file next to `dest`; the HDF5 file is then written
#' in blocks to a temporary file and renamed to `dest`, so an interrupted
#' conversion leaves no `dest`. The report is written to
#' `paste0(dest, ".report.json")` the same way.
#'
#' @param src `character(1)`, no default. A folder with one subfolder per
#'   class (e.g. `Cat/` and `Dog/`); the regular files directly in a class
#'   folder are read (nested folders are ignored), in code-point order.
#' @param dest `character(1)`, no default. The HDF5 file to write (replaced
#'   if it exists); its folder must exist.
#' @param size `integer(1)`, default `64`. Side of the square output images.
#' @param test_fraction `numeric(1)`, default `0.15`. Share of the kept
#'   images in the test set, in (0, 1).
#' @param seed `integer(1)`, default `1`. Seed of the portable shuffle.
#' @param classes `character(2)` or `NULL`, default `NULL`. The two class
#'   subfolders in label order (`classes[1]` gets label 0). `NULL`: the
#'   subfolders of `src`, which must be exactly two, in code-point order
#'   (`c("Cat", "Dog")`: Cat = 0, Dog = 1).
#' @param reduce_jpeg `logical(1)`, default `TRUE`. In Python, lets Pillow
#'   decode JPEGs at a reduced scale; the jpeg package cannot, so R always
#'   decodes at full size (the Python twin with `reduce_jpeg = FALSE` gives
#'   output identical to R's).
#' @param min_side `integer(1)`, default `8`. Images with a side below this
#'   are dropped ("too_small").
#' @param max_pixels `numeric(1)`, default `25000000`. Images with more
#'   pixels (from the header) are dropped unread ("too_large").
#' @param verbose `logical(1)`, default `TRUE`. Progress to stderr, the
#'   report to stdout.
#' @return The report, a list: `src`, `dest`, `report` (the JSON file),
#'   `size`, `test_fraction`, `seed`, `reduce_jpeg`, `classes`, `files`,
#'   `kept`, `kept_per_class`, `n_train`, `n_test`, `dropped` and
#'   `converted` (counts per reason / conversion), `dropped_files` and
#'   `converted_files` (paths `"<class>/<file>"` per reason / conversion).
#' @examples
#' src <- file.path(tempdir(), "pets-example")
#' for (k in c("Cat", "Dog")) dir.create(file.path(src, k), recursive = TRUE, showWarnings = FALSE)
#' for (i in 1:5) {
#'   png::writePNG(array(runif(300), c(10, 10, 3)), file.path(src, "Cat", paste0(i, ".png")))
#'   png::writePNG(array(runif(300), c(10, 10, 3)), file.path(src, "Dog", paste0(i, ".png")))
#' }
#' writeLines("not an image", file.path(src, "Dog", "notes.jpg"))
#' rep <- convert_image_folder(src, file.path(tempdir(), "pets-example.h5"), size = 8)
#' rep$dropped_files$not_an_image
#' @export
convert_image_folder <- function(src, dest, size = 64, test_fraction = 0.15, seed = 1, classes = NULL,
                                 reduce_jpeg = TRUE, min_side = 8, max_pixels = 25000000, verbose = TRUE) {
  src <- check_folder(src, "src", "an existing folder with one subfolder per class")
  dest <- check_output_path(dest, "dest", CONVERT_DEST)
  size <- check_size_of_images(size)
  test_fraction <- check_fraction(test_fraction)
  seed <- check_seed(seed)
  reduce_jpeg <- check_flag(reduce_jpeg, "reduce_jpeg")
  lim <- check_limits(min_side, max_pixels)
  verbose <- check_flag(verbose, "verbose")
  listing <- list_class_files(src, classes)
  classes <- listing$classes

  start <- Sys.time()
  n <- length(listing$rel)
  every <- max(100L, n %/% 20L)
  bytes <- 3 * size * size
  labels <- integer(n)
  kept <- 0L
  dropped <- stats::setNames(rep(list(character(0)), length(DROP_REASONS)), DROP_REASONS)
  converted <- stats::setNames(rep(list(character(0)), length(CONVERSIONS)), CONVERSIONS)
  temps <- character(0)
  on.exit(for (p in temps) discard_temp(p), add = TRUE)
  scratch <- create_temp(dest, "dest", CONVERT_DEST, ".scratch", nbytes = n * bytes)
  temps <- c(temps, scratch)
  con <- file(scratch, "r+b")
  tryCatch({
    for (k in seq_len(n)) {
      rel <- listing$rel[k]
      res <- tryCatch(read_image_file(file.path(src, rel), size, reduce_jpeg, lim$min_side, lim$max_pixels),
                      twinnet_rejected = function(e) e)
      if (inherits(res, "twinnet_rejected")) {
        dropped[[res$reason]] <- c(dropped[[res$reason]], rel)
      } else {
        writeBin(as.raw(aperm(res$pixels, c(3L, 2L, 1L))), con)
        kept <- kept + 1L
        labels[kept] <- listing$label[k]
        for (cv in res$conversions) converted[[cv]] <- c(converted[[cv]], rel)
      }
      if (verbose && (k %% every == 0L || k == n)) {
        message(sprintf("convert_image_folder: %d/%d files read, %d kept, %.1f s", k, n, kept,
                        as.double(difftime(Sys.time(), start, units = "secs"))))
      }
    }
  }, finally = close(con))
  labels <- labels[seq_len(kept)]
  kept_per_class <- stats::setNames(lapply(0:1, function(i) sum(labels == i)), classes)
  for (i in 1:2) {
    if (kept_per_class[[i]] == 0L) {
      input_error("src", "at least one usable image in every class folder",
                  sprintf("none in \"%s\" (all its files were dropped)", classes[i]))
    }
  }
  split <- train_test_split_indices(kept, test_fraction, seed)
  block <- max(1, (64 * 1024 * 1024) %/% bytes)
  nbytes <- h5_size(kept * (bytes + 8) + 2 * max(nchar(classes, type = "bytes")), 5)
  tmp_h5 <- create_temp(dest, "dest", CONVERT_DEST, "", nbytes = nbytes)
  temps <- c(temps, tmp_h5)
  inp <- file(scratch, "rb")
  tryCatch(write_h5(tmp_h5, nbytes, function(h5, scope) {
    for (part in c("train", "test")) {
      idx <- split[[part]]
      space <- h5_keep(scope, hdf5r::H5S$new(dims = c(3L, size, size, length(idx))))
      ds <- h5_keep(scope, h5$create_dataset(paste0(part, "_set_x"), dtype = hdf5r::h5types$H5T_STD_U8LE,
                                             space = space, chunk_dims = NULL))
      for (a in seq(1L, length(idx), by = block)) {
        ids <- idx[a:min(length(idx), a + block - 1L)]
        buf <- raw(bytes * length(ids))
        for (j in seq_along(ids)) {
          seek(inp, (ids[j] - 1) * bytes)
          buf[(j - 1L) * bytes + seq_len(bytes)] <- readBin(inp, "raw", bytes)
        }
        ds[, , , a:(a + length(ids) - 1L)] <- array(as.integer(buf), dim = c(3L, size, size, length(ids)))
      }
      h5_keep(scope, h5$create_dataset(paste0(part, "_set_y"), robj = labels[idx], dtype = hdf5r::h5types$H5T_STD_I64LE,
                                       chunk_dims = NULL))
    }
    st <- h5_keep(scope, hdf5r::H5T_STRING$new(type = "c", size = max(nchar(classes, type = "bytes"))))
    st$set_cset(hdf5r::h5const$H5T_CSET_ASCII)
    st$set_strpad(hdf5r::h5const$H5T_STR_NULLPAD)
    h5_keep(scope, h5$create_dataset("list_classes", robj = classes, dtype = st, chunk_dims = NULL))
  }, "dest", CONVERT_DEST, dest), finally = close(inp))
  report_path <- paste0(dest, ".report.json")
  report <- list(src = src, dest = dest, report = report_path, size = size, test_fraction = test_fraction,
                 seed = seed, reduce_jpeg = reduce_jpeg, classes = classes, files = n, kept = kept,
                 kept_per_class = kept_per_class, n_train = length(split$train), n_test = length(split$test),
                 dropped = lapply(dropped, length), converted = lapply(converted, length),
                 dropped_files = dropped, converted_files = converted)
  json <- report
  json$classes <- as.list(classes)
  json$dropped_files <- lapply(dropped, as.list)
  json$converted_files <- lapply(converted, as.list)
  text <- charToRaw(enc2utf8(paste0(jsonlite::toJSON(json, auto_unbox = TRUE, pretty = TRUE, digits = NA), "\n")))
  tmp_json <- create_temp(report_path, "dest", CONVERT_DEST, "", nbytes = length(text))
  temps <- c(temps, tmp_json)
  res <- .Call(tw_write_bytes, tmp_json, text)
  if (nzchar(res[1])) os_fault("dest", CONVERT_DEST, dest, res)
  commit_temp(tmp_json, report_path, "dest", CONVERT_DEST)  # before the data set is renamed into place
  commit_temp(tmp_h5, dest, "dest", CONVERT_DEST)
  if (verbose) cat(format_report(report), sep = "\n")
  invisible(report)
}

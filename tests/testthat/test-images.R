# Image files: the rules, the exact resize, the converter, predict_image (docs/contract.md sections 16 to 18).

test_that("resize_area: worked examples", {
  checker <- matrix(c(0, 255, 255, 0), 2)
  expect_identical(as.vector(resize_area(array(checker, c(2, 2, 3)), 1)), rep(128L, 3))  # 127.5 rounds up
  p <- matrix(c(0, 30, 60, 90, 120, 150, 180, 210, 240), 3, byrow = TRUE)
  out <- resize_area(array(c(p, p + 1, 255 - p), c(3, 3, 3)), 2)
  expect_identical(out[, , 1], matrix(c(40L, 80L, 160L, 200L), 2, byrow = TRUE))
  expect_identical(out[, , 2], matrix(c(41L, 81L, 161L, 201L), 2, byrow = TRUE))
  expect_identical(out[, , 3], matrix(c(215L, 175L, 95L, 55L), 2, byrow = TRUE))
  expect_identical(as.vector(resize_area(array(c(10, 20, 30), c(1, 1, 3)), 3)), rep(c(10L, 20L, 30L), each = 9))
  sq <- array(as.double(0:107), c(6, 6, 3))
  expect_identical(resize_area(sq, 6), array(0:107, c(6, 6, 3)))
  expect_refused(resize_area(matrix(0, 4, 4), 2), "pixels", "an array of shape (height, width, 3) of whole numbers 0..255")
  expect_refused(resize_area(array(256, c(4, 4, 3)), 2), "pixels", "an array of shape (height, width, 3) of whole numbers 0..255")
  expect_refused(resize_area(array(0, c(4, 4, 3)), 0), "size", "a whole number >= 1")
})

# A small class folder tree written with the png and jpeg packages and writeBin.
make_tree <- function() {
  src <- tempfile("tree")
  for (k in c("Cat", "Dog")) dir.create(file.path(src, k), recursive = TRUE)
  img <- function(seed, h = 24, w = 30) {
    v <- ((outer(seq_len(h), seq_len(w), "+") * (seed + 3)) %% 200 + 20) / 255
    array(c(v, rev(v), v / 2), c(h, w, 3))
  }
  for (i in 1:4) {
    jpeg::writeJPEG(img(i), file.path(src, "Cat", sprintf("c%d.jpg", i)), quality = 0.9)
    png::writePNG(img(i + 10), file.path(src, "Dog", sprintf("d%d.png", i)))
  }
  good <- readBin(file.path(src, "Cat", "c1.jpg"), "raw", 1e6)
  writeBin(raw(0), file.path(src, "Cat", "zero.jpg"))
  writeBin(good[seq_len(length(good) %/% 2)], file.path(src, "Cat", "truncated.jpg"))
  writeLines("not a picture", file.path(src, "Cat", "text.jpg"))
  png::writePNG(array(0.5, c(1, 1, 3)), file.path(src, "Cat", "one.png"))
  png::writePNG(matrix(0.3, 20, 20), file.path(src, "Dog", "gray.png"))
  png::writePNG(array(c(rep(0.4, 1200), rep(0.5, 400)), c(20, 20, 4)), file.path(src, "Dog", "rgba.png"))
  writeBin(charToRaw("GIF89a and then nothing"), file.path(src, "Dog", "anim.gif"))
  src
}

test_that("convert_image_folder: the report, the layout, the split", {
  src <- make_tree()
  dest <- tempfile(fileext = ".h5")
  rep <- convert_image_folder(src, dest, size = 8, verbose = FALSE)
  expect_identical(rep$classes, c("Cat", "Dog"))
  expect_identical(rep$dropped_files$empty, "Cat/zero.jpg")
  expect_identical(rep$dropped_files$truncated, "Cat/truncated.jpg")
  expect_identical(rep$dropped_files$not_an_image, "Cat/text.jpg")
  expect_identical(rep$dropped_files$too_small, "Cat/one.png")
  expect_identical(rep$dropped_files$unsupported_format, "Dog/anim.gif")
  expect_identical(rep$converted_files$grayscale, "Dog/gray.png")
  expect_identical(rep$converted_files$alpha, "Dog/rgba.png")
  expect_identical(c(rep$files, rep$kept, rep$n_train, rep$n_test), c(15L, 10L, 8L, 2L))
  expect_true(file.exists(paste0(dest, ".report.json")))
  json <- jsonlite::fromJSON(paste0(dest, ".report.json"))
  expect_identical(json$dropped$empty, 1L)
  expect_identical(json$kept_per_class, list(Cat = 4L, Dog = 6L))
  d <- load_image_set(dest, standardize = FALSE)
  expect_equal(dim(d$train_X), c(8L * 8L * 3L, 8L))
  kept <- c(sprintf("Cat/c%d.jpg", 1:4), sprintf("Dog/%s", sort(c("d1.png", "d2.png", "d3.png", "d4.png", "gray.png", "rgba.png"), method = "radix")))
  s <- train_test_split_indices(10, 0.15, 1)
  for (j in seq_along(s$train)) {
    f <- kept[s$train[j]]
    expect_identical(d$train_Y[1, j], if (startsWith(f, "Cat/")) 0 else 1)
    px <- load_image(file.path(src, f), size = 8)
    expect_identical(d$train_X[, j], as.double(aperm(px, c(3, 2, 1))) / 255)
  }
  expect_length(list.files(dirname(dest), pattern = paste0("^\\.", basename(dest))), 0L)  # no temporary file left
})

test_that("alpha over white and grey to RGB, worked by hand", {
  f <- tempfile(fileext = ".png")
  png::writePNG(array(c(rep(100 / 255, 64), rep(200 / 255, 64), rep(0, 64), rep(128 / 255, 64)), c(8, 8, 4)), f)
  px <- load_image(f, size = 8)
  expect_identical(as.vector(px[1, 1, ]), c(177L, 227L, 127L))  # (c a + 255 (255 - a) + 127) div 255
  g <- tempfile(fileext = ".png")
  png::writePNG(matrix(77 / 255, 9, 8), g)
  expect_identical(unique(as.vector(load_image(g, size = 8))), 77L)
})

test_that("an interrupted conversion leaves the previous output and no temporary file", {
  src <- make_tree()
  dir <- tempfile("out")
  dir.create(dir)
  dest <- file.path(dir, "out.h5")
  writeLines("previous output", dest)
  real <- get("read_image_file", envir = asNamespace("twinnet"))
  calls <- 0L
  failing <- function(...) {
    calls <<- calls + 1L
    if (calls == 5L) stop("simulated crash")
    real(...)
  }
  utils::assignInNamespace("read_image_file", failing, ns = "twinnet")
  on.exit(utils::assignInNamespace("read_image_file", real, ns = "twinnet"), add = TRUE)
  expect_error(convert_image_folder(src, dest, size = 8, verbose = FALSE), "simulated crash")
  expect_identical(readLines(dest), "previous output")
  expect_identical(list.files(dir, all.files = TRUE, no.. = TRUE), "out.h5")
})

test_that("convert_image_folder refuses bad input", {
  src <- make_tree()
  dest <- tempfile(fileext = ".h5")
  expect_refused(convert_image_folder(tempfile(), dest), "src", "an existing folder with one subfolder per class")
  one <- tempfile()
  dir.create(file.path(one, "Cat"), recursive = TRUE)
  png::writePNG(array(0.5, c(10, 10, 3)), file.path(one, "Cat", "a.png"))
  expect_refused(convert_image_folder(one, dest), "src", "exactly 2 class subfolders (or `classes` naming 2 of them)")
  dir.create(file.path(one, "Dog"))
  expect_refused(convert_image_folder(one, dest), "src", "at least one file in every class folder")
  writeBin(raw(0), file.path(one, "Dog", "empty.jpg"))
  expect_refused(convert_image_folder(one, dest, verbose = FALSE), "src", "at least one usable image in every class folder")
  expect_refused(convert_image_folder(src, dest, size = 0), "size", "a whole number >= 1")
  expect_refused(convert_image_folder(src, dest, test_fraction = 0), "test_fraction", "a number in (0, 1)")
  expect_refused(convert_image_folder(src, dest, classes = c("Cat", "Bird")), "classes",
                 "2 distinct names of subfolders of `src`, in label order (0, 1)")
  expect_refused(convert_image_folder(src, file.path(tempfile(), "x.h5")), "dest", "a file path in an existing folder")
  expect_false(file.exists(dest))
})

test_that("predict_image is predict_proba of the flattened, scaled image", {
  f <- tempfile(fileext = ".png")
  png::writePNG(array(seq(0, 1, length.out = 300), c(10, 10, 3)), f)
  p <- initialize_parameters(c(3 * 8 * 8, 4, 1), seed = 3, scheme = "he")
  res <- predict_image(f, p, size = 8)
  x <- matrix(as.double(aperm(load_image(f, size = 8), c(3, 2, 1))), ncol = 1) / 255
  expect_identical(res$probability, predict_proba(x, p)[1, 1])
  expect_identical(res$class, as.integer(res$probability > 0.5))
  st <- list(mean = matrix(100, 192, 1), sd = matrix(50, 192, 1))
  res2 <- predict_image(f, p, size = 8, feature_mean = st$mean, feature_sd = st$sd)
  expect_identical(res2$probability, predict_proba((x * 255 - 100) / 50, p)[1, 1])
  expect_refused(predict_image(f, p), "size", "the side s of the training images, with 3 * s^2 = 192 (the columns of W1)")
  expect_refused(predict_image(tempfile(), p, size = 8), "path", "an existing image file")
  bad <- tempfile(fileext = ".jpg")
  writeLines("text", bad)
  expect_refused(predict_image(bad, p, size = 8), "path",
                 "a readable JPEG or PNG image (RGB, grayscale or palette; see docs/contract.md section 16)")
})

test_that("petimages-2000 converts and trains (R alone)", {
  src <- shared_data_or_skip("petimages-2000")
  # a 100-file sample keeps this R-only test short; the full conversion is compared with Python in pytest
  sample_dir <- tempfile("pets")
  for (k in c("Cat", "Dog")) {
    dir.create(file.path(sample_dir, k), recursive = TRUE)
    files <- sort(list.files(file.path(src, k)), method = "radix")[1:50]
    file.symlink(file.path(src, k, files), file.path(sample_dir, k, files))
  }
  dest <- tempfile(fileext = ".h5")
  rep <- convert_image_folder(sample_dir, dest, size = 16, verbose = FALSE)
  expect_identical(c(rep$kept, rep$n_train, rep$n_test), c(100L, 85L, 15L))
  d <- load_image_set(dest)
  fit <- L_layer_model(d$train_X, d$train_Y, c(768, 5, 1), learning_rate = 0.01, num_iterations = 200, print_every = 50)
  expect_true(all(diff(fit$costs$cost) < 0))
  expect_gt(accuracy(d$train_X, d$train_Y, fit$parameters), 0.6)
})

# Helpers for the course's test cases (test-course.R, test-course-notebook.R)
# and the numpy-stream fixtures: read fixtures/course-*.json and tn-*.json as
# plain lists (arrays of objects stay lists), re-make the course's inputs with
# the numpy stream, and the printed-precision rule of fixtures/README.md.

# Fixtures of `kind` whose file names match `pattern`, arrays of objects kept as lists.
read_fixture_lists <- function(kind, pattern = "^(tn|course)-.*\\.json$") {
  dir <- fixtures_dir()
  if (is.null(dir)) return(list())
  files <- sort(list.files(dir, pattern = pattern, full.names = TRUE))
  fx <- lapply(files, jsonlite::fromJSON, simplifyVector = TRUE, simplifyDataFrame = FALSE, simplifyMatrix = TRUE)
  Filter(function(f) f$kind == kind, fx)
}

# The course's inputs: for each stream, np.random.seed(seed), then np.random.randn(*shape) per
# name, drawn with the R numpy stream and checked bit for bit against the fixture's values.
course_inputs <- function(fx) {
  values <- lapply(fx$inputs$values, as_mat)
  for (block in fx$inputs$streams) {
    state <- numpy_seed(block$seed)
    for (d in block$randn) {
      drawn <- numpy_randn(state, d$shape)
      state <- drawn$state
      expect_bits(drawn$values, values[[d$name]], paste(fx$id, "input", d$name))
    }
  }
  values
}

# The number a printed text stands for (numpy's booleans True / False are 1 and 0;
# scripts/make_fixtures.py: printed_value).
printed_value <- function(text) if (text %in% c("True", "False")) as.numeric(text == "True") else as.numeric(text)

# Half a unit of the course's last printed digit, plus 1e-12 relative (fixtures/README.md;
# the same rule as scripts/make_fixtures.py: printed_tolerance).
printed_tolerance <- function(text, rule, value) {
  if (rule == "bool") return(0)
  if (rule == "isclose") return(1e-8 + 1e-5 * abs(value))
  parts <- strsplit(tolower(text), "e", fixed = TRUE)[[1]]
  exp10 <- if (length(parts) > 1) as.integer(parts[2]) else 0L
  unit <- switch(rule,
    "numpy-8" = 10^(exp10 - 8),
    "fixed-6" = 1e-6,
    "str-12" = if (value != 0) 10^(floor(log10(abs(value))) - 11) else 1e-12,
    "repr" = 10^(exp10 - nchar(sub("^[^.]*\\.?", "", parts[1]))),
    stop("unknown printing rule ", rule))
  0.5 * unit + 1e-12 * abs(value)
}

# `actual` rounds to the course's printed text `course` (a string, vector or matrix of strings).
expect_printed <- function(actual, course, rule, label) {
  texts <- as.vector(course)
  actual <- as.vector(actual)
  expect_identical(length(actual), length(texts), label = paste(label, "length"))
  for (i in seq_along(texts)) {
    v <- printed_value(texts[i])
    tol <- printed_tolerance(texts[i], rule, v)
    expect(abs(actual[i] - v) <= tol,
           sprintf("%s[%d]: %.17g is not the course's %s (printed as %s, tolerance %.3g)", label, i, actual[i],
                   texts[i], rule, tol))
  }
}

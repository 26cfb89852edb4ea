# R's checker (R/verify.R) on R ports of the course's network, without Python (mirrors
# tests/test_verify.py). The ports are test data in tests/ports/ (README there): the course port's
# line-by-line R translation must pass; each classic mistake of tests/ports/mistakes.json, planted
# into a copy, must make its function fail with the diagnosis the file names -- looked up in the
# report's structure, never in printed text -- and the control mistake must stay undiagnosed;
# twinnet's own functions pass; a hostile port is reported function by function, and the
# caller's random state and working directory are left as they were.

ports_dir <- function() {
  for (up in c("../ports", "../../tests/ports", "tests/ports")) {
    if (file.exists(file.path(up, "course_port.R"))) return(normalizePath(up))
  }
  NULL
}

skip_if_no_ports <- function() {
  skip_if_no_fixtures()
  if (is.null(ports_dir())) skip("tests/ports/ not found (R CMD check leaves it out)")
}

by_name <- function(report) setNames(report$functions, vapply(report$functions, function(f) f$name, character(1)))

diagnosis_ids <- function(rec) vapply(rec$diagnoses, function(d) d$id, character(1))

mistakes <- function() jsonlite::fromJSON(file.path(ports_dir(), "mistakes.json"), simplifyVector = FALSE)$mistakes

planted <- function(mistake, folder) {
  text <- paste(readLines(file.path(ports_dir(), "course_port.R")), collapse = "\n")
  for (edit in mistake$r) {
    n <- lengths(regmatches(text, gregexpr(edit[[1]], text, fixed = TRUE)))
    if (n != 1L) stop(sprintf("%s: the line to replace occurs %d times", mistake$name, n))
    text <- sub(edit[[1]], edit[[2]], text, fixed = TRUE)
  }
  path <- file.path(folder, "student_port.R")
  writeLines(text, path)
  path
}

test_that("the course port's R translation passes, its weights judged by shape and scale", {
  skip_if_no_ports()
  report <- verify_port(file.path(ports_dir(), "course_port.R"), fixtures = fixtures_dir())
  fns <- by_name(report)
  expect_identical(names(fns), twinnet:::FUNCTIONS$course)
  expect_identical(unique(vapply(fns, function(f) f$status, character(1))), "pass")
  expect_identical(report$exit_code, 0L)
  expect_identical(report$convention, "course")
  draws <- Filter(function(q) q$name == "W draws", unlist(lapply(fns$initialize_parameters_deep$cases, function(c) c$quantities), recursive = FALSE))
  expect_true(length(draws) > 0)
  expect_true(all(vapply(draws, function(q) q$pass && q$denominator == "scale", logical(1))))
})

test_that("twinnet's own functions pass through the same checker", {
  skip_if_no_fixtures()
  report <- verify_port("package:twinnet", fixtures = fixtures_dir())
  expect_identical(report$convention, "twinnet")
  fns <- by_name(report)
  expect_identical(names(fns), twinnet:::FUNCTIONS$twinnet)
  expect_identical(unique(vapply(fns, function(f) f$status, character(1))), "pass")
})

test_that("each planted mistake is caught and named by its diagnosis", {
  skip_if_no_ports()
  ms <- mistakes()
  expect_gte(length(unique(unlist(lapply(ms, function(m) m$diagnosis)))), 10)
  for (m in ms) {
    folder <- withr::local_tempdir()
    report <- verify_port(planted(m, folder), fixtures = fixtures_dir(), only = unlist(m$check))
    fns <- by_name(report)
    rec <- fns[[m$`function`]]
    expect_identical(rec$status, "fail", label = m$name)
    got <- setdiff(diagnosis_ids(rec), "inherited")
    if (is.null(m$diagnosis)) {
      expect_length(got, 0)
    } else {
      expect_true(m$diagnosis %in% got, label = sprintf("%s: diagnosis %s in [%s]", m$name, m$diagnosis, paste(got, collapse = ", ")))
    }
    for (other in unlist(m$also)) {
      expect_true(fns[[other]]$status == "fail" && m$diagnosis %in% diagnosis_ids(fns[[other]]), label = paste(m$name, other))
    }
  }
})

test_that("a port with other names is checked through a name map", {
  skip_if_no_ports()
  map <- c(linear_forward = "for_prop", linear_activation_forward = "for_activation", L_model_forward = "deep_model",
           compute_cost = "cost_computation", linear_activation_backward = "back_activ", L_model_backward = "deep_model_back")
  text <- paste(readLines(file.path(ports_dir(), "course_port.R")), collapse = "\n")
  for (k in names(map)) text <- gsub(sprintf("\\b%s\\b", k), map[[k]], text, perl = TRUE)
  path <- file.path(withr::local_tempdir(), "dogs_vs_cats.R")
  writeLines(text, path)
  without <- by_name(verify_port(path, fixtures = fixtures_dir()))
  expect_setequal(names(Filter(function(f) f$status == "missing", without)), names(map))
  fns <- by_name(verify_port(path, name_map = map, fixtures = fixtures_dir()))
  expect_identical(unique(vapply(fns, function(f) f$status, character(1))), "pass")
  expect_identical(fns$L_model_forward$port_name, "deep_model")
})

test_that("a hostile port is reported function by function; state and folders are left alone", {
  skip_if_no_ports()
  skip_if_not_installed("callr")
  folder <- withr::local_tempdir()
  file.copy(file.path(ports_dir(), "hostile_port.R"), folder)
  before <- list.files(folder, all.files = TRUE, no.. = TRUE)
  set.seed(42)
  seed <- .Random.seed
  wd <- getwd()
  report <- verify_port(file.path(folder, "hostile_port.R"), convention = "course", fixtures = fixtures_dir(), timeout = 1)
  expect_identical(.Random.seed, seed)
  expect_identical(getwd(), wd)
  expect_identical(list.files(folder, all.files = TRUE, no.. = TRUE), before)
  fns <- by_name(report)
  status <- lapply(fns, function(f) unique(vapply(f$cases, function(c) c$status, character(1))))
  expect_identical(status$sigmoid, "pass")
  expect_identical(fns$initialize_parameters_deep$status, "pass")
  expect_setequal(status$relu, c("timeout", "skipped"))
  expect_identical(status$sigmoid_backward, "crash")
  expect_identical(status$linear_forward, "error")
  expect_match(fns$linear_forward$cases[[1]]$message, "boom")
  expect_identical(status$linear_activation_forward, "fail")
  expect_identical(status$compute_cost, "fail")
  expect_identical(status$two_layer_model, "timeout")
  expect_identical(fns$predict$status, "missing")
  expect_identical(report$exit_code, 1L)
})

test_that("without callr the port runs here, and the caller's state still comes back", {
  skip_if_no_ports()
  withr::local_options(twinnet.verify.callr = FALSE)
  text <- sub("  set.seed(1)\n", "  set.seed(1)\n  setwd(tempdir())\n", paste(readLines(file.path(ports_dir(), "course_port.R")), collapse = "\n"),
              fixed = TRUE)
  path <- file.path(withr::local_tempdir(), "port.R")
  writeLines(text, path)
  wd <- getwd()
  set.seed(7)
  seed <- .Random.seed
  report <- verify_port(path, fixtures = fixtures_dir(), only = c("initialize_parameters", "linear_backward"))
  expect_identical(.Random.seed, seed)
  expect_identical(getwd(), wd)
  expect_identical(unique(vapply(report$functions, function(f) f$status, character(1))), "pass")
})

test_that("verify_main writes JSON and JUnit and returns the exit code", {
  skip_if_no_ports()
  folder <- withr::local_tempdir()
  m <- Filter(function(m) identical(m$diagnosis, "sum_wrong_axis"), mistakes())[[1]]
  path <- planted(m, folder)
  out_json <- file.path(folder, "report.json")
  out_xml <- file.path(folder, "report.xml")
  printed <- capture.output(code <- verify_main(c(path, "--only", "linear_backward,compute_cost", "--fixtures", fixtures_dir(),
                                                  "--json", out_json, "--junit", out_xml)))
  expect_identical(code, 1L)
  expect_true(any(grepl("FAIL     linear_backward", printed, fixed = TRUE)))
  report <- jsonlite::fromJSON(out_json, simplifyVector = FALSE)
  expect_identical(report$exit_code, 1L)
  fns <- by_name(report)
  expect_true("sum_wrong_axis" %in% diagnosis_ids(fns$linear_backward))
  xml <- readLines(out_xml)
  n <- sum(vapply(report$functions, function(f) max(1L, length(f$cases)), integer(1)))
  expect_identical(sum(grepl("<testcase ", xml, fixed = TRUE)), n)
  expect_match(xml[2], sprintf("tests=\"%d\"", n), fixed = TRUE)
  failing <- sum(vapply(fns$linear_backward$cases, function(c) c$status == "fail", logical(1)))
  expect_identical(sum(grepl("<failure ", xml, fixed = TRUE)), failing)
  quiet <- capture.output(code <- verify_main(c(file.path(ports_dir(), "course_port.R"), "--only", "compute_cost",
                                                 "--fixtures", fixtures_dir(), "--quiet")))
  expect_identical(code, 0L)
  expect_length(quiet, 0)
})

test_that("bad input is exit code 2 with one line, and refused with a contract error", {
  skip_if_no_ports()
  folder <- withr::local_tempdir()
  writeLines("relu <- function(Z {", file.path(folder, "broken.R"))
  writeLines("x <- 1", file.path(folder, "empty.R"))
  port <- file.path(ports_dir(), "course_port.R")
  cases <- list(c("no/such/port.R"), c(port, "--convention", "matlab"), c(port, "--timeout", "0"),
                c(port, "--only", "not_a_function"), c(port, "--name", "linear_forward"), c(port, "--name", "nope=for_prop"),
                c(port, "--json", "no/such/folder/report.json"), c(file.path(folder, "broken.R")), c(file.path(folder, "empty.R")))
  for (argv in cases) {
    msgs <- character(0)
    code <- withCallingHandlers(verify_main(c(argv, "--fixtures", fixtures_dir())),
                                message = function(m) { msgs <<- c(msgs, conditionMessage(m)); invokeRestart("muffleMessage") })
    expect_identical(code, 2L, label = paste(argv, collapse = " "))
    expect_length(msgs, 1)
    expect_match(msgs, "^twinnet verify: error: `")
  }
  e <- tryCatch(verify_port(port, convention = "matlab", fixtures = fixtures_dir()), error = function(e) e)
  expect_s3_class(e, "twinnet_input_error")
  expect_match(conditionMessage(e), "^`convention`: expected one of \"auto\", \"course\", \"twinnet\"; got")
})

test_that("a fixture family is one table entry", {
  skip_if_no_ports()
  folder <- withr::local_tempdir()
  src <- file.path(fixtures_dir(), "tn-006-net-relu-xavier-L2.json")
  file.copy(src, folder)
  text <- sub("\"id\": \"tn-006\"", "\"id\": \"course-001\"", paste(readLines(src), collapse = "\n"), fixed = TRUE)
  writeLines(text, file.path(folder, "course-001-from-tn-006.json"))
  report <- verify_port(file.path(ports_dir(), "course_port.R"), fixtures = folder, only = "linear_backward")
  expect_identical(report$fixtures$families, list(tn = 1L, course = 1L))
  cases <- by_name(report)$linear_backward$cases
  expect_identical(vapply(cases, function(c) paste(c$fixture, c$family, c$status), character(1)),
                   c("tn-006 tn pass", "course-001 course pass"))
})

test_that("the term scales are those of the cancelling-sums rule, from the fixture's own values", {
  skip_if_no_fixtures()
  for (fx in read_fixtures("network")) {
    v <- twinnet:::network_view(c(fx, list(family = "tn")))
    s <- twinnet:::term_scales(v)
    # recomputed from twinnet's own forward pass: |dZ_L| <= |A_L| + |Y|, |dW_L| <= |dZ_L| |A_(L-1)|^T / m
    fwd <- L_model_forward(v$X, v$P, v$act)
    L <- v$L
    dZ <- abs(fwd$AL) + abs(v$Y)
    expect_equal(s[[paste0("dW", L)]], max(dZ %*% t(abs(fwd$caches[[L]]$A_prev))) / v$m, tolerance = 1e-14)
    expect_equal(s[[paste0("db", L)]], max(rowSums(dZ)) / v$m, tolerance = 1e-14)
  }
})

test_that("a Python port goes to the Python checker when there is one", {
  skip_if_no_ports()
  python <- Sys.getenv("TWINNET_PYTHON")
  if (!nzchar(python)) skip("TWINNET_PYTHON is not set: the R suite runs without Python (tests/test_verify.py checks this path)")
  report <- verify_port(file.path(ports_dir(), "course_port.py"), fixtures = fixtures_dir(), only = "compute_cost")
  expect_identical(report$checker, "python")
  expect_identical(report$exit_code, 0L)
})

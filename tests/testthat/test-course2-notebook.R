# Mirrors tests/test_course2_notebook.py: the optimization notebook's runs on the moons (course 2,
# week 2, W2A1/Optimization_methods.ipynb in github.com/greyhatguy007/deep-learning-specialization,
# commit dcc0454449e8c0bc0d7aa63dbf640b4a138c3c6b; fixtures/course-042 ... course-045), R alone:
# the notebook's printed costs every 1000 epochs (6 decimals) and training accuracy.

test_that("the notebook's four runs on the moons print the notebook's costs and accuracy", {
  skip_if_no_fixtures()
  runs <- Filter(function(f) f$adapter == "moons_notebook", read_fixture_lists("course", "^course-.*\\.json$"))
  expect_length(runs, 4)
  for (fx in runs) {
    mm <- fx$inputs$make_moons
    d <- make_moons(mm$n_samples, mm$noise, mm$seed, mm$stream)
    config <- fx$config[setdiff(names(fx$config), c("layer_dims", "print_every"))]
    fit <- do.call(r_run, c(list(fx$id, d$X, d$Y, fx$config$layer_dims), config))  # shared with pytest's R pass
    course <- fx$course_expected
    got <- fit$costs$cost[match(course$costs$iteration, fit$costs$iteration)]
    expect_printed(got, course$costs$cost, fx$printed$costs, paste(fx$name, "costs"))
    expect_printed(accuracy(d$X, d$Y, fit$parameters), course$accuracy, fx$printed$accuracy, paste(fx$name, "accuracy"))
  }
})

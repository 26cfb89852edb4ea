# Mirrors tests/test_course_notebook.py (R/model.R: course_models): the application notebook's
# two models on the cat / non-cat files, R alone, against the notebook's printed output
# (fixtures/course-017, course-018: version 8 of "Deep Neural Network - Application" as
# published in github.com/codeamt/Deep-Learning-AI, commit eca9ec16e0d7551a02021f8cf1d9aeea4ee0b31f).
# 2-layer costs to 1e-12 relative, 4-layer costs to their 6 printed decimals, accuracies to
# their 12 printed digits (train 1.0 / test 0.72; 0.985645933014 / 0.8).

test_that("course_models reproduces the notebook's tables", {
  skip_if_no_fixtures()
  folder <- shared_data_or_skip("catvnoncat")
  notebook <- read_fixture_lists("course", "^course-.*\\.json$")
  notebook <- Filter(function(f) f$adapter == "notebook", notebook)
  names(notebook) <- vapply(notebook, function(f) f$config$model, "")
  expect_setequal(names(notebook), names(COURSE_MODELS))
  fits <- course_models(folder)
  for (model in names(notebook)) {
    fx <- notebook[[model]]
    config <- fx$config[setdiff(names(fx$config), "model")]
    expect_equal(COURSE_MODELS[[model]][names(config)], config)
    fit <- fits[[model]]
    course <- fx$course_expected
    got <- fit$costs$cost[match(course$costs$iteration, fit$costs$iteration)]
    expect_printed(got, course$costs$cost, fx$printed$costs, paste(model, "costs"))
    if (model == "two_layer") {
      want <- as.numeric(course$costs$cost)
      expect_lte(max(abs(got - want) / want), 1e-12)
    }
    for (key in c("train_accuracy", "test_accuracy")) {
      expect_printed(fit[[key]], course[[key]], fx$printed[[key]], paste(model, key))
    }
  }
})

"""Progress lines for long training runs (internal; used by NeuralNet(verbose=True) and the CLI).

Not public API, so it has no twin module; the line format is the same as
``progress_line()`` in ``R/estimator.R`` (docs/contract.md, "Estimators"):

    iteration 1200/2500  cost 0.0827332  1540 it/s  0.8 s left

The rate counts the iterations finished since training started (iteration i
is reported before its update, so i of them are done).
"""

import sys
import time


def format_progress(iteration, num_iterations, cost, elapsed):
    """The progress line for a cost recorded at ``iteration`` after ``elapsed`` seconds."""
    done = int(iteration)
    if done > 0 and elapsed > 0:
        rate = done / elapsed
        left = (num_iterations - done) / rate
        speed = f"{rate:.0f} it/s  {left:.1f} s left"
    else:
        speed = "-- it/s  -- s left"
    return f"iteration {iteration}/{num_iterations}  cost {cost:.6g}  {speed}"


class VerbosePrinter:
    """``callback(iteration, cost)`` that writes one progress line per recorded cost."""

    def __init__(self, num_iterations, stream=None):
        self.num_iterations = num_iterations
        self.stream = stream
        self.t0 = time.perf_counter()

    def __call__(self, iteration, cost):
        stream = self.stream or sys.stderr
        stream.write(format_progress(iteration, self.num_iterations, cost, time.perf_counter() - self.t0) + "\n")
        stream.flush()


class ProgressLine:
    """``callback(iteration, cost)`` for the command line: quiet for short runs.

    ``mode`` "auto" shows nothing during the first ``delay`` seconds (a short
    run prints no progress at all), then the progress line, redrawn in place
    on a terminal (at most every 0.2 s) or written as a new line every
    ``every`` seconds otherwise; "always" shows every recorded cost from the
    start (one line each); "never" shows nothing. :meth:`close` ends the line
    with a summary when anything was shown.
    """

    def __init__(self, num_iterations, mode="auto", stream=None, delay=1.0, every=5.0):
        self.num_iterations = num_iterations
        self.mode = mode
        self.stream = stream or sys.stderr
        self.delay = delay
        self.every = every
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.t0 = time.perf_counter()
        self.last = None
        self.shown = False
        self.width = 0
        self.last_cost = None

    def __call__(self, iteration, cost):
        self.last_cost = cost
        if self.mode == "never":
            return
        now = time.perf_counter()
        elapsed = now - self.t0
        if self.mode == "auto":
            if elapsed < self.delay:
                return
            gap = 0.2 if self.tty else self.every
            if self.last is not None and now - self.last < gap and iteration != self.num_iterations - 1:
                return
        line = format_progress(iteration, self.num_iterations, cost, elapsed)
        if self.tty and self.mode == "auto":
            pad = max(0, self.width - len(line))
            self.stream.write("\r" + line + " " * pad)
            self.width = len(line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
        self.last = now
        self.shown = True

    def close(self):
        """Finish the display: a summary line if a progress line was shown."""
        if not self.shown:
            return
        elapsed = time.perf_counter() - self.t0
        rate = self.num_iterations / elapsed if elapsed > 0 else float("inf")
        summary = f"done: {self.num_iterations} iterations in {elapsed:.1f} s ({rate:.0f} it/s)"
        if self.tty and self.mode == "auto":
            self.stream.write("\r" + summary + " " * max(0, self.width - len(summary)) + "\n")
        else:
            self.stream.write(summary + "\n")
        self.stream.flush()

"""Progress lines for long training runs (internal; used by NeuralNet(verbose=True) and the command line).

Not public API. Its R counterpart, ``progress_line()``, lives in ``R/estimator.R``;
the line format is the same (docs/contract.md, "Estimators"):

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

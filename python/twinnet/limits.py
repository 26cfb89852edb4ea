"""Sizes checked before anything is allocated (contract section 29; twin of ``R/limits.R``).

Every function that allocates memory in proportion to an argument -- layer
sizes, iterations x recorded costs, sample counts, image sizes, stream
lengths, datasets read from files -- first estimates what it will need, in
bytes, with the formulas below (the one home of them), and refuses the input
with the contract section 12 message naming the user's argument when that is
above the memory limit:

    `layer_dims`: expected sizes whose memory need fits in twinnet's limit of 11.7 GiB
    (TWINNET_MEMORY_LIMIT); got (1000000, 1000000, 1), which needs 22.7 TiB

The limit is ``$TWINNET_MEMORY_LIMIT`` (bytes, or a number with the suffix K,
M, G or T: powers of 1024, e.g. ``512M`` or ``1.5G``) or, without it, half
the machine's memory (the smaller of the physical memory and the control
group's ``memory.max``). :func:`memory_limit` returns it.
"""

import math
import os
import re

from .validate import input_error

MEMORY_ENV = "TWINNET_MEMORY_LIMIT"
#: The default limit is this share of the machine's memory.
MEMORY_FRACTION = 0.5
_BYTE_UNITS = ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB")
_BYTE_SUFFIX = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
#: What a double takes.
DOUBLE = 8

_machine_cache = []


def machine_memory():
    """The machine's memory in bytes: /proc/meminfo's MemTotal, capped by the cgroup's memory.max."""
    if not _machine_cache:
        total = None
        try:
            with open("/proc/meminfo") as f:
                for line in f:
                    if line.startswith("MemTotal:"):
                        total = float(line.split()[1]) * 1024
                        break
        except OSError:
            pass
        if total is None:
            try:
                total = float(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
            except (ValueError, OSError, AttributeError):
                total = 8.0 * 1024**3  # unknown: assume a small machine
        try:
            with open("/sys/fs/cgroup/memory.max") as f:
                cap = f.read().strip()
            if cap.isdigit():
                total = min(total, float(cap))
        except OSError:
            pass
        _machine_cache.append(total)
    return _machine_cache[0]


def memory_limit():
    """The memory limit in bytes (a float): ``$TWINNET_MEMORY_LIMIT``, else half the machine's memory."""
    text = os.environ.get(MEMORY_ENV, "").strip()
    if not text:
        return math.floor(machine_memory() * MEMORY_FRACTION)
    m = re.fullmatch(r"([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*([KMGT]?)(?:i?B)?", text, re.IGNORECASE)
    value = float(m.group(1)) * _BYTE_SUFFIX[m.group(2).upper()] if m else 0.0
    if not m or not value >= 1:
        raise input_error(MEMORY_ENV, "a size in bytes such as 4G, 512M or 1000000 (K, M, G, T: powers of 1024)",
                          repr(text))
    return math.floor(value)


def format_bytes(n):
    """``n`` bytes in binary units with 4 significant digits: ``"11.7 GiB"``, ``"512 MiB"``."""
    n = float(n)
    k = 0
    while n >= 1024 and k < len(_BYTE_UNITS) - 1:
        n /= 1024
        k += 1
    return f"{n:.4g} {_BYTE_UNITS[k]}"


def check_memory(need, arg, what):
    """Refuse (contract section 12) when ``need`` bytes exceed the limit; ``what`` is the "got" part's start."""
    limit = memory_limit()
    if not need <= limit:
        raise input_error(arg, f"sizes whose memory need fits in twinnet's limit of {format_bytes(limit)} ({MEMORY_ENV})",
                          f"{what}, which needs {format_bytes(need)}")


def dims_text(dims):
    return "(" + ", ".join(str(int(d)) for d in dims) + ")"


# -- the estimates (contract section 29), in bytes ---------------------------------------------

def draws_need(n_uniform, n_normal):
    """A draw from a stream: the values and one working copy."""
    return DOUBLE * 2.0 * (float(n_uniform) + float(n_normal))


def parameters_need(dims):
    """Initial parameters of ``dims``: the normals drawn (twice, as a draw) and the matrices."""
    weights = sum(float(dims[l]) * float(dims[l - 1]) for l in range(1, len(dims)))
    return DOUBLE * (3.0 * weights + sum(float(d) for d in dims[1:]))


def n_recorded(num_iterations, print_every):
    """How many costs the history keeps: every ``print_every``-th iteration and the last."""
    t, p = int(num_iterations), int(print_every)
    return (t - 1) // p + 1 + (1 if (t - 1) % p else 0)


def history_need(num_iterations, print_every):
    """The cost history: an iteration and a cost per record."""
    return DOUBLE * 2.0 * n_recorded(num_iterations, print_every)


def training_need(dims, m, num_iterations, print_every, gram):
    """Training: parameters and their copy, Z and A of every layer, two gradients of the widest layer,
    the widest dW, the Gram matrix and the sum C of the gram solver, and the cost history."""
    m = float(m)
    weights = sum(float(dims[l]) * float(dims[l - 1]) for l in range(1, len(dims)))
    units = sum(float(d) for d in dims[1:])
    widest = max(float(d) for d in dims[1:])
    biggest_w = max(float(dims[l]) * float(dims[l - 1]) for l in range(1, len(dims)))
    need = 2.0 * (weights + units) + 2.0 * m * units + 2.0 * m * widest + biggest_w
    if gram:
        need += m * m + float(dims[1]) * m
    return DOUBLE * need + history_need(num_iterations, print_every)


def forward_need(dims, m):
    """A forward pass (predictions): Z and A of every layer."""
    return DOUBLE * 2.0 * float(m) * sum(float(d) for d in dims[1:])


def circles_need(n_samples):
    """make_circles: the base points, the draws, the permutation, X and Y."""
    return DOUBLE * 10.0 * float(n_samples)


def split_need(m):
    """A train / test split: the uniforms, the permutation and the two index vectors."""
    return DOUBLE * 4.0 * float(m)


def image_need(size, width=None, height=None):
    """One image resized to ``size``: the decoded pixels and their RGB copy (when the header's
    ``width`` x ``height`` is known), the row sums (size x width x 3) and the output (size x size x 3,
    three times: sums, rounding, result)."""
    s = float(size)
    w = float(width) if width is not None else s
    h = float(height) if height is not None else s
    return DOUBLE * (2.0 * 3.0 * w * h + 3.0 * s * w + 9.0 * s * s)


def dataset_need(n_values):
    """A dataset read from an HDF5 file: the stored values and their double copy."""
    return DOUBLE * 2.0 * float(n_values)

"""Atomic file writes (twin of ``R/atomic.R``): nothing is ever left half-written.

Every file twinnet writes (model files, converted image sets and their
reports, pictures, cost histories) is first written to a temporary file in
the destination's own folder -- the same file system, so the final rename is
atomic -- and renamed over the destination only once it is complete. On any
error, or an interrupt, the temporary file is removed and an existing
destination is left as it was.
"""

import os
import tempfile


def temp_path_beside(dest, suffix=".tmp"):
    """A new empty file ``.<name>.<random><suffix>`` next to ``dest``, with the usual permissions."""
    folder = os.path.dirname(os.path.abspath(dest))
    fd, path = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(dest) + ".", suffix=suffix)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)  # mkstemp makes 0600; the output gets the usual permissions
    return path


def atomic_write(dest, write, suffix=".tmp"):
    """Call ``write(tmp_path)``, then rename ``tmp_path`` to ``dest``; returns ``dest``."""
    tmp = temp_path_beside(dest, suffix)
    try:
        write(tmp)
        os.replace(tmp, dest)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    return dest


def atomic_write_text(dest, text):
    """Write the string ``text`` to ``dest`` atomically (UTF-8, newlines as given); returns ``dest``."""
    def write(tmp):
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            f.write(text)

    return atomic_write(dest, write)

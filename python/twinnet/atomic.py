"""Atomic file writes (contract section 30; twin of ``R/atomic.R``): nothing is left half-written.

Every file twinnet writes (model files, converted image sets and their
reports, pictures, cost histories, the command line's output folders) is first
written to a temporary file in the destination's own folder -- the same file
system, so the final rename is atomic -- and renamed over the destination only
once it is complete. On any error, or an interrupt, the temporary file is
removed and an existing destination is left as it was.

* **One pattern.** Temporary files are named ``.twinnet-<pid>-<hex>-<name>.tmp``
  (:data:`TEMP_PATTERN`; ``<name>`` is the destination's name and what the file
  is for), in both languages.
* **Signals.** While one exists, SIGTERM and SIGINT first remove them, then do
  what they would have done (end the process, or Python's KeyboardInterrupt).
* **Stale ones** -- left by a process that was killed outright (``kill -9``),
  whose pid no longer runs -- are removed at the next write into the same folder.
* **Folders too.** ``twinnet train`` writes its whole output set into a
  temporary folder of the same pattern and swaps it in (:func:`swap_folder`:
  one atomic exchange of the two folders on Linux), so that ``out/`` always
  holds one complete run.
* **Faults in words.** The space a file needs is reserved when its temporary
  file is created (``posix_fallocate``), so a full disk, a read-only file
  system or a folder without write permission is answered in one line
  (:mod:`twinnet.files`) before anything is written; HDF5 files are then written
  into that reserved space (:func:`write_h5`), where HDF5 cannot meet a full disk
  (HDF5 1.10 can crash at exit after a write fails while a file closes).
"""

import ctypes
import os
import re
import secrets
import shutil
import signal
import threading

from . import files

#: ``.twinnet-<pid>-<hex>-<name>.tmp``: every temporary file twinnet makes (the same in R).
TEMP_PATTERN = re.compile(r"^\.twinnet-([0-9]+)-([0-9a-f]+)-(.*)\.tmp$", re.S)
#: What an HDF5 file needs beyond its data: superblock, object headers, heaps (generous).
H5_OVERHEAD = 16 * 1024
H5_PER_DATASET = 2 * 1024

_live = {}
_previous = {}
_lock = threading.Lock()
_SIGNALS = tuple(s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGINT", None)) if s is not None)


def temp_name(dest, role=""):
    """A new temporary file name for ``dest`` (not created): ``.twinnet-<pid>-<hex>-<name><role>.tmp``."""
    name = (os.path.basename(dest) + role)[:120]
    return f".twinnet-{os.getpid()}-{secrets.token_hex(4)}-{name}.tmp"


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True


def _remove_temp(path):
    """Remove a temporary file or folder (and what it holds); nothing if it is gone."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            os.remove(path)
        except OSError:
            pass


def sweep_stale(folder):
    """Remove the temporary files and folders in ``folder`` whose process no longer runs; returns how many."""
    try:
        entries = os.listdir(folder)
    except OSError:
        return 0
    removed = 0
    for entry in entries:
        m = TEMP_PATTERN.match(entry)
        if m and not _pid_alive(int(m.group(1))):
            _remove_temp(os.path.join(folder, entry))
            removed += not os.path.lexists(os.path.join(folder, entry))
    return removed


def _on_signal(signum, frame):
    with _lock:
        paths = list(_live)
    for path in paths:
        _remove_temp(path)
    previous = _previous.get(signum, signal.SIG_DFL)
    if callable(previous):
        previous(signum, frame)  # e.g. Python's default SIGINT handler: KeyboardInterrupt
    elif previous == signal.SIG_DFL:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)  # what the signal would have done


def _register(path):
    with _lock:
        _live[path] = True
        first = len(_live) == 1
    if first and threading.current_thread() is threading.main_thread():
        for s in _SIGNALS:
            try:
                current = signal.getsignal(s)
                if current is _on_signal or current == signal.SIG_IGN:
                    continue
                _previous[s] = current
                signal.signal(s, _on_signal)
            except (ValueError, OSError):  # not the main thread of the main interpreter
                pass


def _unregister(path):
    with _lock:
        _live.pop(path, None)
        last = not _live
    if last and threading.current_thread() is threading.main_thread():
        for s, previous in list(_previous.items()):
            try:
                if signal.getsignal(s) is _on_signal:
                    signal.signal(s, previous if previous is not None else signal.SIG_DFL)
            except (ValueError, OSError):
                pass
            _previous.pop(s, None)


def _reserve_fd(fd, nbytes):
    """Allocate ``nbytes`` to the open file (zeros written where posix_fallocate is missing)."""
    if nbytes <= 0:
        return
    if hasattr(os, "posix_fallocate"):
        os.posix_fallocate(fd, 0, int(nbytes))
        return
    at = os.fstat(fd).st_size
    os.lseek(fd, at, os.SEEK_SET)
    block = bytes(65536)
    while at < nbytes:
        at += os.write(fd, block[:int(min(len(block), nbytes - at))])


def reserve(path, nbytes):
    """Reserve ``nbytes`` for the existing file ``path`` (its content is kept); raises ``OSError``."""
    fd = os.open(path, os.O_WRONLY)
    try:
        _reserve_fd(fd, nbytes)
    finally:
        os.close(fd)


def _new_temp(dest, arg, expected, role, make):
    """``(path, make(path))`` for a new temporary name beside ``dest`` (stale ones swept first), watched.

    The name is watched before it is made: a signal between the two would otherwise end the process
    with the new file or folder left behind."""
    folder = os.path.dirname(os.path.abspath(dest))
    sweep_stale(folder)
    for _ in range(100):
        path = os.path.join(folder, temp_name(dest, role))
        _register(path)
        try:
            made = make(path)
        except FileExistsError:
            _unregister(path)
            continue
        except OSError as exc:
            _unregister(path)
            raise files.os_fault(arg, expected, dest, exc) from None
        return path, made
    raise files.fault(arg, expected, dest, "no free temporary name")  # pragma: no cover - 100 collisions


def create_temp(dest, arg, expected, role="", nbytes=0):
    """A new empty temporary file beside ``dest``, with ``nbytes`` reserved; returns its path.

    Stale temporary files of the folder are swept first. A fault (no folder,
    permission denied, read-only file system, no space left) is a
    :class:`twinnet.files.FileFault` naming ``arg``. The file is registered for
    removal on SIGTERM / SIGINT until :func:`discard_temp` or :func:`commit_temp`.
    """
    # the umask gives the usual permissions
    path, fd = _new_temp(dest, arg, expected, role, lambda p: os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        _reserve_fd(fd, nbytes)
    except OSError as exc:
        os.close(fd)
        discard_temp(path)
        raise files.os_fault(arg, expected, dest, exc) from None
    os.close(fd)
    return path


def discard_temp(path):
    """Remove a temporary file or folder (if it is still there) and stop watching it."""
    _remove_temp(path)
    _unregister(path)


def commit_temp(path, dest, arg, expected):
    """Rename the temporary file over ``dest`` (atomic); a fault is answered naming ``arg``."""
    try:
        os.replace(path, dest)
    except OSError as exc:
        discard_temp(path)
        raise files.os_fault(arg, expected, dest, exc) from None
    _unregister(path)


def atomic_write(dest, write, arg="path", expected="a file path in an existing folder", nbytes=0, role=""):
    """Call ``write(tmp_path)``, then rename ``tmp_path`` to ``dest``; returns ``dest``.

    ``nbytes`` is reserved for the file first (its expected size), so that a
    full disk is reported before anything is written. An ``OSError`` of
    ``write`` becomes a :class:`twinnet.files.FileFault` naming ``arg`` and
    ``dest``; any other error passes through. On error or interrupt the
    temporary file is removed and ``dest`` is left as it was.
    """
    tmp = create_temp(dest, arg, expected, role, nbytes)
    try:
        write(tmp)
    except files.FileFault:
        discard_temp(tmp)
        raise
    except OSError as exc:
        discard_temp(tmp)
        raise files.os_fault(arg, expected, dest, exc) from None
    except BaseException:
        discard_temp(tmp)
        raise
    commit_temp(tmp, dest, arg, expected)
    return dest


def atomic_write_text(dest, text, arg="path", expected="a file path in an existing folder"):
    """Write ``text`` (UTF-8) to ``dest`` atomically."""
    data = text.encode("utf-8")

    def write(tmp):
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())

    return atomic_write(dest, write, arg, expected, nbytes=len(data))


def h5_size(data_bytes, n_datasets):
    """What an HDF5 file of ``data_bytes`` of data in ``n_datasets`` datasets is given room for."""
    return float(data_bytes) + H5_OVERHEAD + H5_PER_DATASET * n_datasets


def write_h5(tmp, nbytes, fill):
    """Write an HDF5 file into ``tmp`` (a temporary file from :func:`create_temp`) by ``fill(h5file)``.

    HDF5 never meets a full disk: the file is created (the superblock, written
    into the space ``create_temp`` just reserved and the truncation freed),
    closed, given ``nbytes`` of room by :func:`reserve` -- an ``OSError`` there
    is a plain fault, with no HDF5 file open -- and reopened to be filled.
    HDF5 gives back what it did not use when it closes the file.
    """
    import h5py

    h5py.File(tmp, "w").close()
    reserve(tmp, nbytes)
    with h5py.File(tmp, "r+") as f:
        fill(f)


def create_temp_folder(dest, arg, expected):
    """A new empty temporary folder beside the folder ``dest`` (the same pattern), watched as
    :func:`create_temp`'s files are; a fault is a :class:`twinnet.files.FileFault` naming ``arg``."""
    return _new_temp(dest, arg, expected, "", os.mkdir)[0]


def _exchange(a, b):
    """Swap the two paths in one step (Linux renameat2 with RENAME_EXCHANGE); False where it cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def swap_folder(tmp, dest, arg, expected):
    """Put the complete temporary folder ``tmp`` in the place of the folder ``dest``.

    Where ``dest`` exists, the two are exchanged in one step (there is never
    a moment without a complete ``dest``) and the old one, now at ``tmp``, is
    removed; where the file system cannot exchange, the old one is first
    renamed to a temporary name of the pattern (swept if the process dies
    between the two renames).
    """
    try:
        if not os.path.lexists(dest):
            os.rename(tmp, dest)
        elif _exchange(tmp, dest):
            _remove_temp(tmp)
        else:
            old = os.path.join(os.path.dirname(os.path.abspath(dest)), temp_name(dest, ".old"))
            os.rename(dest, old)
            os.rename(tmp, dest)
            _remove_temp(old)
    except OSError as exc:
        discard_temp(tmp)
        raise files.os_fault(arg, expected, dest, exc) from None
    _unregister(tmp)
    return dest

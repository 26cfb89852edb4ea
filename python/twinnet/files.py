"""File-system and HDF5 faults, answered in one line (contract section 30; twin of ``R/files.R``).

Every file twinnet reads is checked here before any library touches it: it
must exist, be a regular file (a named pipe, a device or a socket would hang
a reader or feed it endless bytes), be readable, and -- for HDF5 -- carry the
HDF5 signature and be as long as its superblock says. Every fault is refused
with the contract section 12 message naming the user's argument, the path and
the reason in the words of :data:`REASONS` (the same words in R):

    `path`: expected an existing HDF5 file; got '/data/x.h5' (permission denied)

Python raises :class:`FileFault` (a ``ValueError`` and an ``OSError``:
``FileNotFoundError`` for a missing file, ``PermissionError`` for a denied
one), R an error of classes ``twinnet_file_error`` and ``twinnet_input_error``.
"""

import errno as _errno
import os
import re
import stat

from .validate import _path_text, input_error

#: errno names -> the words of a fault (the same table in R/files.R).
REASONS = {
    "ENOENT": "not found",
    "ENOTDIR": "not found (a part of the path is not a folder)",
    "EACCES": "permission denied",
    "EPERM": "permission denied",
    "EROFS": "read-only file system",
    "ENOSPC": "no space left",
    "EDQUOT": "no space left (disk quota exceeded)",
    "EFBIG": "no space left (file too large)",
    "EISDIR": "a folder, not a file",
    "ELOOP": "broken link (a loop of symbolic links)",
    "ENAMETOOLONG": "file name too long",
    "EIO": "input/output error",
    "EMFILE": "too many open files",
    "ENFILE": "too many open files",
    "ETXTBSY": "file busy",
    "EBUSY": "file busy",
    "EXDEV": "on another file system",
}

#: What a path that is not a regular file is (kinds of :func:`_path_kind`).
NOT_REGULAR = {"folder": "a folder, not a file", "fifo": "not a regular file (a named pipe)",
               "char_device": "not a regular file (a device)", "block_device": "not a regular file (a device)",
               "socket": "not a regular file (a socket)", "other": "not a regular file"}

HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"


class FileFault(ValueError, OSError):
    """A file-system or HDF5 fault (contract section 30): a ``ValueError`` and an ``OSError``."""


class FileMissing(FileFault, FileNotFoundError):
    """A file or folder that does not exist (also a ``FileNotFoundError``)."""


class FileDenied(FileFault, PermissionError):
    """A file or folder twinnet may not read or write (also a ``PermissionError``)."""


_CLASSES = {"ENOENT": FileMissing, "ENOTDIR": FileMissing, "EACCES": FileDenied, "EPERM": FileDenied}


def errno_name(code):
    """``errno.ENOENT`` -> ``"ENOENT"`` (None for None)."""
    return None if code is None else _errno.errorcode.get(code, f"E{code}")


def reason(name, detail=None):
    """The words of the errno ``name`` ("ENOSPC" -> "no space left"); unknown ones by ``detail`` or the name."""
    if name in REASONS:
        return REASONS[name]
    return (detail or name or "an unknown error").strip().rstrip(".").lower()


def fault(arg, expected, path, words, name=None):
    """The exception of a fault: ``\\`arg\\`: expected ...; got '<path>' (<words>)``."""
    cls = _CLASSES.get(name, FileFault)
    return input_error(arg, expected, f"'{os.fspath(path)}' ({words})", cls)


def os_fault(arg, expected, path, exc):
    """The exception of an ``OSError`` (or an HDF5 error that carries ``errno = N``)."""
    code = getattr(exc, "errno", None)
    if code is None:
        m = re.search(r"errno = ([0-9]+)", str(exc))
        code = int(m.group(1)) if m else None
    name = errno_name(code)
    detail = getattr(exc, "strerror", None) or (os.strerror(code) if code else _h5_error_text(exc))
    return fault(arg, expected, path, reason(name, detail), name)


def _h5_error_text(exc):
    text = " ".join(str(exc).split())
    return text[:200] if text else type(exc).__name__


def _path_kind(path):
    """``(kind, errno name)``: kind is "file", "folder", "fifo", "char_device", "block_device",
    "socket", "other", "broken_link" or "missing"; the errno name when stat failed."""
    try:
        st = os.stat(path)
    except OSError as exc:
        name = errno_name(exc.errno)
        if name == "ENOENT":
            try:
                if stat.S_ISLNK(os.lstat(path).st_mode):
                    return "broken_link", name
            except OSError:
                pass
        return "missing", name
    mode = st.st_mode
    for test, kind in ((stat.S_ISREG, "file"), (stat.S_ISDIR, "folder"), (stat.S_ISFIFO, "fifo"),
                       (stat.S_ISCHR, "char_device"), (stat.S_ISBLK, "block_device"), (stat.S_ISSOCK, "socket")):
        if test(mode):
            return kind, None
    return "other", None


def _existing(path, arg, expected, want):
    """``path`` as a str when it exists and is of the kind ``want`` ("file" or "folder"); else the fault."""
    path = _path_text(path, arg, expected)
    kind, name = _path_kind(path)
    if kind == "broken_link":
        raise fault(arg, expected, path, "broken link", "ENOENT")
    if kind == "missing":
        raise fault(arg, expected, path, reason(name), name)
    if kind != want:
        raise fault(arg, expected, path, NOT_REGULAR[kind] if want == "file" else "not a folder")
    return path


def check_path(path, arg, expected):
    """An existing, regular, readable file; returns ``path`` as a str, or raises a :class:`FileFault`."""
    path = _existing(path, arg, expected, "file")
    try:  # readable? (O_NONBLOCK: never waits, whatever the file turned into since the stat)
        os.close(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)))
    except OSError as exc:
        raise os_fault(arg, expected, path, exc) from None
    return path


def check_folder(folder, arg, expected):
    """An existing folder; returns it as a str, or raises a :class:`FileFault`."""
    return _existing(folder, arg, expected, "folder")


#: What a file to write must be (the same words in R).
OUTPUT_EXPECTED = "a file path in an existing folder"


def check_output_path(path, arg="path", expected=OUTPUT_EXPECTED):
    """A path to write: its folder exists, and it is not itself a folder or another non-regular file."""
    path = _path_text(path, arg, expected)
    folder = os.path.dirname(os.path.abspath(path))
    kind, name = _path_kind(folder)
    if kind != "folder":
        raise fault(arg, expected, path, f"no folder {folder}" if kind in ("missing", "broken_link")
                    else f"{folder} is not a folder", "ENOENT")
    kind, _ = _path_kind(path)
    if kind not in ("file", "missing", "broken_link"):
        raise fault(arg, expected, path, NOT_REGULAR[kind])
    return path


def h5_probe(path):
    """None for a file that looks like a whole HDF5 file; otherwise the words of what is wrong.

    The signature is searched at 0, 512, 1024, 2048, ... (HDF5 allows a user
    block before it); the superblock's end-of-file address (versions 0 to 3)
    must not lie beyond the file's end. HDF5 itself refuses such a file, but
    with a stack of library errors; this check says it in words first.
    """
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        offset = 0
        while offset + 8 <= size:
            f.seek(offset)
            if f.read(8) == HDF5_SIGNATURE:
                head = f.read(120)
                return _superblock_words(head, offset, size)
            offset = 512 if offset == 0 else 2 * offset
    return "not an HDF5 file"


def _superblock_words(head, offset, size):
    """What is wrong with the superblock that follows the signature at ``offset`` (None: nothing)."""
    if len(head) < 4:
        return _truncated_words(size, None)
    version = head[0]
    if version in (0, 1):
        o = head[5]
        base_at = 16 if version == 0 else 20
    elif version in (2, 3):
        o = head[1]
        base_at = 4
    else:
        return f"not an HDF5 file (superblock version {version})"
    at = base_at + 2 * o
    if o not in (2, 4, 8, 16):
        return "not an HDF5 file"
    if len(head) < at + o:
        return _truncated_words(size, None)
    base = int.from_bytes(head[base_at:base_at + o], "little")
    eof = int.from_bytes(head[at:at + o], "little")
    if eof == 2 ** (8 * o) - 1:  # undefined address
        return None
    need = (base if base else offset) + eof
    return _truncated_words(size, need) if need > size else None


def _truncated_words(size, need):
    return ("a truncated HDF5 file" if need is None
            else f"a truncated HDF5 file: {size} of its {need} bytes")


def check_h5_file(path, arg, expected):
    """An existing, readable, whole HDF5 file; returns ``path``, or raises a :class:`FileFault`."""
    path = check_path(path, arg, expected)
    try:
        words = h5_probe(path)
    except OSError as exc:
        raise os_fault(arg, expected, path, exc) from None
    if words is not None:
        raise fault(arg, expected, path, words)
    return path


def open_h5(path, arg, expected):
    """``h5py.File(path, "r")`` after :func:`check_h5_file`; an HDF5 error is answered in one line."""
    import h5py

    path = check_h5_file(path, arg, expected)
    try:
        return h5py.File(path, "r")
    except OSError as exc:
        raise fault(arg, expected, path, f"truncated or not an HDF5 file: {_h5_error_text(exc)}") from None


def h5_link_state(group, key):
    """How ``key`` (``"a"`` or ``"a/b"``) resolves in an open h5py group: "dataset", "group", "other",
    "broken link" or "missing" -- without raising, whatever the file holds."""
    import h5py

    parts = [p for p in key.split("/") if p]
    node = group
    for k, part in enumerate(parts):
        try:
            link = node.get(part, getlink=True)
        except (KeyError, OSError, RuntimeError, TypeError, ValueError):
            return "missing"
        if link is None:
            return "missing"
        try:
            obj = node.get(part)
        except (KeyError, OSError, RuntimeError, ValueError):
            obj = None
        if obj is None:
            return "broken link" if isinstance(link, (h5py.SoftLink, h5py.ExternalLink)) else "missing"
        if k < len(parts) - 1:
            if not isinstance(obj, h5py.Group):
                return "missing"
            node = obj
        else:
            if isinstance(obj, h5py.Dataset):
                return "dataset"
            return "group" if isinstance(obj, h5py.Group) else "other"
    return "missing"


def h5_datasets(group):
    """The names of the datasets directly in ``group``, in code-point order (broken links left out)."""
    names = []
    for name in group:
        if h5_link_state(group, name) == "dataset":
            names.append(name)
    return sorted(names)

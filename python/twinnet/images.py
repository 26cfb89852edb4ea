"""Image files: the decoding rules, the shared area-average resize, folder conversion, own-image prediction.

Contract sections 16 to 18; twin of ``R/images.R``. Pillow decodes; every
decision that is not decoding -- which files are accepted, converted or
dropped, how grey, palette, alpha and 16-bit pixels become 8-bit RGB, the
resize, the shuffle and split -- is integer arithmetic written out in the
contract and implemented identically in R, so that the same decoded pixels
give bit-identical output in both languages.
"""

import io
import json
import os
import re
import stat
import sys
import time
import warnings

import numpy as np

from . import files
from .atomic import commit_temp, create_temp, discard_temp, h5_size, write_h5
from .data import train_test_split_indices
from .files import check_folder, check_output_path, check_path
from .limits import check_memory, image_need, memory_limit
from .model import predict_proba
from .validate import (
    check_count,
    check_flag,
    check_fraction,
    check_matrix,
    check_parameters,
    check_seed,
    describe,
    input_error,
)

#: Why a file is dropped, in the order the rules are applied (contract section 16).
DROP_REASONS = ("unreadable", "empty", "not_an_image", "unsupported_format", "truncated", "too_large", "too_small",
                "cmyk", "unsupported_mode")
#: What is converted to 8-bit RGB (the file is kept and listed under each conversion it needed).
CONVERSIONS = ("grayscale", "palette", "alpha", "sixteen_bit")

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: Leading bytes of the image formats that are recognised but not used.
_OTHER_FORMATS = (b"GIF87a", b"GIF89a", b"BM", b"II*\x00", b"MM\x00*")
#: A JPEG marker: 0xFF followed by a byte other than 0x00 (stuffing), 0xD0-0xD7 (restart) or 0xFF (fill).
_JPEG_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}

_LOAD_EXPECTED = "a readable JPEG or PNG image (RGB, grayscale or palette; see docs/contract.md section 16)"


class _Rejected(Exception):
    def __init__(self, reason, detail):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


# -- header and structure (the same walk in R) ---------------------------------

def _be16(data, pos):
    return (data[pos] << 8) | data[pos + 1]


def _be32(data, pos):
    return (data[pos] << 24) | (data[pos + 1] << 16) | (data[pos + 2] << 8) | data[pos + 3]


def _sniff_jpeg(data):
    n = len(data)
    pos = 2
    sof = None
    scans = 0
    while True:
        if pos >= n:
            raise _Rejected("truncated", "the file ends before the end-of-image marker")
        if data[pos] != 0xFF:  # stray bytes between segments: skip to the next marker, as libjpeg does
            found = _JPEG_MARKER.search(data, pos)
            if found is None:
                raise _Rejected("truncated", "the file ends before the end-of-image marker")
            pos = found.start()
        while pos < n and data[pos] == 0xFF:
            pos += 1
        if pos >= n:
            raise _Rejected("truncated", "the file ends before the end-of-image marker")
        marker = data[pos]
        pos += 1
        if marker == 0xD9:
            break
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            continue
        if pos + 2 > n:
            raise _Rejected("truncated", "the file ends inside a segment header")
        length = _be16(data, pos)
        if length < 2 or pos + length > n:
            raise _Rejected("truncated", "the file ends inside a segment")
        if marker in _JPEG_SOF and sof is None:
            if length < 8:
                raise _Rejected("truncated", "damaged frame header")
            sof = {"precision": data[pos + 2], "height": _be16(data, pos + 3),
                   "width": _be16(data, pos + 5), "components": data[pos + 7]}
        pos += length
        if marker == 0xDA:
            scans += 1
            found = _JPEG_MARKER.search(data, pos)
            if found is None:
                raise _Rejected("truncated", "the file ends inside the image data")
            pos = found.start()
    if sof is None or scans == 0:
        raise _Rejected("truncated", "no frame header or no image data before the end-of-image marker")
    if sof["width"] == 0 or sof["height"] == 0:
        raise _Rejected("truncated", "a frame header with a zero dimension")
    return {"format": "JPEG", "width": sof["width"], "height": sof["height"],
            "components": sof["components"], "precision": sof["precision"]}


def _sniff_png(data):
    n = len(data)
    pos = 8
    ihdr = None
    trns = False
    while True:
        if pos + 8 > n:
            raise _Rejected("truncated", "the file ends before the IEND chunk")
        length = _be32(data, pos)
        ctype = bytes(data[pos + 4:pos + 8])
        if pos + 12 + length > n:
            raise _Rejected("truncated", "the file ends inside a chunk")
        if ihdr is None:
            if ctype != b"IHDR" or length < 13:
                raise _Rejected("truncated", "damaged header: no IHDR chunk first")
            ihdr = {"width": _be32(data, pos + 8), "height": _be32(data, pos + 12),
                    "depth": data[pos + 16], "color_type": data[pos + 17]}
        elif ctype == b"tRNS":
            trns = True
        elif ctype == b"IEND":
            break
        pos += 12 + length
    if ihdr["width"] == 0 or ihdr["height"] == 0:
        raise _Rejected("truncated", "a header with a zero dimension")
    return {"format": "PNG", "width": ihdr["width"], "height": ihdr["height"],
            "depth": ihdr["depth"], "color_type": ihdr["color_type"], "trns": trns}


def _sniff_image(data, min_side, max_pixels, size):
    """Rules 1 to 6 of contract section 16, from the file's bytes alone."""
    if len(data) == 0:
        raise _Rejected("empty", "zero bytes")
    if data[:3] == b"\xff\xd8\xff":
        info = _sniff_jpeg(data)
    elif data[:8] == _PNG_SIGNATURE:
        info = _sniff_png(data)
    elif any(data[:len(sig)] == sig for sig in _OTHER_FORMATS) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        raise _Rejected("unsupported_format", "an image format other than JPEG or PNG")
    else:
        raise _Rejected("not_an_image", "neither JPEG nor PNG data")
    w, h = info["width"], info["height"]
    if w * h > max_pixels:
        raise _Rejected("too_large", f"{w} x {h} pixels, more than max_pixels = {max_pixels}")
    if image_need(size, w, h) > memory_limit():
        raise _Rejected("too_large", f"{w} x {h} pixels, more than the memory limit allows (TWINNET_MEMORY_LIMIT)")
    if min(w, h) < min_side:
        raise _Rejected("too_small", f"{w} x {h} pixels, a side below min_side = {min_side}")
    conversions = []
    if info["format"] == "JPEG":
        if info["precision"] != 8:
            raise _Rejected("unsupported_mode", f"{info['precision']}-bit JPEG samples")
        if info["components"] == 4:
            raise _Rejected("cmyk", "4 colour components (CMYK or YCCK)")
        if info["components"] not in (1, 3):
            raise _Rejected("unsupported_mode", f"{info['components']} colour components")
        if info["components"] == 1:
            conversions.append("grayscale")
    else:
        ct, depth = info["color_type"], info["depth"]
        if ct not in (0, 2, 3, 4, 6):
            raise _Rejected("truncated", f"damaged header: colour type {ct}")
        if depth == 16 and info["trns"] and ct in (0, 2):
            raise _Rejected("unsupported_mode", "a 16-bit PNG with a transparent colour key")
        if ct in (0, 4):
            conversions.append("grayscale")
        if ct == 3:
            conversions.append("palette")
        if ct in (4, 6) or info["trns"]:
            conversions.append("alpha")
        if depth == 16:
            conversions.append("sixteen_bit")
    info["conversions"] = conversions
    return info


# -- decoding (Pillow) and conversion to 8-bit RGB ------------------------------

def _composite_white(rgb, alpha):
    """``(c * a + 255 * (255 - a) + 127) // 255``: over a white background, rounded to nearest."""
    rgb = rgb.astype(np.int64)
    a = alpha.astype(np.int64)[..., None]
    return ((rgb * a + 255 * (255 - a) + 127) // 255).astype(np.uint8)


def _decode_pixels(data, info, size, reduce_jpeg):
    """Decode with Pillow into (H, W, 3) uint8 following the conversion rules."""
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            im = Image.open(io.BytesIO(data))
            if info["format"] == "JPEG" and reduce_jpeg:
                im.draft(im.mode, (size, size))
            im.load()
        except Image.DecompressionBombError as exc:
            raise _Rejected("too_large", str(exc)) from None
        except Exception as exc:  # anything the decoder refuses: damaged data
            raise _Rejected("truncated", f"the decoder failed: {exc}") from None
        mode = im.mode
        alpha = None
        if info["format"] == "JPEG":
            if mode not in ("RGB", "L"):
                raise _Rejected("unsupported_mode", f"decoded as {mode}")
            arr = np.asarray(im)
        else:
            depth = info["depth"]
            key = im.info.get("transparency") if info["trns"] and info["color_type"] in (0, 2) else None
            if mode in ("P", "PA"):
                arr = np.asarray(im.convert("RGBA" if (info["trns"] or mode == "PA") else "RGB"))
            elif mode == "1":
                arr = np.asarray(im.convert("L"))
            elif mode in ("I", "I;16", "I;16B", "I;16L", "I;16N"):
                arr = (np.asarray(im).astype(np.int64) >> 8).astype(np.uint8)
            elif mode in ("L", "LA", "RGB", "RGBA"):
                arr = np.asarray(im)
            else:
                raise _Rejected("unsupported_mode", f"decoded as {mode}")
            if key is not None:  # colour key (tRNS of grey or RGB PNGs, 8 bits or fewer)
                if info["color_type"] == 0:
                    level = int(key) * (255 // (2 ** depth - 1))
                    alpha = np.where(arr == level, 0, 255)
                else:
                    alpha = np.where(np.all(arr == np.asarray(key, dtype=arr.dtype), axis=2), 0, 255)
    if arr.ndim == 3 and arr.shape[2] in (2, 4):
        alpha = arr[..., -1]
        arr = arr[..., :-1]
    if arr.ndim == 2:
        arr = arr[..., None]
    if arr.shape[2] == 1:
        arr = np.repeat(arr, 3, axis=2)
    if alpha is not None:
        arr = _composite_white(arr, alpha)
    if not (info["format"] == "JPEG" and reduce_jpeg) and arr.shape[:2] != (info["height"], info["width"]):
        raise _Rejected("truncated", f"decoded {arr.shape[1]} x {arr.shape[0]}, the header says "
                                     f"{info['width']} x {info['height']}")
    return np.ascontiguousarray(arr, dtype=np.uint8)


def _read_image_file(path, size, reduce_jpeg, min_side, max_pixels):
    """(pixels (size, size, 3) uint8, conversions) or raise _Rejected."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO put in its place: no wait
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise _Rejected("unreadable", files.NOT_REGULAR.get(files._path_kind(path)[0], "not a regular file"))
            if 2 * st.st_size > memory_limit():
                raise _Rejected("too_large", f"a file of {st.st_size} bytes, more than the memory limit allows")
            data = f.read()
    except OSError as exc:
        raise _Rejected("unreadable", files.reason(files.errno_name(exc.errno), exc.strerror)) from None
    info = _sniff_image(data, min_side, max_pixels, size)
    pixels = _decode_pixels(data, info, size, reduce_jpeg)
    return _resize_pixels(pixels, size), info["conversions"]


# -- the area-average resize ------------------------------------------------------

def _area_sums(a, size):
    """Area sums along axis 0: ``out[i] = sum_y overlap(i, y) * a[y]`` for the ``n`` rows of ``a``.

    In units where an input row is ``size`` long and an output row ``n``
    long, output row i covers [i*n, (i+1)*n) and input row y covers
    [y*size, (y+1)*size). With ``F(t) = size * sum_{y < t // size} a[y] +
    (t mod size) * a[t // size]`` (the weighted sum over [0, t)),
    ``out[i] = F((i+1)*n) - F(i*n)``. Integer arithmetic throughout.
    """
    n = a.shape[0]
    q, r = np.divmod(np.arange(size + 1, dtype=np.int64) * n, size)   # q[0] = 0, q[size] = n
    blocks = np.add.reduceat(a, q[:-1], axis=0, dtype=np.int64)        # rows q[i] .. q[i+1]-1
    blocks[q[1:] == q[:-1]] = 0                                        # reduceat gives a[q[i]] there
    c = np.zeros((size + 1,) + a.shape[1:], dtype=np.int64)
    np.cumsum(blocks, axis=0, out=c[1:])                               # c[i] = sum of rows < q[i]
    r = r.reshape((-1,) + (1,) * (a.ndim - 1))
    F = size * c + r * a[np.minimum(q, n - 1)].astype(np.int64)        # r = 0 where q = n
    return F[1:] - F[:-1]


def _resize_pixels(pixels, size):
    h, w = pixels.shape[:2]
    rows = _area_sums(pixels, size)                                   # (size, w, 3), weights sum to h
    num = _area_sums(rows.transpose(1, 0, 2), size).transpose(1, 0, 2)  # (size, size, 3), weights h * w
    hw = h * w
    return ((2 * num + hw) // (2 * hw)).astype(np.uint8)


def resize_area(pixels, size):
    """Resize an RGB image to ``size x size`` by area averaging, exactly (contract section 16).

    Output pixel (i, j) is the average of the input over the rectangle it
    covers, each input pixel weighted by its overlap (a stretch: the aspect
    ratio is not kept), rounded half up. All arithmetic is on integers, so
    the R twin gives the same bytes.

    Parameters
    ----------
    pixels : ndarray of shape (height, width, 3)
        Whole numbers 0..255 (any integer or float dtype).
    size : int
        The output side, at least 1.

    Returns
    -------
    ndarray of shape (size, size, 3), uint8
    """
    expected = "an array of shape (height, width, 3) of whole numbers 0..255"
    if not isinstance(pixels, np.ndarray) or pixels.dtype.kind not in "iuf":
        raise input_error("pixels", expected, describe(pixels), TypeError)
    if pixels.ndim != 3 or pixels.shape[2] != 3 or pixels.shape[0] < 1 or pixels.shape[1] < 1:
        raise input_error("pixels", expected, f"shape {tuple(pixels.shape)}")
    if not np.all((pixels >= 0) & (pixels <= 255) & (pixels == np.floor(pixels))):
        raise input_error("pixels", expected, "other values")
    size = check_count(size, "size", minimum=1)
    check_memory(image_need(size, pixels.shape[1], pixels.shape[0]), "size", f"{size} x {size} pixels")
    return _resize_pixels(pixels.astype(np.uint8), size)


# -- one image --------------------------------------------------------------------

def _check_size_of_images(size):
    """The output side: a whole number >= 1 whose images fit in the memory limit (contract section 29)."""
    size = check_count(size, "size", minimum=1)
    check_memory(image_need(size), "size", f"{size} x {size} pixels")
    return size


def _check_limits(min_side, max_pixels):
    min_side = check_count(min_side, "min_side", minimum=1)
    max_pixels = check_count(max_pixels, "max_pixels", minimum=1)
    return min_side, max_pixels


def load_image(path, size=64, reduce_jpeg=False, min_side=8, max_pixels=25_000_000):
    """One image file as the converter would store it: ``(size, size, 3)`` uint8.

    The file goes through the rules of contract section 16 (format, structure,
    dimensions, colour), is decoded, converted to 8-bit RGB and resized with
    :func:`resize_area`.

    Parameters
    ----------
    path : str or path-like
        A JPEG or PNG file.
    size : int, default 64
    reduce_jpeg : bool, default False
        Let Pillow decode a JPEG at a reduced scale (1/2, 1/4 or 1/8, both
        sides still at least ``size``); faster, but the pixels then differ
        from the R twin's, which always decodes at full size.
    min_side : int, default 8
        Images with a side below this are refused ("too_small").
    max_pixels : int, default 25_000_000
        Images with more pixels (width x height, from the header, before
        decoding) are refused ("too_large").

    Returns
    -------
    ndarray of shape (size, size, 3), uint8, pixel (h, w, c)
        Raises ValueError naming ``path`` and the reason when the file is refused.
    """
    path = check_path(path, "path", "an existing image file")
    size = _check_size_of_images(size)
    reduce_jpeg = check_flag(reduce_jpeg, "reduce_jpeg")
    min_side, max_pixels = _check_limits(min_side, max_pixels)
    try:
        return _read_image_file(path, size, reduce_jpeg, min_side, max_pixels)[0]
    except _Rejected as exc:
        raise input_error("path", _LOAD_EXPECTED, f"{path!r}: {exc.reason} ({exc.detail})") from None


def predict_image(path, parameters, hidden_activation="relu", size=64, reduce_jpeg=False,
                  feature_mean=None, feature_sd=None):
    """Classify one image file (the course's "test with your own image").

    The file is read with :func:`load_image` (same rules and resize as
    :func:`convert_image_folder`), flattened in C order of (height, width,
    channel) into a ``(3 * size^2, 1)`` column and scaled like the training
    data: divided by 255, or ``(x - feature_mean) / feature_sd`` on the raw
    pixels when both are given (from :func:`twinnet.data.feature_stats`).

    Parameters
    ----------
    path : str or path-like
    parameters : dict
        Trained parameters whose ``W1`` has ``3 * size^2`` columns.
    hidden_activation : str, default "relu"
    size : int, default 64
    reduce_jpeg : bool, default False
        See :func:`load_image`.
    feature_mean, feature_sd : ndarray of shape (3 * size^2, 1), optional

    Returns
    -------
    (probability, class)
        ``probability`` (float) of class 1 and ``class`` (int): 1 if
        ``probability > 0.5``, else 0 (R: ``list(probability, class)``,
        contract section 18). The R twin gives the same class and a
        probability within 1e-12 (relative).
    """
    size = _check_size_of_images(size)
    dims = check_parameters(parameters)
    n_x = 3 * size * size
    if dims[0] != n_x:
        raise input_error("size", f"the side s of the training images, with 3 * s^2 = {dims[0]} (the columns of W1)",
                          describe(size))
    if (feature_mean is None) != (feature_sd is None):
        raise input_error("feature_sd" if feature_sd is None else "feature_mean",
                          "both feature_mean and feature_sd, or neither", "only one of them")
    if feature_mean is not None:
        feature_mean = check_matrix(feature_mean, "feature_mean")
        feature_sd = check_matrix(feature_sd, "feature_sd")
        for arg, v in (("feature_mean", feature_mean), ("feature_sd", feature_sd)):
            if v.shape != (n_x, 1):
                raise input_error(arg, f"shape ({n_x}, 1)", f"shape {tuple(v.shape)}")
        if np.any(feature_sd <= 0):
            raise input_error("feature_sd", "positive values (standard deviations; feature_stats() gives 1 for "
                              "a constant feature)", f"{int(np.count_nonzero(feature_sd <= 0))} value(s) <= 0")
    pixels = load_image(path, size=size, reduce_jpeg=reduce_jpeg)
    x = pixels.reshape(n_x, 1).astype(np.float64)
    x = x / 255.0 if feature_mean is None else (x - feature_mean) / feature_sd
    p = float(predict_proba(x, parameters, hidden_activation)[0, 0])
    return p, int(p > 0.5)


# -- folder conversion --------------------------------------------------------------

def _list_class_files(src, classes):
    """(classes, [(relative path, label), ...]) in label order, then file-name order.

    Only regular files are listed (a named pipe, a device or a socket, or a
    link to one, is not a file to read); names are compared by code point.
    """
    entries = sorted(os.listdir(src))
    subfolders = [e for e in entries if files._path_kind(os.path.join(src, e))[0] == "folder"]
    if classes is None:
        if len(subfolders) != 2:
            got = f"{len(subfolders)} subfolder(s)" + (": " + ", ".join(f'"{s}"' for s in subfolders) if subfolders else "")
            raise input_error("src", "exactly 2 class subfolders (or `classes` naming 2 of them)", got)
        classes = subfolders
    else:
        if isinstance(classes, str) or not isinstance(classes, (list, tuple)) or len(classes) != 2 \
                or not all(isinstance(c, str) for c in classes) or classes[0] == classes[1] \
                or not all(c in subfolders for c in classes):
            raise input_error("classes", "2 distinct names of subfolders of `src`, in label order (0, 1)",
                              describe(classes) if not isinstance(classes, (list, tuple)) else repr(list(classes)))
        classes = list(classes)
    listed = []
    for label, name in enumerate(classes):
        folder = os.path.join(src, name)
        names = sorted(e for e in os.listdir(folder) if files._path_kind(os.path.join(folder, e))[0] == "file")
        if not names:
            raise input_error("src", "at least one file in every class folder", f'an empty class folder "{name}"')
        listed.extend((f"{name}/{e}", label) for e in names)
    return classes, listed


def _format_report(report):
    lines = [f"convert_image_folder: {report['kept']} of {report['files']} files kept "
             f"(train {report['n_train']}, test {report['n_test']}), {report['size']}x{report['size']}, "
             f"classes {', '.join(f'{i} = {c}' for i, c in enumerate(report['classes']))}",
             f"  written to {report['dest']}"]
    for what, keys in (("dropped", DROP_REASONS), ("converted", CONVERSIONS)):
        counts, files = report[what], report[f"{what}_files"]
        total = sum(counts.values())
        lines.append(f"  {what} {total}" + (":" if total else ""))
        for key in keys:
            if counts[key]:
                lines.append(f"    {key} ({counts[key]}):")
                lines.extend(f"      {p}" for p in files[key])
    lines.append(f"  report: {report['report']}")
    return "\n".join(lines)


#: What convert_image_folder's `dest` must be (the same words in R).
CONVERT_DEST = "a file path in an existing folder"


def convert_image_folder(src, dest, size=64, test_fraction=0.15, seed=1, classes=None, reduce_jpeg=True,
                         min_side=8, max_pixels=25_000_000, verbose=True):
    """Convert a folder of class subfolders of images into one HDF5 file in the cat / non-cat layout.

    Every file of ``src/<class>/`` is read by the rules of contract section 16
    (dropped files are counted and listed by reason; grey, palette, alpha and
    16-bit images are converted to 8-bit RGB), resized to ``size x size`` by
    :func:`resize_area`, and the kept images are shuffled and split by
    :func:`twinnet.data.train_test_split_indices`. Images are streamed: each
    is decoded, resized and appended to a scratch file next to ``dest``, so
    only one decoded image is in memory at a time; the HDF5 file is then
    written in blocks to a temporary file and renamed to ``dest`` (an
    interrupted conversion leaves no ``dest``). The report is written to
    ``dest + ".report.json"`` the same way.

    Parameters
    ----------
    src : str or path-like
        A folder with one subfolder per class (e.g. ``Cat/`` and ``Dog/``).
        Regular files directly in a class folder are read (nested folders are
        ignored), in code-point order of their names.
    dest : str or path-like
        The HDF5 file to write (replaced if it exists); its folder must exist.
    size : int, default 64
        Side of the square output images (the cat/non-cat files' side is 64).
    test_fraction : float, default 0.15
        Share of the kept images put in the test set, in (0, 1).
    seed : int, default 1
        Seed of the portable shuffle.
    classes : list of 2 str, optional
        The two class subfolders in label order (``classes[0]`` gets label
        0). Default: the subfolders of ``src``, which must be exactly two,
        in code-point order of their names (``["Cat", "Dog"]``: Cat = 0,
        Dog = 1).
    reduce_jpeg : bool, default True
        Let Pillow decode JPEGs at a reduced scale (1/2, 1/4, 1/8, both sides
        still >= size): much faster on large photos. The R twin cannot, and
        always decodes at full size: pass False for output identical to R's.
    min_side : int, default 8
        Images with a side below this are dropped ("too_small").
    max_pixels : int, default 25_000_000
        Images with more pixels than this (from the header) are dropped
        unread ("too_large").
    verbose : bool, default True
        Print progress to stderr and the report to stdout.

    Returns
    -------
    dict
        The report: ``src``, ``dest``, ``report`` (its JSON path), ``size``,
        ``test_fraction``, ``seed``, ``reduce_jpeg``, ``classes``, ``files``,
        ``kept``, ``kept_per_class``, ``n_train``, ``n_test``, ``dropped``
        and ``converted`` (counts per reason / conversion) and
        ``dropped_files``, ``converted_files`` (relative paths
        ``"<class>/<file>"`` per reason / conversion).
    """
    src = check_folder(src, "src", "an existing folder with one subfolder per class")
    dest = check_output_path(dest, "dest", CONVERT_DEST)
    size = _check_size_of_images(size)
    test_fraction = check_fraction(test_fraction)
    seed = check_seed(seed)
    reduce_jpeg = check_flag(reduce_jpeg, "reduce_jpeg")
    min_side, max_pixels = _check_limits(min_side, max_pixels)
    verbose = check_flag(verbose, "verbose")
    classes, listed = _list_class_files(src, classes)

    start = time.time()
    n = len(listed)
    every = max(100, n // 20)
    labels = []
    dropped = {r: [] for r in DROP_REASONS}
    converted = {c: [] for c in CONVERSIONS}
    image_bytes = 3 * size * size
    scratch = create_temp(dest, "dest", CONVERT_DEST, ".scratch", nbytes=n * image_bytes)
    tmp_h5 = tmp_json = None
    try:
        with open(scratch, "r+b") as out:
            for k, (rel, label) in enumerate(listed, start=1):
                try:
                    pixels, conv = _read_image_file(os.path.join(src, rel), size, reduce_jpeg, min_side, max_pixels)
                except _Rejected as exc:
                    dropped[exc.reason].append(rel)
                else:
                    out.write(pixels.tobytes())
                    labels.append(label)
                    for c in conv:
                        converted[c].append(rel)
                if verbose and (k % every == 0 or k == n):
                    print(f"convert_image_folder: {k}/{n} files read, {len(labels)} kept, "
                          f"{time.time() - start:.1f} s", file=sys.stderr, flush=True)
        labels = np.asarray(labels, dtype=np.int64)
        kept_per_class = {c: int(np.count_nonzero(labels == i)) for i, c in enumerate(classes)}
        for c, k in kept_per_class.items():
            if k == 0:
                raise input_error("src", "at least one usable image in every class folder",
                                  f'none in "{c}" (all its files were dropped)')
        m = labels.size
        train, test = train_test_split_indices(m, test_fraction, seed)
        pix = np.memmap(scratch, dtype=np.uint8, mode="r", shape=(m, size, size, 3))
        block = max(1, (64 << 20) // image_bytes)
        encoded = [c.encode("utf-8") for c in classes]
        nbytes = h5_size(m * (image_bytes + 8) + 2 * max(len(e) for e in encoded), 5)
        tmp_h5 = create_temp(dest, "dest", CONVERT_DEST, "", nbytes=nbytes)

        def fill(f):
            for name, idx in (("train", train), ("test", test)):
                ds = f.create_dataset(f"{name}_set_x", shape=(idx.size, size, size, 3), dtype=np.uint8)
                for a in range(0, idx.size, block):
                    ds[a:a + block] = pix[idx[a:a + block]]
                f.create_dataset(f"{name}_set_y", data=labels[idx])
            f.create_dataset("list_classes", data=np.array(encoded, dtype=f"S{max(len(e) for e in encoded)}"))

        write_h5(tmp_h5, nbytes, fill)
        del pix
        report_path = dest + ".report.json"
        report = {
            "src": src, "dest": dest, "report": report_path, "size": size, "test_fraction": test_fraction,
            "seed": seed, "reduce_jpeg": reduce_jpeg, "classes": list(classes), "files": n, "kept": int(m),
            "kept_per_class": kept_per_class, "n_train": int(train.size), "n_test": int(test.size),
            "dropped": {r: len(v) for r, v in dropped.items()},
            "converted": {c: len(v) for c, v in converted.items()},
            "dropped_files": dropped, "converted_files": converted,
        }
        text = (json.dumps(report, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        tmp_json = create_temp(report_path, "dest", CONVERT_DEST, "", nbytes=len(text))
        with open(tmp_json, "r+b") as f:
            f.write(text)
            f.truncate()
        commit_temp(tmp_json, report_path, "dest", CONVERT_DEST)  # before the data set is renamed into place
        tmp_json = None
        commit_temp(tmp_h5, dest, "dest", CONVERT_DEST)
        tmp_h5 = None
    except OSError as exc:
        if isinstance(exc, files.FileFault):
            raise
        raise files.os_fault("dest", CONVERT_DEST, dest, exc) from None
    finally:
        for p in (scratch, tmp_h5, tmp_json):
            if p is not None:
                discard_temp(p)
    if verbose:
        print(_format_report(report), flush=True)
    return report

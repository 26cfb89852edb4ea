"""Check that a file is a real, non-empty PNG picture (used by the plot and CLI tests)."""

import struct
import zlib

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _pixels(path):
    """The decoded pixels as an array (Pillow if available, else matplotlib)."""
    try:
        from PIL import Image
    except ImportError:
        Image = None
    if Image is not None:
        with Image.open(path) as im:
            return np.asarray(im.convert("RGB"))
    import matplotlib.image
    return np.asarray(matplotlib.image.imread(path))


def check_png(path, min_colours=3):
    """Assert: PNG signature, an IHDR chunk with width and height > 0 (and a valid CRC), pixels that
    decode to that size, and at least ``min_colours`` distinct colours (not a blank picture).
    Returns (width, height)."""
    data = open(path, "rb").read()
    assert data[:8] == SIGNATURE, f"{path}: not a PNG file (signature {data[:8]!r})"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13, f"{path}: the first chunk is {kind!r}, not IHDR"
    ihdr = data[16:29]
    (crc,) = struct.unpack(">I", data[29:33])
    assert zlib.crc32(kind + ihdr) == crc, f"{path}: IHDR checksum mismatch"
    width, height = struct.unpack(">II", ihdr[:8])
    assert width > 0 and height > 0, f"{path}: empty image {width}x{height}"
    assert b"IEND" in data[-12:], f"{path}: truncated (no IEND chunk at the end)"
    pixels = _pixels(path)
    assert pixels.shape[:2] == (height, width), f"{path}: decoded {pixels.shape[:2]}, IHDR says {(height, width)}"
    colours = np.unique(pixels.reshape(-1, pixels.shape[-1] if pixels.ndim == 3 else 1), axis=0)
    assert len(colours) >= min_colours, f"{path}: only {len(colours)} colour(s): a blank picture"
    return width, height

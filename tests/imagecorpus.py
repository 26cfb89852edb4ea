"""Generated image files for the image tests: good pictures and a corpus of bad ones.

``make_corpus(root)`` writes ``root/Cat`` and ``root/Dog`` and returns what the
rules of docs/contract.md section 16 must do with each file: ``DROPPED``
(file -> reason) and ``KEPT`` (file -> the conversions it needs). The files are
built with Pillow or byte by byte (16-bit PNGs, damaged headers), never with
the code under test.
"""

import io
import struct
import zlib

import numpy as np
from PIL import Image


def smooth_rgb(rng, h, w):
    """A smooth random RGB picture (JPEG-friendly), uint8 (h, w, 3)."""
    base = rng.integers(0, 256, (4, 5, 3)).astype(np.uint8)
    return np.asarray(Image.fromarray(base).resize((w, h), Image.BILINEAR))


def jpeg_bytes(arr, **kw):
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="JPEG", quality=kw.pop("quality", 90), **kw)
    return buf.getvalue()


def png_bytes(img, **kw):
    buf = io.BytesIO()
    img.save(buf, format="PNG", **kw)
    return buf.getvalue()


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def raw_png(arr, color_type, depth, extra_chunks=()):
    """A PNG written byte by byte: ``arr`` (h, w[, c]) of samples, big-endian for 16 bits."""
    h, w = arr.shape[:2]
    header = struct.pack(">IIBBBBB", w, h, depth, color_type, 0, 0, 0)
    out = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
    for kind, data in extra_chunks:
        out += _chunk(kind, data)
    dtype = ">u2" if depth == 16 else np.uint8
    rows = b"".join(b"\x00" + np.ascontiguousarray(arr[i]).astype(dtype).tobytes() for i in range(h))
    out += _chunk(b"IDAT", zlib.compress(rows))
    return out + _chunk(b"IEND", b"")


def huge_png(width, height):
    """Only a header (and IEND): the dimensions say huge; nothing needs decoding to refuse it."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IEND", b"")


def with_sof_size(jpeg, width, height):
    """The JPEG with the dimensions of its frame header (SOF0) replaced."""
    i = jpeg.index(b"\xff\xc0")
    b = bytearray(jpeg)
    b[i + 5:i + 7] = struct.pack(">H", height)
    b[i + 7:i + 9] = struct.pack(">H", width)
    return bytes(b)


def make_corpus(root, seed=0):
    """Write the corpus under ``root``; returns ``(DROPPED, KEPT)`` keyed by "Class/file"."""
    rng = np.random.default_rng(seed)
    cat, dog = root / "Cat", root / "Dog"
    for d in (cat, dog, cat / "nested"):
        d.mkdir(parents=True, exist_ok=True)
    dropped, kept = {}, {}

    def put(folder, name, data, reason=None, conversions=()):
        (folder / name).write_bytes(data)
        key = f"{folder.name}/{name}"
        if reason is None:
            kept[key] = sorted(conversions)
        else:
            dropped[key] = reason

    for i in range(6):
        put(cat, f"cat{i}.jpg", jpeg_bytes(smooth_rgb(rng, 48 + 3 * i, 60 - 2 * i)))
        put(dog, f"dog{i}.jpg", jpeg_bytes(smooth_rgb(rng, 50 - i, 40 + 5 * i)))
    rgb = smooth_rgb(rng, 40, 50)
    good_jpeg = jpeg_bytes(rgb)
    # (Cat) dropped files
    put(cat, "zero.jpg", b"", "empty")
    put(cat, "truncated.jpg", good_jpeg[: len(good_jpeg) // 2], "truncated")
    put(cat, "text.jpg", b"This is not a picture.\n", "not_an_image")
    put(cat, "Thumbs.db", bytes(rng.integers(0, 256, 300, dtype=np.uint8)), "not_an_image")
    put(cat, "cmyk.jpg", _cmyk_jpeg(rgb), "cmyk")
    put(cat, "one.png", png_bytes(Image.fromarray(rgb[:1, :1])), "too_small")
    put(cat, "one.jpg", jpeg_bytes(rgb[:1, :1]), "too_small")
    put(cat, "huge.png", huge_png(100_000, 100_000), "too_large")
    put(cat, "huge.jpg", with_sof_size(good_jpeg, 60_000, 60_000), "too_large")
    put(cat, "anim.gif", _gif(rgb), "unsupported_format")
    put(cat, "picture.bmp", _bmp(rgb), "unsupported_format")
    good_png = png_bytes(Image.fromarray(rgb))
    put(cat, "truncated.png", good_png[: len(good_png) // 2], "truncated")
    (cat / "nested" / "ignored.jpg").write_bytes(good_jpeg)  # nested folders are not read
    # (Dog) converted files, and a few odd but valid ones
    put(dog, "gray.jpg", jpeg_bytes(rgb[:, :, 0]), conversions=["grayscale"])
    put(dog, "gray.png", png_bytes(Image.fromarray(rgb[:, :, 1])), conversions=["grayscale"])
    rgba = np.dstack([rgb, rng.integers(0, 256, rgb.shape[:2], dtype=np.uint8)])
    put(dog, "rgba.png", png_bytes(Image.fromarray(rgba, "RGBA")), conversions=["alpha"])
    pal = Image.fromarray(rgb).convert("P", palette=Image.ADAPTIVE, colors=32)
    put(dog, "palette.png", png_bytes(pal), conversions=["palette"])
    put(dog, "palette_trns.png", png_bytes(pal, transparency=3), conversions=["palette", "alpha"])
    la = np.dstack([rgb[:, :, 2], rng.integers(0, 256, rgb.shape[:2], dtype=np.uint8)])
    put(dog, "la.png", png_bytes(Image.fromarray(la, "LA")), conversions=["grayscale", "alpha"])
    put(dog, "gray_trns.png", png_bytes(Image.fromarray(rgb[:, :, 0]), transparency=int(rgb[0, 0, 0])),
        conversions=["grayscale", "alpha"])
    put(dog, "rgb_trns.png", png_bytes(Image.fromarray(rgb), transparency=tuple(int(v) for v in rgb[5, 5])),
        conversions=["alpha"])
    g16 = rng.integers(0, 65536, (30, 40))
    put(dog, "gray16.png", raw_png(g16, 0, 16), conversions=["grayscale", "sixteen_bit"])
    put(dog, "rgb16.png", raw_png(rng.integers(0, 65536, (30, 40, 3)), 2, 16), conversions=["sixteen_bit"])
    put(dog, "rgba16.png", raw_png(rng.integers(0, 65536, (30, 40, 4)), 6, 16), conversions=["alpha", "sixteen_bit"])
    put(dog, "gray16_trns.png", raw_png(g16, 0, 16, extra_chunks=[(b"tRNS", struct.pack(">H", 7))]),
        "unsupported_mode")
    put(dog, "progressive.jpg", jpeg_bytes(smooth_rgb(rng, 45, 45), progressive=True))
    put(dog, "trailing.jpg", good_jpeg + b"trailing bytes after the end-of-image marker")
    put(dog, "gray4.png", _gray4_png(rng), conversions=["grayscale"])
    return dropped, kept


def _cmyk_jpeg(rgb):
    buf = io.BytesIO()
    Image.fromarray(rgb).convert("CMYK").save(buf, format="JPEG", quality=90)
    return buf.getvalue()


def _gif(rgb):
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="GIF")
    return buf.getvalue()


def _bmp(rgb):
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="BMP")
    return buf.getvalue()


def _gray4_png(rng):
    """A 4-bit greyscale PNG (two pixels a byte), 20 x 20."""
    v = rng.integers(0, 16, (20, 20)).astype(np.uint8)
    packed = (v[:, 0::2] << 4) | v[:, 1::2]
    h, w = v.shape
    header = struct.pack(">IIBBBBB", w, h, 4, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + packed[i].tobytes() for i in range(h))
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows)) + _chunk(b"IEND", b"")

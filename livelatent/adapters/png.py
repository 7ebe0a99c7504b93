"""PNG stills with text chunks: write RGB frames, read back tags and whether a picture has alpha.

Stdlib only (zlib, struct): a still carries the z-sequence it came from in tEXt chunks, so a
Kdenlive image clip made from it leads the conform back to that z (livelatent_id,
livelatent_frame; livelatent_zseq names the pair's file as a second way to find it).

>>> write_png("still.png", rgb, {"livelatent_id": "1f2e...", "livelatent_frame": "12"})  # doctest: +SKIP
>>> read_png_info("still.png").text["livelatent_frame"]                                  # doctest: +SKIP
'12'
"""

from __future__ import annotations

import os
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from livelatent.common.files import write_bytes
from livelatent.errors import VideoError

SIGNATURE = b"\x89PNG\r\n\x1a\n"
# the tags a livelatent still carries: its z-sequence's id and row, and the pair's path
STILL_ID, STILL_FRAME, STILL_ZSEQ = "livelatent_id", "livelatent_frame", "livelatent_zseq"
ALPHA_TYPES = {4, 6}  # grey + alpha, RGB + alpha (a tRNS chunk also makes a picture transparent)


@dataclass(frozen=True)
class PngInfo:
    width: int
    height: int
    has_alpha: bool
    text: dict[str, str] = field(default_factory=dict)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def write_png(path: str | os.PathLike, rgb: np.ndarray, text: dict[str, str] | None = None) -> Path:
    """Write an (H, W, 3) picture as `path` (see encode_png)."""
    try:
        data = encode_png(rgb, text)
    except VideoError as exc:
        raise VideoError(f"{path}: {exc}") from None
    write_bytes(path, data)
    return Path(path)


def encode_png(rgb: np.ndarray, text: dict[str, str] | None = None) -> bytes:
    """An (H, W, 3) picture, uint8 (8 bits a channel) or uint16 (16 bits), as a PNG file's
    bytes; `text` becomes tEXt chunks (latin-1 keys and values)."""
    depth = 16 if np.asarray(rgb).dtype == np.uint16 else 8
    rgb = np.ascontiguousarray(rgb, dtype=">u2" if depth == 16 else np.uint8)  # PNG samples are big-endian
    if rgb.ndim != 3 or rgb.shape[2] != 3:
        raise VideoError(f"expected an (H, W, 3) picture, got shape {rgb.shape}")
    h, w = rgb.shape[:2]
    samples = rgb.reshape(h, w * 3).view(np.uint8)
    rows = np.concatenate([np.zeros((h, 1), np.uint8), samples], axis=1)  # filter 0 per row
    chunks = [_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, 2, 0, 0, 0))]
    for key, value in (text or {}).items():
        chunks.append(_chunk(b"tEXt", key.encode("latin-1") + b"\0" + str(value).encode("latin-1")))
    chunks += [_chunk(b"IDAT", zlib.compress(rows.tobytes(), 6)), _chunk(b"IEND", b"")]
    return SIGNATURE + b"".join(chunks)


def read_png_info(path: str | os.PathLike) -> PngInfo | None:
    """Size, alpha and text chunks of a PNG file; None for anything that is not a PNG."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    if not data.startswith(SIGNATURE):
        return None
    at, text, header, alpha = len(SIGNATURE), {}, None, False
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if kind == b"IHDR" and len(body) >= 10:
            header = struct.unpack(">II", body[:8])
            alpha = body[9] in ALPHA_TYPES
        elif kind == b"tRNS":
            alpha = True
        elif kind == b"tEXt" and b"\0" in body:
            key, value = body.split(b"\0", 1)
            text[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"IEND":
            break
        at += 12 + length
    if header is None:
        return None
    return PngInfo(header[0], header[1], alpha, text)

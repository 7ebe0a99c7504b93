"""Tiny test clips whose every frame shows its own (clip, frame) code, and the decoder.

A 64x36 grey frame holds 32 blocks of 8x9 pixels: 16 bits (clip id: 4, frame: 12) and their
16 complements, black or white. The code survives melt's YUV pipeline exactly; a blend of
two frames gives intermediate block levels from which the blend weight is measured. Frames of
another shape (a 4:3 or a portrait project's) hold the same 8 x 4 blocks, stretched.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

W, H = 64, 36
BW, BH = 8, 9
BITS = 16


def code_bits(clip: int, frame: int) -> np.ndarray:
    value = (clip & 0xF) << 12 | (frame & 0xFFF)
    bits = np.array([(value >> i) & 1 for i in range(BITS)], np.float64)
    return np.concatenate([bits, 1 - bits])


def _edges(size: int, blocks: int) -> np.ndarray:
    """Where each of `blocks` equal blocks across `size` pixels starts (and the last ends)."""
    return np.round(np.linspace(0, size, blocks + 1)).astype(int)


def code_image(clip: int, frame: int, size: tuple[int, int] = (W, H)) -> np.ndarray:
    blocks = code_bits(clip, frame).reshape(H // BH, W // BW)
    rows, cols = _edges(size[1], H // BH), _edges(size[0], W // BW)
    return (np.repeat(np.repeat(blocks, np.diff(rows), axis=0), np.diff(cols), axis=1) * 255).astype(np.uint8)


def write_clip(path: Path, clip: int, frames: int, fps: Fraction, tags: dict | None = None,
               size: tuple[int, int] = (W, H)) -> Path:
    """An FFV1 clip of `frames` coded frames at `fps` (each frame a key frame), with container
    tags; size: (width, height), even numbers."""
    with av.open(str(path), "w") as container:
        container.metadata.update(tags or {})
        stream = container.add_stream("ffv1", rate=fps)
        stream.width, stream.height, stream.pix_fmt = *size, "yuv420p"
        stream.codec_context.time_base = Fraction(1) / fps
        for i in range(frames):
            frame = av.VideoFrame.from_ndarray(code_image(clip, i, size), format="gray").reformat(format="yuv420p")
            frame.pts = i
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def read_levels(path: Path) -> np.ndarray:
    """(frames, 32) block levels in [0, 1] of a video's luma (16 = black, 235 = white): the
    mean of each block's inner half, away from edges blurred by scaling."""
    rows = []
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            plane = frame.planes[0]
            y = np.frombuffer(plane, np.uint8).reshape(plane.height, plane.line_size)[:, :frame.width]
            rows.append((_block_means(y.astype(np.float64)) - 16) / 219)
    return np.array(rows)


def _block_means(y: np.ndarray) -> np.ndarray:
    rows, cols = _edges(y.shape[0], H // BH), _edges(y.shape[1], W // BW)
    means = []
    for r0, r1 in zip(rows, rows[1:]):
        for c0, c1 in zip(cols, cols[1:]):
            mr, mc = round((r1 - r0) / 4.5), round((c1 - c0) / 4)  # 2 of 9 rows, 2 of 8 columns
            means.append(y[r0 + mr:r1 - mr, c0 + mc:c1 - mc].mean())
    return np.array(means)


def _unmasked(masked) -> np.ndarray:
    keep = np.ones(2 * BITS, bool)
    keep[list(masked)] = False
    return keep


def decode(levels: np.ndarray, masked=()) -> tuple[int, int] | None:
    """(clip, frame) of a clean frame, None when it is a blend or not a code at all. masked:
    blocks something is drawn over (an inset); each bit is read from its complement there."""
    keep = _unmasked(masked)
    if np.abs(levels - np.round(levels))[keep].max() > 0.08:
        return None
    bits = np.round(levels).astype(int)
    for i in masked:
        bits[i] = 1 - bits[(i + BITS) % (2 * BITS)]
    if not np.all(bits[:BITS] + bits[BITS:] == 1):
        return None
    value = sum(int(b) << i for i, b in enumerate(bits[:BITS]))
    return value >> 12, value & 0xFFF


def write_still(path: Path, clip: int, frame: int, tags: dict | None = None) -> Path:
    """A PNG still showing the code (clip, frame), with PNG text tags."""
    from livelatent.adapters.png import write_png

    return write_png(path, np.repeat(code_image(clip, frame)[:, :, None], 3, axis=2), tags)


def coded_rows(clip: int, frames: int, d: int = 8) -> np.ndarray:
    """A z-sequence whose row i names (clip, i) in its first two values, so a conformed row says
    which source frame it came from."""
    z = np.ones((frames, d), np.float32)
    z[:, 0], z[:, 1] = clip, np.arange(frames)
    return z


def read_lumas(path: Path) -> list[np.ndarray]:
    """Each frame's luma plane of a video (the pixels, for reading a code drawn moved or zoomed)."""
    with av.open(str(path)) as container:
        return [np.frombuffer(f.planes[0], np.uint8).reshape(f.planes[0].height, f.planes[0].line_size)[:, :f.width]
                .copy() for f in container.decode(video=0)]


def levels_in_box(y: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """The 32 block levels of a code drawn into box (x, y, w, h in y's pixels), NaN for a block
    whose inner half lies off the frame."""
    x0, y0, bw, bh = box[0], box[1], box[2] / (W // BW), box[3] / (H // BH)
    levels = np.full(2 * BITS, np.nan)
    for i in range(2 * BITS):
        r, c = divmod(i, W // BW)
        top, left = round(y0 + (r + 0.25) * bh), round(x0 + (c + 0.25) * bw)
        bottom, right = round(y0 + (r + 0.75) * bh), round(x0 + (c + 0.75) * bw)
        if top >= 0 and left >= 0 and bottom <= y.shape[0] and right <= y.shape[1] and bottom > top and right > left:
            levels[i] = (y[top:bottom, left:right].mean() - 16) / 219
    return levels


def visible_bits(levels: np.ndarray) -> dict[int, int] | None:
    """The code's bits that its visible blocks show (a block or its complement, clean), or None
    when a block and its complement disagree."""
    bits: dict[int, int] = {}
    for i in range(2 * BITS):
        if np.isnan(levels[i]) or abs(levels[i] - round(levels[i])) > 0.08:
            continue
        bit = int(round(levels[i])) if i < BITS else 1 - int(round(levels[i]))
        if bits.setdefault(i % BITS, bit) != bit:
            return None
    return bits

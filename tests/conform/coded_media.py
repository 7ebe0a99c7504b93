"""Tiny test clips whose every frame shows its own (clip, frame) code, and the decoder.

A 64x36 grey frame holds 32 blocks of 8x9 pixels: 16 bits (clip id: 4, frame: 12) and their
16 complements, black or white. The code survives melt's YUV pipeline exactly; a blend of
two frames gives intermediate block levels from which the blend weight is measured.
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


def code_image(clip: int, frame: int) -> np.ndarray:
    blocks = code_bits(clip, frame).reshape(H // BH, W // BW)
    return (np.kron(blocks, np.ones((BH, BW))) * 255).astype(np.uint8)


def write_clip(path: Path, clip: int, frames: int, fps: Fraction, tags: dict | None = None) -> Path:
    """An FFV1 clip of `frames` coded frames at `fps` (each frame a key frame), with container tags."""
    with av.open(str(path), "w") as container:
        container.metadata.update(tags or {})
        stream = container.add_stream("ffv1", rate=fps)
        stream.width, stream.height, stream.pix_fmt = W, H, "yuv420p"
        stream.codec_context.time_base = Fraction(1) / fps
        for i in range(frames):
            frame = av.VideoFrame.from_ndarray(code_image(clip, i), format="gray").reformat(format="yuv420p")
            frame.pts = i
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def read_levels(path: Path) -> np.ndarray:
    """(frames, 32) block levels in [0, 1] of a video's luma (16 = black, 235 = white)."""
    rows = []
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            plane = frame.planes[0]
            y = np.frombuffer(plane, np.uint8).reshape(plane.height, plane.line_size)[:H, :W]
            inner = y.reshape(H // BH, BH, W // BW, BW)[:, 2:-2, :, 2:-2].astype(np.float64)
            rows.append(((inner.mean(axis=(1, 3)) - 16) / 219).ravel())
    return np.array(rows)


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

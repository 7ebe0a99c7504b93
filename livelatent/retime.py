"""Which source frame a clip shows at each of its positions, with MLT's arithmetic.

Measured with melt 7.12 (FORMAT.md §4, §10); all in doubles, as MLT computes them:
  freeze      position -> in + frame (only before/after it when a flag is set)
  timewarp    q = p (forward) or warp_out - p (reverse); the inner producer runs at
              fps' = trunc(num*1000/|speed|) / (den*1000), so src = (int)(q / fps' * src_fps + 0.5)
  framebuffer (pre-16.04 slow motion) floor(speed * p), then the fps mapping; a source faster
              than the project is instead forced to src_fps * speed: (int)(p / fps * src_fps * speed + 0.5)
  timeremap   floor((map(p - chain_in) + chain_in / fps) * src_fps)  (map: linear keyframes, seconds)
  fps         src = (int)(p / project_fps * source_fps + 0.5)   (avformat)
With smooth=True the same chain gives the exact fractional source position instead, for
true slow motion in latent space (rows interpolated on the sphere by the conform).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from livelatent.timeline import ClipSegment, Freeze, TimeRemap


def _freeze(p: np.ndarray, in_frame: int, freeze: Freeze) -> np.ndarray:
    held = in_frame + freeze.frame
    if not freeze.before and not freeze.after:
        return np.full_like(p, held)
    out = p.copy()
    if freeze.after:
        out = np.where(p > held, held, out)
    if freeze.before:
        out = np.where(p < held, held, out)
    return out


def _remap_seconds(p: np.ndarray, remap: TimeRemap, rate: float) -> np.ndarray:
    pos = np.array([pt[0] for pt in remap.points], dtype=np.float64)
    secs = np.array([pt[1] for pt in remap.points], dtype=np.float64)
    return np.interp(p - remap.origin, pos, secs) + remap.origin / rate


def _warp_rate(fps: Fraction, speed: float) -> float:
    """The fake profile rate MLT gives the producer inside a timewarp."""
    return math.trunc(fps.numerator * 1000 / abs(speed)) / (fps.denominator * 1000)


def source_positions(seg: ClipSegment, project_fps: Fraction, source_fps: Fraction | None,
                     *, smooth: bool = False, offsets: np.ndarray | None = None) -> np.ndarray:
    """Source frames (float64; whole numbers unless smooth) for the segment's timeline frames.

    offsets: frames from the segment start (default: all of them). For a nested sequence
    (source is a Timeline) the result is positions in that sequence's frames.
    """
    if offsets is None:
        offsets = np.arange(seg.length, dtype=np.int64)
    p = seg.in_frame + offsets.astype(np.float64)
    if seg.freeze is not None:
        p = _freeze(p, seg.in_frame, seg.freeze)
    rate = float(project_fps)
    src_rate = float(source_fps) if source_fps else rate
    if seg.remap is not None:  # straight to source frames at the source's own rate (melt 7.12)
        exact = _remap_seconds(p, seg.remap, rate) * src_rate
        return np.maximum(exact, 0.0) if smooth else np.floor(exact)
    if seg.slowmotion:
        if src_rate > rate:  # framebuffer then forces the source to src_fps * speed, speed 1
            exact = p / rate * (src_rate * seg.speed)
            return exact if smooth else np.floor(exact + 0.5)
        p = p * seg.speed if smooth else np.floor(p * seg.speed)
        producer_rate = rate
    elif seg.speed != 1:
        if seg.speed < 0:
            p = (seg.warp_out if seg.warp_out is not None else 0) - p
        producer_rate = _warp_rate(project_fps, seg.speed)
    else:
        producer_rate = rate
    exact = p / producer_rate * src_rate
    if smooth:
        return np.maximum(exact, 0.0)
    if producer_rate == src_rate:
        return p
    return np.floor(exact + 0.5)

"""Which source frame a clip shows at each of its positions, with MLT's arithmetic.

Measured with melt 7.12 (docs/kdenlive-format.md §8); all in doubles, as MLT computes them:
  freeze      position -> in + frame (only before/after it when a flag is set); on a chain or
              a timewarp: the inner producer's frame `frame` (no in, warped rate, not reversed;
              behind a time remap: source frame `frame`), before/after comparing the bare
              `frame` with the position
  timewarp    q = p (forward) or warp_out - p (reverse); the inner producer runs at
              fps' = trunc(num'/|speed|) / den' (num', den' = num, den, times 1000 when
              num < 1000), so src = (int)(q / fps' * src_fps + 0.5)
  framebuffer (pre-16.04 slow motion) floor(speed * p), then the fps mapping; a source faster
              than the project is instead forced to src_fps * speed, printed "%f" (6 decimals):
              (int)(p / fps * forced + 0.5)
  timeremap   floor((map(p - chain_in) + chain_in / fps) * src_fps)  (map: linear keyframes, seconds)
  fps         src = (int)(p / project_fps * source_fps + 0.5)   (avformat)
An exact-time clip (ClipSegment.exact, from OpenTimelineIO) is a position start * fps / |speed|
plus k (minus k in reverse) at the rate fps / |speed|, exact where melt truncates it, then the
avformat mapping above: the media frame nearest to start + k * speed / fps seconds.
With smooth=True the same chain gives the exact fractional source position instead, for
true slow motion in latent space (rows interpolated on the sphere by the conform).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from livelatent.edit.timeline import ClipSegment, Freeze, SourceTime, TimeRemap


def _frozen(p: np.ndarray, held: float, freeze: Freeze) -> np.ndarray:
    """Which positions the freeze filter holds: all, or those before / after `held`."""
    if not freeze.before and not freeze.after:
        return np.ones(p.shape, bool)
    return (freeze.after & (p > held)) | (freeze.before & (p < held))


def _mlt_linear(x: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """MLT's linear keyframes, in its float order: y0 + (y1 - y0) * ((x - x0) / (x1 - x0));
    before the first key its value, after the last its value (np.interp rounds differently,
    which moves a floor() by one frame where the result lands on a whole frame)."""
    k = np.clip(np.searchsorted(xs, x, side="right") - 1, 0, max(len(xs) - 2, 0))
    if len(xs) == 1:
        return np.full_like(x, ys[0])
    x0, x1, y0, y1 = xs[k], xs[k + 1], ys[k], ys[k + 1]
    span = np.where(x1 > x0, x1 - x0, 1.0)
    out = y0 + (y1 - y0) * ((x - x0) / span)
    return np.where(x <= xs[0], ys[0], np.where(x >= xs[-1], ys[-1], out))


def _remap_seconds(p: np.ndarray, remap: TimeRemap, rate: float) -> np.ndarray:
    pos = np.array([pt[0] for pt in remap.points], dtype=np.float64)
    secs = np.array([pt[1] for pt in remap.points], dtype=np.float64)
    return _mlt_linear(p - remap.origin, pos, secs) + remap.origin / rate


def warp_rate(fps: Fraction, speed: float) -> float:
    """The fake profile rate MLT gives the producer inside a timewarp: a rate under 1000/1 is
    scaled by 1000 first, then its (integer) numerator divided by |speed| and truncated."""
    num, den = fps.numerator, fps.denominator
    if num < 1000:
        num, den = num * 1000, den * 1000
    return math.trunc(num / abs(speed)) / den


def _producer_rate(seg: ClipSegment, project_fps: Fraction) -> float:
    """The rate at which the clip's (inner) producer counts its positions."""
    if seg.speed != 1 and not seg.slowmotion:
        return warp_rate(project_fps, seg.speed)
    return float(project_fps)


def _to_source(q: np.ndarray, producer_rate: float, src_rate: float, smooth: bool) -> np.ndarray:
    """avformat: producer position q at producer_rate -> source frame (rounded half up)."""
    exact = q / producer_rate * src_rate
    if smooth:
        return np.maximum(exact, 0.0)
    if producer_rate == src_rate:
        return q
    return np.floor(exact + 0.5)


def _mapped(seg: ClipSegment, p: np.ndarray, project_fps: Fraction, src_rate: float, smooth: bool) -> np.ndarray:
    """Producer positions p (after a plain freeze) -> source frames: remap, framebuffer or timewarp."""
    rate = float(project_fps)
    if seg.remap is not None:  # straight to source frames at the source's own rate (melt 7.12)
        exact = _remap_seconds(p, seg.remap, rate) * src_rate
        return np.maximum(exact, 0.0) if smooth else np.floor(exact)
    if seg.slowmotion:
        if src_rate > rate:  # framebuffer then forces the source to src_fps * speed, speed 1,
            forced = float(f"{src_rate * seg.speed:f}")  # passed on as a "%f" string (6 decimals)
            exact = p / rate * forced
            return exact if smooth else np.floor(exact + 0.5)
        return _to_source(p * seg.speed if smooth else np.floor(p * seg.speed), rate, src_rate, smooth)
    if seg.speed < 0:
        p = (seg.warp_out if seg.warp_out is not None else 0) - p
    return _to_source(p, _producer_rate(seg, project_fps), src_rate, smooth)


def source_positions(seg: ClipSegment, project_fps: Fraction, source_fps: Fraction | None,
                     *, smooth: bool = False, offsets: np.ndarray | None = None) -> np.ndarray:
    """Source frames (float64; whole numbers unless smooth) for the segment's timeline frames.

    offsets: frames from the segment start (default: all of them). For a nested sequence
    (source is a Timeline) the result is positions in that sequence's frames.
    """
    if offsets is None:
        offsets = np.arange(seg.length, dtype=np.int64)
    if seg.exact is not None:
        return exact_positions(seg.exact, offsets, project_fps, source_fps or project_fps, smooth=smooth)
    p = seg.in_frame + offsets.astype(np.float64)
    src_rate = float(source_fps) if source_fps else float(project_fps)
    freeze = seg.freeze
    if freeze is None:
        return _mapped(seg, p, project_fps, src_rate, smooth)
    if not freeze.inner:  # a plain producer: hold its own position in + frame
        held = seg.in_frame + freeze.frame
        return _mapped(seg, np.where(_frozen(p, held, freeze), held, p), project_fps, src_rate, smooth)
    # a chain or a timewarp: the inner producer's frame `frame`, compared bare with p; behind a
    # time remap link that producer runs at the source's own rate, so `frame` is a source frame
    frozen = _frozen(p, freeze.frame, freeze)
    shown = _mapped(seg, p, project_fps, src_rate, smooth)
    held = np.float64(freeze.frame) if seg.remap is not None else \
        _to_source(np.float64(freeze.frame), _producer_rate(seg, project_fps), src_rate, smooth)
    return np.where(frozen, held, shown)


def _exact_producer_rate(fps: Fraction, speed: Fraction) -> float:
    """fps / |speed| as a double: melt's own double where its warp rate is exact (so both give
    the same frames), else the exact quotient (melt truncates it; see warp_rate)."""
    if speed == 1:
        return float(fps)
    scaled = fps.numerator * 1000 if fps.numerator < 1000 else fps.numerator
    if (scaled / abs(speed)).denominator == 1:
        return warp_rate(fps, float(speed))
    return float(fps / abs(speed))


def exact_positions(time: SourceTime, offsets: np.ndarray, fps: Fraction, source_fps: Fraction,
                    *, smooth: bool = False) -> np.ndarray:
    """Media frames (float64) shown at timeline offsets of an exact-time clip: the nearest frame
    to start + k * speed / fps seconds, computed as melt computes the same clip in Kdenlive
    (producer position q = start * fps / |speed| + k, or - k in reverse, then q / rate *
    source_fps + 0.5 in doubles), so that an exact half lands where melt's doubles land."""
    speed = Fraction(time.speed)
    k = np.asarray(offsets, dtype=np.float64)
    if speed == 0:  # a freeze frame: the position of its start, at the timeline's rate
        q, rate = np.full(k.shape, float(Fraction(time.start) * fps)), float(fps)
    else:
        q0 = float(Fraction(time.start) * fps / abs(speed))
        q, rate = (q0 + k if speed > 0 else q0 - k), _exact_producer_rate(fps, speed)
    exact = q / rate * float(source_fps)
    if smooth:
        return np.maximum(exact, 0.0)
    if rate == float(source_fps):
        return np.floor(q + 0.5)
    return np.floor(exact + 0.5)

"""Build a z-sequence from keyframes with any mover or interpolator, at any fps.

    z = build_path(keys, durations=2.0, fps=30)                         # spline (default)
    z = build_path(keys, [0, 1.5, 4], 60, method="geodesic", params=MotionParams(settle_time=1))

methods:
- "spline" (default): passes exactly through every keyframe at its time, C1.
- "geodesic", "smooth", "spring": the live movers, run at the fixed tick rate and sampled
  with FrameSampler, exactly as the live loop and replay do. Keyframe i becomes the target
  at keyframe i-1's time, so the particle arrives around keyframe i's time (within 1% when
  the segment is as long as settle_time); it does not hit keyframes exactly.
- "slerp", "lerp": piecewise interpolation, only when asked for (slerp notches at every
  keyframe; lerp leaves the shell).
"""

from __future__ import annotations

import math
from dataclasses import replace
from fractions import Fraction

import numpy as np

from livelatent.motion.clock import DEFAULT_TICK_RATE, FrameSampler, TickClock
from livelatent.errors import UsageError
from livelatent.common.rates import FrameRate
from livelatent.common.latent import lerp, slerp
from livelatent.motion.geometry import blend
from livelatent.motion.movers import make_mover
from livelatent.motion.params import MOVERS, MotionParams
from livelatent.motion.spline import SphericalSpline

METHODS = ("spline", *MOVERS, "slerp", "lerp")


def keyframe_times(n_keys: int, times_or_durations) -> list[Fraction]:
    """Exact keyframe times from k times, k-1 durations, or one duration per segment.

    Decimal numbers are read as written (0.1 is 1/10 s, not the nearest binary float).
    """
    if np.ndim(times_or_durations) == 0:
        step = _exact(times_or_durations)
        return [step * i for i in range(n_keys)]
    values = [_exact(v) for v in times_or_durations]
    if len(values) == n_keys:
        times = values
    elif len(values) == n_keys - 1:
        times = [Fraction(0)]
        for d in values:
            times.append(times[-1] + d)
    else:
        raise UsageError(f"keyframe timing: expected {n_keys} times or {n_keys - 1} durations, got {len(values)} values")
    if any(b <= a for a, b in zip(times, times[1:])):
        raise UsageError(f"keyframe timing: times must increase (durations must be positive), got {[float(t) for t in times]}")
    return times


def _exact(value) -> Fraction:
    if isinstance(value, (Fraction, int, np.integer)):
        return Fraction(int(value)) if isinstance(value, np.integer) else Fraction(value)
    try:
        f = float(value)
    except (TypeError, ValueError):
        raise UsageError(f"keyframe timing: expected a number of seconds, got {value!r}") from None
    if not math.isfinite(f) or f < 0:
        raise UsageError(f"keyframe timing: expected a non-negative number of seconds, got {value!r}")
    return Fraction(repr(f))


def frame_count(times: list[Fraction], fps: FrameRate) -> int:
    """Frames at fps from the first keyframe's time up to and including the last's."""
    return math.floor((times[-1] - times[0]) * fps.value) + 1


def keyframe_frames(times: list[Fraction], fps) -> list[int]:
    """The frame nearest each keyframe's time (for metrics at keyframes), within the path."""
    fps = FrameRate.parse(fps)
    last = frame_count(times, fps) - 1
    return [min(round((t - times[0]) * fps.value), last) for t in times]


def build_path(keyframes, times_or_durations, fps, method: str = "spline",
               params: MotionParams | None = None, *, radius: float | None = None,
               tick_rate: int = DEFAULT_TICK_RATE) -> np.ndarray:
    """The z-sequence (frames, d) float64 through `keyframes` (k, d) at `fps`."""
    keys = np.asarray(keyframes, dtype=np.float64)
    if keys.ndim != 2 or len(keys) == 0:
        raise UsageError(f"keyframes: expected an array (k, d) with k >= 1, got shape {keys.shape}")
    if method not in METHODS:
        raise UsageError(f"path method {method!r}: expected one of {', '.join(METHODS)}")
    fps = FrameRate.parse(fps)
    times = keyframe_times(len(keys), times_or_durations)
    n = frame_count(times, fps)
    if method in MOVERS:
        return _follow(keys, times, fps, n, replace(params or MotionParams(), mover=method), radius, tick_rate)
    frame_times = [times[0] + k / fps.value for k in range(n)]
    if method == "spline":
        return SphericalSpline(keys, times).sample(frame_times)
    blend_fn = slerp if method == "slerp" else lerp
    return np.stack([_piecewise(keys, times, t, blend_fn) for t in frame_times])


def _piecewise(keys: np.ndarray, times: list[Fraction], t: Fraction, blend_fn) -> np.ndarray:
    i = max(j for j in range(len(times)) if times[j] <= t)
    if i == len(times) - 1:
        return keys[i].copy()
    s = float((t - times[i]) / (times[i + 1] - times[i]))
    return np.asarray(blend_fn(keys[i], keys[i + 1], s), dtype=np.float64)


def _follow(keys, times, fps, n, params, radius, tick_rate) -> np.ndarray:
    """Run a mover at the tick rate; keyframe i is the target from keyframe i-1's tick on."""
    clock = TickClock(tick_rate)
    sampler = FrameSampler(fps, tick_rate)
    retargets = {clock.tick_at(t - times[0]): keys[i + 1] for i, t in enumerate(times[:-1])}
    mover = make_mover(params, keys[0], radius=radius)
    out = np.empty((n, keys.shape[1]))
    for tick in range(1, sampler.last_tick_for(n) + 1):
        if tick - 1 in retargets:
            mover.retarget(retargets[tick - 1])
        prev = mover.position
        mover.step(clock.dt)
        for k, alpha in sampler.frames_in_step(tick):
            if k < n:
                out[k] = blend(prev, mover.position, alpha)
    return out

"""A path over a whole timeline through keyframes at given frames, as an editor times them.

    path = KeyframePath(keys, frames=[0, 30, 75], length=120, fps=30, pauses=[(40, 49)])
    z = path.sample()                  # (120, d) float64: keys[i] exactly at frames[i] (spline)
    walk = KeyframePath(keys, [0, 30, 75], 120, 30, method="geodesic", params=MotionParams(settle_time=1))

The keyframes go to the motion engine as they are (the spherical spline of motion/spline.py,
or a mover run by motion/paths.py exactly as `livelatent path` and the live loop run it),
after three rules that a slideshow timed to music asks for:
- before the first keyframe and after the last the path holds them, leaving and arriving at
  rest (a still keyframe: zero velocity), so the ends have no jolt;
- equal keyframes in a row (the same still cut twice, a guide inside a still) are a hold:
  the path stands still from the first to the last, easing in and out;
- a pause (frames of a gap the conform holds) stands still over its frames, easing in and
  out, at the keyframe right beside it when there is one, else at the point the path would
  pass there if the pause were cut out.
The rules only add anchors (frame, z, still); `anchors` lists them for even-speed retiming.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import numpy as np

from livelatent.errors import UsageError
from livelatent.frames import FrameRate
from livelatent.motion.evenspeed import points_at
from livelatent.motion.params import MOVERS, MotionParams
from livelatent.motion.paths import build_path
from livelatent.motion.spline import SphericalSpline

KEYFRAME_METHODS = ("spline", *MOVERS)


@dataclass(frozen=True)
class Anchor:
    """A point the path is given: at `frame` it is at (spline) or aims for (movers) z."""

    frame: int
    z: np.ndarray
    still: bool = False


class KeyframePath:
    """The path through `keys` (k, d) at `frames` (increasing, within 0..length-1) at fps."""

    def __init__(self, keys, frames, length: int, fps, *, method: str = "spline",
                 params: MotionParams | None = None, pauses=(), radius: float | None = None):
        self.keys = np.asarray(keys, dtype=np.float64)
        self.frames = [int(f) for f in frames]
        self.length, self.fps = int(length), FrameRate.parse(fps)
        self.method, self.params, self.radius = method, params or MotionParams(), radius
        self.pauses = [(int(a), int(b)) for a, b in pauses]
        _check(self.keys, self.frames, self.length, self.pauses, method)
        self.anchors = anchors(self.keys, self.frames, self.length, self.pauses)
        self._dense: dict[int, np.ndarray] = {}

    def sample(self) -> np.ndarray:
        """One z per frame, float64 (length, d)."""
        if self.method == "spline":
            return self._spline.sample([Fraction(k) for k in range(self.length)])
        return self.dense(1)

    def dense(self, oversample: int) -> np.ndarray:
        """The path at `oversample` points per frame: ((length - 1) * oversample + 1, d)."""
        if oversample not in self._dense:
            if self.method == "spline":
                times = [Fraction(j, oversample) for j in range((self.length - 1) * oversample + 1)]
                self._dense[oversample] = self._spline.sample(times)
            else:
                self._dense[oversample] = self._follow(oversample)
        return self._dense[oversample]

    def at(self, positions, oversample: int = 4) -> np.ndarray:
        """z at fractional frame positions: exact on the spline, else between dense samples."""
        positions = np.asarray(positions, dtype=np.float64)
        if self.method == "spline":
            return self._spline.sample([Fraction(float(p)) for p in positions])
        return points_at(self.dense(oversample), positions * oversample)

    @cached_property
    def _spline(self) -> SphericalSpline:
        return _spline_through(self.anchors)

    def _follow(self, oversample: int) -> np.ndarray:
        """The mover run at the tick rate through the anchors, sampled `oversample` times a frame."""
        keys = np.stack([a.z for a in self.anchors])
        if len(keys) == 1:
            return np.repeat(keys, (self.length - 1) * oversample + 1, axis=0)
        times = [Fraction(a.frame) / self.fps.value for a in self.anchors]
        rate = FrameRate(self.fps.value * oversample)
        return build_path(keys, times, rate, self.method, self.params, radius=self.radius)


def _check(keys: np.ndarray, frames: list[int], length: int, pauses, method: str) -> None:
    if method not in KEYFRAME_METHODS:
        raise UsageError(f"keyframe path method {method!r}: expected one of {', '.join(KEYFRAME_METHODS)}")
    if keys.ndim != 2 or len(keys) == 0 or len(keys) != len(frames):
        raise UsageError(f"keyframe path: expected k keyframes (k, d) and k frames, got {keys.shape} and {len(frames)}")
    if any(b <= a for a, b in zip(frames, frames[1:])) or frames[0] < 0 or frames[-1] >= length:
        raise UsageError(f"keyframe path: keyframe frames must increase within 0..{length - 1}, got {frames}")
    for a, b in pauses:
        if not 0 <= a <= b < length or any(a <= f <= b for f in frames):
            raise UsageError(f"keyframe path: pause {a}..{b} must lie within 0..{length - 1} between keyframes")


def anchors(keys: np.ndarray, frames: list[int], length: int, pauses) -> list[Anchor]:
    """The keyframes plus what the rules add (pauses, held ends), equal runs merged into holds."""
    given = {f: Anchor(f, k) for f, k in zip(frames, keys)}
    held = dict(given)
    for a, b in pauses:
        z = _pause_point(keys, frames, pauses, given, a, b)
        held[a], held[b] = Anchor(a, z, True), Anchor(b, z, True)
    points = sorted(held.values(), key=lambda p: p.frame)
    if points[0].frame > 0:
        points.insert(0, Anchor(0, points[0].z))
    if points[-1].frame < length - 1:
        points.append(Anchor(length - 1, points[-1].z))
    return _holds(points)


def _pause_point(keys, frames, pauses, given, a: int, b: int) -> np.ndarray:
    """Where a pause over frames a..b stands: the keyframe just after or before it, else the
    point the path passes between frames a-1 and b+1 once every pause is cut out of time."""
    for beside in (b + 1, a - 1):
        if beside in given:
            return given[beside].z
    if len(frames) == 1:
        return keys[0]
    def cut(frame: int) -> int:  # the frame with every paused frame before it removed
        return frame - sum(min(q, frame - 1) - p + 1 for p, q in pauses if p < frame)
    gapless = _spline_through(_holds([Anchor(cut(f), k) for f, k in zip(frames, keys)]))
    return gapless(Fraction(cut(a)) - Fraction(1, 2))


def _holds(points: list[Anchor]) -> list[Anchor]:
    """Runs of equal z become a hold: first and last of the run kept, both still."""
    out: list[Anchor] = []
    for p in points:
        if out and np.array_equal(out[-1].z, p.z):
            if len(out) > 1 and np.array_equal(out[-2].z, p.z):
                out.pop()  # the middle of a run
            out[-1] = Anchor(out[-1].frame, out[-1].z, True)
            p = Anchor(p.frame, p.z, True)
        out.append(p)
    return out


def _spline_through(points: list[Anchor]) -> SphericalSpline:
    keys = np.stack([p.z for p in points])
    still = [i for i, p in enumerate(points) if p.still]
    return SphericalSpline(keys, [Fraction(p.frame) for p in points], still=still)

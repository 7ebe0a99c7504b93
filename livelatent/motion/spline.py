"""A spherical spline through keyframes known in advance: hits each one exactly, on time.

Direction and radius are splined separately, so z(t) = r(t) * u(t):
- u(t), on the unit sphere: a spherical cubic Bezier per segment, evaluated by de Casteljau
  with great-circle interpolation. Its control points come from Catmull-Rom tangents (the
  non-uniform, "Bessel" estimate from the two neighbouring keyframes, taken in the tangent
  space by the logarithm map), so the velocity is continuous across every keyframe.
- r(t): the matching cubic Hermite spline through the keyframes' norms.
Keyframes listed in `still` are passed at rest (zero velocity, zero radius slope): the path
eases into and out of them, and between two equal still keyframes it stands still (a hold).

    spline = SphericalSpline(keys, times=[0, 2, 5])
    z = spline.sample([Fraction(k, 30) for k in range(151)])
"""

from __future__ import annotations

import bisect
from fractions import Fraction

import numpy as np

from livelatent.errors import UsageError
from livelatent.motion.geometry import exp_map, geodesic_point, log_map


class SphericalSpline:
    """C1 spline through keyframes (k, d) at strictly increasing times (seconds); the
    keyframes whose indices are in `still` are passed at rest."""

    def __init__(self, keyframes: np.ndarray, times, still=()):
        keys = np.asarray(keyframes, dtype=np.float64)
        self.times = [Fraction(t) for t in times]
        if keys.ndim != 2 or len(keys) != len(self.times) or len(keys) == 0:
            raise UsageError(f"spline: expected k keyframes (k, d) and k times, got {keys.shape} and {len(self.times)}")
        if any(b <= a for a, b in zip(self.times, self.times[1:])):
            raise UsageError("spline: keyframe times must increase strictly")
        self.keys = keys
        self.radii = np.linalg.norm(keys, axis=1)
        if np.any(self.radii == 0):
            raise UsageError("spline: a keyframe is the zero vector, which has no direction")
        self.dirs = keys / self.radii[:, None]
        self.h = [float(b - a) for a, b in zip(self.times, self.times[1:])]
        self.still = frozenset(int(i) for i in still)
        self._build_segments()

    def _build_segments(self) -> None:
        tangents, radius_slopes = self._tangents()
        self.controls = []
        for i, h in enumerate(self.h):
            b1 = exp_map(self.dirs[i], tangents[i] * (h / 3))
            b2 = exp_map(self.dirs[i + 1], -tangents[i + 1] * (h / 3))
            self.controls.append((b1, b2))
        self.radius_slopes = radius_slopes

    def _tangents(self) -> tuple[list[np.ndarray], list[float]]:
        """Velocity (per second) at each keyframe: Bessel's three-point estimate, one-sided at the ends."""
        k, u, r, h = len(self.keys), self.dirs, self.radii, self.h
        if k == 1:
            return [np.zeros_like(u[0])], [0.0]
        ahead = [log_map(u[i], u[i + 1]) / h[i] for i in range(k - 1)]  # slope of segment i at its start
        behind = [-log_map(u[i], u[i - 1]) / h[i - 1] for i in range(1, k)]  # slope of segment i-1 at its end
        r_slope = [(r[i + 1] - r[i]) / h[i] for i in range(k - 1)]
        tangents, slopes = [ahead[0]], [r_slope[0]]
        for i in range(1, k - 1):
            w_prev, w_next = h[i], h[i - 1]  # the nearer neighbour counts more
            tangents.append((w_prev * behind[i - 1] + w_next * ahead[i]) / (w_prev + w_next))
            slopes.append((w_prev * r_slope[i - 1] + w_next * r_slope[i]) / (w_prev + w_next))
        tangents.append(behind[-1])
        slopes.append(r_slope[-1])
        for i in self.still & set(range(k)):
            tangents[i], slopes[i] = np.zeros_like(u[0]), 0.0
        return tangents, slopes

    @property
    def duration(self) -> Fraction:
        return self.times[-1] - self.times[0]

    def __call__(self, t) -> np.ndarray:
        """z at time t (seconds; clamped to the keyframe span). A keyframe's own time returns it exactly."""
        t = Fraction(t)
        if t <= self.times[0]:
            return self.keys[0].copy()
        if t >= self.times[-1]:
            return self.keys[-1].copy()
        i = bisect.bisect_right(self.times, t) - 1
        if t == self.times[i] or self._held(i):
            return self.keys[i].copy()
        s = float((t - self.times[i]) / (self.times[i + 1] - self.times[i]))
        return self._direction(i, s) * self._radius(i, s)

    def _held(self, i: int) -> bool:
        """Segment i joins two equal keyframes passed at rest: it is that keyframe, exactly."""
        return i in self.still and i + 1 in self.still and np.array_equal(self.keys[i], self.keys[i + 1])

    def sample(self, times) -> np.ndarray:
        """z at each time, float64 (n, d)."""
        return np.stack([self(t) for t in times]) if len(times) else np.zeros((0, self.keys.shape[1]))

    def _direction(self, i: int, s: float) -> np.ndarray:
        """De Casteljau on the sphere: u_i, b1, b2, u_i+1 blended along great circles."""
        points = [self.dirs[i], *self.controls[i], self.dirs[i + 1]]
        while len(points) > 1:
            points = [geodesic_point(a, b, s) for a, b in zip(points, points[1:])]
        return points[0]

    def _radius(self, i: int, s: float) -> float:
        h, r0, r1 = self.h[i], self.radii[i], self.radii[i + 1]
        m0, m1 = self.radius_slopes[i] * h, self.radius_slopes[i + 1] * h
        s2, s3 = s * s, s * s * s
        return (2 * s3 - 3 * s2 + 1) * r0 + (s3 - 2 * s2 + s) * m0 + (-2 * s3 + 3 * s2) * r1 + (s3 - s2) * m1

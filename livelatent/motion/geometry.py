"""Sphere geometry for latents: exponential and logarithm maps, tangents, transport, blends.

A latent p of norm r lies on the sphere of radius r. Tangent vectors at p are orthogonal to
p and measured in z units, so |log_map(p, q)| is the arc length r * angle. Every function
works in any d, in float64, and handles the two degenerate cases:
- zero-length p: no sphere there, so the maps fall back to flat space (q - p, p + v);
- antipodal q: every direction is a shortest path; log_map picks a fixed, deterministic one.

lerp and slerp (norm interpolated linearly) come from livelatent.common.latent.
"""

from __future__ import annotations

import math

import numpy as np

from livelatent.common.latent import lerp, slerp  # noqa: F401  (re-exported: the one implementation)


def norm(v: np.ndarray) -> float:
    return math.sqrt(float(np.dot(v, v)))


def project_tangent(p: np.ndarray, v: np.ndarray) -> np.ndarray:
    """v without its component along p (v itself when p is zero)."""
    pp = float(np.dot(p, p))
    if pp == 0.0:
        return np.array(v, dtype=np.float64)
    return v - (float(np.dot(v, p)) / pp) * p


def to_shell(p: np.ndarray, radius: float) -> np.ndarray:
    """p scaled onto the sphere of `radius` (a fixed direction when p is zero)."""
    r = norm(p)
    if r == 0.0:
        u = np.zeros(len(p))
        u[0] = 1.0
        return u * radius
    return p * (radius / r)


def exp_map(p: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Walk from p along the great circle with initial tangent v for arc length |v|."""
    return walk(p, v)[0]


def walk(p: np.ndarray, step: np.ndarray, v: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """exp_map(p, step), and tangent v at p parallel-transported there, in one pass.

    Along the great circle the component of v in the step's direction turns with it; the
    rest of v is unchanged. (One function so the movers' hot loop does the shared work once.)
    """
    r, length = norm(p), norm(step)
    if length == 0.0:
        return np.array(p, dtype=np.float64), None if v is None else np.array(v, dtype=np.float64)
    if r == 0.0:
        return p + step, None if v is None else np.array(v, dtype=np.float64)
    theta = length / r
    c, s = math.cos(theta), math.sin(theta)
    landed = c * p + (s * r / length) * step
    if v is None:
        return landed, None
    along = float(np.dot(v, step)) / length  # v's component in the direction of travel
    return landed, v + (along * (c - 1.0) / length) * step - (along * s / r) * p


def log_map(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """The tangent vector at p that exp_map takes to q's direction (length r * angle).

    Only q's direction matters: the result points along the sphere of p's radius.
    """
    r, rq = norm(p), norm(q)
    if r == 0.0:
        return q - p
    if rq == 0.0:
        return np.zeros_like(p, dtype=np.float64)
    u, w = p / r, q / rq
    c = float(np.dot(u, w))
    perp = w - c * u
    s = norm(perp)
    theta = math.atan2(s, c)  # accurate for tiny and near-pi angles alike
    if s < 1e-15:
        if c > 0:
            return np.zeros_like(u)
        return (r * math.pi) * any_tangent(u)
    return (r * theta / s) * perp


def any_tangent(u: np.ndarray) -> np.ndarray:
    """A fixed unit vector orthogonal to unit u (the antipode's tie-break)."""
    e = np.zeros_like(u, dtype=np.float64)
    e[int(np.argmin(np.abs(u)))] = 1.0
    t = project_tangent(u, e)
    return t / norm(t)


def transport_along(p: np.ndarray, step: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Parallel-transport tangent v from p to exp_map(p, step) along that geodesic."""
    return walk(p, step, v)[1]


def parallel_transport(p: np.ndarray, q: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Parallel-transport tangent v at p to q (on p's sphere) along the shortest geodesic."""
    return transport_along(p, log_map(p, q), v)


def geodesic_point(a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
    """The point a fraction t of the way along the great circle from a to b (a's radius)."""
    if t == 0:
        return np.array(a, dtype=np.float64)
    return exp_map(a, float(t) * log_map(a, b))


def blend(a: np.ndarray, b: np.ndarray, alpha) -> np.ndarray:
    """On-shell interpolation between two consecutive tick states, for a frame between ticks.

    Direction along the great circle, radius interpolated linearly; exactly `a` (a float64
    copy) when alpha == 0, so frames that land on a tick show that tick's state bit for bit.
    The result is only ever shown or recorded, never fed back into the simulation.
    """
    a = np.asarray(a, dtype=np.float64)
    alpha = float(alpha)
    if alpha == 0.0:
        return a.copy()
    b = np.asarray(b, dtype=np.float64)
    ra, rb = norm(a), norm(b)
    if ra == 0.0 or rb == 0.0:
        return lerp(a, b, alpha)
    direction = geodesic_point(a / ra, b / rb, alpha)
    return direction * ((1.0 - alpha) * ra + alpha * rb)

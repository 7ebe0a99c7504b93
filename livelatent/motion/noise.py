"""Noise around a point that keeps the result on the distribution, keyed by (seed, tick).

The trick is variance preservation: if z ~ N(0, I) and n ~ N(0, I) independently, then
sqrt(1 - a^2) z + a n ~ N(0, I) too, for any amount a in [0, 1]. So a neighbour of a sample
is itself a typical sample (on the shell), however much noise is mixed in, and a loop of
cos/sin-mixed noise vectors stays on the distribution at every instant.

All randomness comes from livelatent.common.latent.keyed_rng(seed, tick, ...), never from the frame
or the wall clock, so a replay of the same events draws the same noise.
"""

from __future__ import annotations

import math

import numpy as np

from livelatent.errors import UsageError
from livelatent.common.latent import keyed_rng
from livelatent.motion.geometry import norm, project_tangent

_LOOP_STREAM = 1  # keys that keep loop_around's draws apart from neighbour's


def _amount(amount: float) -> float:
    a = float(amount)
    if not (math.isfinite(a) and 0.0 <= a <= 1.0):
        raise UsageError(f"noise amount: expected a number in 0..1, got {amount!r}")
    return a


def neighbour(z: np.ndarray, amount: float, seed: int, tick: int = 0) -> np.ndarray:
    """A point near z, as typical a sample as z: sqrt(1 - a^2) z + a n, n ~ N(0, I) keyed by (seed, tick).

    amount 0 returns z, 1 an unrelated sample; 0.1-0.3 explores z's neighbourhood.
    """
    a = _amount(amount)
    z = np.asarray(z, dtype=np.float64)
    n = keyed_rng(seed, tick).standard_normal(z.shape)
    return math.sqrt(1.0 - a * a) * z + a * n


def loop_around(z: np.ndarray, amount: float, phases, seed: int) -> np.ndarray:
    """A closed loop of neighbours of z: sqrt(1 - a^2) z + a (cos(phase) n1 + sin(phase) n2).

    cos(phase) n1 + sin(phase) n2 ~ N(0, I) for every phase, so every point of the loop is on
    the distribution; phases (radians, any shape (n,)) that go round 2 pi close it seamlessly.
    Returns float64 (n, d).
    """
    a = _amount(amount)
    z = np.asarray(z, dtype=np.float64)
    rng = keyed_rng(seed, _LOOP_STREAM)
    n1, n2 = rng.standard_normal(z.shape), rng.standard_normal(z.shape)
    phases = np.asarray(phases, dtype=np.float64)[:, None]
    return math.sqrt(1.0 - a * a) * z + a * (np.cos(phases) * n1 + np.sin(phases) * n2)


def tangent_noise(position: np.ndarray, scale: float, seed: int, tick: int) -> np.ndarray:
    """A random tangent push for Mover.impulse, keyed by (seed, tick).

    scale is the push's expected size in shell radii per second, whatever d: the Gaussian
    draw is projected onto the tangent space and scaled by scale * |position| / sqrt(d - 1).
    """
    p = np.asarray(position, dtype=np.float64)
    n = project_tangent(p, keyed_rng(seed, tick).standard_normal(p.shape))
    return n * (float(scale) * norm(p) / math.sqrt(max(len(p) - 1, 1)))

"""Where Gaussian latents live: the shell of radius about sqrt(d), seeded sampling, checks.

Samples of N(0, I_d) concentrate on a thin shell: mean radius about sqrt(d - 1/2) with a
spread of about 1/sqrt(2) whatever d. The sphere geometry used for motion (exp/log maps,
transport) lives in livelatent.motion.geometry.
"""

from __future__ import annotations

import numpy as np

from livelatent.errors import LatentShapeError

SHELL_SPREAD = 0.7071067811865476  # std of |z| for z ~ N(0, I_d), any d


def shell_radius(d: int) -> float:
    """Mean norm of a standard Gaussian sample in d dimensions (to O(1/d))."""
    return float(np.sqrt(d - 0.5))


def sample(n: int, d: int, seed: int) -> np.ndarray:
    """n unbiased N(0, I_d) samples, float32 (n, d); the same seed gives the same rows."""
    return np.random.default_rng(seed).standard_normal((n, d)).astype(np.float32)


def check_z(z: np.ndarray, d: int | None = None, *, what: str = "z") -> np.ndarray:
    """Return z as a float32 (n, d) array, or raise LatentShapeError naming `what`."""
    a = np.asarray(z)
    if a.ndim == 1:
        a = a[None, :]
    if a.ndim != 2:
        raise LatentShapeError(f"{what}: expected shape (frames, d), got {a.shape}")
    if d is not None and a.shape[1] != d:
        raise LatentShapeError(f"{what}: expected z of size {d}, got {a.shape[1]}")
    if not np.issubdtype(a.dtype, np.number):
        raise LatentShapeError(f"{what}: expected numbers, got dtype {a.dtype}")
    if not np.all(np.isfinite(a)):
        bad = int(np.argwhere(~np.isfinite(a))[0][0])
        raise LatentShapeError(f"{what}: NaN or infinite value in row {bad}; expected finite numbers")
    return a.astype(np.float32, copy=False)


def lerp(a: np.ndarray, b: np.ndarray, t: float | np.ndarray) -> np.ndarray:
    """Straight-line blend; its midpoint falls inside the shell (norm |z|/sqrt(2))."""
    t = np.asarray(t, dtype=np.float64)[..., None] if np.ndim(t) else t
    return (1 - t) * a + t * b


def slerp(a: np.ndarray, b: np.ndarray, t: float | np.ndarray) -> np.ndarray:
    """Great-circle blend with the norm interpolated linearly; falls back to lerp when a ~ b."""
    a64, b64 = np.asarray(a, np.float64), np.asarray(b, np.float64)
    na, nb = np.linalg.norm(a64), np.linalg.norm(b64)
    if na == 0 or nb == 0:
        return lerp(a64, b64, t)
    ua, ub = a64 / na, b64 / nb
    omega = np.arccos(np.clip(ua @ ub, -1.0, 1.0))
    t = np.asarray(t, dtype=np.float64)
    tt = t[..., None] if t.ndim else t
    if omega < 1e-7:
        return lerp(a64, b64, t)
    so = np.sin(omega)
    direction = (np.sin((1 - tt) * omega) * ua + np.sin(tt * omega) * ub) / so
    return direction * ((1 - tt) * na + tt * nb)


def keyed_rng(seed: int, *keys: int) -> np.random.Generator:
    """Randomness keyed by (seed, tick, ...), never by frame or wall time, so replays match."""
    return np.random.default_rng([int(seed), *(int(k) for k in keys)])

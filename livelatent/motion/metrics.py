"""Measures of motion on any z-sequence: notches, jerk, the shell, keyframe hits, image change.

    report = measure(z, fps=60, keys=[0, 120, 240], keyframes=k)
    print(report.velocity_jump, report.shell_deviation)

Kinks are measured with one-sided stencils: the velocity arriving at a frame is estimated
from the frames before it, the velocity leaving from the frames after (both second-order
accurate), so a smooth path shows a jump of O(dt^2) however fast it turns, while slerp's
corner at a keyframe shows its full change of velocity. The acceleration jump likewise.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from livelatent.common.latent import SHELL_SPREAD, shell_radius


@dataclass(frozen=True)
class MotionReport:
    """All figures are plain floats; see measure() for their definitions."""

    velocity_jump: float       # max |v_after - v_before| at the keyframes / mean speed
    acceleration_jump: float   # max |a_after - a_before| at the keyframes / mean |a|
    rms_jerk: float            # sqrt(mean |z'''|^2), z units / s^3
    dimensionless_jerk: float  # integral |z'''|^2 dt * T^5 / L^2 (L: path length); 720 for minimum-jerk 1-D
    shell_deviation: float     # max | |z| - R | in shell spreads (0.707)
    mean_shell_deviation: float
    closest_approach: tuple[float, ...]  # per keyframe: min |z - key| over the path (z units)
    speed_variation: float     # std / mean of the speed

    def as_dict(self) -> dict:
        return asdict(self)


def velocities(z: np.ndarray, fps: float) -> np.ndarray:
    """Per-step velocity (n-1, d) in z units per second."""
    return np.diff(np.asarray(z, dtype=np.float64), axis=0) * float(fps)


def one_sided_jumps(z: np.ndarray, fps: float, frames) -> tuple[np.ndarray, np.ndarray]:
    """|v_after - v_before| and |a_after - a_before| at each frame that has 3 neighbours each side."""
    z = np.asarray(z, dtype=np.float64)
    fps = float(fps)
    dv, da = [], []
    for k in frames:
        if k < 3 or k + 3 >= len(z):
            continue
        before, after = z[k - 3:k + 1][::-1], z[k:k + 4]  # both start at frame k, walking outwards
        v_before = (3 * before[0] - 4 * before[1] + before[2]) * fps / 2
        v_after = (-3 * after[0] + 4 * after[1] - after[2]) * fps / 2
        a_before = (2 * before[0] - 5 * before[1] + 4 * before[2] - before[3]) * fps**2
        a_after = (2 * after[0] - 5 * after[1] + 4 * after[2] - after[3]) * fps**2
        dv.append(np.linalg.norm(v_after - v_before))
        da.append(np.linalg.norm(a_after - a_before))
    return np.array(dv), np.array(da)


def measure(z, fps, *, keys=None, keyframes=None, radius: float | None = None) -> MotionReport:
    """Motion figures for a z-sequence (n, d) at fps.

    keys: frame indices of the keyframes (None: every frame, i.e. the worst kink anywhere).
    keyframes: the keyframe latents (k, d), for closest approach.
    radius: the shell radius (None: shell_radius(d)).
    """
    z = np.asarray(z, dtype=np.float64)
    fps = float(fps)
    radius = shell_radius(z.shape[1]) if radius is None else radius
    v = velocities(z, fps)
    speed = np.linalg.norm(v, axis=1)
    accel = np.linalg.norm(np.diff(v, axis=0) * fps, axis=1)
    jerk = np.linalg.norm(np.diff(v, n=2, axis=0) * fps**2, axis=1)
    dv, da = one_sided_jumps(z, fps, range(len(z)) if keys is None else keys)
    deviation = np.abs(np.linalg.norm(z, axis=1) - radius) / SHELL_SPREAD
    return MotionReport(
        velocity_jump=_ratio(dv.max(initial=0.0), speed.mean() if len(speed) else 0.0),
        acceleration_jump=_ratio(da.max(initial=0.0), accel.mean() if len(accel) else 0.0),
        rms_jerk=float(np.sqrt(np.mean(jerk**2))) if len(jerk) else 0.0,
        dimensionless_jerk=_dimensionless_jerk(jerk, speed, fps),
        shell_deviation=float(deviation.max()),
        mean_shell_deviation=float(deviation.mean()),
        closest_approach=closest_approach(z, keyframes) if keyframes is not None else (),
        speed_variation=_ratio(speed.std(), speed.mean()) if len(speed) else 0.0,
    )


def closest_approach(z: np.ndarray, keyframes) -> tuple[float, ...]:
    """For each keyframe, how near the path comes to it (min Euclidean distance)."""
    z = np.asarray(z, dtype=np.float64)
    return tuple(float(np.linalg.norm(z - k, axis=1).min()) for k in np.asarray(keyframes, dtype=np.float64))


def _dimensionless_jerk(jerk: np.ndarray, speed: np.ndarray, fps: float) -> float:
    length = speed.sum() / fps
    duration = len(speed) / fps
    if len(jerk) == 0 or length == 0:
        return 0.0
    return float(np.sum(jerk**2) / fps * duration**5 / length**2)


def _ratio(a: float, b: float) -> float:
    return float(a / b) if b > 0 else 0.0


def image_change(z, generator, *, batch: int = 16, size: tuple[int, int] | None = None) -> np.ndarray:
    """Mean absolute pixel change (0..255) between consecutive decoded frames, (n-1,).

    generator: anything with decode(z (N, d), size=None) -> uint8 (N, H, W, 3). Decodes in
    batches and keeps only the previous image, so memory stays flat for long sequences.
    """
    z = np.asarray(z, dtype=np.float32)
    changes, previous = [], None
    for start in range(0, len(z), batch):
        images = np.asarray(generator.decode(z[start:start + batch], size=size), dtype=np.float32)
        if previous is not None:
            images = np.concatenate([previous[None], images])
        changes.append(image_steps(images))
        previous = images[-1]
    return np.concatenate(changes) if changes else np.zeros(0)


def image_steps(images: np.ndarray) -> np.ndarray:
    """Mean absolute pixel change (0..255) between consecutive images (n, h, w, 3), (n-1,)."""
    return np.abs(np.diff(np.asarray(images, dtype=np.float32), axis=0)).mean(axis=(1, 2, 3))


def variation(values: np.ndarray) -> float:
    """Coefficient of variation (std / mean) of a series, e.g. per-frame image change."""
    values = np.asarray(values, dtype=np.float64)
    return _ratio(values.std(), values.mean()) if len(values) else 0.0

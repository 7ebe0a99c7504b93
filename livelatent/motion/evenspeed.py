"""Perceptually even speed: retime a path so the picture changes by the same amount each frame.

Equal steps in z do not look equal: some regions of latent space change the image a lot per
unit of z, others hardly at all. even_speed samples the path densely, decodes every sample
(small, for speed), accumulates the per-step image change, and re-samples the path at equal
steps of that cumulative change (monotone, so the path is never reversed or reordered). The
path's shape and its end points stay; only where along it each frame falls changes.

    dense = build_path(keys, durations, fps * 4)         # 4x oversampled, same path
    result = even_speed(dense, generator, n_frames, oversample=4)
    print(result.variation_before, "->", result.variation_after)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from livelatent.errors import UsageError
from livelatent.motion.geometry import blend
from livelatent.motion.metrics import image_steps, variation

PREVIEW_SIZE = (64, 64)  # decoding size for measuring change: enough to see, cheap to decode


@dataclass(frozen=True)
class EvenSpeedResult:
    z: np.ndarray             # (n_frames, d) float64, the retimed path
    variation_before: float   # std / mean of per-frame image change on the original timing
    variation_after: float    # the same on the retimed path


def decode_all(z: np.ndarray, generator, *, size=PREVIEW_SIZE, batch: int = 32) -> np.ndarray:
    """Every row of z decoded at `size`, uint8 (n, h, w, 3)."""
    z = np.asarray(z, dtype=np.float32)
    return np.concatenate([generator.decode(z[i:i + batch], size=size) for i in range(0, len(z), batch)])


def retime_even(dense: np.ndarray, step_change: np.ndarray, n_frames: int) -> np.ndarray:
    """n_frames points along `dense` (m, d) at equal steps of cumulative change.

    step_change[j] is the change from dense[j] to dense[j+1]. The first and last points are
    dense[0] and dense[-1] exactly.
    """
    dense = np.asarray(dense, dtype=np.float64)
    if len(dense) < 2 or len(step_change) != len(dense) - 1 or n_frames < 2:
        raise UsageError(f"even speed: expected a dense path of >= 2 points, one change per step and >= 2 frames, "
                         f"got {len(dense)} points, {len(step_change)} changes, {n_frames} frames")
    return points_at(dense, equal_steps(np.arange(len(dense), dtype=np.float64), step_change, n_frames))


def equal_steps(positions: np.ndarray, step_change: np.ndarray, n_frames: int) -> np.ndarray:
    """n_frames positions spaced at equal steps of cumulative change along `positions`.

    step_change[j] is the change from positions[j] to positions[j+1]. A small floor (0.1% of
    the mean) keeps the cumulative curve strictly increasing, so still stretches are crossed
    and the result is monotone.
    """
    step_change = np.maximum(np.asarray(step_change, dtype=np.float64), 0.0)
    floor = 1e-3 * max(float(step_change.mean()), 1e-12)
    cumulative = np.concatenate([[0.0], np.cumsum(step_change + floor)])
    return np.interp(np.linspace(0.0, cumulative[-1], n_frames), cumulative, positions)


def points_at(dense: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The path at fractional indices into `dense`, blended on the shell between samples."""
    idx = np.clip(np.floor(positions).astype(int), 0, len(dense) - 2)
    out = np.stack([blend(dense[j], dense[j + 1], f) for j, f in zip(idx, positions - idx)])
    out[0], out[-1] = dense[0], dense[-1]
    return out


def even_speed(dense: np.ndarray, generator, n_frames: int, *, oversample: int, refine: int = 2,
               size=PREVIEW_SIZE, batch: int = 32) -> EvenSpeedResult:
    """Retime a path sampled `oversample` times denser than its n_frames output frames.

    dense[::oversample] must be the original timing's frames (build_path at fps * oversample
    gives exactly that), so the 'before' figure is measured on the frames you would have had.
    The first retiming comes from the dense samples' changes; each of `refine` passes then
    decodes the retimed frames and evens their own changes (image change between frames a
    few samples apart is less than the sum of the steps between them).
    """
    dense = np.asarray(dense, dtype=np.float64)
    if (len(dense) - 1) != (n_frames - 1) * oversample:
        raise UsageError(f"even speed: a path of {n_frames} frames oversampled {oversample}x needs "
                         f"{(n_frames - 1) * oversample + 1} dense points, got {len(dense)}")
    images = decode_all(dense, generator, size=size, batch=batch)
    before = variation(image_steps(images[::oversample]))
    positions = equal_steps(np.arange(len(dense), dtype=np.float64), image_steps(images), n_frames)
    for _ in range(refine + 1):
        z = points_at(dense, positions)
        frame_change = image_steps(decode_all(z, generator, size=size, batch=batch))
        positions = equal_steps(positions, frame_change, n_frames)
    return EvenSpeedResult(z=z, variation_before=before, variation_after=variation(frame_change))

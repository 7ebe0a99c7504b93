"""The offline exploration process as pure functions: sample reels, journeys, neighbourhoods.

Deep Meditations' way of working: render a reel of unrelated random samples, watch it, pick
frames you like (by number), then render short journeys between 2-3 of them (or around one of
them, with noise), pick again, and so on. Every function here returns z (frames, d) float32;
the commands in livelatent/commands turn them into (video, z-sequence) pairs.

    reel = sample_reel(100, 512, seed=1)
    picks = journey_picks(len(reel), count=5, keys=3, seed=2)        # or [[12, 40, 77]]
    keys = journey_keyframes(reel, picks[0], noise=0.2, seed=2, journey=0)
    z = journey(keys, frames=120, fps=FrameRate(30))
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from livelatent.errors import UsageError
from livelatent.common.rates import FrameRate
from livelatent.common.latent import keyed_rng, sample, slerp
from livelatent.motion.noise import neighbour
from livelatent.motion.paths import METHODS as INTERPOLATORS
from livelatent.motion.paths import build_path

_PICK_STREAM, _NOISE_STREAM = 11, 12  # keyed_rng streams, apart from the live side's


def sample_reel(n: int, d: int, seed: int) -> np.ndarray:
    """n unbiased N(0, I_d) samples: one unrelated image per frame."""
    if n < 1:
        raise UsageError(f"-n {n}: expected at least one sample")
    return sample(n, d, seed)


def journey_picks(n_frames: int, *, count: int, keys: int, seed: int) -> list[list[int]]:
    """`count` random sets of `keys` distinct frame numbers out of n_frames, no set twice
    (while there are enough sets to go round)."""
    if keys not in (1, 2, 3):
        raise UsageError(f"`keys` {keys}: expected 2 or 3 (or 1 with `noise`)", setting="keys")
    if count < 1:
        raise UsageError(f"`count` {count}: expected at least one journey", setting="count")
    if n_frames < keys:
        raise UsageError(f"a journey between {keys} frames needs at least {keys} frames, the sequence has {n_frames}")
    rng = keyed_rng(seed, _PICK_STREAM)
    distinct = math.comb(n_frames, keys) >= count  # else some journeys must repeat
    picks: list[list[int]] = []
    while len(picks) < count:
        pick = sorted(rng.choice(n_frames, size=keys, replace=False).tolist())
        if pick not in picks or not distinct:
            picks.append(pick)
    return picks


def neighbourhood(z: np.ndarray, amount: float, seed: int, key: int) -> np.ndarray:
    """A neighbour of z that is as typical a sample as z (variance-preserving noise mix)."""
    return np.asarray(neighbour(z, amount, seed, key), dtype=np.float32)


def journey_keyframes(z: np.ndarray, frames: list[int], *, noise: float = 0.0, seed: int = 0,
                      journey: int = 0) -> np.ndarray:
    """The keyframes of one journey: the picked rows, each moved by `noise` (0..1) into its neighbourhood.

    A single picked frame with noise gives a journey from that frame to a neighbour of it.
    """
    keys = np.asarray(z, dtype=np.float32)[list(frames)]
    if len(keys) == 1:
        if noise <= 0:
            raise UsageError("a journey from a single frame needs `noise` to go somewhere", setting="noise")
        keys = np.concatenate([keys, keys])
        keys[1] = neighbourhood(keys[1], noise, seed, _NOISE_STREAM * 1000 + journey)
        return keys
    if noise > 0:
        keys = np.stack([neighbourhood(k, noise, seed, (_NOISE_STREAM * 1000 + journey) * 8 + i)
                         for i, k in enumerate(keys)])
    return keys


def journey(keys: np.ndarray, *, frames: int, fps: FrameRate, interp: str = "spline") -> np.ndarray:
    """`frames` frames passing through keys[0] at the first frame and keys[-1] at the last."""
    if frames < 2:
        raise UsageError(f"`frames` {frames}: a journey needs at least 2 frames", setting="frames")
    if interp not in INTERPOLATORS:
        raise UsageError(f"`interp` {interp!r}: expected one of {', '.join(INTERPOLATORS)}", setting="interp")
    fps = FrameRate.parse(fps)
    total = Fraction(frames - 1) / fps.value
    times = [total * i / (len(keys) - 1) for i in range(len(keys))]
    z = build_path(keys, times, fps, method=interp)
    return np.asarray(z[:frames], dtype=np.float32)


def resampled_length(n: int, src: FrameRate, dst: FrameRate) -> int:
    """Rows of an n-row journey at `src` resampled to `dst` (see resample)."""
    src, dst = FrameRate.parse(src), FrameRate.parse(dst)
    return n if src == dst else max(1, int(Fraction(n) * dst.value / src.value))


def resample(z: np.ndarray, src: FrameRate, dst: FrameRate) -> np.ndarray:
    """The same journey at another frame rate: same duration (n frames last n / fps, so 48 at
    30 fps become 96 at 60, as a replay at 60 fps doubles a take), rows slerped between
    neighbours; times past the last row hold it."""
    src, dst = FrameRate.parse(src), FrameRate.parse(dst)
    if src == dst:
        return np.asarray(z, dtype=np.float32)
    n = resampled_length(len(z), src, dst)
    positions = [Fraction(k) * src.value / dst.value for k in range(n)]
    rows = []
    for p in positions:
        i = min(int(p), len(z) - 1)
        j = min(i + 1, len(z) - 1)
        rows.append(slerp(z[i], z[j], float(p - i)) if j != i else z[i])
    return np.asarray(rows, dtype=np.float32)

"""Even speed between keyframes that keep their times, smooth at every keyframe.

motion/evenspeed.py retimes a whole path at equal steps of image change, which moves the
keyframes and breaks the velocity at them (the pace changes abruptly wherever the image
changes at a different rate). Here each segment between two anchors of a KeyframePath is
retimed on its own, and the retiming is smooth:

- the new timing is t = psi(s) (s: the original frame position, t: the output frame), with
  psi(anchor) = anchor, so every keyframe stays on its frame;
- its slope h = dt/ds is the segment's even pace (time spent where the picture changes) in
  the middle of the segment, and near each anchor blends to one value shared by both sides
  (the geometric mean of their paces; 1 at a still anchor, so holds still ease in and out);
- h is piecewise linear and continuous, so psi is C1 and the velocity z'(t) = z'(s) / h
  stays continuous across the keyframes (the spline is C1 there already).

    path = KeyframePath(keys, frames, length, fps)
    result = even_keyframes(path, generator, oversample=4)
    result.z, result.variation_before, result.variation_after
"""

from __future__ import annotations

import numpy as np

from livelatent.motion.evenspeed import PREVIEW_SIZE, EvenSpeedResult, decode_all
from livelatent.motion.metrics import image_steps, variation

BLEND_SECONDS = 0.5  # how far from a keyframe its shared pace reaches (at most a quarter of a segment)
FLAT = 0.4  # the first 40% of that reach keeps the shared pace exactly: no change of pace at the keyframe
SLOPE_RANGE = (2 / 3, 3 / 2)  # a keyframe's pace against the path's own there: more amplifies its jerk
SMOOTH_SECONDS = 0.25  # change rates are averaged over this long: pace follows the picture, not its noise
FLOOR = 1e-3  # change rates below this fraction of a segment's mean count as this: still stretches are crossed


def even_keyframes(path, generator, *, oversample: int = 4, size=PREVIEW_SIZE, batch: int = 32) -> EvenSpeedResult:
    """The KeyframePath `path` retimed to an even image change per frame between its anchors.
    The variations reported are segment_variation's: within the segments, which is what a
    retiming that keeps the keyframes' times can even (the segments' own paces differ)."""
    n, fps = path.length, float(path.fps.value)
    dense = path.dense(oversample)
    images = decode_all(dense, generator, size=size, batch=batch)
    before = segment_variation(image_steps(images[::oversample]), path.anchors)
    if n < 2:
        return EvenSpeedResult(z=path.sample(), variation_before=before, variation_after=before)
    nodes = np.arange(len(dense), dtype=np.float64) / oversample
    rate = smoothed(node_rates(image_steps(images) * oversample), round(SMOOTH_SECONDS * fps * oversample))
    h = slopes(nodes, rate, path.anchors, blend=BLEND_SECONDS * fps)
    z = path.at(invert(nodes, h, n, [a.frame for a in path.anchors]), oversample)
    after = segment_variation(image_steps(decode_all(z, generator, size=size, batch=batch)), path.anchors)
    return EvenSpeedResult(z=z, variation_before=before, variation_after=after)


def segment_variation(change: np.ndarray, anchors) -> float:
    """The mean over the segments between anchors that move (holds and pauses left out) of
    their frames' change variation (std / mean): what a retiming that keeps the keyframes on
    their frames can even (the segments' own paces differ)."""
    found = [variation(change[a.frame:b.frame]) for a, b in zip(anchors, anchors[1:])
             if change[a.frame:b.frame].sum() > 0]
    return float(np.mean(found)) if found else 0.0


def node_rates(step_rates: np.ndarray) -> np.ndarray:
    """Change per frame at each dense node: the mean of the steps either side."""
    step_rates = np.maximum(np.asarray(step_rates, dtype=np.float64), 0.0)
    padded = np.concatenate([step_rates[:1], step_rates, step_rates[-1:]])
    return (padded[:-1] + padded[1:]) / 2


def smoothed(values: np.ndarray, width: int) -> np.ndarray:
    """A moving average over about 2 x `width` nodes (the ends average what they have)."""
    if width < 2:
        return values
    kernel = np.convolve(np.ones(width), np.ones(width))  # a triangle: the averaged rate has no corners
    return np.convolve(values, kernel, "same") / np.convolve(np.ones_like(values), kernel, "same")


def slopes(nodes: np.ndarray, rate: np.ndarray, anchors, *, blend: float) -> np.ndarray:
    """dt/ds at each node: each segment's even pace, blended near anchors to a shared value.
    Next to an anchor at rest (a hold, a pause, the held ends) the value is the path's own
    pace (1), reaching over half the segment: the ease into the rest keeps its timing (its
    picture hardly changes near the rest, and evening that would rush into it)."""
    frames = [a.frame for a in anchors]
    idx = [int(np.searchsorted(nodes, f)) for f in frames]
    ideal = [_ideal(nodes[i:j + 1], rate[i:j + 1], f1 - f0)
             for (i, j), (f0, f1) in zip(zip(idx, idx[1:]), zip(frames, frames[1:]))]
    ends = _anchor_slopes(anchors, ideal)
    h = np.ones(len(nodes))
    for m, (i, j) in enumerate(zip(idx, idx[1:])):
        length = frames[m + 1] - frames[m]
        reach = [length / 2 if a.still else min(blend, length / 4) for a in anchors[m:m + 2]]
        h[i:j + 1] = _segment(nodes[i:j + 1], ideal[m], ends[m], ends[m + 1], reach)
    return h


def _ideal(s: np.ndarray, rate: np.ndarray, length: float) -> np.ndarray:
    """Time per frame of path that spends the segment's frames in proportion to image change
    (its trapezoid integral is `length`); the original timing where nothing changes."""
    mean = _integral(s, rate) / length
    if mean <= 0:
        return np.ones(len(s))
    ideal = np.maximum(rate, FLOOR * mean)
    return ideal * length / _integral(s, ideal)


def _anchor_slopes(anchors, ideal) -> list[float]:
    """One dt/ds per anchor, shared by the segments either side: 1 at a still anchor (its
    ease stays as it was), else the geometric mean of the two sides' even paces there, kept
    within SLOPE_RANGE of the original pace: a keyframe is not crossed at a crawl or a dash."""
    out = []
    for m, anchor in enumerate(anchors):
        sides = [seg for seg in (ideal[m - 1][-1] if m else None, ideal[m][0] if m < len(ideal) else None)
                 if seg is not None]
        pace = float(np.exp(np.mean(np.log(sides)))) if sides else 1.0
        out.append(1.0 if anchor.still else min(max(pace, SLOPE_RANGE[0]), SLOPE_RANGE[1]))
    return out


def _segment(s: np.ndarray, ideal: np.ndarray, h0: float, h1: float, reach) -> np.ndarray:
    """ideal scaled by k, pulled to h0 / h1 within reach[0] / reach[1] of the ends (smooth
    weights), with k chosen so the segment keeps its length; the reach narrows until k is
    positive."""
    length = s[-1] - s[0]
    r0, r1 = reach
    for _ in range(60):
        w0, w1 = _fade((s - s[0]) / r0), _fade((s[-1] - s) / r1)
        end, rest = w0 * h0 + w1 * h1, np.clip(1.0 - w0 - w1, 0.0, 1.0)
        k = (length - _integral(s, end)) / max(_integral(s, rest * ideal), 1e-300)
        if k > 0.05:
            return end + rest * ideal * k
        r0, r1 = r0 / 2, r1 / 2
    return np.ones(len(s))  # no smooth retiming fits: keep the segment's timing


def _fade(x: np.ndarray) -> np.ndarray:
    """1 up to FLAT, falling smoothly to 0 at 1 (and beyond)."""
    x = np.clip((x - FLAT) / (1 - FLAT), 0.0, 1.0)
    return 1.0 - x * x * (3.0 - 2.0 * x)


def _integral(s: np.ndarray, y: np.ndarray) -> float:
    return float(np.sum((y[1:] + y[:-1]) * np.diff(s)) / 2)


def invert(nodes: np.ndarray, h: np.ndarray, n: int, anchors: list[int]) -> np.ndarray:
    """The path position s of each output frame 0..n-1, where t = psi(s) = integral of the
    piecewise linear h: solved exactly on each interval (psi is quadratic there). Each
    anchor frame maps to itself exactly (each segment's round-off is scaled away)."""
    h = np.array(h, dtype=np.float64)
    ds = np.diff(nodes)
    psi = np.concatenate([[0.0], np.cumsum((h[1:] + h[:-1]) * ds / 2)])
    for f0, f1 in zip(anchors, anchors[1:]):
        i, j = np.searchsorted(nodes, [f0, f1])
        scale = (f1 - f0) / (psi[j] - psi[i])
        psi[i + 1:j + 1] = f0 + (psi[i + 1:j + 1] - psi[i]) * scale
        h[i:j + 1] *= scale
    t = np.arange(n, dtype=np.float64)
    j = np.clip(np.searchsorted(psi, t, side="right") - 1, 0, len(ds) - 1)
    a = (h[j + 1] - h[j]) / (2 * ds[j])
    b, c = h[j], psi[j] - t
    disc = np.sqrt(np.maximum(b * b - 4 * a * c, 0.0))
    # the root in [0, ds] of a u^2 + b u + c, written to stay accurate when a is ~0
    u = np.where(b + disc > 0, -2 * c / np.maximum(b + disc, 1e-300), 0.0)
    s = nodes[j] + np.clip(u, 0.0, ds[j])
    whole = np.isclose(s, np.round(s), rtol=0, atol=1e-9)
    return np.where(whole, np.round(s), s)

"""How much of the frame a clip covers, frame by frame: the layering rule's measure.

The conform gives each frame the z of the topmost clip that fills the frame opaquely
(picks.py). A clip's *cover* at a frame is a number in [0, 1]:
  1    it fills the frame opaquely: nothing below shows;
  0    it does not fill the frame (a title or logo with a transparent background, a
       picture-in-picture inset, a shrunk or rotated clip): what is below keeps the frame,
       and the clip is an overlay the final render will not show;
  else it fills the frame translucently (an opacity fade, a translucent colour): the frame
       blends what is below with it by that weight.
It is the product of the source's own cover (Source.alpha) and of each effect's, evaluated
per frame with MLT's keyframes (mlt_anim.py):
  Placement  the clip drawn into a rect x y w h [opacity] (qtblend, affine, composite,
             pan_zoom, a composition's geometry), optionally rotated; it fills when the
             drawn picture (its aspect kept unless `distort`) covers every frame corner
  ScaleTilt  frei0r.scale0tilt: scale 2 * "Scale X", offset (2 * "Tilt X" - 1) * width, crops
  Opacity    brightness alpha (Kdenlive's fades to and from transparency; alpha < 0 follows level)
Effect positions are the producer's (or composition's) own: `first` is the filter's `in`,
`length` its duration for keyframes counted from the end; outside first..last it does nothing.

>>> from fractions import Fraction
>>> from livelatent.edit.mlt_anim import parse_animation
>>> inset = Placement(parse_animation("0 0 960 540", 25), frame=(1920, 1080))
>>> float(look_cover((inset,), np.array([0]))[0])
0.0
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from livelatent.edit.mlt_anim import Animation

# how much of the frame a picture may miss at an edge and still fill it: rounding in rects, and
# a clip sized by hand a few pixels short (3 of 1080 in a real project) is meant to fill it
EDGE = 0.005
FULL, EMPTY = np.array([0.0, 0.0, 1.0, 1.0]), np.zeros(4)


def _edge(w: float, h: float) -> tuple[float, float]:
    """The pixels a picture may miss across and down a w x h frame (at least one)."""
    return max(1.0, EDGE * w), max(1.0, EDGE * h)


@dataclass(frozen=True, slots=True)
class Span:
    """Where an effect acts, in positions of what it is attached to: first..last (None: on)."""

    first: int = 0
    last: int | None = None
    length: int = 1  # the effect's duration, for keyframes counted from its end

    def local(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(active mask, positions relative to the effect's start)."""
        active = positions >= self.first
        if self.last is not None:
            active &= positions <= self.last
        return active, positions - self.first


@dataclass(frozen=True, slots=True)
class Placement:
    """A picture drawn into `rect` (pixels of `frame`, or fractions when written with '%');
    rotation in degrees about the rect's centre (or its top-left corner); shape: the picture's
    display aspect over the frame's (a phone's portrait clip in a 16:9 project: 0.32)."""

    rect: Animation
    frame: tuple[int, int]
    span: Span = Span()
    rotation: Animation | None = None
    rotate_center: bool = True
    distort: bool = False
    opacity: bool = True  # the rect's fifth value is the picture's opacity
    shape: float = 1.0

    def drawn(self, positions: np.ndarray) -> tuple[np.ndarray, ...]:
        """(active, x, y, w, h, angle, opacity) of the picture as drawn at these positions:
        its box in frame pixels (the frame's aspect kept unless distort), turned by angle."""
        active, local = self.span.local(positions)
        values = self.rect.at(local, self.span.length)
        w, h = self.frame
        x, y, rw, rh = (values[:, i] for i in range(4))
        if self.rect.relative:
            x, y, rw, rh = x * w, y * h, rw * w, rh * h
        if not self.distort:  # the picture keeps its aspect, centred in the rect
            pw, ph = w * self.shape, h
            scale = np.minimum(rw / pw, rh / ph)
            x, y, rw, rh = x + (rw - pw * scale) / 2, y + (rh - ph * scale) / 2, pw * scale, ph * scale
        angle = self.rotation.at(local, self.span.length)[:, 0] if self.rotation is not None else np.zeros(len(x))
        opaque = np.clip(values[:, 4], 0.0, 1.0) if self.opacity and values.shape[1] > 4 else np.ones(len(x))
        return active, x, y, rw, rh, angle, opaque

    def cover(self, positions: np.ndarray) -> np.ndarray:
        active, x, y, rw, rh, angle, opaque = self.drawn(positions)
        fills = _box_fills_frame(x, y, rw, rh, angle, self.rotate_center, *self.frame)
        return np.where(active, fills * opaque, 1.0)

    def box(self, positions: np.ndarray, box: np.ndarray) -> np.ndarray:
        """Where the opaque part `box` of the picture drawn lands (fractions of the frame);
        empty when it is turned or translucent."""
        active, x, y, rw, rh, angle, opaque = self.drawn(positions)
        w, h = self.frame
        out = _mapped(box, x / w, y / h, rw / w, rh / h)
        out[(angle % 360 != 0) | (opaque < 1)] = EMPTY
        return np.where(active[:, None], out, box)


def _box_fills_frame(x, y, bw, bh, angle, about_centre: bool, w: int, h: int) -> np.ndarray:
    """Whether the box (rotated by angle degrees) contains the four frame corners."""
    theta = np.radians(angle)
    cx, cy = (x + bw / 2, y + bh / 2) if about_centre else (x, y)
    fills, (ex, ey) = np.ones(len(x), bool), _edge(w, h)
    for px, py in ((0, 0), (w, 0), (0, h), (w, h)):
        # the corner in the box's own (unrotated) coordinates
        dx, dy = px - cx, py - cy
        ux = np.cos(-theta) * dx - np.sin(-theta) * dy + cx
        uy = np.sin(-theta) * dx + np.cos(-theta) * dy + cy
        fills &= (ux >= x - ex) & (ux <= x + bw + ex) & (uy >= y - ey) & (uy <= y + bh + ey)
    return fills.astype(np.float64)


@dataclass(frozen=True, slots=True)
class ScaleTilt:
    """frei0r.scale0tilt: params "Scale X", "Scale Y", "Tilt X", "Tilt Y", "Clip left", ...
    (0..1, scale 0.5 = full size, tilt 0.5 = in place), each an Animation."""

    params: tuple[tuple[str, Animation], ...]
    frame: tuple[int, int]
    span: Span = Span()

    def placed(self, positions: np.ndarray) -> tuple[np.ndarray, tuple, list]:
        """(active, offset and scale (ox, oy, sx, sy), crops [left, top, right, bottom]) in
        fractions of the frame."""
        active, local = self.span.local(positions)
        defaults = {"Scale X": 0.5, "Scale Y": 0.5, "Tilt X": 0.5, "Tilt Y": 0.5}
        value = {name: np.full(len(local), default) for name, default in defaults.items()}
        for name, anim in self.params:
            value[name] = anim.at(local, self.span.length)[:, 0]
        crop = [value.get(f"Clip {side}", np.zeros(len(local))) for side in ("left", "top", "right", "bottom")]
        return active, (2 * value["Tilt X"] - 1, 2 * value["Tilt Y"] - 1, 2 * value["Scale X"], 2 * value["Scale Y"]), crop

    def box(self, positions: np.ndarray, box: np.ndarray) -> np.ndarray:
        active, (ox, oy, sx, sy), (cl, ct, cr, cb) = self.placed(positions)
        kept = np.stack([np.maximum(box[:, 0], cl), np.maximum(box[:, 1], ct),
                         np.minimum(box[:, 2], 1 - cr), np.minimum(box[:, 3], 1 - cb)], axis=1)
        return np.where(active[:, None], _mapped(kept, ox, oy, sx, sy), box)

    def cover(self, positions: np.ndarray) -> np.ndarray:
        # where the effect is not active its box is the whole frame, which fills: cover 1
        x0, y0, x1, y1 = self.box(positions, np.tile(FULL, (len(positions), 1))).T
        ex, ey = _edge(*self.frame)
        ex, ey = ex / self.frame[0], ey / self.frame[1]
        fills = (x0 <= ex) & (y0 <= ey) & (x1 >= 1 - ex) & (y1 >= 1 - ey)
        return fills.astype(np.float64)


@dataclass(frozen=True, slots=True)
class Opacity:
    """A picture's opacity (brightness `alpha`); alpha < 0 follows `level`, as MLT does."""

    alpha: Animation
    span: Span = Span()
    level: Animation | None = None

    def cover(self, positions: np.ndarray) -> np.ndarray:
        active, local = self.span.local(positions)
        alpha = self.alpha.at(local, self.span.length)[:, 0]
        if self.level is not None:
            alpha = np.where(alpha < 0, self.level.at(local, self.span.length)[:, 0], alpha)
        return np.where(active, np.clip(alpha, 0.0, 1.0), 1.0)

    def box(self, positions: np.ndarray, box: np.ndarray) -> np.ndarray:
        """A translucent picture is opaque nowhere."""
        return np.where((self.cover(positions) < 1)[:, None], EMPTY, box)


Look = tuple  # of Placement | ScaleTilt | Opacity: a clip's, a track's or a composition's effects


def look_cover(look: Look, positions: np.ndarray) -> np.ndarray:
    """The product of the effects' covers at these positions (1 where there are none)."""
    cover = np.ones(len(positions))
    for effect in look:
        cover *= effect.cover(np.asarray(positions, np.float64))
    return cover


def look_box(look: Look, positions: np.ndarray, box: np.ndarray | None = None) -> np.ndarray:
    """(n, 4) boxes x0 y0 x1 y1, in fractions of the frame, of where the picture is opaque
    after the effects (from `box`, default the whole frame); x1 <= x0 where it is nowhere."""
    positions = np.asarray(positions, np.float64)
    box = np.tile(FULL, (len(positions), 1)) if box is None else np.asarray(box, np.float64)
    for effect in look:
        box = effect.box(positions, box)
    return clipped(box)


def clipped(box: np.ndarray) -> np.ndarray:
    """Boxes cut to the frame, an empty one as EMPTY."""
    box = np.clip(box, 0.0, 1.0)
    box[(box[:, 2] <= box[:, 0]) | (box[:, 3] <= box[:, 1])] = EMPTY
    return box


def contains(outer: np.ndarray, inner: np.ndarray) -> np.ndarray:
    """Whether each outer box (not empty) holds its inner box, within EDGE."""
    return ((outer[:, 2] > outer[:, 0]) & (outer[:, 0] <= inner[:, 0] + EDGE) & (outer[:, 1] <= inner[:, 1] + EDGE)
            & (outer[:, 2] >= inner[:, 2] - EDGE) & (outer[:, 3] >= inner[:, 3] - EDGE))


def union(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The box around both (an empty one adds nothing)."""
    around = np.concatenate([np.minimum(a[:, :2], b[:, :2]), np.maximum(a[:, 2:], b[:, 2:])], axis=1)
    return np.where((a[:, 2] <= a[:, 0])[:, None], b, np.where((b[:, 2] <= b[:, 0])[:, None], a, around))


def _mapped(box: np.ndarray, x, y, w, h) -> np.ndarray:
    """A box of a picture drawn into (x, y, w, h), all in fractions of the frame."""
    return np.stack([x + box[:, 0] * w, y + box[:, 1] * h, x + box[:, 2] * w, y + box[:, 3] * h], axis=1)


def blend_weight_of(mode: str) -> float | None:
    """The weight of the upper picture for a composition blend mode, None for plain 'over':
    additive and other symmetric modes count both pictures alike."""
    return None if mode in ("", "normal", "over", "0") else 0.5

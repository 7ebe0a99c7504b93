"""MLT animated properties: keyframe strings evaluated per frame as MLT evaluates them.

A property such as a composition's `rect` or a fade's `alpha` is either one value or
keyframes "POS=VALUE;POS=VALUE;..." (mlt_animation.c):
  POS     frames, a clock "00:00:01.200" or SMPTE time (mlt_time.parse_time, the project's
          rate); negative: counted back from the animation's length (-1 is its last frame)
  =       linear between keyframes; "|=" holds (discrete); "~=" (and "$=") smooth: MLT's
          Catmull-Rom through the neighbouring keyframes; other MLT 7 easing marks: linear
  VALUE   a number, or a rect "x y w h [opacity]" (any non-numeric characters separate its
          numbers; a number followed by '%' is a fraction of the frame, as mlt_property_get_rect
          reads it). Decimal commas as Kdenlive writes them under other locales ("0,5", and
          "0 0 1920 1080 0,5") are read as points; a rect without spaces ("0,0:100%x100%")
          uses its commas as separators.
Before the first keyframe the first value holds, after the last the last.

>>> from fractions import Fraction
>>> alpha = parse_animation("0=1;9=0", Fraction(25))
>>> [round(float(v), 3) for v in alpha.at(np.array([0, 3, 9, 20]), length=10)[:, 0]]
[1.0, 0.667, 0.0, 0.0]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from livelatent.errors import ProjectError
from livelatent.edit.mlt_time import parse_time

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?(%?)")
_SMOOTH, _DISCRETE, _LINEAR = "smooth", "discrete", "linear"
_MARKS = {"~": _SMOOTH, "$": _SMOOTH, "|": _DISCRETE}


@dataclass(frozen=True, slots=True)
class Keyframe:
    position: int  # negative: from the end of the animation
    values: tuple[float, ...]
    interp: str = _LINEAR


@dataclass(frozen=True, slots=True)
class Animation:
    """Keyframes of one property; relative: written with percentages (a rect in fractions of
    the frame, as MLT's transitions read any rect string holding a '%')."""

    keyframes: tuple[Keyframe, ...]
    relative: bool = False

    @property
    def width(self) -> int:
        return max(len(k.values) for k in self.keyframes)

    def at(self, positions: np.ndarray, length: int) -> np.ndarray:
        """Values (len(positions), width) at animation positions (frames from its start)."""
        keys = sorted(((k.position + length if k.position < 0 else k.position), k) for k in self.keyframes)
        where = np.array([p for p, _ in keys], np.float64)
        table = np.array([_padded(k.values, self.width) for _, k in keys], np.float64)
        pos = np.asarray(positions, np.float64)
        if len(keys) == 1:
            return np.repeat(table[:1], len(pos), axis=0)
        right = np.clip(np.searchsorted(where, pos, side="right"), 1, len(keys) - 1)
        left = right - 1
        span = where[right] - where[left]
        t = np.clip((pos - where[left]) / np.where(span > 0, span, 1), 0.0, 1.0)[:, None]
        linear = table[left] + (table[right] - table[left]) * t
        kinds = np.array([k.interp for _, k in keys])[left]
        out = np.where((kinds == _DISCRETE)[:, None] & (t < 1), table[left], linear)
        smooth = kinds == _SMOOTH
        if smooth.any():
            before, after = np.maximum(left - 1, 0), np.minimum(right + 1, len(keys) - 1)
            curve = _catmull_rom(table[before], table[left], table[right], table[after], t)
            out = np.where(smooth[:, None], curve, out)
        return out


def _padded(values: tuple[float, ...], width: int) -> list[float]:
    """A rect without opacity is opaque (MLT's default o = 1)."""
    return list(values) + [1.0] * (width - len(values))


def _catmull_rom(y0, y1, y2, y3, t):
    """MLT's smooth keyframes (mlt_property.c catmull_rom_interpolate)."""
    a0 = -0.5 * y0 + 1.5 * y1 - 1.5 * y2 + 0.5 * y3
    a1 = y0 - 2.5 * y1 + 2 * y2 - 0.5 * y3
    a2 = -0.5 * y0 + 0.5 * y2
    return ((a0 * t + a1) * t + a2) * t + y1


def parse_values(text: str) -> tuple[tuple[float, ...], bool]:
    """The numbers of one value (a number or a rect), percentages as fractions, and whether
    any was a percentage."""
    text = text.strip()
    if " " in text or not re.search(r"[:x/]", text):
        text = text.replace(",", ".")  # a decimal comma, not a separator
    values, relative = [], False
    for match in _NUMBER.finditer(text):
        number = float(match.group(0).rstrip("%"))
        values.append(number / 100 if match.group(1) else number)
        relative |= bool(match.group(1))
    return tuple(values), relative


def _split_mark(head: str) -> tuple[str, str]:
    """'12|' -> ('12', '|'): the keyframe type written before '='."""
    head = head.strip()
    if head and not head[-1].isdigit() and head[-1] != ".":
        return head[:-1], head[-1]
    return head, ""


def parse_animation(text: str, fps: Fraction | float, *, what: str = "keyframes") -> Animation:
    """An Animation from a property value: one value, or "POS=VALUE;..." keyframes."""
    items = [item for item in str(text).split(";") if item.strip()]
    if not items:
        raise ProjectError(f"{what}: empty value; expected a number, a rect or POS=VALUE keyframes")
    keyframes, relative = [], False
    for item in items:
        head, eq, value = item.partition("=")
        if not eq:
            head, value = "0", item
        head, mark = _split_mark(head)
        values, percent = parse_values(value)
        if not values:
            raise ProjectError(f"{what}: {item.strip()!r} has no number; expected POS=VALUE such as 0=1")
        keyframes.append(Keyframe(parse_time(head or "0", fps, what=what), values, _MARKS.get(mark, _LINEAR)))
        relative |= percent
    return Animation(tuple(keyframes), relative)

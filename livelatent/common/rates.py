"""Frame rates as exact rationals; positions are integer frames.

Seconds appear only at the edges (wall clock, video containers, Kdenlive time strings).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from livelatent.errors import UsageError

_NAMED = {
    "23.976": Fraction(24000, 1001),
    "29.97": Fraction(30000, 1001),
    "59.94": Fraction(60000, 1001),
    "119.88": Fraction(120000, 1001),
}


@dataclass(frozen=True, slots=True)
class FrameRate:
    """An exact frame rate, e.g. FrameRate.parse("30000/1001") or FrameRate(Fraction(25))."""

    value: Fraction

    def __post_init__(self) -> None:
        if not isinstance(self.value, Fraction):
            object.__setattr__(self, "value", Fraction(self.value))
        if self.value <= 0:
            raise UsageError(f"frame rate must be positive, got {self.value}")

    @classmethod
    def parse(cls, text: "str | int | float | Fraction | FrameRate") -> "FrameRate":
        """Accepts 30, "25", "30000/1001", "29.97" (read as 30000/1001), or a FrameRate."""
        if isinstance(text, FrameRate):
            return text
        if isinstance(text, (int, Fraction)):
            return cls(Fraction(text))
        s = str(text).strip()
        if s in _NAMED:
            return cls(_NAMED[s])
        try:
            value = Fraction(s)
        except (ValueError, ZeroDivisionError):
            raise UsageError(f"frame rate {text!r}: expected a number or a ratio such as 30000/1001") from None
        return cls(value.limit_denominator(1001) if "." in s else value)

    @property
    def num(self) -> int:
        return self.value.numerator

    @property
    def den(self) -> int:
        return self.value.denominator

    def __float__(self) -> float:
        return float(self.value)

    def __str__(self) -> str:
        return str(self.num) if self.den == 1 else f"{self.num}/{self.den}"

    def seconds(self, frame: int) -> Fraction:
        """Exact time of a frame's start."""
        return Fraction(frame) / self.value

    def first_frame_at(self, seconds: Fraction) -> int:
        """The first frame whose start is at or after `seconds` (0 for any time before 0)."""
        return max(math.ceil(Fraction(seconds) * self.value), 0)

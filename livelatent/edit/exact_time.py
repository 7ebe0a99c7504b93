"""Times as interchange files write them (a double value at a double rate) made exact.

OpenTimelineIO stores RationalTime(value, rate) with both as doubles: 30000/1001 arrives as
29.97002997002997, FCP 7 XML's NTSC 24 as 23.976, a timecode as 86501.0. These helpers turn
them back into the rationals the edit meant, so that frame arithmetic stays exact:

    snap_rate(29.97) == snap_rate(30000 / 1001) == Fraction(30000, 1001)
    seconds(1008.02, 23.976) == Fraction(100802, 100) / Fraction(24000, 1001)
    round_half_up(Fraction(25, 2)) == 13
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache

NTSC = Fraction(1000, 1001)
NTSC_TOLERANCE = 1e-3  # 23.976 and 29.97 as written by FCP 7 XML are within 3e-5 of n * 1000/1001


def exact(value: float) -> Fraction:
    """The decimal a double was written as (1008.02 -> 100802/100, not its binary expansion).
    Raises ValueError for NaN and infinities."""
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{value} is not a finite number")
    return Fraction(repr(value))


@lru_cache(maxsize=64)  # an edit uses a few rates, thousands of times
def snap_rate(rate: float) -> Fraction:
    """A frame rate as the rational it stands for: whole rates stay whole, n * 1000/1001 within
    1e-3 (29.97, 23.976, 59.94...) becomes exactly that, anything else its written decimal."""
    value = exact(rate)
    if value <= 0:
        raise ValueError(f"frame rate {rate} is not positive")
    if value.denominator == 1:
        return value
    whole = round(value / NTSC)
    if whole > 0 and abs(float(value - whole * NTSC)) < NTSC_TOLERANCE:
        return whole * NTSC
    return value


def seconds(value: float, rate: float) -> Fraction:
    """Exact seconds of `value` frames at `rate`."""
    return exact(value) / snap_rate(rate)


def round_half_up(x: Fraction) -> int:
    """The nearest whole number, halves going up (as avformat's + 0.5, and editors' frame grids)."""
    if x.denominator == 1:
        return x.numerator
    return math.floor(x + Fraction(1, 2))

"""MLT time values to integer frames, exactly as MLT's `mlt_property_atoi` reads them.

Three syntaxes; the value decides (not the document version):
  clock  "HH:MM:SS.mmm"  floor(fps*H*3600) + floor(fps*M*60) + lrint(fps*S)
  SMPTE  "HH:MM:SS:FF"   floor(fps*H*3600) + floor(fps*M*60) + ceil(fps*SS) + FF  (";FF" too)
  integer "123"
fps is the project profile rate as a double (num/den), as in MLT. A decimal comma
("00:00:05,080", written under comma locales before Kdenlive 20.08) is read as a point.
Naive round(seconds*fps) is wrong for a third of the frames at 29.97 after the first minute.

>>> from fractions import Fraction
>>> parse_time("00:01:00.042", Fraction(24000, 1001))
1439
>>> parse_time("00:00:02:00", Fraction(25))
50
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

from livelatent.errors import ProjectError

_LEADING_INT = re.compile(r"\s*([+-]?\d+)")
_LEADING_FLOAT = re.compile(r"\s*([+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)")


def _atoi(text: str) -> int:
    """C atoi: the leading integer, 0 when there is none."""
    m = _LEADING_INT.match(text)
    return int(m.group(1)) if m else 0


def _atof(text: str) -> float:
    """C strtod: the leading decimal number, 0.0 when there is none."""
    m = _LEADING_FLOAT.match(text)
    return float(m.group(1)) if m else 0.0


def _lrint(x: float) -> int:
    """C lrint in the default rounding mode: round half to even."""
    return int(round(x))


def _hours_minutes(parts: list[str]) -> tuple[int, int]:
    if len(parts) >= 2:
        return _atoi(parts[-2]), _atoi(parts[-1])
    if len(parts) == 1:
        return 0, _atoi(parts[0])
    return 0, 0


def parse_time(value: str | int, fps: Fraction | float, *, what: str = "time") -> int:
    """Frames for an MLT time value at the project rate `fps` (see the module docstring)."""
    if isinstance(value, int):
        return value
    text = str(value).strip().replace(",", ".")
    if not text:
        raise ProjectError(f"{what}: empty time value; expected frames or HH:MM:SS.mmm")
    rate = float(fps)
    if ":" in text:
        head, _, last = text.rpartition(":")
        parts = head.split(":") if head else []
        if "." in text:  # clock: the last field holds seconds with a decimal part
            hours, minutes = _hours_minutes(parts)
            seconds = _atof(last)
            return math.floor(rate * hours * 3600) + math.floor(rate * minutes * 60) + _lrint(rate * seconds)
        # SMPTE: HH:MM:SS:FF (or ;FF for drop-frame, without any drop compensation)
        head, _, frames = text.replace(";", ":").rpartition(":")
        fields = head.split(":")
        seconds = _atoi(fields[-1])
        hours, minutes = _hours_minutes(fields[:-1])
        return (math.floor(rate * hours * 3600) + math.floor(rate * minutes * 60)
                + math.ceil(rate * seconds) + _atoi(frames))
    if ";" in text:
        return parse_time(text.replace(";", ":"), fps, what=what)
    if not _LEADING_INT.match(text):
        raise ProjectError(f"{what}: {value!r} is not a time; expected frames or HH:MM:SS.mmm")
    return _atoi(text)


def format_clock(frame: int, fps: Fraction | float) -> str:
    """MLT's `time_clock_from_frames` ("%02d:%02d:%06.3f"); parse_time inverts it exactly."""
    rate = float(fps)
    hours = int(frame / (rate * 3600))
    frame -= math.floor(hours * 3600 * rate)
    minutes = int(frame / (rate * 60))
    frame -= math.floor(minutes * 60 * rate)
    seconds = frame / rate
    return f"{hours:02d}:{minutes:02d}:{seconds:06.3f}"


def parse_speed(text: str) -> float:
    """A timewarp speed such as "0.5", "-1.000000" or "2,05" (decimal comma before 20.08);
    0 plays at speed 1, as MLT's timewarp does."""
    try:
        speed = float(str(text).strip().replace(",", "."))
    except ValueError:
        speed = math.nan
    if not math.isfinite(speed) or abs(speed) > 1000:
        raise ProjectError(f"speed {text!r}: expected a number such as 0.5 or -1, at most 1000 times")
    return speed or 1.0


def parse_index(text: str | None, default: int, what: str) -> int:
    """A track index property (a_track, b_track): a whole number, `default` when empty."""
    try:
        return int(text) if text not in (None, "") else default
    except ValueError:
        raise ProjectError(f"{what}: track index {text!r}; expected a whole number") from None


def frame_rate_of(num: str | int | None, den: str | int | None) -> Fraction | None:
    """Fraction(num, den) from profile-style attributes, or None when absent or zero."""
    try:
        n, d = int(str(num).replace(",", ".").split(".")[0]), int(str(den).split(".")[0] or 1)
    except (TypeError, ValueError):
        return None
    return Fraction(n, d) if n > 0 and d > 0 else None


MAX_HOURS = 24  # a timeline (or a position in one) beyond this is a broken file, not an edit


def max_frames(fps: Fraction | float) -> int:
    """The most frames a timeline may hold at `fps` before the conform refuses it."""
    return int(MAX_HOURS * 3600 * float(fps))


def cut_range(first: int, last: int, length: int | None) -> tuple[int, int | None]:
    """An entry's in/out as MLT clamps them to its producer's length (mlt_producer_set_in_and_out):
    in < 0 -> 0 and in >= length -> length - 1; out < 0 or >= length -> length - 1; then swapped
    when out < in (melt plays an inverted cut forwards). With the length unknown, a negative
    out cannot be resolved: None.

    >>> cut_range(-5, 3, 90), cut_range(20, 15, 90), cut_range(85, 95, 90), cut_range(10, -1, 90)
    ((0, 3), (15, 20), (85, 89), (10, 89))
    """
    if length is not None and length <= 0:
        return 0, None
    first = max(first, 0)
    if length is not None:
        first = min(first, length - 1)
        if last < 0 or last >= length:
            last = length - 1
    elif last < 0:
        return first, None
    return (last, first) if last < first else (first, last)


def media_length(seconds: float, fps: Fraction | float) -> int:
    """Frames avformat gives a file of `seconds` (its container duration) at `fps`, rounded as
    melt 7.12 does, half to even (lrint): 3.6 s at 30000/1001 is 108 frames, 5.005 s at 100 is 500."""
    return _lrint(seconds * float(fps))


def parse_length(value: str, fps: Fraction | float, *, what: str = "length") -> int:
    """A producer's `length` property: a time value of at least one frame."""
    frames = parse_time(value, fps, what=what)
    if frames <= 0:
        raise ProjectError(f"{what}: length {value!r}; expected at least one frame")
    return frames


def check_position(position: int, fps: Fraction | float, what: str) -> None:
    """Refuse, before anything is allocated, a timeline position beyond MAX_HOURS."""
    if position > max_frames(fps):
        raise ProjectError(f"{what} reaches frame {position} ({position / float(fps) / 3600:.0f} hours); "
                           f"expected a timeline under {MAX_HOURS} hours")

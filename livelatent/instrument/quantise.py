"""Beat-quantised triggers: a trigger pressed between beats waits for the next beat (or bar, or
2 bars ...) and applies exactly on that beat's tick. Pure: the live loop routes each tick's
events through a Quantiser, which the Performance's beat grid (instrument/tempo.py) times.

    q = Quantiser("bar")                            # the show's default; a binding may say otherwise
    q.route(tick=470, events=[keyframe 3], grid=perf.beat, tick_rate=240)   # [] : held
    q.route(tick=480, events=[], ...)               # [keyframe 3] on the bar's tick
    q.repeat("4bar", lambda: make("keyframe.random", source="autopilot"))  # autopilot in bars

Units: "off", "beat", "Nbeat", "bar", "Nbar" ("2bar", "4bar"). Only triggers are held (the
actions in QUANTISED); knobs, stores and everything else apply at once. The events applied at
a beat are logged at that tick like any other, so a replay needs neither the grid nor this.
"""

from __future__ import annotations

import re
from dataclasses import replace

from livelatent.errors import ControlMessageError

QUANTISED = ("keyframe", "keyframe.random", "keyframe.next", "z")  # the triggers a beat can hold
_UNIT = re.compile(r"^(\d*)\s*(beat|bar)s?$")


def unit_beats(unit: str, beats_per_bar: int = 4) -> float:
    """'off' -> 0, 'beat' -> 1, '2bar' -> 8 (in 4/4); ValueError naming what is allowed."""
    text = str(unit).strip().lower()
    if text in ("off", "", "0"):
        return 0.0
    m = _UNIT.match(text)
    if m is None or m.group(1) == "0":
        raise ValueError(f"quantise {unit!r}: expected off, beat, bar, or a count of them such as 2beat or 4bar")
    n = int(m.group(1) or 1)
    return float(n * (beats_per_bar if m.group(2) == "bar" else 1))


def check_unit(unit: str) -> str:
    """The unit as logged ("off", "beat", "2bar", ...); ControlMessageError if it is none."""
    try:
        beats = unit_beats(unit)
    except ValueError as exc:
        raise ControlMessageError(str(exc)) from None
    return str(unit).strip().lower() if beats else "off"


class Quantiser:
    """Holds triggers until their beat; see the module docstring. One per show (the loop's)."""

    def __init__(self, default: str = "off") -> None:
        self.default = check_unit(default)
        self._held: list[tuple[int, str, object]] = []  # (tick pressed, unit, event), in press order
        self._repeats: list[tuple[str, object, int]] = []  # (unit, make event, last tick fired)

    @property
    def held(self) -> int:
        return len(self._held)

    def repeat(self, unit: str, make_event) -> None:
        """make_event() on every boundary of `unit` (autopilot in bars)."""
        if not unit_beats(unit):
            raise ValueError(f"repeat every {unit!r}: expected beats or bars")
        self._repeats.append((check_unit(unit), make_event, -1))

    def route(self, tick: int, events: list, grid, tick_rate: int) -> list:
        """The events to apply at `tick`: those held whose beat is now, then repeats falling
        now, then this tick's new events that need no beat (or whose beat is now)."""
        now = self._due(tick, grid, tick_rate) + self._repeated(tick, grid, tick_rate)
        for event in events:
            unit = getattr(event, "quantise", "") or self.default
            if event.action not in QUANTISED or unit == "off":
                now.append(event)
            elif grid.next_boundary(tick, unit_beats(unit, grid.beats_per_bar), tick_rate) == tick:
                now.append(_plain(event))
            else:
                self._held.append((tick, unit, event))
        return now

    def _due(self, tick: int, grid, tick_rate: int) -> list:
        """Held triggers whose beat, on the grid as it is now, has come (a tempo change or a
        beat from the clock between the press and the beat moves the beat with it)."""
        due, kept = [], []
        for pressed, unit, event in self._held:
            beat = grid.next_boundary(pressed, unit_beats(unit, grid.beats_per_bar), tick_rate)
            (due if beat <= tick else kept).append((pressed, unit, event))
        self._held = kept
        return [_plain(event) for _, _, event in due]

    def _repeated(self, tick: int, grid, tick_rate: int) -> list:
        out = []
        for i, (unit, make_event, fired) in enumerate(self._repeats):
            if fired != tick and grid.next_boundary(tick, unit_beats(unit, grid.beats_per_bar), tick_rate) == tick:
                out.append(make_event())
                self._repeats[i] = (unit, make_event, tick)
        return out


def _plain(event):
    """The event as applied on its beat (its own quantise said; the log keeps the action)."""
    return replace(event, quantise="") if getattr(event, "quantise", "") else event

"""Control events: the one vocabulary that MIDI, OSC, the keyboard and replays speak.

A ControlEvent is a small immutable value: an action from ACTIONS, its arguments (plain
JSON-able values), where it came from, and when it reached the control bus. Device threads
build events and put them on the bus; the live loop applies them at tick boundaries; the
recorder logs them as JSON (to_dict / from_dict) so a replay feeds the same events back.

    >>> ev = make("keyframe", 3, source="osc")
    >>> ev.action, ev.args
    ('keyframe', (3, 1.0))
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from livelatent.common import checks
from livelatent.errors import ControlMessageError
from livelatent.motion.params import MOVERS, MotionParams
from livelatent.common.picture import check_picture_event

MOTION_PARAMS = tuple(MotionParams.RANGES)  # the numeric knobs; "mover" has its own action
SOURCES = ("osc", "midi", "key", "cli", "api", "replay", "autopilot")

# Actions that change the Performance (and so the z path); all others are the app's business.
PERFORMANCE_ACTIONS = ("keyframe", "keyframe.random", "z", "store", "motion", "mover", "noise")
# model.psi (value, "norm"|"raw") and model.class (index) change how frames are decoded
# (livelatent.common.picture), not the z path: the app keeps them, takes log them, replay reapplies them.
APP_ACTIONS = ("model.psi", "model.class", "snapshot", "grid", "record.start", "record.stop", "record.toggle", "hud", "learn", "quit")
ACTIONS = PERFORMANCE_ACTIONS + APP_ACTIONS


@dataclass(frozen=True, slots=True)
class ControlEvent:
    """action: one of ACTIONS; args: its arguments; source: one of SOURCES;
    arrival: seconds on the loop's clock when it reached the bus (set by ControlBus.put)."""

    action: str
    args: tuple = ()
    source: str = "api"
    arrival: float = 0.0

    def at(self, arrival: float) -> "ControlEvent":
        return replace(self, arrival=float(arrival))

    def to_dict(self) -> dict:
        return {"action": self.action, "args": list(self.args), "source": self.source, "arrival": self.arrival}

    @classmethod
    def from_dict(cls, d: dict) -> "ControlEvent":
        try:
            return make(d["action"], *d.get("args", ()), source=d.get("source", "replay"),
                        arrival=float(d.get("arrival", 0.0)))
        except (KeyError, TypeError, ValueError) as exc:
            raise ControlMessageError(f"event {_short_dict(d)}: expected keys action, args, source, arrival "
                                      f"({type(exc).__name__}: {exc})") from None

    def __str__(self) -> str:
        shown = ", ".join(_short(a) for a in self.args)
        return f"{self.action}({shown})"


def _short_dict(d) -> str:
    text = repr(d)
    return text if len(text) <= 80 else text[:77] + "..."


def _short(value) -> str:
    if isinstance(value, tuple) and len(value) > 4:
        return f"<{len(value)} floats>"
    return repr(value)


def make(action: str, *args, source: str = "api", arrival: float = 0.0) -> ControlEvent:
    """Build a checked event; a wrong action or argument raises ControlMessageError."""
    check = _CHECKS.get(action)
    if check is None:
        raise ControlMessageError(f"action {action!r}: expected one of {', '.join(ACTIONS)}")
    if source not in SOURCES:
        raise ControlMessageError(f"source {source!r}: expected one of {', '.join(SOURCES)}")
    return ControlEvent(action, check(action, args), source, float(arrival))


def supersede_key(event: ControlEvent):
    """Events with the same key, applied at the same tick, leave only the last one's effect:
    nothing moves between them. (action, param) for knob settings, the action for noise, z and
    model.psi; None for everything else (triggers, stores, random draws all count)."""
    if event.action == "motion":
        return ("motion", event.args[0])
    if event.action in ("noise", "z", "model.psi"):
        return event.action
    return None


def coalesce(events: list[ControlEvent]) -> list[ControlEvent]:
    """The events of one tick without those a later one supersedes (a fader streaming 10,000
    values a second sets the knob once per tick). Order of the rest is kept; same z either way."""
    last = {key: i for i, e in enumerate(events) if (key := supersede_key(e)) is not None}
    return [e for i, e in enumerate(events) if (key := supersede_key(e)) is None or last[key] == i]


def coalesce_between_triggers(events: list[ControlEvent]) -> list[ControlEvent]:
    """coalesce() within each run of knob settings, never across a trigger: for events that
    may apply over several ticks (an OSC burst), each trigger still sees the knobs it would have."""
    out, run = [], []
    for e in events:
        if supersede_key(e) is None:
            out += coalesce(run) if len(run) > 1 else run
            out.append(e)
            run = []
        else:
            run.append(e)
    return out + (coalesce(run) if len(run) > 1 else run)


# ---- argument checks, one per action: (action, args) -> normalised args tuple ----


def _keyframe(action, args):
    checks.count(action, args, 1, 2)
    strength = checks.number(action, args[1], "strength") if len(args) > 1 else 1.0
    if not 0.0 <= strength <= 1.0:
        raise ControlMessageError(f"{action}: strength must be in 0..1, got {strength}")
    return (checks.slot(action, args[0]), strength)


def _z(action, args):
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    if not args:
        raise ControlMessageError(f"{action}: expected d numbers (the target z), got none")
    if set(map(type, args)) <= {float, int} and all(map(math.isfinite, args)):
        return tuple(map(float, args))  # the common case, checked at C speed: a z from OSC is 512 values
    return tuple(checks.number(action, v, "z value") for v in args)


def _motion(action, args):
    """("settle_time", value, "norm"|"raw"): norm values in 0..1 map onto the param's range."""
    checks.count(action, args, 2, 3)
    name, value = args[0], checks.number(action, args[1], "value")
    form = args[2] if len(args) > 2 else "norm"
    if name not in MOTION_PARAMS:
        raise ControlMessageError(f"{action}: parameter {name!r}: expected one of {', '.join(MOTION_PARAMS)}")
    if form not in ("norm", "raw"):
        raise ControlMessageError(f"{action}: form {form!r}: expected 'norm' or 'raw'")
    if form == "norm" and not 0.0 <= value <= 1.0:
        raise ControlMessageError(f"{action}: normalised {name} must be in 0..1, got {value}")
    return (name, value, form)


def _mover(action, args):
    checks.count(action, args, 1, 1)
    name = args[0]
    if not isinstance(name, str):
        idx = checks.slot(action, name)
        if idx >= len(MOVERS):
            raise ControlMessageError(f"{action}: mover index {idx}: expected 0..{len(MOVERS) - 1}")
        name = MOVERS[idx]
    if name not in MOVERS:
        raise ControlMessageError(f"{action}: mover {name!r}: expected one of {', '.join(MOVERS)}")
    return (name,)


def _learn(action, args):
    checks.count(action, args, 1, 1)
    target = args[0].strip("/") if isinstance(args[0], str) else ""
    if not target:
        raise ControlMessageError(f"{action}: expected a target such as 'motion/damping', got {args[0]!r}")
    return (target,)


_CHECKS = {
    "keyframe": _keyframe,
    "keyframe.random": checks.no_args,
    "z": _z,
    "store": checks.one_slot,
    "motion": _motion,
    "mover": _mover,
    "noise": checks.unit,
    "snapshot": check_picture_event,
    "model.psi": check_picture_event,
    "model.class": check_picture_event,
    "record.start": checks.no_args,
    "record.stop": checks.no_args,
    "record.toggle": checks.no_args,
    "hud": checks.toggle,
    "grid": check_picture_event,  # the same shape: toggle, or on/off
    "learn": _learn,
    "quit": checks.no_args,
}

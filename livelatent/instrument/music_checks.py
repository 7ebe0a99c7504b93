"""Argument checks of the musical actions (the table in actions.py names them): each takes the
action's name and its arguments as they came and returns them as applied and logged, or
raises ControlMessageError naming the action and what was expected."""

from __future__ import annotations

from livelatent.common import checks
from livelatent.errors import ControlMessageError
from livelatent.instrument.music import TRANSPORT
from livelatent.instrument.quantise import check_unit
from livelatent.instrument.tempo import BPM_MAX, BPM_MIN


def check_tempo(action, args):
    checks.count(action, args, 1, 1)
    return (_in_range(action, args[0], "tempo (BPM)", BPM_MIN, BPM_MAX),)


def check_tempo_beat(action, args):
    """(bpm, beat position, at): the beat fell at tick `at` (fractional). From a live clock,
    `at` is first its lag: seconds before the event reached the bus (live/music_timing.py)."""
    checks.count(action, args, 3, 3)
    return (_in_range(action, args[0], "tempo (BPM)", BPM_MIN, BPM_MAX), checks.number(action, args[1], "beat"),
            checks.number(action, args[2], "tick"))


def check_transport(action, args):
    checks.count(action, args, 1, 2)
    if args[0] not in TRANSPORT:
        raise ControlMessageError(f"{action}: state {args[0]!r}: expected one of {', '.join(TRANSPORT)}")
    return (args[0], checks.number(action, args[1], "beat")) if len(args) > 1 else (args[0],)


def check_settle_beats(action, args):
    checks.count(action, args, 1, 1)
    return (_in_range(action, args[0], "settle beats", 0.0, 64.0),)


def check_impulse(action, args):
    checks.count(action, args, 1, 2)
    direction = args[1] if len(args) > 1 else "velocity"
    if direction not in ("velocity", "random"):
        raise ControlMessageError(f"{action}: direction {direction!r}: expected 'velocity' or 'random'")
    return (_in_range(action, args[0], "amount", 0.0, 4.0), direction)


def check_quantise(action, args):
    checks.count(action, args, 1, 1)
    return (check_unit(args[0]),)


def _in_range(action, value, what: str, lo: float, hi: float) -> float:
    value = checks.number(action, value, what)
    if not lo <= value <= hi:
        raise ControlMessageError(f"{action}: {what} must be in {lo:g}..{hi:g}, got {value:g}")
    return value

"""Checks of control-event arguments, shared by every action (instrument/actions.py) and the
picture's own actions (common/picture.py): each takes the action's name and its arguments as
they came (from OSC, MIDI, a key or a take's event log) and returns them in the one form that
is applied and logged, or raises ControlMessageError naming the action and what was expected.

    one_slot("store", (3.0,)) == (3,)
    toggle("hud", ()) == ()                 # toggles; toggle("hud", (0,)) == (False,) sets
"""

from __future__ import annotations

import math

from livelatent.errors import ControlMessageError


def number(action: str, value, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ControlMessageError(f"{action}: {what} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise ControlMessageError(f"{action}: {what} must be finite, got {value!r}")
    return float(value)


def slot(action: str, value) -> int:
    v = number(action, value, "slot")
    if v != int(v) or v < 0:
        raise ControlMessageError(f"{action}: slot must be a whole number >= 0, got {value!r}")
    return int(v)


def count(action: str, args: tuple, lo: int, hi: int) -> None:
    if not lo <= len(args) <= hi:
        want = str(lo) if lo == hi else f"{lo} to {hi}"
        raise ControlMessageError(f"{action}: expected {want} argument(s), got {len(args)}")


def no_args(action: str, args: tuple) -> tuple:
    count(action, args, 0, 0)
    return ()


def one_slot(action: str, args: tuple) -> tuple:
    count(action, args, 1, 1)
    return (slot(action, args[0]),)


def unit(action: str, args: tuple) -> tuple:
    count(action, args, 1, 1)
    value = number(action, args[0], "amount")
    if not 0.0 <= value <= 1.0:
        raise ControlMessageError(f"{action}: amount must be in 0..1, got {value}")
    return (value,)


def toggle(action: str, args: tuple) -> tuple:
    """() toggles; (on,) sets: a number from OSC/MIDI, or the bool that the event log keeps."""
    count(action, args, 0, 1)
    if not args:
        return ()
    return (args[0] if isinstance(args[0], bool) else bool(number(action, args[0], "on/off")),)

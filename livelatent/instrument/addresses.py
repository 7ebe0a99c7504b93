"""Addresses and targets, derived from the table of actions: which action an OSC address under
/livelatent/ sends and with which arguments, and what a MIDI binding or MIDI learn can drive
(a target is an address without its prefix whose form is a knob, a button or a toggle).

    route_for("keyframe/12")        # (ACTIONS["keyframe"], its Route "keyframe/<n>", {"<n>": 12})
    check_target("motion/damping")  # "motion/damping", or ControlMessageError listing the targets
    target_event("noise", 0.3, source="midi")   # noise(0.3)
"""

from __future__ import annotations

from livelatent.errors import ControlMessageError, shorten
from livelatent.instrument.actions import (ACTIONS, KNOB, MOTION_PARAMS, TARGET_FORMS, TOGGLE, Action, ControlEvent,
                                           Route, make)

PLACEHOLDERS = {"<n>": lambda part: int(part) if part.isdigit() else None,
                "<param>": lambda part: part if part in MOTION_PARAMS else None,
                "<name>": lambda part: part or None}  # a video output's name (the app checks it)


_ROUTES = [(action, route) for action in ACTIONS.values() for route in action.osc]
_EXACT = {route.address: (action, route) for action, route in _ROUTES if "<" not in route.address}
_PATTERNS = [(action, route, route.address.split("/")) for action, route in _ROUTES if "<" in route.address]


def route_for(path: str) -> tuple[Action, Route, dict] | None:
    """The action and route of an address under the prefix ("keyframe/12"), with the values of
    its placeholders ({"<n>": 12}); None when no route has that address."""
    exact = _EXACT.get(path)
    if exact is not None:
        return (*exact, {})
    parts = path.split("/")
    for action, route, pattern in _PATTERNS:
        found = _match(pattern, parts)
        if found is not None:
            return action, route, found
    return None


def _match(pattern: list[str], parts: list[str]) -> dict | None:
    if len(pattern) != len(parts):
        return None
    found = {}
    for want, part in zip(pattern, parts):
        if want in PLACEHOLDERS:
            value = PLACEHOLDERS[want](part)
            if value is None:
                return None
            found[want] = value
        elif want != part:
            return None
    return found


def arguments(route: Route, found: dict, *, given: tuple = (), value: float = 1.0, strength: float = 1.0) -> tuple:
    """The action's arguments from a route's template: the message's own (given), a knob's value
    (converted as the route says) or a pad's strength placed where the template says."""
    out = []
    for item in route.template:
        if item == "*":
            out.extend(given)
        elif item == "value":
            out.append(route.value(value) if route.value else value)
        elif item == "strength":
            out.append(strength)
        else:
            out.append(found.get(item, item))
    return tuple(out)


def targets() -> tuple[str, ...]:
    """What a MIDI binding or MIDI learn can drive, as the error listing them spells it: the
    knobs (motion knobs one by one), the buttons, then the numbered buttons as patterns."""
    knobs, buttons, numbered = [], [], []
    for action in ACTIONS.values():
        for route in action.osc:
            if route.form == KNOB:
                knobs += [route.address.replace("<param>", p) for p in MOTION_PARAMS] \
                    if "<param>" in route.address else [route.address]
            elif route.form in TARGET_FORMS:
                (numbered if "<n>" in route.address else buttons).append(route.address)
    return tuple(knobs + buttons + numbered)


def check_target(target: str) -> str:
    """A target name (an address without its prefix, e.g. "motion/damping", "keyframe/3"), or
    ControlMessageError listing what is allowed."""
    t = target.strip("/")
    found = route_for(t)
    if found is not None and found[1].form in TARGET_FORMS:
        return t
    raise ControlMessageError(f"target {shorten(target, 40)!r}: expected one of {', '.join(targets())}")


def target_event(target: str, value: float, *, source: str, strength: float = 1.0) -> ControlEvent | None:
    """The event a control at `value` (0..1) sends to `target`; buttons fire when value > 0."""
    action, route, found = route_for(check_target(target))
    if route.form != KNOB and value <= 0:
        return None  # a button's release
    if route.form == TOGGLE:
        return make(action.name, source=source)
    return make(action.name, *arguments(route, found, value=value, strength=strength), source=source)

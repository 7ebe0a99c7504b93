"""MIDI and OSC messages to ControlEvents: pure functions of the table of actions, no I/O.

Targets are the OSC address space without its prefix, so one vocabulary names everything a
control can drive, from an OSC message, a MIDI binding in a preset or MIDI learn (see
actions.py for the table, addresses.py for how an address finds its action).

osc_event(address, args, d) and midi_event(midimap, kind, channel, number, value) return a
ControlEvent, None for a message that means nothing (a button release, an unmapped note),
or raise ControlMessageError naming the address, the arguments and what was expected.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from livelatent.errors import ControlMessageError, shorten
from livelatent.instrument.actions import KNOB, OSC_PREFIX, PRESS, TARGET, Z, ControlEvent, make
from livelatent.instrument.addresses import arguments, check_target, route_for, target_event

CURVES = {"linear": 1.0, "exp": 2.0, "log": 0.5}


# ---- OSC ----

def osc_event(address: str, args: tuple, d: int | None = None) -> ControlEvent | None:
    """One OSC message under /livelatent to an event (docs/osc-midi.md lists the addresses)."""
    try:
        return _osc_event(address, tuple(args), d)
    except ControlMessageError as exc:
        raise ControlMessageError(f"OSC {shorten(address)} {_show(args)}: {exc}") from None


def _osc_event(address: str, args: tuple, d: int | None) -> ControlEvent | None:
    if not address.startswith(OSC_PREFIX + "/"):
        raise ControlMessageError(f"expected an address under {OSC_PREFIX}/")
    path = address[len(OSC_PREFIX) + 1:].strip("/")
    found = route_for(path)
    if found is None:
        check_target(path)  # raises, listing the addresses there are
    action, route, where = found
    if route.form == Z:
        return make(action.name, *_z_values(args, d), source="osc")
    if route.form == TARGET:
        return make(action.name, check_target(str(args[0])) if len(args) == 1 else None, source="osc")
    if route.form not in (KNOB, PRESS):  # ARGS, TOGGLE: the message's arguments as they are
        return make(action.name, *arguments(route, where, given=args), source="osc")
    # a knob needs its value; a button may come bare (a press) or with 1 / 0 (press / release)
    value = _single(args) if route.form == KNOB or args else 1.0
    return target_event(path, value, source="osc")


KNOB_ADDRESS, CONTROL_ADDRESS = "knob", "control"


def address_kind(address: str) -> str | None:
    """What an OSC address drives: KNOB_ADDRESS for a continuous control whose next message
    supersedes this one (a motion knob, the noise, a z, psi; each /raw too), CONTROL_ADDRESS for
    every other address there is (the mover switch, the triggers), None for an address without
    a route (osc_event refuses every message to it, whatever its arguments)."""
    if not address.startswith(OSC_PREFIX + "/"):
        return None
    found = route_for(address[len(OSC_PREFIX) + 1:].strip("/"))
    if found is None:
        return None
    return KNOB_ADDRESS if found[0].knob else CONTROL_ADDRESS


def is_knob_address(address: str) -> bool:
    return address_kind(address) == KNOB_ADDRESS


def _single(args: tuple) -> float:
    if len(args) != 1 or isinstance(args[0], bool) or not isinstance(args[0], (int, float)):
        raise ControlMessageError("expected one number")
    if not math.isfinite(args[0]):
        raise ControlMessageError(f"value must be finite, got {args[0]!r}")
    return float(args[0])


def _z_values(args: tuple, d: int | None) -> tuple:
    if len(args) == 1 and isinstance(args[0], (bytes, bytearray)):
        if len(args[0]) % 4:
            raise ControlMessageError(f"blob of {len(args[0])} bytes is not float32 values")
        values = tuple(float(v) for v in np.frombuffer(args[0], dtype="<f4"))
    else:
        values = args
    if d is not None and len(values) != d:
        raise ControlMessageError(f"expected {d} floats (or a float32 blob of {4 * d} bytes), got {len(values)}")
    return values


def _show(args) -> str:
    args = tuple(args)
    if len(args) > 6:
        return f"[{len(args)} args]"
    return "[" + ", ".join(f"<blob {len(a)} bytes>" if isinstance(a, bytes) else _short_repr(a) for a in args) + "]"


def _short_repr(value) -> str:
    """repr of an argument, cut short: a string or an array (a list) from outside may be huge or deep."""
    if isinstance(value, list):
        return f"<array of {len(value)}>"
    return shorten(repr(value), 40)


# ---- MIDI ----

@dataclass(frozen=True, slots=True)
class MidiBinding:
    """One control (a CC or a note) bound to a target; value 0..127 -> lo..hi through the curve."""

    kind: str  # "cc" or "note"
    number: int
    target: str
    channel: int | None = None  # 1..16, None = any
    lo: float = 0.0
    hi: float = 1.0
    curve: str = "linear"
    invert: bool = False
    takeover: str = "jump"  # "jump", "pickup" or "scale" (instrument/takeover.py)
    mode: str = "absolute"  # or "relative": an endless encoder
    encoding: str = "twos-complement"  # a relative encoder's: "twos-complement", "offset-64", "sign-bit"
    quantise: str = ""  # its triggers wait for this beat unit ("" = the show's: instrument/quantise.py)

    def value(self, raw: int) -> float:
        x = raw / 127.0
        x = 1.0 - x if self.invert else x
        return self.lo + (self.hi - self.lo) * x ** CURVES[self.curve]


@dataclass(frozen=True, slots=True)
class NoteBlock:
    """count consecutive notes from first_note trigger slots first_slot...; velocity scales the move."""

    first_note: int = 0
    count: int = 64
    first_slot: int = 0
    velocity: bool = False
    channel: int | None = None
    quantise: str = ""


@dataclass(frozen=True)
class MidiMap:
    bindings: tuple = ()  # MidiBinding, later ones win
    notes: tuple = ()  # NoteBlock
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for b in self.bindings:
            self._index.setdefault((b.kind, b.number), []).insert(0, b)

    def binding(self, kind: str, channel: int, number: int) -> MidiBinding | None:
        for b in self._index.get((kind, number), ()):
            if b.channel in (None, channel):
                return b
        return None

    def with_binding(self, b: MidiBinding) -> "MidiMap":
        return MidiMap(self.bindings + (b,), self.notes)


def midi_event(midimap: MidiMap, kind: str, channel: int, number: int, value: int,
               knobs=None) -> ControlEvent | None:
    """kind: "cc", "note_on" or "note_off"; channel 1..16. Unmapped or releases -> None.
    knobs: a KnobTracker (instrument/takeover.py) for soft takeover and relative encoders."""
    if kind == "note_off" or (kind == "note_on" and value == 0):
        return None
    bkind = "note" if kind == "note_on" else kind
    b = midimap.binding(bkind, channel, number)
    if b is not None and knobs is not None and bkind == "cc" and route_for(b.target)[1].form == KNOB:
        knob = knobs.value(b, value)
        event = None if knob is None else target_event(b.target, knob, source="midi")
        if event is not None:
            knobs.sent(b, event)
        return event
    if b is not None:
        return _quantised(target_event(b.target, b.value(value), source="midi"), b.quantise)
    if bkind == "note":
        for block in midimap.notes:
            if block.channel in (None, channel) and 0 <= number - block.first_note < block.count:
                strength = value / 127.0 if block.velocity else 1.0
                return _quantised(make("keyframe", block.first_slot + number - block.first_note, strength,
                                       source="midi"), block.quantise)
    return None


def _quantised(event: ControlEvent | None, unit: str) -> ControlEvent | None:
    return replace(event, quantise=unit) if event is not None and unit else event

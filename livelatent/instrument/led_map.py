"""Controller LEDs as data: which note or CC lights for which state, described in a preset's
[[midi.feedback]] sections, and the messages that show the instrument's state now. Pure:
live/leds.py sends them (from its own thread, only what changed).

Two kinds of entry. Pads: one note per slot, coloured by the slot's state (instrument/
slot_states.py), each state a [channel, velocity] of a note on (on the Akai APC mini mk2 the
velocity picks the colour and the channel the brightness, pulse or blink):

    [[midi.feedback]]
    output = "APC mini mk2"     # the port, by partial name (default: the [midi] input)
    first_note = 0              # notes first_note.. show slots first_slot..
    count = 64
    random = [7, 1]             # 100% dark red ... see presets/akai-apc-mini-mk2.toml
    picked = [7, 45]
    stored = [7, 21]
    current = [7, 3]
    target = [10, 9]

Buttons: one note or CC lit while a state holds ("record", "hud", "random" (the target is a
random keyframe or a direct z), "learn" (MIDI learn armed), "stored/<slot>"), each way a
[channel, value]:

    [[midi.feedback]]
    cc = 45                     # or note = 113
    state = "record"
    on = [1, 127]
    off = [1, 0]

    wanted = led_messages(entries, LedShow(slots=..., recording=True))   # {(kind, number): (status, number, value)}
"""

from __future__ import annotations

from dataclasses import dataclass

from livelatent.instrument.slot_states import KINDS, ROLES, SlotState

PAD_STATES = KINDS + tuple(r for r in ROLES if r)
BUTTON_STATES = ("record", "hud", "random", "learn", "stored/<slot>")
NOTE_ON, CC = 0x90, 0xB0


@dataclass(frozen=True)
class Pads:
    output: str
    first_note: int
    count: int
    first_slot: int
    colours: dict  # state -> (channel 1..16, velocity)


@dataclass(frozen=True)
class Button:
    output: str
    kind: str  # "note" or "cc"
    number: int
    state: str
    on: tuple[int, int]
    off: tuple[int, int]


@dataclass(frozen=True)
class LedShow:
    """The state LEDs show."""

    slots: tuple[SlotState, ...] = ()
    recording: bool = False
    hud: bool = False
    learning: bool = False

    def holds(self, state: str) -> bool:
        if state.startswith("stored/"):
            slot = int(state.split("/")[1])
            return slot < len(self.slots) and self.slots[slot].kind == "stored"
        if state == "random":
            return not any(s.role == "target" or s.role == "current" for s in self.slots)
        return {"record": self.recording, "hud": self.hud, "learn": self.learning}[state]


def led_messages(entries, show: LedShow, output: str | None = None) -> dict[tuple, tuple[int, int, int]]:
    """Every LED the entries (of one output port, if given) describe, as the message that sets it now."""
    out = {}
    for entry in entries:
        if output is not None and entry.output != output:
            continue
        if isinstance(entry, Pads):
            for i in range(min(entry.count, max(len(show.slots) - entry.first_slot, 0))):
                channel, velocity = entry.colours[show.slots[entry.first_slot + i].shown]
                out[("note", entry.first_note + i)] = (NOTE_ON | (channel - 1), entry.first_note + i, velocity)
        else:
            channel, value = entry.on if show.holds(entry.state) else entry.off
            out[(entry.kind, entry.number)] = ((NOTE_ON if entry.kind == "note" else CC) | (channel - 1),
                                               entry.number, value)
    return out

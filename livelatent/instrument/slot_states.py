"""What each slot of the bank is, at a glance: the one picture the console's grid and the
controllers' pads (live/leds.py) both draw.

A slot's kind says where its z came from (its label in the bank): "random" (a sample keyed by
(seed, slot)), "picked" (a frame of a z-sequence, labelled "reel#12") or "stored" (stored during
the show, "stored@<tick>"). Its role says what the particle is doing with it: "target" (the
slot last triggered, not reached yet), "current" (the slot the particle has arrived at) or "".

    states = slot_states(perf.bank.labels, perf.target_slot, perf.current_slot)
    states[37]   # SlotState(kind='stored', role='target')
    describe(label)   # 'stored at tick 9120' / 'frame 12 of reel' / 'random'
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("random", "picked", "stored")
ROLES = ("", "current", "target")


@dataclass(frozen=True, slots=True)
class SlotState:
    kind: str  # one of KINDS
    role: str = ""  # one of ROLES

    @property
    def shown(self) -> str:
        """The one state a single-coloured pad shows: its role if it has one, else its kind."""
        return self.role or self.kind


def slot_kind(label: str) -> str:
    if label.startswith("stored"):
        return "stored"
    return "random" if label in ("", "random") else "picked"


def slot_states(labels, target: int | None, current: int | None) -> tuple[SlotState, ...]:
    """One SlotState per slot; a slot both reached and still the target is "current"."""
    out = []
    for slot, label in enumerate(labels):
        role = "current" if slot == current else "target" if slot == target else ""
        out.append(SlotState(slot_kind(label), role))
    return tuple(out)


def describe(label: str) -> str:
    """A slot's source in words, for a tooltip: where its z came from."""
    kind = slot_kind(label)
    if kind == "stored":
        _, _, tick = label.partition("@")
        return f"stored at tick {tick}" if tick else "stored"
    if kind == "picked":
        name, _, frame = label.rpartition("#")
        return f"frame {frame} of {name}" if name else label
    return "random (keyed by seed and slot)"

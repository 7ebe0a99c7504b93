"""What the console shows, by value: one ConsoleState the show sends to the console's process.

The show builds one at the console's pace (live/console/feed.py) and sends it only when it
differs from the last, so an idle show costs the console nothing; the console draws the newest
it has. Plain values only (it is pickled over a pipe to another process).

    state = ConsoleState(labels=("random",) * 64, target=3, current=3, ...)
    state.slots[3]    # SlotState(kind='random', role='current')
"""

from __future__ import annotations

from dataclasses import dataclass

from livelatent.instrument.slot_states import SlotState, slot_states

PICTURE_BOX = (192, 144)  # pixels (w, h): the small picture is drawn to fit in it


@dataclass(frozen=True)
class Knob:
    """A slider of the console: its target (as MIDI learn names it), its value 0..1, the value in
    its unit, its range, and whether that range is drawn on a log scale."""

    target: str
    norm: float
    raw: float
    lo: float
    hi: float
    log: bool = False


@dataclass(frozen=True)
class ConsoleState:
    labels: tuple[str, ...] = ()
    target: int | None = None
    current: int | None = None
    knobs: tuple[Knob, ...] = ()
    mover: str = ""
    movers: tuple[str, ...] = ()
    psi: Knob | None = None  # None: the model has no truncation
    class_idx: int | None = None
    classes: int = 0  # a conditional model's class count (0: not conditional)
    recording: bool = False
    record_status: str = ""  # "REC 12.3s" or what the last take said
    takes: tuple[str, ...] = ()  # this show's takes, oldest first
    hud: bool = True
    error: str = ""
    osc: str = ""  # "127.0.0.1:9331" or "" (no OSC)
    midi: str = ""  # the MIDI input's description, "" for none
    midi_status: str = ""  # learn armed, waiting for a device ...
    music: tuple[str, ...] = ()  # the tempo line, the MIDI clock's and the sound's status (levels)
    monitor: tuple[str, ...] = ()  # the last events applied: "source  action(args)  tick"
    model: str = ""

    @property
    def slots(self) -> tuple[SlotState, ...]:
        return slot_states(self.labels, self.target, self.current)

"""Keyboard control: key names (from live/window.py) to events on the bus.

    1..9, 0      trigger slots 0..9 (Shift: 10..19, Ctrl: 20..29)
    R            random keyframe
    S, then 1..0 store the current position into that slot (Esc cancels)
    TAB          select the next knob (settle_time, damping, ..., noise)
    UP / DOWN    nudge the selected knob by 5% of its range
    L            MIDI learn: the next MIDI control moved drives the selected knob
    SPACE        start / stop recording
    H            show / hide the HUD
    G            snapshot grid on / off (a snapshot set)
    ESCAPE, Q    quit: press twice within 2 s (a stray key never ends a show)
"""

from __future__ import annotations

from livelatent.instrument.actions import KEYS, MOTION_PARAMS, make
from livelatent.instrument.addresses import target_event
from livelatent.live.loop_clock import WallClock

SHIFT, CTRL = 0x1, 0x2  # glfw MOD_SHIFT, MOD_CONTROL
KNOBS = tuple(f"motion/{p}" for p in MOTION_PARAMS) + ("noise",)
NUDGE = 0.05
QUIT_WINDOW = 2.0  # seconds within which the second quit press must come
DIGITS = "1234567890"


class Keyboard:
    """Turns key presses into events; `knob_value(target)` gives a knob's current 0..1 value."""

    def __init__(self, put, knob_value, clock=None) -> None:
        self.put, self.knob_value = put, knob_value
        self.clock = clock if clock is not None else WallClock()
        self.selected = KNOBS[0]
        self.storing = False
        self._quit_pressed = -1e9

    @property
    def armed(self) -> str:
        if self.clock.elapsed() - self._quit_pressed < QUIT_WINDOW:
            return "PRESS ESC / Q AGAIN TO QUIT"
        return "STORE: PRESS A SLOT KEY" if self.storing else ""

    def press(self, key: str, mods: int = 0) -> None:
        if key in DIGITS:
            slot = DIGITS.index(key) + (10 if mods & SHIFT else 0) + (20 if mods & CTRL else 0)
            self.put(make("store" if self.storing else "keyframe", slot, source="key"))
            self.storing = False
        elif key == "ESCAPE" and self.storing:
            self.storing = False
        elif key == "S":
            self.storing = True
        elif key == "TAB":
            self.selected = KNOBS[(KNOBS.index(self.selected) + 1) % len(KNOBS)]
        elif key in ("UP", "DOWN"):
            self._nudge(NUDGE if key == "UP" else -NUDGE)
        elif key in ("ESCAPE", "Q"):
            self._quit()
        elif key in KEYS:  # R, SPACE, H, G: the keys the table of actions gives (instrument/actions.py)
            self.put(make(KEYS[key], source="key"))
        elif key == "L":
            self.put(make("learn", self.selected, source="key"))

    def _quit(self) -> None:
        now = self.clock.elapsed()
        if now - self._quit_pressed < QUIT_WINDOW:
            self.put(make("quit", source="key"))
        self._quit_pressed = now

    def _nudge(self, delta: float) -> None:
        value = min(max(self.knob_value(self.selected) + delta, 0.0), 1.0)
        self.put(target_event(self.selected, value, source="key"))

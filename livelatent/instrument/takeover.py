"""Soft takeover and relative encoders: what a MIDI fader or knob sends, given where the
parameter it drives really is. Pure: the MIDI input (live/midi.py) keeps one KnobTracker,
and the live loop tells it each knob value it applied (heard), so a fader knows when its
parameter was changed elsewhere (the console, OSC, a preset, another fader).

Per binding, `takeover` (absolute faders and knobs):
  "jump"    the parameter follows the fader at once (the default; a visible jump after a
            change elsewhere);
  "pickup"  after a change elsewhere (and at the start, where the fader's position is not
            known) the fader does nothing until it crosses the parameter's value, then drives it;
  "scale"   the fader's remaining travel is mapped onto the parameter's remaining range in the
            direction it moves, so they meet at the end stop or wherever they cross.
`mode = "relative"` (endless encoders, as on a Midi Fighter Twister): each message is a step
up or down from where the parameter is, in the encoding the device sends:
  "twos-complement"  1..63 up, 127..65 down (127 = -1)
  "offset-64"        65..127 up, 63..0 down (64 = no move)
  "sign-bit"         1..63 up, 65..127 down (65 = -1)

    tracker = KnobTracker()
    tracker.value(binding, 90)         # the knob value to send (0..1), or None (not picked up yet)
    tracker.heard("noise", 0.4, mine=False)   # the loop applied noise 0.4 from elsewhere
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

TAKEOVERS = ("jump", "pickup", "scale")
MODES = ("absolute", "relative")
ENCODINGS = ("twos-complement", "offset-64", "sign-bit")
PICKUP_WITHIN = 1.5 / 127  # a fader this close to the parameter picks it up
RELATIVE_STEP = 1 / 127  # of the knob's 0..1 range per encoder detent


def relative_steps(raw: int, encoding: str) -> int:
    """Detents up (> 0) or down (< 0) from one relative encoder message."""
    if encoding == "twos-complement":
        return raw - 128 if raw >= 64 else raw
    if encoding == "offset-64":
        return raw - 64
    return -(raw - 64) if raw >= 64 else raw  # sign-bit


@dataclass
class _Fader:
    """One binding's takeover state: where its fader was, and whether it drives its parameter."""

    attached: bool = False
    last: float | None = None  # the fader's last output value (0..1 of the knob)


class KnobTracker:
    """The knob values the show applied, and each binding's takeover state; thread-safe (the
    MIDI reader asks and says what it sent, the loop tells what it applied)."""

    KEEP_SENT = 256  # events sent and not heard of yet (rejected ones never are)

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: dict[str, float] = {}  # target -> its value 0..1 as last applied
        self._pending: dict[str, float] = {}  # target -> what a binding sent for it, not applied yet
        self._faders: dict[object, _Fader] = {}
        self._senders: dict[tuple, object] = {}  # (action, args) sent -> the binding that sent it

    def value(self, binding, raw: int) -> float | None:
        """The knob value (0..1) binding's message `raw` sends, or None for no event."""
        with self._lock:
            fader = self._faders.setdefault(binding, _Fader(attached=binding.takeover == "jump"))
            current = self._pending.get(binding.target, self._current.get(binding.target))
            if binding.mode == "relative":
                out = _relative(binding, raw, current)
            else:
                out = _absolute(binding, fader, binding.value(raw), current)
            if out is not None:
                self._pending[binding.target] = out
            return out

    def sent(self, binding, event) -> None:
        """binding's value went out as `event` (so the loop's applying it is not "elsewhere")."""
        with self._lock:
            if len(self._senders) >= self.KEEP_SENT:
                self._senders.clear()
            self._senders[(event.action, event.args)] = binding

    def heard(self, event, value: float) -> None:
        """The loop applied `event`, leaving its knob at `value` (0..1). A change from elsewhere
        (not the binding that sent it) makes every fader on the knob let go of it."""
        target = knob_target(event)
        if target is None:
            return
        with self._lock:
            by = self._senders.pop((event.action, event.args), None) if event.source == "midi" else None
            self._current[target] = float(value)
            if by is None or abs(self._pending.get(target, -1.0) - value) < 1e-6:
                self._pending.pop(target, None)
            for binding, fader in self._faders.items():
                if binding is not by and binding.target == target:
                    fader.attached = binding.takeover == "jump"


def knob_target(event) -> str | None:
    """The knob an applied event set (as MIDI bindings name it), or None for any other event."""
    if event.action == "motion":
        return f"motion/{event.args[0]}"
    return {"noise": "noise", "model.psi": "model/psi"}.get(event.action)


def _relative(binding, raw: int, current: float | None) -> float | None:
    steps = relative_steps(raw, binding.encoding)
    if steps == 0:
        return None
    start = binding.lo if current is None else current
    return min(max(start + steps * RELATIVE_STEP * (binding.hi - binding.lo), binding.lo), binding.hi)


def _absolute(binding, fader: _Fader, out: float, current: float | None) -> float | None:
    last, fader.last = fader.last, out
    if fader.attached or current is None:
        fader.attached = True
        return out
    if abs(out - current) <= PICKUP_WITHIN or (last is not None and (last - current) * (out - current) <= 0):
        fader.attached = True  # crossed the parameter's value: drive it from here
        return out
    if binding.takeover == "pickup" or last is None or out == last:
        return None
    # scale: the rest of the fader's travel onto the rest of the parameter's range, this direction
    end = binding.hi if out > last else binding.lo
    if (end - current) * (out - last) <= 0 or end == last:
        return None  # moving away from the parameter: it waits
    return current + (end - current) * (out - last) / (end - last)

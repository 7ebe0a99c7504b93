"""State feedback over OSC: every change a panel should mirror, sent as it happens.

The addresses mirror the control addresses, so a TouchOSC fader or a TouchDesigner OSC In
CHOP bound to /livelatent/motion/damping moves when MIDI or the keyboard moves the knob:

    /livelatent/keyframe <slot>            target slot (-1: a random or direct z)
    /livelatent/slot/current <slot>        the slot the particle has arrived at (-1: none)
    /livelatent/store <slot>               a slot just stored
    /livelatent/motion/<param> <0..1>      and /livelatent/motion/<param>/raw <value>
    /livelatent/motion/mover <name>
    /livelatent/noise <0..1>
    /livelatent/model/psi <0..1>           and /livelatent/model/psi/raw <psi>; /livelatent/model/class <n>
    /livelatent/record <0|1>               /livelatent/hud <0|1>
    /livelatent/fps <frames/s>             once a second
    /livelatent/error <text>               the last error, as on the HUD
OscFeedback only sends values that changed, so calling these often costs nothing on the wire.
"""

from __future__ import annotations

from livelatent.instrument.actions import MOTION_PARAMS

PREFIX = "/livelatent"


class StateFeedback:
    """Wraps an OscFeedback (or None: then every call does nothing)."""

    def __init__(self, sender) -> None:
        self.sender = sender

    def _send(self, address: str, *values, only_changes: bool = True) -> None:
        if self.sender is not None:
            self.sender.send(PREFIX + address, *values, only_changes=only_changes)

    def state(self, perf, recording: bool, hud: bool, event=None) -> None:
        """The whole state (unchanged values are not resent); event: the one just applied."""
        if event is not None and event.action == "store":
            self._send("/store", event.args[0], only_changes=False)
        self.slots(perf)
        p = perf.params
        for name in MOTION_PARAMS:
            self._send(f"/motion/{name}", float(p.normalised(name)))
            self._send(f"/motion/{name}/raw", float(getattr(p, name)))
        self._send("/motion/mover", p.mover)
        self._send("/noise", float(perf.noise))
        self._send("/record", int(recording))
        self._send("/hud", int(hud))

    def slots(self, perf) -> None:
        self._send("/keyframe", _slot(perf.target_slot))
        self._send("/slot/current", _slot(perf.current_slot))

    def picture(self, picture) -> None:
        """psi and class after a change (livelatent.common.picture.Picture)."""
        from livelatent.common.picture import psi_to_knob

        self._send("/model/psi", float(psi_to_knob(picture.psi)))
        self._send("/model/psi/raw", float(picture.psi))
        if picture.class_idx is not None:
            self._send("/model/class", int(picture.class_idx))

    def fps(self, value: float) -> None:
        self._send("/fps", float(round(value, 2)), only_changes=False)

    def error(self, message: str) -> None:
        self._send("/error", message)


def _slot(slot) -> int:
    return -1 if slot is None else int(slot)

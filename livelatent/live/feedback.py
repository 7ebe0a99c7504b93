"""State feedback over OSC: every change a panel should mirror, sent as it happens.

The addresses mirror the control addresses, so a TouchOSC fader or a TouchDesigner OSC In
CHOP bound to /livelatent/motion/damping moves when MIDI or the keyboard moves the knob. Which
state each action changes is in the table of actions (instrument/actions.py, its `feedback`);
VALUES below says how each such address reads the show's state:

    /livelatent/keyframe <slot>            target slot (-1: a random or direct z)
    /livelatent/slot/current <slot>        the slot the particle has arrived at (-1: none)
    /livelatent/store <slot>               a slot just stored
    /livelatent/bank/load <path>           a bank just loaded
    /livelatent/motion/<param> <0..1>      and /livelatent/motion/<param>/raw <value>
    /livelatent/motion/mover <name>        /livelatent/noise <0..1>
    /livelatent/model/psi <0..1>           and /livelatent/model/psi/raw <psi>; /livelatent/model/class <n>
    /livelatent/record <0|1>               /livelatent/hud <0|1>
    /livelatent/fps <frames/s>             once a second
    /livelatent/output/<name>/state <text> and /receivers, /dropped, /enable: each video output,
                                           once a second and when it is turned on or off
    /livelatent/error <text>               the last error, as on the HUD
OscFeedback only sends values that changed, so calling these often costs nothing on the wire.
"""

from __future__ import annotations

from dataclasses import dataclass

from livelatent.common.picture import psi_to_knob
from livelatent.instrument.actions import ACTIONS, MOTION_PARAMS, OSC_PREFIX


@dataclass(frozen=True)
class ShowState:
    """What the feedback reads: the Performance, the Picture, and the app's own switches."""

    perf: object
    picture: object
    recording: bool
    hud: bool


def _slot(slot) -> int:
    return -1 if slot is None else int(slot)


# feedback address -> its value now (None: nothing to send); "<param>" addresses take the parameter
VALUES = {
    "keyframe": lambda s: _slot(s.perf.target_slot),
    "slot/current": lambda s: _slot(s.perf.current_slot),
    "motion/<param>": lambda s, p: float(s.perf.params.normalised(p)),
    "motion/<param>/raw": lambda s, p: float(getattr(s.perf.params, p)),
    "motion/mover": lambda s: s.perf.params.mover,
    "noise": lambda s: float(s.perf.noise),
    "model/psi": lambda s: float(psi_to_knob(s.picture.psi)),
    "model/psi/raw": lambda s: float(s.picture.psi),
    "model/class": lambda s: None if s.picture.class_idx is None else int(s.picture.class_idx),
    "record": lambda s: int(s.recording),
    "hud": lambda s: int(s.hud),
}
EVENT_ONLY = {"store": lambda event: event.args[0], "bank/load": lambda event: event.args[0]}  # sent with the event that made it, repeats too
# every state address of the table, in its order (a panel starting up gets them all)
STATE = tuple(dict.fromkeys(a for action in ACTIONS.values() for a in action.feedback if a not in EVENT_ONLY))


class StateFeedback:
    """Wraps an OscFeedback (or None: then every call does nothing)."""

    def __init__(self, sender) -> None:
        self.sender = sender

    def _send(self, address: str, value, only_changes: bool = True) -> None:
        if self.sender is not None and value is not None:
            self.sender.send(f"{OSC_PREFIX}/{address}", value, only_changes=only_changes)

    def _send_state(self, address: str, show: ShowState) -> None:
        read = VALUES[address]
        if "<param>" in address:
            for p in MOTION_PARAMS:
                self._send(address.replace("<param>", p), read(show, p))
        else:
            self._send(address, read(show))

    def state(self, show: ShowState) -> None:
        """The whole state (unchanged values are not resent): as the show starts, once a second."""
        for address in STATE:
            self._send_state(address, show)

    def applied(self, event, show: ShowState) -> None:
        """What the event just applied changed, as the table of actions says."""
        for address in ACTIONS[event.action].feedback:
            if address in EVENT_ONLY:
                self._send(address, EVENT_ONLY[address](event), only_changes=False)
            else:
                self._send_state(address, show)

    def slots(self, perf) -> None:
        """The target and reached slots (the particle arrives between events)."""
        self._send("keyframe", _slot(perf.target_slot))
        self._send("slot/current", _slot(perf.current_slot))

    def outputs(self, statuses) -> None:
        """Each video output's state, receivers (-1: the protocol cannot tell), dropped frames, on/off."""
        for s in statuses:
            self._send(f"output/{s.name}/state", s.state)
            self._send(f"output/{s.name}/receivers", -1 if s.receivers is None else int(s.receivers))
            self._send(f"output/{s.name}/dropped", int(s.dropped))
            self._send(f"output/{s.name}/enable", int(s.enabled))

    def fps(self, value: float) -> None:
        self._send("fps", float(round(value, 2)), only_changes=False)

    def error(self, message: str) -> None:
        self._send("error", message)

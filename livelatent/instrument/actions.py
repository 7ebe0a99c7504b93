"""The actions: the one table of what a performer can do, and the events that carry them.

Each Action row says, in one place, everything any part of livelatent needs to know about it:
its name (as logged in a take), how its arguments are checked and normalised (their logged
form), what applies it (the Performance, the Picture, or the live app, and by which method),
the OSC addresses that send it and how their arguments become its arguments (MIDI bindings,
MIDI learn and the keyboard's knobs use the same addresses), the key that sends it, whether
a later one supersedes it (a knob), and the state it sends back as OSC feedback. Every
consumer is derived from the table: make() and the event log's round trip, the addresses and
MIDI targets (addresses.py, mapping.py), the live app's and the Performance's dispatch, the
keyboard, the feedback, and the OSC reference in docs/osc-midi.md (`livelatent osc-spec`
prints it). Adding an action is one row here plus the method that applies it.

    >>> ev = make("keyframe", 3, source="osc")
    >>> ev.action, ev.args
    ('keyframe', (3, 1.0))
    >>> ACTIONS["keyframe"].applies, ACTIONS["keyframe"].apply
    ('performance', '_on_keyframe')

A ControlEvent is a small immutable value: an action, its arguments (plain JSON-able values),
where it came from, and when it reached the control bus. Device threads build events and put
them on the bus; the live loop applies them at tick boundaries; the recorder logs them as
JSON (to_dict / from_dict) so a replay feeds the same events back.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

from livelatent.common import checks
from livelatent.common.picture import check_picture_event
from livelatent.instrument.bank_load import check_bank_load
from livelatent.errors import ControlMessageError
from livelatent.instrument.music import TRANSPORT
from livelatent.instrument.music_checks import (check_impulse, check_quantise, check_settle_beats, check_tempo,
                                                check_tempo_beat, check_transport)
from livelatent.instrument.tempo import BPM_MAX, BPM_MIN
from livelatent.motion.params import MOVERS, MotionParams

MOTION_PARAMS = tuple(MotionParams.RANGES)  # the numeric knobs; "mover" has its own action
SOURCES = ("osc", "midi", "key", "cli", "api", "replay", "autopilot", "console", "clock", "audio")
OSC_PREFIX = "/livelatent"

# How an OSC address (Route.form) turns a message into the action's arguments; template items
# are placeholders of the address ("<n>" a whole number, "<param>" a motion parameter), "*" the
# message's own arguments, "value" a knob's 0..1 value, "strength" a pad's (1 unless a MIDI
# velocity says less), anything else itself.
ARGS = "args"      # the message's arguments, as the template places them
KNOB = "knob"      # one number 0..1 (a fader); a MIDI / learn target
PRESS = "press"    # a button: bare or > 0 presses, 0 releases (ignored); a MIDI / learn target
TOGGLE = "toggle"  # OSC: its arguments (none toggles, 0|1 sets); MIDI: a press toggles
Z = "z"            # d floats, or one float32 blob
TARGET = "target"  # one argument naming a target (MIDI learn's)
TARGET_FORMS = (KNOB, PRESS, TOGGLE)  # the forms a MIDI binding or MIDI learn can drive

BANK_LOAD_INTERVAL = 0.5  # seconds between two bank loads over OSC, at least (a load is ~700 kB in the take)


@dataclass(frozen=True)
class Route:
    address: str  # under /livelatent/, e.g. "keyframe/<n>"
    form: str = ARGS
    template: tuple = ("*",)
    value: Callable[[float], object] | None = None  # a knob value's conversion (the mover's index)


@dataclass(frozen=True)
class Action:
    name: str  # as logged: {"action": name, "args": [...]}
    check: Callable[[str, tuple], tuple]  # (name, args) -> the arguments as applied and logged
    applies: str  # "performance" (moves z), "picture" (how frames are drawn) or "app"
    apply: str  # the method of Performance / LiveApp that applies it ("" for picture actions)
    osc: tuple[Route, ...] = ()
    args: str = ""  # the OSC reference's arguments column
    does: str = ""  # ... and what it does
    key: str = ""  # the key that sends it bare
    keys: str = ""  # how the keyboard sends it otherwise (the reference only)
    knob: str = ""  # "action" / "param": a later event of the same action (and parameter) supersedes it
    # a discrete trigger (a keyframe, a store, a random draw, a picture switch): the loop shows it
    # at once, in a frame off the display grid; everything else (knobs, audio features, pushes,
    # the tempo) moves with the grid and never raises the frame rate (live/app.py)
    trigger: bool = False
    feedback: tuple[str, ...] = ()  # state addresses sent back after it applies (live/feedback.py)
    # seconds: OSC messages of this action closer together than this are dropped (one line) by
    # the receiver, before the bus: an action that carries much into the take (a bank load, its
    # whole z) must not let a runaway sender fill the disk (live/osc_listener.py)
    min_interval: float = 0.0


# ---- argument checks of the instrument's own actions (common/checks.py has the shared ones) ----

def _keyframe(action, args):
    checks.count(action, args, 1, 2)
    strength = checks.number(action, args[1], "strength") if len(args) > 1 else 1.0
    if not 0.0 <= strength <= 1.0:
        raise ControlMessageError(f"{action}: strength must be in 0..1, got {strength}")
    return (checks.slot(action, args[0]), strength)


def _z(action, args):
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    if not args:
        raise ControlMessageError(f"{action}: expected d numbers (the target z), got none")
    if set(map(type, args)) <= {float, int} and all(map(math.isfinite, args)):
        return tuple(map(float, args))  # the common case, checked at C speed: a z from OSC is 512 values
    return tuple(checks.number(action, v, "z value") for v in args)


def _motion(action, args):
    """("settle_time", value, "norm"|"raw"): norm values in 0..1 map onto the param's range."""
    checks.count(action, args, 2, 3)
    name, value = args[0], checks.number(action, args[1], "value")
    form = args[2] if len(args) > 2 else "norm"
    if name not in MOTION_PARAMS:
        raise ControlMessageError(f"{action}: parameter {name!r}: expected one of {', '.join(MOTION_PARAMS)}")
    if form not in ("norm", "raw"):
        raise ControlMessageError(f"{action}: form {form!r}: expected 'norm' or 'raw'")
    if form == "norm" and not 0.0 <= value <= 1.0:
        raise ControlMessageError(f"{action}: normalised {name} must be in 0..1, got {value}")
    return (name, value, form)


def _mover(action, args):
    checks.count(action, args, 1, 1)
    name = args[0]
    if not isinstance(name, str):
        idx = checks.slot(action, name)
        if idx >= len(MOVERS):
            raise ControlMessageError(f"{action}: mover index {idx}: expected 0..{len(MOVERS) - 1}")
        name = MOVERS[idx]
    if name not in MOVERS:
        raise ControlMessageError(f"{action}: mover {name!r}: expected one of {', '.join(MOVERS)}")
    return (name,)


def _learn(action, args):
    checks.count(action, args, 1, 1)
    target = args[0].strip("/") if isinstance(args[0], str) else ""
    if not target:
        raise ControlMessageError(f"{action}: expected a target such as 'motion/damping', got {args[0]!r}")
    return (target,)


def _output_enable(action, args):
    """(name,) toggles, (name, on) sets: the output's name as its OSC address spells it."""
    checks.count(action, args, 1, 2)
    name = args[0]
    if not isinstance(name, str) or not name:
        raise ControlMessageError(f"{action}: expected an output's name, got {name!r}")
    return (name, *checks.toggle(action, args[1:]))


def _mover_index(value: float) -> int:
    return min(int(value * len(MOVERS)), len(MOVERS) - 1)


# ---- the table ----

_SLOT_FEEDBACK = ("keyframe", "slot/current")

ACTIONS = {a.name: a for a in (
    Action("keyframe", _keyframe, "performance", "_on_keyframe",
           osc=(Route("keyframe"), Route("keyframe/<n>", PRESS, ("<n>", "strength"))),
           args="slot [strength 0..1]; /<slot>: [1 = press; 0 = release, ignored]",
           does="retarget to a slot (strength < 1: that fraction of the way)", keys="1-0 (Shift +10, Ctrl +20)",
           trigger=True, feedback=_SLOT_FEEDBACK),
    Action("keyframe.random", checks.no_args, "performance", "_on_keyframe_random",
           osc=(Route("keyframe/random", PRESS, ()),), args="[1]", does="a random keyframe, keyed by (seed, tick)",
           key="R", trigger=True, feedback=_SLOT_FEEDBACK),
    Action("z", _z, "performance", "_on_z", osc=(Route("z", Z),),
           args="d floats, or one float32 blob (little-endian)", does="target this z directly", knob="action",
           feedback=_SLOT_FEEDBACK),
    Action("store", checks.one_slot, "performance", "_on_store",
           osc=(Route("store"), Route("store/<n>", PRESS, ("<n>",))), args="slot; /<slot>: [1]",
           does="the current position into a slot", keys="S, then a slot key", trigger=True,
           feedback=("store",)),
    Action("bank.load", check_bank_load, "performance", "_on_bank_load", osc=(Route("bank/load"),),
           args="path of a bank saved with --save-bank (NAME.npy + NAME.json)",
           does="load a bank during the show; the particle keeps its course (the take carries the bank's z; over OSC one each 0.5 s at most)",
           feedback=("bank/load",), min_interval=BANK_LOAD_INTERVAL),
    Action("motion", _motion, "performance", "_on_motion",
           osc=(Route("motion/<param>", KNOB, ("<param>", "value", "norm")),
                Route("motion/<param>/raw", ARGS, ("<param>", "*", "raw"))),
           args="0..1; /raw: the value in its unit (seconds, ratio, Hz, radii/s)",
           does=f"set a motion knob: {', '.join(MOTION_PARAMS)}", keys="Tab selects, Up / Down nudge 5%",
           knob="param", feedback=("motion/<param>", "motion/<param>/raw")),
    Action("mover", _mover, "performance", "_on_mover",
           osc=(Route("motion/mover"), Route("mover", KNOB, ("value",), value=_mover_index)),
           args=f"{', '.join(MOVERS)} or 0-{len(MOVERS) - 1}; /mover: 0..1", does="switch mover, motion continuous",
           feedback=("motion/mover",)),
    Action("noise", checks.unit, "performance", "_on_noise", osc=(Route("noise", KNOB, ("value",)),),
           args="0..1", does="random pushes around the path", keys="Tab selects, Up / Down nudge 5%", knob="action",
           feedback=("noise",)),
    Action("model.psi", check_picture_event, "picture", "",
           osc=(Route("model/psi", KNOB, ("value", "norm")), Route("model/psi/raw", ARGS, ("*", "raw"))),
           args="0..1; /raw: psi in -2..2", does="StyleGAN truncation psi", knob="action",
           feedback=("model/psi", "model/psi/raw")),
    Action("model.class", check_picture_event, "picture", "",
           osc=(Route("model/class"), Route("model/class/<n>", PRESS, ("<n>",))), args="class; /<class>: [1]",
           does="a conditional StyleGAN's class", trigger=True, feedback=("model/class",)),
    Action("snapshot", check_picture_event, "picture", "",
           osc=(Route("snapshot"), Route("snapshot/<n>", PRESS, ("<n>",))), args="index; /<index>: [1]",
           does="with a snapshot set (model 'run/*.pkl'): decode through that one", trigger=True),
    Action("grid", check_picture_event, "picture", "", osc=(Route("grid", TOGGLE),), args="[0|1]",
           does="toggle or set the grid of every snapshot, tiled and labelled", key="G", trigger=True),
    Action("record.start", checks.no_args, "app", "record_start", osc=(Route("record/start", PRESS, ()),),
           args="[1]", does="start a take", feedback=("record",)),
    Action("record.stop", checks.no_args, "app", "record_stop", osc=(Route("record/stop", PRESS, ()),),
           args="[1]", does="stop the take", feedback=("record",)),
    Action("record.toggle", checks.no_args, "app", "record_toggle", osc=(Route("record/toggle", PRESS, ()),),
           args="[1]", does="start or stop a take", key="SPACE", feedback=("record",)),
    Action("hud", checks.toggle, "app", "show_hud", osc=(Route("hud", TOGGLE),), args="[0|1]",
           does="toggle or set the HUD", key="H", feedback=("hud",)),
    Action("output.enable", _output_enable, "app", "output_enable",
           osc=(Route("output/<name>/enable", ARGS, ("<name>", "*")),), args="[0|1]",
           does="turn a video output (--output) off or on; none toggles"),
    Action("learn", _learn, "app", "learn", osc=(Route("learn", TARGET),), args="target, e.g. motion/damping",
           does="MIDI learn: the next MIDI control moved drives it", keys="L (the selected knob)"),
    Action("quit", checks.no_args, "app", "quit", does="end the show", keys="Esc or Q, twice within 2 s"),
    # in time with the music (docs/music.md)
    Action("tempo", check_tempo, "performance", "_on_tempo", osc=(Route("tempo"),), args=f"BPM {BPM_MIN:g}..{BPM_MAX:g}",
           does="set the tempo; the beat's phase carries on"),
    Action("tempo.tap", checks.no_args, "performance", "_on_tempo_tap", osc=(Route("tempo/tap", PRESS, ()),),
           args="[1]", does="tap tempo: a beat now; from the second tap, the tempo", key="T"),
    Action("tempo.beat", check_tempo_beat, "performance", "_on_tempo_beat",
           args="BPM, beat, tick", does="the MIDI clock or the beat tracker: that beat fell at that tick"),
    Action("tempo.transport", check_transport, "performance", "_on_transport",
           args=f"{'|'.join(TRANSPORT)} [beat]", does="the MIDI clock's start, stop, continue, or its loss"),
    Action("settle_beats", check_settle_beats, "performance", "_on_settle_beats",
           osc=(Route("tempo/settle_beats"),), args="beats 0..64 (0: off)",
           does="settle time in beats: a keyframe on the beat arrives on a later beat"),
    Action("quantise", check_quantise, "app", "set_quantise", osc=(Route("quantise"),), args="off|beat|bar|2bar|...",
           does="hold triggers until the next beat, bar, ..."),
    Action("keyframe.next", checks.no_args, "performance", "_on_keyframe_next",
           osc=(Route("keyframe/next", PRESS, ()),), args="[1]", does="the next stored (or loaded) slot",
           trigger=True, feedback=_SLOT_FEEDBACK),
    Action("impulse", check_impulse, "performance", "_on_impulse", osc=(Route("impulse"),),
           args="amount 0..4 [velocity|random]", does="a push along the velocity or a random tangent"),
)}

PERFORMANCE_ACTIONS = tuple(a.name for a in ACTIONS.values() if a.applies == "performance")
KEYS = {a.key: a.name for a in ACTIONS.values() if a.key}  # the keys that send an action bare


# ---- events ----

@dataclass(frozen=True, slots=True)
class ControlEvent:
    """action: one of ACTIONS; args: its arguments; source: one of SOURCES;
    arrival: seconds on the loop's clock when it reached the bus (set by ControlBus.put)."""

    action: str
    args: tuple = ()
    source: str = "api"
    arrival: float = 0.0
    quantise: str = ""  # a binding's own quantise unit ("" = the show's; instrument/quantise.py)

    def at(self, arrival: float) -> "ControlEvent":
        return replace(self, arrival=float(arrival))

    def to_dict(self) -> dict:
        return {"action": self.action, "args": list(self.args), "source": self.source, "arrival": self.arrival}

    @classmethod
    def from_dict(cls, d: dict) -> "ControlEvent":
        try:
            return make(d["action"], *d.get("args", ()), source=d.get("source", "replay"),
                        arrival=float(d.get("arrival", 0.0)))
        except (KeyError, TypeError, ValueError) as exc:
            raise ControlMessageError(f"event {_short_dict(d)}: expected keys action, args, source, arrival "
                                      f"({type(exc).__name__}: {exc})") from None

    def __str__(self) -> str:
        shown = ", ".join(_short(a) for a in self.args)
        return f"{self.action}({shown})"


def _short_dict(d) -> str:
    text = repr(d)
    return text if len(text) <= 80 else text[:77] + "..."


def _short(value) -> str:
    if isinstance(value, tuple) and len(value) > 4:
        return f"<{len(value)} floats>" if isinstance(value[0], float) else f"<{len(value)} items>"
    return repr(value)


def make(action: str, *args, source: str = "api", arrival: float = 0.0) -> ControlEvent:
    """Build a checked event; a wrong action or argument raises ControlMessageError."""
    spec = ACTIONS.get(action) if isinstance(action, str) else None
    if spec is None:
        raise ControlMessageError(f"action {action!r}: expected one of {', '.join(ACTIONS)}")
    if source not in SOURCES:
        raise ControlMessageError(f"source {source!r}: expected one of {', '.join(SOURCES)}")
    return ControlEvent(action, spec.check(action, args), source, float(arrival))


def supersede_key(event: ControlEvent):
    """Events with the same key, applied at the same tick, leave only the last one's effect:
    nothing moves between them. (action, param) for a motion knob, the action for the other
    knobs (noise, z, psi); None for everything else (triggers, stores, random draws all count)."""
    knob = ACTIONS[event.action].knob
    if knob == "param":
        return (event.action, event.args[0])
    return event.action if knob else None


def coalesce(events: list[ControlEvent]) -> list[ControlEvent]:
    """The events of one tick without those a later one supersedes (a fader streaming 10,000
    values a second sets the knob once per tick). Order of the rest is kept; same z either way."""
    last = {key: i for i, e in enumerate(events) if (key := supersede_key(e)) is not None}
    return [e for i, e in enumerate(events) if (key := supersede_key(e)) is None or last[key] == i]


def coalesce_between_triggers(events: list[ControlEvent]) -> list[ControlEvent]:
    """coalesce() within each run of knob settings, never across a trigger: for events that
    may apply over several ticks (an OSC burst), each trigger still sees the knobs it would have."""
    out, run = [], []
    for e in events:
        if supersede_key(e) is None:
            out += coalesce(run) if len(run) > 1 else run
            out.append(e)
            run = []
        else:
            run.append(e)
    return out + (coalesce(run) if len(run) > 1 else run)

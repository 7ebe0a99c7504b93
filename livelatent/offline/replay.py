"""Replay a take: rebuild its Performance, feed the logged events at their ticks, sample frames.

At the take's own fps the result is the recorded z-sequence bit for bit (same Performance,
same events at the same ticks, same sampling code); at another fps the same performance is
sampled more or less finely, over the same duration.

    seq = replay_z(find_take("take-20261129-104839-123"), fps="60")
"""

from __future__ import annotations

import math
from collections import defaultdict
from fractions import Fraction

import numpy as np

from livelatent.adapters import takes
from livelatent.motion.clock import FrameSampler
from livelatent.instrument.actions import ControlEvent
from livelatent.errors import ControlMessageError, LivelatentError, TakeError
from livelatent.common.jsonfile import NUMBER, OBJECT, POSITIVE, TEXT, WHOLE, check_fields, list_of, optional
from livelatent.common.provenance import model_settings, provenance
from livelatent.common.rates import FrameRate
from livelatent.instrument.performance import Performance
from livelatent.common.zseq import ZSequence


# what a take's "performance" description must hold for Performance.restore()
DESCRIPTION_REQUIRED = ("d", "seed", "tick_rate", "tick", "radius", "motion")
DESCRIPTION_FIELDS = {
    "d": POSITIVE, "seed": WHOLE, "tick_rate": POSITIVE, "tick": WHOLE, "radius": NUMBER, "noise": NUMBER,
    "target_slot": optional(WHOLE), "current_slot": optional(WHOLE), "bank_labels": list_of(TEXT), "motion": OBJECT,
    "beat": OBJECT, "taps": list_of(WHOLE), "settle_beats": NUMBER, "transport": TEXT,  # instrument/music.py
}
MOTION_FIELDS = {"mover": TEXT, "settle_time": NUMBER, "damping": NUMBER, "shell_stiffness": NUMBER,
                 "speed_limit": NUMBER}


def frames_at(take: takes.Take, fps: FrameRate) -> int:
    """Frames at `fps` whose time falls within the take: ceil(duration * fps)."""
    return math.ceil(Fraction(take.rows) / take.fps.value * fps.value)


def restore_performance(take: takes.Take) -> Performance:
    """The Performance exactly as it was at the take's first tick."""
    desc = _description(take)
    arrays = takes.load_start(take)
    try:
        perf = Performance.restore(desc, arrays)
        if perf.d != take.d:
            raise TakeError(f"a bank of z size {perf.d} in a take of d={take.d}")
    except (LivelatentError, KeyError) as exc:
        reason = f"no {exc} array" if isinstance(exc, KeyError) else exc
        raise TakeError(f"{take.path}: {takes.START_FILE} does not fit {takes.TAKE_FILE} ({reason})") from None
    if perf.tick != int(take.meta["start_tick"]):
        raise TakeError(f"{take.path}: performance starts at tick {perf.tick}, take at {take.meta['start_tick']}")
    return perf


def _description(take: takes.Take) -> dict:
    """take.json's "performance", each field checked: one line naming the first that is wrong."""
    where = f"{take.path / takes.TAKE_FILE}: performance"
    desc = take.meta.get("performance")
    if desc is None:
        raise TakeError(f"{where}: missing; cannot replay the take")
    missing = [key for key in DESCRIPTION_REQUIRED if key not in desc]
    if missing:
        raise TakeError(f"{where}: missing key {missing[0]!r}")
    check_fields(desc, DESCRIPTION_FIELDS, where, TakeError)
    check_fields(desc["motion"], MOTION_FIELDS, f"{where}: motion", TakeError)
    unknown = sorted(set(desc["motion"]) - set(MOTION_FIELDS))
    if unknown:
        raise TakeError(f"{where}: motion: unknown key {unknown[0]!r}")
    if desc["radius"] <= 0:
        raise TakeError(f"{where}: radius {desc['radius']}: expected a number above 0")
    return desc


def events_by_tick(take: takes.Take) -> dict[int, list[ControlEvent]]:
    """The logged events by the tick they were applied at; a line that is not an event is one
    line naming it (a replay that skipped it would be a different performance)."""
    by_tick: dict[int, list[ControlEvent]] = defaultdict(list)
    for number, line in enumerate(takes.read_events(take), 1):
        tick, event = line.get("tick"), line.get("event")
        try:
            if not isinstance(tick, int) or isinstance(tick, bool) or not isinstance(event, dict):
                raise ControlMessageError("expected {\"tick\": N, \"event\": {...}}")
            by_tick[tick].append(ControlEvent.from_dict(event))
        except ControlMessageError as exc:
            raise TakeError(f"{take.path / takes.EVENTS_FILE}:{number}: {exc}") from None
    return by_tick


def replay_z(take: takes.Take, fps=None) -> ZSequence:
    """The take's z-sequence re-run at `fps` (default: the take's own)."""
    fps = FrameRate.parse(fps) if fps is not None else take.fps
    perf = restore_performance(take)
    events = events_by_tick(take)
    sampler = FrameSampler(fps, perf.clock.rate, start_tick=perf.tick)
    n = frames_at(take, fps)
    z = np.empty((n, perf.d), np.float32)
    while perf.tick < sampler.last_tick_for(n):
        for event in events.get(perf.tick, ()):
            _apply(perf, event)
        prev = perf.z.copy()
        perf.step()
        for k, row in sampler.rows(perf.tick, prev, perf.z):
            if k < n:
                z[k] = row
    # drawn as performed: psi, class, snapshot frame for frame
    model = {**model_settings(take.meta), **takes.picture_track(take, fps).to_meta()}
    meta = provenance("replay", parents=[take.id], model=model, take=take.name)
    return ZSequence(z, fps, meta)


def _apply(perf: Performance, event: ControlEvent) -> None:
    """As live: an event whose arguments the Performance refuses changes nothing."""
    try:
        perf.apply(event)
    except ControlMessageError:
        pass

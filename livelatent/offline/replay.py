"""Replay a take: rebuild its Performance, feed the logged events at their ticks, sample frames.

At the take's own fps the result is the recorded z-sequence bit for bit (same Performance,
same events at the same ticks, same sampling code); at another fps the same performance is
sampled more or less finely, over the same duration.

    seq = replay_z(find_take("take-20261129-104839-123"), fps="60")
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from fractions import Fraction

import numpy as np

from livelatent.adapters import takes
from livelatent.clock import FrameSampler
from livelatent.controls import ControlEvent
from livelatent.errors import ControlMessageError, TakeError
from livelatent.frames import FrameRate
from livelatent.performance import Performance
from livelatent.zseq import ZSequence


def frames_at(take: takes.Take, fps: FrameRate) -> int:
    """Frames at `fps` whose time falls within the take: ceil(duration * fps)."""
    return math.ceil(Fraction(take.rows) / take.fps.value * fps.value)


def restore_performance(take: takes.Take) -> Performance:
    """The Performance exactly as it was at the take's first tick."""
    if "performance" not in take.meta:
        raise TakeError(f"{take.path}: take.json has no 'performance' description; cannot replay it")
    perf = Performance.restore(take.meta["performance"], takes.load_start(take))
    if perf.tick != int(take.meta["start_tick"]):
        raise TakeError(f"{take.path}: performance starts at tick {perf.tick}, take at {take.meta['start_tick']}")
    return perf


def events_by_tick(take: takes.Take) -> dict[int, list[ControlEvent]]:
    by_tick: dict[int, list[ControlEvent]] = defaultdict(list)
    for line in takes.read_events(take):
        by_tick[int(line["tick"])].append(ControlEvent.from_dict(line["event"]))
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
        for k, row in takes.sample_rows(sampler, perf.tick, prev, perf.z):
            if k < n:
                z[k] = row
    kept = ("model", "model_label", "snapshot", "snapshot_labels", "size", "preset", "seed")
    meta = {"id": uuid.uuid4().hex, "made_by": "replay", "take": take.name, "parents": [take.id],
            **{key: take.meta[key] for key in kept if key in take.meta},
            **takes.picture_track(take, fps).to_meta()}  # psi, class, snapshot as performed, frame for frame
    return ZSequence(z, fps, meta)


def _apply(perf: Performance, event: ControlEvent) -> None:
    """As live: an event whose arguments the Performance refuses changes nothing."""
    try:
        perf.apply(event)
    except ControlMessageError:
        pass

"""Small OpenTimelineIO timelines for the tests, written as an editor would write them.

    edit = write(tmp_path / "cut.otio", timeline([track(clip("a", 10, 20), gap(5), clip("b", 0, 8))]))
    picks = conform_picks(edit)

Times are (value, rate) pairs at `rate` (default 30); z-sequence pairs with `zpair`, whose
row r is (code, r), so a conformed row says which source frame it came from.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import opentimelineio as otio

from livelatent.common import zseq
from livelatent.common.zseq import ZSequence

RATE = 30.0


def rt(value, rate=RATE):
    return otio.opentime.RationalTime(float(value), float(rate))


def span(start, duration, rate=RATE):
    return otio.opentime.TimeRange(rt(start, rate), rt(duration, rate))


def clip(name, start, duration, *, rate=RATE, url=None, effects=(), enabled=True, media=None):
    """A clip of `duration` frames from media frame `start`; its media `url` (default NAME.mp4),
    or `media` (any media reference)."""
    ref = media if media is not None else otio.schema.ExternalReference(target_url=url or f"{name}.mp4")
    item = otio.schema.Clip(name=name, media_reference=ref, source_range=span(start, duration, rate))
    for effect in effects:
        item.effects.append(effect)
    item.enabled = enabled
    return item


def gap(duration, rate=RATE):
    return otio.schema.Gap(source_range=span(0, duration, rate))


def dissolve(lead, tail, rate=RATE, kind="SMPTE_Dissolve"):
    return otio.schema.Transition(name=kind, transition_type=kind, in_offset=rt(lead, rate), out_offset=rt(tail, rate))


def track(*items, name="", kind=otio.schema.TrackKind.Video, enabled=True):
    out = otio.schema.Track(name=name, kind=kind)
    for item in items:
        out.append(item)
    out.enabled = enabled
    return out


def stack(*tracks, name="nested", trim=None):
    out = otio.schema.Stack(name=name, source_range=trim)
    for t in tracks:
        out.append(t)
    return out


def timeline(tracks, rate=RATE, name="cut"):
    out = otio.schema.Timeline(name=name, global_start_time=rt(0, rate))
    for t in tracks:
        out.tracks.append(t)
    return out


def write(path: Path, tl) -> Path:
    tl.to_json_file(str(path))
    return path


def zpair(stem: Path, code: int, rows: int = 300, fps=Fraction(30), meta: dict | None = None) -> Path:
    z = np.zeros((rows, 2), np.float32)
    z[:, 0], z[:, 1] = code, np.arange(rows)
    stem.parent.mkdir(parents=True, exist_ok=True)
    zseq.save(ZSequence(z, fps, {"id": f"z{code}", **(meta or {})}), stem)
    return stem

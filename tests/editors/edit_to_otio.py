"""Write a random Edit (tests/conform/random_edit.py, drawn for Kdenlive 23.04+ "sequences") as
the same timeline in OpenTimelineIO, as an editor exporting it would.

    timeline = to_otio(edit, folder)       # an otio.schema.Timeline; write it with any adapter

How each Kdenlive construct becomes OTIO (random_edit's Edit is in project frames):
  cut        a Clip whose source_range starts at the media time the entry shows first (MLT's
             timewarp: p * |speed| / fps, reversed from the warp producer's out) with a
             LinearTimeWarp of the speed; its media an ExternalReference to cN.mkv
  freeze     the cut split into runs: frozen runs are FreezeFrame clips holding the inner
             producer's frame (melt 7.12 on chains and timewarps), the others plain clips
  mix        a SMPTE_Dissolve of in + out = the overlap, cut in its middle; the outgoing clip
             ends and the incoming one starts at the cut, their media running on as handles
  nest       a Stack holding the nested sequence's tracks, trimmed by its source_range
  hidden     Track.enabled False; disabled clips Clip.enabled False; blanks are Gaps
Compositions (dissolves between tracks) and time remaps have no OTIO form: `expressible`
drops them, and a freeze whose run boundary falls inside a mix's overlap (OTIO's handles
continue one mapping).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

import opentimelineio as otio

from conform.kdenlive_writer import Blank, Cut, Nest
from conform.random_edit import Edit, Mix, Track, item_length, producer_frames

DISSOLVE = "SMPTE_Dissolve"


def rt(frames: Fraction | float, fps: Fraction) -> otio.opentime.RationalTime:
    return otio.opentime.RationalTime(float(frames), float(fps))


def span(start: Fraction | float, frames: Fraction | float, fps: Fraction) -> otio.opentime.TimeRange:
    return otio.opentime.TimeRange(rt(start, fps), rt(frames, fps))


# ---- what a Kdenlive cut shows, in media seconds (melt's arithmetic made exact) ----
def shown_seconds(cut: Cut, p: int, fps: Fraction) -> Fraction:
    """Media time at producer position p, before any freeze."""
    speed = Fraction(cut.speed)
    if speed > 0:
        return p * speed / fps
    warp_out = producer_frames(cut.clip, fps, cut.speed) - 1
    return (warp_out - p) * -speed / fps


def frozen(cut: Cut, p: int) -> bool:
    if cut.freeze is None:
        return False
    frame, before, after = cut.freeze
    return (not before and not after) or (after and p > frame) or (before and p < frame)


def held_seconds(cut: Cut, fps: Fraction) -> Fraction:
    """A chain's or timewarp's freeze holds the inner producer's frame: no in, never reversed."""
    return cut.freeze[0] * abs(Fraction(cut.speed)) / fps


def runs(cut: Cut, first: int, last: int) -> list[tuple[int, int, bool]]:
    """Positions first..last grouped into (start, end inclusive, frozen) runs."""
    out: list[tuple[int, int, bool]] = []
    for p in range(first, last + 1):
        state = frozen(cut, p)
        if out and out[-1][2] == state:
            out[-1] = (out[-1][0], p, state)
        else:
            out.append((p, p, state))
    return out


# ---- items with the frames a mix overlaps at their ends ----
@dataclass
class Placed:
    item: object
    index: int  # in Track.items
    head: int = 0  # frames of the item hidden under a mix before it (shown by the transition)
    tail: int = 0  # ... after it


def _placed(track: Track) -> tuple[list[Placed], dict[int, tuple[int, int]]]:
    """The track's items with the overlap each mix hides at their ends, and the transition
    (in, out) after item k."""
    placed, transitions = [], {}
    for index, item in enumerate(track.items):
        if isinstance(item, Mix):
            lead = item.length // 2
            placed[-1].tail = item.length - lead
            transitions[len(placed) - 1] = (lead, item.length - lead)
            continue
        placed.append(Placed(item, index))
        if len(placed) > 1 and len(placed) - 2 in transitions:
            placed[-1].head = transitions[len(placed) - 2][0]
    return placed, transitions


def _cut_clips(cut: Cut, head: int, tail: int, fps: Fraction) -> list:
    """The visible part of a cut (positions first + head .. last - tail) as OTIO clips."""
    clips = []
    for lo, hi, is_frozen in runs(cut, cut.first + head, cut.last - tail):
        media = otio.schema.ExternalReference(target_url=str(cut.clip.path),
                                              available_range=span(0, cut.clip.frames, cut.clip.fps))
        start = held_seconds(cut, fps) if is_frozen else shown_seconds(cut, lo, fps)
        clip = otio.schema.Clip(name=f"clip{cut.clip.code}", media_reference=media,
                                source_range=span(start * fps, hi - lo + 1, fps))
        if is_frozen:
            clip.effects.append(otio.schema.FreezeFrame())
        elif cut.speed != 1:
            clip.effects.append(otio.schema.LinearTimeWarp(time_scalar=cut.speed))
        clip.enabled = not cut.disabled
        clips.append(clip)
    return clips


def _track(track: Track, edit: Edit, name: str) -> otio.schema.Track:
    out = otio.schema.Track(name=name, kind=otio.schema.TrackKind.Video)
    out.enabled = not track.hidden
    placed, transitions = _placed(track)
    for k, entry in enumerate(placed):
        item = entry.item
        if isinstance(item, Blank):
            out.append(otio.schema.Gap(source_range=span(0, item.length, edit.fps)))
        elif isinstance(item, Nest):
            out.append(_stack(edit, item))
        else:
            for clip in _cut_clips(item, entry.head, entry.tail, edit.fps):
                out.append(clip)
        if k in transitions:
            lead, tail = transitions[k]
            out.append(otio.schema.Transition(name=f"mix{k}", transition_type=DISSOLVE,
                                              in_offset=rt(lead, edit.fps), out_offset=rt(tail, edit.fps)))
    return out


def _stack(edit: Edit, nest: Nest) -> otio.schema.Stack:
    stack = otio.schema.Stack(name=nest.sequence,
                              source_range=span(nest.first, nest.last - nest.first + 1, edit.fps))
    for k, track in enumerate(edit.nested[nest.sequence]):
        stack.append(_track(track, edit, f"{nest.sequence}V{k + 1}"))
    return stack


def to_otio(edit: Edit) -> otio.schema.Timeline:
    """The edit as an OTIO timeline at its rate, media named relative to the edit's folder."""
    timeline = otio.schema.Timeline(name=f"{edit.structure}-{edit.seed}", global_start_time=rt(0, edit.fps))
    for k, track in enumerate(edit.tracks):
        timeline.tracks.append(_track(track, edit, f"V{k + 1}"))
    return timeline


# ---- what OTIO cannot say ----
def _mix_safe(track: Track) -> Track:
    """Drop freezes that change between a cut's visible part and the part a mix overlaps (a
    transition's handle continues the visible clip's one mapping)."""
    placed, _ = _placed(track)
    items = list(track.items)
    for entry in placed:
        cut = entry.item
        if isinstance(cut, Cut) and cut.freeze is not None:
            whole = runs(cut, cut.first, cut.last)
            if whole[0][1] < cut.first + entry.head or whole[-1][0] > cut.last - entry.tail:
                items[entry.index] = replace(cut, freeze=None)
    return replace(track, items=items)


def expressible(edit: Edit) -> Edit:
    """The edit without what OTIO cannot express: compositions, time remaps, slow-motion
    framebuffers, and freezes that change inside a mix."""
    def plain(track: Track) -> Track:
        items = [replace(i, remap=None, slowmotion=False) if isinstance(i, Cut) else i for i in track.items]
        return _mix_safe(replace(track, items=items))
    return replace(edit, tracks=[plain(t) for t in edit.tracks], compositions=[],
                   nested={name: [plain(t) for t in tracks] for name, tracks in edit.nested.items()})


def track_length(track: Track) -> int:
    return sum(item_length(i) for i in track.items)

"""A random edit without the features a format (or its OTIO adapter) cannot carry.

    within(edit, {"tracks", "gaps", "mix", "rates"})    # what FCP 7 XML round-trips, say

Each feature is removed the way an editor exporting to that format would lose it, keeping the
rest of the edit: hidden tracks shown, disabled clips enabled, nested sequences replaced by
gaps of their length, speed set to 1 (the cut moved back inside its clip), freezes dropped,
mixes cut hard, upper tracks dropped, every clip swapped for the clip at the edit's rate
(an EDL's source timecode is at the record rate). None when what remains is not a valid edit.
"""

from __future__ import annotations

from dataclasses import replace

from conform.fuzz import _valid
from conform.kdenlive_writer import Blank, Cut, Nest
from conform.random_edit import CLIP_SET, Edit, Mix, Track, item_length, producer_frames, track_end

ALL = {"tracks", "gaps", "hidden", "disabled", "mix", "speed", "reverse", "freeze", "nested", "rates"}
SAME_RATE = {clip.fps: clip for clip in sorted(CLIP_SET.values(), key=lambda c: -c.frames)}


def _refit(cut: Cut, fps) -> Cut | None:
    """The cut moved back (or shortened) to fit its clip's positions at its speed."""
    top = producer_frames(cut.clip, fps, cut.speed) - 1
    if cut.last <= top:
        return cut
    length = cut.last - cut.first
    first = max(top - length, 0)
    return replace(cut, first=first, last=min(first + length, top)) if top > 4 else None


def _cut_without(cut: Cut, lose: set, fps) -> Cut | None:
    if "disabled" in lose:
        cut = replace(cut, disabled=False)
    if "freeze" in lose:
        cut = replace(cut, freeze=None)
    if "speed" in lose and cut.speed != 1 or "reverse" in lose and cut.speed < 0:
        cut = replace(cut, speed=1.0 if "speed" in lose else abs(cut.speed))
    if "rates" in lose:
        cut = replace(cut, clip=SAME_RATE[fps])
    return _refit(cut, fps)


def _track_without(track: Track, lose: set, edit: Edit) -> Track | None:
    items = []
    for item in track.items:
        if isinstance(item, Mix) and "mix" in lose:
            continue
        if isinstance(item, Nest) and "nested" in lose:
            item = Blank(item_length(item))
        elif isinstance(item, Cut):
            item = _cut_without(item, lose, edit.fps)
            if item is None:
                return None
        items.append(item)
    return replace(track, items=items, hidden=track.hidden and "hidden" not in lose)


def within(edit: Edit, features: set) -> Edit | None:
    """The edit keeping only `features` (ALL: everything), or None if that breaks it."""
    lose = ALL - features
    tracks = [_track_without(t, lose, edit) for t in (edit.tracks[:1] if "tracks" in lose else edit.tracks)]
    nested = {} if "nested" in lose else {name: [_track_without(t, lose, edit) for t in ts]
                                          for name, ts in edit.nested.items()}
    every = tracks + [t for ts in nested.values() for t in ts]
    if any(t is None for t in every):
        return None
    simpler = replace(edit, tracks=tracks, nested=nested)
    return simpler if _valid(simpler) and all(not isinstance(t.items[-1], (Blank, Mix)) for t in tracks) else None


def edl_safe(edit: Edit) -> Edit | None:
    """What the CMX 3600 adapter writes faithfully (and an EDL holds: no leading gap): source timecodes are whole frames (a speed
    cut starts on a whole media frame, a frozen cut plays at speed 1), and the clip after a
    dissolve plays at speed 1 without a freeze (the writer moves its start back by the
    dissolve's frames, whatever its speed). At 30000/1001 it writes drop-frame timecode, which
    its reader does not take in an M2 line: no speed there."""
    drop_frame = edit.fps.denominator == 1001

    def fix(items: list) -> list | None:
        out = []
        for k, item in enumerate(items):
            if isinstance(item, Cut) and (drop_frame or k > 0 and isinstance(items[k - 1], Mix)):
                item = _refit(replace(item, speed=1.0, freeze=None), edit.fps)
            elif isinstance(item, Cut) and item.speed != 1:
                item = _refit(replace(item, speed=1.0), edit.fps) if item.freeze else _whole_start(item, edit.fps)
            if item is None:
                return None
            out.append(item)
        return out
    # an EDL's program starts at its first event (it does not record a leading gap)
    tracks = [replace(t, items=fix(_after_leading_gaps(t.items))) for t in edit.tracks]
    if any(t.items is None for t in tracks):
        return None
    simpler = replace(edit, tracks=tracks)
    return simpler if _valid(simpler) else None


def _whole_start(cut: Cut, fps) -> Cut | None:
    """The speed cut moved back to the nearest position whose media time is a whole frame."""
    from fractions import Fraction

    speed = abs(Fraction(cut.speed))
    warp_out = producer_frames(cut.clip, fps, cut.speed) - 1
    for back in range(0, 16):
        first = cut.first - back
        start = (first if cut.speed > 0 else warp_out - first) * speed
        if first >= 0 and start.denominator == 1:
            return replace(cut, first=first, last=cut.last - back)
    return None


def _after_leading_gaps(items: list) -> list:
    first = next((k for k, item in enumerate(items) if not isinstance(item, Blank)), len(items))
    return items[first:]


def fcpx_safe(edit: Edit) -> Edit | None:
    """FCP X attaches clips above the primary storyline to a clip or gap of it: what starts
    past the end of the bottom track has nothing to attach to (the adapter cannot write it).
    The adapter knows only the whole rates and 23.98 / 29.97 / 59.94 written as decimals, whose
    times it then rounds: the check uses whole rates."""
    if edit.fps.denominator != 1:
        return None
    def attached(tracks: list[Track]) -> list[Track]:
        end = track_end(tracks[0])
        return [tracks[0]] + [replace(t, items=_starting_before(t.items, end)) for t in tracks[1:]]
    tracks = [t for t in attached(edit.tracks) if t.items]
    nested = {name: [t for t in attached(ts) if t.items] for name, ts in edit.nested.items()}
    simpler = replace(edit, tracks=tracks, nested=nested)
    return simpler if _valid(simpler) and all(not isinstance(t.items[-1], (Blank, Mix)) for t in tracks) else None


def _starting_before(items: list, end: int) -> list:
    kept, position = [], 0
    for item in items:
        if position >= end:
            break
        kept.append(item)
        position += item_length(item)
    while kept and isinstance(kept[-1], (Blank, Mix)):
        kept.pop()
    return kept


def features_of(edit: Edit) -> set:
    """What of ALL an edit uses (to check that a set of seeds exercises a format fully)."""
    tracks = edit.tracks + [t for ts in edit.nested.values() for t in ts]
    items = [i for t in tracks for i in t.items]
    cuts = [i for i in items if isinstance(i, Cut)]
    found = {"tracks"} if len(edit.tracks) > 1 else set()
    found |= {"hidden"} if any(t.hidden for t in tracks) else set()
    found |= {name for name, kind in (("gaps", Blank), ("mix", Mix), ("nested", Nest))
              if any(isinstance(i, kind) for i in items)}
    found |= {"speed"} if any(c.speed > 0 and c.speed != 1 for c in cuts) else set()
    found |= {"reverse"} if any(c.speed < 0 for c in cuts) else set()
    found |= {name for name, test in (("freeze", lambda c: c.freeze), ("disabled", lambda c: c.disabled),
                                      ("rates", lambda c: c.clip.fps != edit.fps)) if any(map(test, cuts))}
    return found

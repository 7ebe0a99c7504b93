"""An OpenTimelineIO timeline -> livelatent.timeline.Timeline, whichever editor made the cut.

    timeline = to_timeline(otio_timeline, edit=Path("cut.otio"), fps=Fraction(30000, 1001))

The rules (docs/editors.md has them with examples):
  * positions: each item's duration converted exactly (30000/1001 stays exact) and summed;
    an edge between timeline frames goes to the nearest one, halves up, and the clip's first
    frame there shows its source in point;
  * a clip's frame k shows its media at source start + k * speed / fps, the nearest media
    frame (timeline.SourceTime; livelatent.retime); speed is the product of its
    LinearTimeWarp time scalars (negative: reverse), 0 with a FreezeFrame; any other time
    effect is refused by name;
  * a transition at a cut overlaps the outgoing clip (extended by out_offset into its media)
    and the incoming one (starting in_offset early) on two lanes of the track; every kind is
    blended as a dissolve, B's weight at its k-th frame of N being k / (N + 1), as melt
    weighs a Kdenlive mix of the same frames;
  * nested stacks, tracks inside tracks and compound clips become nested timelines; disabled
    clips show nothing (lower tracks show through), disabled tracks are hidden, audio
    tracks are ignored, gaps are gaps.
Duck-typed on schema_name(): adapters/otio.py is the one module that imports opentimelineio
and passes in the library's exception types.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path

from livelatent.adapters.otio_markers import stack_guides
from livelatent.adapters.otio_media import source_for
from livelatent.errors import ProjectError, shorten
from livelatent.exact_time import exact, round_half_up, seconds, snap_rate
from livelatent.mlt_time import MAX_HOURS, format_clock, max_frames
from livelatent.timeline import DISSOLVE, WIPE, ClipSegment, Source, SourceTime, Timeline, Track, Transition

COMPOSITIONS = ("Stack", "Track")
FRAME_GRID = 1000  # times are exact to 1/1000 of a timeline frame
# names editors give time effects that adapters pass through as plain effects
TIME_EFFECT_NAMES = {"time remap", "time remapping", "timeremap", "speed", "speed ramp", "retime", "timewarp",
                     "frame hold", "freeze frame", "reverse", "motion effect"}


class _Reader:
    def __init__(self, edit: Path, fps: Fraction, library_errors: tuple, media_at_edit_rate: bool):
        self.edit, self.fps, self.errors = edit, fps, library_errors
        self.rate = float(fps)
        self.media_rate = fps if media_at_edit_rate else None
        self.sources: dict[str, Source] = {}
        self.seen: dict[tuple, Source] = {}
        self.notes: list[str] = []
        self.nested: dict[int, Timeline] = {}

    # ---- time ----
    def frames(self, rt, where: str) -> Fraction:
        """A duration or position (RationalTime) in exact timeline frames, to the nearest 1/1000
        frame: adapters that compute in doubles hand over 52.99999999999999 for 53."""
        if rt.rate == self.rate and rt.value.is_integer():  # the common case, exact already
            return Fraction(int(rt.value))
        try:
            return (seconds(rt.value, rt.rate) * self.fps).limit_denominator(FRAME_GRID)
        except (ValueError, ZeroDivisionError) as exc:
            raise ProjectError(f"{where}: time {rt.value} at rate {rt.rate}: {exc}") from None

    def seconds(self, rt, where: str) -> Fraction:
        return self.frames(rt, where) / self.fps

    def at(self, item, track: str, frame: int) -> "_At":
        return _At(item.schema_name().lower(), item.name, track, frame, self.fps)

    def trimmed(self, item, where: str):
        try:
            return item.trimmed_range()
        except self.errors as exc:
            raise ProjectError(f"{where}: no duration ({shorten(str(exc), 120)})") from None

    # ---- compositions ----
    def stack(self, stack, name: str) -> Timeline:
        """A Stack's video layers, bottom to top, as a timeline."""
        tracks, number = [], 0
        for child in stack:
            if child.schema_name() == "Track" and child.kind != "Video":
                continue  # audio
            number += 1
            label = child.name or f"V{number}"
            if child.schema_name() == "Track":
                tracks.append(self.track(child, label))
            else:  # a clip or stack straight in a stack: a layer of its own from frame 0
                tracks.append(self.items([child], label, hidden=False))
        return Timeline(name, self.fps, tuple(tracks), notes=tuple(self.notes))

    def track(self, track, name: str) -> Track:
        built = self.items(list(track), name, hidden=not track.enabled)
        if track.source_range is None:
            return built
        # a trimmed track: the track as a nested timeline, entered at the trim's start
        where = f"track {name}"
        inner = Timeline(name, self.fps, (replace(built, hidden=False),))
        length = round_half_up(self.frames(track.source_range.duration, where))
        entry = ClipSegment(0, length, inner, label=name,
                            exact=SourceTime(self.seconds(track.source_range.start_time, where)))
        return Track(name, ((entry,),), hidden=built.hidden, extent=length)

    def items(self, children: list, name: str, hidden: bool) -> Track:
        placed, cuts, position, limit = [], [], Fraction(0), max_frames(self.fps)
        for child in children:
            if child.schema_name() == "Transition":
                cuts.append((len(placed), child, position))
                continue
            where = self.at(child, name, round_half_up(position))
            duration = self.frames(self.trimmed(child, where).duration, where)
            if duration < 0:
                raise ProjectError(f"{where}: negative duration {float(duration):g} frames")
            if position + duration > limit:
                raise ProjectError(f"{where}: ends past {MAX_HOURS} hours; expected a shorter edit")
            placed.append((child, position, position + duration))
            position += duration
        segments = [self.segment(child, lo, hi, name) for child, lo, hi in placed]
        lanes, mixes = _lanes(segments, cuts), []
        for index, transition, cut in cuts:
            mixes += self.transition(transition, cut, index, segments, lanes, name)
        _check_lanes(segments, lanes, name)
        by_lane = tuple(tuple(s for s, lane in zip(segments, lanes) if s is not None and lane == k) for k in (0, 1))
        return Track(name, by_lane, tuple(mixes), hidden=hidden, extent=round_half_up(position))

    # ---- items ----
    def segment(self, item, lo: Fraction, hi: Fraction, track: str) -> ClipSegment | None:
        kind = item.schema_name()
        start, end = round_half_up(lo), round_half_up(hi)
        if kind == "Gap" or end <= start or not item.enabled:
            return None
        where = self.at(item, track, start)
        speed = self.speed(item, where)
        if kind == "Clip":
            source = self.source(item)
            media = item.media_reference
            origin = getattr(media, "available_range", None) if media is not None else None
            first = self.seconds(self.trimmed(item, where).start_time, where)
            first -= self.seconds(origin.start_time, where) if origin is not None else 0
            first = (first * self.fps).limit_denominator(FRAME_GRID) / self.fps
        elif kind in COMPOSITIONS:
            source = self.composition(item, where)
            first = self.seconds(self.trimmed(item, where).start_time, where)
        else:
            raise ProjectError(f"{where}: a {kind} in a track; expected clips, gaps, transitions and nested stacks")
        # an edge between frames moves to the nearest frame, which shows the source in point
        label = item.name or (source.label if isinstance(source, Source) else source.name)
        return ClipSegment(start, end - start, source, in_frame=round_half_up(first * self.fps), label=label,
                           exact=SourceTime(first, speed))

    def composition(self, item, where: str) -> Timeline:
        """A nested stack, a track in a track, a compound clip: a nested timeline, read once."""
        if id(item) not in self.nested:
            name = item.name or "nested"
            inner = self.stack(item, name) if item.schema_name() == "Stack" else \
                Timeline(name, self.fps, (self.items(list(item), name, hidden=False),))
            if inner.length == 0:  # e.g. a nested sequence whose content the adapter did not carry
                self.notes.append(f"{where}: the nested {item.schema_name().lower()} holds no video; it shows nothing")
            self.nested[id(item)] = inner
        return self.nested[id(item)]

    def source(self, clip) -> Source:
        """The clip's Source, one per media (looked up once per URL and name: long edits cut the
        same takes hundreds of times)."""
        ref = clip.media_reference
        seen = (getattr(ref, "target_url", None), ref.schema_name() if ref is not None else None, clip.name,
                str(clip.metadata.get("cmx_3600", {}).get("reel", "")))
        if seen not in self.seen:
            source = source_for(clip, self.edit.parent, self.media_rate)
            self.seen[seen] = self.sources.setdefault(source.key, source)
        return self.seen[seen]

    def speed(self, item, where: str) -> Fraction:
        """The product of LinearTimeWarp / FreezeFrame time scalars; other time effects refused."""
        speed = Fraction(1)
        for effect in item.effects:
            kind, name = effect.schema_name(), (effect.effect_name or "").strip()
            if kind in ("LinearTimeWarp", "FreezeFrame"):
                try:
                    speed *= exact(effect.time_scalar)
                except ValueError as exc:
                    raise ProjectError(f"{where}: {kind} time scalar: {exc}") from None
            elif kind != "Effect" or name.lower() in TIME_EFFECT_NAMES:
                raise ProjectError(f"{where}: time effect {shorten(name or kind)!r} ({kind}) is not supported; "
                                   f"expected LinearTimeWarp (speed, reverse) or FreezeFrame")
            else:
                self.notes.append(f"effect {shorten(name or 'unnamed')!r} ignored (it does not change time)")
        return speed

    def transition(self, transition, cut: Fraction, index: int, segments: list, lanes: list, track: str) -> list:
        """Extend the clips either side of a cut into their media; one mix where both show. At a
        track's first or last edge (a fade from or to nothing) the clip is not extended: it shows
        alone, as the conform shows a clip alone in a mix with a clip that has no z-sequence."""
        at = round_half_up(cut)
        where = self.at(transition, track, at)
        lead = round_half_up(self.frames(transition.in_offset, where))
        tail = round_half_up(self.frames(transition.out_offset, where))
        if lead < 0 or tail < 0:
            raise ProjectError(f"{where}: negative offsets ({lead}, {tail} frames)")
        if index == 0 or index == len(segments):
            self.notes.append(f"transition {shorten(transition.name or '')!r} at an end of track {track}: "
                              f"the clip shows alone")
            return []
        before, after = segments[index - 1], segments[index]
        begin = max(at - lead, 0)
        if before is not None:
            segments[index - 1] = replace(before, length=at + tail - before.start)
        if after is not None:
            moved = Fraction(after.start - begin) / self.fps * after.exact.speed
            segments[index] = replace(after, start=begin, length=after.end - begin,
                                      exact=replace(after.exact, start=after.exact.start - moved))
        if before is None or after is None or begin == at + tail:
            return []
        kind = DISSOLVE if transition.transition_type == "SMPTE_Dissolve" else WIPE
        if kind == WIPE:
            self.notes.append(f"{transition.transition_type} {shorten(transition.name or '')!r} conformed as a dissolve")
        return [Transition(begin, at + tail, lanes[index - 1], lanes[index], kind, label=transition.name or "")]


class _At:
    """Where an item is, for a message: 'clip NAME on track V1 at frame N (clock)', formatted
    only when a message is raised (a long edit has thousands of items)."""

    __slots__ = ("kind", "name", "track", "frame", "fps")

    def __init__(self, kind: str, name: str, track: str, frame: int, fps: Fraction):
        self.kind, self.name, self.track, self.frame, self.fps = kind, name, track, frame, fps

    def __str__(self) -> str:
        named = f"{self.kind} {shorten(self.name)!r}" if self.name else self.kind
        return f"{named} on track {self.track} at frame {self.frame} ({format_clock(self.frame, self.fps)})"


def _lanes(segments: list, cuts: list) -> list[int]:
    """Lane 0 for every item, except that the item after a transition takes the other lane."""
    joined = {index for index, _, _ in cuts}
    lanes = [0] * len(segments)
    for k in range(1, len(segments)):
        lanes[k] = 1 - lanes[k - 1] if k in joined else 0
    return lanes


def _check_lanes(segments: list, lanes: list, track: str) -> None:
    """Transitions longer than the clip between them would overlap on one lane."""
    ends = [0, 0]
    for seg, lane in zip(segments, lanes):
        if seg is None:
            continue
        if seg.start < ends[lane]:
            raise ProjectError(f"clip {shorten(seg.label)!r} on track {track} at frame {seg.start}: the transitions "
                               f"either side of it overlap; expected each clip to outlast its transitions")
        ends[lane] = seg.end


def to_timeline(otio_timeline, *, edit: Path, fps: Fraction, library_errors: tuple = (),
                media_at_edit_rate: bool = False) -> Timeline:
    """The timeline model of an OTIO Timeline at `fps`. media_at_edit_rate: source times are
    frames at the edit's rate whatever the media (CMX 3600 EDLs)."""
    reader = _Reader(edit, Fraction(fps), tuple(library_errors) or (ValueError,), media_at_edit_rate)
    name = otio_timeline.name or edit.stem
    stack = otio_timeline.tracks
    timeline = reader.stack(stack, name)
    if stack.source_range is not None:  # the whole stack trimmed: one entry into it
        where = f"timeline {name}"
        length = round_half_up(reader.frames(stack.source_range.duration, where))
        entry = ClipSegment(0, length, timeline, label=name,
                            exact=SourceTime(reader.seconds(stack.source_range.start_time, where)))
        timeline = Timeline(name, timeline.fps, (Track("V1", ((entry,),)),))
    guides = stack_guides(stack, lambda rt: reader.frames(rt, f"timeline {name}: marker"))
    return replace(timeline, notes=tuple(dict.fromkeys(reader.notes)), guides=guides)


def timeline_rate(otio_timeline) -> Fraction | None:
    """The rate an OTIO timeline is cut at: its global start time's, else its first video
    item's (OTIO has no timeline rate of its own)."""
    start = otio_timeline.global_start_time
    if start is not None:
        return snap_rate(start.rate)
    for track in otio_timeline.video_tracks():
        for item in track.find_children():
            if item.schema_name() in ("Clip", "Gap") and item.source_range is not None:
                return snap_rate(item.source_range.duration.rate)
    return None

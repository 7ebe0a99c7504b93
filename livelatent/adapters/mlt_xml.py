"""Read plain MLT XML and Shotcut projects (.mlt) into a Timeline, as melt plays them.

What melt 7.12 does with such a file (each rule checked frame by frame; docs/conform.md):
  * it plays the last top-level service (producer, chain, playlist or tractor), whatever
    `<mlt producer=...>` says, for as long as its content lasts (a tractor's in/out are ignored);
  * a tractor's tracks (direct children or in `<multitrack>`) are drawn bottom to top; a track
    is a playlist, a tractor, or a cut of a producer (`<track producer in out>`), and `hide`
    video/both hides it; a tractor or playlist used as a track or an entry is a nested timeline;
  * the top tractor's first track is a background only when it holds nothing but black or
    transparent colour clips (Shotcut's `background`): then it shows nothing, gaps are gaps;
  * an entry's in/out are clamped as mlt_producer_set_in_and_out does, counted from the
    producer's own in; without both it plays the producer's in..out; blanks of 0 or less vanish;
  * `luma` transitions are dissolves (Shotcut's same-track transition is a tractor of two cuts
    with a luma and an audio `mix`), compositors (frei0r.cairoblend, qtblend, movit.overlay,
    composite) at full opacity draw the upper track over the lower one.
What would change the picture in a way the timeline model cannot say is refused in one line.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Callable, NamedTuple

from livelatent.adapters.kdenlive_clips import ClipResolver, entry_freeze, props
from livelatent.adapters.mlt_services import (SERVICES, blend_kind, is_background, shows_no_picture,
                                              with_default_service)
from livelatent.errors import ProjectError
from livelatent.edit.mlt_time import (check_position, cut_range, format_clock, media_length, parse_index,
                                 parse_length, parse_speed, parse_time)
from livelatent.edit.retime import warp_rate
from livelatent.edit.timeline import COVER, ClipSegment, Freeze, Timeline, Track, Transition

MAX_DEPTH = 32  # tractors and playlists nested deeper than this are refused (no recursion blow-up)
MediaSeconds = Callable[[Path], "float | None"]


class _Lane(NamedTuple):
    """What a playlist, cut or track holds: its segments, its length as melt counts it
    (trailing blanks included) and where its last entry ends."""

    segments: tuple[ClipSegment, ...]
    length: int
    extent: int


def read_mlt(path: Path, root, fps: Fraction, media_seconds: MediaSeconds | None = None) -> Timeline:
    """The timeline melt plays from an MLT XML document (`root` is its parsed <mlt> element).
    media_seconds(path) gives a media file's duration where the file does not say its length."""
    return _MltReader(path, root, fps, media_seconds).timeline()


class _MltReader:
    def __init__(self, path: Path, root, fps: Fraction, media_seconds: MediaSeconds | None):
        self.path, self.root, self.fps = path, root, fps
        self.media_seconds = media_seconds or (lambda _path: None)
        self.order = {el: i for i, el in enumerate(root.iter())}
        self.by_id = {}
        for el in root.iter(*SERVICES):
            if el.get("id"):
                self.by_id.setdefault(el.get("id"), el)
        bins = [props(el) for el in root.iter("producer", "chain")]
        self.clips = ClipResolver(path, root.get("root"), fps, bins)
        self.nested: dict[int, tuple[Timeline, int]] = {}
        self.stack: list = []

    # ---- the service melt plays ----
    def timeline(self) -> Timeline:
        services = [el for el in self.root if el.tag in SERVICES]
        if not services:
            raise ProjectError(f"{self.path}: no producer, playlist or tractor to play")
        return self._nested(services[-1], top=True)[0]

    def _nested(self, el, top: bool = False) -> tuple[Timeline, int]:
        """A tractor, playlist or producer as a timeline, and its length as melt counts it."""
        if id(el) in self.nested and not top:
            return self.nested[id(el)]
        if el in self.stack:
            raise ProjectError(f"{self.path}: {el.tag} {el.get('id')!r} contains itself")
        if len(self.stack) >= MAX_DEPTH:
            raise ProjectError(f"{self.path}: {el.tag} {el.get('id')!r} is nested more than {MAX_DEPTH} deep")
        self.stack.append(el)
        try:
            result = self._tractor(el, top) if el.tag == "tractor" else self._single(el)
        finally:
            self.stack.pop()
        self.nested[id(el)] = result
        return result

    def _single(self, el) -> tuple[Timeline, int]:
        """A playlist or producer played on its own: one track."""
        name = el.get("id") or el.tag
        lane = self._service_lane(el, name)
        return Timeline(name, self.fps, (Track(name, (lane.segments,), extent=lane.extent),)), lane.length

    # ---- tractors ----
    def _tractor(self, el, top: bool) -> tuple[Timeline, int]:
        name = el.get("id") or "tractor"
        _no_freeze(el, f"{self.path.name}: tractor {name}")
        track_els = [t for c in el for t in ([c] if c.tag == "track" else c if c.tag == "multitrack" else [])
                     if t.tag == "track"]
        tracks, lengths, index_map, cuts = [], [], {}, []
        for index, track_el in enumerate(track_els):
            service = self._service(track_el, f"tractor {name}: track {index}")
            if top and index == 0 and is_background(service, self.by_id):
                continue
            track, length = self._track(track_el, service, index, name)
            index_map[index] = len(tracks)
            tracks.append(track)
            lengths.append(length)
            is_cut = track_el.get("in") is not None or track_el.get("out") is not None
            if is_cut or service.tag in ("producer", "chain"):
                cuts.append((index, length))
        total = max(lengths, default=0)
        for index, length in cuts:
            if length < total:  # melt plays such a cut on past its out, holding its last frame
                raise ProjectError(f"{self.path}: tractor {name}: track {index} is a cut of {length} frames in a "
                                   f"tractor of {total}; expected it to last as long as the tractor")
        transitions = tuple(self._transitions(el, index_map, name))
        return Timeline(name, self.fps, tuple(tracks), transitions), total

    def _track(self, track_el, service, index: int, tractor: str) -> tuple[Track, int]:
        name = props(service).get("shotcut:name") or f"{index} of {tractor}"
        hidden = track_el.get("hide") in ("video", "both")
        if track_el.get("in") is None and track_el.get("out") is None:
            lane = self._service_lane(service, name)
        else:
            lane = self._cut(track_el, service, 0, name)
        return Track(name, (lane.segments,), hidden=hidden, extent=lane.extent), lane.length

    def _transitions(self, tractor, index_map: dict[int, int], name: str):
        for tr in tractor.findall("transition"):
            p = props(tr)
            where = f"{self.path.name}: tractor {name}: transition {tr.get('id') or p.get('mlt_service')!r}"
            if p.get("disable", "0") not in ("0", ""):
                continue
            kind = blend_kind(p, where)
            if kind is None:
                continue
            a, b = parse_index(p.get("a_track"), 0, where), parse_index(p.get("b_track"), 1, where)
            if b not in index_map:
                continue  # onto the background, or a track that does not exist
            if a > b and kind != COVER:  # melt then looks for B above b_track: not followed here
                raise ProjectError(f"{where}: a_track {a} above b_track {b} is not supported; "
                                   f"expected a_track below b_track")
            start, end = self._span(tr, p, kind, where)
            yield Transition(start, end, index_map.get(a, -1), index_map[b], kind, p.get("reverse") == "1",
                             label=p.get("shotcut:transition") or p.get("mlt_service", ""))

    def _span(self, tr, p, kind: str, where: str) -> tuple[int, int]:
        out_text = tr.get("out") or p.get("out")
        if kind == COVER and not out_text:
            return 0, 2**31 - 1  # a compositor without in/out works on every frame
        if not out_text or p.get("always_active", "0") not in ("0", ""):
            # melt then takes the progress from the lower clip's own in/out: not modelled
            raise ProjectError(f"{where}: a dissolve without in/out (or always active) is not supported; "
                               f"expected in=... out=...")
        return self._time(tr.get("in") or p.get("in") or "0", where), self._time(out_text, where)

    # ---- playlists ----
    def _service_lane(self, el, track: str) -> _Lane:
        """A service played whole from timeline frame 0."""
        if el.tag == "playlist":
            return self._playlist(el, track)
        return self._cut(el, el, 0, track, whole=True)

    def _playlist(self, playlist, track: str) -> _Lane:
        _no_freeze(playlist, f"{self.path.name}: track {track}")
        position, segments, extent = 0, [], 0
        for child in playlist:
            if child.tag == "blank":  # melt skips a blank of 0 or fewer frames
                position += max(self._time(child.get("length") or "0", f"track {track}: blank"), 0)
            elif child.tag == "entry":
                service = self._service(child, f"track {track}, frame {position}")
                repeat = max(_int(child.get("repeat"), 1), 1)  # melt plays the cut `repeat` times
                lane = self._cut(child, service, position, track)
                check_position(position + repeat * lane.length, self.fps,
                               f"{self.path.name}: track {track}: entry {child.get('producer')!r}")
                for _ in range(repeat):
                    segments += self._cut(child, service, position, track).segments
                    position = extent = position + lane.length
            check_position(position, self.fps, f"{self.path.name}: track {track}: {child.tag} "
                                               f"{child.get('length') or child.get('producer')!r}")
        return _Lane(tuple(segments), position, extent)

    def _service(self, el, where: str):
        """The service an <entry> or <track> plays: by `producer` id (defined before it, as melt
        reads the file in one pass), or written inside it."""
        ref = el.get("producer")
        if ref is None:
            inner = [c for c in el if c.tag in SERVICES]
            if not inner:
                raise ProjectError(f"{self.path.name}: {where}: {el.tag} names no producer")
            return inner[0]
        target = self.by_id.get(ref)
        if target is None:
            raise ProjectError(f"{self.path.name}: {where}: {el.tag} names a missing producer {ref!r}")
        if self.order[target] > self.order[el]:
            raise ProjectError(f"{self.path.name}: {where}: {el.tag} names producer {ref!r}, which the file "
                               f"defines only after it (melt skips it); expected it defined first")
        return target

    # ---- cuts of a service ----
    def _cut(self, ref, service, position: int, track: str, whole: bool = False) -> _Lane:
        """Segments for `ref` (an entry or track) playing `service` at timeline `position`."""
        where = f"{self.path.name}: track {track}, frame {position} ({format_clock(position, self.fps)})"
        if service.tag in ("tractor", "playlist"):
            if entry_freeze(ref, self.fps) is not None:
                raise ProjectError(f"{where}: a freeze filter on a nested {service.tag} is not supported")
            inner, length = self._nested(service)
            first, last = self._range(None if whole else ref, length - 1, length, where)
            seg = ClipSegment(position, last - first + 1, inner, in_frame=first, label=service.get("id") or "")
            return _Lane((seg,), seg.length, seg.length)
        p = with_default_service(props(service))
        own_in = self._time(service.get("in") or "0", where)
        length = self._clip_length(service, p, where)
        own_out = self._time(service.get("out"), where) if service.get("out") else (
            None if length is None else length - 1)
        first, last = self._range(None if whole else ref, None if own_out is None else own_out - own_in,
                                  length, where)
        count = last - first + 1
        if shows_no_picture(p):
            return _Lane((), count, count)
        # past the producer's own out, melt holds its frame at out (eof "pause")
        hold = own_out if own_out is not None and own_in + last > own_out else None
        return _Lane((self._clip(ref, service, p, position, own_in + first, count, where, hold),), count, count)

    def _range(self, entry, last: int | None, length: int | None, where: str) -> tuple[int, int]:
        """The in/out an entry or track cut plays, clamped as melt clamps it; without in and out
        (or entry None: the service played whole), 0..last."""
        if entry is None or (entry.get("in") is None and entry.get("out") is None):
            if last is None:
                raise ProjectError(f"{where}: a producer whose length is unknown; expected in/out or a "
                                   f"length property")
            return 0, last
        begin = self._time(entry.get("in"), where) if entry.get("in") is not None else -1
        end = self._time(entry.get("out"), where) if entry.get("out") is not None else -1
        begin, end = cut_range(begin, end, length)
        if end is None:
            raise ProjectError(f"{where}: {entry.tag} out {entry.get('out')!r} needs the producer's length, "
                               f"which is unknown; expected a length property")
        return begin, end

    def _clip(self, ref, service, p: dict, position: int, in_frame: int, count: int, where: str,
              hold: int | None = None) -> ClipSegment:
        _no_freeze(service, where)
        try:
            source = self.clips.source(service, p)
            timing = self.clips.timing(service, p)
        except ProjectError as exc:
            raise ProjectError(f"{where}: {exc}") from None
        inner = service.tag == "chain" or p.get("mlt_service") == "timewarp"
        freeze = entry_freeze(ref, self.fps, inner=inner) if ref.tag == "entry" else None
        if (freeze or timing.speed != 1 or timing.remap) and self._time(service.get("in") or "0", where):
            raise ProjectError(f"{where}: producer {service.get('id')!r} has its own in point and a speed, "
                               f"freeze or remap; not supported")
        if hold is not None:
            if freeze is not None:
                raise ProjectError(f"{where}: a freeze filter on an entry that plays past its producer's out "
                                   f"is not supported")
            freeze = Freeze(hold - in_frame, after=True)  # the hold at out, as a freeze after it
        warp_out = timing.warp_out
        if timing.speed < 0 and warp_out is None:
            warp_out = self._clip_length(service, p, where)
            if warp_out is None:
                raise ProjectError(f"{where}: reverse clip {source.label!r} has no out or length and its "
                                   f"media's duration is unknown")
            warp_out -= 1
        return ClipSegment(position, count, source, in_frame=in_frame, speed=timing.speed, warp_out=warp_out,
                           slowmotion=timing.slowmotion, freeze=freeze, remap=timing.remap,
                           label=p.get("shotcut:caption") or source.label)

    def _clip_length(self, service, p: dict, where: str) -> int | None:
        """The producer's length as melt knows it: its property, else its media's duration at
        the producer's rate (a timewarp's inner producer runs at the warped rate); None if unknown."""
        if p.get("length"):
            return parse_length(p["length"], self.fps, what=where)
        try:
            rate = self.fps
            if p.get("mlt_service") == "timewarp":
                rate = warp_rate(self.fps, parse_speed(p.get("resource", "1:").split(":", 1)[0] or "1"))
            source = self.clips.source(service, p)
        except ProjectError as exc:
            raise ProjectError(f"{where}: {exc}") from None
        seconds = self.media_seconds(source.path) if source.path is not None else None
        return None if seconds is None else media_length(seconds, rate)

    def _time(self, text: str, where: str) -> int:
        return parse_time(text, self.fps, what=where)


def _no_freeze(el, where: str) -> None:
    """A freeze filter counts from its original producer's in: only an entry's is modelled."""
    if any(props(f).get("mlt_service") == "freeze" for f in el.findall("filter")):
        raise ProjectError(f"{where}: a freeze filter on {el.tag} {el.get('id')!r} (not on an entry) "
                           f"is not supported")


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default

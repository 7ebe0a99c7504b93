"""Read a Kdenlive project (.kdenlive = MLT XML) into a livelatent.edit.timeline.Timeline.

Every generation (docs/kdenlive-format.md §2): gen-1/gen-2 flat playlists in `maintractor`
with integer frames; timeline-2 (19.04+) tractor-per-track with two sub-playlists, clock
strings, same-track mixes (20.12+); sequences (23.04+) with the project tractor and nested
sequences.
The only module that imports lxml.

>>> timeline = read_project("edit.kdenlive")            # doctest: +SKIP
>>> [t.name for t in timeline.tracks], timeline.length   # doctest: +SKIP
"""

from __future__ import annotations

import os
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

from lxml import etree

from livelatent.adapters.kdenlive_clips import COLOUR, MEDIA, PLAYLIST_CLIP, ClipResolver, entry_freeze, is_disabled, props
from livelatent.adapters.kdenlive_guides import read_guides
from livelatent.adapters.kdenlive_looks import LookReader, source_alpha
from livelatent.adapters.mlt_xml import MAX_DEPTH, MediaSeconds, read_mlt
from livelatent.errors import ProjectError
from livelatent.common.files import regular_file
from livelatent.edit.mlt_time import (check_position, cut_range, format_clock, frame_rate_of, parse_index, parse_length,
                                 parse_time)
from livelatent.edit.timeline import COVER, DISSOLVE, WIPE, ClipSegment, Source, Timeline, Track, Transition

RESERVED = {"black_track", "timeline_preview", "timeline_overlay", "overlay_track", "playlistmain"}
PROFILE_RATES = {"dv_pal": (25, 1), "dv_ntsc": (30000, 1001)}  # besides names ending _<fps>


def read_project(path: str | os.PathLike, sequence: str | None = None,
                 media_seconds: MediaSeconds | None = None) -> Timeline:
    """The timeline Kdenlive renders (the active sequence), or `sequence` by name or uuid.
    A plain MLT or Shotcut file is read as melt plays it (adapters/mlt_xml.py); media_seconds(path)
    gives a media file's duration where such a file does not record a clip's length."""
    return _read(Path(path), sequence, media_seconds=media_seconds)


def _read(path: Path, sequence: str | None = None, *, fps: Fraction | None = None,
          opened: tuple[Path, ...] = (), media_seconds: MediaSeconds | None = None) -> Timeline:
    """read_project, for a playlist clip too: fps overrides the file's own profile (an `xml`
    producer plays its file at the outer project's rate); opened: the files that include it."""
    path = regular_file(path, ProjectError, "Kdenlive or MLT project")  # a FIFO would block the parser for ever
    try:
        tree = etree.parse(str(path), etree.XMLParser(huge_tree=True, remove_comments=True))
    except OSError as exc:
        raise ProjectError(f"{path}: cannot read the project ({exc})") from None
    except etree.XMLSyntaxError as exc:
        raise ProjectError(f"{path}: not valid XML ({exc})") from None
    root = tree.getroot()
    if root.tag != "mlt":
        raise ProjectError(f"{path}: expected an MLT/Kdenlive project (<mlt> root), got <{root.tag}>")
    if not _is_kdenlive(path, root):
        return _plain_mlt(path, root, sequence, media_seconds, fps)
    return _Reader(path, root, fps=fps, opened=(*opened, path.resolve())).timeline(sequence)


def _profile_size(root) -> tuple[int, int]:
    """The frame size rects are measured in (pixels); 1920x1080 when the profile is missing."""
    el = root.find("profile")
    try:
        return int(el.get("width")), int(el.get("height"))
    except (AttributeError, TypeError, ValueError):
        return 1920, 1080


def _display_aspect(root) -> float | None:
    """The profile's display aspect (a 720x576 PAL frame shows 4:3), None when not written."""
    el = root.find("profile")
    try:
        return int(el.get("display_aspect_num")) / int(el.get("display_aspect_den"))
    except (AttributeError, TypeError, ValueError, ZeroDivisionError):
        return None


def _is_kdenlive(path: Path, root) -> bool:
    """Kdenlive's conventions apply (black track, track tractors, sequences): a .kdenlive file,
    or an MLT file that Kdenlive wrote (kdenlive: properties, a <kdenlivedoc>)."""
    if path.suffix.lower() == ".kdenlive" or root.find("kdenlivedoc") is not None:
        return True
    return any((p.get("name") or "").startswith("kdenlive:") for p in root.iter("property"))


def _plain_mlt(path: Path, root, sequence: str | None, media_seconds, fps: Fraction | None) -> Timeline:
    if sequence is not None:
        raise ProjectError(f"{path}: `sequence` {sequence}: an MLT file that is not a Kdenlive project "
                           f"has one timeline (the last tractor)", setting="sequence")
    try:
        fps = fps or _profile_fps(root)
    except ProjectError as exc:
        raise ProjectError(f"{path}: {exc}") from None
    return read_mlt(path, root, fps, media_seconds)


def _profile_fps(root) -> Fraction:
    for el in (root.find("profile"), root.find("kdenlivedoc/profileinfo")):
        if el is not None:
            fps = frame_rate_of(el.get("frame_rate_num"), el.get("frame_rate_den"))
            if fps:
                return fps
    for p in root.iter("property"):
        if p.get("name") == "kdenlive:docproperties.profile" and p.text:
            name = p.text.strip()
            if name in PROFILE_RATES:
                return frame_rate_of(*PROFILE_RATES[name])
            tail = name.rsplit("_", 1)[-1]
            if tail.isdigit():
                return frame_rate_of(tail, 1)
    raise ProjectError("no frame rate: expected <profile frame_rate_num=... frame_rate_den=...>")


class _Reader:
    def __init__(self, path: Path, root, *, fps: Fraction | None = None, opened: tuple[Path, ...] = ()):
        self.path, self.root, self.opened = path, root, opened
        try:
            self.fps = fps or _profile_fps(root)
        except ProjectError as exc:
            raise ProjectError(f"{path}: {exc}") from None
        self.looks = LookReader(self.fps, _profile_size(root), _display_aspect(root))
        self.by_id = {el.get("id"): el for el in root if el.get("id") and el.tag != "profile"}
        self.tractors = [el for el in root if el.tag == "tractor"]
        bin_props = [props(el) for el in root if el.tag in ("producer", "chain")]
        self.clips = ClipResolver(path, root.get("root"), self.fps, bin_props)
        self.audio_slots = self._gen1_audio_slots()
        self.built: dict[str, Timeline] = {}
        self.building: set[str] = set()

    # ---- which tractor is the timeline (docs/kdenlive-format.md §4) ----
    def timeline(self, sequence: str | None) -> Timeline:
        if not self.tractors:
            raise ProjectError(f"{self.path}: no <tractor>; expected a Kdenlive timeline")
        if sequence is not None:
            return self._with_guides(self._named_sequence(sequence))
        last = self.tractors[-1]
        if props(last).get("kdenlive:projectTractor") == "1":
            tracks = last.findall("track")
            if len(tracks) != 1 or tracks[0].get("producer") not in self.by_id:
                raise ProjectError(f"{self.path}: project tractor {last.get('id')}: expected one track "
                                   f"naming the active sequence")
            return self._with_guides(self.by_id[tracks[0].get("producer")])
        return self._with_guides(last)

    def _with_guides(self, tractor) -> Timeline:
        timeline = self._tractor_timeline(tractor)
        return replace(timeline, guides=read_guides(self.root, tractor, self.fps, self.path),
                       notes=tuple(dict.fromkeys((*timeline.notes, *self.looks.notes))))

    def _named_sequence(self, name: str):
        names = []
        for el in self.tractors:
            p = props(el)
            keys = {el.get("id"), p.get("kdenlive:uuid"), p.get("kdenlive:clipname")}
            if name in keys or f"{{{name}}}" in keys:
                return el
            if p.get("kdenlive:clipname"):
                names.append(p["kdenlive:clipname"])
        raise ProjectError(f"{self.path}: no sequence {name!r}; the project has "
                           f"{', '.join(sorted(set(names))) or 'no named sequences'}")

    # ---- tractors -> Timeline ----
    def _tractor_timeline(self, tractor) -> Timeline:
        key = tractor.get("id")
        if key in self.built:
            return self.built[key]
        if key in self.building:
            raise ProjectError(f"{self.path}: sequence {key} contains itself")
        if len(self.building) >= MAX_DEPTH:
            raise ProjectError(f"{self.path}: sequence {key} is nested more than {MAX_DEPTH} deep")
        self.building.add(key)
        p = props(tractor)
        name = p.get("kdenlive:clipname") or key
        tracks, index_map, background, transparent, sound = [], {}, None, False, 0
        track_els = tractor.findall("track") or tractor.findall("multitrack/track")
        for mlt_index, track_el in enumerate(track_els):
            target = self.by_id.get(track_el.get("producer"))
            if target is None:
                raise ProjectError(f"{self.path}: timeline {name}: track {mlt_index} names a missing "
                                   f"producer {track_el.get('producer')!r}")
            if mlt_index == 0 or self._reserved(target):
                if mlt_index == 0 and target.tag == "producer":
                    background = self._background(target)
                    transparent = background is None
                continue
            track = self._track(track_el, target, mlt_index)
            if track is not None:
                index_map[mlt_index] = len(tracks)
                tracks.append(track)
            elif _has_clips(target, self.by_id):
                sound += 1
        transitions = self._compositions(tractor, index_map, name)
        notes = (f"timeline {name}: {sound} audio track(s) with clips not conformed (z-sequences carry no sound): "
                 "export the edit's audio mixdown and mux it into the render",) if sound else ()
        timeline = Timeline(name, self.fps, tuple(tracks), tuple(transitions), background=background,
                            transparent=transparent, notes=notes)
        self.building.discard(key)
        self.built[key] = timeline
        return timeline

    def _reserved(self, el) -> bool:
        return el.get("id") in RESERVED or props(el).get("kdenlive:playlistid") in RESERVED

    def _background(self, el) -> Source | None:
        resource = props(el).get("resource", "black")
        return None if resource in ("0", "0x00000000", "transparent") else Source(
            f"colour:{resource}", "sequence background", kind="colour")

    def _gen1_audio_slots(self) -> set[int]:
        infos = self.root.findall("kdenlivedoc/tracksinfo/trackinfo")
        return {i + 1 for i, info in enumerate(infos) if info.get("type") == "audio"}

    # ---- tracks ----
    def _track(self, track_el, target, mlt_index: int) -> Track | None:
        p = props(target)
        name = p.get("kdenlive:track_name") or f"track {mlt_index}"
        if p.get("kdenlive:audio_track") == "1" or mlt_index in self.audio_slots:
            return None
        hide = track_el.get("hide", "")
        if target.tag == "playlist":  # gen-1 / gen-2: a playlist straight in the main tractor
            lane, extent = self._lane(target, name)
            return Track(name, (lane,), hidden=hide in ("video", "both"), extent=extent,
                         look=self.looks.filters(target))
        if target.tag != "tractor":
            raise ProjectError(f"{self.path}: track {name}: expected a playlist or track tractor, "
                               f"got <{target.tag} id={target.get('id')}>")
        if p.get("kdenlive:uuid") or p.get("kdenlive:producer_type") == "17":
            raise ProjectError(f"{self.path}: track {name}: a sequence used directly as a track "
                               f"is not supported")
        subs = [(sub, self.by_id.get(sub.get("producer"))) for sub in target.findall("track")]
        if any(pl is None or pl.tag != "playlist" for _, pl in subs):
            raise ProjectError(f"{self.path}: track {name}: expected sub-playlists in {target.get('id')}")
        # Kdenlive reads the hidden state from the first sub-playlist only (docs/kdenlive-format.md §7)
        hidden = hide in ("video", "both") or (subs and subs[0][0].get("hide") in ("video", "both"))
        lanes = [self._lane(pl, name) for _, pl in subs]
        mixes = self._mixes(target, name)
        return Track(name, tuple(lane for lane, _ in lanes), mixes, hidden=bool(hidden),
                     extent=max((end for _, end in lanes), default=0), look=self.looks.filters(target))

    def _lane(self, playlist, track: str) -> tuple[tuple[ClipSegment, ...], int]:
        """The playlist's segments, and where its last entry ends (disabled clips included)."""
        position, segments, end = 0, [], 0
        for child in playlist:
            if child.tag == "blank":  # melt skips a blank of zero or negative length
                position += max(self._time(child.get("length", "0"), f"track {track}: blank"), 0)
            elif child.tag == "entry":
                seg = self._segment(child, track, position)
                position += seg.length if isinstance(seg, ClipSegment) else seg
                end = position
                if isinstance(seg, ClipSegment):
                    segments.append(seg)
            check_position(position, self.fps, f"{self.path.name}: track {track}: {child.tag} "
                                               f"{child.get('length') or child.get('producer')!r}")
        return tuple(segments), end

    def _segment(self, entry, track: str, position: int):
        where = f"{self.path.name}: track {track}, frame {position} ({format_clock(position, self.fps)})"
        producer = self.by_id.get(entry.get("producer"))
        if producer is None:
            raise ProjectError(f"{where}: entry names a missing producer {entry.get('producer')!r}")
        p = props(producer)
        out_text = entry.get("out") or producer.get("out") or p.get("out")
        if out_text is None:
            raise ProjectError(f"{where}: entry has no out point")
        # melt clamps a cut to its producer's length (e.g. a timewarp producer's) and plays an
        # inverted or negative one as mlt_producer_set_in_and_out corrects it
        clip_length = parse_length(p["length"], self.fps, what=where) \
            if producer.tag != "tractor" and p.get("length") else None
        start, out = cut_range(self._time(entry.get("in") or "0", where), self._time(out_text, where), clip_length)
        if out is None:
            raise ProjectError(f"{where}: entry out {out_text!r} is negative and the clip's length is unknown")
        length = out - start + 1
        look = self._clip_look(entry, producer, p, where)
        if producer.tag == "tractor":
            check_position(out, self.fps, f"{where}: sequence clip out")
            if entry_freeze(entry, self.fps) is not None:
                raise ProjectError(f"{where}: a freeze effect on a sequence clip is not supported")
            return ClipSegment(position, length, self._tractor_timeline(producer), in_frame=start,
                               label=p.get("kdenlive:clipname") or producer.get("id"), look=look)
        if is_disabled(p):
            return length
        if p.get("mlt_service") in PLAYLIST_CLIP:
            nested = self._playlist_clip(p, where)
            if nested is not None:
                return ClipSegment(position, length, nested, in_frame=start,
                                   label=p.get("kdenlive:clipname") or nested.name, look=look)
        try:
            source = self.clips.source(producer, p)
            source = replace(source, alpha=source_alpha(source, p, self.looks.frame))
            timing = self.clips.timing(producer, p)
            return ClipSegment(position, length, source, in_frame=start, speed=timing.speed, look=look,
                               warp_out=timing.warp_out, slowmotion=timing.slowmotion,
                               freeze=entry_freeze(entry, self.fps, inner=_inner_producer(producer, p)),
                               remap=timing.remap, label=source.label)
        except ProjectError as exc:
            raise ProjectError(f"{where}: {exc}") from None

    def _clip_look(self, entry, producer, p: dict[str, str], where: str) -> tuple:
        """The effects on an entry and on its producer (bin effects), at producer positions."""
        try:
            length = self._time(p["length"], where) if p.get("length") else None
            colour = p.get("resource") if p.get("mlt_service") in COLOUR else None
            look = self.looks.filters(entry, length, colour) + self.looks.filters(producer, length, colour)
            media = producer.tag == "chain" or p.get("mlt_service") in MEDIA | {"timewarp", "framebuffer"}
            return self.looks.shaped(look, p) if media else look
        except ProjectError as exc:
            raise ProjectError(f"{where}: {exc}") from None

    def _playlist_clip(self, p: dict[str, str], where: str) -> Timeline | None:
        """The timeline inside an MLT playlist clip (an `xml` or `consumer` producer playing a
        .mlt / .kdenlive file), or None when the file is missing (reported as a missing clip).
        `xml` plays the file at this project's rate; `consumer` at the file's own."""
        path = self.clips.resolve(p.get("resource", "").removeprefix("consumer:"))
        if not path.is_file():
            return None
        if path.resolve() in self.opened:
            chain = " -> ".join(f.name for f in (*self.opened, path))
            raise ProjectError(f"{where}: playlist clip {path.name} includes itself ({chain}); "
                               f"expected playlist clips that end")
        fps = None if p.get("mlt_service") == "consumer" else self.fps
        return _read(path, fps=fps, opened=self.opened)

    def _time(self, text: str, where: str) -> int:
        return parse_time(text, self.fps, what=where)

    # ---- transitions ----
    def _mixes(self, track_tractor, track: str) -> tuple[Transition, ...]:
        mixes = []
        for tr in track_tractor.findall("transition"):
            p = props(tr)
            kind = _blend_kind(p)
            if kind is None or p.get("disable") == "1":
                continue
            start, end = self._span(tr, p, f"track {track}: mix")
            where = f"track {track}: mix"
            a, b = parse_index(p.get("a_track"), 0, where), parse_index(p.get("b_track"), 1, where)
            mixes.append(Transition(start, end, a, b, kind, p.get("reverse") == "1", label=f"mix on {track}"))
        return tuple(mixes)

    def _compositions(self, tractor, index_map: dict[int, int], name: str) -> list[Transition]:
        out = []
        for tr in tractor.findall("transition"):
            p = props(tr)
            kind = _blend_kind(p)
            if kind is None or p.get("internal_added") == "237" or p.get("disable") == "1":
                continue
            where = f"timeline {name}: composition {tr.get('id')}"
            a, b = parse_index(p.get("a_track"), 0, where), parse_index(p.get("b_track"), 1, where)
            if b not in index_map:
                continue  # onto an audio or reserved track
            where = f"timeline {name}: composition {tr.get('id')}"
            start, end = self._span(tr, p, where)
            look, weight = (), None
            if kind == COVER:
                kind, look, weight = self.looks.composition(p, start, end, where)
            out.append(Transition(start, end, index_map.get(a, -1), index_map[b], kind, p.get("reverse") == "1",
                                  label=p.get("kdenlive_id") or p["mlt_service"], look=look, weight=weight))
        return out

    def _span(self, tr, p, where: str) -> tuple[int, int]:
        start = self._time(tr.get("in") or p.get("in") or "0", where)
        end_text = tr.get("out") or p.get("out")
        end = self._time(end_text, where) if end_text else 2**31 - 1
        return start, end


def _inner_producer(el, p: dict[str, str]) -> bool:
    """A chain or a timewarp: its frames come from an inner producer that starts at 0."""
    return el.tag == "chain" or p.get("mlt_service") == "timewarp"


def _blend_kind(p: dict[str, str]) -> str | None:
    """What a transition does to the picture, or None for audio mixes and filters."""
    service = p.get("mlt_service", "")
    if service in ("mix", "") or service.startswith("ladspa"):
        return None
    if service == "luma":
        return WIPE if p.get("resource") else DISSOLVE
    if service == "affine" and p.get("kdenlive_id") == "luma":
        return WIPE  # a "slide" mix
    return COVER


def _has_clips(el, by_id) -> bool:
    """An audio track (a playlist, or a track tractor of playlists) holding any entry."""
    if el.tag == "playlist":
        return el.find("entry") is not None
    return any(_has_clips(by_id[t.get("producer")], by_id) for t in el.findall("track") if t.get("producer") in by_id)

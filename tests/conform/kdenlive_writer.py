"""Write small Kdenlive projects in the structures of several generations (docs/kdenlive-format.md §2).

gen2       15.08-18.12: tracks are playlists straight in `maintractor`, integer frames,
           per-track producer copies `<bin>_playlistN`, `slowmotion:` timewarp producers.
timeline2  19.04-22.12: each track a tractor of two sub-playlists, clock strings, same-track
           mixes (20.12+), `avformat-novalidate` copies, hide on the first sub-playlist.
sequences  23.04+: `<chain>` clips, the timeline a sequence tractor with kdenlive:uuid, nested
           sequences as entries, and the `kdenlive:projectTractor` wrapper last.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from livelatent.edit.mlt_time import format_clock


@dataclass(frozen=True)
class Clip:
    code: int  # the clip number painted into its frames
    path: Path
    frames: int
    fps: Fraction
    size: tuple[int, int] | None = None  # written as meta.media.width/height when given


@dataclass(frozen=True)
class Effect:
    """A filter on an entry or a track: its service and properties (names with ':' and '.'
    as they are), active over filter positions first..last when given."""

    service: str
    props: tuple[tuple[str, object], ...] = ()
    first: int | None = None
    last: int | None = None


def effect(service: str, first: int | None = None, last: int | None = None, **props) -> Effect:
    return Effect(service, tuple(props.items()), first, last)


@dataclass(frozen=True)
class Cut:
    """An entry: producer positions first..last (inclusive), in warped frames when speed != 1."""

    clip: Clip
    first: int
    last: int
    speed: float = 1.0
    freeze: tuple[int, bool, bool] | None = None  # (frame, before, after)
    disabled: bool = False
    slowmotion: bool = False  # pre-16.04 framebuffer producer instead of timewarp
    remap: str | None = None  # a timeremap time_map, e.g. "00:00:00.000=0;00:00:01.000=2"
    proxy: Path | None = None  # play this proxy file in place of the clip (kdenlive:proxy)
    warp_resource: str | None = None  # a timewarp's warp_resource, when not the clip's path (stale)
    effects: tuple[Effect, ...] = ()


@dataclass(frozen=True)
class Nest:
    """An entry playing frames first..last of a nested sequence."""

    sequence: str
    first: int
    last: int


@dataclass(frozen=True)
class Image:
    """An entry showing a file through a producer other than avformat, frames first..last: a
    still image (qimage, pixbuf) or another MLT file (xml, consumer: a playlist clip)."""

    path: Path
    first: int
    last: int
    service: str = "qimage"
    props: tuple[tuple[str, object], ...] = ()  # more producer properties (a title's xmldata)
    effects: tuple[Effect, ...] = ()


def PlaylistClip(path: Path, first: int, last: int, service: str = "xml") -> Image:
    return Image(path, first, last, service)


@dataclass(frozen=True)
class Blank:
    length: int


@dataclass
class Lanes:
    """A timeline-2 track: two sub-playlists and same-track mixes (start, end, reverse)."""

    lane0: list
    lane1: list = field(default_factory=list)
    mixes: list = field(default_factory=list)
    hidden: bool = False
    effects: tuple = ()  # track effects (Effect), on the track tractor


def _props(**values) -> str:
    return "".join(f'<property name="{k.replace("__", ":").replace("_dot_", ".")}">{v}</property>'
                   for k, v in values.items())


class _Doc:
    def __init__(self, fps: Fraction, clock: bool, novalidate: bool, chains: bool):
        self.fps, self.clock, self.novalidate, self.chains = fps, clock, novalidate, chains
        self.parts: list[str] = []
        self.count = 0

    def t(self, frames: int) -> str:
        return format_clock(frames, self.fps) if self.clock else str(frames)

    def producer(self, cut: Cut, suffix: str) -> str:
        self.count += 1
        clip = cut.clip
        pid = f"{clip.code}_{suffix}_{self.count}"
        rate = _props(meta_dot_media_dot_frame_rate_num=clip.fps.numerator,
                      meta_dot_media_dot_frame_rate_den=clip.fps.denominator,
                      kdenlive__id=clip.code, kdenlive__clipname=f"clip{clip.code}")
        if clip.size is not None:
            rate += _props(meta_dot_media_dot_width=clip.size[0], meta_dot_media_dot_height=clip.size[1])
        test = _props(set_dot_test_image=1 if cut.disabled else 0, set_dot_test_audio=1)
        frames = round(clip.frames * self.fps / clip.fps)  # the clip's length in project frames
        if cut.slowmotion:
            pid = f"slowmotion:{clip.code}:{cut.speed}:{self.count}"
            body = _props(resource=f"{clip.path}?{cut.speed}", mlt_service="framebuffer")
            self.parts.append(f'<producer id="{pid}" in="0" out="{round(frames / cut.speed) - 1}">{body}{rate}</producer>')
            return pid
        if cut.speed != 1:
            length = round(frames / abs(cut.speed))
            pid = f"slowmotion:{clip.code}:{cut.speed}:{self.count}"
            body = _props(length=length, resource=f"{cut.speed:f}:{clip.path}", warp_speed=cut.speed,
                          warp_resource=cut.warp_resource or clip.path, mlt_service="timewarp")
            self.parts.append(f'<producer id="{pid}" in="{self.t(0)}" out="{self.t(length - 1)}">'
                              f"{body}{rate}{test}</producer>")
            return pid
        service = "avformat-novalidate" if self.novalidate else "avformat"
        tag = "chain" if self.chains else "producer"
        resource = clip.path
        if cut.proxy is not None:
            resource = cut.proxy
            rate += _props(kdenlive__proxy=cut.proxy, kdenlive__originalurl=clip.path)
        body = _props(length=frames, resource=resource, mlt_service=service)
        link = ""
        if cut.remap:
            tag = "chain"
            link = f"<link>{_props(mlt_service='timeremap', time_map=cut.remap, image_mode='nearest')}</link>"
        self.parts.append(f'<{tag} id="{pid}" in="{self.t(0)}" out="{self.t(frames - 1)}">'
                          f"{body}{rate}{test}{link}</{tag}>")
        return pid

    def filters(self, effects) -> str:
        out = []
        for e in effects:
            span = "".join(f' {k}="{self.t(v)}"' for k, v in (("in", e.first), ("out", e.last)) if v is not None)
            out.append(f"<filter{span}>{_named_props((('mlt_service', e.service), *e.props))}</filter>")
        return "".join(out)

    def playlist(self, pid: str, items: list, suffix: str, props: str = "", ids: dict | None = None) -> None:
        body = []
        for item in items:
            if isinstance(item, Blank):
                body.append(f'<blank length="{self.t(item.length)}"/>')
            elif isinstance(item, Image):
                self.count += 1
                clip_id = f"{item.service}{self.count}"
                extra = _props(ttl=25) if item.service in ("qimage", "pixbuf") else ""
                resource = "" if item.service == "kdenlivetitle" else item.path  # a title is its xmldata
                clip = _props(length=15000, resource=resource, mlt_service=item.service,
                              kdenlive__clipname=item.path.stem) + extra + _named_props(item.props)
                self.parts.append(f'<producer id="{clip_id}" in="{self.t(0)}" out="{self.t(14999)}">{clip}</producer>')
                body.append(f'<entry producer="{clip_id}" in="{self.t(item.first)}" out="{self.t(item.last)}">'
                            f"{self.filters(item.effects)}</entry>")
            elif isinstance(item, Nest):
                body.append(f'<entry producer="{ids[item.sequence]}" in="{self.t(item.first)}" '
                            f'out="{self.t(item.last)}"/>')
            else:
                producer = self.producer(item, suffix)
                body.append(f'<entry producer="{producer}" in="{self.t(item.first)}" out="{self.t(item.last)}">'
                            f"{_props(kdenlive__id=item.clip.code)}{_freeze(item.freeze)}{self.filters(item.effects)}"
                            "</entry>")
        self.parts.append(f'<playlist id="{pid}">{props}{"".join(body)}</playlist>')


def _named_props(items) -> str:
    return "".join(f'<property name="{k}">{v}</property>' for k, v in items)


def _freeze(spec) -> str:
    if spec is None:
        return ""
    frame, before, after = spec
    body = _props(mlt_service="freeze", kdenlive_id="freeze", frame=frame,
                  freeze_before=int(before), freeze_after=int(after))
    return f"<filter>{body}</filter>"


def _profile(fps: Fraction) -> str:
    return (f'<profile description="test" width="64" height="36" progressive="1" sample_aspect_num="1" '
            f'sample_aspect_den="1" display_aspect_num="16" display_aspect_den="9" '
            f'frame_rate_num="{fps.numerator}" frame_rate_den="{fps.denominator}" colorspace="709"/>')


def _composition(doc: _Doc, a: int, b: int, start: int, end: int, reverse: bool = False, service=None,
                 **extra) -> str:
    """A user composition: a luma dissolve, or `service` = {"mlt_service": ..., property: value}."""
    kind = dict(service or {"mlt_service": "luma", "kdenlive_id": "dissolve", "resource": ""})
    return (f'<transition in="{doc.t(start)}" out="{doc.t(end)}">'
            + _props(a_track=a, b_track=b, reverse=int(reverse), **extra) + _named_props(kind.items()) + "</transition>")


def _internal(service: str, b: int) -> str:
    return (f"<transition>{_props(a_track=0, b_track=b, mlt_service=service, internal_added=237, always_active=1)}"
            "</transition>")


def _end(items: list) -> int:
    return sum(i.length if isinstance(i, Blank) else i.last - i.first + 1 for i in items)


def gen2(fps: Fraction, tracks: list[list], *, hidden=(), compositions=(), guides=()) -> str:
    """Tracks bottom to top; compositions (a, b, start, end, reverse) index video tracks;
    guides (frame, comment) as `kdenlive:guide.SECONDS` in a decimal-comma locale."""
    doc = _Doc(fps, clock=False, novalidate=False, chains=False)
    length = max(_end(items) for items in tracks)
    doc.parts.append(f'<producer id="black" in="0" out="{length - 1}">{_props(resource="black", mlt_service="colour")}'
                     f'</producer><playlist id="black_track"><entry producer="black" in="0" out="{length - 1}"/></playlist>'
                     f'<playlist id="playlist1">{_props(kdenlive__audio_track=1)}</playlist>')
    track_refs = ['<track producer="black_track"/>', '<track producer="playlist1" hide="video"/>']
    for k, items in enumerate(tracks):
        pid = f"playlist{k + 2}"
        doc.playlist(pid, items, pid, _props(kdenlive__track_name=f"Video {k + 1}"))
        hide = ' hide="video"' if k in hidden else ""
        track_refs.append(f'<track producer="{pid}"{hide}/>')
    internal = "".join(_internal("qtblend", k + 2) for k in range(len(tracks)))  # after user ones
    user = "".join(_composition(doc, a + 2 if a >= 0 else 0, b + 2, s, e, r, *kind, automatic=1)
                   for a, b, s, e, r, *kind in compositions)
    bin_props = _props(kdenlive__docproperties_dot_version="0.96") + "".join(
        f'<property name="kdenlive:guide.{str(float(frame / fps)).replace(".", ",")}">{comment}</property>'
        for frame, comment in guides)
    return _mlt(fps, 'producer="main bin" version="6.4.1"', f'<playlist id="main bin">{bin_props}</playlist>',
                doc.parts, f'<tractor id="maintractor" in="0" out="{length - 1}">{"".join(track_refs)}'
                           f"{user}{internal}</tractor>")


def _mlt(fps, attrs: str, bin_xml: str, parts: list[str], tail: str) -> str:
    return (f"<?xml version='1.0' encoding='utf-8'?>\n<mlt LC_NUMERIC=\"C\" {attrs} root=\"\">{_profile(fps)}"
            + bin_xml + "".join(parts) + tail + "</mlt>\n")


def _track_tractors(doc: _Doc, tracks: list[Lanes], prefix: str, quirk_2008: bool) -> list[str]:
    """Emit one audio track tractor and the video track tractors; return their ids."""
    doc.parts.append(f'<playlist id="{prefix}a0">{_props(kdenlive__audio_track=1)}</playlist>'
                     f'<playlist id="{prefix}a1">{_props(kdenlive__audio_track=1)}</playlist>'
                     f'<tractor id="{prefix}audio">{_props(kdenlive__audio_track=1)}'
                     f'<track hide="video" producer="{prefix}a0"/><track hide="video" producer="{prefix}a1"/></tractor>')
    ids = [f"{prefix}audio"]
    for k, track in enumerate(tracks):
        p0, p1 = f"{prefix}v{k}a", f"{prefix}v{k}b"
        nests = doc.sequence_ids[k] if isinstance(doc.sequence_ids, list) else doc.sequence_ids
        doc.playlist(p0, track.lane0, p0, ids=nests)
        doc.playlist(p1, track.lane1, p1, ids=nests)
        hide0 = "both" if track.hidden else "audio"
        hide1 = "both" if quirk_2008 or track.hidden else "audio"
        mixes = "".join(f'<transition in="{doc.t(s)}" out="{doc.t(e)}">'
                        + _props(a_track=0, b_track=1, mlt_service="luma", kdenlive_id="luma", resource="",
                                 kdenlive__mixcut=0, reverse=int(r)) + "</transition>" for s, e, r in track.mixes)
        doc.parts.append(f'<tractor id="{prefix}t{k}">{_props(kdenlive__track_name=f"V{k + 1}")}'
                         f'<track hide="{hide0}" producer="{p0}"/><track hide="{hide1}" producer="{p1}"/>'
                         f"{mixes}{doc.filters(track.effects)}</tractor>")
        ids.append(f"{prefix}t{k}")
    return ids


def _timeline_tractor(doc: _Doc, tid: str, tracks: list[Lanes], compositions, props: str, background: str,
                      quirk_2008: bool = False) -> str:
    ids = _track_tractors(doc, tracks, f"{tid}_", quirk_2008)
    length = max(max(_end(t.lane0), _end(t.lane1)) for t in tracks)
    doc.parts.append(f'<producer id="{tid}_black" in="{doc.t(0)}" out="{doc.t(length + 500)}">'
                     + _props(length=2147483647, resource=background, mlt_service="color",
                              kdenlive__playlistid="black_track") + "</producer>")
    refs = f'<track producer="{tid}_black"/>' + "".join(f'<track producer="{i}"/>' for i in ids)
    # as Kdenlive writes them: audio mixes, user compositions, then the internal video compositing
    video = "".join(_internal("frei0r.cairoblend", k + 2) for k in range(len(tracks)))
    user = "".join(_composition(doc, a + 2 if a >= 0 else 0, b + 2, s, e, r, *kind)
                   for a, b, s, e, r, *kind in compositions)
    return (f'<tractor id="{tid}" in="{doc.t(0)}" out="{doc.t(length - 1)}">{props}{refs}'
            f'{_internal("mix", 1)}{user}{video}</tractor>')


def timeline2(fps: Fraction, tracks: list[Lanes], *, compositions=(), quirk_2008: bool = False, guides=()) -> str:
    doc = _Doc(fps, clock=True, novalidate=True, chains=False)
    doc.sequence_ids = {}
    main = _timeline_tractor(doc, "tractor9", tracks, compositions, "", "black", quirk_2008)
    bin_xml = (f'<playlist id="main_bin">{_props(kdenlive__docproperties_dot_version="1.04")}'
               f'{_guides_json("kdenlive:docproperties.guides", guides)}</playlist>')
    return _mlt(fps, 'producer="main_bin" version="7.9.0"', bin_xml, doc.parts, main)


def sequences(fps: Fraction, main: list[Lanes], nested: dict[str, list[Lanes]], *, compositions=(),
              nested_background: str = "0", guides=()) -> str:
    """23.04+: `nested` sequences (name -> tracks, transparent background "0" unless
    `nested_background` says a colour) come first, one copy per main track that uses it (as
    Kdenlive writes them: melt cannot play one tractor on two tracks at once), each with the
    sequence's kdenlive:uuid."""
    doc = _Doc(fps, clock=True, novalidate=True, chains=True)
    doc.sequence_ids = {}
    per_track = [{} for _ in main]
    for n, (name, tracks) in enumerate(nested.items()):
        uuid = f"{{0000000{n}-0000-0000-0000-000000000000}}"
        props = _props(kdenlive__uuid=uuid, kdenlive__clipname=name, kdenlive__producer_type=17)
        users = [k for k, lanes in enumerate(main)
                 if any(isinstance(i, Nest) and i.sequence == name for i in lanes.lane0 + lanes.lane1)]
        for copy, k in enumerate(users):
            tid = uuid if copy == 0 else f"{uuid}_{copy}"
            doc.parts.append(_timeline_tractor(doc, tid, tracks, (), props, nested_background))
            per_track[k][name] = tid
    doc.sequence_ids = per_track
    uuid = "{99999999-0000-0000-0000-000000000000}"
    props = _props(kdenlive__uuid=uuid, kdenlive__clipname="Main", kdenlive__producer_type=17)
    props += _guides_json("kdenlive:sequenceproperties.guides", guides)
    doc.parts.append(_timeline_tractor(doc, uuid, main, compositions, props, "black"))
    length = max(max(_end(t.lane0), _end(t.lane1)) for t in main)
    bin_xml = f'<playlist id="main_bin">{_props(kdenlive__docproperties_dot_version="1.1")}</playlist>'
    wrapper = (f'<tractor id="project">{_props(kdenlive__projectTractor=1)}'
               f'<track producer="{uuid}" in="{doc.t(0)}" out="{doc.t(length - 1)}"/></tractor>')
    return _mlt(fps, 'producer="main_bin" version="7.22.0"', bin_xml, doc.parts, wrapper)


def _guides_json(name: str, guides) -> str:
    """Guides (frame, comment) as Kdenlive 19.04+ writes them: a JSON list in one property."""
    if not guides:
        return ""
    items = ",".join(f'{{"comment": "{comment}", "pos": {frame}, "type": 0}}' for frame, comment in guides)
    return f'<property name="{name}">[{items}]</property>'


GENERATIONS = ("gen2", "timeline2", "sequences")


def in_generation(generation: str, fps: Fraction, tracks: list[list], **options) -> str:
    """One edit (tracks of items, bottom to top) in a generation's structure (one lane a track)."""
    if generation == "gen2":
        return gen2(fps, tracks, **options)
    lanes = [Lanes(items) for items in tracks]
    if generation == "timeline2":
        return timeline2(fps, lanes, **options)
    return sequences(fps, lanes, {}, **options)

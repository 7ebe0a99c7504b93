"""Kdenlive producers and chains -> timeline Sources and time mappings
(docs/kdenlive-format.md §5, §8).

Works on lxml elements handed over by adapters/kdenlive.py; imports no XML library itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from livelatent.errors import ProjectError
from livelatent.edit.mlt_time import frame_rate_of, parse_speed, parse_time
from livelatent.edit.timeline import Freeze, Source, TimeRemap

MEDIA = {"avformat", "avformat-novalidate", "avformat-cached"}
COLOUR = {"color", "colour"}
IMAGE = {"qimage", "pixbuf"}
TITLE = {"kdenlivetitle", "dynamictext", "qtext"}
PLAYLIST_CLIP = {"xml", "consumer", "xml-nogl"}
# generators Kdenlive offers (and frei0r.* ones): pictures without a z-sequence, like colours
GENERATED = {"noise", "count", "glaxnimate", "blipflash", "tone", "pango", "webvfx", "qml", "htmlvideo"}
# services a clip may have that we understand; anything else is an unknown service
KNOWN = MEDIA | COLOUR | IMAGE | TITLE | PLAYLIST_CLIP | GENERATED | {"timewarp", "framebuffer"}


def props(el) -> dict[str, str]:
    """<property name=...>text</property> children as a dict (empty text -> "")."""
    return {p.get("name"): (p.text or "") for p in el.findall("property")}


@dataclass(frozen=True)
class ClipTiming:
    """The time mapping a producer adds on top of entry in/out."""

    speed: float = 1.0
    warp_out: int | None = None
    slowmotion: bool = False
    remap: TimeRemap | None = None


class ClipResolver:
    """Turns producer/chain elements into Sources, resolving paths and proxies like Kdenlive."""

    def __init__(self, project: Path, root: str | None, fps: Fraction, bin_props: list[dict]):
        self.project = project
        self.fps = fps
        # root when it is set and exists, else the project's folder (Kdenlive's own habit)
        self.base = Path(root) if root and Path(root).is_dir() else project.parent
        self.proxies = {}  # resolved proxy path -> (original path, original fps)
        for bp in bin_props:
            proxy = bp.get("kdenlive:proxy", "")
            original = bp.get("kdenlive:originalurl", "")
            if len(proxy) > 2 and original:
                fps_orig = frame_rate_of(bp.get("kdenlive:original.meta.media.frame_rate_num"),
                                         bp.get("kdenlive:original.meta.media.frame_rate_den"))
                self.proxies[str(self.resolve(proxy))] = (self.resolve(original), fps_orig)

    def resolve(self, resource: str) -> Path:
        """A resource path as Kdenlive finds it: absolute, or relative to root / project folder."""
        resource = resource.removeprefix("plain:")
        path = Path(resource)
        if path.is_absolute():
            return path
        return self.base / path

    def source(self, el, p: dict[str, str]) -> Source:
        service = p.get("mlt_service", "")
        label = p.get("kdenlive:clipname") or el.get("id", "?")
        resource = p.get("resource", "")
        if service == "timewarp":
            inner = p.get("kdenlive:original.mlt_service") or "avformat"
            resource = warped_resource(p)
            if "consumer:" in p.get("resource", "") or inner in PLAYLIST_CLIP:
                raise ProjectError(f"speed-changed sequence or playlist clip {label!r} is not supported")
            service = inner if inner in KNOWN else "avformat"
        elif service == "framebuffer":
            resource = resource.split("?", 1)[0]
        if service in COLOUR:
            return Source(f"colour:{resource}", label or "colour", kind="colour")
        if service in TITLE:
            return Source(f"title:{el.get('id')}:{label}", label, kind="title")
        if service in IMAGE:
            return Source(f"image:{self.resolve(resource)}", label, path=self.resolve(resource), kind="image")
        if service in GENERATED or service.startswith("frei0r."):
            return Source(f"generated:{el.get('id')}:{label}", label, kind="generated")
        if service in PLAYLIST_CLIP:
            return Source(f"playlist:{resource}", label, path=self.resolve(resource), kind="other")
        if service not in KNOWN and el.tag != "chain":
            raise ProjectError(f"clip {label!r}: unknown service {service!r}; expected one of "
                               f"avformat, color, qimage, kdenlivetitle, timewarp, tractor")
        return self._media(resource, p, label)

    def _media(self, resource: str, p: dict[str, str], label: str) -> Source:
        path = self.resolve(resource)
        fps = frame_rate_of(p.get("meta.media.frame_rate_num"), p.get("meta.media.frame_rate_den")) \
            or _stream_rate(p)
        proxy = None
        if str(path) in self.proxies:
            proxy, (path, orig_fps) = path, self.proxies[str(path)]
            fps = orig_fps or fps
        return Source(str(path), label if label and not label.startswith(("producer", "chain")) else path.name,
                      path=path, fps=fps, proxy=proxy, kind="media")

    def timing(self, el, p: dict[str, str]) -> ClipTiming:
        service = p.get("mlt_service", "")
        if service == "timewarp":
            speed_text = p.get("warp_speed") or p.get("resource", "1:").split(":", 1)[0]
            speed = parse_speed(speed_text)
            out = el.get("out") or p.get("out")
            warp_out = parse_time(out, self.fps) if out else None
            if warp_out is None and "length" in p:
                warp_out = parse_time(p["length"], self.fps) - 1
            return ClipTiming(speed=speed, warp_out=warp_out)
        if service == "framebuffer":
            query = p.get("resource", "").split("?", 1)
            speed = parse_speed(query[1].split("&")[0]) if len(query) > 1 else 1.0
            return ClipTiming(speed=speed, slowmotion=True)
        for link in el.findall("link"):
            lp = props(link)
            if lp.get("mlt_service") == "timeremap":
                keys = lp.get("time_map") or lp.get("map") or ""
                origin = parse_time(el.get("in") or "0", self.fps)
                return ClipTiming(remap=TimeRemap(_time_map(keys, self.fps), origin))
        return ClipTiming()


def warped_resource(p: dict[str, str]) -> str:
    """The file a timewarp producer plays, as melt finds it: `resource` after its first ':'
    (the speed); `warp_resource` is only MLT's note of that (Kdenlive may leave it stale)."""
    resource = p.get("resource", "")
    if not resource:
        return p.get("warp_resource", "")
    return resource.split(":", 1)[1] if ":" in resource else resource


def _stream_rate(p: dict[str, str]) -> Fraction | None:
    """meta.media.<i>.stream.frame_rate of the video stream (chains in 23.08+)."""
    index = p.get("video_index", "0")
    text = p.get(f"meta.media.{index}.stream.frame_rate", "")
    try:
        return Fraction(text.replace(",", ".")).limit_denominator(1001) if text else None
    except (ValueError, ZeroDivisionError):
        return None


def _time_map(text: str, fps: Fraction) -> tuple[tuple[int, float], ...]:
    """"clock=seconds;..." linear keyframes -> (frame, seconds). Other keyframe types (|= discrete,
    ~= smooth and MLT's easings) are refused: they would be silently wrong read as linear."""
    points = []
    for item in filter(None, (s.strip() for s in text.split(";"))):
        key, _, value = item.partition("=")
        if key and not key[-1].isdigit():
            raise ProjectError(f"time remap keyframe {item[:40]!r}: only linear keyframes (=) are supported")
        try:
            seconds = float(value.replace(",", "."))
        except ValueError:
            seconds = math.nan
        if not math.isfinite(seconds):
            raise ProjectError(f"time remap {text[:80]!r}: {value[:20]!r} is not a time in seconds")
        points.append((parse_time(key, fps, what="time_map"), seconds))
    if not points:
        raise ProjectError(f"time remap {text!r}: expected keyframes such as 00:00:00.000=0")
    return tuple(sorted(points))


def entry_freeze(entry, fps: Fraction, *, inner: bool = False) -> Freeze | None:
    """The first enabled `freeze` filter on an entry, or None. inner: the entry's producer is
    a `<chain>` or a timewarp (see timeline.Freeze); `frame` is an MLT time value."""
    for f in entry.findall("filter"):
        fp = props(f)
        if fp.get("mlt_service") == "freeze" and fp.get("disable", "0") != "1":
            return Freeze(parse_time(fp.get("frame") or "0", fps, what="freeze frame"),
                          before=_flag(fp.get("freeze_before")), after=_flag(fp.get("freeze_after")),
                          inner=inner)
    return None


def _flag(text: str | None) -> bool:
    """An MLT integer property read as a flag (atoi: "1", "01", " 2" are set)."""
    try:
        return int(float(text or 0)) != 0
    except ValueError:
        return False


def is_disabled(p: dict[str, str]) -> bool:
    """A clip that shows no picture: disabled, or an audio-only copy (MLT test card)."""
    return p.get("set.test_image", "0") == "1"

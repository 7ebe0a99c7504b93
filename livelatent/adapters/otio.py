"""Edits from any editor through OpenTimelineIO: read with the adapter livelatent names, and
write the conformed result back.

    timeline = read_edit(Path("cut.edl"), "edl", rate=Fraction(25))     # -> livelatent Timeline
    write_result(Path("final/edit.otio"), render=Path("final/edit.mp4"), name="edit",
                 fps=Fraction(30000, 1001), frames=1800)

The only module that imports opentimelineio (the `otio` extra: pip install 'livelatent[otio]').
OTIO adapters are plug-ins found through a manifest that OTIO_PLUGIN_MANIFEST_PATH can extend
with any file's code. So livelatent loads exactly the adapter module it names, from its
installed package, and pins OTIO's own manifest (which the AAF adapter asks for hooks) to the
built-in one: no manifest from the environment, no other installed plug-in, no hooks run.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from fractions import Fraction
from pathlib import Path

import opentimelineio as otio

from livelatent.adapters.otio_timeline import timeline_rate, to_timeline
from livelatent.adapters.edit_formats import FORMATS, bundle_file
from livelatent.errors import ProjectError, shorten
from livelatent.edit.exact_time import round_half_up
from livelatent.edit.timeline import Timeline

# format -> (package, adapter module file in it, OTIO's adapter name, the pip package)
PLUGINS = {
    "edl": ("otio_cmx3600_adapter", "cmx_3600.py", "cmx_3600", "otio-cmx3600-adapter"),
    "fcp-xml": ("otio_fcp_adapter", "fcp_xml.py", "fcp_xml", "otio-fcp-adapter"),
    "fcpxml": ("otio_fcpx_xml_adapter", "fcpx_xml.py", "fcpx_xml", "otio-fcpx-xml-adapter"),
    "aaf": ("otio_aaf_adapter", "adapters/advanced_authoring_format.py", "advanced_authoring_format",
            "otio-aaf-adapter"),
}
LIBRARY_ERRORS = (otio.exceptions.OTIOError, ValueError, TypeError)
INSTALL = "pip install 'livelatent[otio]'"
NTSC_FRAME = re.compile(r'frameDuration="(\d+/\d*1001\d*s|1001/\d+s)"')


def _pin_builtin_manifest() -> None:
    """Load OTIO's plug-in manifest once with only its built-in adapters (otio_json, otioz,
    otiod), whatever OTIO_PLUGIN_MANIFEST_PATH says: hooks it lists would run their code."""
    saved = {key: os.environ.get(key) for key in ("OTIO_PLUGIN_MANIFEST_PATH", "OTIO_DISABLE_ENTRYPOINTS_PLUGINS")}
    os.environ.update(OTIO_PLUGIN_MANIFEST_PATH="", OTIO_DISABLE_ENTRYPOINTS_PLUGINS="1")
    try:
        otio.plugins.ActiveManifest(force_reload=True)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


_pin_builtin_manifest()


def adapter(fmt: str):
    """The adapter module for a format, loaded from its installed package as OTIO would name it
    (the FCP 7 adapter imports `from .. import core`), never through a manifest."""
    package, filename, name, pip_name = PLUGINS[fmt]
    module_name = f"opentimelineio.adapters.{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise ProjectError(f"reading {FORMATS[fmt]} needs OpenTimelineIO's {pip_name} adapter: {INSTALL}")
    module_spec = importlib.util.spec_from_file_location(module_name, Path(spec.origin).parent / filename)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    if fmt == "fcpxml":  # its reader truncates double quotients: 29/25 s at 25 fps reads as 28 frames
        module.to_rational_time = _fcpx_rational_time
        module.FcpxXml._number_of_frames = _fcpx_number_of_frames
    sys.modules[module_name] = module
    return module


def _fcpx_frames(time_value: str | None, fps: Fraction) -> int:
    """An FCP X time ("29/25s", "6s") in frames at fps, to the nearest frame."""
    if time_value is None or time_value == "0s":
        return 0
    return round_half_up(Fraction(time_value.strip().rstrip("s")) * fps)


def _fcpx_rational_time(rational_number, fps):
    """otio-fcpx-xml-adapter 1.0.0's to_rational_time, rounding instead of truncating."""
    return otio.opentime.RationalTime(_fcpx_frames(rational_number, Fraction(fps)), int(fps))


def _fcpx_number_of_frames(self, time_value, format_id):
    """FcpxXml._number_of_frames of otio-fcpx-xml-adapter 1.0.0, rounding instead of truncating."""
    total, rate = self._format_frame_duration(format_id)
    return _fcpx_frames(time_value, Fraction(rate) / Fraction(total))


def load(path: Path, fmt: str, rate: Fraction | None = None):
    """What the format's adapter reads from the file (a Timeline, a collection, a track...)."""
    try:
        if fmt == "otio":
            return otio.adapters.otio_json.read_from_file(str(path))
        if fmt in ("otioz", "otiod"):
            module = importlib.import_module(f"opentimelineio.adapters.{fmt}")
            return module.read_from_file(str(path))
        if fmt == "aaf":
            return adapter(fmt).read_from_file(str(path))
        text = bundle_file(path, fmt).read_text(encoding="utf-8-sig", errors="replace")
        if fmt == "fcpxml" and NTSC_FRAME.search(text):
            raise ProjectError(f"{path}: FCP X XML at an NTSC rate ({NTSC_FRAME.search(text).group(1)} a frame), "
                               f"which OpenTimelineIO's FCP X adapter reads as a whole rate (29 for 29.97); "
                               f"export FCP 7 XML or .otio instead")
        if fmt == "edl":
            return adapter(fmt).read_from_string(text, rate=float(rate or 24))
        return adapter(fmt).read_from_string(text)
    except ProjectError:
        raise
    except OSError as exc:
        raise ProjectError(f"{path}: cannot read the edit ({exc.strerror or exc})") from None
    except Exception as exc:  # noqa: BLE001 - a third-party parser on user input: any failure is bad input
        raise ProjectError(f"{path}: not a readable {FORMATS[fmt]} file ({type(exc).__name__}: "
                           f"{shorten(str(exc), 160)})") from None


def timelines_in(obj) -> list:
    """Every timeline a file holds (a collection may hold several; a bare stack, track or
    clip is a timeline of its own)."""
    kind = obj.schema_name()
    if kind == "Timeline":
        return [obj]
    if kind == "SerializableCollection":
        return [t for child in obj for t in timelines_in(child)]
    if kind in ("Stack", "Track", "Clip"):
        wrapped = otio.schema.Timeline(name=obj.name)
        if kind == "Stack":
            wrapped.tracks = obj.clone()
        else:
            track = obj.clone() if kind == "Track" else otio.schema.Track(children=[obj.clone()])
            wrapped.tracks.append(track)
        return [wrapped]
    return []


def _choose(found: list, path: Path, sequence: str | None):
    names = [t.name or f"#{k + 1}" for k, t in enumerate(found)]
    if not found:
        raise ProjectError(f"{path}: holds no timeline")
    if sequence is not None:
        if sequence not in names:
            raise ProjectError(f"{path}: no timeline named {shorten(sequence)!r}; it holds "
                               f"{', '.join(map(repr, map(shorten, names)))}")
        return found[names.index(sequence)]
    if len(found) > 1:
        raise ProjectError(f"{path}: holds {len(found)} timelines ({', '.join(map(repr, map(shorten, names)))}); "
                           f"choose one with `sequence` NAME", setting="sequence")
    return found[0]


def records_from_first_event(timeline) -> None:
    """The CMX 3600 adapter keeps each track's record start as a negative source_range start
    (-record in of its first event), and .otio files converted from EDLs carry it on. Nothing
    can be trimmed before a track's start, so read it as the EDL meant it: tracks begin at the
    earliest event (frame 0 of the conform), later-starting tracks with a gap before them."""
    offsets = {id(t): -t.source_range.start_time for t in timeline.tracks
               if t.source_range is not None and t.source_range.start_time.value < 0}
    if not offsets:
        return
    first = min(offsets.values(), key=lambda rt: rt.to_seconds())
    for track in timeline.tracks:
        if id(track) in offsets:
            track.source_range = None
            lead = offsets[id(track)] - first
            if lead.value > 0:
                track.insert(0, otio.schema.Gap(source_range=otio.opentime.TimeRange(duration=lead)))
    timeline.global_start_time = first


def read_edit(path: Path, fmt: str, *, rate: Fraction | None = None, sequence: str | None = None) -> Timeline:
    """The edit in `path` (format `fmt`, see edit_formats) as a livelatent Timeline.
    rate: the edit's frame rate where the file does not record it (an EDL's), else it overrides."""
    if fmt == "edl" and rate is None:
        raise ProjectError(f"{path}: an EDL does not record its frame rate; give it with `rate` (e.g. 25 or 30000/1001)",
                           setting="rate")
    timeline = _choose(timelines_in(load(path, fmt, rate)), path, sequence)
    records_from_first_event(timeline)
    fps = rate or timeline_rate(timeline)
    if fps is None:
        raise ProjectError(f"{path}: no frame rate (no clip with a duration); give it with `rate`", setting="rate")
    edit = path / "content.otio" if fmt == "otiod" else bundle_file(path, fmt)
    return to_timeline(timeline, edit=edit, fps=Fraction(fps), library_errors=LIBRARY_ERRORS,
                       media_at_edit_rate=fmt == "edl")


def edl_drop_frame(path: Path) -> bool:
    """Whether an EDL says its timecode is drop frame (then its rate is 30000/1001)."""
    try:
        head = path.read_text(encoding="utf-8-sig", errors="replace")[:4096]
    except OSError:
        return False
    return any(line.strip().upper().startswith("FCM:") and "NON" not in line.upper() and "DROP" in line.upper()
               for line in head.splitlines())


def write_result(path: Path, *, render: Path, name: str, fps: Fraction, frames: int, metadata: dict) -> None:
    """An .otio of the finished piece: one video track holding one clip that plays `render`
    (the final video) from its first frame to its last, at the edit's rate."""
    rate = float(fps)
    whole = otio.opentime.TimeRange(otio.opentime.RationalTime(0, rate), otio.opentime.RationalTime(frames, rate))
    media = otio.schema.ExternalReference(target_url=Path(os.path.abspath(render)).as_uri(), available_range=whole)
    clip = otio.schema.Clip(name=name, media_reference=media, source_range=whole, metadata={"livelatent": metadata})
    timeline = otio.schema.Timeline(name=name, global_start_time=otio.opentime.RationalTime(0, rate))
    timeline.tracks.append(otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video, children=[clip]))
    try:
        otio.adapters.otio_json.write_to_file(timeline, str(path))
    except OSError as exc:
        raise ProjectError(f"`otio` {path}: cannot write ({exc.strerror or exc})", setting="otio") from None

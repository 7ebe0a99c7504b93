"""Read any editor's edit into the timeline model: Kdenlive / MLT through adapters/kdenlive.py,
everything else through OpenTimelineIO (adapters/otio.py, the `otio` extra).

    timeline = read_edit(Path("cut.xml"))                        # Premiere / Resolve FCP 7 XML
    timeline = read_edit(Path("cut.edl"), rate=Fraction(25))     # an EDL does not say its rate

The format is told by the file's content (edit_formats.detect), `fmt` when the user says it.
An EDL without --rate takes 30000/1001 when its FCM line says drop frame, else the rate that
the z-sequences of the clips it names share (as Resolve imports an EDL at the project's rate).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Callable

from livelatent.adapters.kdenlive import read_project
from livelatent.adapters.mlt_xml import MediaSeconds
from livelatent.adapters.edit_formats import FORMATS, detect
from livelatent.errors import ProjectError, UsageError
from livelatent.edit.timeline import Source, Timeline

RateOf = Callable[[list[Source]], "Fraction | None"]
DRAFT_RATE = Fraction(60)  # any non-drop timecode's frame field fits: a first read for the names


def read_edit(path: Path, *, fmt: str | None = None, sequence: str | None = None, rate: Fraction | None = None,
              media_seconds: MediaSeconds | None = None, rate_of: RateOf | None = None) -> Timeline:
    """The edit in `path` as a Timeline. rate_of(sources): the frame rate the sources' z-sequences
    share, or None (used for an EDL without `rate`)."""
    fmt = detect(path, fmt)
    if fmt == "kdenlive":
        if rate is not None:
            raise UsageError(f"`rate` {rate}: {path.name} is a Kdenlive / MLT project, which records its frame rate",
                             setting="rate")
        return read_project(path, sequence, media_seconds=media_seconds)
    otio = otio_adapter(path, fmt)
    if fmt == "edl" and rate is None:
        rate = _edl_rate(path, otio, rate_of)
    return otio.read_edit(path, fmt, rate=rate, sequence=sequence)


def otio_adapter(path: Path, fmt: str):
    """adapters.otio, or one line saying how to install what reading `path` needs."""
    try:
        from livelatent.adapters import otio
    except ImportError:
        raise ProjectError(f"{path}: reading {FORMATS[fmt]} needs OpenTimelineIO: "
                           f"pip install 'livelatent[otio]'") from None
    return otio


def _edl_rate(path: Path, otio, rate_of: RateOf | None) -> Fraction:
    if otio.edl_drop_frame(path):
        return Fraction(30000, 1001)
    if rate_of is not None:
        found = rate_of(otio.read_edit(path, "edl", rate=DRAFT_RATE).sources())
        if found is not None:
            return Fraction(found)
    raise ProjectError(f"{path}: an EDL does not record its frame rate and the z-sequences of its clips do not "
                       f"share one; give it with `rate` (e.g. 25 or 30000/1001)", setting="rate")

"""The edit, independent of any NLE: tracks of clip segments, same-track mixes, transitions.

Positions are integer frames at the timeline's exact rate. A ClipSegment plays producer
positions in_frame .. in_frame + length - 1 (the NLE's own time base: project frames, warped
by `speed`), starting at timeline frame `start`; livelatent.retime turns such a position into
the source frame its engine shows. Readers (adapters/kdenlive.py) build these values; the
conform (conform.py) is an algorithm over them and never sees a file format.

Tracks run bottom to top, as in MLT: a higher index is drawn over a lower one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

from livelatent.errors import ProjectError
from livelatent.layering import Look

# Transition kinds: how the conform blends its two inputs
DISSOLVE = "dissolve"  # weight = progress; latent slerp by that weight
WIPE = "wipe"  # a luma wipe: pixels switch at different times; conformed as a dissolve
COVER = "cover"  # B drawn over A with geometry/opacity (composite, affine, qtblend...): layering.py
BLEND = "blend"  # a blend mode (addition, screen...): both by a fixed weight of B


@dataclass(frozen=True, slots=True)
class Source:
    """One piece of media. `key` identifies it (the resolved original path, or a colour).

    path: the original media file (a proxy replaced by its original), None for generated
    images (colour, title); fps: its frame rate where the project records it; proxy: the
    proxy file the NLE played, if any; livelatent_id: a take id recorded in the project.
    """

    key: str
    label: str
    path: Path | None = None
    fps: Fraction | None = None
    proxy: Path | None = None
    kind: str = "media"  # media | colour | image | title | generated | other
    names: tuple[str, ...] = ()  # other names it goes by (an EDL's clip name, a reel): looked up as stems
    alpha: float = 1.0  # how it covers the frame by itself: 1 opaque, 0 not (a title), else translucent

    @property
    def has_frames(self) -> bool:
        return self.kind == "media" and (self.path is not None or bool(self.names))


@dataclass(frozen=True, slots=True)
class Freeze:
    """Freeze filter: show position in + frame; only before / after it if a flag is set.

    inner: the clip is a `<chain>` or a timewarp, whose frames come from an inner producer
    that starts at 0 (melt 7.12): the frozen frame is then that producer's position `frame`
    (no entry in, at the warped rate, never reversed; behind a time remap link the source's own
    frame `frame`), and before / after compare the bare `frame` with the entry's absolute
    positions.
    """

    frame: int
    before: bool = False
    after: bool = False
    inner: bool = False


@dataclass(frozen=True, slots=True)
class TimeRemap:
    """MLT timeremap link: keyframes (producer position - origin, source seconds), linear.

    origin: the chain's own `in`."""

    points: tuple[tuple[int, float], ...]
    origin: int = 0


@dataclass(frozen=True, slots=True)
class SourceTime:
    """Exact-time source positions (an OpenTimelineIO clip), in place of MLT's arithmetic:
    the segment's frame k shows the source at `start + k * speed / timeline fps` seconds from
    the media's first frame (speed 0: a freeze frame; negative: reverse), as the media frame
    nearest to that time, in melt's double arithmetic for the same clip (livelatent.retime)."""

    start: Fraction
    speed: Fraction = Fraction(1)


@dataclass(frozen=True, slots=True)
class ClipSegment:
    """A clip on a track: timeline frames start .. start + length - 1.

    in_frame: the producer position shown at `start` (entry `in`, absolute in the producer).
    speed: timewarp speed (negative = reverse); warp_out: the warp producer's own `out`,
    where a reverse clip starts; slowmotion: pre-16.04 framebuffer rounding (floor);
    source: a Source, or a nested Timeline (a sequence clip).
    """

    start: int
    length: int
    source: "Source | Timeline"
    in_frame: int = 0
    speed: float = 1.0
    warp_out: int | None = None
    slowmotion: bool = False
    freeze: Freeze | None = None
    remap: TimeRemap | None = None
    label: str = ""
    exact: SourceTime | None = None  # set by exact-time readers (OTIO): overrides in_frame/speed/freeze
    look: Look = ()  # effects that move, shrink or fade it (layering.py), at producer positions

    def __post_init__(self) -> None:
        if self.length <= 0:
            raise ProjectError(f"clip {self.label or self.source_label!r} at frame {self.start}: "
                               f"length {self.length}; expected at least 1 frame")
        if self.speed == 0:
            raise ProjectError(f"clip {self.label!r} at frame {self.start}: speed 0 is not playable")

    @property
    def end(self) -> int:
        """One past the last timeline frame."""
        return self.start + self.length

    @property
    def source_label(self) -> str:
        return self.source.label if isinstance(self.source, Source) else f"sequence {self.source.name}"


@dataclass(frozen=True, slots=True)
class Transition:
    """A blend of input a (below) into input b (above) over frames start..end (inclusive).

    For a same-track mix a/b are the track's lanes (sub-playlists); for a composition they
    index Timeline.tracks. The weight of b at frame t is (t - start) / (end - start + 1),
    or 1 minus that when `reverse`; MLT only blends where b has a clip.
    """

    start: int
    end: int
    a: int
    b: int
    kind: str = DISSOLVE
    reverse: bool = False
    label: str = ""
    look: Look = ()  # COVER: B's geometry and opacity, at positions from `start`
    weight: float | None = None  # BLEND: B's fixed weight

    def weight_b(self, t):
        if self.weight is not None:
            return np.full(np.shape(t), self.weight)
        progress = (t - self.start) / (self.end - self.start + 1)
        return 1 - progress if self.reverse else progress


@dataclass(frozen=True, slots=True)
class Track:
    """A video track: one or more lanes of segments (Kdenlive's two sub-playlists), drawn
    lane over lane like MLT's track tractor, and same-track mixes between lanes.

    extent: where its last entry ends, clips that show nothing (disabled) included: they
    still make the timeline that long, as the editor renders it."""

    name: str
    lanes: tuple[tuple[ClipSegment, ...], ...]
    mixes: tuple[Transition, ...] = ()
    hidden: bool = False
    extent: int = 0
    look: Look = ()  # track effects (a whole track shrunk or faded), at timeline frames

    @property
    def end(self) -> int:
        return max([self.extent] + [seg.end for lane in self.lanes for seg in lane])

    def segments(self):
        return [seg for lane in self.lanes for seg in lane]


@dataclass(frozen=True, slots=True)
class Guide:
    """A timeline guide (a marker on the timeline, not on a clip): a frame the editor marked."""

    frame: int
    comment: str = ""


@dataclass(frozen=True, slots=True)
class Timeline:
    """The edit: video tracks bottom to top, compositions between them, at an exact rate.

    background: None for an opaque black background (a gap shows nothing), or a Source shown
    in gaps (a nested sequence's black); transparent nested backgrounds use None as well.
    transparent: nested, its gaps are transparent frames (Kdenlive's "0" background): lower
    tracks show through them, but a transition still finds a frame there.
    guides: the timeline's guides in frame order (they change nothing the conform picks).
    """

    name: str
    fps: Fraction
    tracks: tuple[Track, ...]
    transitions: tuple[Transition, ...] = ()
    notes: tuple[str, ...] = field(default=(), compare=False)
    background: Source | None = None
    transparent: bool = False
    guides: tuple[Guide, ...] = field(default=(), compare=False)

    @property
    def length(self) -> int:
        """Frames from 0 to the end of the last clip on any video track (hidden ones too)."""
        return max((track.end for track in self.tracks), default=0)

    def sources(self) -> list[Source]:
        """Every Source used, nested sequences included, in first-use order."""
        seen: dict[str, Source] = {}
        for track in self.tracks:
            for seg in track.segments():
                inner = seg.source.sources() if isinstance(seg.source, Timeline) else [seg.source]
                for src in inner:
                    seen.setdefault(src.key, src)
                if isinstance(seg.source, Timeline) and seg.source.background is not None:
                    # a nested sequence's gaps show its background (a colour clip of its own)
                    seen.setdefault(seg.source.background.key, seg.source.background)
        return list(seen.values())

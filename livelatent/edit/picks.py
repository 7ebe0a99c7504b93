"""The conform: for every timeline frame, which source frames show and with what weights.

An algorithm over livelatent.edit.timeline, frame for frame as MLT plays the edit
(docs/kdenlive-format.md §7):
  * inside a track, a higher lane (sub-playlist) is drawn over a lower one, and a same-track
    mix blends lane a into lane b with weight (t - in) / (out - in + 1) where both have a clip;
  * a dissolve composition blends track b over the first track from a upwards with a clip;
  * across tracks (and lanes) the layering rule (stacking.stack): the topmost clip that fills
    the frame opaquely gives it, a clip that does not (a title, an inset, a shrunk clip) is
    an overlay, a translucent one blends by its opacity (layers="fill"); or the topmost clip
    with a frame, whatever it covers (layers="top"); hidden tracks show nothing;
  * a composition draws track b onto the first track from a upwards with a clip: a dissolve
    or a blend mode by its weight, a geometry by the layering rule;
  * a nested sequence is conformed on its own and indexed by the entry's positions.
The result, Picks, holds K weighted (source, frame) columns per frame; K grows only where
blends stack. livelatent.edit.assemble turns Picks plus z-sequences into one z per frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable

import numpy as np

from livelatent.errors import ProjectError
from livelatent.edit.layering import EMPTY, FULL, look_box, look_cover
from livelatent.common.memory import fits
from livelatent.edit.mlt_time import MAX_HOURS, format_clock, max_frames
from livelatent.edit.retime import source_positions
from livelatent.edit.stacking import NONE, TRANSPARENT, blend_into, empty_layer, overlay, shows, stack, widen
from livelatent.edit.timeline import BLEND, COVER, ClipSegment, Source, Timeline, Track, Transition

LAYER_RULES = ("fill", "top")


@dataclass
class Picks:
    """Per timeline frame t and column k: source index src[t, k] (NONE: nothing), source
    frame pos[t, k] (fractional only with smooth speed), weight[t, k] (a row sums to 1 where
    anything shows), and seg[t, k]: which segment put it there (for messages); overlay[t]: the
    topmost segment drawn over the frame without giving its z (a title, an inset), or NONE;
    cover[t]: how the frame's picture fills the frame (1: opaquely; below 1: no clip does, and
    the one shown is an inset, a fade or a clip of another shape over black)."""

    src: np.ndarray
    pos: np.ndarray
    weight: np.ndarray
    seg: np.ndarray
    overlay: np.ndarray = field(default_factory=lambda: np.empty(0, np.int32))  # a segment per frame
    cover: np.ndarray = field(default_factory=lambda: np.empty(0))
    sources: list[Source] = field(default_factory=list)
    segments: list[tuple[ClipSegment, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return self.src.shape[0]

    @property
    def empty(self) -> np.ndarray:
        return self.src[:, 0] == NONE

    @property
    def blended(self) -> np.ndarray:
        """Frames that blend two or more sources."""
        return (self.src[:, 1:] != NONE).any(axis=1) if self.src.shape[1] > 1 else np.zeros(len(self), bool)


def _refuse_transparent(tr: Transition, a: dict, b: dict, rows: np.ndarray) -> None:
    """melt dissolves a transparent frame as black with no alpha, then lays the half-transparent
    result over what lies below: a picture no z can stand for."""
    clear = rows[(a["src"][rows, 0] == TRANSPARENT) | (b["src"][rows, 0] == TRANSPARENT)]
    if len(clear):
        raise ProjectError(f"{tr.label or 'transition'} at frame {clear[0]}: a dissolve with the transparent gap "
                           f"of a nested sequence (melt fades to see-through there) is not supported")


class _Picker:
    def __init__(self, fps_of: Callable[[Source], Fraction | None], smooth: bool, layers: str,
                 frames_of: Callable[[Source], int | None]):
        self.fps_of, self.smooth, self.frames_of = fps_of, smooth, frames_of
        self.draw = stack if layers == "fill" else overlay
        self.source_index: dict[str, int] = {}
        self.picks = Picks(*(np.empty(0),) * 4)
        self.nested: dict[tuple[int, int], dict] = {}

    def source_id(self, source: Source) -> int:
        if source.key not in self.source_index:
            self.source_index[source.key] = len(self.picks.sources)
            self.picks.sources.append(source)
        return self.source_index[source.key]

    def timeline(self, timeline: Timeline, n: int, top: bool) -> dict:
        layers = [self.track(track, timeline, n) for track in timeline.tracks]
        for tr in timeline.transitions:
            self.composition(tr, layers, n)
        out = empty_layer(n)
        if not top and timeline.background is not None:
            out["src"][:, 0] = self.source_id(timeline.background)
            out["weight"][:, 0] = 1
            out["cover"][:] = timeline.background.alpha
            out["box"][:] = FULL if timeline.background.alpha >= 1 else EMPTY
        for layer in layers:
            out = self.draw(out, layer)
        return out

    def track(self, track: Track, timeline: Timeline, n: int) -> dict:
        if track.hidden:
            return empty_layer(n)
        lanes = [self.lane(lane, track, timeline, n) for lane in track.lanes]
        out = empty_layer(n)
        for lane in lanes:
            out = self.draw(out, lane)
        for mix in track.mixes:
            if max(mix.a, mix.b) < len(lanes):
                out = self.blend(mix, lanes[mix.a], lanes[mix.b], out, n)
        if track.look:
            out["cover"] = out["cover"] * look_cover(track.look, np.arange(n))
            out["box"] = look_box(track.look, np.arange(n), out["box"])
        return out

    def blend(self, tr: Transition, a: dict, b: dict, out: dict, n: int) -> dict:
        t = np.arange(max(tr.start, 0), min(tr.end + 1, n))
        t = t[(a["src"][t, 0] != NONE) & (b["src"][t, 0] != NONE)]
        if tr.kind == COVER or not len(t):
            return out
        _refuse_transparent(tr, a, b, t)
        return blend_into(out, a, b, tr.weight_b(t).astype(np.float32), t)

    def composition(self, tr: Transition, layers: list[dict], n: int) -> None:
        """MLT: where B has a frame, B goes onto the first track from a upwards that has one, and
        is consumed there (a track above still covers the result). A dissolve or a blend mode
        blends by the transition's weight; a cover draws B over A by the layering rule (its
        geometry and opacity), or wholly with layers="top" (where blend modes cover too)."""
        fill = self.draw is stack
        kind = COVER if tr.kind == BLEND and not fill else tr.kind
        if tr.b >= len(layers):
            return
        if tr.a < 0:
            if kind != COVER:
                self.picks.notes.append(f"composition {tr.label} onto the background: B shown alone")
            return
        b = layers[tr.b]
        span = np.zeros(n, bool)
        span[max(tr.start, 0):min(tr.end + 1, n)] = True
        # a transparent B drawn over A leaves A; MLT still dissolves with it (see _refuse_transparent)
        pending = span & (b["src"][:, 0] >= 0 if kind == COVER else shows(b))
        if kind == COVER and fill:  # B's own cover times the composition's geometry and opacity
            b = {**b, "cover": b["cover"] * np.where(span, look_cover(tr.look, np.arange(n) - tr.start), 1.0),
                 "box": np.where(span[:, None], look_box(tr.look, np.arange(n) - tr.start, b["box"]), b["box"])}
        # A: the first track from a up to b that has a frame; a above b is taken as it is
        for i in range(tr.a, tr.b) if tr.a < tr.b else [tr.a] if tr.a < len(layers) else []:
            rows = np.flatnonzero(pending & shows(layers[i]))
            if len(rows):
                if kind == COVER:
                    layers[i] = stack(layers[i], b, rows) if fill else overlay(layers[i], b, np.isin(np.arange(n), rows))
                else:  # a blend mode adds only as much of B as B covers (a fade on B fades it)
                    _refuse_transparent(tr, layers[i], b, rows)
                    w = tr.weight_b(rows) * (b["cover"][rows] if kind == BLEND else 1.0)
                    layers[i] = blend_into(layers[i], layers[i], b, w.astype(np.float32), rows)
                b = {key: value.copy() for key, value in b.items()}
                b["src"][rows] = NONE
                pending[rows] = False
        layers[tr.b] = b

    def lane(self, lane, track: Track, timeline: Timeline, n: int) -> dict:
        out = empty_layer(n)
        for seg in lane:
            lo, hi = seg.start, min(seg.end, n)
            if lo >= hi:
                continue
            seg_id = len(self.picks.segments)
            self.picks.segments.append((seg, track.name))
            offsets = np.arange(hi - lo)
            if isinstance(seg.source, Timeline):
                out = self.nested_segment(seg, out, offsets, lo, hi, timeline.fps)
            else:
                pos = source_positions(seg, timeline.fps, self.fps_of(seg.source), smooth=self.smooth,
                                       offsets=offsets)
                out["src"][lo:hi, 0] = self.source_id(seg.source)
                out["pos"][lo:hi, 0] = pos
                self.past_the_end(seg.source, out, lo, hi)
                out["weight"][lo:hi, 0] = 1
                out["seg"][lo:hi, 0] = seg_id
                out["cover"][lo:hi] = seg.source.alpha
                out["box"][lo:hi] = FULL if seg.source.alpha >= 1 else EMPTY
            if seg.look:  # effects count in producer positions
                out["cover"][lo:hi] *= look_cover(seg.look, seg.in_frame + offsets)
                out["box"][lo:hi] = look_box(seg.look, seg.in_frame + offsets, out["box"][lo:hi])
        return out

    def past_the_end(self, source: Source, out: dict, lo: int, hi: int) -> None:
        """A source frame one past the last (MLT rounds a reversed or slowed clip's first frame
        there): melt shows a blank, opaque frame, no source frame; further past is left to fail."""
        frames = self.frames_of(source)
        if frames is None:
            return
        rows = lo + np.flatnonzero(np.floor(out["pos"][lo:hi, 0]) == frames)
        if len(rows):
            blank = Source(f"{source.key}#past-the-end", f"{source.label} (one frame past its end)", kind="blank")
            out["src"][rows, 0] = self.source_id(blank)
            self.picks.notes.append(f"{source.label}: frame {frames} is past its last frame; melt shows a blank "
                                    f"frame there ({len(rows)} timeline frames; the foreign setting decides their z)")

    def nested_segment(self, seg: ClipSegment, out: dict, offsets, lo: int, hi: int, fps) -> dict:
        """The nested sequence's frames at the entry's positions; past its last clip its
        background goes on (black, or transparent gaps), as the sequence's tractor does."""
        inner = seg.source
        positions = source_positions(seg, fps, inner.fps, offsets=offsets).astype(np.int64)
        n = max(inner.length, int(positions.max(initial=0)) + 1, 1)
        if (id(inner), n) not in self.nested:
            self.nested[(id(inner), n)] = self.timeline(inner, n, top=False)
        nested = self.nested[(id(inner), n)]
        inside = positions >= 0
        k = nested["src"].shape[1]
        out = widen(out, k)
        rows = np.arange(lo, hi)[inside]
        for key in out:
            if key in ("cover", "over", "box"):
                out[key][rows] = nested[key][positions[inside]]
            else:
                out[key][rows, :k] = nested[key][positions[inside]]
        if inner.transparent:  # its gaps are transparent frames (cover 0), not nothing
            gaps = rows[out["src"][rows, 0] == NONE]
            out["src"][gaps, 0] = TRANSPARENT
            out["cover"][gaps] = 0.0
            out["box"][gaps] = 0.0
        return out


# one (source, frame, weight, segment) column of one frame of one layer, with the layer's
# cover, overlay and opaque box for that frame (stacking.py)
CELL_BYTES = 64


def _cells(timeline: Timeline) -> int:
    """Frame-layer cells the picker holds: each track of each distinct (nested) timeline, over
    that timeline's frames (a nested sequence is conformed whole, once)."""
    seen, todo, cells = set(), [timeline], 0
    while todo:
        t = todo.pop()
        if id(t) in seen:
            continue
        seen.add(id(t))
        cells += (len(t.tracks) + 2) * max(t.length, 1)
        todo += [seg.source for track in t.tracks for seg in track.segments() if isinstance(seg.source, Timeline)]
    return cells


def _check_memory(timeline: Timeline) -> None:
    """Refuse, before allocating it, an edit whose frame layers cannot fit in memory."""
    need = _cells(timeline) * CELL_BYTES
    if not fits(need):
        raise ProjectError(f"timeline {timeline.name}: {timeline.length} frames on {len(timeline.tracks)} tracks "
                           f"(nested sequences included) need about {need / 2**30:.1f} GiB to conform; "
                           f"this machine has less free")


def pick(timeline: Timeline, *, smooth: bool = False,
         fps_of: Callable[[Source], Fraction | None] | None = None,
         frames_of: Callable[[Source], int | None] | None = None, layers: str = "fill") -> Picks:
    """Picks for frames 0 .. timeline.length - 1. fps_of(source) gives a source's frame rate
    (default: the rate the project records, else the project's); frames_of(source) its frame
    count where known (a frame one past the end shows blank, as in melt); layers: "fill" (the
    layering rule) or "top" (the topmost clip wins, whatever it covers)."""
    if timeline.length > max_frames(timeline.fps):  # readers refuse earlier, naming the track
        raise ProjectError(f"timeline {timeline.name}: {timeline.length} frames; expected under {MAX_HOURS} hours")
    _check_memory(timeline)
    picker = _Picker(fps_of or (lambda s: s.fps), smooth, layers, frames_of or (lambda s: None))
    layer = picker.timeline(timeline, timeline.length, top=True)
    layer["src"][layer["src"] == TRANSPARENT] = NONE
    picks = picker.picks
    picks.src, picks.pos, picks.weight, picks.seg = layer["src"], layer["pos"], layer["weight"], layer["seg"]
    picks.overlay, picks.cover = layer["over"], layer["cover"]
    if layers == "fill":
        picks.notes += _unfilled(picks, timeline.fps)
    return _compact(picks)


def _unfilled(picks: Picks, fps: Fraction) -> list[str]:
    """One note per clip shown alone where no clip fills the frame (a split screen, an inset
    or a fade over black): its z stands for a picture it only partly makes."""
    alone = (picks.cover < 1 - 1e-6) & (picks.src[:, 0] >= 0) & ~picks.blended
    with_z = np.array([s.has_frames or s.kind == "image" for s in picks.sources] + [False])
    alone &= with_z[picks.src[:, 0]]
    notes = []
    for seg_id in np.unique(picks.seg[alone, 0]):
        rows = np.flatnonzero(alone & (picks.seg[:, 0] == seg_id))
        seg, track = picks.segments[seg_id]
        notes.append(f"{seg.label or picks.sources[picks.src[rows[0], 0]].label} on track {track}: no clip fills "
                     f"the frame on {len(rows)} frames ({format_clock(int(rows[0]), fps)}-"
                     f"{format_clock(int(rows[-1]), fps)}); its z is taken though it is partly transparent, "
                     f"shrunk or moved there")
    return notes


def _compact(picks: Picks) -> Picks:
    """Drop columns no frame uses, and move each row's used columns to the front."""
    if picks.src.shape[1] == 1:
        return picks
    used = picks.src != NONE
    order = np.argsort(~used, axis=1, kind="stable")
    for name in ("src", "pos", "weight", "seg"):
        setattr(picks, name, np.take_along_axis(getattr(picks, name), order, axis=1))
    k = max(int(used.sum(axis=1).max(initial=1)), 1)
    for name in ("src", "pos", "weight", "seg"):
        setattr(picks, name, np.ascontiguousarray(getattr(picks, name)[:, :k]))
    return picks

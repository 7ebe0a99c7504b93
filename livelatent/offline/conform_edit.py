"""Conform an edit onto the z-sequences behind its clips: read, find, pick, assemble.

    seq, report = conform_project("edit.kdenlive", search=["recordings"])
    zseq.save(seq, "final/edit")        # one z per timeline frame, at the project's rate
    seq, report = conform_project("cut.xml")               # Premiere / Resolve, through OTIO
    seq, report = conform_project("cut.edl", rate=Fraction(25))
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from livelatent.adapters.zsources import Found, ZFinder
from livelatent.edit.assemble import assemble
from livelatent.edit.picks import NONE, Picks, pick
from livelatent.edit.pictures import edit_provenance
from livelatent.adapters.video import duration_seconds
from livelatent.errors import LivelatentError, ProjectError
from livelatent.edit.timeline import Source, Timeline
from livelatent.common.rates import FrameRate
from livelatent.common.memory import fits
from livelatent.common.provenance import provenance
from livelatent.edit.mlt_time import format_clock
from livelatent.offline.edit_reader import read_edit
from livelatent.common.zseq import ZSequence


def _first_use(picks: Picks, index: int) -> str:
    """'clip X on track V1 at frame N (HH:MM:SS.mmm)' for the first frame that shows source `index`."""
    rows, cols = np.nonzero(picks.src == index)
    if not len(rows):
        for seg, track in picks.segments:
            if getattr(seg.source, "key", None) == picks.sources[index].key:
                return f"clip {seg.label!r} on track {track} at frame {seg.start}"
        return f"clip {picks.sources[index].label!r}"
    seg, track = picks.segments[picks.seg[rows[0], cols[0]]]
    return f"clip {seg.label!r} on track {track} at frame {seg.start}"


def _check(picks: Picks, found, fps) -> None:
    """Missing clips, contradictory frame rates, different z sizes: one line each."""
    first_d = None
    for i, (source, hit) in enumerate(zip(picks.sources, found)):
        where = _first_use(picks, i)
        if hit.how == "missing clip" and source.path is None:  # an EDL's clip: only names to go by
            raise ProjectError(f"{where}: no media file, and no z-sequence named {' or '.join(source.names)} "
                               f"beside the edit (use `search` DIR)", setting="search")
        if hit.how == "missing clip":
            raise ProjectError(f"{where}: {source.path} not found and no z-sequence for it "
                               f"(use `search` DIR for moved media)", setting="search")
        if hit.lost_id:
            what = "still" if source.kind == "image" else "video"
            raise ProjectError(f"{where}: {source.path} is a livelatent {what} (id {hit.lost_id}) but its "
                               f"z-sequence is not beside it nor in the project's folder (use `search` DIR)",
                               setting="search")
        seq = hit.seq
        if seq is None:
            continue
        if source.fps and source.fps != seq.fps.value:
            raise ProjectError(f"{where}: the project says {FrameRate(source.fps)} fps but its z-sequence "
                               f"{hit.how} says {seq.fps}")
        if first_d is None:
            first_d = (seq.d, where)
        elif seq.d != first_d[0]:
            raise ProjectError(f"{where}: z size {seq.d}, but {first_d[1]} has z size {first_d[0]}")


def overlays(picks: Picks, fps) -> list[dict]:
    """Each clip drawn over frames whose z comes from below it (a title, an inset): the
    frames where the final render will not show it."""
    found = []
    for seg_id in np.unique(picks.overlay[picks.overlay != NONE]):
        seg, track = picks.segments[seg_id]
        rows = np.flatnonzero(picks.overlay == seg_id)
        found.append({"clip": seg.label or seg.source_label, "track": track, "frames": int(len(rows)),
                      "first": int(rows[0]), "last": int(rows[-1]),
                      "from": format_clock(int(rows[0]), fps), "to": format_clock(int(rows[-1]), fps)})
    return found


def _media_seconds(finder: ZFinder):
    """A clip's duration as melt's avformat reads it (for MLT files that do not record lengths):
    the file's container duration, else its z-sequence's rows at its rate (one row per frame)."""
    cache: dict[Path, float | None] = {}

    def seconds(path: Path) -> float | None:
        if path not in cache:
            cache[path] = _probe_seconds(path, finder)
        return cache[path]
    return seconds


def _probe_seconds(path: Path, finder: ZFinder) -> float | None:
    if path.is_file():
        try:
            return duration_seconds(path)
        except LivelatentError:
            pass
    hit = finder.find(Source(str(path), path.name, path=path))
    return None if hit.seq is None else len(hit.seq) / float(hit.seq.fps.value)


def _shared_rate(finder: ZFinder):
    """The frame rate the z-sequences of some sources share (None if none is found or they differ)."""
    def rate_of(sources: list[Source]):
        rates = {hit.seq.fps.value for hit in map(finder.find, sources) if hit.seq is not None}
        return rates.pop() if len(rates) == 1 else None
    return rate_of


def _read_and_pick(project: Path, sequence: str | None, search: list | None, smooth: bool,
                   fmt: str | None = None, rate=None, layers: str = "fill"):
    """The timeline, its picks, and the z-sequence found for each source (by key)."""
    finder = ZFinder(project, [Path(s) for s in search or []])
    timeline = read_edit(project, fmt=fmt, sequence=sequence, rate=rate, media_seconds=_media_seconds(finder),
                         rate_of=_shared_rate(finder))
    found = {s.key: finder.find(s) for s in timeline.sources()}
    rate_of = {key: hit.seq.fps.value for key, hit in found.items() if hit.seq is not None}
    # a tagged still's positions are the image's, not rows: it has no end to run past
    rows_of = {key: len(hit.seq) for key, hit in found.items() if hit.seq is not None and hit.still is None}
    picks = pick(timeline, smooth=smooth, fps_of=lambda s: s.fps or rate_of.get(s.key),
                 frames_of=lambda s: rows_of.get(s.key), layers=layers)
    return timeline, picks, found


def conform_picks(project: str | os.PathLike, *, sequence: str | None = None, search: list | None = None,
                  smooth: bool = False, fmt: str | None = None, rate=None, layers: str = "fill") -> Picks:
    """Which source frames show on each timeline frame, with what weights (no z gathered)."""
    return _read_and_pick(Path(project), sequence, search, smooth, fmt, rate, layers)[1]


def _check_output_memory(frames: int, d: int, project: Path) -> None:
    """Refuse, before allocating it, a conformed sequence that cannot fit in memory."""
    need = frames * d * 4
    if not fits(need):
        raise ProjectError(f"{project}: {frames} frames of z size {d} need {need / 2**30:.1f} GiB; "
                           f"this machine has less free")


@dataclass
class Conformed:
    """A conform and what it was made from: the timeline, its picks, the timeline frame of
    each output row (frames a skip policy dropped are missing) and which sources have a z."""

    seq: ZSequence
    report: dict
    timeline: Timeline
    picks: Picks
    kept: np.ndarray
    has_z: list[bool]


def conform_project(project: str | os.PathLike, **options) -> tuple[ZSequence, dict]:
    """The conformed z-sequence and a report (clips used, frames from each, blends, gaps,
    overlays); the options are conform_edit's."""
    done = conform_edit(project, **options)
    return done.seq, done.report


def conform_edit(project: str | os.PathLike, *, sequence: str | None = None, gaps: str = "hold",
                 foreign: str = "hold", search: list | None = None, smooth: bool = False,
                 partial: bool = False, fmt: str | None = None, rate=None, layers: str = "fill") -> Conformed:
    """The conform with its timeline and picks. fmt: the edit's format (edit_formats.FORMATS;
    default: told by its content); rate: an EDL's frame rate (default: its z-sequences');
    layers: "fill" (the layering rule) or "top" (the topmost clip, whatever it covers)."""
    project = Path(project)
    timeline, picks, found = _read_and_pick(project, sequence, search, smooth, fmt, rate, layers)
    # sources the picker adds itself (a blank frame past a clip's end) have no z-sequence
    hits = [found.get(s.key) or Found(None, f"no z-sequence ({s.kind})") for s in picks.sources]
    for index, hit in enumerate(hits):
        if hit.still is not None:  # a tagged still shows one row for as long as it lasts
            picks.pos[picks.src == index] = hit.still
    problems = []
    try:
        _check(picks, hits, timeline.fps)
    except ProjectError as exc:
        if not partial:
            raise
        problems.append(str(exc))
    zs = [hit.seq.z if hit.seq is not None else None for hit in hits]
    _check_output_memory(len(picks), max((z.shape[1] for z in zs if z is not None), default=0), project)
    result = assemble(picks, zs, gaps=gaps, foreign=foreign, smooth=smooth, fps=timeline.fps, partial=partial)
    report = {**result.report, "project": str(project), "sequence": timeline.name,
              "fps": str(FrameRate(timeline.fps)), "duration": format_clock(len(result.z), timeline.fps),
              "sources": {s.label: hit.how for s, hit in zip(picks.sources, hits)},
              "overlays": overlays(picks, timeline.fps),
              "problems": problems + result.report.get("problems", []),
              "notes": list(dict.fromkeys([*timeline.notes, *result.report["notes"]]))}  # the reader's too
    meta = provenance(
        "conform", parents=sorted({str(h.seq.meta["id"]) for h in hits if h.seq is not None and h.seq.meta.get("id")}),
        model=edit_provenance(picks, result.kept, [h.seq.meta if h.seq is not None else None for h in hits]),
        project=str(project), sequence=timeline.name,
        conform={k: report[k] for k in ("frames_from", "blended_frames", "gap_frames", "frames_without_z")})
    return Conformed(ZSequence(result.z, FrameRate(timeline.fps), meta), report, timeline, picks, result.kept,
                     [z is not None for z in zs])

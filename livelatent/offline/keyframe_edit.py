"""Keyframe edits: one smooth path through the keyframes an edit's cuts and guides time.

    seq, report = keyframe_conform("edit.kdenlive", KeyframeOptions(), gaps="hold")
    seq, report = keyframe_retime(conformed, KeyframeOptions(method="geodesic"), keys="recorded")

keyframe_conform conforms the edit as usual (offline/conform_edit.py), takes one keyframe
per clip and per guide from it (keyframes.py), and replaces the rows with the path through
them (motion/keyframe_path.py, evened by motion/even_keyframes.py when a generator is given):
one row per timeline frame at the project's rate, each keyframe's z on its frame (spline).
keyframe_retime does the same for a z-sequence already conformed or recorded: keyframes
where z jumps (keyframe_cuts.py), at an edit's guides, or the ones its sidecar records.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Callable

import numpy as np

from livelatent.errors import ProjectError, UsageError
from livelatent.edit.keyframe_cuts import cut_keyframes
from livelatent.edit.keyframe_record import record, recorded
from livelatent.edit.keyframes import PLACES, Keyframe, check_keys, check_place, edit_keyframes
from livelatent.motion.even_keyframes import even_keyframes
from livelatent.motion.keyframe_path import KEYFRAME_METHODS, KeyframePath
from livelatent.motion.metrics import measure
from livelatent.motion.params import MOVERS, MotionParams
from livelatent.offline.conform_edit import conform_edit
from livelatent.common.zseq import ZSequence


@dataclass(frozen=True)
class KeyframeOptions:
    """How the path goes through the keyframes. generator_for(meta): the generator that even
    speed decodes with (None: no even speed), given the sidecar of what is retimed."""

    method: str = "spline"
    at: str = "start"
    keys: str = "both"
    params: MotionParams = field(default_factory=MotionParams)
    generator_for: Callable[[dict], object] | None = None
    oversample: int = 4

    def __post_init__(self) -> None:
        if self.method not in KEYFRAME_METHODS:
            raise UsageError(f"keyframe path {self.method!r}: expected one of {', '.join(KEYFRAME_METHODS)}")
        check_place(self.at)


def keyframe_conform(project: str | os.PathLike, options: KeyframeOptions, **conform_options) -> tuple[ZSequence, dict]:
    """The edit's keyframe path and the conform's report with a "keyframes" summary."""
    done = conform_edit(project, **conform_options)
    found = edit_keyframes(done.picks, done.kept, done.has_z, at=options.at, keys=options.keys,
                           guides=done.timeline.guides, pause_gaps=conform_options.get("gaps", "hold") == "hold",
                           pause_foreign=conform_options.get("foreign", "hold") == "hold")
    keys = done.seq.z[found.rows].astype(np.float64)
    seq, summary = _through(done.seq, keys, found.keyframes, found.pauses, options, at=options.at)
    summary["notes"] = found.notes
    return seq, {**done.report, "keyframes": summary}


def keyframe_retime(seq: ZSequence, options: KeyframeOptions, *, keys: str = "cuts", guides=(),
                    where: str = "the z-sequence") -> tuple[ZSequence, dict]:
    """A z-sequence re-timed through keyframes of its own: "cuts" (rows where z jumps),
    "guides" (timeline.Guide values of an edit cut at its rate), "both", or "recorded"."""
    if keys == "recorded":
        z, keyframes, pauses = recorded(seq.meta, len(seq), seq.d, where)
        made = seq.meta.get("keyframe_path")
        at = made.get("at") if isinstance(made, dict) and made.get("at") in PLACES else None
        return _through(seq, z, keyframes, pauses, options, at=at)
    check_keys(keys)
    found: dict[int, Keyframe] = {}
    if keys in ("cuts", "both"):
        found = {r: Keyframe(r, "cut", r) for r in cut_keyframes(seq.z, options.at)}
    if keys in ("guides", "both"):
        if not guides:
            raise ProjectError(f"{where}: the edit has no guides (timeline markers)")
        for guide in guides:
            if not 0 <= guide.frame < len(seq):
                raise ProjectError(f"{where}: guide {guide.comment!r} at frame {guide.frame} is past its last "
                                   f"frame {len(seq) - 1}")
            kind = "cut+guide" if guide.frame in found else "guide"
            found[guide.frame] = Keyframe(guide.frame, kind, guide.frame, guide=guide.comment)
    rows = sorted(found)
    return _through(seq, seq.z[rows].astype(np.float64), [found[r] for r in rows], [], options, at=options.at)


def _through(seq: ZSequence, keys: np.ndarray, keyframes: list[Keyframe], pauses, options: KeyframeOptions,
             at: str | None):
    """seq's rows replaced by the path through keys on the keyframes' rows, with the record;
    at: where in each clip the keyframes were placed (None: not known)."""
    rows = [k.row for k in keyframes]
    path = KeyframePath(keys, rows, len(seq), seq.fps, method=options.method, params=options.params, pauses=pauses)
    summary = {"method": options.method, "at": at, "count": len(rows),
               "kinds": {kind: sum(k.kind == kind for k in keyframes) for kind in dict.fromkeys(k.kind for k in keyframes)},
               "pauses": [list(p) for p in pauses]}
    if options.method in MOVERS:
        summary["motion"] = {n: getattr(options.params, n) for n in ("settle_time", "damping", "shell_stiffness",
                                                                     "speed_limit")}
    if options.generator_for is not None:
        result = even_keyframes(path, options.generator_for(seq.meta), oversample=options.oversample)
        z = result.z
        summary["even_speed"] = {"before": result.variation_before, "after": result.variation_after}
    else:
        z = path.sample()
    report = measure(z, float(seq.fps.value), keys=rows)
    summary.update(velocity_jump=report.velocity_jump, shell_deviation=report.shell_deviation)
    meta = {**seq.meta, **record(keyframes, keys, pauses), "keyframe_path": {k: v for k, v in summary.items()}}
    return ZSequence(z.astype(np.float32), seq.fps, meta), summary


def edit_guides(edit: str | os.PathLike, fps) -> tuple:
    """The guides of an edit cut at `fps` (the z-sequence's rate)."""
    from livelatent.offline.edit_reader import read_edit

    timeline = read_edit(Path(edit))
    if Fraction(timeline.fps) != Fraction(fps):
        raise ProjectError(f"{edit}: cut at {timeline.fps} fps, but the z-sequence is at {fps} fps")
    return timeline.guides

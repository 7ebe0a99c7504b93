"""Keyframes of an edit: one per clip (where in it: start, middle or end) and one per guide.

    found = edit_keyframes(picks, kept, z, at="start", keys="both", guides=timeline.guides)
    found.rows, found.keyframes, found.pauses

A conformed timeline (conform.Picks, the rows it kept, their z) is cut into runs: the rows
whose z one clip gives (its strongest column). A clip's keyframe sits on the first, middle
or last of its rows where it shows alone, so a crossfade between two clips is never a
keyframe but the way from one to the other; a clip that only ever shows blended takes its
strongest rows. A guide's keyframe holds the z the conform gives on its frame. Frames with no
z of their own (gaps, foreign clips) that the conform holds become pauses of the path.
Pure: numpy and the timeline model only; the sidecar record is in keyframe_record.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from livelatent.edit.picks import NONE, Picks
from livelatent.errors import ProjectError, UsageError

PLACES = ("start", "middle", "end")
KEY_SOURCES = ("cuts", "guides", "both")


@dataclass(frozen=True)
class Keyframe:
    """A keyframe of the result: its row (= timeline frame unless frames were skipped), why it
    is one ("cut", "guide" or "cut+guide"), and where its z comes from."""

    row: int
    kind: str
    timeline_frame: int
    clip: str = ""
    source: str = ""
    source_frame: float | None = None
    guide: str = ""


@dataclass
class KeyframeSet:
    keyframes: list[Keyframe]
    pauses: list[tuple[int, int]]  # output rows held still (inclusive)
    notes: list[str] = field(default_factory=list)

    @property
    def rows(self) -> list[int]:
        return [k.row for k in self.keyframes]


def check_place(at: str) -> None:
    if at not in PLACES:
        raise UsageError(f"`keyframe_at` {at!r}: expected one of {', '.join(PLACES)}", setting="keyframe_at")


def place(rows: np.ndarray, at: str) -> int:
    """The row of a run (its candidate rows, increasing) a keyframe sits on."""
    check_place(at)
    return int(rows[0] if at == "start" else rows[-1] if at == "end" else rows[len(rows) // 2])


def check_keys(keys: str) -> None:
    if keys not in KEY_SOURCES:
        raise UsageError(f"`keys` {keys!r}: expected one of {', '.join(KEY_SOURCES)}", setting="keys")


def edit_keyframes(picks: Picks, kept: np.ndarray, has_z: list[bool], *, at: str = "start", keys: str = "both",
                   guides=(), pause_gaps: bool = True, pause_foreign: bool = True) -> KeyframeSet:
    """Keyframes and pauses of a conformed edit, in output rows.

    kept: the timeline frame of each output row; has_z[s]: source s has a z-sequence; guides:
    timeline.Guide values; pause_gaps / pause_foreign: the conform holds gaps / foreign frames
    (its "hold" policies), which the path then holds too."""
    check_keys(keys)
    kept = np.asarray(kept, dtype=np.int64)
    row_of = {int(t): r for r, t in enumerate(kept)}
    lead, solo, weight = _leading(picks, has_z)
    found: dict[int, Keyframe] = {}
    if keys in ("cuts", "both"):
        for run in _runs(lead[kept]):
            rows = run[solo[kept[run]]] if solo[kept[run]].any() else run[_strongest(weight[kept[run]])]
            row = place(rows, at)
            found[row] = _cut(picks, lead, row, int(kept[row]))
    notes = []
    if keys in ("guides", "both"):
        if keys == "guides" and not guides:
            raise ProjectError("the edit has no guides (timeline markers); expected `keys` cuts or guides in the edit",
                               setting="keys")
        for guide in guides:
            row = row_of.get(guide.frame)
            if row is None:
                notes.append(f"guide {guide.comment or ''!r} at frame {guide.frame} is not in the result; left out")
                continue
            before = found.get(row)
            found[row] = Keyframe(row, "cut+guide" if before else "guide", guide.frame, before.clip if before else "",
                                  before.source if before else "", before.source_frame if before else None,
                                  guide.comment)
    if not found:
        raise ProjectError("the edit gives no keyframes: no clip with a z-sequence shows on any frame")
    held = np.zeros(len(picks), bool)
    empty = picks.empty
    held |= empty & pause_gaps
    held |= (lead == NONE) & ~empty & pause_foreign
    pauses = _pauses(held[kept], sorted(found))
    return KeyframeSet([found[r] for r in sorted(found)], pauses, notes)


def _leading(picks: Picks, has_z: list[bool]):
    """Per timeline frame: the segment giving most of its z (NONE: none), whether it is the
    only one, and its weight among the sources that have a z."""
    usable = np.array(list(has_z) + [False], bool)[picks.src]  # NONE indexes the last
    w = np.where(usable, picks.weight, 0.0)
    col = w.argmax(axis=1)
    rows = np.arange(len(picks))
    lead = np.where(w[rows, col] > 0, picks.seg[rows, col], NONE)
    solo = (w > 0).sum(axis=1) == 1
    total = w.sum(axis=1)
    return lead, solo, np.where(total > 0, w[rows, col] / np.where(total > 0, total, 1), 0.0)


def _runs(lead: np.ndarray) -> list[np.ndarray]:
    """Runs of consecutive rows led by one segment (rows led by none are no run)."""
    cuts = np.flatnonzero(np.diff(lead)) + 1
    return [run for run in np.split(np.arange(len(lead)), cuts) if len(run) and lead[run[0]] != NONE]


def _strongest(weight: np.ndarray) -> np.ndarray:
    return weight >= weight.max() - 1e-9


def _cut(picks: Picks, lead: np.ndarray, row: int, t: int) -> Keyframe:
    seg, _track = picks.segments[lead[t]]
    cols = np.flatnonzero(picks.seg[t] == lead[t])
    pos = float(picks.pos[t, cols[0]]) if len(cols) else None
    source = picks.sources[picks.src[t, cols[0]]].label if len(cols) else ""
    return Keyframe(row, "cut", t, seg.label or seg.source_label, source,
                    int(pos) if pos is not None and pos == int(pos) else pos)


def _pauses(held: np.ndarray, keyframe_rows: list[int]) -> list[tuple[int, int]]:
    """Runs of held rows, split around any keyframe inside them (a guide in a gap)."""
    held = held.copy()
    held[keyframe_rows] = False
    edges = np.flatnonzero(np.diff(np.concatenate([[0], held.astype(np.int8), [0]])))
    return [(int(a), int(b) - 1) for a, b in zip(edges[::2], edges[1::2])]

"""Cuts in a z-sequence that was conformed or recorded: the rows where z jumps.

    rows = cut_keyframes(seq.z, at="start")       # one keyframe row per clip the rows show

A step from row i to i+1 is a jump when it is JUMP times the median of the steps around it
(JUMP_WINDOW each side): inside a clip neighbouring steps are alike, across a cut the step is
the distance between two clips, and in a conformed stills edit any step out of a hold is one.
The clips are the runs between jumps. Within a run that holds still somewhere (stills, with
or without crossfades between them), each hold (rows all equal) is a clip and the moving
rows between two holds are a crossfade, the way from one to the other; a run that never holds
is one clip (a take, a journey). Where in each clip its keyframe sits: keyframes.place.
"""

from __future__ import annotations

import numpy as np

from livelatent.keyframes import place

JUMP = 4.0
JUMP_WINDOW = 4


def steps(z: np.ndarray) -> np.ndarray:
    """|z[i+1] - z[i]|, float64 (n-1,)."""
    return np.linalg.norm(np.diff(np.asarray(z, dtype=np.float64), axis=0), axis=1)


def jumps(step: np.ndarray) -> np.ndarray:
    """Indices i whose step (row i to i+1) is a jump."""
    if not len(step):
        return np.zeros(0, np.int64)
    padded = np.concatenate([np.full(JUMP_WINDOW, np.nan), step, np.full(JUMP_WINDOW, np.nan)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * JUMP_WINDOW + 1)
    around = np.delete(windows, JUMP_WINDOW, axis=1)  # the step itself left out
    with np.errstate(all="ignore"):
        median = np.nan_to_num(np.nanmedian(np.where(np.isnan(around).all(axis=1)[:, None], 0.0, around), axis=1))
    return np.flatnonzero((step > 0) & (step > JUMP * median))


def clips(z: np.ndarray) -> list[np.ndarray]:
    """The rows of each clip, in order (see the module's rules)."""
    step = steps(z)
    bounds = [0, *(jumps(step) + 1), len(z)]
    found = []
    for a, b in zip(bounds, bounds[1:]):
        found += _clips_in_run(np.arange(a, b), step[a:b - 1])
    return found


def _clips_in_run(rows: np.ndarray, step: np.ndarray) -> list[np.ndarray]:
    """A run's holds (when it has any), else the whole run."""
    still = step == 0
    if not still.any():
        return [rows]
    edges = np.flatnonzero(np.diff(np.concatenate([[0], still.astype(np.int8), [0]])))
    # a hold over steps a..b-1 holds rows a..b
    return [rows[a:b + 1] for a, b in zip(edges[::2], edges[1::2])]


def cut_keyframes(z: np.ndarray, at: str = "start") -> list[int]:
    """One keyframe row per clip of the z-sequence, at its start, middle or end."""
    return [place(rows, at) for rows in clips(z)]

"""Render a project with Debian's melt and compare every frame with the conform's picks.

Clips are the coded clips of coded_media.py named `c<code>.<ext>`, so a source's clip code is
in its file name. A frame agrees when melt shows the clip and frame the conform picked, a plain
(black, grey or white) frame where the conform has nothing, or, for a blend, the same sources with
weights within 0.01 (fitted by least squares to the block levels).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np

from livelatent.edit.picks import NONE, Picks

from .coded_media import code_bits, decode, read_levels

MELT = shutil.which("melt")
# melt's environment: conftest's melt_display adds a DISPLAY for its Qt module (qtblend, titles)
MELT_ENV = {"QT_QPA_PLATFORM": "offscreen"}
# melt 7.12 sometimes hangs at start-up, or writes an empty file, when several run at once
# (about 1 render in 200, whatever the project): such a render is retried after a pause, not failed
TRIES, TIMEOUT_S = 4, 30


class MeltError(RuntimeError):
    """melt failed on every try."""


def melt_copy(project: Path) -> Path:
    """The copy melt renders. Like Kdenlive's own render, it says avformat for
    avformat-novalidate (which Debian's melt 7.12 cannot load), and it names the timeremap
    keyframes `map`, as MLT before 7.14 (Debian's 7.12) calls them."""
    copy = project.with_name(project.stem + ".melt.mlt")
    text = project.read_text().replace("avformat-novalidate", "avformat")
    copy.write_text(text.replace('name="time_map"', 'name="map"'))
    return copy


def render_levels(project: Path, frames: int, first: int = 0, consumer: tuple[str, ...] = (),
                  timeout_s: float = TIMEOUT_S) -> np.ndarray:
    """Block levels of frames first..frames-1 as melt renders them (trying again on a hang);
    consumer: more consumer properties (width=64 height=36 renders a larger profile small)."""
    copy = melt_copy(project)
    out = project.with_suffix(".render.mkv")
    env = {**os.environ, **MELT_ENV}
    # Kdenlive pads its timelines with ~20 min of black; render the content only, as it does
    args = [MELT, "-quiet", copy.name, f"in={first}", f"out={frames - 1}", "-consumer", f"avformat:{out.name}",
            "vcodec=ffv1", "an=1", "real_time=-1", *consumer]
    problem = ""
    for attempt in range(TRIES):
        if attempt:
            time.sleep(2 ** attempt)  # what made it fail (other renders starting) passes
        out.unlink(missing_ok=True)
        try:
            run = subprocess.run(args, cwd=project.parent, env=env, timeout=timeout_s, capture_output=True)
        except subprocess.TimeoutExpired:
            problem = f"melt hung for {timeout_s} s"
            continue
        if run.returncode == 0 and out.exists() and out.stat().st_size > 0:
            return read_levels(out)
        problem = f"melt exit {run.returncode}, {out.stat().st_size if out.exists() else 'no'} bytes written: " \
                  f"{run.stderr.decode(errors='replace')[-300:]}"
    raise MeltError(f"{project.name}: {problem} ({TRIES} tries)")


def expected_columns(picks: Picks, t: int, code_of) -> list[tuple[int, int, float]]:
    """(clip code, frame, weight) of frame t, equal sources merged, zero weights dropped; a
    source without a code (a colour, a blank frame past a clip's end) shows a plain frame."""
    merged: dict[tuple[int, int], float] = {}
    for s, p, w in zip(picks.src[t], picks.pos[t], picks.weight[t]):
        if s != NONE and w > 0 and code_of[s] is not None:
            key = (code_of[s], int(p))
            merged[key] = merged.get(key, 0.0) + float(w)
    return [(c, f, w) for (c, f), w in merged.items() if w > 1e-6]


def fitted_weights(levels: np.ndarray, sources: list[tuple[int, int]], keep=slice(None)) -> tuple[np.ndarray, float]:
    """Least-squares weights of the coded frames `sources` in `levels` (the blocks `keep`),
    and the worst residual."""
    basis = np.stack([code_bits(c, f)[keep] for c, f in sources], axis=1)
    weights, *_ = np.linalg.lstsq(basis, levels, rcond=None)
    return weights, float(np.abs(levels - basis @ weights).max())


def frame_problem(levels: np.ndarray, cols: list[tuple[int, int, float]], *, masked=(), tolerance: float = 0.01,
                  additive: bool = False) -> str | None:
    """None when melt's frame agrees with the conform's columns, else what differs. masked:
    blocks something is drawn over (an inset); tolerance: of blend weights; additive: a blend
    shows a + b (white wherever either is) and the conform weighs both alike."""
    seen = decode(levels, masked)
    keep = np.ones(len(levels), bool)
    keep[list(masked)] = False
    if not cols:  # nothing: black over a background, else one of melt's plain test cards
        blank = levels[keep].max() - levels[keep].min() < 0.05
        return None if seen is None and blank else f"conform nothing, melt shows {seen}"
    if len(cols) == 1:  # a picture without a code (a title, a colour) shows no code either
        want = cols[0][:2] if cols[0][0] is not None else None
        return None if seen == want else f"conform {cols[0][:2]}, melt shows {seen}"
    if additive:
        added = np.max([code_bits(c, f) for c, f, _ in cols], axis=0)
        if np.abs(levels - added)[keep].max() < 0.08 and len({w for *_, w in cols}) == 1:
            return None
        return f"conform {[(c, f, round(w, 3)) for c, f, w in cols]}, melt shows no sum of them ({seen})"
    weights, residual = fitted_weights(levels[keep], [c[:2] for c in cols], keep)
    want = np.array([c[2] for c in cols])
    if residual < 0.05 and np.abs(weights - want).max() < tolerance:
        return None
    return (f"conform blend {[(c, f, round(w, 3)) for c, f, w in cols]}, melt fits weights "
            f"{np.round(weights, 3).tolist()} (residual {residual:.3f}; decodes as {seen})")


def compare(picks: Picks, levels: np.ndarray, first: int = 0, **frame_options) -> list[str]:
    """Every timeline frame (from `first` on) where the conform's picks differ from melt's
    frames; frame_options as frame_problem takes them."""
    code_of = [int(Path(s.path).stem[1:]) if s.has_frames else None for s in picks.sources]
    problems = []
    if len(levels) + first != len(picks):
        problems.append(f"melt rendered {len(levels) + first} frames, the conform has {len(picks)}")
    for t in range(first, min(len(levels) + first, len(picks))):
        problem = frame_problem(levels[t - first], expected_columns(picks, t, code_of), **frame_options)
        if problem:
            problems.append(f"frame {t}: {problem}")
    return problems

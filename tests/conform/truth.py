"""Picks as lines of melt's truth format, and the frames where two such answers differ.

One line per timeline frame: `CLIP FRAME`, `blank`, or `mix A a -> B b w WEIGHT` (the weight
of B), as in ../shared/conform-cases/*/truth.txt. Blends agree when they name the same two
frames and their weights differ by less than 0.01.
"""

from __future__ import annotations

from typing import Callable

from livelatent.edit.picks import NONE, Picks
from livelatent.edit.timeline import Source


def describe(picks: Picks, clip_id: Callable[[Source], int]) -> list[str]:
    lines = []
    for t in range(len(picks)):
        cols = [(clip_id(picks.sources[s]), int(p), float(w))
                for s, p, w in zip(picks.src[t], picks.pos[t], picks.weight[t]) if s != NONE and w > 0]
        if not cols:
            lines.append("blank")
        elif len(cols) == 1:
            lines.append(f"{cols[0][0]} {cols[0][1]}")
        else:
            (ca, fa, _), (cb, fb, wb) = cols[:2]
            lines.append(f"mix {ca} {fa} -> {cb} {fb} w {wb:.3f}")
    return lines


def _same(ours: str, truth: str) -> bool:
    if ours.startswith("mix") and truth.startswith("mix"):
        a, b = ours.split(), truth.split()
        return a[1:6] == b[1:6] and abs(float(a[7]) - float(b[7])) < 0.01
    return ours == truth


def mismatches(ours: list[str], truth: list[str]) -> list[str]:
    """'frame T: conform X, melt Y' for every frame that differs, and a count mismatch."""
    problems = [] if len(ours) == len(truth) else [f"the conform has {len(ours)} frames, melt {len(truth)}"]
    problems += [f"frame {t}: conform {a!r}, melt {b!r}" for t, (a, b) in enumerate(zip(ours, truth))
                 if not _same(a, b)]
    return problems

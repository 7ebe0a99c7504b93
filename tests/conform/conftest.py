"""Coded clips, melt renders and the frame-by-frame comparison with the conform."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from livelatent.offline.conform_edit import conform_picks

from .coded_media import write_clip
from .kdenlive_writer import Clip
from .melt_check import MELT, compare, render_levels

requires_melt = pytest.mark.skipif(MELT is None, reason="needs Debian's melt (apt install melt frei0r-plugins)")

# code -> (frames, fps) of the test clips, all in one folder beside the projects
CLIPS = {1: (90, Fraction(25)), 2: (90, Fraction(25)), 3: (90, Fraction(30)),
         4: (90, Fraction(30000, 1001)), 5: (90, Fraction(25))}


@pytest.fixture(scope="session")
def media(tmp_path_factory) -> tuple[Path, dict[int, Clip]]:
    folder = tmp_path_factory.mktemp("conform_media")
    clips = {}
    for code, (frames, fps) in CLIPS.items():
        write_clip(folder / f"c{code}.mkv", code, frames, fps)
        clips[code] = Clip(code, Path(f"c{code}.mkv"), frames, fps)
    return folder, clips


def mismatches_with_melt(project: Path, first: int = 0) -> list[str]:
    """Every timeline frame (from `first` on) where the conform's picks differ from melt's."""
    picks = conform_picks(project)
    return compare(picks, render_levels(project, len(picks), first), first)

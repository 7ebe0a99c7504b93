"""Coded clips, melt renders and the frame-by-frame comparison with the conform."""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from livelatent.offline.conform_edit import conform_picks

from tests.xvfb import running_xvfb

from .coded_media import coded_rows, decode, write_clip
from .kdenlive_writer import Clip
from .melt_check import MELT, MELT_ENV, compare, render_levels

requires_melt = pytest.mark.skipif(MELT is None, reason="needs Debian's melt (apt install melt frei0r-plugins)")

# code -> (frames, fps) of the test clips, all in one folder beside the projects
CLIPS = {1: (90, Fraction(25)), 2: (90, Fraction(25)), 3: (90, Fraction(30)),
         4: (90, Fraction(30000, 1001)), 5: (90, Fraction(25))}


@pytest.fixture(scope="session", autouse=True)
def melt_display():
    """An X display for melt's Qt module (qtblend, kdenlivetitle, qimage), which Kdenlive's
    own renders have: Debian's melt 7.12 refuses to load it without one."""
    if MELT is None or shutil.which("Xvfb") is None:
        yield None
        return
    with running_xvfb() as display:
        MELT_ENV["DISPLAY"] = display
        yield display
        MELT_ENV.pop("DISPLAY", None)


@pytest.fixture(scope="session")
def media(tmp_path_factory) -> tuple[Path, dict[int, Clip]]:
    folder = tmp_path_factory.mktemp("conform_media")
    clips = {}
    for code, (frames, fps) in CLIPS.items():
        write_clip(folder / f"c{code}.mkv", code, frames, fps)
        clips[code] = Clip(code, Path(f"c{code}.mkv"), frames, fps)
    return folder, clips


@pytest.fixture(scope="session")
def coded_media(media, tmp_path_factory) -> tuple[Path, dict[int, Clip]]:
    """The test clips in a folder of their own, each with a z-sequence beside it whose row i
    names (clip, i): a conformed row says which source frame it came from."""
    from livelatent.common import zseq
    from livelatent.common.zseq import ZSequence

    folder = tmp_path_factory.mktemp("coded_media")
    for code, clip in media[1].items():
        shutil.copy(media[0] / clip.path, folder / clip.path)
        zseq.save(ZSequence(coded_rows(code, clip.frames), clip.fps, {"id": f"coded{code}"}), folder / f"c{code}")
    return folder, media[1]


def conformed_rows_vs_melt(project: Path, **options) -> list[str]:
    """Every frame where the conformed z row names another (clip, frame) than melt shows."""
    from livelatent.offline.conform_edit import conform_project

    seq, _ = conform_project(project, **options)
    levels = render_levels(project, len(seq))
    problems = [f"melt rendered {len(levels)} frames, the conform has {len(seq)}"] if len(levels) != len(seq) else []
    for t, (row, level) in enumerate(zip(seq.z, levels)):
        want, seen = (int(round(row[0])), int(round(row[1]))), decode(level)
        if seen != want:
            problems.append(f"frame {t}: conform {want}, melt shows {seen}")
    return problems


def mismatches_with_melt(project: Path, first: int = 0, *, masked=(), tolerance: float = 0.01,
                         additive: bool = False, **pick_options) -> list[str]:
    """Every timeline frame (from `first` on) where the conform's picks differ from melt's.

    masked: code blocks an inset or overlay covers; tolerance: of blend weights; additive:
    blends are an additive composition (melt shows a + b, the conform weighs both alike)."""
    picks = conform_picks(project, **pick_options)
    return compare(picks, render_levels(project, len(picks), first), first, masked=masked, tolerance=tolerance,
                   additive=additive)

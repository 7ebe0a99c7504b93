"""Coded clips, melt renders and the frame-by-frame comparison with the conform."""

from __future__ import annotations

import os
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from livelatent.adapters.kdenlive import read_project
from livelatent.conform import NONE, pick

from tests.xvfb import running_xvfb

from .coded_media import added, blend_weight, coded_rows, decode, read_levels, write_clip
from .kdenlive_writer import Clip

MELT = shutil.which("melt")
_MELT_ENV = {"QT_QPA_PLATFORM": "offscreen"}
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
    with running_xvfb(first=131) as display:
        _MELT_ENV["DISPLAY"] = display
        yield display
        _MELT_ENV.pop("DISPLAY", None)


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
    from livelatent import zseq
    from livelatent.zseq import ZSequence

    folder = tmp_path_factory.mktemp("coded_media")
    for code, clip in media[1].items():
        shutil.copy(media[0] / clip.path, folder / clip.path)
        zseq.save(ZSequence(coded_rows(code, clip.frames), clip.fps, {"id": f"coded{code}"}), folder / f"c{code}")
    return folder, media[1]


def conformed_rows_vs_melt(project: Path, **options) -> list[str]:
    """Every frame where the conformed z row names another (clip, frame) than melt shows."""
    from livelatent.offline.conform_edit import conform_project

    seq, _ = conform_project(project, **options)
    levels = render_with_melt(project, len(seq))
    problems = [f"melt rendered {len(levels)} frames, the conform has {len(seq)}"] if len(levels) != len(seq) else []
    for t, (row, level) in enumerate(zip(seq.z, levels)):
        want, seen = (int(round(row[0])), int(round(row[1]))), decode(level)
        if seen != want:
            problems.append(f"frame {t}: conform {want}, melt shows {seen}")
    return problems


def render_with_melt(project: Path, frames: int, first: int = 0) -> np.ndarray:
    """Block levels of every frame melt renders. Like Kdenlive's own render, the copy given
    to melt says avformat for avformat-novalidate (which Debian's melt 7.12 cannot load), and
    it names the timeremap keyframes `map`, as MLT before 7.14 (Debian's 7.12) calls them."""
    melt_copy = project.with_name(project.stem + ".melt.mlt")
    text = project.read_text().replace("avformat-novalidate", "avformat")
    melt_copy.write_text(text.replace('name="time_map"', 'name="map"'))
    out = project.with_suffix(".render.mkv")
    env = {**os.environ, **_MELT_ENV}
    # Kdenlive pads its timelines with ~20 min of black; render the content only, as it does
    subprocess.run([MELT, "-quiet", melt_copy.name, f"in={first}", f"out={frames - 1}", "-consumer", f"avformat:{out.name}", "vcodec=ffv1",
                    "an=1", "real_time=-1"], cwd=project.parent, env=env, check=True, timeout=120,
                   capture_output=True)
    return read_levels(out)


def mismatches_with_melt(project: Path, first: int = 0, *, masked=(), tolerance: float = 0.01,
                         additive: bool = False, **pick_options) -> list[str]:
    """Every timeline frame (from `first` on) where the conform's picks differ from melt's.

    masked: code blocks an inset or overlay covers; tolerance: of blend weights; additive:
    blends are an additive composition (melt shows a + b, the conform weighs both alike)."""
    timeline = read_project(project)
    picks = pick(timeline, **pick_options)
    levels = np.concatenate([np.zeros((first, 32)), render_with_melt(project, len(picks), first)])
    code_of = [int(Path(s.path).stem[1:]) if s.path else None for s in picks.sources]
    problems = []
    if len(levels) != len(picks):
        problems.append(f"melt rendered {len(levels)} frames, the conform has {len(picks)}")
    for t in range(first, min(len(levels), len(picks))):
        cols = [(code_of[s], int(p), float(w)) for s, p, w in zip(picks.src[t], picks.pos[t], picks.weight[t])
                if s != NONE and w > 0]
        seen = decode(levels[t], masked)
        if not cols:
            ok = seen is None and levels[t].max() < 0.05
            want = "black"
        elif len(cols) == 1:  # a picture without a code (a title, a colour) shows no code either
            ok, want = seen == (cols[0][:2] if cols[0][0] is not None else None), cols[0][:2]
        elif additive:
            (ca, fa, wa), (cb, fb, wb) = cols[0], cols[1]
            ok, want = added(levels[t], (ca, fa), (cb, fb), masked) and wa == wb, f"{(ca, fa)} + {(cb, fb)}"
        else:
            (ca, fa, _), (cb, fb, wb) = cols[0], cols[1]
            w, residual = blend_weight(levels[t], (ca, fa), (cb, fb), masked)
            ok = abs(w - wb) < tolerance and residual < 0.05
            want = f"{(ca, fa)}->{(cb, fb)} w={wb:.3f} (melt: w={w:.3f}, residual {residual:.3f})"
        if not ok:
            problems.append(f"frame {t}: conform {want}, melt shows {seen}")
    return problems

"""Real Kdenlive projects with substituted media, played by melt and judged frame by frame.

Every media file a sample project plays is replaced by a coded clip whose frames show their
own (clip, frame) code (sample_copy.py: the copy, its clips and what it neutralises). melt
renders the copy 256 pixels wide at the profile's display aspect (256x144 for 16:9), and each
frame is judged by what the conform says it is:
  single   the conform takes the frame from one clip that fills it, or melt shows one clip's
           code: agree when both say the same clip and frame (a clip zoomed or moved by a
           transform is read where the conform says it is drawn: agree when the blocks in
           view, at least half the code, show its bits);
  blend    the conform blends clips: agree when melt's frame fits the same clips with
           weights within 0.02 (a flat colour, title or image counted as one more picture);
  overlaid the conform's clip fills the frame, with overlays drawn on it (a title, an inset,
           a clip shrunk or moved): agree when the code reads through them (a hidden block
           read from its complement); melt showing the topmost overlay's own code instead is
           a disagreement (the overlay fills the frame after all); otherwise the overlays
           hide the code and the frame is counted as hidden, not judged;
  unfilled no clip fills the frame (a fade or an inset over black, a split screen, a clip of
           another shape): agree when the clip's code reads where the conform says it is
           drawn, or whole (levels stretched: a fade darkens it); otherwise counted as
           unfilled, not judged.
Frames of titles, colours and images alone are not judged (no code to read).

    .venv/bin/python -m tests.conform.samples                      # the copied samples, all frames
    .venv/bin/python -m tests.conform.samples ../shared/kdenlive-samples/*/*.kdenlive --first 2000
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from lxml import etree

from livelatent.adapters.kdenlive import read_project
from livelatent.edit.layering import Placement
from livelatent.edit.picks import NONE, pick
from livelatent.errors import LivelatentError
from tests.xvfb import running_xvfb

from .coded_media import BITS, code_bits, decode, levels_in_box, read_lumas, visible_bits
from .melt_check import MELT_ENV, MeltError, expected_columns, render_levels
from .sample_copy import Substitution

COPIED = sorted((Path(__file__).resolve().parents[1] / "data" / "kdenlive").glob("*.kdenlive"))
SHARED = sorted((Path(__file__).resolve().parents[3] / "shared" / "kdenlive-samples").glob("*/*.kdenlive"))
ZOOM = 4  # the render is this many times the coded clips' size: a code drawn small still reads
COUNTS = ("frames", "single", "single_agree", "blend", "blend_agree", "hidden", "unfilled")


@dataclass
class Judgement:
    project: str
    frames: int = 0
    single: int = 0
    single_agree: int = 0
    blend: int = 0
    blend_agree: int = 0
    hidden: int = 0  # the conform's clip under overlays that hide its code
    unfilled: int = 0  # no clip fills the frame, and melt's picture shows no code
    examples: list[str] = field(default_factory=list)
    refused: str = ""

    def line(self) -> str:
        if self.refused:
            return f"{self.project}: not judged ({self.refused})"
        return (f"{self.project}: {self.single_agree}/{self.single} single-clip frames agree, "
                f"{self.blend_agree}/{self.blend} blended; not judged: {self.hidden} under overlays, "
                f"{self.unfilled} unfilled ({self.frames} frames)")

    def add(self, other: "Judgement") -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def agrees(self) -> bool:
        return not self.refused and (self.single_agree, self.blend_agree) == (self.single, self.blend)


def robust_decode(levels: np.ndarray) -> tuple[int, int] | None:
    """(clip, frame) read from each bit's block or, where that is not clean, its complement."""
    clean = np.abs(levels - np.round(levels)) < 0.08
    bits = []
    for i in range(BITS):
        votes = {int(round(levels[i]))} if clean[i] else set()
        if clean[i + BITS]:
            votes.add(1 - int(round(levels[i + BITS])))
        if len(votes) != 1:
            return None
        bits.append(votes.pop())
    value = sum(b << i for i, b in enumerate(bits))
    return value >> 12, value & 0xFFF


def project_name(project: Path) -> str:
    """The folder and the stem: several samples are called project, video or trailer (a copy
    in tests/data/kdenlive is named FOLDER__STEM)."""
    return project.stem.replace("__", "/") if "__" in project.stem else f"{project.parent.name}/{project.stem}"


def judge(project: Path, *, first: int | None = None, work: Path | None = None, keep: Path | None = None) -> Judgement:
    """Substitute, render and judge the first `first` frames (all when None); keep: a folder
    where the copy, its media and melt's render stay (to look into a disagreement)."""
    verdict = Judgement(project_name(project))
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        if keep is not None:
            tmp = keep / project_name(project).replace("/", "__")
            tmp.mkdir(parents=True, exist_ok=True)
        try:
            sub = Substitution(project, Path(tmp), first)
            copy = sub.write()
            timeline = read_project(copy)
        except LivelatentError as exc:
            verdict.refused = f"conform refused: {exc}"
            return verdict
        profile = etree.parse(str(copy)).getroot().find("profile")
        picks, top = pick(timeline), pick(timeline, layers="top")
        frames = min(len(picks), first or len(picks))
        # the consumer draws the profile small; given a size, melt also needs the rate again
        consumer = (f"width={sub.size[0] * ZOOM}", f"height={sub.size[1] * ZOOM}", "progressive=1",
                    f"frame_rate_num={profile.get('frame_rate_num')}", f"frame_rate_den={profile.get('frame_rate_den')}")
        try:
            # slow projects (four full-frame affine filters: 0.4 s a frame here) are not hangs
            levels = render_levels(copy, frames, consumer=consumer, timeout_s=60 + frames)
        except MeltError as exc:
            verdict.refused = str(exc)
            return verdict
        _judge_frames(verdict, picks, top, levels, _Placed(copy.with_suffix(".render.mkv"), picks, profile))
    return verdict


def _code(path) -> int | None:
    """The clip code of a substitute named c<code>-<n>.mkv."""
    match = re.fullmatch(r"c(\d+)-\d+", Path(path).stem) if path else None
    return int(match.group(1)) if match else None


def _codes(picks, t: int) -> list[tuple[int, int, float]]:
    code_of = [_code(s.path) if s.kind == "media" else None for s in picks.sources]
    return [(c, f % 4096, w) for c, f, w in expected_columns(picks, t, code_of)]


class _Placed:
    """Reads a frame's code where a transform draws the conform's clip (zoomed, moved)."""

    def __init__(self, render: Path, picks, profile):
        self.render, self.picks, self.lumas = render, picks, None
        self.frame = int(profile.get("width", 1920)), int(profile.get("height", 1080))

    def box(self, t: int) -> tuple[float, float, float, float] | None:
        """Where the clip of frame t is drawn (frame pixels), when one transform moves it."""
        seg = self.picks.segments[self.picks.seg[t, 0]][0]
        position = np.array([seg.in_frame + t - seg.start], np.float64)
        placed = [e.drawn(position) for e in seg.look if isinstance(e, Placement)]
        placed = [d for d in placed if d[0][0]]
        if len(placed) != 1 or placed[0][5][0] != 0 or not seg.start <= t < seg.start + seg.length:
            return None
        return tuple(float(v[0]) for v in placed[0][1:5])

    def agrees(self, t: int, want: tuple[int, int]) -> bool:
        box = self.box(t)
        if box is None:
            return False
        if self.lumas is None:
            self.lumas = read_lumas(self.render)
        y = self.lumas[t]
        scale = y.shape[1] / self.frame[0], y.shape[0] / self.frame[1]
        levels = levels_in_box(y, (box[0] * scale[0], box[1] * scale[1], box[2] * scale[0], box[3] * scale[1]))
        bits = visible_bits(_stretched(levels, 0.04))  # a fade over black darkens it
        code = code_bits(*want)
        return bits is not None and len(bits) >= BITS // 2 and all(code[i] == b for i, b in bits.items())


def _judge_frames(verdict: Judgement, picks, top, levels: np.ndarray, placed: _Placed) -> None:
    """top: the same edit's picks by the topmost clip, whatever it covers (its overlays);
    placed: reads a code drawn zoomed or moved."""
    code_of = [_code(s.path) if s.kind == "media" else None for s in picks.sources]
    verdict.frames = len(levels)
    for t, level in enumerate(levels):
        coded = _codes(picks, t)
        # the rest of the frame's weight: a colour, an emptied title, a grey image (flat pictures)
        flat = float(sum(w for s, w in zip(picks.src[t], picks.weight[t]) if s >= 0 and code_of[s] is None))
        if len(coded) >= 2 or (coded and flat > 0):
            verdict.blend += 1
            ok, fitted = _blend_agrees(level, coded, flat > 0)
            verdict.blend_agree += ok
            problem = f"frame {t}: conform blend {coded} (+{flat:.3f} flat), melt fits {fitted}"
        elif coded:
            ok, problem = _judge_single(verdict, t, level, coded[0][:2], picks, top, placed)
            if ok is None:
                continue
        elif robust_decode(level) is not None:
            verdict.single += 1
            ok, problem = False, f"frame {t}: conform None, melt shows {robust_decode(level)}"
        else:
            continue
        if not ok and len(verdict.examples) < 5:
            verdict.examples.append(problem)


def _judge_single(verdict: Judgement, t: int, level: np.ndarray, want, picks, top, placed) -> tuple[bool | None, str]:
    """(agrees, what differs) for a frame the conform takes from one clip; agrees is None
    when the frame is not judged (its code hidden by overlays, or no clip fills it)."""
    if picks.cover[t] < 1 - 1e-6:  # unfilled: read where the clip is drawn, or a faded frame whole
        if placed.agrees(t, want) or want in (decode(level), decode(_stretched(level))):
            verdict.single += 1
            verdict.single_agree += 1
            return True, ""
        verdict.unfilled += 1
        return None, ""
    seen = robust_decode(level)
    above = [c[:2] for c in _codes(top, t)] if picks.overlay[t] != NONE else []
    if seen != want and above and seen not in above:
        verdict.hidden += 1
        return None, ""
    verdict.single += 1
    ok = seen == want or (seen is None and not above and placed.agrees(t, want))
    verdict.single_agree += ok
    return ok, f"frame {t}: conform {want}, melt shows {seen}{' (the overlay)' if seen in above else ''}"


def _stretched(level: np.ndarray, least: float = 0.1) -> np.ndarray:
    """A faded picture's levels stretched to 0..1 (one flatter than `least` left as it is;
    blocks out of view, NaN, stay so)."""
    low, high = np.nanmin(level, initial=np.inf), np.nanmax(level, initial=-np.inf)
    return (level - low) / (high - low) if high - low > least else level


def _blend_agrees(level: np.ndarray, coded: list, flat: bool) -> tuple[bool, list]:
    """Whether melt's frame is the coded frames by the conform's weights (plus a flat picture)."""
    if len(coded) == 2 and not flat and coded[0][2] == coded[1][2]:  # an additive blend mode
        added = np.maximum(code_bits(*coded[0][:2]), code_bits(*coded[1][:2]))
        if np.abs(level - added).max() < 0.08:
            return True, "a + b"
    basis = [code_bits(c, f) for c, f, _ in coded] + ([np.ones(len(level))] if flat else [])
    weights, *_ = np.linalg.lstsq(np.stack(basis, axis=1), level, rcond=None)
    residual = np.abs(level - np.stack(basis, axis=1) @ weights).max()
    ok = residual < 0.05 and np.abs(weights[:len(coded)] - [w for *_, w in coded]).max() < 0.02
    return bool(ok), np.round(weights, 3).tolist()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("projects", nargs="*", type=Path, help="projects (default: the copied samples)")
    parser.add_argument("--first", type=int, default=None, help="judge only the first N frames of each")
    parser.add_argument("--keep", type=Path, default=None, help="leave each copy, its media and render in DIR")
    args = parser.parse_args(argv)
    total = Judgement("all")
    with running_xvfb() as display:  # melt's Qt module (titles, qtblend) needs one
        MELT_ENV["DISPLAY"] = display
        for project in args.projects or COPIED:
            verdict = judge(project, first=args.first, keep=args.keep)
            print(verdict.line(), *[f"    {e}" for e in verdict.examples], sep="\n", flush=True)
            total.add(verdict)
    print(total.line())
    return 0 if total.agrees else 1


if __name__ == "__main__":
    sys.exit(main())

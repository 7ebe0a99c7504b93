"""Real Kdenlive projects with substituted media, played by melt and judged frame by frame.

Every media file a sample project plays is replaced by a coded clip whose frames show their
own (clip, frame) code (coded_media.py; codes 1-15, reused beyond 15 clips, frames counted
modulo 4096), at the clip's frame rate and long enough for every frame the edit uses; missing
playlist clips by a small MLT file playing one; images by grey pictures of their shape;
titles keep their background but lose their text (text over the code would hide it). melt
renders the copy at 64x36 (16:9 profiles), and each frame is judged:
  single   the conform takes the frame from one clip, or melt shows one clip's code (a
           block hidden under an inset is read from its complement): agree when both say
           the same clip and frame;
  blend    the conform blends clips: agree when melt's frame fits the same clips with
           weights within 0.02.
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
from fractions import Fraction
from pathlib import Path

import numpy as np
from lxml import etree

from livelatent.adapters.kdenlive import read_project
from livelatent.edit.picks import pick
from livelatent.errors import LivelatentError
from tests.xvfb import running_xvfb

from .coded_media import BITS, code_bits, write_clip
from .kdenlive_writer import Cut, Lanes, timeline2
from .melt_check import MELT_ENV, MeltError, expected_columns, render_levels

COPIED = sorted((Path(__file__).resolve().parents[1] / "data" / "kdenlive").glob("*.kdenlive"))
SHARED = sorted((Path(__file__).resolve().parents[3] / "shared" / "kdenlive-samples").glob("*/*.kdenlive"))
RESOURCES = ("resource", "warp_resource", "kdenlive:proxy", "kdenlive:originalurl")


@dataclass
class Judgement:
    project: str
    frames: int = 0
    single: int = 0
    single_agree: int = 0
    blend: int = 0
    blend_agree: int = 0
    examples: list[str] = field(default_factory=list)
    refused: str = ""

    def line(self) -> str:
        if self.refused:
            return f"{self.project}: not judged ({self.refused})"
        return (f"{self.project}: {self.single_agree}/{self.single} single-clip frames agree, "
                f"{self.blend_agree}/{self.blend} blended ({self.frames} frames)")


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


class Substitution:
    """A copy of one project in `folder` whose media are coded clips."""

    def __init__(self, project: Path, folder: Path, first: int | None = None):
        self.project, self.folder, self.first = project, folder, first
        self.timeline = read_project(project)
        self.picks = pick(self.timeline)
        self.codes: dict[str, int] = {}  # resolved media path (or a playlist clip's) -> clip code
        self.files: dict[str, Path] = {}  # resolved path -> substitute

    def write(self) -> Path:
        tree = etree.parse(str(self.project), etree.XMLParser(huge_tree=True))
        root = tree.getroot()
        self.base = Path(root.get("root")) if root.get("root") and Path(root.get("root")).is_dir() \
            else self.project.parent
        self._media()
        for el in root:
            if el.tag in ("producer", "chain"):
                self._rewrite(el)
        root.set("root", str(self.folder))
        copy = self.folder / self.project.name
        tree.write(str(copy), encoding="utf-8", xml_declaration=True)
        return copy

    def _media(self) -> None:
        """A coded clip for every media source, as long as the frames the edit uses."""
        used: dict[int, float] = {}
        rows = slice(0, self.first)  # only the frames judged need their source frames
        for s, p in zip(self.picks.src[rows].ravel(), self.picks.pos[rows].ravel()):
            if s >= 0:
                used[int(s)] = max(used.get(int(s), 0.0), float(p))
        for index, source in enumerate(self.picks.sources):
            if source.kind != "media" or source.path is None:
                continue
            code = len(self.codes) % 15 + 1
            path = self.folder / f"c{code}-{len(self.codes)}.mkv"
            fps = source.fps or self.timeline.fps
            write_clip(path, code, int(used.get(index, 0)) + 30, Fraction(fps))
            for original in (source.path, source.proxy):
                if original is not None:
                    self.codes[str(original)], self.files[str(original)] = code, path

    def _resolve(self, text: str) -> str:
        path = Path(text.removeprefix("plain:"))
        return str(path if path.is_absolute() else self.base / path)

    def _rewrite(self, el) -> None:
        props = {p.get("name"): p for p in el.findall("property")}
        service = props["mlt_service"].text if "mlt_service" in props else ""
        for name in RESOURCES:
            prop = props.get(name)
            if prop is None or not prop.text:
                continue
            prefix, text, suffix = _parts(prop.text, service if name == "resource" else "")
            target = self.files.get(self._resolve(text))
            if target is not None:
                prop.text = f"{prefix}{target}{suffix}"
        if service == "kdenlivetitle" and "xmldata" in props:
            props["xmldata"].text = _empty_title(props["xmldata"].text or "")
        if service in ("qimage", "pixbuf") and "resource" in props:
            props["resource"].text = str(self._grey_image(props))
        if service in ("xml", "consumer") and "resource" in props:
            path = Path(self._resolve(props["resource"].text.removeprefix("consumer:")))
            if not path.is_file():
                props["resource"].text = str(self._playlist_clip())

    def _grey_image(self, props) -> Path:
        from livelatent.adapters.png import write_png

        try:
            w, h = int(props["meta.media.width"].text), int(props["meta.media.height"].text)
        except (KeyError, TypeError, ValueError):
            w, h = 64, 36
        path = self.folder / f"image-{w}x{h}.png"
        if not path.exists():
            write_png(path, np.full((max(round(64 * h / w), 1), 64, 3), 128, np.uint8))
        return path

    def _playlist_clip(self) -> Path:
        """A playlist clip's missing file: an MLT file playing one coded clip."""
        path = self.folder / f"playlist-{len(self.codes)}.mlt"
        code = len(self.codes) % 15 + 1
        clip_path = self.folder / f"c{code}-{len(self.codes)}.mkv"
        self.codes[str(path)] = code
        write_clip(clip_path, code, 3000, Fraction(self.timeline.fps))
        from .kdenlive_writer import Clip

        clip = Clip(code, clip_path, 3000, Fraction(self.timeline.fps))
        text = timeline2(self.timeline.fps, [Lanes([Cut(clip, 0, 2999)])]).replace("avformat-novalidate", "avformat")
        path.write_text(text)
        return path


def _parts(text: str, service: str) -> tuple[str, str, str]:
    """(prefix, path, suffix): a timewarp's "speed:" and a framebuffer's "?speed" kept aside."""
    if service == "timewarp" and ":" in text:
        speed, _, rest = text.partition(":")
        return f"{speed}:", rest, ""
    if service == "framebuffer" and "?" in text:
        path, _, query = text.partition("?")
        return "", path, f"?{query}"
    return "", text, ""


def _empty_title(xmldata: str) -> str:
    """The title's own document without its items: its background alone."""
    return re.sub(r"<item\b.*?</item>", "", xmldata, flags=re.S)


def project_name(project: Path) -> str:
    """The folder and the stem: several samples are called project, video or trailer."""
    return f"{project.parent.name}/{project.stem}"


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
        w, h = int(profile.get("width", 1920)), int(profile.get("height", 1080))
        if abs(w * 9 - h * 16) > 16 * 4:
            verdict.refused = f"profile {w}x{h} is not 16:9"
            return verdict
        picks = pick(timeline)
        frames = min(len(picks), first or len(picks))
        # the consumer draws the profile at 64x36; given a size, melt also needs the rate again
        consumer = ("width=64", "height=36", "progressive=1", f"frame_rate_num={profile.get('frame_rate_num')}",
                    f"frame_rate_den={profile.get('frame_rate_den')}")
        try:
            levels = render_levels(copy, frames, consumer=consumer, timeout_s=60 + frames / 10)
        except MeltError as exc:
            verdict.refused = str(exc)
            return verdict
        _judge_frames(verdict, picks, levels)
    return verdict


def _code(path) -> int | None:
    """The clip code of a substitute named c<code>-<n>.mkv."""
    match = re.fullmatch(r"c(\d+)-\d+", Path(path).stem) if path else None
    return int(match.group(1)) if match else None


def _judge_frames(verdict: Judgement, picks, levels: np.ndarray) -> None:
    code_of = [_code(s.path) if s.kind == "media" else None for s in picks.sources]
    verdict.frames = len(levels)
    for t, level in enumerate(levels):
        coded = [(c, f % 4096, w) for c, f, w in expected_columns(picks, t, code_of)]
        # the rest of the frame's weight: a colour, an emptied title, a grey image (flat pictures)
        flat = float(sum(w for s, w in zip(picks.src[t], picks.weight[t]) if s >= 0 and code_of[s] is None))
        seen = robust_decode(level)
        if len(coded) >= 2 or (coded and flat > 0):
            verdict.blend += 1
            ok, fitted = _blend_agrees(level, coded, flat > 0)
            verdict.blend_agree += ok
            problem = f"frame {t}: conform blend {coded} (+{flat:.3f} flat), melt fits {fitted}"
        elif coded or seen is not None:
            verdict.single += 1
            ok = bool(coded) and seen == coded[0][:2]
            verdict.single_agree += ok
            problem = f"frame {t}: conform {coded[0][:2] if coded else None}, melt shows {seen}"
        else:
            continue
        if not ok and len(verdict.examples) < 5:
            verdict.examples.append(problem)


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
    with running_xvfb(first=161) as display:  # melt's Qt module (titles, qtblend) needs one
        MELT_ENV["DISPLAY"] = display
        for project in args.projects or COPIED:
            verdict = judge(project, first=args.first, keep=args.keep)
            print(verdict.line(), *[f"    {e}" for e in verdict.examples], sep="\n", flush=True)
            for name in ("frames", "single", "single_agree", "blend", "blend_agree"):
                setattr(total, name, getattr(total, name) + getattr(verdict, name))
    print(total.line())
    return 0 if total.single_agree == total.single and total.blend_agree == total.blend else 1


if __name__ == "__main__":
    sys.exit(main())

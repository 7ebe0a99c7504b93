"""A copy of a real project whose media are coded clips, for melt to render (samples.py).

Every media file the project plays becomes a coded clip (coded_media.py) whose frames show
their own (clip, frame) code: codes 1-15, reused beyond 15 clips, frames counted modulo 4096,
at the clip's frame rate and long enough for every frame judged, in the shape of the render
(the profile's display aspect exactly, 64 pixels wide or a little more), or in the media's own
shape where the project records another (a phone's portrait clip: 64x114). Missing playlist clips become a small MLT file
playing one; images grey pictures of their shape. What only recolours a picture, and which
the conform rightly ignores, would hide the code, so it is neutralised in the copy:
  titles            keep their background, lose their items (text over the code)
  dynamictext       its text emptied
  colour and blur   gamma, contrast, saturation, hue, tint, sepia, glow, blurs, and a
  filters           brightness that only darkens (a fade to or from black, no alpha):
                    disabled
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import numpy as np
from lxml import etree

from livelatent.adapters.kdenlive import read_project
from livelatent.adapters.kdenlive_looks import media_aspect
from livelatent.edit.picks import pick

from .coded_media import write_clip
from .kdenlive_writer import Clip, Cut, Lanes, timeline2

RESOURCES = ("resource", "warp_resource", "kdenlive:proxy", "kdenlive:originalurl")
RECOLOUR = {"gamma", "frei0r.contrast0r", "frei0r.saturat0r", "frei0r.brightness", "frei0r.hueshift0r",
            "frei0r.tint0r", "frei0r.colorize", "frei0r.softglow", "frei0r.glow", "sepia", "charcoal",
            "greyscale", "frei0r.levels", "frei0r.curves", "avfilter.eq", "lift_gamma_gain", "box_blur",
            "avfilter.gblur", "avfilter.boxblur", "frei0r.IIRblur", "frei0r.squareblur", "obscure"}
WIDTH = 64  # of the render and of every coded clip, at least


def render_size(profile) -> tuple[int, int]:
    """The smallest (width, height) from 64 pixels wide with exactly the profile's display
    aspect and even sides (4:2:0 video), so that a clip fills the frame as the media did."""
    w, h = int(profile.get("width", 1920)), int(profile.get("height", 1080))
    aspect = Fraction(int(profile.get("display_aspect_num") or w), int(profile.get("display_aspect_den") or h))
    for width in range(WIDTH, 8 * WIDTH, 2):
        height = width / aspect
        if height.denominator == 1 and height.numerator % 2 == 0:
            return width, int(height)
    return WIDTH, max(2, 2 * round(WIDTH / aspect / 2))


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
        profile = root.find("profile") if root.find("profile") is not None else {}
        self.size = render_size(profile)
        self.base = Path(root.get("root")) if root.get("root") and Path(root.get("root")).is_dir() \
            else self.project.parent
        self._media(self._shapes(root, profile))
        for el in root:
            if el.tag in ("producer", "chain"):
                self._rewrite(el)
        for f in root.iter("filter"):
            _neutralise(f)
        root.set("root", str(self.folder))
        copy = self.folder / self.project.name
        tree.write(str(copy), encoding="utf-8", xml_declaration=True)
        return copy

    def _shapes(self, root, profile) -> dict[str, tuple[int, int]]:
        """The size of a substitute for each media file the project records another shape of."""
        frame = self.size[0] / self.size[1]
        sizes = {}
        for el in root:
            if el.tag in ("producer", "chain"):
                p = {x.get("name"): x.text or "" for x in el.findall("property")}
                aspect = media_aspect(p)
                if aspect is not None and abs(aspect / frame - 1) >= 0.01 and p.get("resource"):
                    text = _parts(p["resource"], p.get("mlt_service", ""))[1]
                    sizes[self._resolve(text)] = (self.size[0], max(2, 2 * round(self.size[0] / aspect / 2)))
        return sizes

    def _media(self, sizes: dict[str, tuple[int, int]]) -> None:
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
            size = sizes.get(str(source.path), sizes.get(str(source.proxy), self.size))
            write_clip(path, code, int(used.get(index, 0)) + 30, Fraction(fps), size=size)
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
        write_clip(clip_path, code, 3000, Fraction(self.timeline.fps), size=self.size)
        clip = Clip(code, clip_path, 3000, Fraction(self.timeline.fps))
        text = timeline2(self.timeline.fps, [Lanes([Cut(clip, 0, 2999)])]).replace("avformat-novalidate", "avformat")
        path.write_text(text)
        return path


def _neutralise(f) -> None:
    """Disable a filter that only recolours or blurs; empty a dynamictext's text."""
    props = {p.get("name"): p for p in f.findall("property")}
    service = props["mlt_service"].text if "mlt_service" in props else ""
    darkens = service == "brightness" and (props.get("alpha") is None or (props["alpha"].text or "").strip() in ("", "1"))
    if service in RECOLOUR or darkens:
        prop = props.get("disable") if props.get("disable") is not None else etree.SubElement(f, "property", name="disable")
        prop.text = "1"
    elif service == "dynamictext" and "argument" in props:
        props["argument"].text = ""


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

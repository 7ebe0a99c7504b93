"""Kdenlive effects and compositions -> how a clip covers the frame (livelatent.edit.layering).

Works on lxml elements handed over by adapters/kdenlive.py; imports no XML library itself.
What each service does, as Debian's melt 7.12 renders it (tests/conform/test_layers_vs_melt.py):
  qtblend (filter or composition)    rect x y w h opacity, rotation, distort
  affine (filter: pan_zoom, transform)  transition.rect, rotation; melt 7.12 draws the
                                     filter's picture at full opacity, and ignores the
                                     transition.geometry of MLT 6 projects (Kdenlive <= 18.12)
  affine (composition)               rect with opacity (geometry ignored, as in the filter)
  composite (composition)            geometry (or rect) with opacity
  chroma (on a colour clip)          keyed wholly when the clip's colour is within the variance
  frei0r.scale0tilt                  scale, tilt and crop (layering.ScaleTilt)
  qtcrop                             the picture outside its rect is transparent
  brightness, movit.opacity          opacity: Kdenlive's fades to and from transparency
  frei0r.cairoblend, qtblend modes, frei0r mixers (addition, screen, ...)   blend modes
Filter positions are the producer's (an entry's `in` and `out` are producer positions too),
keyframes count from the filter's `in`; compositions' from their `in`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from fractions import Fraction

from livelatent.adapters.kdenlive_clips import props
from livelatent.adapters.png import read_png_info
from livelatent.errors import ProjectError
from livelatent.edit.layering import Opacity, Placement, ScaleTilt, Span, blend_weight_of
from livelatent.edit.mlt_anim import Animation, Keyframe, parse_animation
from livelatent.edit.mlt_time import parse_time
from livelatent.edit.timeline import BLEND, COVER, WIPE

FULL = "0% 0% 100% 100% 100%"
SCALE0TILT = ("Clip left", "Clip right", "Clip top", "Clip bottom", "Scale X", "Scale Y", "Tilt X", "Tilt Y")
# frei0r's two-input "mixer" plugins: a blend mode of B with A
MIXERS = {"addition", "addition_alpha", "burn", "color_only", "darken", "difference", "divide", "dodge",
          "grain_extract", "grain_merge", "hardlight", "hue", "lighten", "multiply", "overlay", "saturation",
          "screen", "softlight", "subtract", "value"}


class LookReader:
    """Effects of one project: its rate and frame size, for keyframes and pixel rects."""

    def __init__(self, fps: Fraction, frame: tuple[int, int], aspect: float | None = None):
        self.fps, self.frame = fps, frame
        self.aspect = aspect or frame[0] / frame[1]  # the frame's display aspect
        self.notes: list[str] = []  # effects that change the picture in ways not modelled

    def anim(self, text: str, what: str) -> Animation:
        return parse_animation(text, self.fps, what=what)

    def span(self, el, length: int | None) -> Span:
        """A filter's span from its in/out attributes; length: what it is attached to."""
        first = parse_time(el.get("in") or "0", self.fps, what="filter in")
        last = parse_time(el.get("out"), self.fps, what="filter out") if el.get("out") else None
        if last is not None and last <= first:  # "out" 0 or before in: MLT's unset out
            last = None
        return Span(first, last, (last - first + 1) if last is not None else max((length or 1) - first, 1))

    def filters(self, el, length: int | None = None, colour: str | None = None) -> tuple:
        """The effects of el's enabled <filter> children that change how it covers the frame;
        colour: the resource of the colour clip they are on (a chroma key on it is exact)."""
        look = []
        for f in el.findall("filter"):
            p = props(f)
            if p.get("disable") == "1":
                continue
            what = f"filter {f.get('id') or p.get('mlt_service')}"
            if p.get("mlt_service") == "chroma":
                effect = self.chroma(p, self.span(f, length), what, colour)
            else:
                effect = self.effect(p, self.span(f, length), what)
            if effect is not None:
                look.append(effect)
        return tuple(look)

    def effect(self, p: dict[str, str], span: Span, what: str):
        service = p.get("mlt_service", "")
        if service == "qtblend":
            return self.placement(p.get("rect") or FULL, p, span, what, rotation=p.get("rotation"))
        if service == "affine":
            rect = p.get("transition.rect")  # MLT 7's affine reads no geometry
            rotation = p.get("transition.rotate_x") if p.get("transition.keyed") == "1" else p.get("transition.fix_rotate_x")
            if not rect and not rotation:
                return None
            return self.placement(rect or FULL, {"distort": p.get("transition.distort", "0")}, span, what,
                                  rotation=rotation, opacity=False)
        if service == "qtcrop":
            return self.placement(p.get("rect") or FULL, {"distort": "1"}, span, what, opacity=False)
        if service == "frei0r.scale0tilt":
            params = tuple((name, self.anim(p[key], f"{what} {name}")) for i, name in enumerate(SCALE0TILT)
                           for key in (name, str(i)) if p.get(key))
            return ScaleTilt(params, self.frame, span) if params else None
        if service == "brightness":
            return self.brightness(p, span, what)
        if service == "movit.opacity" and p.get("opacity"):
            return Opacity(self.anim(p["opacity"], f"{what} opacity"), span)
        return None

    def shaped(self, look: tuple, p: dict[str, str]) -> tuple:
        """A media clip's effects with its own shape: melt fits a picture of another aspect
        into the frame (or a transform's rect) and the tracks below show around it."""
        aspect = media_aspect(p)
        if aspect is None or abs(aspect / self.aspect - 1) < 0.01:
            return look
        first = next((i for i, e in enumerate(look) if isinstance(e, Placement)), None)
        if first is None:
            return (replace(self.placement(FULL, {}, Span(), "the clip's shape"), shape=aspect / self.aspect), *look)
        return (*look[:first], replace(look[first], shape=aspect / self.aspect), *look[first + 1:])

    def chroma(self, p: dict[str, str], span: Span, what: str, colour: str | None) -> Opacity | None:
        """MLT's chroma key makes a pixel transparent where its U and V are both within
        200 x variance of the key's: a colour clip is then keyed wholly, or not at all."""
        key, rgb = colour_rgb(p.get("key", "0x000000ff")), colour_rgb(colour) if colour else None
        if key is None or rgb is None:
            self.notes.append(f"{what}: a chroma key on {'footage' if colour is None else repr(colour)} is not "
                              f"modelled; the clip is taken as opaque")
            return None
        reach = int(200 * _number(p.get("variance", "0.15")))
        (_, u0, v0), (_, u1, v1) = yuv601(*key), yuv601(*rgb)
        keyed = abs(u1 - u0) <= reach and abs(v1 - v0) <= reach
        return Opacity(Animation((Keyframe(0, (0.0,)),)), span) if keyed else None

    def placement(self, rect: str, p: dict[str, str], span: Span, what: str, *, rotation: str | None = None,
                  opacity: bool = True) -> Placement:
        turn = self.anim(rotation, f"{what} rotation") if rotation and rotation.strip() not in ("0", "") else None
        return Placement(self.anim(rect, f"{what} rect"), self.frame, span, turn,
                         rotate_center=p.get("rotate_center", "1") != "0", distort=p.get("distort") == "1",
                         opacity=opacity)

    def brightness(self, p: dict[str, str], span: Span, what: str) -> Opacity | None:
        """brightness changes opacity only through `alpha` (< 0: alpha follows the level)."""
        alpha = p.get("alpha", "").strip()
        if alpha in ("", "1"):
            return None
        if p.get("level"):
            level = self.anim(p["level"], f"{what} level")
        else:  # the old start/end mechanics: start + (end - start) * progress
            start = _number(p.get("start", "1"))
            end = _number(p["end"]) if p.get("end") else start
            level = Animation((Keyframe(0, (start,)), Keyframe(span.length, (end,))))
        return Opacity(self.anim(alpha, f"{what} alpha"), span, level)

    def composition(self, p: dict[str, str], start: int, end: int, what: str) -> tuple[str, tuple, float | None]:
        """(kind, look, weight) of a composition drawing B over A with a geometry or a mode."""
        service = p.get("mlt_service", "")
        span = Span(0, None, end - start + 1)
        if service == "composite" and p.get("luma"):
            return WIPE, (), None
        if service in ("composite", "affine"):
            rect = p.get("rect") or (p.get("geometry") if service == "composite" else None)
            return COVER, (self.placement(rect or FULL, p, span, what,
                                          rotation=p.get("rotate_x") or p.get("fix_rotate_x")),), None
        if service == "qtblend":
            weight = blend_weight_of(p.get("compositing", "0"))
            if weight is not None:
                return BLEND, (), weight
            return COVER, (self.placement(p.get("rect") or FULL, p, span, what, rotation=p.get("rotation")),), None
        if service == "frei0r.cairoblend":
            weight = blend_weight_of(p.get("1") or p.get("Blend mode") or "normal")
            opacity = p.get("0") or p.get("Opacity") or "1"
            if weight is not None:
                return BLEND, (), weight
            return COVER, (Opacity(self.anim(opacity, f"{what} opacity"), span),), None
        if service.removeprefix("frei0r.") in MIXERS:
            return BLEND, (), 0.5
        if service == "frei0r.blend":
            return BLEND, (), _number(p.get("0") or p.get("blend") or "0.5")
        return COVER, (), None


def _number(text: str) -> float:
    try:
        return float(str(text).strip().replace(",", "."))
    except ValueError:
        raise ProjectError(f"{text!r}: expected a number") from None


def colour_alpha(resource: str) -> float:
    """How opaque a colour clip is: 0xRRGGBBAA, #AARRGGBB, a name, or 0 / transparent."""
    text = resource.strip().lower()
    if text in ("0", "transparent", "0x00000000"):
        return 0.0
    if re.fullmatch(r"0x[0-9a-f]{8}", text):
        return int(text[-2:], 16) / 255
    if re.fullmatch(r"#[0-9a-f]{8}", text):
        return int(text[1:3], 16) / 255
    return 1.0


NAMED = {"black": (0, 0, 0), "white": (255, 255, 255), "red": (255, 0, 0), "green": (0, 255, 0),
         "blue": (0, 0, 255)}


def colour_rgb(text: str) -> tuple[int, int, int] | None:
    """(r, g, b) of an MLT colour: 0xRRGGBBAA, #RRGGBB, #AARRGGBB or a plain name; None otherwise."""
    text = text.strip().lower()
    if re.fullmatch(r"0x[0-9a-f]{8}", text):
        value = int(text, 16) >> 8
    elif re.fullmatch(r"#(?:[0-9a-f]{2})?[0-9a-f]{6}", text):
        value = int(text[-6:], 16)
    else:
        return NAMED.get(text)
    return value >> 16 & 0xFF, value >> 8 & 0xFF, value & 0xFF


def yuv601(r: int, g: int, b: int) -> tuple[int, int, int]:
    """MLT's scaled BT.601 RGB -> YUV (RGB2YUV_601_SCALED), as its chroma key compares them."""
    y = ((263 * r + 516 * g + 100 * b) >> 10) + 16
    u = ((-152 * r - 300 * g + 450 * b) >> 10) + 128
    v = ((450 * r - 377 * g - 73 * b) >> 10) + 128
    return y, u, v


def media_aspect(p: dict[str, str]) -> float | None:
    """The display aspect of a media clip as the project records it (its size, sample aspect
    and rotation), None when it does not."""
    try:
        w, h = int(p["meta.media.width"]), int(p["meta.media.height"])
        sar = _sample_aspect(p)
    except (KeyError, ValueError, ProjectError):
        return None
    if w <= 0 or h <= 0 or sar <= 0:
        return None
    if p.get("meta.media.0.codec.rotate", "0").strip() in ("90", "270", "-90"):
        w, h = h, w
    return w * sar / h


def _sample_aspect(p: dict[str, str]) -> float:
    """force_aspect_ratio, else the media's sample aspect, else MLT's aspect_ratio, else 1."""
    if _number(p.get("force_aspect_ratio") or "0") > 0:
        return _number(p["force_aspect_ratio"])
    num, den = int(p.get("meta.media.sample_aspect_num") or 0), int(p.get("meta.media.sample_aspect_den") or 0)
    if num > 0 and den > 0:
        return num / den
    return _number(p.get("aspect_ratio") or "1") or 1.0


def title_alpha(xmldata: str) -> float:
    """A Kdenlive title covers the frame only as far as its background colour is opaque."""
    match = re.search(r'<background[^>]*color="([^"]*)"', xmldata or "")
    if not match:
        return 0.0
    parts = [p for p in re.split(r"[,\s]+", match.group(1)) if p]
    try:
        return int(parts[3]) / 255 if len(parts) == 4 else 1.0
    except ValueError:
        return 0.0


def image_alpha(p: dict[str, str], path, frame: tuple[int, int]) -> float:
    """An image fills the frame unless it has an alpha channel (a PNG logo, an SVG) or another
    shape than the frame (it is fitted inside, and the tracks below show around it)."""
    info = read_png_info(path) if path is not None else None
    if (info is not None and info.has_alpha) or str(path).lower().endswith((".svg", ".svgz")):
        return 0.0
    try:
        width = int(p.get("meta.media.width") or (info.width if info else 0))
        height = int(p.get("meta.media.height") or (info.height if info else 0))
    except ValueError:
        return 1.0
    if width <= 0 or height <= 0:
        return 1.0
    return 1.0 if abs(width * frame[1] / (height * frame[0]) - 1) < 0.01 else 0.0


def source_alpha(source, p: dict[str, str], frame: tuple[int, int]) -> float:
    """How a clip's own picture covers the frame (Source.alpha), by its kind."""
    if source.kind == "colour":
        return colour_alpha(p.get("resource", ""))
    if source.kind == "title":
        return title_alpha(p.get("xmldata", "")) if p.get("mlt_service") == "kdenlivetitle" else 0.0
    if source.kind == "image":
        return image_alpha(p, source.path, frame)
    if source.kind == "generated" and p.get("mlt_service") == "glaxnimate":
        return 0.0  # animations are drawn over a transparent background
    return 1.0

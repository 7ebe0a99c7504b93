"""What MLT services do to the picture, for the plain MLT / Shotcut reader (adapters/mlt_xml.py).

Transitions: which blend the conform can follow (a `luma` dissolve, a compositor drawing the
upper track over the lower at full opacity), which are sound only (`mix`), and which it cannot
(anything else, a blend mode, partial opacity or geometry): those are refused in one line.
Producers: colour backgrounds, clips that show no picture, the loader's default service.
Works on property dicts and lxml elements handed over by the reader; imports no XML library.
"""

from __future__ import annotations

from livelatent.adapters.kdenlive_clips import is_disabled, props
from livelatent.errors import ProjectError
from livelatent.edit.timeline import COVER, DISSOLVE, WIPE

SERVICES = ("producer", "chain", "playlist", "tractor")
DISSOLVES = {"luma", "movit.luma_mix"}
COMPOSITORS = {"frei0r.cairoblend", "qtblend", "movit.overlay", "composite", "affine"}
# properties that would let a lower track show through a compositor, and their harmless values
PARTIAL = {"0": ("1", "1.0", "1.000000"), "1": ("normal",), "opacity": ("1", "1.0"),
           "compositing": ("0",), "rect": (), "geometry": (), "transition.rect": ()}


def blend_kind(p: dict[str, str], where: str) -> str | None:
    """DISSOLVE / WIPE (conformed as a dissolve) / COVER, None for sound, or a one-line refusal."""
    service = p.get("mlt_service", "")
    if service == "mix" or service.startswith(("ladspa", "sox", "lv2", "vst2", "jackrack")):
        return None
    if service in DISSOLVES:
        return WIPE if p.get("resource") or p.get("luma") else DISSOLVE
    if service in COMPOSITORS:
        for name, harmless in PARTIAL.items():
            if name in p and p[name].strip() not in harmless:
                raise ProjectError(f"{where}: {service} with {name}={p[name]!r} (opacity, blend mode or "
                                   f"geometry) is not supported; expected a full-frame opaque overlay")
        return COVER
    raise ProjectError(f"{where}: transition service {service!r} is not supported; expected luma, "
                       f"mix or a compositor ({', '.join(sorted(COMPOSITORS))})")


def with_default_service(p: dict[str, str]) -> dict[str, str]:
    """The properties as melt's loader completes them when `mlt_service` is missing."""
    if p.get("mlt_service"):
        return p
    resource = p.get("resource", "")
    kind, _, rest = resource.partition(":")
    if kind in ("colour", "color"):
        return {**p, "mlt_service": "colour", "resource": rest}
    return {**p, "mlt_service": "avformat"}


def shows_no_picture(p: dict[str, str]) -> bool:
    """A disabled clip or one without a video stream: melt's tractor looks through it."""
    return is_disabled(p) or p.get("video_index", "0").strip() == "-1"


def _rgba(text: str) -> tuple[int, int, int, int] | None:
    """An MLT colour: a name (black, white...), 0xRRGGBBAA, #RRGGBB, #AARRGGBB, or an integer."""
    text = text.strip().lower()
    if text in ("black",):
        return 0, 0, 0, 255
    if text in ("transparent",):
        return 0, 0, 0, 0
    try:
        if text.startswith("#") and len(text) in (7, 9):
            value = int(text[1:], 16)
            return (value >> 16 & 255, value >> 8 & 255, value & 255, value >> 24 & 255 if len(text) == 9 else 255)
        value = int(text, 16) if text.startswith("0x") else int(text)
    except ValueError:
        return None
    return value >> 24 & 255, value >> 16 & 255, value >> 8 & 255, value & 255


def _dark_colour(el) -> bool:
    p = with_default_service(props(el))
    if p.get("mlt_service") not in ("colour", "color"):
        return False
    rgba = _rgba(p.get("resource", "black") or "black")
    return rgba is not None and (rgba[3] == 0 or rgba[:3] == (0, 0, 0))


def is_background(service, by_id: dict) -> bool:
    """A track of nothing but black or transparent colour clips (Shotcut's `background`)."""
    if service.tag == "playlist":
        items = [by_id.get(e.get("producer")) for e in service if e.tag == "entry"]
    else:
        items = [service]
    return bool(items) and all(item is not None and item.tag == "producer" and _dark_colour(item) for item in items)

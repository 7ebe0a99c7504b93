"""A Kdenlive project's timeline guides, in whichever place its generation keeps them.

    guides = read_guides(root, tractor, fps, path)    # (Guide(frame, comment), ...) in frame order

- 23.04+: each sequence's own, `kdenlive:sequenceproperties.guides` on its tractor, JSON
  [{"pos": frame, "comment": ..., "type": category}, ...];
- 19.04-22.12: the same JSON in `kdenlive:docproperties.guides` (the main bin playlist);
- 15.08-18.12: one `kdenlive:guide.SECONDS` property per guide on the main bin playlist, the
  comment as its text, SECONDS in the saving locale (a decimal comma is common);
- 0.9-15.04: `<guide time="SECONDS" comment="..."/>` inside `<kdenlivedoc>`.
Seconds become the frame Kdenlive puts them on, floor(seconds * fps + 0.5) (GenTime::frames).
"""

from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path

from livelatent.adapters.kdenlive_clips import props
from livelatent.errors import ProjectError
from livelatent.timeline import Guide

SEQUENCE_GUIDES = "kdenlive:sequenceproperties.guides"
DOCUMENT_GUIDES = "kdenlive:docproperties.guides"
OLD_GUIDE = "kdenlive:guide."


def read_guides(root, tractor, fps: Fraction, path: Path) -> tuple[Guide, ...]:
    """The guides of the timeline `tractor` (an lxml element) in project `root`."""
    own = props(tractor).get(SEQUENCE_GUIDES)
    if own is not None:
        return _from_json(own, fps, f"{path}: {SEQUENCE_GUIDES}")
    document = _document_props(root)
    if DOCUMENT_GUIDES in document:
        return _from_json(document[DOCUMENT_GUIDES], fps, f"{path}: {DOCUMENT_GUIDES}")
    old = [(name[len(OLD_GUIDE):], text) for name, text in document.items() if name.startswith(OLD_GUIDE)]
    old += [(el.get("time", ""), el.get("comment", "")) for el in root.iter("guide")]
    return _ordered(Guide(_seconds_frame(time, fps, f"{path}: guide {time!r}"), comment) for time, comment in old)


def _document_props(root) -> dict[str, str]:
    """The properties of the playlists at the top level (the main bin holds the document's)."""
    found: dict[str, str] = {}
    for el in root:
        if el.tag == "playlist":
            found.update(props(el))
    return found


def _from_json(text: str, fps: Fraction, where: str) -> tuple[Guide, ...]:
    try:
        items = json.loads(text or "[]")
    except ValueError as exc:
        raise ProjectError(f"{where}: not valid JSON ({exc})") from None
    if not isinstance(items, list):
        raise ProjectError(f"{where}: expected a JSON list of guides, got {type(items).__name__}")
    guides = []
    for item in items:
        pos = item.get("pos") if isinstance(item, dict) else None
        if isinstance(pos, bool) or not isinstance(pos, (int, float)) or not math.isfinite(pos) or pos < 0 \
                or pos != int(pos):
            raise ProjectError(f"{where}: expected guides such as {{\"pos\": 120, \"comment\": \"...\"}} with a "
                               f"frame number pos >= 0, got {str(item)[:60]}")
        guides.append(Guide(int(pos), str(item.get("comment") or "")))
    return _ordered(guides)


def _seconds_frame(text: str, fps: Fraction, where: str) -> int:
    try:
        seconds = float(text.strip().replace(",", "."))
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        raise ProjectError(f"{where}: expected a time in seconds such as 7.52 or 7,52")
    return math.floor(seconds * float(fps) + 0.5)


def _ordered(guides) -> tuple[Guide, ...]:
    """Frame order; of two guides on one frame the first one read stays."""
    seen: dict[int, Guide] = {}
    for guide in guides:
        seen.setdefault(guide.frame, guide)
    return tuple(sorted(seen.values(), key=lambda g: g.frame))

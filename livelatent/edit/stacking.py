"""Layers of picks, one per lane, track or timeline, and how one is drawn over another.

A layer is a dict of arrays over timeline frames t:
  src, pos, weight, seg   (frames, K) columns: which source frames show and by what weight
                          (picks.Picks documents them); NONE where nothing shows
  cover                   (frames,) how the layer's picture covers the frame (layering.py)
  box                     (frames, 4) where it is opaque: x0 y0 x1 y1 in fractions of the frame
  over                    (frames,) the segment of the topmost overlay the layer hides under
                          the frame's z (a title, an inset), NONE where none
stack() is the layering rule: the topmost picture that fills the frame opaquely gives the
frame; a picture that does not fill it is an overlay, unless it hides all of what is below
(a portrait clip over another of its shape); a translucent one blends by its cover.
overlay() is the plain rule (`--layers top`): the top picture wins wherever it has a clip.
"""

from __future__ import annotations

import numpy as np

from livelatent.edit.layering import EMPTY, contains, union

NONE = -1
TRANSPARENT = -2  # a nested sequence's transparent gap: see-through (cover 0), yet a frame to transitions
COLUMNS = ("src", "pos", "weight", "seg")


def empty_layer(n: int, k: int = 1) -> dict[str, np.ndarray]:
    return {"src": np.full((n, k), NONE, np.int32), "pos": np.zeros((n, k)),
            "weight": np.zeros((n, k), np.float32), "seg": np.full((n, k), NONE, np.int32),
            "cover": np.ones(n), "over": np.full(n, NONE, np.int32), "box": np.tile(EMPTY, (n, 1))}


def widen(layer: dict, k: int) -> dict:
    """The layer with at least k columns."""
    n, have = layer["src"].shape
    if have >= k:
        return layer
    extra = empty_layer(n, k - have)
    return {key: np.concatenate([layer[key], extra[key]], axis=1) if key in COLUMNS else layer[key]
            for key in layer}


def shows(layer: dict) -> np.ndarray:
    """Frames where the layer has a frame (a picture, or a transparent gap)."""
    return layer["src"][:, 0] != NONE


def overlay(lower: dict, upper: dict, where: np.ndarray | None = None) -> dict:
    """upper where it shows a picture (and `where`), else lower; a transparent frame where
    lower has none."""
    k = max(lower["src"].shape[1], upper["src"].shape[1])
    lower, upper = widen(lower, k), widen(upper, k)
    up, low = upper["src"][:, 0], lower["src"][:, 0]
    take = (up >= 0) | ((up == TRANSPARENT) & (low == NONE))
    if where is not None:
        take &= where
    return {key: np.where(take.reshape(-1, *[1] * (lower[key].ndim - 1)), upper[key], lower[key]) for key in lower}


def blend_into(out: dict, a: dict, b: dict, w: np.ndarray, rows: np.ndarray) -> dict:
    """Rows `rows` of out become a*(1-w) + b*w: the columns of both, weights scaled."""
    ka, kb = a["src"].shape[1], b["src"].shape[1]
    out = widen(out, ka + kb)
    for key in ("src", "pos", "seg"):
        out[key][rows, :ka] = a[key][rows]
        out[key][rows, ka:ka + kb] = b[key][rows]
        out[key][rows, ka + kb:] = NONE if key != "pos" else 0
    out["weight"][rows, :ka] = a["weight"][rows] * (1 - w[:, None])
    out["weight"][rows, ka:ka + kb] = b["weight"][rows] * w[:, None]
    out["weight"][rows, ka + kb:] = 0
    out["cover"][rows] = 1 - (1 - a["cover"][rows]) * (1 - b["cover"][rows])
    out["over"][rows] = np.where(b["over"][rows] != NONE, b["over"][rows], a["over"][rows])
    out["box"][rows] = union(a["box"][rows], b["box"][rows])
    return out


def stack(lower: dict, upper: dict, rows: np.ndarray | None = None) -> dict:
    """upper drawn over lower by the layering rule (on `rows` only, when given)."""
    has_upper, has_lower = shows(upper), lower["src"][:, 0] >= 0  # a transparent lower is no picture
    if rows is not None:
        only = np.zeros(len(has_upper), bool)
        only[rows] = True
        has_upper &= only
    c = upper["cover"]
    wins = has_upper & ((c >= 1) | ~has_lower | contains(upper["box"], lower["box"]))
    hidden = has_upper & has_lower & (c <= 0) & ~wins
    mixed = np.flatnonzero(has_upper & has_lower & (c > 0) & (c < 1) & ~wins)
    out = overlay(lower, upper, where=wins)
    out["cover"] = out["cover"].copy()
    out["over"] = np.where(hidden, upper["seg"][:, 0], out["over"])
    out["box"] = np.where(hidden[:, None], union(lower["box"], upper["box"]), out["box"])
    if len(mixed):
        out = blend_into(out, lower, upper, c[mixed].astype(np.float32), mixed)
    return out

"""Labelled tiles: pictures laid out in a grid, each with a label drawn in the built-in 5x7
bitmap font (common/font.py). Pure numpy; the snapshot grids (generators/grid.py) use it.

    columns, rows = parse_grid("7x4", 28)
    draw_label(image, "120")                       # in place, bottom-left
    frames = tile_images(tiles, columns, rows)     # (S, N, h, w, 3) -> (N, rows*h, columns*w, 3)
"""

from __future__ import annotations

import math

import numpy as np

from livelatent.common.font import text_bitmap
from livelatent.errors import UsageError


def draw_label(image: np.ndarray, text: str, *, scale: int | None = None) -> np.ndarray:
    """White text on a dark box in the bottom-left corner of an (H, W, 3) uint8 image, in place."""
    h, w = image.shape[:2]
    scale = scale or max(1, h // 96)
    bitmap = text_bitmap(text, scale)[:, : max(0, w - 4 * scale)]
    pad = 2 * scale
    top, bh, bw = h - bitmap.shape[0] - 2 * pad, bitmap.shape[0] + 2 * pad, bitmap.shape[1] + 2 * pad
    if top < 0:
        return image
    box = image[top:top + bh, :bw]
    box[...] = box // 4  # darken, so the label reads on any picture
    box[pad:pad + bitmap.shape[0], pad:pad + bitmap.shape[1]][bitmap] = 255
    return image


def parse_grid(text: str | None, count: int) -> tuple[int, int]:
    """"7x4" -> (7 columns, 4 rows); None -> the squarest grid that holds count tiles."""
    if not text:
        columns = math.ceil(math.sqrt(count))
        return columns, math.ceil(count / columns)
    try:
        columns, rows = (int(v) for v in str(text).lower().split("x"))
    except ValueError:
        raise UsageError(f"`grid` {text!r}: expected COLUMNSxROWS such as 7x4", setting="grid") from None
    if columns < 1 or rows < 1 or columns * rows < count:
        raise UsageError(f"`grid` {text}: {columns * rows} tiles cannot hold {count} snapshots", setting="grid")
    return columns, rows


def tile_images(tiles: np.ndarray, columns: int, rows: int) -> np.ndarray:
    """(S, N, h, w, 3) -> (N, rows * h, columns * w, 3), row by row, unused tiles black."""
    s, n, h, w, _ = tiles.shape
    canvas = np.zeros((rows * columns, n, h, w, 3), np.uint8)
    canvas[:s] = tiles
    canvas = canvas.reshape(rows, columns, n, h, w, 3)
    return np.ascontiguousarray(canvas.transpose(2, 0, 3, 1, 4, 5).reshape(n, rows * h, columns * w, 3))

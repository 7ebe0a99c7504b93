"""Labelled tiles: pictures laid out in a grid, each with a label drawn in a tiny built-in
5x7 bitmap font (no font files, no PIL). Pure numpy: a core module that the generators (snapshot
grids) and any other layer can use.

    columns, rows = parse_grid("7x4", 28)
    draw_label(image, "120")                       # in place, bottom-left
    frames = tile_images(tiles, columns, rows)     # (S, N, h, w, 3) -> (N, rows*h, columns*w, 3)
"""

from __future__ import annotations

import math

import numpy as np

from livelatent.errors import UsageError

# 5x7 glyphs, one string of 7 rows of 5 bits each; lower case is drawn as upper case.
_GLYPHS = {
    "0": "01110 10001 10011 10101 11001 10001 01110", "1": "00100 01100 00100 00100 00100 00100 01110",
    "2": "01110 10001 00001 00010 00100 01000 11111", "3": "11111 00010 00100 00010 00001 10001 01110",
    "4": "00010 00110 01010 10010 11111 00010 00010", "5": "11111 10000 11110 00001 00001 10001 01110",
    "6": "00110 01000 10000 11110 10001 10001 01110", "7": "11111 00001 00010 00100 01000 01000 01000",
    "8": "01110 10001 10001 01110 10001 10001 01110", "9": "01110 10001 10001 01111 00001 00010 01100",
    "A": "01110 10001 10001 11111 10001 10001 10001", "B": "11110 10001 10001 11110 10001 10001 11110",
    "C": "01110 10001 10000 10000 10000 10001 01110", "D": "11100 10010 10001 10001 10001 10010 11100",
    "E": "11111 10000 10000 11110 10000 10000 11111", "F": "11111 10000 10000 11110 10000 10000 10000",
    "G": "01110 10001 10000 10111 10001 10001 01111", "H": "10001 10001 10001 11111 10001 10001 10001",
    "I": "01110 00100 00100 00100 00100 00100 01110", "J": "00111 00010 00010 00010 00010 10010 01100",
    "K": "10001 10010 10100 11000 10100 10010 10001", "L": "10000 10000 10000 10000 10000 10000 11111",
    "M": "10001 11011 10101 10101 10001 10001 10001", "N": "10001 10001 11001 10101 10011 10001 10001",
    "O": "01110 10001 10001 10001 10001 10001 01110", "P": "11110 10001 10001 11110 10000 10000 10000",
    "Q": "01110 10001 10001 10001 10101 10010 01101", "R": "11110 10001 10001 11110 10100 10010 10001",
    "S": "01111 10000 10000 01110 00001 00001 11110", "T": "11111 00100 00100 00100 00100 00100 00100",
    "U": "10001 10001 10001 10001 10001 10001 01110", "V": "10001 10001 10001 10001 10001 01010 00100",
    "W": "10001 10001 10001 10101 10101 10101 01010", "X": "10001 10001 01010 00100 01010 10001 10001",
    "Y": "10001 10001 10001 01010 00100 00100 00100", "Z": "11111 00001 00010 00100 01000 10000 11111",
    "-": "00000 00000 00000 11111 00000 00000 00000", ".": "00000 00000 00000 00000 00000 01100 01100",
    ":": "00000 01100 01100 00000 01100 01100 00000", "_": "00000 00000 00000 00000 00000 00000 11111",
    "/": "00001 00010 00010 00100 01000 01000 10000", " ": "00000 00000 00000 00000 00000 00000 00000",
    "?": "01110 10001 00001 00010 00100 00000 00100",
}


def glyph(char: str) -> np.ndarray:
    """bool (7, 5) bitmap of a character ('?' for one the font lacks)."""
    rows = _GLYPHS.get(char.upper(), _GLYPHS["?"]).split()
    return np.array([[bit == "1" for bit in row] for row in rows])


def text_bitmap(text: str, scale: int = 1) -> np.ndarray:
    """bool (7 * scale, 6 * len * scale) bitmap of a line of text, one column between letters."""
    if not text:
        return np.zeros((7 * scale, 0), bool)
    padded = [np.pad(glyph(c), ((0, 0), (0, 1))) for c in text]
    return np.kron(np.concatenate(padded, axis=1), np.ones((scale, scale), bool))


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

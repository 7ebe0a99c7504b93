"""Labelled tiles: the built-in bitmap font and the grid layout."""

import numpy as np
import pytest

from livelatent.errors import UsageError
from livelatent.common.font import glyph, text_bitmap
from livelatent.generators.tiles import draw_label, parse_grid, tile_images


def test_font_draws_digits_and_letters_distinctly():
    glyphs = [glyph(c).tobytes() for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"]
    assert len(set(glyphs)) == len(glyphs)
    assert np.array_equal(glyph("k"), glyph("K")) and np.array_equal(glyph("~"), glyph("?"))
    assert text_bitmap("120", scale=2).shape == (14, 36)


def test_label_sits_bottom_left_on_a_dark_box():
    image = np.full((64, 64, 3), 200, np.uint8)
    draw_label(image, "120")
    assert (image[:50] == 200).all() and (image[:, 40:] == 200).all()
    corner = image[50:, :24]
    assert (corner == 255).any() and (corner == 50).any()


def test_tiles_fill_rows_left_to_right():
    tiles = np.stack([np.full((1, 2, 2, 3), v, np.uint8) for v in (1, 2, 3)])
    grid = tile_images(tiles, columns=2, rows=2)[0, :, :, 0]
    assert grid.tolist() == [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 0, 0], [3, 3, 0, 0]]


@pytest.mark.parametrize("text, count, expected", [(None, 28, (6, 5)), ("7x4", 28, (7, 4)), ("3X1", 2, (3, 1))])
def test_grid_sizes(text, count, expected):
    assert parse_grid(text, count) == expected


def test_bad_grid_text():
    with pytest.raises(UsageError, match="`grid` '7by4': expected COLUMNSxROWS"):
        parse_grid("7by4", 3)

"""One bitmap font: the HUD on screen and the labels in rendered grids draw the same letters."""

import numpy as np

from livelatent.common.font import GLYPH_H, GLYPH_W, glyph, text_bitmap
from livelatent.live.hud import text_mask


def test_the_hud_and_the_grid_labels_draw_the_same_letters():
    for char in "D7/%":
        on_screen = text_mask([char], scale=1)[2:2 + GLYPH_H, 1:1 + GLYPH_W]
        in_a_frame = text_bitmap(char)[:, :GLYPH_W]
        assert np.array_equal(on_screen.astype(bool), in_a_frame) and np.array_equal(in_a_frame, glyph(char))


def test_a_glyph_is_shared_and_cannot_be_drawn_over():
    assert glyph("a") is glyph("A") and not glyph("A").flags.writeable

"""The picture on screen: the model's exact pixels when one pixel is one texel, smooth when scaled."""

from __future__ import annotations

import numpy as np

from livelatent.live.draw import Renderer
from livelatent.live.window import HeadlessDisplay


def draw_and_read(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    display = HeadlessDisplay(size)
    try:
        r = Renderer(display.ctx)
        r.set_image(image)
        r.draw(display.framebuffer)
        return r.screenshot(display.framebuffer)
    finally:
        display.close()


def test_a_picture_one_pixel_per_texel_shows_the_models_exact_bytes():
    image = np.random.default_rng(0).integers(0, 256, (48, 64, 3), dtype=np.uint8)
    assert np.array_equal(draw_and_read(image, (64, 48)), image)


def test_a_picture_scaled_up_is_filtered_not_blocky():
    image = np.zeros((2, 2, 3), np.uint8)
    image[:, 1] = 255  # black | white
    row = draw_and_read(image, (16, 16))[8, :, 0]
    assert len(set(row.tolist()) - {0, 255}) >= 4  # a ramp between them, not two blocks

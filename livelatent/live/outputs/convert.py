"""The picture as an output sends it: letterboxed into the output's size, in its pixel format.

Pure numpy, no device: every output's frames go through here on its own thread.

    pixels = convert(image, Size(1280, 720), "RGBA")   # (720, 1280, 4) uint8, bars transparent
    pixels = convert(image, Size(640, 480), "YUYV")    # (480, 1280) uint8: Y0 U Y1 V per pixel pair

The picture keeps its aspect, as in the window (live/draw.py letterbox_scale): as large as
fits, centred, bars on two sides. Where the format carries alpha the picture is opaque and
the bars are transparent (a mixer shows the layer below there); elsewhere the bars are black.
Resizing is the proxy's (common/images.fit_image): box averages when the sizes divide,
pixel-centre samples otherwise (an integer upscale repeats each pixel exactly).
"""

from __future__ import annotations

import numpy as np

from livelatent.common.images import fit_image
from livelatent.common.sizes import Size

FORMATS = ("RGBA", "BGRA", "RGB24", "YUYV")
ALPHA = {"RGBA", "BGRA"}


def convert(image: np.ndarray, size: Size, pixel_format: str) -> np.ndarray:
    """An (H, W, 3) uint8 image as `pixel_format` pixels of `size`, C-contiguous."""
    if pixel_format not in FORMATS:
        raise ValueError(f"pixel format {pixel_format!r}: expected one of {', '.join(FORMATS)}")
    if pixel_format == "YUYV":
        return rgb_to_yuyv(letterbox(image, size))
    if pixel_format == "RGB24":
        return np.ascontiguousarray(letterbox(image, size))
    return letterbox(image, size, alpha=True, order=(2, 1, 0) if pixel_format == "BGRA" else (0, 1, 2))


def inner_rect(image_wh: tuple[int, int], size: Size) -> tuple[int, int, int, int]:
    """(x, y, w, h) of the picture inside the output: aspect kept, centred."""
    iw, ih = image_wh
    scale = min(size.width / iw, size.height / ih)
    w, h = min(size.width, round(iw * scale)), min(size.height, round(ih * scale))
    return (size.width - w) // 2, (size.height - h) // 2, w, h


def letterbox(image: np.ndarray, size: Size, *, alpha: bool = False, order=(0, 1, 2)) -> np.ndarray:
    """The image fitted into size: (h, w, 3), or (h, w, 4) with alpha 255 on the picture, 0 on the bars."""
    x, y, w, h = inner_rect((image.shape[1], image.shape[0]), size)
    picture = fit_image(image, (w, h))
    if not alpha and (w, h) == size.wh:
        return picture
    out = np.zeros((size.height, size.width, 4 if alpha else 3), np.uint8)
    for dst, src in enumerate(order):
        out[y: y + h, x: x + w, dst] = picture[..., src]
    if alpha:
        out[y: y + h, x: x + w, 3] = 255
    return out


def rgb_to_yuyv(rgb: np.ndarray) -> np.ndarray:
    """(h, w, 3) RGB (w even) -> (h, 2w) YUYV 4:2:2, BT.601 limited range (what webcams send);
    U and V from each pixel pair's mean."""
    c = rgb.astype(np.int32)
    r, g, b = c[..., 0], c[..., 1], c[..., 2]
    y = ((66 * r + 129 * g + 25 * b + 128) >> 8) + 16
    pairs = (c[:, 0::2] + c[:, 1::2] + 1) >> 1
    pr, pg, pb = pairs[..., 0], pairs[..., 1], pairs[..., 2]
    u = ((-38 * pr - 74 * pg + 112 * pb + 128) >> 8) + 128
    v = ((112 * pr - 94 * pg - 18 * pb + 128) >> 8) + 128
    out = np.empty((rgb.shape[0], rgb.shape[1] * 2), np.uint8)
    out[:, 0::4], out[:, 2::4] = y[:, 0::2], y[:, 1::2]
    out[:, 1::4], out[:, 3::4] = u, v
    return out

"""The console's GL textures (PyOpenGL, in the console's process): the bank's thumbnails in one
atlas, the small picture, and reading the window back (screenshots for tests and docs).

    atlas = Atlas(); atlas.put(12, image)        # image: uint8 (SIZE, SIZE, 3)
    atlas.uv(12)                                 # ((u0, v0), (u1, v1)) of slot 12 in the atlas
"""

from __future__ import annotations

import numpy as np
from OpenGL import GL as gl

from livelatent.live.console.thumbnails import SIZE

COLUMNS = 8


def _texture(w: int, h: int) -> int:
    tex = int(gl.glGenTextures(1))
    gl.glBindTexture(gl.GL_TEXTURE_2D, tex)
    gl.glTexParameteri(gl.GL_TEXTURE_2D, gl.GL_TEXTURE_MIN_FILTER, gl.GL_LINEAR)
    gl.glTexParameteri(gl.GL_TEXTURE_2D, gl.GL_TEXTURE_MAG_FILTER, gl.GL_LINEAR)
    gl.glTexImage2D(gl.GL_TEXTURE_2D, 0, gl.GL_RGB8, w, h, 0, gl.GL_RGB, gl.GL_UNSIGNED_BYTE,
                    np.zeros((h, w, 3), np.uint8))
    return tex


def _upload(tex: int, x: int, y: int, image: np.ndarray) -> None:
    image = np.ascontiguousarray(image, dtype=np.uint8)
    gl.glBindTexture(gl.GL_TEXTURE_2D, tex)
    gl.glPixelStorei(gl.GL_UNPACK_ALIGNMENT, 1)
    gl.glPixelStorei(gl.GL_UNPACK_ROW_LENGTH, 0)  # ImGui's backend may leave its own set
    gl.glTexSubImage2D(gl.GL_TEXTURE_2D, 0, x, y, image.shape[1], image.shape[0], gl.GL_RGB, gl.GL_UNSIGNED_BYTE,
                       image)


class Atlas:
    """One texture holding every slot's thumbnail, SIZE x SIZE each, COLUMNS to a row (made on first use)."""

    def __init__(self, slots: int = 64) -> None:
        self.rows = -(-slots // COLUMNS)
        self.tex: int | None = None
        self.filled: set[int] = set()

    def put(self, slot: int, image: np.ndarray) -> None:
        if self.tex is None:
            self.tex = _texture(COLUMNS * SIZE, self.rows * SIZE)
        if slot >= COLUMNS * self.rows or image.shape[:2] != (SIZE, SIZE):
            return
        _upload(self.tex, (slot % COLUMNS) * SIZE, (slot // COLUMNS) * SIZE, image)
        self.filled.add(slot)

    def uv(self, slot: int) -> tuple[tuple[float, float], tuple[float, float]]:
        col, row = slot % COLUMNS, slot // COLUMNS
        return (col / COLUMNS, row / self.rows), ((col + 1) / COLUMNS, (row + 1) / self.rows)


class Picture:
    """The small copy of the picture on the show's screen."""

    def __init__(self) -> None:
        self.tex: int | None = None
        self.size = (0, 0)  # (w, h)

    def put(self, image: np.ndarray) -> None:
        h, w = image.shape[:2]
        if self.tex is None or self.size != (w, h):
            if self.tex is not None:
                gl.glDeleteTextures([self.tex])
            self.tex, self.size = _texture(w, h), (w, h)
        _upload(self.tex, 0, 0, image)


def clear(rgb: tuple[float, float, float]) -> None:
    gl.glClearColor(*rgb, 1.0)
    gl.glClear(gl.GL_COLOR_BUFFER_BIT)


def read_window(size: tuple[int, int]) -> np.ndarray:
    """The window's back buffer as drawn, uint8 (H, W, 3), top row first."""
    w, h = size
    gl.glPixelStorei(gl.GL_PACK_ALIGNMENT, 1)
    data = gl.glReadPixels(0, 0, w, h, gl.GL_RGB, gl.GL_UNSIGNED_BYTE)
    return np.frombuffer(data, np.uint8).reshape(h, w, 3)[::-1].copy()

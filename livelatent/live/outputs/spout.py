"""Spout on Windows through SpoutGL (the extra livelatent[spout]). Untested here: Linux CI.

SpoutGL shares an OpenGL texture; its sender needs a GL context current on the thread that
sends, so the sink makes a hidden glfw window's context on the output's own thread. RGBA:
Spout carries alpha (the letterbox bars are transparent). Spout cannot count receivers.
"""

from __future__ import annotations

import numpy as np

from livelatent.common.output_spec import OutputSpec
from livelatent.common.sizes import Size

GL_RGBA = 0x1908


class Sink:
    pixel_format = "RGBA"

    def __init__(self, spec: OutputSpec) -> None:
        self.spec, self._sender, self._window = spec, None, None

    def open(self, size: Size, rate) -> None:
        import glfw
        import SpoutGL

        if not glfw.init():
            raise OSError("glfw cannot start (no OpenGL for Spout)")
        glfw.window_hint(glfw.VISIBLE, glfw.FALSE)
        self._window = glfw.create_window(16, 16, f"livelatent spout {self.spec.target}", None, None)
        glfw.make_context_current(self._window)
        self._sender = SpoutGL.SpoutSender()
        self._sender.setSenderName(self.spec.target)

    def send(self, pixels: np.ndarray, frame) -> None:
        h, w = pixels.shape[:2]
        if not self._sender.sendImage(pixels, w, h, GL_RGBA, False, 0):
            raise OSError("Spout refused the frame")

    def receivers(self) -> None:
        return None

    def close(self) -> None:
        import glfw

        if self._sender is not None:
            self._sender.releaseSender()
        if self._window is not None:
            glfw.destroy_window(self._window)
        self._sender = self._window = None

"""Syphon on macOS through syphon-python (the extra livelatent[syphon]). Untested here: Linux CI.

A Metal Syphon server named as the spec says; each frame is copied into a Metal texture and
published. RGBA: Syphon carries alpha (the letterbox bars are transparent); the server says
whether any client is connected.
"""

from __future__ import annotations

import numpy as np

from livelatent.common.output_spec import OutputSpec
from livelatent.common.sizes import Size


class Sink:
    pixel_format = "RGBA"

    def __init__(self, spec: OutputSpec) -> None:
        self.spec, self._server, self._texture = spec, None, None

    def open(self, size: Size, rate) -> None:
        import syphon
        from syphon.utils.raw import create_mtl_texture

        self._server = syphon.SyphonMetalServer(self.spec.target)
        self._texture = create_mtl_texture(self._server.device, size.width, size.height)

    def send(self, pixels: np.ndarray, frame) -> None:
        from syphon.utils.numpy import copy_image_to_mtl_texture

        copy_image_to_mtl_texture(pixels, self._texture)
        self._server.publish_frame_texture(self._texture)

    def receivers(self) -> int:
        return int(bool(self._server.has_clients))

    def close(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.stop()

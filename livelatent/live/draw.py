"""Drawing a frame: the generator's image letterboxed into the framebuffer, the HUD on top.

    renderer = Renderer(display.ctx)
    renderer.set_image(image)                  # uint8 (H, W, 3), uploaded once
    renderer.set_hud(lines)                    # or None to hide it; re-rasterised on change
    renderer.draw(display.framebuffer)
    renderer.screenshot(display.framebuffer)   # uint8 (h, w, 3), top row first
    renderer.reload_shaders()                  # edited shaders/*.glsl take effect; errors keep the old
"""

from __future__ import annotations

import numpy as np

from livelatent.live.hud import hud_scale, text_mask
from livelatent.live.shaders import ReloadableProgram


class Renderer:
    def __init__(self, ctx, *, shader_dirs: tuple = ()) -> None:
        import moderngl

        self._mgl = moderngl
        self.ctx = ctx
        self._image = ReloadableProgram(ctx, "image", shader_dirs)
        self._hud = ReloadableProgram(ctx, "hud", shader_dirs)
        self._bind_programs()
        self.image_tex = None
        self.hud_tex = None
        self._hud_lines: list[str] | None = None
        self._hud_key = None

    def _bind_programs(self) -> None:
        self.image_program, self.hud_program = self._image.program, self._hud.program
        self._image_vao = self.ctx.vertex_array(self.image_program, [])
        self._hud_vao = self.ctx.vertex_array(self.hud_program, [])

    def reload_shaders(self) -> str:
        """Pick up edited shader files (hot reload); the first compile error, or ""."""
        changed = [p.reload_if_changed() for p in (self._image, self._hud)]
        if any(changed):
            self._bind_programs()
        return self._image.error or self._hud.error

    def set_image(self, image: np.ndarray) -> None:
        h, w = image.shape[:2]
        if self.image_tex is None or self.image_tex.size != (w, h):
            if self.image_tex is not None:
                self.image_tex.release()
            self.image_tex = self.ctx.texture((w, h), 3, dtype="f1")  # its filter is set in draw()
        self.image_tex.write(np.ascontiguousarray(image, dtype=np.uint8))

    def set_hud(self, lines: list[str] | None, width: int = 900) -> None:
        """Lines of text over the picture (None hides it); sized for a framebuffer `width` wide."""
        key = (lines, hud_scale(width)) if lines is not None else None
        if key == self._hud_key:
            return
        self._hud_key, self._hud_lines = key, lines
        if lines is None:
            return
        mask = (text_mask(lines, scale=hud_scale(width)) * 255).astype(np.uint8)
        if self.hud_tex is not None:
            self.hud_tex.release()
        self.hud_tex = self.ctx.texture((mask.shape[1], mask.shape[0]), 1, np.ascontiguousarray(mask), dtype="f1")
        self.hud_tex.filter = (self._mgl.NEAREST, self._mgl.NEAREST)

    def draw(self, framebuffer, size: tuple[int, int] | None = None) -> None:
        """size: the framebuffer's current size (a window's changes when it is resized)."""
        framebuffer.use()
        w, h = size or framebuffer.size
        self.ctx.viewport = (0, 0, w, h)
        self.ctx.clear(0.0, 0.0, 0.0, 1.0)
        if self.image_tex is not None:
            self.image_program["scale"].value = letterbox_scale(self.image_tex.size, (w, h))
            self._set_image_filter(self.image_tex.size == (w, h))
            self.image_tex.use(0)
            self._image_vao.render(self._mgl.TRIANGLE_STRIP, vertices=4)
        if self._hud_lines is not None and self.hud_tex is not None:
            tw, th = self.hud_tex.size
            self.hud_program["rect"].value = (-1.0 + 16 / w, 1.0 - 16 / h, 2 * tw / w, 2 * th / h)
            self.ctx.enable(self._mgl.BLEND)
            self.ctx.blend_func = (self._mgl.SRC_ALPHA, self._mgl.ONE_MINUS_SRC_ALPHA)
            self.hud_tex.use(0)
            self._hud_vao.render(self._mgl.TRIANGLE_STRIP, vertices=4)
            self.ctx.disable(self._mgl.BLEND)

    def _set_image_filter(self, one_to_one: bool) -> None:
        """Nearest when each pixel is one texel: the same picture (every sample falls on a texel
        centre), and on Mesa's llvmpipe a good part cheaper than linear on the CPU cores that
        also run the model. Linear when the image is scaled into a window."""
        wanted = (self._mgl.NEAREST,) * 2 if one_to_one else (self._mgl.LINEAR,) * 2
        if self.image_tex.filter != wanted:
            self.image_tex.filter = wanted

    def screenshot(self, framebuffer, size: tuple[int, int] | None = None) -> np.ndarray:
        w, h = size or framebuffer.size
        data = framebuffer.read(viewport=(0, 0, w, h), components=3, alignment=1)
        return np.frombuffer(data, np.uint8).reshape(h, w, 3)[::-1].copy()


def letterbox_scale(image_size: tuple[int, int], view_size: tuple[int, int]) -> tuple[float, float]:
    """The image quad's half-extent in NDC: as large as fits, aspect kept, bars on two sides."""
    iw, ih = image_size
    vw, vh = view_size
    image_aspect, view_aspect = iw / ih, vw / vh
    if image_aspect > view_aspect:
        return 1.0, view_aspect / image_aspect
    return image_aspect / view_aspect, 1.0

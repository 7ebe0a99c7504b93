"""Shaders from shaders/ compile on a real EGL context; errors carry file:line; the letterbox keeps aspect."""

from __future__ import annotations

import pytest

from livelatent.errors import ShaderError
from livelatent.live.hud import GLYPH_H, text_mask
from livelatent.live.draw import Renderer, letterbox_scale
from livelatent.live.shaders import load_program
from livelatent.live.window import HeadlessDisplay


@pytest.fixture(scope="module")
def display():
    d = HeadlessDisplay((64, 32))
    yield d
    d.close()


@pytest.mark.parametrize("name", ["image", "hud"])
def test_project_shaders_compile(display, name):
    assert load_program(display.ctx, name) is not None


def test_compile_error_names_file_and_line(display, tmp_path):
    (tmp_path / "broken.glsl").write_text(
        "#version 330\n#if defined VERTEX_SHADER\nvoid main() { gl_Position = vec4(0.0); }\n"
        "#elif defined FRAGMENT_SHADER\nout vec4 c;\nvoid main() {\n    c = colr;\n}\n#endif\n")
    with pytest.raises(ShaderError, match=r"broken\.glsl:7: .*colr"):
        load_program(display.ctx, "broken", extra_dirs=(tmp_path,))


def test_missing_shader_says_where_it_looked(display):
    with pytest.raises(ShaderError, match="shader nosuch.glsl: not found in .*shaders"):
        load_program(display.ctx, "nosuch")


@pytest.mark.parametrize("image, view, expected", [
    ((256, 256), (512, 256), (0.5, 1.0)),     # square picture, wide screen: bars left and right
    ((512, 256), (256, 256), (1.0, 0.5)),     # wide picture, square screen: bars top and bottom
    ((640, 360), (1280, 720), (1.0, 1.0)),
])
def test_letterbox_keeps_the_aspect_ratio(image, view, expected):
    assert letterbox_scale(image, view) == pytest.approx(expected)


def test_letterboxed_picture_leaves_black_bars(display):
    import numpy as np

    r = Renderer(display.ctx)
    r.set_image(np.full((32, 32, 3), 200, np.uint8))  # square picture in a 64x32 framebuffer
    r.draw(display.framebuffer)
    shot = r.screenshot(display.framebuffer)
    assert shot[:, :14].max() == 0 and shot[:, 50:].max() == 0 and shot[:, 20:44].min() == 200


def test_hud_text_is_ink_on_clear():
    mask = text_mask(["FPS 30", "REC"], scale=1)
    assert mask.shape[0] == 2 * (GLYPH_H + 2) + 2 and 0 < mask.mean() < 0.5


def test_edited_shader_reloads_and_a_broken_edit_keeps_the_last_good_one(display, tmp_path):
    import os

    from livelatent.live.shaders import PROJECT_SHADERS, ReloadableProgram

    source = (PROJECT_SHADERS / "image.glsl").read_text()
    path = tmp_path / "image.glsl"
    path.write_text(source)
    program = ReloadableProgram(display.ctx, "image", extra_dirs=(tmp_path,))
    first = program.program
    path.write_text(source.replace("colour = vec4(texture(image, uv).rgb, 1.0);", "colour = vec4(1.0);"))
    os.utime(path, (1, 1))
    assert program.reload_if_changed() and program.program is not first and program.error == ""
    good = program.program
    path.write_text(source.replace("colour = vec4(texture(image, uv).rgb, 1.0);", "colour = colr;"))
    os.utime(path, (2, 2))
    assert not program.reload_if_changed() and program.program is good
    assert program.error.startswith(str(path)) and "colr" in program.error

"""The frame conversion every output uses, on its own: letterbox, alpha, pixel formats, pacing."""

from fractions import Fraction

import numpy as np
import pytest

from livelatent.common.output_spec import OutputSpec
from livelatent.common.sizes import Size
from livelatent.errors import UsageError
from livelatent.live.outputs.convert import convert, inner_rect, rgb_to_yuyv
from livelatent.live.outputs.pacing import FixedRate, schedule


def picture(h=4, w=4, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)


def test_the_show_size_goes_out_as_it_is_with_opaque_alpha():
    image = picture()
    rgba = convert(image, Size(4, 4), "RGBA")
    assert rgba.shape == (4, 4, 4) and rgba.flags.c_contiguous
    assert (rgba[..., :3] == image).all() and (rgba[..., 3] == 255).all()
    assert (convert(image, Size(4, 4), "BGRA")[..., :3] == image[..., ::-1]).all()
    assert (convert(image, Size(4, 4), "RGB24") == image).all()


def test_a_wider_output_letterboxes_with_transparent_bars_and_repeats_pixels_exactly():
    image = picture(4, 4)
    rgba = convert(image, Size(16, 8), "RGBA")  # the picture doubled, centred: bars 4 wide
    assert inner_rect((4, 4), Size(16, 8)) == (4, 0, 8, 8)
    assert (rgba[:, :4] == 0).all() and (rgba[:, 12:] == 0).all()
    assert (rgba[:, 4:12, :3] == image.repeat(2, 0).repeat(2, 1)).all() and (rgba[:, 4:12, 3] == 255).all()
    rgb = convert(image, Size(16, 8), "RGB24")  # no alpha: black bars
    assert (rgb[:, :4] == 0).all() and (rgb[:, 4:12] == image.repeat(2, 0).repeat(2, 1)).all()


def test_a_smaller_output_box_averages_like_the_proxy():
    image = np.zeros((4, 4, 3), np.uint8)
    image[:2, :2] = 200
    small = convert(image, Size(2, 2), "RGB24")
    assert small[0, 0].tolist() == [200] * 3 and small[1, 1].tolist() == [0] * 3


def test_yuyv_is_bt601_limited_range_with_chroma_from_each_pixel_pair():
    rgb = np.array([[[0, 0, 0], [255, 255, 255], [255, 0, 0], [255, 0, 0]]], np.uint8)
    yuyv = rgb_to_yuyv(rgb)
    assert yuyv.shape == (1, 8)
    y0, u0, y1, v0, y2, u1, y3, v1 = yuyv[0].tolist()
    assert (y0, y1) == (16, 235) and (u0, v0) == (128, 128)  # grey pair: no chroma
    assert y2 == y3 == 82 and (u1, v1) == (90, 240)  # pure red, as BT.601 says
    assert convert(picture(2, 2), Size(4, 2), "YUYV").shape == (2, 8)


def test_an_unknown_pixel_format_is_refused():
    with pytest.raises(ValueError, match="pixel format 'NV12'"):
        convert(picture(), Size(4, 4), "NV12")


def test_a_fixed_rate_repeats_the_newest_frame_and_skips_none_shown():
    shown_at = [k / 24 for k in range(24)]  # a 24 fps show into a 30 fps output, one second
    carried = schedule(shown_at, Fraction(30), 1.0)
    assert len(carried) == 30 and carried[0] == 0 and carried[-1] == 23
    assert sorted(set(carried)) == list(range(24))  # every frame goes out at least once
    assert len(carried) - len(set(carried)) == 6  # and 6 are repeated
    faster = schedule([k / 60 for k in range(60)], Fraction(30), 1.0)
    assert faster == list(range(0, 60, 2))  # a 60 fps show at 30: every other frame


def test_a_late_sender_skips_ticks_instead_of_bursting():
    pacer = FixedRate(Fraction(10), start=0.0)
    assert pacer.due(0.0) and not pacer.due(0.05)
    assert pacer.due(0.35) and pacer.skipped == 2  # ticks 1 and 2 passed while it was late
    assert pacer.next_at() == pytest.approx(0.4)


@pytest.mark.parametrize("text, kind, name, size, rate", [
    ("ndi:stage", "ndi", "stage", None, None),
    ("ndi:stage@1280x720", "ndi", "stage", Size(1280, 720), None),
    ("ndi:stage@1280x720@30000/1001", "ndi", "stage", Size(1280, 720), Fraction(30000, 1001)),
    ("ndi:b@25", "ndi", "b", None, Fraction(25)),
    ("v4l2:/dev/video10@640x480", "v4l2", "video10", Size(640, 480), None),
    ("syphon:main", "syphon", "main", None, None),
], ids=["name", "size", "size-rate", "rate", "v4l2", "syphon"])
def test_an_output_spec_reads_kind_name_size_and_rate(text, kind, name, size, rate):
    spec = OutputSpec.parse(text)
    assert (spec.kind, spec.name, spec.size) == (kind, name, size)
    assert (spec.rate.value if spec.rate else None) == rate
    assert OutputSpec.parse(str(spec)) == spec


@pytest.mark.parametrize("text, fragment", [
    ("rtmp:x", "expected KIND:NAME"), ("ndi:", "expected a name"), ("ndi:a b", "expected a name"),
    ("ndi:x@33x33", "size '33x33'"), ("ndi:x@fast", "expected a size WxH or a frame rate"),
    ("ndi:x@0", "expected a size WxH or a frame rate"), ("v4l2:video10", "expected a device"),
], ids=["kind", "empty", "space", "odd-size", "word", "zero-rate", "v4l2-path"])
def test_a_wrong_output_spec_is_one_line_saying_the_form(text, fragment):
    with pytest.raises(UsageError, match=fragment):
        OutputSpec.parse(text)

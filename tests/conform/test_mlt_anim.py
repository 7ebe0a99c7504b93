"""MLT keyframe strings and how much of the frame a clip covers, without melt: the values
Kdenlive writes (clock times, percentages, decimal commas from other locales, old geometry)."""

from fractions import Fraction

import numpy as np
import pytest

from livelatent.errors import ProjectError
from livelatent.edit.layering import Opacity, Placement, ScaleTilt, Span, look_cover
from livelatent.edit.mlt_anim import parse_animation

FPS = Fraction(25)
HD = (1920, 1080)


def values(text, positions, length=100, column=0):
    return parse_animation(text, FPS).at(np.array(positions), length)[:, column].round(4).tolist()


@pytest.mark.parametrize("text,positions,expected", [
    ("0=0;10=1", [0, 5, 10, 20], [0.0, 0.5, 1.0, 1.0]),
    ("00:00:00.000=0;00:00:00.400=1", [5], [0.5]),  # clock times at the project rate
    ("0,5", [0, 99], [0.5, 0.5]),  # a decimal comma (Kdenlive under a comma locale)
    ("0=0;-1=1", [0, 99], [0.0, 1.0]),  # counted from the end of the animation
    ("0|=0;10=1", [9, 10], [0.0, 1.0]),  # discrete: held until the next keyframe
    ("0~=0;10~=1;20~=0", [5, 10], [0.5625, 1.0]),  # MLT's Catmull-Rom
], ids=["linear", "clock", "comma", "from-end", "discrete", "smooth"])
def test_keyframes_evaluate_as_mlt_does(text, positions, expected):
    assert values(text, positions) == expected


def test_rects_read_percentages_old_geometry_and_decimal_commas():
    pct = parse_animation("0=0% 0% 100% 100% 50%", FPS)
    assert pct.relative and pct.at(np.array([0]), 1).tolist() == [[0, 0, 1, 1, 0.5]]
    old = parse_animation("0=0,0:100%x100%:70", FPS)  # commas separate x,y in the old format
    assert old.at(np.array([0]), 1).tolist() == [[0, 0, 1, 1, 70]]
    comma = parse_animation("00:00:00,000=0 0 1920 1080 0,5", FPS)
    assert comma.at(np.array([0]), 1).tolist() == [[0, 0, 1920, 1080, 0.5]]
    with pytest.raises(ProjectError, match="no number"):
        parse_animation("0=;5=1", FPS)


def _cover(effect, positions=(0,)):
    return look_cover((effect,), np.array(positions, np.float64)).round(3).tolist()


@pytest.mark.parametrize("rect,expected", [
    ("0 0 1920 1080 1", 1.0), ("-10 -5 1940 1090 1", 1.0), ("0 0 1920 1080 0.25", 0.25),
    ("0 0 960 540 1", 0.0), ("0% 0% 100% 100% 100%", 1.0), ("480 0 960 1080 1", 0.0),
    ("0 0 1920 1079.5 1", 1.0),  # a rounding pixel short still fills
    ("-99 -123 2133 1200 1", 1.0),  # 3 pixels short at the bottom, sized by hand (datalad's project)
    ("0 0 1920 1070 1", 0.0),  # 10 pixels short: a strip of the track below shows
], ids=["full", "bigger", "translucent", "inset", "percent", "pillar", "rounding", "by-hand", "short"])
def test_a_placement_fills_the_frame_when_its_picture_covers_every_corner(rect, expected):
    assert _cover(Placement(parse_animation(rect, FPS), HD)) == [expected]


def test_rotation_aspect_spans_and_scale0tilt():
    rotated = Placement(parse_animation("0 0 1920 1080 1", FPS), HD, rotation=parse_animation("0=0;10=90", FPS))
    assert _cover(rotated, [0, 5]) == [1.0, 0.0]
    zoomed = Placement(parse_animation("-1000 -1000 3920 3080 1", FPS), HD, rotation=parse_animation("30", FPS))
    assert _cover(zoomed) == [1.0]
    squeezed = parse_animation("0 0 1920 540 1", FPS)  # the picture keeps its aspect unless distorted
    assert _cover(Placement(squeezed, HD)) == [0.0] and _cover(Placement(squeezed, HD, distort=True)) == [0.0]
    fade = Opacity(parse_animation("0=1;9=0", FPS), Span(10, 19, 10))
    assert _cover(fade, [5, 10, 19, 25]) == [1.0, 1.0, 0.0, 1.0]  # only inside its span
    follows = Opacity(parse_animation("-1", FPS), level=parse_animation("0=1;4=0", FPS), span=Span(0, 4, 5))
    assert _cover(follows, [2]) == [0.5]
    half = ScaleTilt((("Scale X", parse_animation("0.25", FPS)), ("Scale Y", parse_animation("0,25", FPS))), HD)
    assert _cover(half) == [0.0] and _cover(ScaleTilt((), HD)) == [1.0]

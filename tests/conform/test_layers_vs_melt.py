"""What is drawn on top: the conform takes the z of the topmost clip that fills the frame
opaquely, and melt agrees frame by frame (Kdenlive's generations: gen2 and timeline2 or
sequences structures).

Titles, insets and shrunk colour boxes are overlays: the clip below keeps the frame (their
blocks of the frame code are masked where they are drawn). Opacity fades and blend modes
between two clips are blends by their weight; keyframed geometry is evaluated per frame.
"""

from fractions import Fraction
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from livelatent.adapters.kdenlive import read_project
from livelatent.edit.picks import NONE, pick

from .conftest import mismatches_with_melt, requires_melt
from .kdenlive_writer import Blank, Cut, Image, Lanes, effect, in_generation, sequences, timeline2

pytestmark = requires_melt
FPS = Fraction(25)
TWO = ["gen2", "timeline2"]
TITLE = ('<kdenlivetitle duration="250" LC_NUMERIC="C" width="64" height="36" out="249">'
         '<item type="QGraphicsRectItem" z-index="0"><position x="0" y="0"><transform>1,0,0,0,1,0,0,0,1</transform>'
         '</position><content brushcolor="255,255,255,255" pencolor="0,0,0,255" penwidth="0" rect="0,0,8,9"/></item>'
         '<startviewport rect="0,0,64,36"/><endviewport rect="0,0,64,36"/><background color="0,0,0,{alpha}"/>'
         '</kdenlivetitle>')
CORNER = "0 0 16 9 1"  # a 16:9 inset over the two top-left blocks of the 64x36 frame


def _project(folder, name, generation, tracks, **options):
    path = folder / f"{name}_{generation}.kdenlive"
    path.write_text(in_generation(generation, FPS, tracks, **options))
    return path


def title(first, last, alpha=0):
    return Image(Path("title"), first, last, "kdenlivetitle", props=(("xmldata", escape(TITLE.format(alpha=alpha))),))


@pytest.mark.parametrize("generation", TWO)
def test_a_transparent_title_over_a_clip_keeps_the_clip_and_is_listed_as_an_overlay(media, generation):
    folder, c = media
    v1 = [Cut(c[1], 0, 39)]
    v2 = [Blank(5), title(0, 19), Blank(5), title(0, 4, alpha=255)]  # the second title is opaque
    project = _project(folder, "title", generation, [v1, v2])
    picks = pick(read_project(project))
    assert (picks.overlay[5:25] != NONE).all() and (picks.overlay[:5] == NONE).all()
    assert picks.sources[picks.src[32, 0]].kind == "title"  # an opaque title is the picture
    assert mismatches_with_melt(project, masked={0}) == []


@pytest.mark.parametrize("generation", TWO)
@pytest.mark.parametrize("inset", [
    effect("qtblend", rect=CORNER, compositing=0, distort=0, rotate_center=1),
    effect("affine", **{"transition.rect": CORNER, "transition.distort": 0, "background": "colour:0"}),
    effect("frei0r.scale0tilt", **{"Scale X": 0.125, "Scale Y": 0.125}),
], ids=["qtblend", "affine", "scale0tilt"])
def test_a_picture_in_picture_inset_leaves_the_frame_to_the_clip_below(media, generation, inset):
    folder, c = media
    v1 = [Cut(c[1], 0, 29)]
    v2 = [Blank(5), Cut(c[2], 10, 29, effects=(inset,))]
    project = _project(folder, f"inset_{inset.service}", generation, [v1, v2])
    assert mismatches_with_melt(project, masked={0, 1}) == []
    assert pick(read_project(project), layers="top").src[5, 0] != pick(read_project(project)).src[5, 0]


@pytest.mark.parametrize("generation", TWO)
def test_a_shrunk_colour_box_is_an_overlay(media, generation):
    folder, c = media
    box = Image(Path("0x808080ff"), 0, 14, "color", effects=(effect("qtblend", rect="0 0 8 9 1", distort=1),))
    project = _project(folder, "colour_box", generation, [[Cut(c[3], 0, 29)], [Blank(4), box]])
    assert mismatches_with_melt(project, masked={0}) == []


@pytest.mark.parametrize("generation", TWO)
def test_opacity_fades_between_two_clips_blend_by_their_opacity(media, generation):
    folder, c = media
    fade_in = effect("qtblend", 10, 19, rect="0=0 0 64 36 0;9=0 0 64 36 1", compositing=0, distort=0)
    fade_out = effect("brightness", 40, 49, level=1, alpha="00:00:00.000=1;00:00:00.360=0")  # fade_to_black, 24.11+
    v1 = [Cut(c[1], 0, 39)]
    v2 = [Cut(c[2], 10, 19, effects=(fade_in,)), Blank(10), Cut(c[5], 40, 49, effects=(fade_out,))]
    project = _project(folder, "opacity", generation, [v1, v2])
    # Qt draws the qtblend opacity through 8-bit premultiplied alpha: up to 0.011 below the keyframe value
    assert mismatches_with_melt(project, tolerance=0.015) == []


@pytest.mark.parametrize("generation", TWO)
def test_compositions_fade_by_their_geometry_opacity_and_add_by_equal_weights(media, generation):
    folder, c = media
    v1, v2 = [Cut(c[1], 0, 49)], [Cut(c[2], 0, 49)]
    fade = {"mlt_service": "composite", "kdenlive_id": "composite", "geometry": "0=0% 0% 100% 100% 0%;9=0% 0% 100% 100% 100%"}
    project = _project(folder, "composite_fade", generation, [v1, v2], compositions=[(0, 1, 5, 19, False, fade)])
    assert mismatches_with_melt(project) == []
    add = {"mlt_service": "frei0r.addition", "kdenlive_id": "frei0r.addition"}
    project = _project(folder, "addition", generation, [v1, v2], compositions=[(0, 1, 20, 29, False, add)])
    assert mismatches_with_melt(project, additive=True) == []


@pytest.mark.parametrize("generation", ["timeline2", "sequences"])
def test_keyframed_geometry_is_evaluated_per_frame(media, generation):
    folder, c = media
    # off the frame until position 5 of the filter, then full; from 15 shrunk into the corner
    slide = effect("qtblend", 10, 39, rect="0|=100% 0% 100% 100% 100%;5|=0 0 64 36 1;15|=0 0 16 9 1", distort=0)
    # opacity by smooth keyframes counted from the end of the filter
    smooth = effect("brightness", 0, 19, level=1, alpha="0~=1;-10~=1;-1~=0.2")
    v2 = [Cut(c[2], 10, 39, effects=(slide,)), Cut(c[5], 0, 19, effects=(smooth,))]
    project = _project(folder, "keyframes", generation, [[Cut(c[1], 0, 49)], v2])
    assert mismatches_with_melt(project, masked={0, 1}) == []


@pytest.mark.parametrize("generation", ["timeline2", "sequences"])
def test_a_track_shrunk_by_a_track_effect_leaves_the_frame_to_the_track_below(media, generation):
    folder, c = media
    shrunk = Lanes([Blank(3), Cut(c[2], 0, 19), Cut(c[5], 0, 9)], effects=(effect("qtblend", 0, 29, rect=CORNER),))
    tracks = [Lanes([Cut(c[1], 0, 39)]), shrunk]
    text = timeline2(FPS, tracks) if generation == "timeline2" else sequences(FPS, tracks, {})
    project = folder / f"shrunk_track_{generation}.kdenlive"
    project.write_text(text)
    assert mismatches_with_melt(project, masked={0, 1}) == []
    assert (pick(read_project(project)).overlay[3:30] != NONE).all()

"""What the real sample projects taught (tests/conform/samples.py): each cause of a
disagreement, reduced to a small project in two Kdenlive generations and checked against melt
frame by frame.
"""

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from livelatent.adapters.kdenlive import read_project
from livelatent.edit.picks import pick

from .coded_media import code_bits, write_clip
from .conftest import mismatches_with_melt, requires_melt
from .kdenlive_writer import Blank, Clip, Cut, Image, effect, in_generation
from .melt_check import render_levels

pytestmark = requires_melt
FPS = Fraction(25)
TWO = ["gen2", "timeline2"]


def _shows(project: Path, t: int) -> str:
    """The label of the source the conform gives frame t."""
    picks = pick(read_project(project))
    return picks.sources[picks.src[t, 0]].label


def _project(folder, name, generation, tracks, **options):
    path = folder / f"{name}_{generation}.kdenlive"
    path.write_text(in_generation(generation, FPS, tracks, **options))
    return path


@pytest.mark.parametrize("generation", TWO)
def test_an_affine_filter_places_its_clip_by_rect_and_ignores_an_mlt6_geometry(media, generation):
    """allanbreyes' 17.08 grid of four quarter-size clips: Kdenlive 17.08 wrote pan_zoom's
    rect as `transition.geometry`, which melt 7's affine no longer reads: every clip fills
    the frame, and the top one gives it."""
    folder, c = media
    old = effect("affine", **{"transition.geometry": "0/0:16x9:100", "transition.distort": 0})
    new = effect("affine", **{"transition.rect": "0/0:16x9:100", "transition.distort": 0})
    v1 = [Cut(c[1], 0, 29)]
    v2 = [Blank(5), Cut(c[2], 10, 19, effects=(old,)), Cut(c[5], 0, 9, effects=(new,))]
    project = _project(folder, "affine_geometry", generation, [v1, v2])
    assert _shows(project, 5) == "clip2"  # the old geometry: full frame
    assert _shows(project, 15) == "clip1"  # the rect: an inset over clip 1
    assert mismatches_with_melt(project, masked={0, 1}) == []


@pytest.mark.parametrize("generation", TWO)
def test_a_colour_clip_keyed_by_its_own_colour_is_transparent(media, generation):
    """allanbreyes' top track: a black colour clip under a chroma key of black (MLT keys by
    chroma alone, so black, grey and white clips all vanish) shows the clip below; a red
    one keyed by black stays opaque."""
    folder, c = media
    key = effect("chroma", key="0x000000ff", variance=0.15)
    black = Image(Path("0x000000ff"), 0, 9, "color", effects=(key,))
    red = Image(Path("0xff0000ff"), 0, 9, "color", effects=(key,))
    project = _project(folder, "chroma_colour", generation, [[Cut(c[1], 0, 29)], [Blank(5), black, red]])
    assert _shows(project, 7) == "clip1"
    assert _shows(project, 17) == "0xff0000ff"
    assert mismatches_with_melt(project) == []


def test_a_chroma_key_on_footage_is_named_as_not_modelled(media):
    folder, c = media
    key = effect("chroma", key="0x00ff00ff", variance=0.15)
    project = _project(folder, "chroma_footage", "timeline2", [[Cut(c[1], 0, 9)], [Cut(c[2], 0, 9, effects=(key,))]])
    assert any("chroma key on footage is not modelled" in note for note in read_project(project).notes)


@pytest.mark.parametrize("generation", TWO)
def test_an_affine_composition_reads_rect_and_not_geometry(media, generation):
    folder, c = media
    inset = "0 0 16 9 1"
    old = {"mlt_service": "affine", "kdenlive_id": "affine", "geometry": inset, "distort": 0}
    new = {"mlt_service": "affine", "kdenlive_id": "affine", "rect": inset, "distort": 0}
    project = _project(folder, "affine_composition", generation, [[Cut(c[1], 0, 29)], [Cut(c[2], 0, 29)]],
                       compositions=[(0, 1, 0, 9, False, old), (0, 1, 10, 19, False, new)])
    assert (_shows(project, 5), _shows(project, 15), _shows(project, 25)) == ("clip2", "clip1", "clip2")
    assert mismatches_with_melt(project, masked={0, 1}) == []


def test_frames_no_clip_fills_are_named_with_the_clip_whose_z_they_take(media):
    """datalad's split screens: two clips side by side, neither filling the frame. The conform
    takes the lower one (a clip over nothing is shown whatever it covers) and says so."""
    folder, c = media
    left = effect("qtblend", rect="-16 0 64 36 1", distort=0)
    right = effect("qtblend", rect="32 0 64 36 1", distort=0)
    v1, v2 = [Cut(c[1], 0, 19, effects=(left,))], [Blank(10), Cut(c[2], 0, 9, effects=(right,))]
    project = _project(folder, "split_screen", "timeline2", [v1, v2])
    picks = pick(read_project(project))
    assert _shows(project, 15) == "clip1" and (picks.cover < 1).all()
    assert picks.notes == ["clip1 on track V1: no clip fills the frame on 20 frames (00:00:00.000-00:00:00.760); "
                           "its z is taken though it is partly transparent, shrunk or moved there"]


@pytest.mark.parametrize("generation", TWO)
def test_a_clip_of_another_shape_leaves_the_frame_to_the_track_below(media, generation):
    """datalad's and mgrl39's phone clips: melt fits a portrait picture into the frame (or a
    transform's rect) and the track below shows at its sides, so the clip below keeps the
    frame; zoomed to cover the frame, the portrait clip gives it."""
    folder, c = media
    write_clip(folder / "c6.mkv", 6, 60, FPS, size=(20, 36))
    tall = Clip(6, Path("c6.mkv"), 60, FPS, size=(20, 36))  # about a 1080x1920 phone clip's shape
    zoom = effect("qtblend", rect="-8 -36 80 142 1", distort=0)
    v2 = [Blank(5), Cut(tall, 0, 9), Cut(tall, 10, 19, effects=(zoom,))]
    project = _project(folder, "portrait", generation, [[Cut(c[1], 0, 29)], v2])
    assert [_shows(project, t) for t in (7, 17)] == ["clip1", "clip6"]
    levels = render_levels(project, 30)
    sides = np.r_[0:3, 6:8, 8:11, 14:16, 16:19, 22:24, 24:27, 30:32]  # the blocks beside the strip
    for t in range(5, 15):
        assert np.abs(levels[t][sides] - code_bits(1, t)[sides]).max() < 0.08, t
    for t in range(15, 25):  # zoomed, the portrait clip covers the sides too
        assert np.abs(levels[t][sides] - code_bits(1, t)[sides]).max() > 0.5, t


@pytest.mark.parametrize("generation", TWO)
def test_a_clip_that_hides_all_of_a_smaller_one_below_gives_the_frame(media, generation):
    """OpenTimelineIO's PAL sample (every clip 3:1, letterboxed in 4:3) and phone edits in a
    16:9 timeline: a portrait clip over another of its shape hides all of it, so the upper
    one gives the frame, though neither fills it."""
    folder, c = media
    write_clip(folder / "c7.mkv", 7, 60, FPS, size=(20, 36))
    write_clip(folder / "c8.mkv", 8, 60, FPS, size=(20, 36))
    lower, upper = (Clip(k, Path(f"c{k}.mkv"), 60, FPS, size=(20, 36)) for k in (7, 8))
    project = _project(folder, "portraits", generation, [[Cut(lower, 0, 19)], [Blank(5), Cut(upper, 0, 9)]])
    assert [_shows(project, t) for t in (2, 7, 17)] == ["clip7", "clip8", "clip7"]
    levels = render_levels(project, 20)
    strip = np.r_[0:32].reshape(4, 8)[:, 3:5].ravel()  # the blocks inside the centred strip
    assert np.abs(levels[7][strip] - levels[2][strip]).max() > 0.5  # clip 8 drawn over clip 7's strip
    sides = np.setdiff1d(np.arange(32), np.r_[0:32].reshape(4, 8)[:, 2:6].ravel())
    assert np.abs(levels[2:18][:, sides]).max() < 0.05  # black beside the strip: nothing else shows

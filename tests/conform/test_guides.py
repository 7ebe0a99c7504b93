"""Timeline guides, read where each Kdenlive generation keeps them (and OTIO timeline markers):
the frames a keyframe edit puts keyframes on without a cut."""

from fractions import Fraction
from pathlib import Path

import pytest
from lxml import etree

from livelatent.adapters.kdenlive import read_project
from livelatent.adapters.kdenlive_guides import read_guides
from livelatent.errors import ProjectError
from livelatent.offline.edit_reader import read_edit
from livelatent.timeline import Guide

from .kdenlive_writer import GENERATIONS, Image, in_generation

DATA = Path(__file__).parents[1] / "data"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "kdenlive-samples"


@pytest.mark.parametrize("generation", GENERATIONS)
def test_each_generation_keeps_its_guides_where_kdenlive_writes_them(tmp_path, generation):
    # 15.08-18.12: kdenlive:guide.SECONDS with a decimal comma; 19.04-22.12: docproperties JSON;
    # 23.04+: the sequence's own JSON. Frame 47 is 1.88 s at 25 fps: it has to round back to 47
    project = tmp_path / f"{generation}.kdenlive"
    project.write_text(in_generation(generation, Fraction(25), [[Image(Path("a.png"), 0, 99, "pixbuf")]],
                                     guides=[(70, "lift"), (47, "turn")]))
    assert read_project(project).guides == (Guide(47, "turn"), Guide(70, "lift"))


def test_real_projects_guides():
    assert read_project(DATA / "kdenlive" / "opentimelineio__kdenlive_example_v221170.kdenlive").guides == (
        Guide(230, "Purple Marker"), Guide(466, "Green"))
    assert read_project(DATA / "kdenlive" / "kdenlive-test-suite__sequences.kdenlive").guides == ()


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/kdenlive-samples (not redistributed)")
def test_a_17_12_project_saved_in_a_comma_locale():
    # "kdenlive:guide.7,52" at 25 fps: frame 188
    project = SHARED / "singularis-mzf-booktrailer" / "video.kdenlive"
    assert read_project(project).guides == (Guide(188, "Začátek zvuku vlaku"),)


def test_a_0_9_document_keeps_guides_in_kdenlivedoc():
    root = etree.fromstring('<mlt><kdenlivedoc><guides><guide time="1.04" comment="a"/><guide time="0.5" comment="b"/>'
                            '</guides></kdenlivedoc><tractor id="maintractor"/></mlt>')
    assert read_guides(root, root.find("tractor"), Fraction(25), Path("old.kdenlive")) == (Guide(13, "b"), Guide(26, "a"))


def test_premiere_sequence_markers_come_through_otio_as_guides():
    pytest.importorskip("opentimelineio")
    timeline = read_edit(DATA / "otio" / "premiere_example.xml")
    assert [g.frame for g in timeline.guides] == [113, 298, 492]
    assert timeline.guides[0].comment == "My MArker 1"


@pytest.mark.parametrize("text, fragment", [
    ("[{", "not valid JSON"), ('{"pos": 3}', "expected a JSON list"), ('[{"pos": -3}]', "frame number pos >= 0"),
    ('[{"pos": 2.5}]', "frame number pos >= 0"), ('["x"]', "frame number pos >= 0")])
def test_a_broken_guides_property_is_one_line_naming_it(tmp_path, text, fragment):
    project = tmp_path / "bad.kdenlive"
    good = in_generation("timeline2", Fraction(25), [[Image(Path("a.png"), 0, 9, "pixbuf")]], guides=[(3, "x")])
    project.write_text(good.replace('[{"comment": "x", "pos": 3, "type": 0}]', text))
    with pytest.raises(ProjectError, match=f"bad.kdenlive: kdenlive:docproperties.guides: .*{fragment}"):
        read_project(project)

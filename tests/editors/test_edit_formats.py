"""Which editor's format an edit is in, told by its content: editors' exports are named loosely."""

import shutil
import zipfile

import pytest

from livelatent.adapters.edit_formats import detect
from livelatent.errors import ProjectError

from .test_samples import DATA, unpacked

CONTENT = {  # a sample, and the format its content says
    "avid_example.edl": "edl",
    "simple_cut.otio": "otio",
    "premiere_example.xml": "fcp-xml",
    "fcpx_project.fcpxml": "fcpxml",
    "one_clip.aaf.gz": "aaf",
}


@pytest.mark.parametrize("name", sorted(CONTENT))
def test_the_content_decides_whatever_the_file_is_called(name, tmp_path):
    edit = unpacked(name, tmp_path)
    misnamed = edit.rename(tmp_path / "export.txt")
    assert detect(misnamed) == CONTENT[name]


def test_an_mlt_root_is_kdenlive_even_in_an_xml_file(tmp_path):
    shutil.copy(DATA.parent / "kdenlive" / next(p.name for p in (DATA.parent / "kdenlive").glob("*.kdenlive")),
                tmp_path / "project.xml")
    assert detect(tmp_path / "project.xml") == "kdenlive"


def test_bundles_are_told_by_what_they_hold(tmp_path):
    folder = tmp_path / "cut.otiod"
    folder.mkdir()
    shutil.copy(DATA / "simple_cut.otio", folder / "content.otio")
    assert detect(folder) == "otiod"
    with zipfile.ZipFile(tmp_path / "cut.zip", "w") as bundle:
        bundle.write(DATA / "simple_cut.otio", "content.otio")
    assert detect(tmp_path / "cut.zip") == "otioz"
    library = tmp_path / "cut.fcpxmld"
    library.mkdir()
    shutil.copy(DATA / "fcpx_project.fcpxml", library / "Info.fcpxml")
    assert detect(library) == "fcpxml"


def test_an_unknown_file_is_one_line_asking_for_format_and_format_wins(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("shot list: take 1, take 2\n")
    with pytest.raises(ProjectError, match=r"notes.txt: cannot tell which editor's format this is; expected one of "
                                           r"kdenlive, otio, .*aaf \(say which with `format`\)$"):
        detect(notes)
    assert detect(notes, "edl") == "edl"
    with pytest.raises(ProjectError, match="a folder, but neither an .otiod"):
        detect(tmp_path)

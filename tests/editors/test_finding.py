"""Finding each clip's z-sequence from an OTIO edit, as an assistant editor relinks media: the
media URL (absolute, relative to the edit, or moved and found with --search), the clip name or
an EDL's reel as a stem, and the livelatent_id embedded in a proxy that was renamed."""

from fractions import Fraction

import opentimelineio as otio
import pytest

from livelatent.errors import ProjectError
from livelatent.offline.conform_edit import conform_project

from conform.coded_media import write_clip

from .build import clip, timeline, track, write, zpair


def conform_one(tmp_path, item, search=()):
    seq, report = conform_project(write(tmp_path / "cut.otio", timeline([track(item)])), search=list(search))
    return seq, next(iter(report["sources"].values()))


def test_a_url_relative_to_the_edit_finds_the_pair_beside_the_media(tmp_path):
    zpair(tmp_path / "media" / "take-1", 7)
    seq, how = conform_one(tmp_path, clip("take-1", 3, 5, url="media/take-1.mp4"))
    assert seq.z[0].tolist() == [7, 3] and how.endswith("media/take-1.npy")


def test_an_absolute_file_url_of_moved_media_is_found_with_search(tmp_path):
    zpair(tmp_path / "moved" / "take-2", 2)
    url = "file:///Volumes/Old%20Drive/takes/take-2.mp4"
    with pytest.raises(ProjectError, match=r"clip 'take-2' on track V1 at frame 0: /Volumes/Old Drive/takes/take-2.mp4 "
                                           r"not found and no z-sequence for it \(use `search` DIR"):
        conform_one(tmp_path, clip("take-2", 0, 5, url=url))
    seq, _ = conform_one(tmp_path, clip("take-2", 4, 5, url=url), search=[tmp_path / "moved"])
    assert seq.z[0].tolist() == [2, 4]


def test_a_windows_path_from_another_machine_is_found_by_its_name(tmp_path):
    zpair(tmp_path / "sc01_sh010_anim", 3)
    seq, _ = conform_one(tmp_path, clip("x", 1, 5, url="file://localhost/D%3a/media/sc01_sh010_anim.mov"))
    assert seq.z[0].tolist() == [3, 1]


def test_an_edl_clip_name_or_its_8_character_reel_is_looked_up_as_a_stem(tmp_path):
    zpair(tmp_path / "search" / "take-0042", 4)
    named = clip("take-0042", 2, 5, media=otio.schema.MissingReference())
    seq, how = conform_one(tmp_path, named, search=[tmp_path / "search"])
    assert seq.z[0].tolist() == [4, 2] and "take-0042.npy" in how
    zpair(tmp_path / "search" / "TAKE0042", 5)
    reeled = clip("no such name", 2, 5, media=otio.schema.MissingReference())
    reeled.metadata["cmx_3600"] = {"reel": "TAKE0042"}
    seq, _ = conform_one(tmp_path, reeled, search=[tmp_path / "search"])
    assert seq.z[0].tolist() == [5, 2]


def test_a_name_found_nowhere_is_one_line_naming_the_names(tmp_path):
    lost = clip("take-9", 0, 5, media=otio.schema.MissingReference())
    with pytest.raises(ProjectError, match=r"^clip 'take-9' on track V1 at frame 0: no media file, and no z-sequence "
                                           r"named take-9 beside the edit \(use `search` DIR\)$"):
        conform_one(tmp_path, lost)


def test_a_renamed_proxy_is_found_by_the_livelatent_id_it_carries(tmp_path):
    zpair(tmp_path / "recordings" / "take-x" / "take-x", 6, meta={"id": "take-x-id"})
    write_clip(tmp_path / "final cut proxy.mkv", 6, 20, Fraction(30), tags={"livelatent_id": "take-x-id"})
    seq, how = conform_one(tmp_path, clip("final cut proxy", 2, 5, url="final cut proxy.mkv"))
    assert seq.z[0].tolist() == [6, 2] and "by id take-x-id" in how

"""The editor renames or moves a livelatent clip: the conform still finds its z-sequence by
the id in the video's tags, in the project's folder down to recordings/take-X/; when it truly
cannot, it says which clip is a livelatent video and where to look, and writes nothing."""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import numpy as np

from livelatent.common import zseq
from livelatent.cli import main

from conform.kdenlive_writer import Clip, Cut, Lanes
from workflow.edit import write_project


def _renamed_clip_project(folder: Path) -> tuple[Path, np.ndarray]:
    """A take-like pair under recordings/, its video copied as media/good-take.mp4 and cut."""
    assert main(["samples", "-n", "8", "--size", "32", "-q", "-o", str(folder / "recordings/take-x/take-x")]) == 0
    (folder / "media").mkdir()
    shutil.copy(folder / "recordings/take-x/take-x.mp4", folder / "media/good-take.mp4")
    clip = Clip(1, Path("media/good-take.mp4"), 8, Fraction(30))
    project = write_project(folder / "edit.kdenlive", Fraction(30), [Lanes([Cut(clip, 2, 6)])], (32, 32))
    return project, zseq.load(folder / "recordings/take-x/take-x").z


def test_a_renamed_take_proxy_is_found_by_its_id_under_the_project_folder(tmp_path):
    project, z = _renamed_clip_project(tmp_path)
    assert main(["conform", str(project), "-o", str(tmp_path / "edit")]) == 0
    np.testing.assert_array_equal(zseq.load(tmp_path / "edit").z, z[2:7])


def test_a_livelatent_clip_whose_z_sequence_is_elsewhere_is_named_not_held(tmp_path, capsys):
    project, _ = _renamed_clip_project(tmp_path / "studio")
    away = tmp_path / "laptop"
    away.mkdir()
    shutil.copytree(tmp_path / "studio/media", away / "media")
    shutil.copy(project, away)
    assert main(["conform", str(away / "edit.kdenlive"), "-o", str(away / "edit")]) == 1
    err = capsys.readouterr().err
    assert "media/good-take.mp4 is a livelatent video" in err and "--search" in err
    assert not (away / "edit.npy").exists()
    assert main(["conform", str(away / "edit.kdenlive"), "-o", str(away / "edit"),
                 "--search", str(tmp_path / "studio/recordings")]) == 0

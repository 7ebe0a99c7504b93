"""`livelatent stills`: PNG stills of chosen frames that carry their z, and an edit cut from
them conforms to those rows (the keyframe-edit workflow: cut stills, then render)."""

from pathlib import Path

import numpy as np

from livelatent.common import zseq
from livelatent.adapters.png import read_png_info
from livelatent.adapters.video import iter_frames
from livelatent.cli import main
from livelatent.generators import load
from livelatent.common.latent import sample
from livelatent.offline.conform_edit import conform_project
from livelatent.common.zseq import ZSequence
from tests.conform.kdenlive_writer import Image, Lanes, timeline2


def _reel(folder: Path) -> ZSequence:
    seq = ZSequence(sample(6, 512, seed=3), 25, {"made_by": "samples", "model": "default", "id": "reel-id"})
    zseq.save(seq, folder / "reel")
    return seq


def test_stills_are_the_decoded_frames_tagged_with_id_and_frame(tmp_path, capsys):
    seq = _reel(tmp_path)
    assert main(["stills", str(tmp_path / "reel"), "--frames", "4,1", "-o", str(tmp_path / "st"), "--size", "32",
                 "--device", "cpu"]) == 0
    assert "wrote 2 stills" in capsys.readouterr().out
    expected = load("default", device="cpu").decode(seq.z[[4, 1]], (32, 32))
    for frame, picture in zip((4, 1), expected):
        path = tmp_path / "st" / f"reel-{frame:06d}.png"
        info = read_png_info(path)
        assert info.text["livelatent_id"] == "reel-id" and info.text["livelatent_frame"] == str(frame)
        assert Path(info.text["livelatent_zseq"]) == (tmp_path / "reel").resolve()
        assert np.array_equal(next(iter_frames(path)), picture)


def test_all_frames_and_a_frame_outside_the_sequence(tmp_path, capsys):
    _reel(tmp_path)
    assert main(["stills", str(tmp_path / "reel"), "--all", "-o", str(tmp_path / "all"), "--size", "8"]) == 0
    assert len(list((tmp_path / "all").glob("reel-*.png"))) == 6
    capsys.readouterr()
    assert main(["stills", str(tmp_path / "reel"), "--frames", "2", "-o", str(tmp_path / "all")]) == 2
    assert "already exists; add --force" in capsys.readouterr().err
    assert main(["stills", str(tmp_path / "reel"), "--frames", "2,6", "-o", str(tmp_path / "bad")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--frames: expected frames in 0..5, got '6'" in err


def test_an_edit_cut_from_stills_conforms_to_their_rows(tmp_path):
    seq = _reel(tmp_path)
    assert main(["stills", str(tmp_path / "reel"), "--frames", "0,3,5", "-o", str(tmp_path), "--size", "8"]) == 0
    keyframes = [Image(Path("reel-000003.png"), 0, 9), Image(Path("reel-000000.png"), 0, 4),
                 Image(Path("reel-000005.png"), 0, 2)]
    project = tmp_path / "keys.kdenlive"
    project.write_text(timeline2(seq.fps.value, [Lanes(keyframes)]))
    conformed, report = conform_project(project)
    np.testing.assert_array_equal(conformed.z, seq.z[[3] * 10 + [0] * 5 + [5] * 3])
    assert report["frames_without_z"] == 0

"""`livelatent path` and `livelatent plot-path`, run in-process like a user would."""

import json

import numpy as np

from livelatent.common import zseq
from livelatent.cli import main
from livelatent.common.latent import sample


def test_path_from_keyframes_then_picture(tmp_path, capsys):
    np.save(tmp_path / "keys.npy", sample(4, 512, 5))
    out = tmp_path / "journey"
    assert main(["path", str(tmp_path / "keys.npy"), "--durations", "1,2,1", "--fps", "30000/1001",
                 "-o", str(out)]) == 0
    seq = zseq.load(out)
    assert len(seq) == 120 and str(seq.fps) == "30000/1001"
    assert seq.meta["made_by"] == "path" and seq.meta["method"] == "spline"
    assert seq.meta["keyframe_frames"] == [0, 30, 90, 119]
    assert "velocity jump at keyframes" in capsys.readouterr().out

    assert main(["plot-path", str(out), "-o", str(tmp_path / "journey.png")]) == 0
    assert (tmp_path / "journey.png").read_bytes()[:4] == b"\x89PNG"
    assert "shell deviation" in capsys.readouterr().out


def test_path_picks_frames_of_a_z_sequence_and_runs_a_mover(tmp_path):
    zseq.save(zseq.ZSequence(sample(50, 512, 1), 25, {"id": "abc"}), tmp_path / "take")
    assert main(["path", str(tmp_path / "take.npy"), "--pick", "3,20,40", "--times", "0,1.5,2",
                 "--method", "geodesic", "--settle-time", "0.5", "--fps", "25", "-o", str(tmp_path / "walk")]) == 0
    meta = json.loads((tmp_path / "walk.json").read_text())
    assert meta["parents"] == ["abc"] and meta["motion"]["mover"] == "geodesic"
    assert meta["motion"]["settle_time"] == 0.5 and meta["frames"] == 51


def test_path_from_a_take_folder_whose_picks_are_one_z_says_it_stands_still(tmp_path, capsys):
    still = np.repeat(sample(1, 512, 2), 30, axis=0)
    zseq.save(zseq.ZSequence(still, 30, {"id": "still"}), tmp_path / "take-x" / "take-x")
    assert main(["path", str(tmp_path / "take-x"), "--pick", "0,10,29", "-o", str(tmp_path / "p")]) == 0
    out = capsys.readouterr().out
    assert "standing still" in out and "velocity jump" not in out
    assert zseq.load(tmp_path / "p").meta["parents"] == ["still"]


def test_path_with_even_speed_reports_the_variation(tmp_path, capsys):
    np.save(tmp_path / "keys.npy", sample(3, 512, 5))
    assert main(["path", str(tmp_path / "keys.npy"), "--durations", "1", "--fps", "8", "--even-speed",
                 "--model", "default", "-o", str(tmp_path / "even")]) == 0
    meta = json.loads((tmp_path / "even.json").read_text())
    assert meta["even_speed"]["after"] < meta["even_speed"]["before"]
    assert "image-change variation" in capsys.readouterr().out


def test_bad_input_is_one_line_naming_the_thing(tmp_path, capsys):
    np.save(tmp_path / "keys.npy", sample(3, 512, 5))
    assert main(["path", str(tmp_path / "keys.npy"), "--pick", "0,7", "-o", str(tmp_path / "x")]) == 2
    assert main(["path", str(tmp_path / "keys.npy"), "--settle-time", "99", "-o", str(tmp_path / "x")]) == 2
    assert main(["plot-path", str(tmp_path / "missing"), "-o", str(tmp_path / "x.png")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0] == "livelatent path: --pick: expected frames in 0..2, got '7'"
    assert "settle_time: expected a number in 0.05..30" in err[1]
    assert "z-sequence not found" in err[2] and len(err) == 3

"""The keyframe-edit workflow from the command line: stills of a reel cut in Kdenlive, then
`conform --keyframes`, the keyframes kept in the sidecar (plot-path marks them, another mover
re-uses them), `path --keys` on a conformed or recorded z-sequence, and bad input.
(test_keyframe_edit_vs_melt.py checks the same edits against melt.)"""

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from livelatent.common import zseq
from livelatent.cli import main
from livelatent.common.latent import sample
from livelatent.motion.metrics import measure
from livelatent.common.zseq import ZSequence
from tests.conform.kdenlive_writer import Blank, Image, Lanes, timeline2

FPS = Fraction(25)


@pytest.fixture
def stills(tmp_path, capsys):
    """A reel of six samples and a still of each (as `livelatent stills` writes them)."""
    reel = ZSequence(sample(6, 512, seed=5), FPS, {"made_by": "samples", "model": "default", "id": "reel-id"})
    zseq.save(reel, tmp_path / "reel")
    assert main(["stills", str(tmp_path / "reel"), "--all", "-o", str(tmp_path), "--size", "8"]) == 0
    capsys.readouterr()
    return reel


def still(row: int, first: int, last: int) -> Image:
    return Image(Path(f"reel-{row:06d}.png"), first, last)


def project(folder: Path, lanes: list[Lanes], name="edit", **options) -> Path:
    path = folder / f"{name}.kdenlive"
    path.write_text(timeline2(FPS, lanes, **options))
    return path


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_conform_keyframes_records_them_and_another_mover_reuses_them(tmp_path, stills, capsys):
    edit = project(tmp_path, [Lanes([still(3, 0, 39), still(0, 0, 19), Blank(10), still(5, 0, 49)])],
                   guides=[(20, "turn")])
    out = run(capsys, "conform", edit, "-o", tmp_path / "keys", "--keyframes", "spline")
    assert "keyframes: 4 (3 cut, 1 guide) at each clip's start, 1 pause;" in out
    seq = zseq.load(tmp_path / "keys")
    assert len(seq) == 120 and seq.meta["made_by"] == "conform"
    assert seq.meta["keyframe_frames"] == [0, 20, 40, 70] and seq.meta["pauses"] == [[60, 69]]
    first = seq.meta["keyframes"][0]
    assert (first["clip"], first["source_frame"], first["timeline_frame"]) == ("reel-000003", 3, 0)
    assert np.array_equal(seq.z[[0, 40, 70]], stills.z[[3, 0, 5]])
    assert "velocity jump at keyframes" in run(capsys, "plot-path", tmp_path / "keys", "-o", tmp_path / "keys.png")
    # the same keyframes (frames, z, pauses) through a spring particle, without the edit
    run(capsys, "path", tmp_path / "keys", "--keys", "recorded", "--method", "spring", "--settle-time", "0.5",
        "-o", tmp_path / "spring")
    spring = zseq.load(tmp_path / "spring")
    assert spring.meta["keyframe_frames"] == seq.meta["keyframe_frames"] and spring.meta["pauses"] == [[60, 69]]
    assert spring.meta["keyframes"][1]["z"] == seq.meta["keyframes"][1]["z"]
    assert spring.meta["made_by"] == "path" and spring.meta["keyframe_path"]["method"] == "spring"
    assert not np.array_equal(spring.z, seq.z)


def test_a_conformed_edit_retimed_by_its_cuts_is_the_keyframe_conform(tmp_path, stills, capsys):
    edit = project(tmp_path, [Lanes([still(1, 0, 24), still(4, 0, 44), still(2, 0, 29)])], guides=[(50, "g")])
    run(capsys, "conform", edit, "-o", tmp_path / "cut")
    run(capsys, "conform", edit, "-o", tmp_path / "keys", "--keyframes", "spline", "--keys", "cuts")
    out = run(capsys, "path", tmp_path / "cut", "--keys", "cuts", "-o", tmp_path / "retimed")
    assert "keyframes: 3 (3 cut)" in out
    assert np.array_equal(zseq.load(tmp_path / "retimed").z, zseq.load(tmp_path / "keys").z)  # bit for bit
    run(capsys, "path", tmp_path / "cut", "--keys", "both", "--edit", edit, "-o", tmp_path / "guided")
    assert zseq.load(tmp_path / "guided").meta["keyframe_frames"] == [0, 25, 50, 70]


@pytest.mark.parametrize("at, frames", [("start", [0, 40, 60]), ("middle", [20, 50, 75]), ("end", [39, 59, 89])])
def test_where_in_each_clip_its_keyframe_sits(tmp_path, stills, capsys, at, frames):
    edit = project(tmp_path, [Lanes([still(3, 0, 39), still(0, 0, 19), still(5, 0, 29)])])
    run(capsys, "conform", edit, "-o", tmp_path / "k", "--keyframes", "spline", "--keyframe-at", at)
    seq = zseq.load(tmp_path / "k")
    assert seq.meta["keyframe_frames"] == frames
    assert np.array_equal(seq.z[frames], stills.z[[3, 0, 5]])


def test_a_crossfade_between_two_stills_becomes_the_way_between_them(tmp_path, stills, capsys):
    # still 3 on frames 0..39 of lane 0, still 0 on 30..69 of lane 1, mixed over 30..39
    edit = project(tmp_path, [Lanes([still(3, 0, 39)], [Blank(30), still(0, 0, 39)], mixes=[(30, 39, False)])])
    run(capsys, "conform", edit, "-o", tmp_path / "cut")
    run(capsys, "conform", edit, "-o", tmp_path / "keys", "--keyframes", "spline")
    cut, keys = zseq.load(tmp_path / "cut"), zseq.load(tmp_path / "keys")
    assert keys.meta["keyframe_frames"] == [0, 40]  # still 0 is reached where it shows alone
    assert np.array_equal(keys.z[40], stills.z[0]) and np.array_equal(keys.z[0], stills.z[3])
    assert not np.allclose(keys.z[30:40], cut.z[30:40])  # not the slerp: the path itself
    assert measure(keys.z, float(FPS), keys=[40]).velocity_jump < 0.05


def test_gaps_follow_the_conform_policy(tmp_path, stills, capsys):
    edit = project(tmp_path, [Lanes([still(3, 0, 29), Blank(20), still(0, 0, 29)])])
    run(capsys, "conform", edit, "-o", tmp_path / "bridge", "--keyframes", "spline", "--gaps", "bridge")
    run(capsys, "conform", edit, "-o", tmp_path / "skip", "--keyframes", "spline", "--gaps", "skip")
    bridge, skip = zseq.load(tmp_path / "bridge"), zseq.load(tmp_path / "skip")
    assert len(bridge) == 80 and bridge.meta["pauses"] == [] and bridge.meta["keyframe_frames"] == [0, 50]
    assert len(skip) == 60 and skip.meta["keyframe_frames"] == [0, 30]
    assert skip.meta["keyframes"][1]["timeline_frame"] == 50


def test_a_clip_without_a_z_sequence_pauses_the_path_as_the_conform_holds_it(tmp_path, stills, capsys):
    from livelatent.adapters.png import write_png

    write_png(tmp_path / "photo.png", np.zeros((8, 8, 3), np.uint8))  # a picture with no z: foreign
    edit = project(tmp_path, [Lanes([still(3, 0, 29), Image(Path("photo.png"), 0, 9), still(0, 0, 29)])])
    run(capsys, "conform", edit, "-o", tmp_path / "hold", "--keyframes", "spline")
    run(capsys, "conform", edit, "-o", tmp_path / "skip", "--keyframes", "spline", "--foreign", "skip")
    hold, skip = zseq.load(tmp_path / "hold"), zseq.load(tmp_path / "skip")
    assert len(hold) == 70 and hold.meta["pauses"] == [[30, 39]] and hold.meta["keyframe_frames"] == [0, 40]
    assert np.array_equal(hold.z[30:41], np.repeat(stills.z[0:1], 11, axis=0))  # the next still, reached early
    assert len(skip) == 60 and skip.meta["pauses"] == [] and skip.meta["keyframe_frames"] == [0, 30]


def test_even_speed_keeps_the_keyframes_on_their_frames(tmp_path, stills, capsys):
    edit = project(tmp_path, [Lanes([still(3, 0, 29), still(0, 0, 44), still(5, 0, 19), still(1, 0, 24)])])
    out = run(capsys, "conform", edit, "-o", tmp_path / "even", "--keyframes", "spline", "--even-speed",
              "--device", "cpu")
    assert "even speed: image-change variation between keyframes" in out
    seq = zseq.load(tmp_path / "even")
    assert np.array_equal(seq.z[[0, 30, 75, 95]], stills.z[[3, 0, 5, 1]])
    assert measure(seq.z, float(FPS), keys=[30, 75]).velocity_jump < 0.05


@pytest.mark.parametrize("args, fragment", [
    (["--keyframe-at", "end"], "--keyframe-at: only with --keyframes METHOD"),
    (["--settle-time", "1"], "--settle-time: only with --keyframes METHOD"),
    (["--keyframes", "spline", "--oversample", "3"], "--oversample: only with --even-speed"),
    (["--keyframes", "spline", "--keys", "guides"], "the edit has no guides"),
    (["--keyframes", "geodesic", "--settle-time", "99"], "settle_time: expected a number in 0.05..30"),
])
def test_bad_keyframe_flags_of_conform_are_one_line(tmp_path, stills, capsys, args, fragment):
    edit = project(tmp_path, [Lanes([still(3, 0, 29)])])
    assert main(["conform", str(edit), "-o", str(tmp_path / "x"), *args]) in (1, 2)
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and fragment in err[0], err
    assert not (tmp_path / "x.npy").exists()


@pytest.mark.parametrize("args, fragment", [
    (["--keys", "cuts", "--pick", "0,1"], "--pick: not with --keys"),
    (["--keys", "cuts", "--durations", "3"], "--durations: not with --keys"),
    (["--keys", "cuts", "--method", "slerp"], "--method slerp: with --keys, expected one of spline"),
    (["--keys", "guides"], "--keys guides: expected --edit EDIT"),
    (["--edit", "e.kdenlive"], "--edit: only with --keys"),
    (["--keys", "recorded"], "no recorded keyframes"),
])
def test_bad_keys_of_path_are_one_line(tmp_path, stills, capsys, args, fragment):
    assert main(["path", str(tmp_path / "reel"), "-o", str(tmp_path / "x"), *args]) in (1, 2)
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and fragment in err[0], err


def test_a_broken_keyframe_record_names_the_sidecar(tmp_path, stills, capsys):
    edit = project(tmp_path, [Lanes([still(3, 0, 29), still(0, 0, 29)])])
    run(capsys, "conform", edit, "-o", tmp_path / "keys", "--keyframes", "spline")
    sidecar = tmp_path / "keys.json"
    meta = json.loads(sidecar.read_text())
    meta["keyframes"][1]["z"] = "AAAA"
    sidecar.write_text(json.dumps(meta))
    assert main(["path", str(tmp_path / "keys"), "--keys", "recorded", "-o", str(tmp_path / "x")]) == 1
    err = capsys.readouterr().err.strip()
    assert "keys.json: keyframes[1]: z: expected 512 finite float32 values in base64" in err


def test_markers_of_an_otio_timeline_are_guides_of_the_keyframe_conform(tmp_path, capsys):
    otio = pytest.importorskip("opentimelineio")
    from tests.editors.build import clip, rt, timeline, track, write

    zseq.save(ZSequence(sample(90, 512, seed=2), 30, {"id": "take"}), tmp_path / "take")
    cut = timeline([track(clip("take", 0, 60, url="take.mp4"), clip("take", 70, 20, url="take.mp4"))])
    cut.tracks.markers.append(otio.schema.Marker(name="lift", marked_range=otio.opentime.TimeRange(rt(25), rt(0))))
    edit = write(tmp_path / "cut.otio", cut)
    run(capsys, "conform", edit, "-o", tmp_path / "keys", "--keyframes", "spline")
    seq, take = zseq.load(tmp_path / "keys"), zseq.load(tmp_path / "take")
    assert seq.meta["keyframe_frames"] == [0, 25, 60]
    assert [k["kind"] for k in seq.meta["keyframes"]] == ["cut", "guide", "cut"]
    assert np.array_equal(seq.z[[0, 25, 60]], take.z[[0, 25, 70]])  # each on its frame, the take's row

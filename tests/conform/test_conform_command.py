"""`livelatent conform` end to end: the z rows of the edit, gap and foreign policies, the
report, and one clear line for each kind of bad input (nothing written then)."""

import shutil
from pathlib import Path
from fractions import Fraction

import numpy as np
import pytest

from livelatent.common import zseq
from livelatent.edit.assemble import slerp_rows
from livelatent.cli import main
from livelatent.common.latent import sample
from livelatent.common.zseq import ZSequence

from .coded_media import write_clip
from .kdenlive_writer import Blank, Cut, Lanes, timeline2

D = 8


@pytest.fixture
def edit(media, tmp_path):
    """Clips 1, 2, 3 copied into a project folder, each with a z-sequence beside it."""
    folder, clips = media
    zs = {}
    for code in (1, 2, 3):
        shutil.copy(folder / f"c{code}.mkv", tmp_path)
        zs[code] = sample(clips[code].frames, D, seed=code)
        zseq.save(ZSequence(zs[code], clips[code].fps, {"id": f"take{code}"}), tmp_path / f"c{code}")
    return tmp_path, clips, zs


def _project(folder, tracks, name="edit"):
    path = folder / f"{name}.kdenlive"
    path.write_text(timeline2(Fraction(25), tracks))
    return path


def _conform(project, *extra):
    out = project.with_name("out")
    return main(["conform", str(project), "-o", str(out), "--force", *extra]), out  # reruns replace out


def test_conformed_rows_are_the_clip_rows_the_edit_shows_and_mixes_are_slerped(edit, capsys):
    folder, c, zs = edit
    v1 = Lanes([Cut(c[1], 10, 25), Blank(10), Cut(c[3], 0, 3)], [Blank(14), Cut(c[2], 40, 47)],
               mixes=[(14, 16, False)])
    status, out = _conform(_project(folder, [v1]))
    assert status == 0
    seq = zseq.load(out)
    assert seq.meta["made_by"] == "conform" and str(seq.fps) == "25" and len(seq) == 30
    np.testing.assert_array_equal(seq.z[:14], zs[1][10:24])
    np.testing.assert_allclose(seq.z[15], slerp_rows(zs[1][25:26], zs[2][41:42], np.array([1 / 3]))[0], rtol=1e-5)
    np.testing.assert_array_equal(seq.z[16:22], zs[2][42:48])
    np.testing.assert_array_equal(seq.z[22:26], np.repeat(zs[2][47:48], 4, axis=0))  # gap: hold
    np.testing.assert_array_equal(seq.z[26:], zs[3][[0, 1, 2, 4]])  # 30 fps clip in a 25 fps project
    report = capsys.readouterr().out
    assert "2 blended frames" in report and "4 gap frames" in report


def test_gap_policies_bridge_skip_and_error(edit):
    folder, c, zs = edit
    project = _project(folder, [Lanes([Blank(3), Cut(c[1], 0, 4), Blank(5), Cut(c[2], 0, 4)])])
    assert _conform(project, "--gaps", "skip")[0] == 0
    assert len(zseq.load(folder / "out")) == 10
    assert _conform(project, "--gaps", "bridge")[0] == 0
    bridged = zseq.load(folder / "out").z
    np.testing.assert_array_equal(bridged[:3], np.repeat(zs[1][:1], 3, axis=0))  # leading gap: the first z
    np.testing.assert_allclose(bridged[10], slerp_rows(zs[1][4:5], zs[2][0:1], np.array([3 / 6]))[0], rtol=1e-5)
    assert _conform(project, "--gaps", "error")[0] == 1


def test_a_clip_without_z_sequence_is_foreign_and_held_skipped_or_refused(edit, media, capsys):
    folder, c, zs = edit
    shutil.copy(media[0] / "c5.mkv", folder)
    project = _project(folder, [Lanes([Cut(c[1], 0, 4), Cut(c[5], 0, 4), Cut(c[2], 0, 4)])])
    assert _conform(project)[0] == 0
    held = zseq.load(folder / "out").z
    np.testing.assert_array_equal(held[5:10], np.repeat(zs[1][4:5], 5, axis=0))
    assert "no z-sequence: clip5" in capsys.readouterr().out
    assert _conform(project, "--foreign", "skip")[0] == 0 and len(zseq.load(folder / "out")) == 10
    assert _conform(project, "--foreign", "error")[0] == 1


def test_z_sequence_found_by_embedded_id_in_a_search_folder(edit, tmp_path_factory):
    folder, c, zs = edit
    write_clip(folder / "c1.mkv", 1, c[1].frames, c[1].fps, tags={"livelatent_id": "take1"})
    moved = tmp_path_factory.mktemp("moved")
    for suffix in (".npy", ".json"):  # the pair was renamed and moved: only its id links it to the clip
        shutil.move(folder / f"c1{suffix}", moved / f"renamed{suffix}")
    project = _project(folder, [Lanes([Cut(c[1], 0, 4)])])
    assert _conform(project)[0] == 1
    status, out = _conform(project, "--search", str(moved))
    assert status == 0
    np.testing.assert_array_equal(zseq.load(out).z, zs[1][:5])


def _fails_with(project, capsys, *words, extra=()):
    status, out = _conform(project, *extra)
    err = capsys.readouterr().err.strip()
    assert status == 1 and len(err.splitlines()) == 1, err
    for word in words:
        assert word in err, err
    assert not out.with_suffix(".npy").exists()
    return err


def test_bad_input_gives_one_line_naming_the_clip_track_and_position(edit, capsys):
    folder, c, zs = edit
    short = _project(folder, [Lanes([Blank(5), Cut(c[1], 80, 89)])], "short")
    zseq.save(ZSequence(zs[1][:85], c[1].fps), folder / "c1")
    _fails_with(short, capsys, "clip1", "V1", "frame 5", "85 rows")

    zseq.save(ZSequence(zs[1], Fraction(30)), folder / "c1")
    _fails_with(short, capsys, "clip1", "25 fps", "says 30")

    zseq.save(ZSequence(sample(90, D + 1, 0), c[1].fps), folder / "c1")
    mixed = _project(folder, [Lanes([Cut(c[2], 0, 4), Cut(c[1], 0, 4)])], "sizes")
    _fails_with(mixed, capsys, "clip1", "clip2", "z size 9", "z size 8")

    (folder / "c3.mkv").unlink()
    (folder / "c3.npy").unlink()
    missing = _project(folder, [Lanes([Blank(2), Cut(c[3], 0, 4)])], "missing")
    _fails_with(missing, capsys, "clip3", "V1", "frame 2", "not found")


def test_malformed_xml_and_unknown_services_are_refused(tmp_path, capsys):
    broken = tmp_path / "broken.kdenlive"
    broken.write_text("<mlt><profile frame_rate_num='25' frame_rate_den='1'/><tractor>")
    _fails_with(broken, capsys, "broken.kdenlive", "not valid XML")
    odd = tmp_path / "odd.kdenlive"
    odd.write_text("<mlt><profile frame_rate_num='25' frame_rate_den='1'/>"
                   "<producer id='p' out='9'><property name='mlt_service'>mystery</property></producer>"
                   "<playlist id='pl'><entry producer='p' in='0' out='9'/></playlist>"
                   "<tractor id='t'><track producer='pl'/><track producer='pl'/></tractor></mlt>")
    _fails_with(odd, capsys, "unknown service 'mystery'", "frame 0")


def test_smooth_speed_slerps_between_rows_at_the_exact_source_position(edit):
    folder, c, zs = edit
    project = _project(folder, [Lanes([Cut(c[1], 10, 19, speed=0.5)])])
    assert _conform(project)[0] == 0
    np.testing.assert_array_equal(zseq.load(folder / "out").z[:3], zs[1][[5, 6, 6]])  # melt's repeated frames
    assert _conform(project, "--smooth-speed")[0] == 0
    smooth = zseq.load(folder / "out").z
    np.testing.assert_array_equal(smooth[0], zs[1][5])
    np.testing.assert_allclose(smooth[1], slerp_rows(zs[1][5:6], zs[1][6:7], np.array([0.5]))[0], rtol=1e-5)


def test_a_proxy_clip_conforms_onto_the_originals_z_sequence(edit):
    folder, c, zs = edit
    shutil.copy(folder / "c2.mkv", folder / "c2.proxy.mkv")
    project = _project(folder, [Lanes([Cut(c[2], 3, 7, proxy=Path("c2.proxy.mkv"))])])
    status, out = _conform(project)
    assert status == 0
    np.testing.assert_array_equal(zseq.load(out).z, zs[2][3:8])


def test_partial_writes_what_it_can_and_reports_the_rest(edit, capsys):
    folder, c, zs = edit
    zseq.save(ZSequence(zs[1][:12], c[1].fps), folder / "c1")
    project = _project(folder, [Lanes([Cut(c[2], 0, 4), Cut(c[1], 8, 15)])])
    assert _conform(project)[0] == 1
    status, out = _conform(project, "--partial")
    assert status == 0
    z = zseq.load(out).z
    np.testing.assert_array_equal(z[5:9], zs[1][8:12])
    np.testing.assert_array_equal(z[9:], np.repeat(zs[1][11:12], 4, axis=0))  # past the end: held
    assert "past the end of the z-sequence" in capsys.readouterr().out

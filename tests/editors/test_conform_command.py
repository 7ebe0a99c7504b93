"""`livelatent conform` with edits from other editors: the result handed back as an .otio, an
EDL's rate, bad input as one line with nothing written, the otio extra missing, and no code
run from an OTIO plug-in manifest that livelatent did not name."""

import json
import os
import subprocess
import sys
import textwrap
from fractions import Fraction

import opentimelineio as otio
import pytest

from livelatent.common import zseq
from livelatent.cli import main

from .build import clip, dissolve, gap, rt, timeline, track, write, zpair
from .test_samples import unpacked


def conform(edit, *extra):
    out = edit.with_name("out")
    return main(["conform", str(edit), "-o", str(out), *extra]), out


def one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err.strip()


def test_the_result_goes_back_to_the_editor_as_one_clip_playing_the_render(tmp_path, capsys):
    zpair(tmp_path / "a", 0, fps=Fraction(30000, 1001)), zpair(tmp_path / "b", 1, fps=Fraction(30000, 1001))
    edit = write(tmp_path / "cut.otio", timeline([track(clip("a", 0, 40, rate=29.97), dissolve(5, 5, rate=29.97),
                                                        clip("b", 10, 60, rate=29.97))], rate=29.97))
    status, out = conform(edit, "--otio", str(tmp_path / "final.otio"))
    assert status == 0 and "wrote " + str(tmp_path / "final.otio") in capsys.readouterr().out
    result = otio.adapters.otio_json.read_from_file(str(tmp_path / "final.otio"))
    [only] = list(result.find_clips())
    assert only.media_reference.target_url == (tmp_path / "out.mp4").as_uri()
    assert only.source_range == only.media_reference.available_range
    assert only.source_range.duration.value == len(zseq.load(out)) == 100
    assert Fraction(only.source_range.duration.rate).limit_denominator(1001) == Fraction(30000, 1001)
    assert only.metadata["livelatent"]["zseq"] == str(out.with_suffix(".npy"))


def test_an_edl_takes_the_rate_of_its_z_sequences_or_asks_for_one(tmp_path, capsys):
    edl = tmp_path / "cut.edl"
    edl.write_text("TITLE: cut\n001  AX V C 00:00:01:00 00:00:02:00 00:00:00:00 00:00:01:00\n"
                   "* FROM CLIP NAME:  take-1\n")
    zpair(tmp_path / "take-1", 1, fps=Fraction(25))
    status, out = conform(edl)
    assert status == 0 and str(zseq.load(out).fps) == "25" and zseq.load(out).z[0].tolist() == [1, 25]
    zpair(tmp_path / "take-1", 1, fps=Fraction(30000, 1001))
    zpair(tmp_path / "take-2", 2, fps=Fraction(25))
    edl.write_text(edl.read_text() + "002  AX V C 00:00:01:00 00:00:02:00 00:00:01:00 00:00:02:00\n"
                                      "* FROM CLIP NAME:  take-2\n")
    assert conform(edl, "--force")[0] == 1
    assert "an EDL does not record its frame rate and the z-sequences of its clips do not share one; " \
           "give it with --rate" in one_line(capsys)


def test_an_edl_saying_drop_frame_is_at_30000_1001(tmp_path):
    edl = tmp_path / "cut.edl"
    edl.write_text("TITLE: cut\nFCM: DROP FRAME\n001  AX V C 00:01:00;02 00:01:00;12 00:00:00;00 00:00:00;10\n"
                   "* FROM CLIP NAME:  take-1\n")
    zpair(tmp_path / "take-1", 1, rows=2000, fps=Fraction(30000, 1001))
    status, out = conform(edl)
    assert status == 0 and zseq.load(out).z[0].tolist() == [1, 1800]  # 00:01:00;02 is frame 1800 in drop frame


BAD = {  # what the edit file holds -> what the one line says
    "malformed.otio": ('{"OTIO_SCHEMA": "Timeline.1", "tracks": ', "not a readable OpenTimelineIO JSON"),
    "malformed.xml": ("<?xml version='1.0'?><xmeml version='4'><sequence><media>", "not a readable Final Cut Pro 7 XML"),
    "malformed.edl": ("TITLE: x\n001  AX V C 00:00:00:00 00:00:01:00\n", "not a readable CMX 3600 EDL"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_malformed_edit_is_one_line_and_nothing_is_written(name, tmp_path, capsys):
    text, says = BAD[name]
    (tmp_path / name).write_text(text)
    status, out = conform(tmp_path / name, *(["--rate", "25"] if name.endswith(".edl") else []))
    assert status == 1 and says in one_line(capsys)
    assert not list(tmp_path.glob("out*"))


EDITS = {  # a timeline -> what the one line says (clip, track, time where there is one)
    "unknown effect": (timeline([track(clip("a", 0, 30), clip("b", 0, 30, effects=[
        otio.schema.TimeEffect(effect_name="Speed Ramp")]), name="V1")]),
        "clip 'b' on track V1 at frame 30 (00:00:01.000): time effect 'Speed Ramp' (TimeEffect) is not supported"),
    "missing media": (timeline([track(clip("lost", 0, 30), name="V1")]),
                      "clip 'lost' on track V1 at frame 0: "),
    "huge": (timeline([track(clip("a", 0, 30), clip("a", 0, 25 * 3600 * 30), name="V1")]),
             "clip 'a' on track V1 at frame 30 (00:00:01.000): ends past 24 hours"),
    "huge gap": (timeline([track(clip("a", 0, 30), gap(25 * 3600 * 30), name="V1")]),
                 "gap on track V1 at frame 30 (00:00:01.000): ends past 24 hours"),
    "negative": (timeline([track(clip("a", 0, 30), clip("a", 0, -5), name="V1")]),
                 "clip 'a' on track V1 at frame 30 (00:00:01.000): negative duration -5 frames"),
    "overlapping transitions": (timeline([track(clip("a", 0, 30), dissolve(0, 8), clip("a", 0, 4), dissolve(8, 0),
                                                clip("a", 0, 30), name="V1")]),
                                "the transitions either side of it overlap"),
    "not a number": (timeline([track(clip("a", 0, 30), otio.schema.Clip(name="nan", source_range=otio.opentime.TimeRange(
        rt(0), rt(float("nan")))), name="V1")]), "clip 'nan' on track V1 at frame 30 (00:00:01.000): time nan"),
}


@pytest.mark.parametrize("case", sorted(EDITS))
def test_bad_edits_are_one_line_naming_clip_track_and_time(case, tmp_path, capsys):
    tl, says = EDITS[case]
    zpair(tmp_path / "a", 0)
    status, out = conform(write(tmp_path / "cut.otio", tl))
    line = one_line(capsys)
    assert status == 1 and says in line, line
    assert not list(tmp_path.glob("out*"))


def run_python(code: str, cwd, env=None):
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=cwd,
                          env=env)


def test_without_the_otio_extra_an_otio_edit_is_one_line_saying_what_to_install(tmp_path):
    write(tmp_path / "cut.otio", timeline([track(clip("a", 0, 30))]))
    run = run_python("""
        import sys
        sys.modules["opentimelineio"] = None  # as if the extra were not installed
        from livelatent.cli import main
        sys.exit(main(["conform", "cut.otio", "-o", "out"]))
    """, tmp_path)
    assert run.returncode == 1
    assert run.stderr.strip().endswith("cut.otio: reading OpenTimelineIO JSON (.otio) needs OpenTimelineIO: "
                                       "pip install 'livelatent[otio]'") and run.stderr.count("\n") == 1
    assert not list(tmp_path.glob("out*"))


def evil_manifest(folder):
    """A plug-in manifest whose adapter (for every suffix) and hooks leave a marker when loaded."""
    marker = folder / "ran"
    (folder / "evil.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n"
                                    "def read_from_file(*a, **k): pass\ndef read_from_string(*a, **k): pass\n"
                                    "def hook_function(tl, argument_map=None): return tl\n")
    hooks = ["otio_aaf_pre_read_transcribe", "otio_aaf_post_read_transcribe", "post_adapter_read"]
    manifest = {"OTIO_SCHEMA": "PluginManifest.1",
                "adapters": [{"OTIO_SCHEMA": "Adapter.1", "name": "evil_adapter", "filepath": "evil.py",
                              "execution_scope": "in process", "suffixes": ["otio", "edl", "aaf", "xml", "fcpxml"]}],
                "hook_scripts": [{"OTIO_SCHEMA": "HookScript.1", "name": "evil", "filepath": "evil.py",
                                  "execution_scope": "in process"}],
                "hooks": {hook: ["evil"] for hook in hooks}}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return marker, {**os.environ, "OTIO_PLUGIN_MANIFEST_PATH": str(folder / "manifest.json")}


@pytest.mark.parametrize("edit", ["one_clip.aaf.gz", "avid_example.edl", "simple_cut.otio"])
def test_no_code_runs_from_an_otio_plugin_manifest_livelatent_did_not_name(edit, tmp_path):
    """OTIO_PLUGIN_MANIFEST_PATH may name adapters and hooks with any code; livelatent loads the
    adapters it names from their packages and runs no hook (the AAF adapter asks for some)."""
    marker, env = evil_manifest(tmp_path)
    path = unpacked(edit, tmp_path)
    rate = ["--rate", "24"] if path.suffix == ".edl" else []
    run = run_python(f"""
        from livelatent.cli import main
        main(["conform", {str(path)!r}, "-o", "out", *{rate!r}])
    """, tmp_path, env)
    assert "Traceback" not in run.stderr, run.stderr
    assert not marker.exists(), "a plug-in from OTIO_PLUGIN_MANIFEST_PATH ran"
    # the control: OpenTimelineIO's own reader would have run it
    run_python(f"import opentimelineio as otio; otio.adapters.read_from_file({str(path)!r})", tmp_path, env)
    assert marker.exists()


def test_otio_bundles_conform_like_the_otio_inside_them(tmp_path):
    import zipfile

    zpair(tmp_path / "a", 0)
    tl = timeline([track(clip("a", 5, 10, url="media/a.mp4"))])
    folder = tmp_path / "cut.otiod"
    folder.mkdir()
    write(folder / "content.otio", tl)
    with zipfile.ZipFile(tmp_path / "cut.otioz", "w") as bundle:
        bundle.write(folder / "content.otio", "content.otio")
    for edit in (folder, tmp_path / "cut.otioz"):
        status, out = conform(edit, "--force")
        assert status == 0 and zseq.load(out).z[:, 1].tolist() == list(range(5, 15))


def test_the_gap_and_foreign_policies_apply_to_otio_edits(tmp_path, capsys):
    zpair(tmp_path / "a", 0)
    bars = otio.schema.Clip(name="bars", media_reference=otio.schema.GeneratorReference(generator_kind="SMPTEBars"),
                            source_range=otio.opentime.TimeRange(rt(0), rt(5)))
    edit = write(tmp_path / "cut.otio", timeline([track(clip("a", 0, 10), gap(4), bars, clip("a", 20, 6))]))
    status, out = conform(edit, "--gaps", "skip", "--foreign", "skip")
    capsys.readouterr()
    assert status == 0 and zseq.load(out).z[:, 1].tolist() == list(range(10)) + list(range(20, 26))
    assert conform(edit, "--force", "--foreign", "error")[0] == 1
    assert one_line(capsys).endswith("clip 'bars' on track V1 at frame 14 (00:00:00.467): bars (SMPTEBars) "
                                     "has no z-sequence (--foreign error)")


def test_smooth_speed_takes_the_exact_fractional_media_position(tmp_path):
    zpair(tmp_path / "a", 0)
    slow = clip("a", 40, 6, effects=[otio.schema.LinearTimeWarp(time_scalar=0.5)])
    status, out = conform(write(tmp_path / "cut.otio", timeline([track(slow)])), "--smooth-speed")
    assert status == 0
    assert zseq.load(out).z[:, 1].tolist() == pytest.approx([40, 40.5, 41, 41.5, 42, 42.5], abs=1e-4)

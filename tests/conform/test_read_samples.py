"""Every real Kdenlive project in ../shared/kdenlive-samples/ reads into the timeline model.

The samples are not redistributable as a set (see SOURCES.md), so they are read in place;
the permissively licensed ones are also copied to tests/data/kdenlive/ and always read.
Without the shared folder the tests of the other samples say so and skip.
"""

from pathlib import Path

import pytest

from livelatent.adapters.kdenlive import read_project
from livelatent.edit.timeline import ClipSegment, Timeline

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "kdenlive-samples"
FILES = sorted(SAMPLES.glob("*/*.kdenlive"))
COPIED = sorted((Path(__file__).resolve().parents[1] / "data" / "kdenlive").glob("*.kdenlive"))
needs_samples = pytest.mark.skipif(not FILES, reason=f"sample projects not present at {SAMPLES}")


def _segments(timeline: Timeline):
    for track in timeline.tracks:
        for seg in track.segments():
            yield seg
            if isinstance(seg.source, Timeline):
                yield from _segments(seg.source)


@pytest.mark.parametrize("path", COPIED, ids=[p.stem for p in COPIED])
def test_copied_sample_project_reads_into_the_timeline_model(path):
    _reads_into_the_model(path)


@needs_samples
@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.stem}" for p in FILES])
def test_sample_project_reads_into_the_timeline_model(path):
    _reads_into_the_model(path)


def _reads_into_the_model(path):
    timeline = read_project(path)
    assert timeline.tracks and timeline.length > 0
    for seg in _segments(timeline):
        assert isinstance(seg, ClipSegment) and seg.length > 0 and seg.start >= 0


@needs_samples
def test_decimal_comma_timewarp_speeds_are_read():
    timeline = read_project(SAMPLES / "psyriccio-blenderbulber" / "demo_cam_anim.kdenlive")
    speeds = {seg.speed for seg in _segments(timeline)}
    assert {0.5, 0.25, 4.0}.issubset(speeds)


@needs_samples
def test_same_track_mix_spans_end_one_frame_after_the_outgoing_clip():
    timeline = read_project(SAMPLES / "kdenlive-test-suite" / "mix-luma.kdenlive")
    track = next(t for t in timeline.tracks if t.mixes)
    for mix in track.mixes:
        outgoing = [s for lane in track.lanes for s in lane if s.start < mix.start < s.end]
        assert outgoing and outgoing[0].end == mix.end


@needs_samples
def test_sequences_are_nested_and_the_active_one_is_chosen():
    path = SAMPLES / "kdenlive-test-suite" / "sequences.kdenlive"
    timeline = read_project(path)
    assert timeline.name == "Sequence 3"
    assert any(isinstance(seg.source, Timeline) for seg in _segments(timeline))
    assert read_project(path, sequence="Sequence 1").name == "Sequence 1"


def test_a_generation_1_project_reads_tracks_from_its_kdenlivedoc(tmp_path):
    path = tmp_path / "old.kdenlive"
    path.write_text(
        "<mlt><kdenlivedoc version='0,88'><profileinfo frame_rate_num='25' frame_rate_den='1'/>"
        "<tracksinfo><trackinfo type='audio'/><trackinfo/><trackinfo blind='1'/></tracksinfo></kdenlivedoc>"
        "<producer id='2_1_video' out='99'><property name='resource'>a.mp4</property>"
        "<property name='mlt_service'>avformat</property></producer>"
        "<playlist id='black_track'/><playlist id='playlist1'><entry producer='2_1_video' in='0' out='9'/></playlist>"
        "<playlist id='playlist2'><blank length='5'/><entry producer='2_1_video' in='20' out='29'/></playlist>"
        "<playlist id='playlist3'><entry producer='2_1_video' in='50' out='59'/></playlist>"
        "<tractor id='maintractor'><track producer='black_track'/><track producer='playlist1' hide='video'/>"
        "<track producer='playlist2'/><track producer='playlist3' hide='video'/></tractor></mlt>")
    timeline = read_project(path)
    assert [t.hidden for t in timeline.tracks] == [False, True] and timeline.length == 15
    assert timeline.tracks[0].segments()[0].in_frame == 20

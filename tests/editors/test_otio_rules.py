"""The rules of the OTIO reader (docs/editors.md), each on a small timeline written as an
editor writes it: exact positions, the nearest media frame, speed / reverse / freeze,
transitions as weighted blends, nesting, disabled and audio tracks."""

from fractions import Fraction

import numpy as np
import opentimelineio as otio
import pytest

from livelatent.edit.picks import NONE
from livelatent.errors import ProjectError
from livelatent.offline.conform_edit import conform_picks

from .build import clip, dissolve, gap, stack, timeline, track, write, zpair


def picks_of(tmp_path, tracks, rate=30.0, zs=("a", "b", "c")):
    for code, name in enumerate(zs):
        zpair(tmp_path / name, code, fps=Fraction(rate).limit_denominator(1001))
    return conform_picks(write(tmp_path / "cut.otio", timeline(tracks, rate)))


def shown(picks, frames):
    """(clip label, media frame) per timeline frame; None in a gap."""
    out = []
    for t in frames:
        s = picks.src[t, 0]
        out.append(None if s == NONE else (picks.sources[s].label, int(picks.pos[t, 0])))
    return out


def test_durations_at_2997_add_up_exactly_to_30000_1001_frames(tmp_path):
    picks = picks_of(tmp_path, [track(clip("a", 0, 1001, rate=29.97), clip("b", 5, 1000, rate=30000 / 1001))],
                     rate=29.97)
    assert len(picks) == 2001
    assert shown(picks, [1000, 1001]) == [("a", 1000), ("b", 5)]


def test_an_edge_between_frames_goes_to_the_nearest_frame_halves_up(tmp_path):
    # a 12.5-frame clip: the cut moves to frame 13, where b shows its in point
    picks = picks_of(tmp_path, [track(clip("a", 0, 12.5, rate=25), clip("b", 0, 10, rate=25))], rate=25)
    assert shown(picks, [12, 13]) == [("a", 12), ("b", 0)]
    assert len(picks) == 23  # 22.5 rounds up


@pytest.mark.parametrize("media_rate, frames", [
    (24, [10, 11, 12, 12, 13, 14]),   # 24 fps media in 30: the nearest media frame, 10 + k * 0.8
    (60, [10, 12, 14, 16, 18, 20]),   # 60 fps media: every other frame
])
def test_media_at_another_rate_shows_the_nearest_frame(tmp_path, media_rate, frames):
    zpair(tmp_path / "a", 0, fps=Fraction(media_rate))
    # the source range in the media's own rate: from its frame 10, for 20 of its frames
    edit = write(tmp_path / "cut.otio", timeline([track(clip("a", 10, 20, rate=media_rate))]))
    picks = conform_picks(edit)
    assert [int(p) for p in picks.pos[:6, 0]] == frames


@pytest.mark.parametrize("effect, frames", [
    (otio.schema.LinearTimeWarp(time_scalar=2.0), [40, 42, 44, 46]),
    (otio.schema.LinearTimeWarp(time_scalar=0.5), [40, 41, 41, 42]),   # 40.5 -> 41: halves up
    (otio.schema.LinearTimeWarp(time_scalar=-1.0), [40, 39, 38, 37]),  # reverse from the start frame
    (otio.schema.FreezeFrame(), [40, 40, 40, 40]),
])
def test_speed_reverse_and_freeze_move_through_the_media(tmp_path, effect, frames):
    picks = picks_of(tmp_path, [track(clip("a", 40, 10, effects=[effect]))])
    assert [int(p) for p in picks.pos[:4, 0]] == frames


def test_another_time_effect_is_refused_by_name_with_clip_track_and_time(tmp_path):
    ramp = otio.schema.TimeEffect(name="ramp", effect_name="Speed Ramp")
    with pytest.raises(ProjectError) as refused:
        picks_of(tmp_path, [track(clip("a", 0, 30), clip("b", 0, 30, effects=[ramp]), name="V1")])
    assert str(refused.value) == ("clip 'b' on track V1 at frame 30 (00:00:01.000): time effect 'Speed Ramp' "
                                  "(TimeEffect) is not supported; expected LinearTimeWarp (speed, reverse) or FreezeFrame")


def test_a_dissolve_weighs_the_incoming_clip_k_over_n_plus_1(tmp_path):
    # cut at 20; 2 frames before, 3 after: frames 18..22 blend a's handle into b
    picks = picks_of(tmp_path, [track(clip("a", 100, 20), dissolve(2, 3), clip("b", 50, 20))])
    b = picks.sources.index(next(s for s in picks.sources if s.label == "b"))
    for k, t in enumerate(range(18, 23)):
        cols = {picks.sources[s].label: (int(p), float(w)) for s, p, w in zip(picks.src[t], picks.pos[t], picks.weight[t]) if s != NONE}
        assert cols["a"] == (100 + t, pytest.approx(1 - k / 6)) and cols["b"] == (48 + k, pytest.approx(k / 6))
    assert shown(picks, [17, 23]) == [("a", 117), ("b", 53)]
    assert picks.src[23, 0] == b


def test_a_wipe_is_blended_as_a_dissolve_and_noted(tmp_path):
    tl = timeline([track(clip("a", 0, 20), dissolve(0, 4, kind="SMPTE_Wipe"), clip("b", 0, 20))])
    zpair(tmp_path / "a", 0), zpair(tmp_path / "b", 1)
    from livelatent.offline.conform_edit import conform_project
    seq, report = conform_project(write(tmp_path / "cut.otio", tl))
    assert report["blended_frames"] == 4  # weights 0, 1/5 .. 3/5 of b
    assert any("SMPTE_Wipe" in note and "dissolve" in note for note in report["notes"])


def test_nested_stacks_and_tracks_in_tracks_are_expanded(tmp_path):
    inner = stack(track(clip("a", 0, 50)), track(gap(10), clip("b", 0, 10)), trim=otio.opentime.TimeRange(
        otio.opentime.RationalTime(5, 30), otio.opentime.RationalTime(20, 30)))
    picks = picks_of(tmp_path, [track(inner, track(clip("c", 7, 4)))])
    assert shown(picks, [0, 4, 5, 14, 15, 20, 23]) == [("a", 5), ("a", 9), ("b", 0), ("b", 9), ("a", 20),
                                                       ("c", 7), ("c", 10)]


def test_disabled_clips_and_tracks_show_what_is_below_and_audio_is_ignored(tmp_path):
    picks = picks_of(tmp_path, [
        track(clip("a", 0, 30)),
        track(clip("b", 0, 10, enabled=False), clip("b", 10, 10)),
        track(clip("c", 0, 30), enabled=False),
        track(clip("c", 0, 60), kind=otio.schema.TrackKind.Audio),
    ])
    assert len(picks) == 30
    assert shown(picks, [0, 9, 10, 19, 20]) == [("a", 0), ("a", 9), ("b", 10), ("b", 19), ("a", 20)]


def test_reading_the_same_cut_as_a_kdenlive_mix_would_gives_positions_in_media_seconds(tmp_path):
    """A 25 fps clip in a 30000/1001 timeline written at the timeline's rate: seconds decide."""
    zpair(tmp_path / "a", 0, fps=Fraction(25))
    tl = timeline([track(clip("a", 60, 30, rate=30000 / 1001))], rate=30000 / 1001)
    picks = conform_picks(write(tmp_path / "cut.otio", tl))
    expected = np.floor((60 + np.arange(30)) / (30000 / 1001) * 25 + 0.5)
    assert np.array_equal(picks.pos[:, 0], expected)

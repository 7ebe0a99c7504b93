"""The conform picks the same source frame as Kdenlive's engine (melt), frame for frame.

Each test writes a small project in the structure of one Kdenlive generation over clips whose
every frame shows its (clip, frame) code, renders it with melt, decodes every output frame
and compares: same clip and frame, or for blends the same two sources and weight within 0.01.
"""

from fractions import Fraction

from livelatent.offline.conform_edit import conform_picks

from .conftest import mismatches_with_melt, requires_melt
from .kdenlive_writer import Blank, Cut, Lanes, Nest, gen2, sequences, timeline2

pytestmark = requires_melt
NTSC = Fraction(30000, 1001)


def _write(folder, name, text):
    path = folder / f"{name}.kdenlive"
    path.write_text(text)
    return path


def test_gen2_cuts_trims_gaps_top_track_and_30fps_clip_in_25fps_project(media):
    folder, c = media
    v1 = [Cut(c[1], 10, 24), Cut(c[1], 25, 30), Blank(4), Cut(c[3], 0, 19), Cut(c[2], 40, 49)]
    v2 = [Blank(8), Cut(c[2], 0, 5), Blank(30), Cut(c[5], 70, 79)]
    v3_hidden = [Cut(c[4], 0, 59)]
    project = _write(folder, "gen2_cuts", gen2(Fraction(25), [v1, v2, v3_hidden], hidden={2}))
    assert mismatches_with_melt(project) == []


def test_gen2_dissolve_composition_finds_its_lower_input_upwards_and_reverses(media):
    folder, c = media
    v1 = [Cut(c[1], 0, 39)]
    v2 = [Blank(40)]
    v3 = [Blank(10), Cut(c[2], 0, 9), Blank(5), Cut(c[5], 20, 34)]
    # V1 -> V3 dissolves over an empty V2, the second with reverse=1; the third starts its search
    # for a lower input at the empty V2 and finds none below V3, so V3 shows alone
    project = _write(folder, "gen2_dissolves", gen2(Fraction(25), [v1, v2, v3], compositions=[
        (0, 2, 10, 17, False), (0, 2, 25, 30, True), (1, 2, 33, 37, False)]))
    assert mismatches_with_melt(project) == []


def test_timeline2_clock_times_at_29_97_with_hidden_disabled_and_audio_tracks(media):
    folder, c = media
    v1 = Lanes([Cut(c[4], 0, 29), Blank(5), Cut(c[1], 3, 40), Cut(c[3], 10, 30)])
    v2 = Lanes([Blank(12), Cut(c[2], 50, 59, disabled=True), Cut(c[5], 0, 9)])
    v3_hidden = Lanes([Cut(c[2], 0, 80)], hidden=True)
    project = _write(folder, "tl2_ntsc", timeline2(NTSC, [v1, v2, v3_hidden], quirk_2008=True))
    assert mismatches_with_melt(project) == []


def test_clock_strings_after_the_first_minute_at_23_976_parse_as_mlt_parses_them(media):
    folder, c = media
    # "00:01:00.042" is frame 1439 for MLT; round(60.042 * 23.976) would say 1440
    v1 = Lanes([Blank(1439), Cut(c[1], 0, 4), Blank(1), Cut(c[2], 3, 8)])
    project = _write(folder, "tl2_23976", timeline2(Fraction(24000, 1001), [v1]))
    assert "00:01:00.042" in project.read_text()
    assert mismatches_with_melt(project, first=1430) == []


def test_timewarp_slow_fast_reverse_and_freeze_frames(media):
    folder, c = media
    v1 = Lanes([Cut(c[1], 10, 19, speed=0.5), Cut(c[2], 5, 14, speed=2.0), Cut(c[5], 0, 9, speed=-1.0),
                Cut(c[5], 30, 41, speed=-2.5), Cut(c[3], 20, 29, speed=0.5), Cut(c[4], 7, 30, speed=-0.7),
                Cut(c[1], 10, 17, freeze=(3, False, True)), Cut(c[2], 10, 17, freeze=(2, True, False)),
                Cut(c[1], 40, 45, freeze=(4, False, False))])
    project = _write(folder, "tl2_speed", timeline2(Fraction(25), [v1]))
    assert mismatches_with_melt(project) == []


def test_same_track_mixes_and_a_dissolve_between_tracks_blend_with_melts_weights(media):
    folder, c = media
    # mix 1: c1 (lane 0) out to c2 (lane 1) over 20..25; mix 2: reverse, c2 -> c5 on lane 0 over 40..43
    v1 = Lanes([Cut(c[1], 0, 25), Blank(14), Cut(c[5], 10, 40)],
               [Blank(20), Cut(c[2], 30, 53)],
               mixes=[(20, 26, False), (40, 44, True)])
    v2 = Lanes([Blank(60), Cut(c[3], 0, 20)])
    project = _write(folder, "tl2_mixes", timeline2(Fraction(25), [v1, v2], compositions=[(0, 1, 62, 71, False)]))
    assert mismatches_with_melt(project) == []


def test_sequences_with_a_nested_sequence_played_from_its_middle(media):
    folder, c = media
    inner = [Lanes([Cut(c[2], 0, 9), Blank(6), Cut(c[3], 30, 49)]), Lanes([Blank(5), Cut(c[4], 0, 9)])]
    # the inner sequence's background is transparent: in its gap the track below shows through
    main = [Lanes([Blank(12), Cut(c[2], 50, 69)]),
            Lanes([Cut(c[1], 0, 9), Nest("Inner", 3, 24), Cut(c[5], 5, 14, speed=-1.0)])]
    project = _write(folder, "seq_nested", sequences(Fraction(25), main, {"Inner": inner}))
    assert mismatches_with_melt(project) == []


def test_time_remap_ramp_hold_and_reverse_match_melts_float_arithmetic(media):
    folder, c = media
    ramp = "00:00:00.000=0;00:00:01.000=2;00:00:02.000=2;00:00:03.000=1"  # 2x, hold, then backwards
    main = [Lanes([Cut(c[5], 0, 74, remap=ramp), Cut(c[3], 0, 9, remap="00:00:00.000=1;00:00:01.000=0.5")])]
    project = _write(folder, "seq_remap", sequences(Fraction(25), main, {}))
    assert mismatches_with_melt(project) == []


def test_gen2_framebuffer_slow_motion_and_proxy_clips(media):
    folder, c = media
    proxy = folder / "c2.proxy.mkv"
    if not proxy.exists():
        proxy.write_bytes((folder / c[2].path).read_bytes())  # a proxy shows the same frames, smaller
    v1 = [Cut(c[1], 10, 29, speed=0.5, slowmotion=True), Cut(c[2], 5, 24, proxy=proxy.name),
          Cut(c[3], 4, 13, speed=0.25, slowmotion=True)]
    project = _write(folder, "gen2_slowmotion", gen2(Fraction(25), [v1]))
    assert mismatches_with_melt(project) == []


def test_a_whole_clip_reversed_at_half_speed_starts_one_frame_past_its_end_as_in_melt(coded_media):
    # length 180, out 179: the first frame is source frame (int)(179 / 50 * 25 + 0.5) = 90 of a
    # 90-frame clip, which melt shows blank; the conform picks no source frame there either
    folder, c = coded_media
    project = _write(folder, "reverse_whole", timeline2(Fraction(25), [Lanes([Cut(c[1], 0, 179, speed=-0.5)])]))
    assert mismatches_with_melt(project) == []
    picks = conform_picks(project)
    assert picks.sources[picks.src[0, 0]].kind == "blank" and int(picks.pos[1, 0]) == 89


def test_pre_16_04_slow_motion_of_a_faster_clip_rounds_its_forced_rate_as_melt_prints_it(media):
    # framebuffer forces a 29.97 fps clip at half speed to "14.985015" fps (printed with %f):
    # with the exact 14.985014985... frames 12, 20, 36... would come out one lower than melt's
    folder, c = media
    project = _write(folder, "gen2_forced_fps", gen2(Fraction(24000, 1001), [[Cut(c[4], 0, 140, speed=0.5,
                                                                                slowmotion=True)]]))
    assert mismatches_with_melt(project) == []


def test_time_remap_interpolates_in_mlts_float_order(media):
    # halfway between 0.086 s and 1.914 s MLT computes 0.086 + 1.828 * 0.5 = 0.99999999999999989,
    # so frame 11 shows source frame 24 (floor of 24.99999...), where np.interp's order gives 25
    folder, c = media
    main = [Lanes([Cut(c[1], 0, 24, remap="00:00:00.000=0.086;00:00:00.880=1.914")])]
    project = _write(folder, "seq_remap_order", sequences(Fraction(25), main, {}))
    assert mismatches_with_melt(project) == []

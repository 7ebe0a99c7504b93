"""Hostile and broken projects: what melt plays, the conform plays; what it cannot, it refuses
in one line naming the thing, before allocating anything, without a traceback or a hang."""

from fractions import Fraction

import pytest

from livelatent.cli import main
from livelatent.edit.picks import pick
from livelatent.errors import ProjectError
from livelatent.edit.timeline import ClipSegment, Source, Timeline, Track

from .conftest import mismatches_with_melt, requires_melt
from .kdenlive_writer import Cut, Lanes, _profile, timeline2

CLIP = '<producer id="{id}"><property name="length">90</property><property name="resource">c{code}.mkv</property>' \
       '<property name="mlt_service">avformat</property></producer>'


def _mlt(body: str, clips=(1, 2)) -> str:
    producers = "".join(CLIP.format(id=f"p{code}", code=code) for code in clips)
    return f"<mlt>{_profile(Fraction(25))}{producers}{body}</mlt>"


def _one_track(entries: str) -> str:
    return _mlt(f'<playlist id="v1">{entries}</playlist><tractor id="main"><track producer="v1"/></tractor>')


def _conform_fails(folder, text, capsys, suffix=".mlt") -> str:
    project = folder / f"hostile{suffix}"
    project.write_text(text)
    status = main(["conform", str(project), "-o", str(folder / "out")])
    err = capsys.readouterr().err
    assert status == 1 and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert not (folder / "out.npy").exists()
    return err


def _melt_mismatches(folder, name: str, text: str) -> list[str]:
    project = folder / name
    project.write_text(text)
    return mismatches_with_melt(project)


@requires_melt
def test_negative_inverted_and_overlong_in_out_and_empty_blanks_play_as_melt_clamps_them(media):
    text = _one_track('<entry producer="p1" in="-5" out="3"/><blank length="-3"/>'
                      '<entry producer="p2" in="20" out="15"/><blank length="0"/><blank length="2"/>'
                      '<entry producer="p1" in="85" out="95"/><entry producer="p2" in="80" out="-1"/>')
    assert _melt_mismatches(media[0], "clamped.mlt", text) == []


@requires_melt
def test_an_inverted_kdenlive_entry_is_played_forwards_as_melt_does(media):
    folder, c = media
    text = timeline2(Fraction(25), [Lanes([Cut(c[1], 10, 19), Cut(c[2], 30, 39)])])
    inverted = text.replace('in="00:00:01.200" out="00:00:01.560"', 'in="00:00:01.560" out="00:00:01.200"')
    assert inverted != text
    assert _melt_mismatches(folder, "inverted.kdenlive", inverted) == []


@requires_melt
def test_entries_past_their_producers_out_hold_its_out_frame_as_melt_does(coded_media):
    text = _mlt('<producer id="a" out="20"><property name="resource">c1.mkv</property></producer>'
                '<chain id="b" out="20"><property name="resource">c3.mkv</property></chain>'
                '<producer id="w" out="30"><property name="resource">-0.5:c2.mkv</property>'
                '<property name="mlt_service">timewarp</property></producer>'
                '<producer id="o" in="5" out="20"><property name="resource">c2.mkv</property></producer>'
                '<playlist id="v1"><entry producer="a" in="15" out="25"/><entry producer="b" in="15" out="25"/>'
                '<entry producer="w" in="25" out="35"/><entry producer="o" in="10" out="20"/></playlist>'
                '<tractor id="main"><track producer="v1"/></tractor>', clips=())
    assert _melt_mismatches(coded_media[0], "past_out.mlt", text) == []


@requires_melt
def test_speed_zero_plays_at_speed_one_as_melts_timewarp_does(media):
    text = _mlt('<producer id="w"><property name="resource">0:c1.mkv</property>'
                '<property name="mlt_service">timewarp</property></producer>'
                '<playlist id="v1"><entry producer="w" in="10" out="19"/></playlist>'
                '<tractor id="main"><track producer="v1"/></tractor>')
    assert _melt_mismatches(media[0], "speed0.mlt", text) == []


def test_a_blank_of_two_billion_frames_is_refused_before_the_timeline_is_allocated(tmp_path, media, capsys):
    folder, c = media
    text = _one_track('<blank length="2000000000"/><entry producer="p1" in="0" out="9"/>')
    assert "24 hours" in _conform_fails(tmp_path, text, capsys)
    kdenlive = timeline2(Fraction(25), [Lanes([Cut(c[1], 0, 9)])]).replace(
        "<entry ", '<blank length="2000000000"/><entry ', 1)
    assert "24 hours" in _conform_fails(tmp_path, kdenlive, capsys, ".kdenlive")


def _nested(depth: int) -> str:
    tractors = "".join(f'<playlist id="l{k}"><entry producer="{"p1" if k == 0 else f"t{k - 1}"}" in="0" out="4"/>'
                       f'</playlist><tractor id="t{k}"><track producer="l{k}"/></tractor>' for k in range(depth))
    return _mlt(tractors)


HOSTILE = {
    "NaN speed": _one_track("").replace('<playlist', '<producer id="w"><property name="resource">nan:c1.mkv'
                                        '</property><property name="mlt_service">timewarp</property></producer>'
                                        '<playlist').replace('"v1">', '"v1"><entry producer="w" in="0" out="4"/>'),
    "track index": _mlt('<playlist id="v1"><entry producer="p1" in="0" out="4"/></playlist><tractor id="m">'
                        '<track producer="v1"/><track producer="v1"/><transition out="4"><property name="a_track">x'
                        '</property><property name="mlt_service">luma</property></transition></tractor>'),
    "NaN time remap": _mlt('<chain id="r"><property name="resource">c1.mkv</property><property name="mlt_service">'
                           'avformat</property><link><property name="mlt_service">timeremap</property>'
                           '<property name="time_map">0=nan</property></link></chain><playlist id="v1">'
                           '<entry producer="r" in="0" out="4"/></playlist><tractor id="m"><track producer="v1"/>'
                           '</tractor>'),
    "a tractor playing itself": _mlt('<playlist id="v1"><entry producer="p1" in="0" out="4"/></playlist>'
                              '<tractor id="m"><track producer="v1"/></tractor>').replace(
        '<playlist id="v1"><entry producer="p1" in="0" out="4"/></playlist>',
        '<tractor id="x"><track producer="p1" in="0" out="4"/></tractor><playlist id="v1">'
        '<entry producer="x" in="0" out="4"/></playlist>').replace('<track producer="p1" in="0" out="4"/>',
                                                                   '<track producer="v1" in="0" out="4"/>'),
    "nested 40 deep": _nested(40),
    "entry before its producer": _mlt('<playlist id="v1"><entry producer="late" in="0" out="4"/></playlist>'
                                      '<producer id="late"><property name="resource">c1.mkv</property></producer>'
                                      '<tractor id="m"><track producer="v1"/></tractor>'),
    "freeze on a whole track": _mlt('<playlist id="v1"><entry producer="p1" in="0" out="4"/><filter><property '
                                    'name="mlt_service">freeze</property></filter></playlist><tractor id="m">'
                                    '<track producer="v1"/></tractor>'),
    "smooth time remap keyframes": _mlt('<chain id="r"><property name="resource">c1.mkv</property><property '
                                        'name="mlt_service">avformat</property><link><property name="mlt_service">'
                                        'timeremap</property><property name="time_map">0~=0;20~=1</property></link>'
                                        '</chain><playlist id="v1"><entry producer="r" in="0" out="4"/></playlist>'
                                        '<tractor id="m"><track producer="v1"/></tractor>'),
    "a dissolve from an upper a_track": _mlt('<playlist id="v1"><entry producer="p1" in="0" out="4"/></playlist>'
                                             '<tractor id="m"><track producer="v1"/><track producer="v1"/><transition '
                                             'out="4"><property name="mlt_service">luma</property><property name='
                                             '"a_track">1</property><property name="b_track">0</property>'
                                             '</transition></tractor>'),
    "a negative length": _one_track('<entry producer="p1" in="0" out="4"/>').replace(
        '<property name="length">90</property>', '<property name="length">-5</property>', 1),
    "a billion repeats": _one_track('<entry producer="p1" in="0" out="4" repeat="1000000000"/>'),
    "in is not a time": _one_track('<entry producer="p1" in="abc" out="4"/>'),
    "no profile": _one_track('<entry producer="p1" in="0" out="4"/>').replace(_profile(Fraction(25)), ""),
    "unknown transition": _mlt('<playlist id="v1"><entry producer="p1" in="0" out="4"/></playlist><tractor id="m">'
                               '<track producer="v1"/><track producer="v1"/><transition out="4"><property '
                               'name="mlt_service">wipe-o-matic</property></transition></tractor>'),
    "half-opaque compositor": _mlt('<playlist id="v1"><entry producer="p1" in="0" out="4"/></playlist><tractor '
                                   'id="m"><track producer="v1"/><track producer="v1"/><transition><property name='
                                   '"mlt_service">frei0r.cairoblend</property><property name="0">0.5</property>'
                                   '</transition></tractor>'),
    "dissolve without out": _mlt('<playlist id="v1"><entry producer="p1" in="0" out="4"/></playlist><tractor '
                                 'id="m"><track producer="v1"/><track producer="v1"/><transition><property name='
                                 '"mlt_service">luma</property></transition></tractor>'),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_mlt_file_is_one_line(name, tmp_path, media, capsys):
    _conform_fails(tmp_path, HOSTILE[name], capsys)


def test_kdenlive_sequences_nested_too_deep_are_one_line(tmp_path, capsys):
    seqs = "".join(f'<playlist id="l{k}"><entry producer="{f"s{k - 1}" if k else "s0"}" in="0" out="4"/></playlist>'
                   f'<tractor id="s{k}"><property name="kdenlive:uuid">{{{k}}}</property><track producer="l{k}"/>'
                   f'<track producer="l{k}"/></tractor>' for k in range(1, 60))
    first = '<playlist id="l0"/><tractor id="s0"><track producer="l0"/></tractor>'
    text = f"<mlt>{_profile(Fraction(25))}{first}{seqs}</mlt>"
    assert "deep" in _conform_fails(tmp_path, text, capsys, ".kdenlive")


def test_an_edit_whose_frame_layers_cannot_fit_in_memory_is_refused_before_allocating_them():
    """A thousand different day-long nested sequences, one frame of each used: the conform would
    conform each whole (hundreds of GiB); it says so instead of being killed half-way."""
    fps = Fraction(60)
    day = 24 * 3600 * 60 - 1
    clip = Source("c1", "c1", fps=fps)
    nested = [Timeline(f"seq{k}", fps, (Track("V1", ((ClipSegment(0, day, clip, label=f"c{k}"),),)),))
              for k in range(1000)]
    main = Timeline("main", fps, (Track("V1", tuple((ClipSegment(k, 1, seq, in_frame=0),) for k, seq in
                                                    enumerate(nested))),))
    with pytest.raises(ProjectError, match="GiB to conform"):
        pick(main)

"""MIDI and OSC messages map to control events through pure tables."""

from __future__ import annotations

import pytest

from livelatent.errors import ControlMessageError
from livelatent.instrument.mapping import MidiBinding, MidiMap, NoteBlock, midi_event, osc_event
from livelatent.instrument.addresses import check_target

NANO = MidiMap(
    bindings=(
        MidiBinding("cc", 0, "motion/settle_time"),
        MidiBinding("cc", 1, "motion/damping", lo=0.2, hi=0.8, invert=True),
        MidiBinding("cc", 2, "noise", curve="exp"),
        MidiBinding("cc", 41, "record/toggle"),
        MidiBinding("note", 64, "keyframe/random", channel=2),
    ),
    notes=(NoteBlock(first_note=0, count=64, first_slot=0, velocity=True),),
)


@pytest.mark.parametrize("kind, channel, number, value, expected", [
    ("note_on", 1, 5, 127, "keyframe(5, 1.0)"),
    ("note_on", 1, 5, 0, None),                      # note-on with velocity 0 is a release
    ("note_off", 1, 5, 64, None),
    ("note_on", 2, 64, 100, "keyframe.random()"),
    ("note_on", 1, 64, 100, None),                   # bound on channel 2 only, outside the block
    ("cc", 1, 0, 127, "motion('settle_time', 1.0, 'norm')"),
    ("cc", 1, 1, 127, "motion('damping', 0.2, 'norm')"),   # inverted, into 0.2..0.8
    ("cc", 1, 2, 0, "noise(0.0)"),
    ("cc", 1, 41, 127, "record.toggle()"),
    ("cc", 1, 41, 0, None),                          # button release
    ("cc", 1, 99, 12, None),                         # unmapped: ignored
], ids=lambda v: str(v))
def test_midi_messages_map_to_events(kind, channel, number, value, expected):
    ev = midi_event(NANO, kind, channel, number, value)
    assert (str(ev) if ev else None) == expected


def test_velocity_scales_the_move():
    ev = midi_event(NANO, "note_on", 1, 3, 64)
    assert ev.args == (3, pytest.approx(64 / 127))


def test_exp_curve_is_gentle_at_the_bottom():
    assert midi_event(NANO, "cc", 1, 2, 64).args[0] == pytest.approx((64 / 127) ** 2)


def test_later_binding_wins_so_learn_can_override():
    learned = NANO.with_binding(MidiBinding("cc", 0, "noise"))
    assert str(midi_event(learned, "cc", 1, 0, 127)) == "noise(1.0)"


@pytest.mark.parametrize("address, args, expected", [
    ("/livelatent/keyframe", (3,), "keyframe(3, 1.0)"),
    ("/livelatent/keyframe", (3.0, 0.5), "keyframe(3, 0.5)"),
    ("/livelatent/keyframe/12", (1.0,), "keyframe(12, 1.0)"),
    ("/livelatent/keyframe/12", (0.0,), None),
    ("/livelatent/keyframe/random", (), "keyframe.random()"),
    ("/livelatent/store", (4,), "store(4)"),
    ("/livelatent/store/4", (), "store(4)"),
    ("/livelatent/motion/spring_damping", (0.5,), "error"),
    ("/livelatent/motion/speed_limit", (0.5,), "motion('speed_limit', 0.5, 'norm')"),
    ("/livelatent/motion/speed_limit/raw", (3.5,), "motion('speed_limit', 3.5, 'raw')"),
    ("/livelatent/motion/speed_limit", (1.5,), "error"),
    ("/livelatent/motion/mover", ("spring",), "mover('spring',)"),
    ("/livelatent/motion/mover", (0,), "mover('geodesic',)"),
    ("/livelatent/noise", (0.3,), "noise(0.3)"),
    ("/livelatent/noise", (), "error"),
    ("/livelatent/snapshot", (2,), "snapshot(2)"),
    ("/livelatent/record/start", (), "record.start()"),
    ("/livelatent/record/stop", (1.0,), "record.stop()"),
    ("/livelatent/hud", (), "hud()"),
    ("/livelatent/hud", (0,), "hud(False)"),
    ("/livelatent/learn", ("motion/damping",), "learn('motion/damping',)"),
    ("/livelatent/learn", ("bogus",), "error"),
    ("/livelatent/z", (1.0, 2.0), "z(1.0, 2.0)"),
    ("/livelatent/z", (1.0,), "error"),
    ("/other/keyframe", (1,), "error"),
], ids=lambda v: str(v))
def test_osc_addresses_map_to_events(address, args, expected):
    if expected == "error":
        with pytest.raises(ControlMessageError, match=address.replace("/", ".")):
            osc_event(address, args, d=2)
        return
    ev = osc_event(address, args, d=2)
    assert (str(ev) if ev else None) == (expected and expected.replace(",)", ")"))


def test_unknown_target_lists_the_allowed_ones():
    with pytest.raises(ControlMessageError, match="expected one of motion/settle_time"):
        check_target("motion/wobble")

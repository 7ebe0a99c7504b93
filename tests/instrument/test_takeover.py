"""Soft takeover and relative encoders: a fader that starts away from its parameter, a change
made elsewhere, the three modes and the three relative encodings."""

import pytest

from livelatent.instrument.actions import make
from livelatent.instrument.mapping import MidiBinding, MidiMap, midi_event
from livelatent.instrument.takeover import KnobTracker, relative_steps


def fader(takeover: str, **kw) -> MidiBinding:
    return MidiBinding("cc", 7, "noise", takeover=takeover, **kw)


def move(tracker, binding, *positions):
    """The knob values sent for a fader moved through raw positions (None: nothing sent)."""
    out = []
    for raw in positions:
        event = midi_event(MidiMap((binding,)), "cc", 1, binding.number, raw, tracker)
        out.append(None if event is None else round(event.args[0], 3))
        if event is not None:
            tracker.heard(event, event.args[0])  # the loop applied it
    return out


def test_pickup_waits_until_the_fader_crosses_the_value_then_follows():
    tracker, b = KnobTracker(), fader("pickup")
    tracker.heard(make("noise", 0.5, source="osc"), 0.5)  # the show's noise is 0.5; the fader sits at 0
    assert move(tracker, b, 0, 20, 40, 60, 80, 90) == [None] * 4 + [round(80 / 127, 3), round(90 / 127, 3)]


def test_pickup_lets_go_after_a_change_elsewhere_and_picks_up_again():
    tracker, b = KnobTracker(), fader("pickup")
    tracker.heard(make("noise", 0.0, source="osc"), 0.0)
    assert move(tracker, b, 0, 30)[-1] == round(30 / 127, 3)
    tracker.heard(make("noise", 0.8, source="console"), 0.8)  # the console moved it
    assert move(tracker, b, 35, 60) == [None, None]  # nothing jumps
    assert move(tracker, b, 110)[0] == round(110 / 127, 3)  # crossed 0.8 on the way


def test_jump_follows_at_once_and_scale_meets_the_value_at_the_end_stop():
    tracker = KnobTracker()
    tracker.heard(make("noise", 0.5, source="osc"), 0.5)
    assert move(tracker, fader("jump"), 0) == [0.0]
    tracker, b = KnobTracker(), fader("scale")
    tracker.heard(make("noise", 0.5, source="osc"), 0.5)
    sent = move(tracker, b, 0, 8, 16)  # moving up from 0 while the parameter is at 0.5
    assert sent[0] is None and 0.5 < sent[1] < sent[2] < 0.6  # the rest of the range, proportionally
    assert move(tracker, b, 127) == [1.0]  # both at the top


@pytest.mark.parametrize("encoding, up, down", [("twos-complement", 1, 127), ("offset-64", 65, 63),
                                                ("sign-bit", 1, 65)], ids=str)
def test_relative_encoders_step_from_where_the_parameter_is(encoding, up, down):
    assert (relative_steps(up, encoding), relative_steps(down, encoding)) == (1, -1)
    tracker, b = KnobTracker(), MidiBinding("cc", 7, "noise", mode="relative", encoding=encoding)
    tracker.heard(make("noise", 0.5, source="osc"), 0.5)
    up3 = move(tracker, b, up, up, up)
    assert up3 == [round(0.5 + k / 127, 3) for k in (1, 2, 3)]
    assert move(tracker, b, down) == [round(0.5 + 2 / 127, 3)]

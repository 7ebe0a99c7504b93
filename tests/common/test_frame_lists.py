"""Frame lists as a person types them for stills, plot-path, path, journeys and the bank: one
parser, one way of saying what it refuses."""

import pytest

from livelatent.commands.settings import message
from livelatent.common.frame_lists import frame_groups, frame_list
from livelatent.errors import UsageError


def refusal(parse, text, n=100, setting="frames") -> str:
    with pytest.raises(UsageError) as caught:
        parse(text, n, setting=setting)
    assert caught.value.setting == setting
    return message(caught.value)  # as the command line prints it: the setting said as its flag


def test_frames_and_ranges_come_in_the_order_given_repeats_kept():
    assert frame_list("0,12,40-43", 100, setting="frames") == [0, 12, 40, 41, 42, 43]
    assert frame_list(" 4, 1 ,,4 ", 100, setting="frames") == [4, 1, 4]  # a journey may pass a frame twice
    assert frame_list("7-7,99", 100, setting="frames") == [7, 99]


def test_several_lists_split_by_semicolons_or_slashes():
    assert frame_groups("12,40,77", 100, setting="pick") == [[12, 40, 77]]
    assert frame_groups("3,9;12,40/5-6;", 100, setting="pick") == [[3, 9], [12, 40], [5, 6]]


@pytest.mark.parametrize("text", ["x", "", " , ", "-1", "3,-1", "5-", "-5", "9-3", "1.5", "1e3", "3--4"])
def test_anything_but_frame_numbers_is_refused_in_one_style(text):
    assert refusal(frame_list, text) == f"--frames: expected frame numbers like 0,12,40-48, got {text!r}"


def test_a_frame_past_the_end_is_refused_naming_it_and_the_frames_there_are():
    assert refusal(frame_list, "1,60", 6, "pick") == "--pick: expected frames in 0..5, got '60'"
    assert refusal(frame_list, "0,3-6", 6, "keys") == "--keys: expected frames in 0..5, got '3-6'"
    assert refusal(frame_groups, "0,1;2,99", 6, "pick") == "--pick: expected frames in 0..5, got '99'"


def test_no_frames_at_all_is_refused():
    assert refusal(frame_groups, ";;;", setting="pick") == "--pick: expected frame numbers like 0,12,40-48, got ';;;'"
    assert "got 'x;1'" in refusal(frame_groups, "x;1", setting="pick")  # the whole text, as typed
    assert refusal(frame_list, "\u00b2").endswith(r"got '\\xb2'")  # a digit to Python, not to a person

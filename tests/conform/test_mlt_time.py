from fractions import Fraction

import pytest

from livelatent.errors import ProjectError
from livelatent.edit.mlt_time import format_clock, parse_time

NTSC = Fraction(30000, 1001)


@pytest.mark.parametrize("fps", [Fraction(24000, 1001), Fraction(25), NTSC, Fraction(60000, 1001), Fraction(60)],
                         ids=["23.976", "25", "29.97", "59.94", "60"])
def test_clock_strings_round_trip_every_frame_of_three_hours(fps):
    assert all(parse_time(format_clock(f, fps), fps) == f for f in range(0, int(3 * 3600 * fps), 13))


@pytest.mark.parametrize("text, fps, frames", [
    ("00:01:00.042", Fraction(24000, 1001), 1439),  # naive round(seconds * fps) gives 1440
    ("00:00:01.000", Fraction(25), 25),
    ("00:00:00.400", Fraction(25), 10),
    ("00:00:05,080", Fraction(25), 127),             # decimal comma before Kdenlive 20.08
    ("00:00:02:00", Fraction(25), 50),               # SMPTE
    ("00:09:56;14", NTSC, 17876),                     # drop-frame marker, no drop compensation
    ("84", Fraction(25), 84),
], ids=["clock-23.976-after-a-minute", "clock", "blank-length", "decimal-comma", "smpte", "smpte-drop", "integer"])
def test_time_values_are_read_as_mlt_reads_them(text, fps, frames):
    assert parse_time(text, fps) == frames


def test_a_non_time_value_is_refused_with_its_text():
    with pytest.raises(ProjectError, match="'abc'"):
        parse_time("abc", Fraction(25))

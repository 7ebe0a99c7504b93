"""A flood's junk costs the OSC process a look-up, not a parse; the real fader still gets through.

The listener (livelatent/live/osc_listener.py) is fed (datagram, sender) pairs as a burst off
the socket gives them; its log runs on a ManualClock that stands still, so "at most one line
a second per kind" is exact here.
"""

from __future__ import annotations

import os
import random

import pytest
from pythonosc.udp_client import SimpleUDPClient

from livelatent.live import osc_listener
from livelatent.live.bus import ControlBus
from livelatent.live.loop_clock import ManualClock
from livelatent.live.osc import OscReceiver
from livelatent.live.osc_listener import MAX_ADDRESSES, Listener
from livelatent.live.ratelog import RateLimitedLog
from osc_junk import SMALL, applies, junk, message
from until import wait_until

SENDER = ("127.0.0.1", 50000)


@pytest.fixture
def listener():
    lines = []
    made = Listener(None, 4, None, RateLimitedLog(1.0, sink=lines.append, clock=ManualClock()))
    made.lines = lines
    return made


@pytest.fixture
def full_readings(monkeypatch):
    """Counts the datagrams read in full (parsed), whatever reads them."""
    count = [0]
    read = osc_listener.read_datagram

    def counted(data):
        count[0] += 1
        return read(data)

    monkeypatch.setattr(osc_listener, "read_datagram", counted)
    return count


def burst(*datagrams: bytes) -> list:
    return [(data, SENDER) for data in datagrams]


def knob(event) -> tuple:
    """A motion knob's event as (param, value); OSC floats are float32."""
    assert event.action == "motion"
    return event.args[0], round(event.args[1], 6)


def test_junk_to_an_address_without_a_route_is_dropped_unparsed_and_said_as_a_full_reading_says_it(
        listener, full_readings):
    flood = burst(*(message("/livelatent/explode", float(i)) for i in range(1000)))
    assert listener.events(flood) == []
    assert listener.rejected == 1000 and listener.messages == 1000
    assert full_readings[0] == 1  # only to make the one line the log printed (the burst is read newest first)
    assert len(listener.lines) == 1
    assert "/livelatent/explode [999.0]" in listener.lines[0] and "expected one of" in listener.lines[0]


def test_junk_that_is_not_ours_is_dropped_on_its_first_bytes(listener, full_readings):
    assert listener.events(burst(*(bytes([i % 256]) * 40 for i in range(1000)), b"/other/app\0\0")) == []
    assert listener.rejected == 1001 and full_readings[0] == 0
    assert len(listener.lines) == 1 and "not valid OSC for livelatent" in listener.lines[0]


def test_the_lines_of_a_flood_still_count_what_they_suppressed(listener):
    listener.events(burst(*(b"junk" for _ in range(10))))
    listener.log.clock.advance(1.0)
    listener.events(burst(b"junk"))
    assert len(listener.lines) == 2 and listener.lines[1].endswith("(and 9 more like it)")


def test_a_fader_streamed_through_a_flood_crosses_as_its_newest_value(listener):
    rng = random.Random(3)
    pool = [data for data in (junk(rng, SMALL) for _ in range(3000)) if not applies(data)]
    packets = []
    for i in range(100):  # a fader streamed through a flood: junk between every two of its messages
        packets += burst(message("/livelatent/motion/damping", i / 100), *pool[20 * i: 20 * i + 20])
    assert [knob(e) for e in listener.events(packets)] == [("damping", 0.99)]


def test_every_trigger_among_junk_crosses_in_order_after_the_knob_value_before_it(listener):
    rng = random.Random(4)
    pool = [data for data in (junk(rng, SMALL) for _ in range(2000)) if not applies(data)]
    packets = []
    for i in range(10):
        packets += burst(message("/livelatent/motion/damping", 0.5), *pool[50 * i: 50 * i + 25],
                         message("/livelatent/keyframe", i), *pool[50 * i + 25: 50 * i + 50])
    events = [knob(e) if e.action == "motion" else str(e) for e in listener.events(packets)]
    assert events == [x for i in range(10) for x in (("damping", 0.5), f"keyframe({i}, 1.0)")]


def test_ever_new_addresses_keep_the_table_bounded_and_real_addresses_still_apply(listener):
    flood = burst(*(message(f"/livelatent/junk{i}", 1.0) for i in range(3 * MAX_ADDRESSES + 7)))
    assert listener.events(flood) == []
    assert len(listener._kinds) <= MAX_ADDRESSES
    assert [str(e) for e in listener.events(burst(message("/livelatent/keyframe", 2)))] == ["keyframe(2, 1.0)"]


def test_an_overlong_or_unterminated_address_is_dropped_unparsed(listener, full_readings):
    flood = burst(message("/livelatent/" + "a" * 5000, 1.0), b"/livelatent/keyfr",
                  b"/livelatent/" + b"\xff" * 8 + b"\0")  # overlong, unterminated, not UTF-8
    assert listener.events(flood * 100) == [] and listener.rejected == 300
    assert full_readings[0] <= 3  # once a kind of line, for the line


def test_the_osc_process_runs_at_the_shows_priority_never_above_it_in_a_session_of_its_own():
    """(It ran at nice -5 once: a flood's bursts then took cores from the loop.) In a session
    of its own, Linux's autogroup scheduling does not take its work from the show's share."""
    bus = ControlBus()
    osc = OscReceiver(bus, host="127.0.0.1", port=0, d=4).start()
    try:
        SimpleUDPClient(*osc.address).send_message("/livelatent/keyframe", 1)
        assert wait_until(lambda: bus.drain())  # it listens: past where it once raised its priority
        assert os.getpriority(os.PRIO_PROCESS, osc._process.pid) == os.getpriority(os.PRIO_PROCESS, 0)
        assert os.getsid(osc._process.pid) == osc._process.pid != os.getsid(0)
    finally:
        osc.close()


def test_a_runaway_sender_of_bank_loads_gets_one_load_a_half_second_and_one_line(listener, tmp_path):
    """A bank load carries the whole bank into the take (~700 kB at 64 x 512): a sender that
    repeats it cannot fill the disk; the first crosses, the rest are dropped, said once."""
    from livelatent.instrument.actions import BANK_LOAD_INTERVAL
    from livelatent.instrument.bank import KeyframeBank

    KeyframeBank.random(4, seed=3).save(tmp_path / "night")
    load = (message("/livelatent/bank/load", str(tmp_path / "night.npy")), SENDER)
    events = listener.events([load] * 50)
    assert [e.action for e in events] == ["bank.load"]
    assert listener.events([load]) == []  # no time has passed on the listener's clock
    listener.log.clock.advance(BANK_LOAD_INTERVAL)
    assert [e.action for e in listener.events([load])] == ["bank.load"]
    assert sum("bank.load: at most one each" in line for line in listener.lines) == 1, listener.lines

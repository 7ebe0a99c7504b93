"""OSC over real UDP on 127.0.0.1: messages become events on the bus; feedback reaches a panel."""

from __future__ import annotations

import time

import numpy as np
from pythonosc.udp_client import SimpleUDPClient

from livelatent.live.bus import ControlBus
from livelatent.live.osc import OscFeedback, OscReceiver, RateLimitedLog


def wait_for_events(bus, n, timeout=5.0):
    got, deadline = [], time.monotonic() + timeout
    while len(got) < n and time.monotonic() < deadline:
        got += bus.drain()
        time.sleep(0.01)
    return got


def receiver(bus, d=8, **kw):
    return OscReceiver(bus, host="127.0.0.1", port=0, d=d, log=RateLimitedLog(interval=0.0), **kw).start()


def test_osc_messages_become_events_in_order():
    bus = ControlBus()
    osc = receiver(bus)
    try:
        client = SimpleUDPClient(*osc.address)
        client.send_message("/livelatent/keyframe", 3)
        client.send_message("/livelatent/keyframe/random", [])
        client.send_message("/livelatent/motion/damping", 0.25)
        client.send_message("/livelatent/motion/settle_time/raw", 2.0)
        client.send_message("/livelatent/store", 5)
        client.send_message("/livelatent/record/start", [])
        events = wait_for_events(bus, 6)
    finally:
        osc.close()
    assert [str(e) for e in events] == [
        "keyframe(3, 1.0)", "keyframe.random()", "motion('damping', 0.25, 'norm')",
        "motion('settle_time', 2.0, 'raw')", "store(5)", "record.start()"]
    assert all(e.source == "osc" for e in events)
    assert [e.arrival for e in events] == sorted(e.arrival for e in events)


def test_touchdesigner_style_single_float_channels():
    bus = ControlBus()
    osc = receiver(bus)
    try:
        client = SimpleUDPClient(*osc.address)
        client.send_message("/livelatent/keyframe/7", 1.0)   # a button channel pressed ...
        client.send_message("/livelatent/keyframe/7", 0.0)   # ... and released: nothing
        client.send_message("/livelatent/noise", 0.5)
        events = wait_for_events(bus, 2)
    finally:
        osc.close()
    assert [str(e) for e in events] == ["keyframe(7, 1.0)", "noise(0.5)"]


def test_z_as_floats_or_float32_blob():
    bus = ControlBus()
    osc = receiver(bus, d=4)
    z = np.array([0.5, -1.0, 2.0, 0.25], dtype="<f4")
    try:
        client = SimpleUDPClient(*osc.address)
        client.send_message("/livelatent/z", [float(v) for v in z])
        events = wait_for_events(bus, 1)  # (two z's in one burst: the later supersedes the first)
        client.send_message("/livelatent/z", z.tobytes())
        events += wait_for_events(bus, 1)
    finally:
        osc.close()
    assert [e.args for e in events] == [tuple(float(v) for v in z)] * 2


def test_malformed_messages_are_dropped_with_one_line_each(capfd):  # capfd: the OSC process logs
    bus = ControlBus()
    osc = receiver(bus, d=4)
    try:
        client = SimpleUDPClient(*osc.address)
        client.send_message("/livelatent/z", [1.0, 2.0])                 # wrong length
        client.send_message("/livelatent/keyframe", "three")            # wrong type
        client.send_message("/livelatent/motion/damping", float("nan"))  # NaN
        client.send_message("/livelatent/explode", 1.0)                  # outside the space
        client._sock.sendto(b"not osc at all", osc.address)              # not OSC
        client.send_message("/livelatent/keyframe", 1)                   # still alive
        events = wait_for_events(bus, 1)
    finally:
        osc.close()
    assert [str(e) for e in events] == ["keyframe(1, 1.0)"]
    err = capfd.readouterr().err
    assert "/livelatent/z [1.0, 2.0]: expected 4 floats" in err
    assert "/livelatent/keyframe ['three']" in err and "slot must be a number" in err
    assert "must be finite" in err
    assert "/livelatent/explode" in err and "expected one of" in err
    assert "not valid OSC" in err
    assert osc.rejected == 5


def test_allow_list_drops_other_senders(capfd):
    bus = ControlBus()
    osc = receiver(bus, allow=("10.9.8.7",))
    try:
        SimpleUDPClient(*osc.address).send_message("/livelatent/keyframe", 1)
        time.sleep(0.3)
    finally:
        osc.close()
    assert bus.drain() == []
    assert "not in the allow-list" in capfd.readouterr().err


def test_feedback_reaches_a_panel_and_skips_repeats(osc_listener):
    fb = OscFeedback("127.0.0.1", osc_listener.port)
    fb.send("/livelatent/keyframe", 3)
    fb.send("/livelatent/keyframe", 3)           # unchanged: not sent again
    fb.send("/livelatent/motion/damping", 0.5)
    fb.send("/livelatent/record", 1)
    got = osc_listener.collect(lambda r: len(r) >= 3)
    fb.close()
    assert got == [("/livelatent/keyframe", (3,)), ("/livelatent/motion/damping", (0.5,)), ("/livelatent/record", (1,))]


def test_rate_limited_log_counts_suppressed_lines(capsys):
    log = RateLimitedLog(interval=60)
    for i in range(5):
        log.log("k", f"bad {i}")
    assert capsys.readouterr().err.count("bad") == 1
    log._last["k"] = (-1e9, 4)
    log.log("k", "bad again")
    assert "(and 4 more like it)" in capsys.readouterr().err


def test_a_flood_of_garbage_is_a_few_log_lines_and_good_messages_still_pass(capfd):
    bus = ControlBus()
    osc = OscReceiver(bus, host="127.0.0.1", port=0, d=4, log=RateLimitedLog(interval=1.0)).start()
    try:
        client = SimpleUDPClient(*osc.address)
        for i in range(500):
            client.send_message("/livelatent/z", [float(i)])           # wrong length, 500 times
            if i % 50 == 49:
                time.sleep(0.01)  # within what a socket buffer holds: this test is about the log, not UDP
        client.send_message("/livelatent/keyframe", 2)
        events = wait_for_events(bus, 1)
        assert wait_until_count(osc, 501)
    finally:
        osc.close()
    assert [str(e) for e in events] == ["keyframe(2, 1.0)"]
    assert capfd.readouterr().err.count("/livelatent/z") <= 2 and osc.rejected == 500


def wait_until_count(osc, n, timeout=5.0):
    deadline = time.monotonic() + timeout
    while osc.messages < n and time.monotonic() < deadline:
        time.sleep(0.01)
    return osc.messages >= n


def test_a_knob_flood_is_coalesced_before_the_bus_but_every_trigger_arrives_in_order():
    bus = ControlBus()
    osc = receiver(bus)
    try:
        client = SimpleUDPClient(*osc.address)
        for i in range(2000):  # a fader streamed as fast as the sender can, with pads hit in between
            client.send_message("/livelatent/motion/damping", (i % 100) / 100)
            if i % 200 == 199:
                client.send_message("/livelatent/keyframe", i // 200)
                client.send_message("/livelatent/store", 60)
        client.send_message("/livelatent/record/stop", [])
        events = wait_for_events(bus, 21)
        events += wait_for_events(bus, 10**6, timeout=0.3)
    finally:
        osc.close()
    triggers = [str(e) for e in events if e.action != "motion"]
    assert triggers == [s for i in range(10) for s in (f"keyframe({i}, 1.0)", "store(60)")] + ["record.stop()"]
    knobs = [e for e in events if e.action == "motion"]
    assert len(knobs) < 2000 and osc.messages == 2021
    # each trigger still follows the knob value sent just before it
    for i, e in enumerate(events):
        if e.action == "keyframe":
            before = events[i - 1]
            assert before.action == "motion" and abs(before.args[1] - 0.99) < 1e-6  # OSC floats are float32


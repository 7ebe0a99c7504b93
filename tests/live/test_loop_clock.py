"""The loop's clock: a ManualClock moves only when told, runs scheduled calls at their exact
times, and lets a show's waits pass in no real time; the wall clock is real time."""

import threading

import pytest

from livelatent.instrument.actions import make
from livelatent.live.autopilot import Autopilot
from livelatent.live.bus import ControlBus
from livelatent.live.loop_clock import ManualClock, WallClock


def test_scheduled_calls_run_in_time_order_each_at_its_own_time():
    clock, seen = ManualClock(), []
    for t in (0.5, 0.1, 0.3):
        clock.at(t, lambda: seen.append(clock.now()))
    clock.advance(0.4)
    assert seen == [0.1, 0.3] and clock.now() == 0.4
    clock.advance(1.0)
    assert seen == [0.1, 0.3, 0.5] and clock.now() == 1.4


def test_a_wait_with_nothing_coming_moves_time_to_the_next_call_and_returns_what_is_ready():
    clock, bus = ManualClock(), None
    bus = ControlBus(clock)
    clock.at(0.01, lambda: bus.put(make("hud", source="api")))
    assert clock.wait(lambda timeout: None, 1 / 60) is None
    assert clock.now() == 0.01 and [e.arrival for e in bus.drain()] == [0.01]  # stamped exactly
    clock.wait(lambda timeout: None, 1 / 60)
    assert clock.now() == 0.01 + 1 / 60


def test_a_frame_that_is_coming_takes_no_loop_time():
    clock, ready = ManualClock(), threading.Event()
    threading.Timer(0.05, ready.set).start()  # a decode on another thread, in real time
    assert clock.wait(lambda timeout: ready.wait(timeout) and "frame", 1 / 60, coming=True) == "frame"
    assert clock.now() == 0.0


def test_zero_restarts_loop_time_and_calls_keep_their_loop_times():
    clock, seen = ManualClock(), []
    clock.at(0.2, lambda: seen.append(clock.now()))
    clock.advance(0.15)  # a model warming up before the loop starts
    assert clock.zero() == 0.15 and clock.now() == 0.0
    clock.advance(0.3)
    assert seen == [0.2] and clock.elapsed() == pytest.approx(0.45, abs=1e-12)


def test_a_bus_on_the_manual_clock_stamps_arrivals_and_shifts_them_at_zero():
    clock = ManualClock()
    bus = ControlBus(clock)
    clock.advance(0.25)
    bus.put(make("hud", source="api"))
    clock.advance(0.125)
    bus.zero()
    assert [e.arrival for e in bus.drain()] == [-0.125]  # before the loop's first tick: applied at it


def test_the_autopilot_presses_every_few_seconds_of_the_loops_clock():
    clock = ManualClock()
    bus = ControlBus(clock)
    pilot = Autopilot(bus, every=2.5).start()
    clock.advance(10.0)
    pilot.close()
    clock.advance(10.0)
    events = bus.drain()
    assert [e.arrival for e in events] == [0.0, 2.5, 5.0, 7.5, 10.0]
    assert {(e.action, e.source) for e in events} == {("keyframe.random", "autopilot")}


def test_the_wall_clock_is_real_time():
    clock = WallClock()
    first = clock.now()
    assert clock.wait(lambda timeout: threading.Event().wait(timeout) or "late", 0.02) == "late"
    assert clock.now() - first >= 0.02 and clock.wall() > 1.7e9

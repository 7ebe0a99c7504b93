"""The live loop's clock, injected (as moderngl-window hands its loop a timer): wall time in a
show, a manual clock in tests.

Loop time is seconds since zero() (the loop zeroes it as its first tick starts); the control
bus stamps arrivals with it, the loop runs its ticks and frames by it, the recorder paces its
flushes and names its takes by it. The loop never sleeps by itself: it waits for a decoded
frame through its clock, so a ManualClock runs a whole show tick-exactly without sleeping,
and at no cost in real time.

    clock = ManualClock()
    clock.at(0.3, lambda: bus.put(make("keyframe", 4)))     # arrives at loop time 0.3 exactly
    app = LiveApp(..., bus=ControlBus(clock), clock=clock); app.run(duration=1.0)
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from fractions import Fraction

PATIENCE = 120.0  # real seconds a ManualClock waits for a decode it knows is coming (a model warming up)
# A wait computed in floats to end at an instant (a frame's time) ends a hair before or after
# it: a call scheduled within this of a wait's end belongs to that wait (as motion/clock.py's
# ticks_due forgives 0.1 + 0.2)
SAME_INSTANT = Fraction(1, 10**9)


class WallClock:
    """The real clock: time.perf_counter() (CLOCK_MONOTONIC on Linux: another process's
    perf_counter() is comparable, e.g. a benchmark's sender)."""

    def __init__(self) -> None:
        self._made = time.perf_counter()
        self.origin = self._made  # perf_counter() at loop time 0

    def now(self) -> float:
        return time.perf_counter() - self.origin

    def elapsed(self) -> float:
        """Seconds since the clock was made, never reset (for pacing that zero() must not move)."""
        return time.perf_counter() - self._made

    def wall(self) -> float:
        """Calendar time (a take's name and its start)."""
        return time.time()

    def zero(self) -> float:
        """Restart loop time at 0; returns the loop time it had."""
        shift = self.now()
        self.origin += shift
        return shift

    def wait(self, take, timeout: float, *, coming: bool = False):
        """take(timeout): what the loop waits for (a decoded frame), or None after `timeout`
        seconds; a wake-up (a control on the bus) cuts the wait short."""
        return take(timeout)

    def every(self, seconds: float, call) -> "Repeat":
        """call() now and every `seconds` after, on a thread of its own, until cancel()."""
        return Repeat(seconds, call).start()


class Repeat:
    def __init__(self, seconds: float, call) -> None:
        self.seconds, self.call = seconds, call
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="livelatent-repeat", daemon=True)

    def start(self) -> "Repeat":
        self._thread.start()
        return self

    def _run(self) -> None:
        while True:
            self.call()
            if self._stop.wait(self.seconds):
                return

    def cancel(self) -> None:
        self._stop.set()
        self._thread.join(timeout=1.0)


class ManualClock:
    """Time that moves only when told: advance(seconds), or the loop waiting while no frame is
    coming (time moves on to the next scheduled call, or by the whole wait). Calls scheduled
    with at() and every() run as time reaches them, the clock reading their exact time, on the
    thread that moved it; a decode the loop knows is coming takes no loop time unless the
    decoder itself advances the clock (a slow model, simulated). Time is kept exactly (a
    Fraction of the floats it is given): a call at 0.3 arrives at 0.3, tick 72's time at 240 Hz.
    Thread-safe."""

    WALL_START = 1_800_000_000.0  # 2027-01-15: takes recorded under a ManualClock get stable names

    def __init__(self) -> None:
        self._t = Fraction(0)  # seconds since made
        self._origin = Fraction(0)
        self._calls: list = []  # heap of (loop time, order, call)
        self._order = itertools.count()
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return float(self._t - self._origin)

    def elapsed(self) -> float:
        with self._lock:
            return float(self._t)

    def wall(self) -> float:
        return self.WALL_START + self.elapsed()

    def zero(self) -> float:
        with self._lock:
            shift, self._origin = self._t - self._origin, self._t
            return float(shift)

    def at(self, seconds: float, call) -> None:
        """call() when loop time reaches `seconds`: a call scheduled before the loop zeroes its
        clock comes that long after the loop's start."""
        with self._lock:
            self._schedule(Fraction(seconds), call)

    def every(self, seconds: float, call) -> "ManualRepeat":
        """call() now and every `seconds` of this clock after, until cancel()."""
        return ManualRepeat(self, seconds, call)

    def advance(self, seconds: float) -> None:
        """Move time on by `seconds`, running the calls that fall due, each at its own time."""
        self._advance(seconds, stop_at_call=False)

    def wait(self, take, timeout: float, *, coming: bool = False):
        """A frame that is coming is waited for in real time (it takes no loop time). Otherwise
        time moves on by `timeout`, or only to the next scheduled call, which runs (as a
        control on the bus wakes the loop); whatever is ready then is returned."""
        if coming:
            return take(PATIENCE)
        self._advance(timeout, stop_at_call=True)
        return take(0.0)

    def _advance(self, seconds: float, *, stop_at_call: bool) -> None:
        with self._lock:
            end = self._t + Fraction(max(seconds, 0.0))
        while True:
            with self._lock:
                if not self._calls or self._origin + self._calls[0][0] > end + SAME_INSTANT:
                    self._t = max(self._t, end)
                    return
                when, _, call = heapq.heappop(self._calls)
                self._t = max(self._t, self._origin + when)
            call()  # outside the lock: a call may wait for a real device, whose thread reads the clock
            if stop_at_call and not self._due():
                return

    def _due(self) -> bool:
        """Another call at the time it is now."""
        with self._lock:
            return bool(self._calls) and self._origin + self._calls[0][0] <= self._t

    def _schedule(self, when: float, call) -> None:
        heapq.heappush(self._calls, (when, next(self._order), call))


class ManualRepeat:
    def __init__(self, clock: ManualClock, seconds: float, call) -> None:
        self.clock, self.seconds, self.call = clock, seconds, call
        self._cancelled = False
        self._fire()

    def _fire(self) -> None:
        if self._cancelled:
            return
        self.call()
        with self.clock._lock:
            self.clock._schedule(self.clock._t - self.clock._origin + Fraction(self.seconds), self._fire)

    def cancel(self) -> None:
        self._cancelled = True

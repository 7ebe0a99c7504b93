"""ControlBus: the one thread-safe queue between device threads and the live loop.

MIDI, OSC and keyboard put() events from any thread; put stamps each with its arrival time
on the loop's clock (live/loop_clock.py: wall time in a show, a ManualClock in tests). The loop calls drain(until=t) at each tick boundary and applies, in queue
order, every event that had arrived by that tick's time, so an event lands on the tick it
arrived in even when a slow frame makes the loop catch up many ticks at once.
"""

from __future__ import annotations

import collections
import threading

from livelatent.instrument.actions import ControlEvent
from livelatent.live.loop_clock import WallClock


class ControlBus:
    """put(event) from any thread; drain(until) from the loop. Times are seconds since zero()
    (or since the bus was made): the loop calls zero() as it starts, so tick t's time is t / rate.
    Events queued before that carry negative arrival times and apply at the first tick."""

    def __init__(self, clock=None, maxlen: int = 100_000) -> None:
        self.clock = clock if clock is not None else WallClock()
        self._queue: collections.deque[ControlEvent] = collections.deque()
        self._lock = threading.Lock()
        self._maxlen = maxlen
        self.dropped = 0  # events refused because the queue was full (a flood nobody drains)
        self.received = 0  # events put, dropped ones too
        self.on_put = None  # called (from the putting thread) after each put: the loop's wake-up
        self.on_zero: list = []  # called after zero(): sources whose time starts with the loop's (a song)

    def now(self) -> float:
        return self.clock.now()

    def zero(self) -> None:
        """Restart the clock at 0; queued events keep their order, their times shift with it."""
        with self._lock:
            shift = self.clock.zero()
            self._queue = collections.deque(e.at(e.arrival - shift) for e in self._queue)
        for call in self.on_zero:
            call()

    def put(self, event: ControlEvent) -> None:
        self.put_many((event,))

    def put_many(self, events) -> None:
        """A batch (one OSC burst), in order, with one arrival time: one lock, one wake-up."""
        with self._lock:  # stamp under the lock so arrival times never go backwards in the queue
            now = self.now()
            room = self._maxlen - len(self._queue)
            for event in events:
                self.received += 1
                if room <= 0:
                    self.dropped += 1
                    continue
                self._queue.append(event.at(now))
                room -= 1
        if self.on_put is not None:
            self.on_put()

    def drain(self, until: float | None = None) -> list[ControlEvent]:
        """Events that arrived at or before `until` (all when None), oldest first."""
        out = []
        with self._lock:
            q = self._queue
            while q and (until is None or q[0].arrival <= until):
                out.append(q.popleft())
        return out

    def __len__(self) -> int:
        return len(self._queue)

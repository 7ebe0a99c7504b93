"""ControlBus: the one thread-safe queue between device threads and the live loop.

MIDI, OSC and keyboard put() events from any thread; put stamps each with its arrival time
on the loop's clock. The loop calls drain(until=t) at each tick boundary and applies, in queue
order, every event that had arrived by that tick's time, so an event lands on the tick it
arrived in even when a slow frame makes the loop catch up many ticks at once.
"""

from __future__ import annotations

import collections
import threading
import time

from livelatent.controls import ControlEvent


class ControlBus:
    """put(event) from any thread; drain(until) from the loop. `clock` gives seconds."""

    def __init__(self, clock=None, maxlen: int = 100_000) -> None:
        self._clock = clock or _started_clock()
        self._queue: collections.deque[ControlEvent] = collections.deque()
        self._lock = threading.Lock()
        self._maxlen = maxlen
        self.dropped = 0  # events refused because the queue was full (a flood nobody drains)

    def now(self) -> float:
        return self._clock()

    def put(self, event: ControlEvent) -> None:
        with self._lock:  # stamp under the lock so arrival times never go backwards in the queue
            if len(self._queue) >= self._maxlen:
                self.dropped += 1
                return
            self._queue.append(event.at(self._clock()))

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


def _started_clock():
    t0 = time.perf_counter()
    return lambda: time.perf_counter() - t0

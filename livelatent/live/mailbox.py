"""A one-slot mailbox: one side puts, a thread takes; the newest item wins.

put() never waits: an item not yet taken is replaced (put says so, for a caller that counts
drops), so a slow taker costs only its own items, never the putter's time. The loop hands
frames to an output this way (live/outputs/worker.py), the decode worker hands finished
images back to the loop (live/decoder.py), the loop hands its values to OSCQuery's pusher
(live/oscquery_listen.py). The console's link (live/console/link.py) keeps several slots and
an ordered queue under one lock, sent in one order, so it keeps its own.

    box = Mailbox()
    dropped = box.put(frame)          # True: it replaced one the thread had not taken
    frame = box.take(timeout=0.25)    # the newest, or None after the timeout or a wake()
"""

from __future__ import annotations

import threading


class Mailbox:
    def __init__(self) -> None:
        self._item = None
        self._woken = False
        self._cond = threading.Condition()

    @property
    def full(self) -> bool:
        """An item waits, not yet taken."""
        with self._cond:
            return self._item is not None

    def put(self, item) -> bool:
        with self._cond:
            replaced = self._item is not None
            self._item = item
            self._cond.notify()
        return replaced

    def take(self, timeout: float | None = None):
        """The newest item (removed), or None when `timeout` passes (None: no limit; 0: none
        waits) or wake() is called first. A wake() before the take() cuts the next one short."""
        with self._cond:
            if self._item is None and not self._woken and (timeout is None or timeout > 0):
                self._cond.wait(timeout)
            item, self._item, self._woken = self._item, None, False
        return item

    def wake(self) -> None:
        """Cut a take() short (an enable, a close, something else needs the loop)."""
        with self._cond:
            self._woken = True
            self._cond.notify()

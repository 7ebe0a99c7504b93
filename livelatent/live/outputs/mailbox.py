"""A one-frame mailbox: the loop puts, an output's thread takes; the newest frame wins.

put() never waits: a frame not yet taken is replaced (and counted as dropped by the caller),
so a slow receiver costs only its own frames, never the loop's time.

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

    def put(self, item) -> bool:
        with self._cond:
            replaced = self._item is not None
            self._item = item
            self._cond.notify()
        return replaced

    def take(self, timeout: float):
        """The newest item (removed), or None when `timeout` passes or wake() is called first."""
        with self._cond:
            if self._item is None and not self._woken:
                self._cond.wait(max(timeout, 0.0))
            item, self._item, self._woken = self._item, None, False
        return item

    def wake(self) -> None:
        """Cut a take() short (an enable, a close)."""
        with self._cond:
            self._woken = True
            self._cond.notify()

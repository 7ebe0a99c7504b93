"""The thread of a part of the show that runs beside the loop (OSCQuery's pusher, the mDNS
announcement, the LED senders): named, a daemon (a stuck device or network never keeps the process alive
after the show), started once, and stopped the one way: say so, wake it, wait a while.

    self.service = ServiceThread(self._run, "oscquery-listen", wake=self._values.wake)
    self.service.start()
    def _run(self):
        while not self.service.stopping.is_set(): ...     # its waits end on wake()
    self.service.stop(timeout=3)                          # from the show's thread

`wake` cuts the thread's current wait short (a Mailbox's wake, a condition's notify); the
join has a limit, so a thread blocked in a device or the network costs the show's close at
most `timeout` seconds.
"""

from __future__ import annotations

import threading


class ServiceThread:
    def __init__(self, target, name: str, *, wake=None) -> None:
        self.stopping = threading.Event()
        self._wake = wake
        self._thread = threading.Thread(target=target, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def ask_to_stop(self) -> None:
        """Set `stopping` and wake the thread; returns at once (then close what it may be
        blocked on, a socket, and stop())."""
        self.stopping.set()
        if self._wake is not None:
            self._wake()

    def stop(self, timeout: float) -> None:
        """ask_to_stop(), and wait up to `timeout` seconds for the thread to end."""
        self.ask_to_stop()
        if self._thread.is_alive():
            self._thread.join(timeout)

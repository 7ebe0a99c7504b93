"""A long render's face to the user: its progress bar, and Ctrl-C as a request to stop.

    with ctrl_c_requests_stop() as stop:             # the first Ctrl-C sets `stop`
        bar = progress_bar(len(seq), True, "edit.mp4")
        while not stop.is_set(): ...
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager


@contextmanager
def ctrl_c_requests_stop():
    """In the main thread, the first Ctrl-C sets the event instead of raising mid-write."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def request_stop(signum, frame):
        stop.set()
        signal.signal(signal.SIGINT, previous)  # a second Ctrl-C interrupts at once

    previous = signal.signal(signal.SIGINT, request_stop)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def progress_bar(total: int, enabled: bool, name: str, *, initial: int = 0):
    """Frames done of `total`, their rate and the time left (tqdm); a resumed job starts at `initial`."""
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, unit="frame", desc=name, disable=not enabled, dynamic_ncols=True,
                bar_format="{desc}: {percentage:3.0f}%|{bar}| {n}/{total} [{elapsed}<{remaining}, {rate_fmt}]"
                           "{postfix}")

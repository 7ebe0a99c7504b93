"""Ending a show on a signal exactly as at its planned end.

Ctrl-C (SIGINT), SIGTERM (`timeout`, systemd, `docker stop`) and SIGHUP (the terminal closed)
all end the show the same way: the loop finishes the frame it is on and stops, the take is
finished (rows, events, proxy), the bank saved, the summary printed, as when --duration ends
it. A second signal while it finishes stops at once (KeyboardInterrupt): what was flushed
stays recoverable.

    with stop_on_signals(app) as stopped:
        summary = app.run(duration=args.duration)
    if stopped: print(f"stopped by {stopped[0]}")
"""

from __future__ import annotations

import contextlib
import signal
import sys

SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextlib.contextmanager
def stop_on_signals(app):
    """While inside: SIGINT, SIGTERM and SIGHUP set app.running to False (the first one) or raise
    KeyboardInterrupt (a second). Yields a list that gets the name of the signal that stopped it."""
    stopped: list[str] = []

    def handler(signum, _frame):
        if stopped:
            raise KeyboardInterrupt  # asked twice: stop now
        stopped.append(signal.Signals(signum).name)
        app.running = False
        print(f"livelatent perform: {stopped[0]}: finishing the take and stopping (again to stop at once)",
              file=sys.stderr, flush=True)

    previous = {sig: signal.signal(sig, handler) for sig in SIGNALS}
    try:
        yield stopped
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)

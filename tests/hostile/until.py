"""Waiting for a condition in tests that drive real devices and processes, and a show played
by a script meanwhile."""

import threading
import time


def wait_until(cond, timeout=10.0, step=0.01) -> bool:
    """Poll cond() until it is true (True) or `timeout` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(step)
    return False


def play(s, script, duration=60):
    """Run the show while `script()` plays on a thread (from the loop's first frame); it ends the show."""
    started, failed = [], []

    def run():
        try:
            script()
        except BaseException as exc:  # noqa: BLE001 - reported by the test, after the show
            failed.append(exc)
        finally:
            s.app.running = False

    s.app.on_frame = lambda *_: started or started.append(threading.Thread(target=run, daemon=True).start())
    try:
        summary = s.app.run(duration=duration)
    finally:
        s.close()
    if failed:
        raise failed[0]
    return summary

"""Waiting for a condition in tests that drive real devices and processes."""

import time


def wait_until(cond, timeout=10.0, step=0.01) -> bool:
    """Poll cond() until it is true (True) or `timeout` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(step)
    return False

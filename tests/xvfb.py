"""A private X server (Xvfb) for tests that need one: glfw windows, and melt's Qt module
(qtblend, kdenlivetitle, qimage), which Debian's melt 7.12 loads only with a DISPLAY."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from contextlib import contextmanager


@contextmanager
def running_xvfb(first: int = 91, screen: str = "640x480x24"):
    """Start Xvfb on the first free display from `first` (one screen of `screen`, WxHxDEPTH);
    yields ":N"; stops it afterwards."""
    if shutil.which("Xvfb") is None:
        raise RuntimeError("Xvfb not installed: ./setup.sh --test installs xvfb")
    n = next(n for n in range(first, first + 60)
             if not os.path.exists(f"/tmp/.X11-unix/X{n}") and not os.path.exists(f"/tmp/.X{n}-lock"))
    proc = subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", screen, "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not os.path.exists(f"/tmp/.X11-unix/X{n}") and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f":{n}"
    finally:
        proc.terminate()
        proc.wait(timeout=5)

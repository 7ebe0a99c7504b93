"""A private X server (Xvfb) for tests that need one: glfw windows, and melt's Qt module
(qtblend, kdenlivetitle, qimage), which Debian's melt 7.12 loads only with a DISPLAY.

The display number is chosen by Xvfb itself (-displayfd): it takes the first number no other
X server holds, atomically, and says which once it accepts connections. Choosing it here by
looking for a free lock file raced with every other test run on the machine (two engineers'
suites, CI beside a developer): two runs picked the same number, the second Xvfb failed to
start, both tests drew on the first one's screen, and one test's xdotool clicked the other's
console (issue 14: clicks that "never reached the show")."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
from contextlib import contextmanager

START_SECONDS = 30.0  # for Xvfb to accept connections, on a loaded machine


@contextmanager
def running_xvfb(screen: str = "640x480x24"):
    """Start Xvfb on a display number of its own (one screen of `screen`, WxHxDEPTH);
    yields ":N"; stops it afterwards."""
    if shutil.which("Xvfb") is None:
        raise RuntimeError("Xvfb not installed: ./setup.sh --test installs xvfb")
    ours, theirs = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(theirs), "-screen", "0", screen, "-nolisten", "tcp"],
                            pass_fds=(theirs,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(theirs)
    try:
        number = _display_number(ours)
    except RuntimeError:
        proc.terminate()
        proc.wait(timeout=5)
        raise
    finally:
        os.close(ours)
    try:
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(timeout=5)


def _display_number(fd: int) -> int:
    """What Xvfb writes on -displayfd once it is ready: its display number and a newline."""
    text = b""
    while not text.endswith(b"\n"):
        ready, _, _ = select.select([fd], [], [], START_SECONDS)
        chunk = os.read(fd, 16) if ready else b""
        if not chunk:
            raise RuntimeError(f"Xvfb did not start (no display number within {START_SECONDS:g} s)")
        text += chunk
    return int(text)

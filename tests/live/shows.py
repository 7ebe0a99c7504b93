"""A show for a test, built as `livelatent perform --headless` builds it, on a manual clock,
played through a script of calls at loop times, and always closed:

    s = headless_show(tmp_path, "--preset", "akai-apc-mini-mk2", "--event-log", str(log))
    play(s, 1.0, {0.2: loaded, 0.5: triggered}, after=client.close)

Each call runs on the loop's thread as the show's clock reaches its time, the clock standing
still while it works (tests/live/conftest.py's arrives() waits there for a device's message).
"""

from __future__ import annotations

from livelatent.commands.perform import show_config
from livelatent.live.loop_clock import ManualClock
from livelatent.live.session import build_session


def headless_show(tmp_path, *flags: str, size: str = "32x32", osc_port: int = 0):
    """A Session with no window, recording (when told to) under tmp_path/rec; `flags` as `perform`'s."""
    return build_session(show_config(["--headless", "--size", size, "--osc-port", str(osc_port),
                                      "--recordings", str(tmp_path / "rec"), *flags]), clock=ManualClock())


def play(session, duration: float, script: dict, *, after=None):
    """Run the show `duration` seconds of loop time, calling script's {time: call} on the way;
    then after() (what the test opened beside the show) and the show's close, however it ended.
    The loop's Summary."""
    for seconds, call in script.items():
        session.app.clock.at(seconds, call)
    try:
        return session.app.run(duration=duration)
    finally:
        try:
            if after is not None:
                after()
        finally:
            session.close()

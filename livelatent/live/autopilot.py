"""Autopilot: a controller for unattended shows, installations and the demo run.

It asks for a random keyframe at once and then every `every` seconds, through the bus like a
MIDI pad or an OSC button would, so each request is applied at a tick, logged in the take and
replayed exactly. A performer's own triggers still apply in between.
"""

from __future__ import annotations

import threading

from livelatent.instrument.actions import make
from livelatent.errors import UsageError


class Autopilot:
    """Autopilot(bus, every=4.0).start() ... .close()"""

    def __init__(self, bus, every: float) -> None:
        if not every > 0:
            raise UsageError(f"`autopilot` {every}: expected seconds between keyframes, > 0", setting="autopilot")
        self.bus, self.every = bus, float(every)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="livelatent-autopilot", daemon=True)

    def start(self) -> "Autopilot":
        self._thread.start()
        return self

    def _run(self) -> None:
        while True:
            self.bus.put(make("keyframe.random", source="autopilot"))
            if self._stop.wait(self.every):
                return

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=1.0)

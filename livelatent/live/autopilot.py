"""Autopilot: a controller for unattended shows, installations and the demo run.

It asks for a random keyframe at once and then every `every` seconds of the loop's clock,
through the bus like a MIDI pad or an OSC button would, so each request is applied at a tick,
logged in the take and replayed exactly. A performer's own triggers still apply in between.
"""

from __future__ import annotations

from livelatent.errors import UsageError
from livelatent.instrument.actions import make


class Autopilot:
    """Autopilot(bus, every=4.0).start() ... .close(); its timer is the bus's clock's."""

    def __init__(self, bus, every: float) -> None:
        if not every > 0:
            raise UsageError(f"`autopilot` {every}: expected seconds between keyframes, > 0", setting="autopilot")
        self.bus, self.every = bus, float(every)
        self._repeat = None

    def start(self) -> "Autopilot":
        self._repeat = self.bus.clock.every(self.every, self._press)
        return self

    def _press(self) -> None:
        self.bus.put(make("keyframe.random", source="autopilot"))

    def close(self) -> None:
        if self._repeat is not None:
            self._repeat.cancel()

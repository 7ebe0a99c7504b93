"""An unattended show keeps moving: the autopilot asks for random keyframes through the bus."""

import pytest

from livelatent.errors import UsageError
from livelatent.live.autopilot import Autopilot
from livelatent.live.bus import ControlBus


def test_autopilot_asks_for_a_random_keyframe_at_once_through_the_bus():
    bus = ControlBus()
    Autopilot(bus, every=3600).start().close()
    events = bus.drain()
    assert [(e.action, e.source) for e in events] == [("keyframe.random", "autopilot")]


def test_autopilot_needs_a_positive_interval():
    with pytest.raises(UsageError, match="`autopilot` 0"):
        Autopilot(ControlBus(), every=0)

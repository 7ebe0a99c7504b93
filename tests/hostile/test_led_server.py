"""Controller LEDs through a JACK server that dies and comes back: a pretend APC mini mk2 in a
process of its own (tests/hostile/apc_leds.py) shows the bank; the server is stopped mid-show
(the show goes on, one line says so), started again under the same name with the APC on it,
and the APC gets every LED again, while the MIDI input reopens its pads through the same watch
(live/jack_server.py). Before the shared watch, the LED sender's client of the dead server
reopened the port on the new one and libjack crashed the show (a segfault)."""

from __future__ import annotations

import json
import time

import pytest

from livelatent.commands.perform import show_config
from livelatent.errors import DeviceError
from livelatent.live import jack_server
from livelatent.live.leds import LedFeedback
from livelatent.live.session import build_session
from test_midi_server import play
from device_process import DeviceProcess
from until import wait_until

APC = "APC mini mk2"


class Apc(DeviceProcess):
    """The APC process (tests/hostile/apc_leds.py)."""

    def __init__(self) -> None:
        super().__init__("apc_leds.py", APC)

    def lit(self) -> dict[int, tuple[int, int]]:
        return {int(k): tuple(v) for k, v in json.loads(self.ask("lit")).items()}

    def shows(self, expected: dict, timeout: float = 10.0) -> bool:
        return wait_until(lambda: (lambda lit: all(lit.get(n) == v for n, v in expected.items()))(self.lit()),
                          timeout, step=0.05)


def every_led(leds: LedFeedback) -> dict[int, tuple[int, int]]:
    """What the show wants lit now, as the APC reads it: note -> (channel 1-16, velocity)."""
    return {note: ((status & 0x0F) + 1, value) for status, note, value in leds.wanted().values()}


def test_the_leds_come_back_with_a_jack_server_that_dies_and_returns(restartable_jack, tmp_path, capfd):
    apc = [Apc()]
    s = build_session(show_config(["--headless", "--size", "32x32", "--osc-port", "0", "--preset", "akai-apc-mini-mk2",
                                   "--recordings", str(tmp_path)]))
    leds = next(p for p in s.app.panels if isinstance(p, LedFeedback))
    seen, frames = {}, []

    def script():
        assert wait_until(lambda: len(leds.wanted()) > 64)
        seen["first"] = apc[0].shows(every_led(leds))
        restartable_jack.stop()                  # the server goes away mid-show
        assert wait_until(lambda: leds.port == "" and "gone" in s.app.error)
        frames.append(s.app.summary.frames)
        apc[0].close()
        time.sleep(0.5)
        frames.append(s.app.summary.frames)      # the show went on meanwhile
        restartable_jack.start()                 # ... and comes back, with the APC on it
        apc[0] = Apc()
        seen["again"] = apc[0].shows(every_led(leds), timeout=15)
        seen["midi in again"] = wait_until(lambda: s.midi.port is not None)  # the pads, through the same watch

    try:
        play(s, script)
    finally:
        apc[0].close()
    assert seen == {"first": True, "again": True, "midi in again": True} and frames[1] > frames[0]
    err = capfd.readouterr().err
    assert err.count("LEDs: JACK server gone") == 1 and err.count("MIDI server (UNIX_JACK) gone") == 1, err


def test_no_client_of_a_returned_server_opens_while_a_dead_ones_are_open(restartable_jack):
    """The rule that kept libjack from crashing: the users of a dead server close their clients
    and leases first; only then is the server that came back reached (one watch for them all)."""
    midi_in, leds = jack_server.reach(), jack_server.reach()
    assert not midi_in.gone and midi_in.names() == []
    restartable_jack.stop()
    assert wait_until(lambda: midi_in.gone and leds.gone)
    restartable_jack.start()                                  # back already, but ...
    midi_in.close()
    with pytest.raises(DeviceError, match="has gone"):
        jack_server.reach()                                   # ... the LEDs still hold the dead one
    leds.close()                                              # the last: the dead watch goes with it
    again = jack_server.reach()
    assert not again.gone
    again.close()

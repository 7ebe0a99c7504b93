"""Controller LEDs and soft takeover over a real JACK server, with a pretend Akai APC mini mk2:
its pads and faders (a virtual MIDI output) play the show from presets/akai-apc-mini-mk2.toml,
and its LEDs (a virtual MIDI input) must show the bank: after the show starts with a bank
loaded, a pad trigger, a store, the controller unplugged and plugged back in, and another
bank loaded mid-show. A fader that
starts away from its knob's value does nothing until it crosses it (pickup)."""

from __future__ import annotations

import json
import time

import mido
import pytest
import rtmidi

from livelatent.common import zseq
from livelatent.common.latent import sample
from livelatent.common.zseq import ZSequence
from livelatent.instrument.actions import make
from livelatent.instrument.bank import KeyframeBank
from tests.live.conftest import arrives
from tests.live.shows import headless_show, play

APC = "APC mini mk2"
NOTE_ON, NOTE_OFF = 0x90, 0x80
WHITE, BLUE, DARK_RED, GREEN = 3, 45, 1, 21
SOLID, PULSE = 7, 10  # the preset's channels (1-16): 100% brightness, pulsing 1/4


class PretendApc:
    """Its pads and faders send (a virtual output), its LEDs receive (a virtual input). The LEDs
    are read from rtmidi's own queue, never through a callback: a Python callback runs on
    JACK's thread and waits there for the interpreter lock while the show holds it, and under
    load JACK hands the late client an overwritten buffer (LED messages lost in a burst, as
    live/midi.py explains for the show's own input)."""

    def __init__(self) -> None:
        self.backend = mido.Backend("mido.backends.rtmidi/UNIX_JACK", load=True)
        self.controls = self.backend.open_output(APC, virtual=True)
        self.plug_in()

    def plug_in(self) -> None:
        self.leds_port, self.lit = rtmidi.MidiIn(rtmidi.API_UNIX_JACK, APC, queue_size_limit=4096), {}
        self.leds_port.open_virtual_port(APC)

    def unplug(self) -> None:
        self.leds_port.close_port()
        self.leds_port.delete()

    def read(self) -> dict:
        """Each LED's last message: note -> (channel 1-16, velocity)."""
        while (message := self.leds_port.get_message()) is not None:
            status, note, value = message[0]
            if status & 0xE0 == NOTE_OFF:  # note on or note off
                self.lit[note] = ((status & 0x0F) + 1, value if status & 0xF0 == NOTE_ON else 0)
        return self.lit

    def shows(self, expected: dict, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(self.read().get(note) == want for note, want in expected.items()):
                return True
            time.sleep(0.02)
        return False

    def close(self) -> None:
        self.controls.close()
        self.unplug()


@pytest.fixture
def apc(jack_server, monkeypatch):
    monkeypatch.setenv("LIVELATENT_MIDI_API", "UNIX_JACK")
    device = PretendApc()
    yield device
    device.close()


def test_apc_pads_show_the_bank_through_triggers_stores_and_a_replug(tmp_path, apc):
    reel = tmp_path / "reel"
    zseq.save(ZSequence(sample(4, 512, 9), 30, {"model": "default", "made_by": "samples"}), reel)
    log = tmp_path / "events.jsonl"
    s = headless_show(tmp_path, "--preset", "akai-apc-mini-mk2", "--bank", f"{reel}.npy:0-3", "--event-log", str(log))
    bus, seen = s.app.bus, {}

    def loaded():  # slots 0-3 picked from the reel (slot 0 where the particle is), the rest random
        seen["loaded"] = apc.shows({0: (SOLID, WHITE), 1: (SOLID, BLUE), 3: (SOLID, BLUE), 4: (SOLID, DARK_RED),
                                    63: (SOLID, DARK_RED), 113: (1, 0), 100: (1, 0)})
        time.sleep(0.3)  # JACK connects the pad port: a note sent before is lost, not late
        arrives(bus, lambda: apc.controls.send(mido.Message("note_on", note=37, velocity=127)))

    def triggered():
        seen["triggered"] = apc.shows({37: (PULSE, 9), 0: (SOLID, WHITE)})
        arrives(bus, lambda: apc.controls.send(mido.Message("note_on", note=105, velocity=127)))  # store 5
        arrives(bus, lambda: bus.put(make("record.start", source="osc")))

    def stored():
        seen["stored"] = apc.shows({5: (SOLID, GREEN), 105: (1, 1), 113: (1, 2)})
        apc.unplug()
        time.sleep(0.6)  # the show notices it gone
        apc.plug_in()
        seen["replugged"] = apc.shows({5: (SOLID, GREEN), 37: (PULSE, 9), 0: (SOLID, WHITE), 1: (SOLID, BLUE),
                                       62: (SOLID, DARK_RED), 105: (1, 1), 113: (1, 2), 114: (1, 1)})
        night = KeyframeBank.random(s.app.perf.d, seed=8)  # a saved bank: slot 9 stored, the rest random
        night.store(9, night[9], label="stored@100")
        night.save(tmp_path / "night")
        arrives(bus, lambda: bus.put(make("bank.load", str(tmp_path / "night"), source="osc")))

    def bank_loaded():  # the pads show the new bank's kinds: 1 and 5 random now, 9 stored
        seen["bank loaded"] = apc.shows({1: (SOLID, DARK_RED), 5: (SOLID, DARK_RED), 9: (SOLID, GREEN),
                                         105: (1, 0), 37: (PULSE, 9)})

    play(s, 1.0, {0.2: loaded, 0.5: triggered, 0.8: stored, 0.9: bank_loaded})
    assert seen == {"loaded": True, "triggered": True, "stored": True, "replugged": True, "bank loaded": True}
    midi = [e["event"] for e in map(json.loads, log.read_text().splitlines()) if e["event"]["source"] == "midi"]
    assert [(e["action"], e["args"][0]) for e in midi] == [("keyframe", 37), ("store", 5)]
    assert s.app.perf.bank.labels[9] == "stored@100"


def test_a_fader_away_from_its_knob_picks_it_up_only_when_it_crosses_it(tmp_path, apc):
    log = tmp_path / "events.jsonl"
    s = headless_show(tmp_path, "--preset", "akai-apc-mini-mk2", "--event-log", str(log))
    bus = s.app.bus
    damping = s.app.perf.params.normalised("damping")  # 1.0 on 0.1..4: about 0.23, fader position ~29

    def fader(value):
        return lambda: apc.controls.send(mido.Message("control_change", control=49, value=value))

    def move_down():  # fader 2 (damping, pickup) starts at the top, far from the knob
        until_open = time.monotonic() + 10
        while s.app.midi.port is None and time.monotonic() < until_open:
            time.sleep(0.05)
        time.sleep(0.3)
        for value in (127, 100, 60, 40):
            apc.controls.send(mido.Message("control_change", control=49, value=value))
        time.sleep(0.3)  # none of these reach the bus
        arrives(bus, fader(20))  # crossed ~29: picked up

    def console_moves_it():  # the knob changes elsewhere: the fader lets go again
        bus.put(make("motion", "damping", 0.8, source="console"))

    def fader_again():
        apc.controls.send(mido.Message("control_change", control=49, value=30))
        time.sleep(0.3)  # away from 0.8: nothing
        arrives(bus, fader(110))  # crossed 0.8 on the way up

    play(s, 0.8, {0.2: move_down,
                  0.3: lambda: arrives(bus, fader(10)),  # it follows from there
                  0.4: console_moves_it,
                  0.6: fader_again})
    events = [e["event"] for e in map(json.loads, log.read_text().splitlines())]
    moves = [(e["source"], round(e["args"][1] * 127)) for e in events if e["action"] == "motion"]
    assert 20 / 127 < damping < 40 / 127
    assert moves == [("midi", 20), ("midi", 10), ("console", round(0.8 * 127)), ("midi", 110)]

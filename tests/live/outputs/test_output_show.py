"""Video outputs in a show: they get the frame the window shows (the take's row while
recording, tagged with its id), never the HUD; OSC /livelatent/output/<name>/enable turns one
off and on as a logged event; the feedback reports each output's state. The outputs' sinks
here are in memory (test_output_worker.py); NDI on the wire is test_ndi.py."""

from __future__ import annotations

import re
import tomllib
from fractions import Fraction

import pytest
from pythonosc.udp_client import SimpleUDPClient

from livelatent.adapters.takes import read_take
from livelatent.commands.perform import show_config
from livelatent.common.output_spec import OutputSpec
from livelatent.common.sizes import Size
from livelatent.instrument.actions import make
from livelatent.errors import PresetError
from livelatent.instrument.presets import from_dict
from livelatent.live.loop_clock import ManualClock
from livelatent.live.outputs.hub import Outputs
from livelatent.live.session import build_session
from tests.live.conftest import arrives
from tests.live.outputs.test_output_worker import MemorySink, until


class KeepingSink(MemorySink):
    """Keeps the pixels and the frame's tags."""

    def send(self, pixels, frame):
        self.frames.append((frame.k, frame.take, frame.rate, pixels.copy()))


def show_with_output(tmp_path, *extra, osc_port=0):
    s = build_session(show_config(["--headless", "--osc-port", str(osc_port), "--recordings", str(tmp_path / "rec"),
                                   "--size", "48x32", "--seed", "3", "--fps", "30", *extra]), clock=ManualClock())
    sinks = {}
    s.app.outputs = Outputs([OutputSpec.parse("ndi:stage")], show_size=Size(48, 32), show_rate=Fraction(30),
                            log=s.app.log, make_sink=lambda spec: sinks.setdefault(spec.name, KeepingSink(spec)))
    s.closers.insert(0, s.app.outputs.close)
    return s, sinks


def test_an_output_sends_the_takes_frames_clean_and_tagged(tmp_path):
    s, sinks = show_with_output(tmp_path, "--record")
    shown = {}
    s.app.on_frame = lambda k, z, image: shown.setdefault(k, image)
    s.app.clock.at(0.0, lambda: until(lambda: "stage" in sinks))
    s.app.clock.at(0.5, lambda: s.app.bus.put(make("keyframe", 5)))
    try:
        s.app.run(duration=1.0)
        until(lambda: sinks["stage"].frames and sinks["stage"].frames[-1][0] == max(shown))
    finally:
        s.close()
    take = read_take(s.recorder.last_take.path)
    sent = [f for f in sinks["stage"].frames if f[1]]
    assert sent and {f[1] for f in sent} == {take.id} and {f[2] for f in sent} == {Fraction(30)}
    for k, _, _, pixels in sent:  # the window's picture, never the HUD (on here): opaque RGBA
        assert (pixels[..., :3] == shown[k]).all() and (pixels[..., 3] == 255).all()
    assert [f[0] for f in sent] == sorted(f[0] for f in sent) and sent[-1][0] == take.rows - 1


def test_osc_turns_an_output_off_and_on_logged_and_fed_back(tmp_path, free_udp_port, osc_listener):
    s, sinks = show_with_output(tmp_path, "--osc-feedback", f"127.0.0.1:{osc_listener.port}",
                                osc_port=free_udp_port)
    client, clock = SimpleUDPClient("127.0.0.1", free_udp_port), s.app.clock
    clock.at(0.3, lambda: arrives(s.app.bus, lambda: client.send_message("/livelatent/output/stage/enable", 0)))
    clock.at(0.6, lambda: until(lambda: s.app.outputs.statuses()[0].state == "off"))
    clock.at(1.2, lambda: arrives(s.app.bus, lambda: client.send_message("/livelatent/output/stage/enable", [])))
    clock.at(1.25, lambda: arrives(s.app.bus, lambda: client.send_message("/livelatent/output/nope/enable", 1)))
    try:
        s.app.run(duration=1.5)
    finally:
        s.close()
    enables = [a.event for a in s.app.applied if a.event.action == "output.enable"]
    assert [e.args for e in enables] == [("stage", False), ("stage",)] and enables[0].source == "osc"
    assert "output 'nope': expected one of stage" in s.app.error  # one line, the show went on
    got = osc_listener.collect(lambda r: ("/livelatent/output/stage/enable", (1,)) in r)
    enable_states = [v for a, v in got if a == "/livelatent/output/stage/enable"]
    assert enable_states[-2:] == [(0,), (1,)]
    assert any(a == "/livelatent/output/stage/state" for a, _ in got)
    assert any(a == "/livelatent/output/stage/receivers" and v == (1,) for a, v in got)


def test_the_hud_shows_each_outputs_state_and_counts(tmp_path):
    s, sinks = show_with_output(tmp_path)
    try:
        s.app.run(duration=0.3)
        until(lambda: s.app.outputs.statuses()[0].sent > 0)
        lines = s.app._hud()
    finally:
        s.close()
    assert any(line.startswith("OUT stage sending RX 1 SENT") for line in lines)


def test_a_preset_names_outputs_and_the_command_line_adds_and_overrides(tmp_path):
    preset = tmp_path / "p.toml"
    preset.write_text('[[output]]\nspec = "ndi:stage@1280x720"\n\n[[output]]\nspec = "ndi:side"\nenabled = false\n')
    config = show_config(["--preset", str(preset), "--output", "ndi:stage@640x360", "--output", "ndi:third@25"])
    assert [str(o) for o in config.outputs] == ["ndi:stage@640x360", "ndi:side", "ndi:third@25"]
    assert config.outputs_off == ("side",)
    for bad, fragment in [('spec = "rtmp:x"', "[[output]] entry 1: spec: "),
                          ('spec = "ndi:x"\nenabled = 1', "[[output]] entry 1: enabled: expected true or false"),
                          ('spec = "ndi:x"\nsize = "1"', "[[output]] entry 1: key 'size': expected one of enabled, spec")]:
        with pytest.raises(PresetError, match=re.escape(f"{preset}: {fragment}")):
            from_dict(tomllib.loads(f"[[output]]\n{bad}\n"), preset)

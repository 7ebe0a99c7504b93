"""MIDI through a real JACK server: notes trigger slots, CCs move knobs, learn, unplug/replug."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time

import mido
import pytest

from livelatent.live import midi as live_midi
from livelatent.live.bus import ControlBus
from livelatent.live.osc import RateLimitedLog
from livelatent.instrument.mapping import MidiBinding, MidiMap, NoteBlock
from livelatent.instrument.presets import append_learned, load_preset

MAP = MidiMap(bindings=(MidiBinding("cc", 0, "motion/damping"),), notes=(NoteBlock(0, 64, 0, velocity=True),))


@pytest.fixture
def jack(jack_server, monkeypatch):
    monkeypatch.setenv("LIVELATENT_MIDI_API", "UNIX_JACK")
    return jack_server


def controller(name: str):
    """A pretend hardware controller: a virtual MIDI output port on the JACK server."""
    return mido.Backend("mido.backends.rtmidi/UNIX_JACK", load=True).open_output(name, virtual=True)


def wait_until(cond, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.02)
    return False


def events_after(bus, send, n=1):
    """Send, then collect events from the bus until n arrived (or a timeout)."""
    send()
    got = []

    def enough():
        got.extend(bus.drain())
        return len(got) >= n

    wait_until(enough)
    time.sleep(0.1)
    return got + bus.drain()


def test_notes_and_ccs_become_events_and_garbage_is_ignored(jack):
    bus = ControlBus()
    ctl = controller("lltest-pads")
    m = live_midi.MidiInput(bus, "lltest-pads", MAP, poll_seconds=0.1, log=RateLimitedLog(0)).start()
    try:
        assert wait_until(lambda: m.port is not None)
        time.sleep(0.2)  # JACK connects the ports
        ctl.send(mido.Message("sysex", data=[1, 2, 3] * 50))
        ctl.send(mido.Message("pitchwheel", pitch=300))
        ctl.send(mido.Message("note_on", note=5, velocity=127))
        ctl.send(mido.Message("note_off", note=5))
        ctl.send(mido.Message("control_change", control=0, value=127))
        ctl.send(mido.Message("control_change", channel=9, control=99, value=1))  # unmapped
        got = events_after(bus, lambda: None, n=2)
    finally:
        m.close()
        ctl.close()
    assert [str(e) for e in got] == ["keyframe(5, 1.0)", "motion('damping', 1.0, 'norm')"]
    assert all(e.source == "midi" for e in got)


def test_learn_binds_the_next_control_and_saves_it_to_the_preset(jack, tmp_path):
    preset = tmp_path / "mine.toml"
    shutil.copy(load_preset("default").path, preset)
    bus = ControlBus()
    ctl = controller("lltest-knobs")
    m = live_midi.MidiInput(bus, "lltest-knobs", MAP, poll_seconds=0.1, log=RateLimitedLog(0),
                            on_learned=lambda b: append_learned(preset, b)).start()
    try:
        assert wait_until(lambda: m.port is not None)
        time.sleep(0.2)
        m.arm_learn("noise")
        ctl.send(mido.Message("control_change", control=7, value=30))   # learned, not applied
        assert wait_until(lambda: m.learning is None)
        got = events_after(bus, lambda: ctl.send(mido.Message("control_change", control=7, value=127)))
    finally:
        m.close()
        ctl.close()
    assert [str(e) for e in got] == ["noise(1.0)"]
    learned = load_preset(preset).midi.map.binding("cc", 1, 7)
    assert learned is not None and learned.target == "noise"


def test_unplugged_device_is_reported_once_and_reopened(jack, capsys):
    bus = ControlBus()
    ctl = controller("lltest-unplug")
    m = live_midi.MidiInput(bus, "lltest-unplug", MAP, poll_seconds=0.1, log=RateLimitedLog(0)).start()
    try:
        assert wait_until(lambda: m.port is not None)
        ctl.close()                                           # pulled out mid-show
        assert wait_until(lambda: m.port is None)
        time.sleep(0.3)
        ctl = controller("lltest-unplug")                     # plugged back in
        assert wait_until(lambda: m.port is not None)
        time.sleep(0.2)
        got = events_after(bus, lambda: ctl.send(mido.Message("note_on", note=9, velocity=127)))
    finally:
        m.close()
        ctl.close()
    assert [str(e) for e in got] == ["keyframe(9, 1.0)"]
    err = capsys.readouterr().err
    assert err.count("disappeared") == 1 and err.count("open") >= 2


def test_virtual_input_port(jack):
    bus = ControlBus()
    m = live_midi.MidiInput(bus, "virtual:lltest-in", MAP, log=RateLimitedLog(0)).start()
    jack_backend = mido.Backend("mido.backends.rtmidi/UNIX_JACK", load=True)
    out = jack_backend.open_output(next(n for n in jack_backend.get_output_names() if "lltest-in" in n))
    try:
        time.sleep(0.2)
        got = events_after(bus, lambda: out.send(mido.Message("note_on", note=2, velocity=127)))
    finally:
        out.close()
        m.close()
    assert [str(e) for e in got] == ["keyframe(2, 1.0)"]


def test_devices_command_lists_midi_inputs_and_osc_ports(jack, capsys):
    from livelatent.cli import main

    ctl = controller("lltest-listed")
    try:
        assert main(["devices"]) == 0
    finally:
        ctl.close()
    out = capsys.readouterr().out
    assert "lltest-listed" in out and "OSC in: 127.0.0.1:9331" in out


def test_no_jack_server_is_one_clear_line_without_libjacks_own(monkeypatch):
    """A laptop where nobody started JACK: `livelatent devices` says so once, and libjack's
    own five lines (printed again at every look during a show) stay out of the console."""
    env = {**os.environ, "LIVELATENT_MIDI_API": "UNIX_JACK", "JACK_DEFAULT_SERVER": f"nobody-{os.getpid()}"}
    done = subprocess.run([sys.executable, "-m", "livelatent", "devices"], env=env, capture_output=True,
                          text=True, timeout=60)
    said = done.stdout + done.stderr
    assert done.returncode == 0 and "is a JACK server running?" in said
    assert "Cannot connect to server" not in said and "JackShm" not in said, said


def test_a_show_played_from_a_nanokontrol2_with_feedback_to_a_panel(jack, tmp_path, osc_listener):
    from livelatent.commands.perform import show_config
    from livelatent.live.session import build_session

    ctl = controller("nanoKONTROL2 (test)")
    s = build_session(show_config(["--headless", "--preset", "korg-nanokontrol2", "--osc-port", "0",
                                     "--osc-feedback", f"127.0.0.1:{osc_listener.port}", "--size", "32x32",
                                     "--recordings", str(tmp_path / "rec")]))
    s.midi.poll_seconds = 0.1

    def play():
        wait_until(lambda: s.midi.port is not None)
        time.sleep(0.3)
        ctl.send(mido.Message("control_change", control=1, value=0))    # fader 2: damping to its minimum
        ctl.send(mido.Message("control_change", control=35, value=127))  # S button 4: slot 3
        ctl.send(mido.Message("control_change", control=35, value=0))    # its release
        time.sleep(0.5)
        s.app.running = False

    threading.Thread(target=play, daemon=True).start()
    try:
        s.app.run(duration=10)
    finally:
        s.close()
        ctl.close()
    assert [str(a.event) for a in s.app.applied if a.event.source == "midi"] == [
        "motion('damping', 0.0, 'norm')", "keyframe(3, 1.0)"]
    assert s.app.perf.target_slot == 3 and s.app.perf.params.damping == pytest.approx(0.1)
    got = osc_listener.collect(lambda r: ("/livelatent/keyframe", (3,)) in r)
    assert ("/livelatent/keyframe", (3,)) in got
    assert any(a == "/livelatent/motion/damping/raw" and abs(v[0] - 0.1) < 1e-6 for a, v in got)

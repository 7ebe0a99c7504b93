"""A headless performance played over real OSC (UDP) and MIDI (JACK), recorded, checked, replayed.

The show runs on a ManualClock: each message is sent at its loop time and waited for while the
clock stands still, so it arrives at exactly that time and applies at exactly its tick, however
busy the machine is."""

import math
import time
from fractions import Fraction

import mido
import numpy as np
import pytest
from pythonosc.udp_client import SimpleUDPClient

from livelatent.adapters import takes
from livelatent.adapters.video import count_frames, iter_frames, read_metadata
from livelatent.motion.clock import FrameSampler
from livelatent.commands.perform import show_config
from livelatent.live.loop_clock import ManualClock
from livelatent.live.session import build_session
from livelatent.offline.proxy import complete_proxy
from livelatent.offline.replay import replay_z
from tests.live.conftest import arrives

PADS = "lltest-record-pads"


@pytest.fixture
def pads(jack_server, monkeypatch):
    """A pretend MIDI controller: a virtual output port on a real JACK server."""
    monkeypatch.setenv("LIVELATENT_MIDI_API", "UNIX_JACK")
    port = mido.Backend("mido.backends.rtmidi/UNIX_JACK", load=True).open_output(PADS, virtual=True)
    yield port
    port.close()


SENT_AT = (0.2, 0.4, 0.7, 0.9, 1.1, 1.3, 1.7)


def _perform(tmp_path, osc_port, pads):
    session = build_session(show_config([
        "--headless", "--size", "64x64", "--seed", "3", "--osc-port", str(osc_port), "--midi", PADS,
        "--recordings", str(tmp_path), "--record-fps", "30000/1001", "--fps", "29.97"]), clock=ManualClock())
    osc, clock, bus = SimpleUDPClient("127.0.0.1", osc_port), session.app.clock, session.app.bus
    deadline = time.monotonic() + 5
    while session.app.midi.port is None and time.monotonic() < deadline:  # the device opens on its own thread
        time.sleep(0.05)
    time.sleep(0.3)  # JACK connects the ports: a note sent before is lost, not late
    sends = [lambda: osc.send_message("/livelatent/record/start", []),
             lambda: osc.send_message("/livelatent/keyframe", 3),
             lambda: pads.send(mido.Message("note_on", note=9, velocity=100)),
             lambda: osc.send_message("/livelatent/motion/settle_time", 0.2),
             lambda: pads.send(mido.Message("note_on", note=12, velocity=100)),
             lambda: osc.send_message("/livelatent/keyframe/random", []),
             lambda: osc.send_message("/livelatent/record/stop", [])]
    for at, send in zip(SENT_AT, sends):
        clock.at(at, lambda send=send: arrives(bus, send))
    try:
        session.app.run(duration=2.0)
    finally:
        session.close()
    return session


def test_performance_over_osc_and_midi_is_recorded_and_replays_bit_for_bit(tmp_path, free_udp_port, pads):
    session = _perform(tmp_path, free_udp_port, pads)
    take = session.recorder.last_take
    logged = takes.read_events(take)
    assert {"osc", "midi"} <= {line["source"] for line in logged}
    assert [line["event"]["action"] for line in logged] == [
        "record.start", "keyframe", "keyframe", "motion", "keyframe", "keyframe.random"]

    # each message arrived when it was sent and applied at its own tick
    rate = take.meta["tick_rate"]
    assert [line["arrival"] for line in logged] == list(SENT_AT[:6])
    assert [line["tick"] for line in logged] == [math.ceil(Fraction(t).limit_denominator(1000) * rate) for t in SENT_AT[:6]]
    assert take.meta["stop_tick"] == math.ceil(Fraction(SENT_AT[6]).limit_denominator(1000) * rate)

    # counts: z rows = frames between the start and stop ticks at the take's fps = proxy frames
    stop_tick = take.meta["stop_tick"]
    assert stop_tick > logged[-1]["tick"]
    sampler = FrameSampler(take.fps, take.meta["tick_rate"], start_tick=take.meta["start_tick"])
    expected_rows = sum(len(sampler.frames_in_step(t)) for t in range(take.meta["start_tick"] + 1, stop_tick + 1))
    assert take.rows == expected_rows > 30

    # each event carries the take frame that first showed it: on or after the event's tick
    for line in logged:
        assert sampler.frame_time(line["frame"]) >= Fraction(line["tick"], take.meta["tick_rate"]), line
        assert line["frame"] < take.rows and line["shown_at"] >= line["arrival"], line
    take = complete_proxy(take, session.app.generator)
    assert count_frames(take.proxy_path) == take.rows
    assert read_metadata(take.proxy_path)["livelatent_id"] == take.id

    # proxy frame i shows decode(z[i]), up to the codec
    z = takes.load_z(take).z
    decoded = session.app.generator.decode(z, size=(64, 64)).astype(int)
    for k, frame in enumerate(iter_frames(take.proxy_path)):
        assert np.abs(frame.astype(int) - decoded[k]).mean() < 20, k

    # replay: bit for bit at the take's fps, the same path sampled twice as finely at 2x
    assert replay_z(take).z.tobytes() == z.tobytes()
    double = replay_z(take, fps="60000/1001")
    assert len(double) == 2 * len(z)
    np.testing.assert_allclose(double.z[::2], z, rtol=0, atol=1e-5)


def test_live_show_goes_on_when_the_recordings_folder_cannot_be_written(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("where the recordings folder should be")
    session = build_session(show_config([
        "--headless", "--size", "32x32", "--osc-port", "0", "--record", "--recordings", str(blocker / "takes")]),
        clock=ManualClock())
    try:
        summary = session.app.run(duration=1.0)
    finally:
        session.close()
    assert summary.frames > 10 and session.recorder.last_take is None
    assert "recording stopped" in session.recorder.status() and "a-file" in session.recorder.status()
    assert capsys.readouterr().err.count("recording stopped") == 1

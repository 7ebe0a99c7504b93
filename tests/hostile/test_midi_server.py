"""MIDI through a JACK server that dies and comes back, and under load while the show runs
flat out: real JACK servers, real rtmidi ports, and a pretend controller in a process of its
own (tests/hostile/pads.py), as a real device is outside the show's process."""

from __future__ import annotations

import os
import time

from livelatent.commands.perform import show_config
from livelatent.live.session import build_session
from livelatent.instrument.mapping import MidiMap, NoteBlock
from device_process import DeviceProcess
from until import play, wait_until

PADS = "lltest-pads"
NOTES = 1000 if os.environ.get("LIVELATENT_HOSTILE") == "full" else 200
VELOCITY_PADS = MidiMap(notes=(NoteBlock(0, 64, 0, velocity=True),))  # (note, velocity): a hit's identity


class Pads(DeviceProcess):
    """The controller process (tests/hostile/pads.py): each call returns once it has done it."""

    def __init__(self) -> None:
        super().__init__("pads.py", PADS)


def hit(i: int) -> tuple[int, float]:
    """The keyframe (slot, strength) the i-th hit of pads.py becomes."""
    return i % 64, round((1 + (i // 64) % 127) / 127, 4)


def show(tmp_path, *extra):
    s = build_session(show_config(["--headless", "--midi", PADS, "--osc-port", "0", "--recordings",
                                     str(tmp_path), *extra]))
    s.midi.poll_seconds = 0.1
    s.midi.map = VELOCITY_PADS
    return s


def pads_applied(s) -> list[tuple[int, float]]:
    return [(a.event.args[0], round(a.event.args[1], 4)) for a in s.app.applied if a.event.source == "midi"]


def test_a_jack_server_that_dies_and_returns_is_said_once_and_the_pads_reconnect(restartable_jack, tmp_path,
                                                                                 osc_listener, capfd):
    pads = [Pads()]
    s = show(tmp_path, "--osc-feedback", f"127.0.0.1:{osc_listener.port}")
    stopped_at = []

    def script():
        assert wait_until(lambda: s.midi.port is not None)
        time.sleep(0.3)  # JACK connects the ports
        pads[0].do("note 1")
        assert wait_until(lambda: len(pads_applied(s)) == 1)
        pads[0].do("note 2")                     # just before the server dies: now or never, not later
        stopped_at.append(s.app.bus.now())
        restartable_jack.stop()                  # the server goes away mid-show
        assert wait_until(lambda: "NO UNIX_JACK SERVER" in s.midi.status() and "gone" in s.app.error)
        pads[0].close()
        time.sleep(0.3)
        restartable_jack.start()                 # ... and comes back, with the pads on it
        pads[0] = Pads()
        assert wait_until(lambda: s.midi.port is not None)
        time.sleep(0.3)
        pads[0].do("note 3")
        assert wait_until(lambda: hit(3) in pads_applied(s))

    try:
        play(s, script)
    finally:
        pads[0].close()
    assert [x for x in pads_applied(s) if x != hit(2)] == [hit(1), hit(3)]
    assert all(a.event.arrival < stopped_at[0] + 0.5 for a in s.app.applied
               if a.event.source == "midi" and a.event.args[0] == hit(2)[0])  # never late, in a burst
    assert "NO UNIX_JACK SERVER" not in s.midi.status()
    err = capfd.readouterr().err
    assert err.count("MIDI server (UNIX_JACK) gone") == 1 and err.count("MIDI server (UNIX_JACK) is back") == 1
    got = osc_listener.collect(lambda r: any(a == "/livelatent/error" and "gone" in v[0] for a, v in r))
    assert any(a == "/livelatent/error" and "MIDI server (UNIX_JACK) gone" in v[0] for a, v in got)


def test_under_load_no_note_is_lost_or_doubled(jack_server, monkeypatch, tmp_path):
    """The show decodes and draws flat out (a 1000 fps display grid) while pads are hit at
    100 notes/s, each a distinct (note, velocity): every one arrives once, in order."""
    monkeypatch.setenv("LIVELATENT_MIDI_API", "UNIX_JACK")
    pads = Pads()
    s = show(tmp_path, "--fps", "1000", "--size", "256x256")

    def script():
        assert wait_until(lambda: s.midi.port is not None)
        time.sleep(0.3)
        pads.do(f"play 0 {NOTES} 100")
        wait_until(lambda: len(pads_applied(s)) >= NOTES, 5)
        time.sleep(0.3)  # nothing more (doubles) comes after

    try:
        summary = play(s, script)
    finally:
        pads.close()
    assert summary.fps > 10  # the show really ran while it took the notes
    got, sent = pads_applied(s), [hit(i) for i in range(NOTES)]
    assert got == sent, (len(got), [i for i, (a, b) in enumerate(zip(got, sent)) if a != b][:5])


def test_notes_played_through_an_unplug_and_replug_arrive_once_from_the_reconnection_on(jack_server, monkeypatch,
                                                                                       tmp_path):
    """Pads hit every 10 ms right after their cable is plugged back: once livelatent has the
    port again (JACK tells it at once), every note arrives, none twice."""
    monkeypatch.setenv("LIVELATENT_MIDI_API", "UNIX_JACK")
    pads = Pads()
    s = show(tmp_path)

    def script():
        assert wait_until(lambda: s.midi.port is not None)
        time.sleep(0.3)
        pads.do("play 0 50 100")
        pads.do("unplug")                         # pulled out
        assert wait_until(lambda: s.midi.port is None)
        pads.do("plug")                           # plugged back, and played at once
        pads.do("play 50 100 100")
        time.sleep(0.5)

    try:
        play(s, script)
    finally:
        pads.close()
    got = pads_applied(s)
    assert got[:50] == [hit(i) for i in range(50)]
    first = next(i for i in range(50, 150) if hit(i) == got[50])
    assert got[50:] == [hit(i) for i in range(first, 150)]  # from the first note heard again: all, once
    assert first < 70  # reconnected within a few notes of the replug

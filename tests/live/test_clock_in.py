"""MIDI clock in, through a real JACK server: a drum machine in another process sends clock at
120, 128 and 174 BPM with jitter; the show follows its tempo, puts its beats on their ticks,
holds triggers for the beat, follows start / stop / continue, and keeps the last tempo when
the clock is lost.

The loop's part is played here tick by tick (the events as the bus received them, each
applied at the first tick at or after its arrival, as live/app.py does) so a check over many
beats costs no decoding; tests/live/test_beat_show.py runs the whole show.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from livelatent.instrument.actions import make
from livelatent.instrument.bank import KeyframeBank
from livelatent.instrument.performance import Performance
from livelatent.instrument.tempo import nearest_tick
from livelatent.live.beat_sync import BeatSync
from livelatent.live.bus import ControlBus
from livelatent.live.clock_in import ClockInput
from livelatent.live.ratelog import RateLimitedLog
from livelatent.motion.params import MotionParams

from tests.live.conftest import JackServer
from tests.live.midi_clock_source import delivered

SOURCE = Path(__file__).with_name("midi_clock_source.py")
RATE = 240
PERIOD = 256  # frames of the test's JACK server at 48 kHz
LATE_ALLOWED = 0.05  # of the source's pulses may be late by its own scheduling (a few ms: USB jitter's size)


class DrumMachine:
    """The clock source process; beats() are the true instants of the beats it played."""

    def __init__(self, name: str, bpm: float, script: str, jitter_ms: float = 0.5) -> None:
        self.proc = subprocess.Popen([sys.executable, str(SOURCE), name, str(bpm), script, "--jitter", str(jitter_ms)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert json.loads(self.proc.stdout.readline()) == {"ready": True}

    def play(self) -> list[dict]:
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()
        lines = [json.loads(line) for line in self.proc.stdout]
        assert self.proc.wait(timeout=60) == 0
        return lines


@pytest.fixture(scope="module")
def jack():
    """A JACK server at 256 frames a period (5.3 ms: a live rig's setting; the fixture's 1024 is
    21 ms, and the tempo through it is within about 0.1 BPM after two bars)."""
    server = JackServer(period=PERIOD)
    old = os.environ.get("JACK_DEFAULT_SERVER")
    os.environ.update(JACK_DEFAULT_SERVER=server.name, LIVELATENT_MIDI_API="UNIX_JACK")
    try:
        yield server.start()
    finally:
        server.stop()
        os.environ.pop("LIVELATENT_MIDI_API", None)
        if old is None:
            os.environ.pop("JACK_DEFAULT_SERVER", None)
        else:
            os.environ["JACK_DEFAULT_SERVER"] = old


@dataclass
class Followed:
    beats: dict  # beat -> its true instant, in the bus's loop time
    events: list  # what the bus received
    clock: ClockInput
    log: RateLimitedLog

    def placed(self) -> list:
        return [e for e in self.events if e.action == "tempo.beat"]

    def transports(self) -> list:
        return [e.args[0] for e in self.events if e.action == "tempo.transport"]


def follow(name: str, bpm: float, script: str, *, jitter_ms: float = 0.5, tries: int = 2) -> Followed:
    """Play the script into a ClockInput; what the show's bus got, and the truth. Played again
    when the clock could not be delivered on time, by the drum machine's own process or by JACK
    to the show's input (a busy machine: the late or lost pulses would be its doing, not
    ours), and skipped saying so when it never could: what is checked after is what livelatent
    made of a clock delivered on time."""
    for _ in range(tries):
        run, said = _follow(name, bpm, script, jitter_ms)
        if not said["lost"] and max(said["late"], said["delivered_late"]) <= LATE_ALLOWED * said["pulses"]:
            return run
    pytest.skip(f"machine too busy to deliver a MIDI clock on time (load average {os.getloadavg()[0]:.1f}): of "
                f"{said['pulses']} pulses, {said['late']} sent late, {said['lost']} lost and "
                f"{said['delivered_late']} delivered late, in each of {tries} tries")


def _follow(name: str, bpm: float, script: str, jitter_ms: float):
    bus, log = ControlBus(), RateLimitedLog(0)
    machine = DrumMachine(name, bpm, script, jitter_ms)
    clock, heard = ClockInput(bus, name, log=log, poll_seconds=0.05), []
    reads = clock._on_message
    clock._on_message = lambda message: (heard.append(message), reads(message))  # as rtmidi hands them over
    clock.start()
    try:
        connected(name)
        beats = machine.play()
        events = bus.drain()
    finally:
        clock.close()
    origin = bus.clock.origin  # perf_counter at the bus's loop time 0
    said = next(b for b in beats if "late" in b)
    said.update(delivered(heard, said, PERIOD / 48000))
    return Followed({b["beat"]: b["t"] - origin for b in beats if "beat" in b}, events, clock, log), said


def connected(name: str, timeout: float = 10.0) -> None:
    """Until the clock's port feeds the show's input (JACK connects it a moment after it opens,
    later on a loaded machine: a Start sent before would be lost)."""
    import jack

    probe = jack.Client("lltest-probe", no_start_server=True)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ports = probe.get_ports(name, is_midi=True, is_output=True)
            if ports and probe.get_all_connections(ports[0]):
                time.sleep(0.05)  # the graph takes the connection at its next cycle
                return
            time.sleep(0.01)
        pytest.fail(f"the clock's port {name!r} was not connected to the show in {timeout:g} s")
    finally:
        probe.close()


def play_ticks(events, presses, *, quantise="beat"):
    """The loop's part: each event applied at the first tick at or after its arrival, triggers
    pressed at the given ticks; returns (perf, [(tick, event) as applied])."""
    perf = Performance(KeyframeBank.random(d=8, seed=1, slots=8), MotionParams(), seed=1)
    sync, applied, by_tick = BeatSync(quantise), [], {}
    for e in events:
        by_tick.setdefault(max(math.ceil(e.arrival * RATE - 1e-9), 0), []).append(e)
    for tick, slot in presses:
        by_tick.setdefault(tick, []).append(make("keyframe", slot, source="midi", arrival=tick / RATE))
    last = max(by_tick) + RATE
    while perf.tick < last:
        for e in sync.route(perf, by_tick.get(perf.tick, []), lambda seconds: seconds * RATE):
            perf.apply(e)
            applied.append((perf.tick, e))
        perf.step()
    return perf, applied


TEMPOS = (120, 128, 174)


@pytest.fixture(scope="module")
def three_clocks(jack):
    """A drum machine at each tempo, one after the other (timing is what is measured: they do
    not share the cores), 14 beats after Start; the last one then stops sending."""
    runs = {}
    for bpm in TEMPOS:
        try:
            runs[bpm] = follow(f"lltest-clock{bpm}", bpm, "start,beats:14" + (",wait:0.8" if bpm == TEMPOS[-1] else ""))
        except pytest.skip.Exception as skipped:  # that tempo's tests say why; the others run
            runs[bpm] = skipped
    return runs


def clock_at(three_clocks, bpm: float) -> Followed:
    run = three_clocks[bpm]
    if isinstance(run, BaseException):
        pytest.skip(str(run))
    return run


@pytest.mark.parametrize("bpm", TEMPOS)
def test_the_tempo_is_within_a_tenth_of_a_bpm_after_two_bars(three_clocks, bpm):
    run = clock_at(three_clocks, bpm)
    assert [e.args[1] for e in run.placed()] == sorted(run.beats)  # every beat, numbered from Start
    after_two_bars = [e.args[0] for e in run.placed() if e.args[1] >= 8]
    assert len(after_two_bars) == 6 and max(abs(b - bpm) for b in after_two_bars) < 0.1, after_two_bars


@pytest.mark.parametrize("bpm", TEMPOS)
def test_a_trigger_pressed_just_before_the_beat_applies_on_the_beats_tick(three_clocks, bpm):
    """From the third bar on (the tempo known, as above), a pad hit 1, 4 or 9 ticks (4 to 38 ms) before
    the beat applies on the tick nearest the beat's true instant, every time (give or take
    1 ms of the clock's own error when the beat falls near the middle of two ticks)."""
    run = clock_at(three_clocks, bpm)
    presses = [(nearest_tick(t * RATE) - early, beat % 8) for beat, t in run.beats.items() if beat >= 8
               for early in (1, 4, 9)]
    _, applied = play_ticks(run.events, presses)
    landed = [(tick, e.args[0]) for tick, e in applied if e.action == "keyframe"]
    assert len(landed) == len(presses)
    for beat, t in run.beats.items():
        if beat >= 8:
            ticks = {tick for tick, slot in landed if slot == beat % 8 and abs(tick - t * RATE) < RATE / 4}
            assert len(ticks) == 1, (beat, ticks)  # the three presses together, on one tick
            assert abs(ticks.pop() - t * RATE) <= 0.5 + RATE * 0.001, beat


def test_start_stop_and_continue_from_a_song_position(jack):
    run = follow("lltest-transport", 128, "start,beats:4,stop,beats:2,spp:32,continue,beats:4,wait:0.2")
    assert run.transports()[:3] == ["playing", "stopped", "playing"]
    assert [e.args[1] for e in run.placed()] == [0, 1, 2, 3, 8, 9, 10, 11]  # beat 8: 32 sixteenths
    assert [e.action for e in run.events].count("tempo") == 2  # stopped: the tempo goes on, once a beat
    perf, _ = play_ticks(run.events, [])
    assert perf.beat.position(nearest_tick(run.beats[11] * RATE), RATE) == pytest.approx(11, abs=0.01)


def test_a_clock_lost_mid_show_keeps_the_last_tempo_and_says_so(three_clocks):
    run = clock_at(three_clocks, 174)
    assert run.transports() == ["playing", "lost"]
    notices = run.log.take_notices()
    # the tempo it keeps is the estimate, within the 0.1 BPM the estimate promises (174.1 is as right as 174.0)
    kept = [re.search(r"lost: keeping ([\d.]+) BPM", n) for n in notices if "MIDI clock from" in n]
    assert kept and kept[0] and float(kept[0][1]) == pytest.approx(174, abs=0.1), notices
    hud = re.match(r"CLOCK ([\d.]+) BPM LOST", run.clock.status())  # the HUD's line
    assert hud and float(hud[1]) == pytest.approx(174, abs=0.1), run.clock.status()
    perf, _ = play_ticks(run.events, [])
    assert perf.transport == "lost" and perf.beat.bpm == pytest.approx(174, abs=0.1)


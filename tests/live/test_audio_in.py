"""Live sound in through a real JACK server: a band in another process plays a click track
over a tone sweep into the show's audio input; each click is an onset applied within one
frame of it, and the bands follow the sweep.

The loop's part is played from the bus's events (each applied at the first tick at or after
its arrival, as live/app.py does), as in test_clock_in.py.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time
from pathlib import Path

import pytest

from livelatent.instrument.audio_map import AudioFeature, AudioMap
from livelatent.live.audio_in import AudioInput
from livelatent.live.bus import ControlBus
from livelatent.live.ratelog import RateLimitedLog

PLAYER = Path(__file__).with_name("audio_player.py")
SECONDS, BPM, TICKS, FPS = 4.0, 128.0, 240, 30
MAP = AudioMap([AudioFeature("onset", "keyframe/random"),
                AudioFeature("low", "noise", attack=0.0, release=0.0),
                AudioFeature("high", "motion/damping", attack=0.0, release=0.0)])


@pytest.fixture
def band(jack_server):
    player = subprocess.Popen([sys.executable, str(PLAYER), "lltest-band", str(SECONDS), str(BPM)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert json.loads(player.stdout.readline()) == {"ready": True}
        yield player
    finally:
        # unplugged cleanly: a JACK client killed outright makes jackd hang on its own shutdown,
        # and the server the fixture must then kill keeps one of the machine's 8 server slots
        try:
            player.communicate("quit\n", timeout=10)
        except (subprocess.TimeoutExpired, ValueError, OSError):
            player.kill()
            player.wait()


def test_clicks_are_onsets_within_a_frame_and_the_bands_follow_the_sweep(band):
    bus = ControlBus()
    feed = AudioInput(bus, "lltest-band:out", MAP, block=512, log=RateLimitedLog(0)).start()
    try:
        time.sleep(0.2)
        band.stdin.write("go\n")
        band.stdin.flush()
        played = json.loads(band.stdout.readline())
        time.sleep(0.2)
    finally:
        feed.close()
    events = bus.drain()
    origin, rate, period = bus.clock.origin, played["rate"], played["period"]

    def heard(seconds_into_song: float) -> float:
        """Loop time at which the band's sample reached us: the end of the period it was played in."""
        sample = round(seconds_into_song * rate)
        at, first = max((c for c in played["cycles"] if c[1] <= sample), key=lambda c: c[1])
        return at - origin + (sample - first) / rate - period / rate

    onsets = [math.ceil(e.arrival * TICKS) for e in events if e.action == "keyframe.random"]
    clicks = [heard(c) * TICKS for c in played["clicks"]]
    # the song starting and its abrupt end (a click of its own) are onsets too
    edges = [heard(0.0) * TICKS] + clicks + [heard(SECONDS) * TICKS]
    assert len(onsets) == len(edges), (onsets, edges)
    for tick, edge in zip(onsets, edges):
        assert 0 <= tick - edge <= TICKS / FPS, (tick, edge)
    low = [(e.arrival, e.args[0]) for e in events if e.action == "noise"]
    high = [(e.arrival, e.args[1]) for e in events if e.action == "motion"]
    start, end = heard(0.0), heard(SECONDS)
    level_at = lambda series, t: min(series, key=lambda p: abs(p[0] - t))[1]  # noqa: E731
    assert level_at(low, start + 0.5) > level_at(low, end - 0.5) + 0.3  # 90 Hz: low; 6 kHz: not
    assert level_at(high, end - 0.5) > level_at(high, start + 0.5) + 0.3


def test_devices_lists_the_audio_inputs_of_the_jack_server(band, capsys):
    from livelatent.cli import main

    assert main(["devices"]) == 0
    out = capsys.readouterr().out
    assert "audio inputs" in out and "jack: system:capture_1" in out and "jack: lltest-band:out" in out

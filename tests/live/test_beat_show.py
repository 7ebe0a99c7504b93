"""A whole show in time with the music, on a ManualClock (tick-exact, no sleeping): quantised
pads land on the beat's tick, the autopilot changes keyframe on every bar, a clock's beats and
a tempo change are logged at their ticks, the particle arrives on a beat (settle_beats), and
the take replays bit for bit with no clock at all.
"""

from __future__ import annotations

import numpy as np

from livelatent.adapters import takes
from livelatent.commands.perform import show_config
from livelatent.instrument.actions import make
from livelatent.instrument.tempo import BeatGrid
from livelatent.live.loop_clock import ManualClock
from livelatent.live.session import build_session
from livelatent.offline.replay import replay_z

TICKS = 240


def test_quantised_pads_autopilot_bars_and_clock_beats_replay_without_the_clock(tmp_path):
    clock = ManualClock()
    session = build_session(show_config(["--headless", "--size", "32x32", "--osc-port", "0", "--record",
                                         "--bpm", "128", "--quantise", "beat", "--autopilot", "bar",
                                         "--settle-beats", "1", "--recordings", str(tmp_path)]), clock=clock)
    bus = session.app.bus
    presses = (0.30, 0.9301, 1.40)  # loop seconds: 4 ms, 36 ms, 3 ms before beats 1 ... (128 BPM: 0.46875 s a beat)
    for i, at in enumerate(presses):
        clock.at(at, lambda i=i: bus.put(make("keyframe", i + 1, source="midi")))
    # the drum machine takes over at 1.6 s: beat 4 fell 10 ms before its event arrived
    clock.at(1.885, lambda: bus.put(make("tempo.beat", 130.0, 4, 0.010, source="clock")))
    clock.at(2.2, lambda: bus.put(make("keyframe", 5, source="midi")))
    try:
        session.app.run(duration=4.0)
    finally:
        session.close()
    take = takes.read_take(session.recorder.last_take.path)
    logged = [(line["tick"], line["event"]) for line in takes.read_events(take)]
    start = take.meta["start_tick"]
    grid = BeatGrid(128.0)
    pads = [tick - start for tick, e in logged if e["action"] == "keyframe"]
    assert pads[:3] == [grid.next_boundary(round(at * TICKS), 1, TICKS) for at in presses]
    beat = next(e for _, e in logged if e["action"] == "tempo.beat")
    assert beat["args"][2] == start + (1.885 - 0.010) * TICKS  # placed on its own tick, as logged
    after = BeatGrid(130.0, anchor=beat["args"][2] - start, beat=4)
    assert pads[3] == after.next_boundary(round(2.2 * TICKS), 1, TICKS)
    bars = [tick - start for tick, e in logged if e["action"] == "keyframe.random"]
    assert bars == [450, after.tick_of(8, TICKS)]  # each bar's downbeat (the one at 0 came before the take)
    assert np.array_equal(replay_z(take).z, takes.load_z(take).z)  # no clock, no quantiser: the log

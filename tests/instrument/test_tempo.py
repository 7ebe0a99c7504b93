"""Tempo, the beat grid and quantised triggers as pure values: what a VJ playing to a DJ relies on."""

import numpy as np
import pytest

from livelatent.instrument.actions import make
from livelatent.instrument.bank import KeyframeBank
from livelatent.instrument.performance import Performance
from livelatent.instrument.quantise import Quantiser, unit_beats
from livelatent.instrument.tempo import BeatGrid, ClockEstimator, nearest_tick
from livelatent.motion.params import MotionParams

RATE = 240


def performance(**kw):
    return Performance(KeyframeBank.random(d=16, seed=2, slots=8), MotionParams(), seed=2, **kw)


@pytest.mark.parametrize("bpm", [120, 128, 174])
def test_the_clock_estimate_follows_jittery_pulses_and_a_tempo_change(bpm):
    rng = np.random.default_rng(bpm)
    period = 60 / bpm / 24
    times = 3.0 + np.arange(192) * period + rng.normal(0, 0.001, 192)
    est = ClockEstimator()
    for t in times:
        est.pulse(float(t))
    assert abs(est.bpm - bpm) < 0.1
    assert abs(est.time_of(191) - (3.0 + 191 * period)) < 0.001
    for i in range(96):  # the DJ nudges the tempo up 2%
        est.pulse(float(times[-1] + (i + 1) * period / 1.02))
    assert abs(est.bpm - bpm * 1.02) < 0.1


def test_a_spike_of_jitter_is_left_out_of_the_fit():
    est = ClockEstimator()
    for i in range(96):
        est.pulse(i * 0.02 + (0.015 if i == 60 else 0.0))  # one pulse 15 ms late (a USB hiccup)
    assert est.bpm == pytest.approx(125.0, abs=1e-6)


def test_the_grid_places_beats_and_bars_on_ticks():
    grid = BeatGrid(bpm=128.0)  # 112.5 ticks a beat
    assert [grid.tick_of(b, RATE) for b in range(4)] == [0, 113, 225, 338]  # halves go up
    assert grid.next_boundary(100, 1, RATE) == 113
    assert grid.next_boundary(113, 1, RATE) == 113  # pressed on the beat: now
    assert grid.next_boundary(114, 4, RATE) == 450  # the next bar
    assert grid.next_boundary(451, 8, RATE) == 900  # the next 2 bars
    moved = grid.with_tempo(174.0, tick=500, tick_rate=RATE)
    assert moved.position(500, RATE) == pytest.approx(grid.position(500, RATE))


def test_units_of_quantise():
    assert [unit_beats(u) for u in ("off", "beat", "2beat", "bar", "2bar", "4bar")] == [0, 1, 2, 4, 8, 16]
    with pytest.raises(ValueError, match="expected off, beat, bar"):
        unit_beats("soon")


def test_a_trigger_pressed_before_the_beat_waits_for_it_and_knobs_do_not():
    q, grid = Quantiser("beat"), BeatGrid(bpm=128.0)
    pad, knob = make("keyframe", 3), make("noise", 0.5)
    assert q.route(100, [pad, knob], grid, RATE) == [knob]
    assert all(q.route(t, [], grid, RATE) == [] for t in range(101, 113))
    assert q.route(113, [], grid, RATE) == [pad]
    bar = make("keyframe", 4).__class__("keyframe", (4, 1.0), "midi", 0.0, "bar")  # a binding's own unit
    assert q.route(114, [bar], grid, RATE) == [] and q.route(450, [], grid, RATE)[0].args == (4, 1.0)


def test_autopilot_in_bars_fires_on_every_fourth_downbeat():
    q, grid = Quantiser(), BeatGrid(bpm=120.0)  # a bar is 480 ticks
    q.repeat("4bar", lambda: make("keyframe.random", source="autopilot"))
    fired = [t for t in range(0, 6000) if q.route(t, [], grid, RATE)]
    assert fired == [0, 1920, 3840, 5760]


def test_tap_tempo_from_taps_at_ticks():
    perf = performance()
    for tick in (0, 113, 225, 338):  # 128 BPM, to the tick
        while perf.tick < tick:
            perf.step()
        perf.apply(make("tempo.tap"))
    assert perf.beat.bpm == pytest.approx(128.0, abs=0.3)
    assert nearest_tick(perf.beat.anchor) == 338


def test_settle_beats_follow_the_tempo_so_the_particle_arrives_on_a_beat():
    perf = performance(settle_beats=2)
    assert perf.params.settle_time == pytest.approx(1.0)  # 2 beats at 120
    perf.apply(make("tempo", 150))
    assert perf.params.settle_time == pytest.approx(0.8)
    perf.apply(make("motion", "settle_time", 3.0, "raw"))  # the performer takes it back
    perf.apply(make("tempo", 100))
    assert perf.params.settle_time == 3.0 and perf.settle_beats == 0


def test_the_musical_state_survives_describe_and_restore():
    perf = performance(settle_beats=1)
    perf.apply(make("tempo.beat", 128.0, 16, 3839.6))
    perf.apply(make("tempo.transport", "playing"))
    twin = Performance.restore(perf.describe(), perf.arrays())
    assert twin.beat == perf.beat and twin.transport == "playing" and twin.settle_beats == 1
    for p in (perf, twin):
        p.apply(make("impulse", 0.5, "random"))
        p.apply(make("keyframe.next"))
        for _ in range(50):
            p.step()
    assert np.array_equal(perf.z, twin.z)


def test_a_stalled_delivery_catching_up_in_a_burst_is_no_tempo_change():
    est = ClockEstimator()
    times = [i * 0.02 for i in range(240)]
    times[100:115] = [2.3] * 15  # 15 pulses held up, then delivered at once (a stalled JACK cycle)
    for t in times:
        est.pulse(t)
    assert est.bpm == pytest.approx(125.0, abs=1e-6)

"""In time with the music: what audio analysis costs the loop, how late a sound reaches its
tick, and how well a MIDI clock is followed over a long set.

    .venv/bin/python benchmarks/bench_music.py [--parts 1,2,3] [--seconds 24] [--period 2] [--minutes 10]

1. Loop frame rate with audio analysis on / off in the same run: a headless show (EGL, the
   default model at 256x256, four [[audio.feature]] mappings) fed a song in real time by a
   device thread (a sound card's pace: one 512-sample block every 10.7 ms, the live input's
   own code from there on), the analysis switched on and off every --period seconds, so the
   machine's other load weighs on both alike. The two phases differ only in the analysis:
   in both, the input thread takes every block and puts the same events on the bus (those
   the analysis gives that block of the song, worked out before the show), so the loop
   applies the same stream at the same rate; "on" also analyses and maps each block live on
   the input's thread, as a show does. Printed: both frame rates, their ratio (target on /
   off >= 0.95), the input thread's CPU seconds per second in each phase (the analysis's
   cost), and the machine's load average (others' work weighs on both phases alike).
2. Analysis latency, from the end of a block of sound (its last sample in) to the loop time
   of the tick that applies its events (blocks of the "on" phases): analysis, the bus, the
   wait for the tick boundary.
   Target: <= one tick, so that sound -> tick <= one audio block + one tick.
3. A 10-minute MIDI clock at 128 BPM (0.5 ms jitter, delivered once per 256-frame JACK period)
   through the clock input's own code on a manual clock (faster than real time): the tempo
   error after the first two bars, and the quantisation error of pads hit 1-9 ticks before
   every beat (the tick they apply on minus the beat's true instant, in ticks).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import threading
import time

import numpy as np

from livelatent.commands.perform import show_config
from livelatent.instrument.actions import make
from livelatent.instrument.audio_map import AudioFeature, AudioMap
from livelatent.instrument.bank import KeyframeBank
from livelatent.instrument.performance import Performance
from livelatent.instrument.tempo import PPQN, nearest_tick
from livelatent.live.audio_feed import AudioFeed
from livelatent.live.audio_in import AudioInput
from livelatent.live.beat_sync import BeatSync
from livelatent.live.bus import ControlBus
from livelatent.live.clock_in import CLOCK, ClockInput
from livelatent.live.loop_clock import ManualClock
from livelatent.live.session import build_session
from livelatent.motion.params import MotionParams

RATE, BLOCK, TICKS = 48000, 512, 240
MAPPINGS = (AudioFeature("onset", "keyframe/random"), AudioFeature("low", "noise", gain=1.5, release=0.3),
            AudioFeature("mid", "motion/damping", release=0.2), AudioFeature("high", "impulse", threshold=0.5))


def song(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    tone = 0.2 * np.sin(2 * np.pi * 80 * seconds / np.log(100) * (np.exp(t / seconds * np.log(100)) - 1))
    clicks = np.zeros_like(t)
    for beat in np.arange(0.1, seconds, 60 / 128):
        i = int(beat * RATE)
        clicks[i:i + 480] += 0.8 * np.exp(-np.arange(len(clicks[i:i + 480])) / 60.0)
    return (tone + clicks).astype(np.float32)


class DeviceInput(AudioInput):
    """The live input's code with a pretend sound card: a thread delivering BLOCK samples every
    BLOCK / RATE seconds (to the microsecond), stamped on the loop's clock as a callback would.

    Each block's events are the analysis's own for that block of the song, worked out before
    the show (`script`); they reach the bus in both phases alike. What `on` switches is only the
    analysis itself: the block analysed and mapped live, as a show does, on this thread."""

    def __init__(self, bus, samples, audio_map) -> None:
        self.samples, self.on, self.latencies = samples, True, []
        self.script = scripted_events(samples, audio_map)
        self.cpu, self.wall = {False: 0.0, True: 0.0}, {False: 0.0, True: 0.0}  # this thread's, per phase
        self._k, self._times = 0, None
        super().__init__(bus, "bench", audio_map, block=BLOCK)
        self.live = AudioFeed(_Discard(bus), AudioMap(audio_map.entries), rate=RATE, block=BLOCK)

    def _open(self) -> int:
        self._card = threading.Thread(target=self._play, daemon=True)
        return RATE

    def start(self):
        self._card.start()
        return super().start()

    def _play(self) -> None:
        start, k = time.perf_counter(), 0
        while not self._stop.is_set():
            due = start + (k + 1) * BLOCK / RATE
            while (left := due - time.perf_counter()) > 0:
                time.sleep(min(left, 0.002))
            i = (k % len(self.script)) * BLOCK
            self._blocks.put((self.samples[i:i + BLOCK].copy(), self.bus.now()))
            k += 1

    def analyse(self, samples, end):
        if self.on:
            self.live.analyse(samples, end)
        events = self.script[self._k % len(self.script)]
        self._k += 1
        if events:
            self.bus.put_many(events)
            if self.on:
                self.latencies.append((end, events[0]))
        self._account()
        return events

    def _account(self) -> None:
        """This thread's CPU and wall seconds since the last block, to the phase it is in now."""
        times = (time.thread_time(), time.perf_counter())
        if self._times is not None:
            self.cpu[self.on] += times[0] - self._times[0]
            self.wall[self.on] += times[1] - self._times[1]
        self._times = times

    def close(self) -> None:
        self._stop.set()
        super().close()


class _Discard:
    """A bus for the live analysis in the benchmark: its clock, and nowhere for its events to go."""

    def __init__(self, bus) -> None:
        self.now = bus.now

    def put_many(self, events) -> None:
        pass


def scripted_events(samples, audio_map) -> list[list]:
    """The events the analysis gives each block of the song played in a loop, as the card plays it."""
    clock = ManualClock()
    feed = AudioFeed(ControlBus(clock), AudioMap(audio_map.entries), rate=RATE, block=BLOCK)
    script = []
    for k in range((len(samples) - BLOCK) // BLOCK):
        clock.advance(BLOCK / RATE)
        script.append(feed.analyse(samples[k * BLOCK:(k + 1) * BLOCK], clock.now()))
    return script


def analysis_on_off(seconds: float, period: float) -> dict:
    session = build_session(show_config(["--headless", "--size", "256x256", "--osc-port", "0", "--no-hud"]))
    app = session.app
    device = DeviceInput(app.bus, song(30.0), AudioMap(MAPPINGS)).start()
    frames, spent, last = {False: 0, True: 0}, {False: 0.0, True: 0.0}, []

    def on_frame(*_):
        now = app.bus.now()
        if last:
            frames[device.on] += 1
            spent[device.on] += now - last[0]
        last[:] = [now]

    stop = threading.Event()

    def toggle():
        while not stop.wait(period):
            device.on = not device.on
            last.clear()

    app.on_frame = on_frame
    toggler = threading.Thread(target=toggle, daemon=True)
    toggler.start()
    try:
        app.run(duration=seconds)
    finally:
        stop.set()
        device.close()
        session.close()
    fps = {state: frames[state] / spent[state] for state in (False, True) if spent[state]}
    cpu = {state: device.cpu[state] / device.wall[state] for state in (False, True) if device.wall[state]}
    ends: dict = {}  # (action, args) -> the block ends that sent it, in order (the bus stamps a copy)
    for end, e in device.latencies:
        ends.setdefault((e.action, e.args), []).append(end)
    late = []
    for a in app.applied:
        queue = ends.get((a.event.action, a.event.args)) if a.event.source == "audio" else None
        if queue:
            late.append(app.tick_time(a.tick) - queue.pop(0))
    return {"fps": fps, "cpu": cpu, "late": late, "events": sum(a.event.source == "audio" for a in app.applied)}


def clock_run(minutes: float, bpm: float = 128.0, jitter: float = 0.0005, period_frames: int = 256) -> dict:
    """The clock input fed a long clock on a manual clock; tempo and quantisation errors."""
    clock, rng = ManualClock(), np.random.default_rng(1)
    bus = ControlBus(clock)
    clock_in = ClockInput(bus, "bench")
    period = period_frames / RATE
    clock_in._lister = type("Jack", (), {"period_seconds": staticmethod(lambda: period)})()
    clock_in.port = "bench"
    pulse = 60.0 / bpm / PPQN
    n = int(minutes * 60 / pulse)
    sent = 1.0 + np.arange(n) * pulse + rng.normal(0, jitter, n)
    arrival = np.ceil(sent / period) * period  # JACK hands MIDI over once a period
    last = 0.0
    for t in arrival:
        clock.advance(t - clock.now())
        clock_in._on_message(([CLOCK], float(t - last)))
        last = t
    events = bus.drain()
    beats = {k: 1.0 + k * PPQN * pulse for k in range(n // PPQN)}
    tempo_err = [abs(e.args[0] - bpm) for e in events if e.action == "tempo.beat" and e.args[1] >= 8]
    quant = quantisation(events, beats)
    return {"tempo": tempo_err, "quant": quant, "beats": len(beats)}


def quantisation(events, beats) -> list[float]:
    """Pads hit 1, 4 and 9 ticks before each beat from the third bar: applied tick - true beat (ticks)."""
    perf = Performance(KeyframeBank.random(d=8, seed=1, slots=8), MotionParams(), seed=1)
    sync, by_tick, errors = BeatSync("beat"), {}, []
    for e in events:
        by_tick.setdefault(math.ceil(e.arrival * TICKS - 1e-9), []).append(e)
    truth = {}
    for k, t in beats.items():
        if k >= 8:
            for early in (1, 4, 9):
                tick = nearest_tick(t * TICKS) - early
                by_tick.setdefault(tick, []).append(make("keyframe", k % 8, source="midi", arrival=tick / TICKS))
                truth.setdefault(tick, []).append(t * TICKS)
    pending = []
    end = max(by_tick) + TICKS
    while perf.tick < end:
        for e in by_tick.get(perf.tick, []):
            if e.action == "keyframe":
                pending.append(truth[perf.tick].pop(0))
        for e in sync.route(perf, by_tick.get(perf.tick, []), lambda s: s * TICKS):
            perf.apply(e)
            if e.action == "keyframe":
                errors.append(perf.tick - pending.pop(0))
        perf.step()
    return errors


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--parts", default="1,2,3")
    p.add_argument("--seconds", type=float, default=24.0)
    p.add_argument("--period", type=float, default=2.0)
    p.add_argument("--minutes", type=float, default=10.0)
    args = p.parse_args()
    parts = {int(x) for x in args.parts.split(",")}
    if parts & {1, 2}:
        run = analysis_on_off(args.seconds, args.period)
        off, on = run["fps"].get(False, 0.0), run["fps"].get(True, 0.0)
        if 1 in parts:
            cpu_off, cpu_on = run["cpu"].get(False, 0.0), run["cpu"].get(True, 0.0)
            print(f"1. loop frames/s: analysis off {off:.1f}, on {on:.1f}; on / off {on / off:.3f} (target >= 0.95); "
                  f"the input thread's CPU s/s: off {cpu_off:.4f}, on {cpu_on:.4f}; {run['events']} audio events "
                  f"applied; load average {os.getloadavg()[0]:.2f}")
        if 2 in parts and run["late"]:
            late = sorted(run["late"])
            tick = 1 / TICKS
            p50, p99 = statistics.median(late), late[int(0.99 * (len(late) - 1))]
            print(f"2. block end -> its tick: median {p50 * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms, max "
                  f"{late[-1] * 1000:.2f} ms over {len(late)} blocks; median / one tick {p50 / tick:.2f} "
                  f"(target <= 1: sound -> tick <= one block {BLOCK / RATE * 1000:.1f} ms + one tick {tick * 1000:.2f} ms)")
    if 3 in parts:
        started = time.perf_counter()
        run = clock_run(args.minutes)
        q = np.abs(run["quant"])
        print(f"3. {args.minutes:g} min of clock at 128 BPM ({run['beats']} beats) in {time.perf_counter() - started:.1f} s: "
              f"tempo error after 2 bars mean {np.mean(run['tempo']):.4f}, max {np.max(run['tempo']):.4f} BPM; "
              f"quantised pads: {len(q)}, |applied tick - true beat| mean {q.mean():.3f}, max {q.max():.3f} ticks; "
              f"on the nearest tick {np.mean(q <= 0.5) * 100:.2f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

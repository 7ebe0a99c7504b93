"""Recording's cost to the live loop, and that no z row is ever lost.

    .venv/bin/python benchmarks/bench_record.py [--seconds 24] [--period 2] [--runs 3] [--size 256x256]

One headless loop per frame grid (EGL, the default model, no OSC), recording toggled on and
off every --period seconds in the same run, so whatever else the machine is doing weighs on
both halves alike; frames/s with recording on against off. Two grids (display fps = record
fps, so the loop shows the same frames either way):
  - 30 fps, the default take rate: the loop should hold its rate while recording;
  - 120 fps, more than the model decodes: the loop runs flat out, so any recording overhead
    (row sampling, queueing, proxy encoding on the writer thread) shows in its frames/s.
Frames/s swing with whatever else the machine runs; CPU per frame (all the process's threads,
so it includes the writer thread) is what recording costs a loop that has no idle time, and
is the steadier of the two on a shared machine. Every take: z rows against the ticks that elapsed while it recorded (rows must equal the
frames of that span at the take's fps), and how many proxy frames the loop handed over live.
Exit status 1 when a take's rows do not match its ticks, or at 30 fps both median ratios are below 0.95.
"""

from __future__ import annotations

import argparse
import math
import statistics
import tempfile
import threading
import time
from fractions import Fraction

from livelatent.adapters import takes
from livelatent.instrument.actions import make
from livelatent.commands.perform import show_config
from livelatent.live.session import build_session

TARGET = 0.95


def toggled_loop(size: str, fps: int, seconds: float, period: float, recordings: str, proxy_size=None) -> dict:
    """Frames/s and CPU ms per frame (all threads), recording off and on, of one loop toggled
    every `period`: {"fps": (off, on), "cpu_ms": (off, on), "writer_ms": (proxy, rest) per frame recorded}."""
    session = build_session(show_config([
        "--headless", "--size", size, "--osc-port", "0", "--no-hud", "--recordings", recordings,
        "--fps", str(fps), "--record-fps", str(fps), *(["--proxy-size", proxy_size] if proxy_size else [])]))
    frames = {False: 0, True: 0}
    spent = {False: 0.0, True: 0.0}
    cpu = {False: 0.0, True: 0.0}
    last = []

    def on_frame(*_):
        now, used, state = session.app.bus.now(), time.process_time(), session.recorder.recording
        if last:
            frames[state] += 1
            spent[state] += now - last[0]
            cpu[state] += used - last[1]
        last[:] = [now, used]

    stop = threading.Event()

    def toggle():
        while not stop.wait(period):
            session.app.bus.put(make("record.toggle", source="api"))

    session.app.on_frame = on_frame
    toggler = threading.Thread(target=toggle, daemon=True)
    toggler.start()
    try:
        session.app.run(duration=seconds)
    finally:
        stop.set()
        toggler.join()
        session.close()
    writer = session.recorder.writer_cpu
    return {"fps": (frames[False] / spent[False], frames[True] / spent[True]),
            "cpu_ms": (1000 * cpu[False] / frames[False], 1000 * cpu[True] / frames[True]),
            "writer_ms": (1000 * writer["proxy"] / frames[True], 1000 * writer["rest"] / frames[True])}


def rows_match_ticks(take) -> tuple[bool, str]:
    ticks = take.meta["stop_tick"] - take.meta["start_tick"]
    expected = math.ceil(Fraction(ticks, take.meta["tick_rate"]) * take.fps.value)
    live = sum(b - a for a, b in take.meta["proxy"].get("present", []))
    return take.rows == expected, (f"{ticks} ticks at {take.meta['tick_rate']}/s -> {expected} frames expected, "
                                   f"{take.rows} z rows recorded, {live} proxy frames encoded live")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=24.0, help="length of each loop")
    parser.add_argument("--period", type=float, default=2.0, help="seconds between record toggles")
    parser.add_argument("--size", default="256x256", help="decode size WxH")
    parser.add_argument("--runs", type=int, default=3, help="loops per grid (the median ratio counts)")
    parser.add_argument("--proxy-size", default=None, help="proxy WxH (default: the decode size)")
    parser.add_argument("--grids", default="30,120", help="frame grids to measure (fps)")
    args = parser.parse_args()
    ok = True
    for fps in (int(f) for f in args.grids.split(",")):
        fps_ratios, cpu_ratios = [], []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as recordings:
                got = toggled_loop(args.size, fps, args.seconds, args.period, recordings, args.proxy_size)
                results = [rows_match_ticks(t) for t in takes.list_takes(recordings) if "stop_tick" in t.meta]
            bad = [line for match, line in results if not match]
            ok &= not bad and bool(results)
            (off, on), (cpu_off, cpu_on) = got["fps"], got["cpu_ms"]
            fps_ratios.append(on / off)
            cpu_ratios.append(cpu_off / cpu_on)
            print(f"{fps:>3} fps grid, {args.size}: loop {off:5.1f} frames/s recording off, {on:5.1f} on "
                  f"(ratio {on / off:.3f}); CPU {cpu_off:5.1f} ms/frame off, {cpu_on:5.1f} on "
                  f"(ratio {cpu_off / cpu_on:.3f}; writer thread {got['writer_ms'][0]:.2f} ms/frame proxy, "
                  f"{got['writer_ms'][1]:.2f} rest); {len(results)} takes, rows = ticks x fps in all: {not bad}")
            for line in bad:
                print(f"    MISMATCH {line}")
        fps_median, cpu_median = statistics.median(fps_ratios), statistics.median(cpu_ratios)
        print(f"{fps:>3} fps grid: median on/off ratio {fps_median:.3f} in frames/s, {cpu_median:.3f} in CPU per "
              f"frame, over {args.runs} runs; e.g. {results[0][1]}")
        if fps == 30:
            ok &= max(fps_median, cpu_median) >= TARGET
    print("OK" if ok else f"FAILED: every take's rows must match its ticks, and the 30 fps ratio be >= {TARGET}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

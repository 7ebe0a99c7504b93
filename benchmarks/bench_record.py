"""Recording's cost to the live loop, and that no z row is ever lost.

    .venv/bin/python benchmarks/bench_record.py [--seconds 6] [--rounds 2] [--size 256x256]

The headless loop (EGL, the default model, no OSC) runs alternately with recording off and
on, in the same process, at two frame grids (display fps = record fps for both, so the
loop shows the same frames either way):
  - 30 fps, the default take rate: the loop should hold its rate while recording;
  - 120 fps, more than the model decodes: the loop runs flat out, so any recording overhead
    (row sampling, queueing, proxy encoding on the writer thread) shows in its frames/s.
For each take: z rows against the ticks that elapsed while recording (rows must equal the
frames of that span at the take's fps), and how many proxy frames the loop handed over live.
Exit status 1 when a take's rows do not match its ticks, or the 30 fps ratio is below 0.95.
"""

from __future__ import annotations

import argparse
import math
import tempfile
from fractions import Fraction

from livelatent.controls import make
from livelatent.live.session import build_session, parse_options

TARGET = 0.95


def run_loop(size: str, fps: int, seconds: float, record: bool, recordings: str):
    """One headless session; (loop frames/s, the take or None)."""
    session = build_session(parse_options([
        "--headless", "--size", size, "--osc-port", "0", "--no-hud", "--recordings", recordings,
        "--fps", str(fps), "--record-fps", str(fps)]))
    if record:
        session.app.bus.put(make("record.start", source="cli"))
    try:
        summary = session.app.run(duration=seconds)
    finally:
        session.close()
    return summary.fps, session.recorder.last_take if record else None


def rows_match_ticks(take) -> tuple[bool, str]:
    ticks = take.meta["stop_tick"] - take.meta["start_tick"]
    expected = math.ceil(Fraction(ticks, take.meta["tick_rate"]) * take.fps.value)
    live = sum(b - a for a, b in take.meta["proxy"].get("present", []))
    return take.rows == expected, (f"{ticks} ticks at {take.meta['tick_rate']}/s -> {expected} frames expected, "
                                   f"{take.rows} z rows recorded, {live} proxy frames encoded live")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=6.0, help="length of each run")
    parser.add_argument("--rounds", type=int, default=2, help="off/on pairs per frame grid")
    parser.add_argument("--size", default="256x256", help="decode size WxH")
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as recordings:
        for fps in (30, 120):
            off, on = [], []
            for _ in range(args.rounds):
                off.append(run_loop(args.size, fps, args.seconds, False, recordings)[0])
                rate, take = run_loop(args.size, fps, args.seconds, True, recordings)
                on.append(rate)
                match, line = rows_match_ticks(take)
                ok &= match
                print(f"  {fps:>3} fps take: {line}{'' if match else '  MISMATCH'}")
            ratio = (sum(on) / len(on)) / (sum(off) / len(off))
            print(f"{fps:>3} fps grid, {args.size}: loop {sum(off) / len(off):6.1f} frames/s recording off, "
                  f"{sum(on) / len(on):6.1f} on   ratio on/off = {ratio:.3f}")
            if fps == 30:
                ok &= ratio >= TARGET
    print("OK" if ok else f"FAILED: every take's rows must match its ticks, and the 30 fps ratio be >= {TARGET}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

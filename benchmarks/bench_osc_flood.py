"""The live loop and a real fader under a flood of junk OSC on the same port.

    .venv/bin/python benchmarks/bench_osc_flood.py [--rounds 3] [--seconds 5] [--rate 10000] [--size 256x256]
    PYTHONPATH=OLD_CHECKOUT .venv/bin/python benchmarks/bench_osc_flood.py   # the same against older code

In one run, side by side, in rounds (the median round counts: other work on a shared machine
drifts over seconds and hits each round's runs alike):
  quiet     the headless loop (EGL, HUD on, OSC open), travelling to a new slot each second,
            with a fader sending 10 messages a second to /livelatent/motion/damping;
  elsewhere the same, while a sender process sends `--rate` junk datagrams a second to a port
            nobody reads (what the sender alone costs the machine);
  flooded   the same sender sending its junk to the show's own OSC port.
Junk: random bytes, truncated and bit-flipped messages, malformed bundles, bad type tags,
unicode and out-of-space addresses (tests/hostile/osc_junk.py, the fuzzer's own kinds).
Prints, per run, frames/s and frame-time percentiles, the fader messages applied of those
sent, the datagrams the OSC process received of those sent (the rest the kernel dropped),
and the ratios: flooded / quiet and flooded / elsewhere frame rates (target >= 0.9) and the
fader messages applied (target >= 99%).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from livelatent.instrument.actions import make
from livelatent.commands.perform import show_config
from livelatent.live.session import build_session

JUNK = Path(__file__).resolve().parents[1] / "tests" / "hostile" / "osc_junk.py"
FADER_RATE = 10.0


def run(args, recordings: str, *, rate: int, to_show: bool) -> dict:
    """One loop run while the senders send for args.seconds (they start with the loop's first
    frame; the show stops when they are done); the figures count the frames shown between the
    fader's first and last message. The junk goes to the show's port when to_show, else to a
    port nobody reads."""
    s = build_session(show_config(["--headless", "--model", args.model, "--device", "cpu", "--size", args.size,
                                     "--osc-port", str(args.port), "--recordings", recordings]))
    started, senders = threading.Event(), []
    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # bound, never read: the kernel drops
    sink.bind(("127.0.0.1", 0))

    def meanwhile():
        senders.append(_sender(args.port if to_show else sink.getsockname()[1], rate, args.seconds))
        senders.append(_sender(args.port, 0, args.seconds, fader=True))
        for i in itertools.count():  # keep the particle travelling, as in a performance
            s.app.bus.put(make("keyframe", 1 + i % 60, source="api"))
            if all(p.poll() is not None for p in senders):
                break
            time.sleep(1.0)
        time.sleep(0.3)  # the last messages through
        s.app.running = False

    def start(*_):  # once the loop runs (after the model's warm-up frame)
        if not started.is_set():
            started.set()
            threading.Thread(target=meanwhile, daemon=True).start()

    s.app.on_frame = start
    try:
        summary = s.app.run(duration=args.seconds + 60)
    finally:
        s.close()
        sink.close()
    (sent, _), (faders, _) = (p.communicate(timeout=60) for p in senders)
    sent, faders = json.loads(sent)["junk"], json.loads(faders)["faders"]
    origin = s.app.clock.origin  # perf_counter() at loop time 0
    applied = {round(a.event.args[1], 6): origin + a.event.arrival for a in s.app.applied
               if a.event.source == "osc" and a.event.action == "motion" and a.event.args[0] == "damping"}
    late = [1000 * (applied[key] - sent_at) for value, sent_at in faders
            if (key := round(float(np.float32(value)), 6)) in applied]
    first, last = (faders[i][1] - origin for i in (0, -1))
    times = np.array(summary.frame_times)
    times = times[(times >= first) & (times <= last)]
    dt = np.diff(times) * 1000
    return {"fps": (len(times) - 1) / (times[-1] - times[0]), "p50": float(np.median(dt)),
            "p99": float(np.percentile(dt, 99)), "faders": len(faders), "applied": len(late),
            "late": max(late, default=0.0), "late50": float(np.median(late)) if late else 0.0,
            "junk": sent if to_show else 0,
            "received": getattr(s.osc, "datagrams", s.osc.messages + s.osc.rejected)}  # (older receivers: no count)


def _sender(port: int, rate: int, seconds: float, fader: bool = False) -> subprocess.Popen:
    extra = [str(FADER_RATE)] if fader else []
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # the senders: this checkout's code
    return subprocess.Popen([sys.executable, str(JUNK), str(port), str(rate), str(seconds), *extra],
                            stdout=subprocess.PIPE, text=True, env=env)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rate", type=int, default=10_000, help="junk datagrams per second")
    parser.add_argument("--size", default="256x256")
    parser.add_argument("--model", default="default")
    parser.add_argument("--port", type=int, default=9393)
    args = parser.parse_args()
    rounds = []
    with tempfile.TemporaryDirectory() as recordings:
        for _ in range(args.rounds):
            quiet = run(args, recordings, rate=0, to_show=False)
            elsewhere = run(args, recordings, rate=args.rate, to_show=False)
            flooded = run(args, recordings, rate=args.rate, to_show=True)
            rounds.append((flooded["fps"] / quiet["fps"], quiet, elsewhere, flooded))
    rounds.sort(key=lambda r: r[0])
    _, quiet, elsewhere, flooded = rounds[len(rounds) // 2]
    for name, r in (("quiet", quiet), ("junk sent elsewhere", elsewhere), (f"{args.rate:,} junk/s to us", flooded)):
        print(f"{name:>21}: {r['fps']:.1f} frames/s, frame time p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms; "
              f"fader {r['applied']}/{r['faders']} applied, sent to the bus in {r['late50']:.1f} ms median, "
              f"{r['late']:.1f} ms at worst")
    lost = flooded["junk"] + flooded["faders"] - flooded["received"]
    print(f"median of {len(rounds)} rounds of {args.seconds:g} s on {os.cpu_count()} cores: loop rate flooded / quiet "
          f"= {rounds[len(rounds) // 2][0]:.2f} (rounds {rounds[0][0]:.2f}-{rounds[-1][0]:.2f}), flooded / junk sent "
          f"elsewhere = {flooded['fps'] / elsewhere['fps']:.2f} (target >= 0.9); fader messages applied under the "
          f"flood {100 * flooded['applied'] / max(flooded['faders'], 1):.1f}% (target >= 99%, worst round "
          f"{min(100 * r[3]['applied'] / max(r[3]['faders'], 1) for r in rounds):.1f}%); datagrams received "
          f"{flooded['received']:,} of {flooded['junk'] + flooded['faders']:,} sent ({lost:,} dropped by the kernel)")
    print(f"the sender alone (junk sent elsewhere / quiet): {statistics.median(r[2]['fps'] / r[1]['fps'] for r in rounds):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

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

from livelatent.commands.perform import show_config
from livelatent.instrument.actions import make
from livelatent.live.session import build_session
from proc_cpu import CpuMeter  # benchmarks/, beside this script

JUNK = Path(__file__).resolve().parents[1] / "tests" / "hostile" / "osc_junk.py"
FADER_RATE = 10.0


def run(args, recordings: str, *, rate: int, to_show: bool) -> dict:
    """One loop run while the senders send for args.seconds (they start with the loop's first
    frame; the show stops when they are done); the figures count the frames shown between the
    fader's first and last message. The junk goes to the show's port when to_show, else to a
    port nobody reads."""
    s = build_session(show_config(["--headless", "--model", args.model, "--device", "cpu", "--size", args.size,
                                     "--osc-port", str(args.port), "--recordings", recordings]))
    started, senders, used = threading.Event(), [], {}
    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # bound, never read: the kernel drops
    sink.bind(("127.0.0.1", 0))

    def meanwhile():
        meter = CpuMeter({"show": os.getpid(), "OSC": s.osc._process.pid})
        senders.append(_sender(args.port if to_show else sink.getsockname()[1], rate, args.seconds))
        senders.append(_sender(args.port, 0, args.seconds, fader=True))
        for i in itertools.count():  # keep the particle travelling, as in a performance
            s.app.bus.put(make("keyframe", 1 + i % 60, source="api"))
            if all(p.poll() is not None for p in senders):
                break
            time.sleep(1.0)
        time.sleep(0.3)  # the last messages through
        used.update(meter.stop())
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
    junk, fader = (json.loads(p.communicate(timeout=60)[0]) for p in senders)
    sent, faders = junk["junk"], fader["faders"]
    used["senders"] = junk["cpu"] + fader["cpu"]
    used["others"] = used["machine"] - used["show"] - used["OSC"] - used["senders"]
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
            "received": getattr(s.osc, "datagrams", s.osc.messages + s.osc.rejected),  # (older receivers: no count)
            "cpu": {k: v / used["wall"] for k, v in used.items() if k not in ("machine", "wall")}}


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
            rounds.append({"quiet": run(args, recordings, rate=0, to_show=False),
                           "elsewhere": run(args, recordings, rate=args.rate, to_show=False),
                           "flooded": run(args, recordings, rate=args.rate, to_show=True)})
    report(args, rounds)
    return 0


def report(args, rounds: list[dict]) -> None:
    """The median round's runs (by flooded / quiet), then each ratio's median and spread over
    the rounds, and which target it meets."""
    rounds.sort(key=lambda r: r["flooded"]["fps"] / r["quiet"]["fps"])
    middle = rounds[len(rounds) // 2]
    names = {"quiet": "quiet", "elsewhere": "junk sent elsewhere", "flooded": f"{args.rate:,} junk/s to us"}
    for key, name in names.items():
        r = middle[key]
        cpu = ", ".join(f"{k} {100 * v:.0f}%" for k, v in r["cpu"].items())
        print(f"{name:>21}: {r['fps']:.1f} frames/s, frame time p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms; "
              f"fader {r['applied']}/{r['faders']} applied, sent to the bus in {r['late50']:.1f} ms median, "
              f"{r['late']:.1f} ms at worst; CPU (of one core): {cpu}")
    flooded = middle["flooded"]
    lost = flooded["junk"] + flooded["faders"] - flooded["received"]
    print(f"the OSC process under the flood: {100 * flooded['cpu']['OSC']:.1f}% of a core, about "
          f"{1e6 * flooded['cpu']['OSC'] / args.rate:.1f} us a junk datagram; datagrams received "
          f"{flooded['received']:,} of {flooded['junk'] + flooded['faders']:,} sent ({lost:,} dropped by the kernel)")
    print(f"{len(rounds)} rounds of {args.seconds:g} s on {os.cpu_count()} cores, median (spread over the rounds):")
    ratio = lambda a, b: [r[a]["fps"] / r[b]["fps"] for r in rounds]  # noqa: E731
    _verdict("loop rate, flooded / quiet", ratio("flooded", "quiet"), 0.9)
    _verdict("loop rate, flooded / junk sent elsewhere", ratio("flooded", "elsewhere"), 0.9,
             "(the flood's cost to the show with the sender's own cost to these shared cores taken out)")
    _verdict("loop rate, junk sent elsewhere / quiet", ratio("elsewhere", "quiet"), None,
             "(what the sender alone costs the show)")
    _verdict("fader messages applied under the flood", [r["flooded"]["applied"] / max(r["flooded"]["faders"], 1)
                                                        for r in rounds], 0.99)


def _verdict(name: str, values: list[float], target: float | None, note: str = "") -> None:
    values = sorted(values)
    median = statistics.median(values)
    judged = "" if target is None else f"  target >= {target:g}: {'met' if median >= target else 'NOT met'}"
    print(f"  {name:<42} {median:.3f} ({values[0]:.3f}-{values[-1]:.3f}){judged} {note}".rstrip())


if __name__ == "__main__":
    raise SystemExit(main())

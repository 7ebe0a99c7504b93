"""The live loop and a real fader under a flood of junk OSC on the same port.

    .venv/bin/python benchmarks/bench_osc_flood.py [--cycles 20] [--phase 1.0] [--rate 10000] [--size 256x256]
    PYTHONPATH=OLD_CHECKOUT .venv/bin/python benchmarks/bench_osc_flood.py   # the same against older code

One headless show (EGL, HUD on, OSC open, travelling to a new slot each phase) and one sender
process: a real fader at 10 messages/s to the show's port throughout, and junk in phases of
`--phase` seconds, in cycles of three phases in a shuffled order:
  quiet      no junk;
  elsewhere  `--rate` junk datagrams a second to a port nobody reads: what the sender alone
             costs (on 2 cores it takes its share of them from the show);
  flooded    the same junk to the show's own port.
Junk: random bytes, truncated and bit-flipped messages, malformed bundles, bad type tags,
unicode and out-of-space addresses (tests/hostile/osc_junk.py, the fuzzer's own kinds).
Interleaved phases a second long see the same machine: on a machine shared with other work
the load drifts over seconds, which separate runs of each kind would measure instead.

Prints, per kind of phase, frames/s, frame-time percentiles, the fader messages applied of
those sent and how late, and the CPU of the show, the OSC process and the rest of the machine
(the sender, the kernel, anybody else); the datagrams received of those sent; then, over the
cycles, the ratios flooded / quiet and flooded / elsewhere of the loop's frame rate (target
>= 0.9) and the fader messages applied under the flood (target >= 99%), and which it meets.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
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
from proc_cpu import cpu_seconds  # benchmarks/, beside this script

JUNK = Path(__file__).resolve().parents[1] / "tests" / "hostile" / "osc_junk.py"
FADER_RATE = 10.0
KINDS = ("quiet", "elsewhere", "flooded")
SETTLE = 0.1  # of each phase left out: the OSC process finishing the burst of the phase before


def run(args, recordings: str) -> dict:
    """The show while the sender goes through its phases; what the report needs."""
    s = build_session(show_config(["--headless", "--model", args.model, "--device", "cpu", "--size", args.size,
                                     "--osc-port", str(args.port), "--recordings", recordings]))
    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # bound, never read: the kernel drops
    sink.bind(("127.0.0.1", 0))
    rng = random.Random(args.seed)
    order = [kind for _ in range(args.cycles) for kind in rng.sample(KINDS, 3)]
    ports = {"quiet": 0, "elsewhere": sink.getsockname()[1], "flooded": args.port}
    out, started = {"order": order, "cpu": []}, threading.Event()

    def meanwhile():
        sender = _sender([ports[kind] for kind in order], args)
        out["start"] = start = json.loads(sender.stdout.readline())["start"]
        pids = {"show": os.getpid(), "OSC": s.osc._process.pid}
        for i in range(len(order) + 1):
            time.sleep(max(0.0, start + i * args.phase - time.perf_counter()))
            out["cpu"].append(cpu_seconds(pids))  # at each phase's end: what it used
            if i < len(order):
                s.app.bus.put(make("keyframe", 1 + i % 60, source="api"))  # travelling, as in a performance
        done = json.loads(sender.communicate(timeout=60)[0])
        out["sent"], out["faders"] = done["sent"], done["faders"]
        time.sleep(0.3)  # the last messages through
        s.app.running = False

    def begin(*_):  # once the loop runs (after the model's warm-up frame)
        if not started.is_set():
            started.set()
            threading.Thread(target=meanwhile, daemon=True).start()

    s.app.on_frame = begin
    try:
        summary = s.app.run(duration=len(order) * args.phase + 120)
    finally:
        s.close()
        sink.close()
    origin = s.app.clock.origin  # perf_counter() at loop time 0
    out["frames"] = origin + np.array(summary.frame_times)
    out["applied"] = {round(a.event.args[1], 6): origin + a.event.arrival for a in s.app.applied
                      if a.event.source == "osc" and a.event.action == "motion" and a.event.args[0] == "damping"}
    out["received"], out["sent_to_show"] = s.osc.datagrams, out["sent"].get(str(args.port), 0) + len(out["faders"])
    return out


def _sender(ports: list[int], args) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # the sender: this checkout's code
    # in a session of its own: the kernel schedules a session's processes as one group (autogroup), and an
    # attacker's sends are no part of the show's share of the cores
    return subprocess.Popen([sys.executable, str(JUNK), ",".join(map(str, ports)), str(args.rate), str(args.phase),
                             str(args.port), str(FADER_RATE)], stdout=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)


def phases(out: dict, args) -> list[dict]:
    """Each phase's kind, frame rate, frame times, CPU seconds and fader messages."""
    found = []
    for i, kind in enumerate(out["order"]):
        begin, end = out["start"] + (i + SETTLE) * args.phase, out["start"] + (i + 1) * args.phase
        times = out["frames"][(out["frames"] >= begin) & (out["frames"] < end)]
        used = {k: out["cpu"][i + 1][k] - out["cpu"][i][k] for k in out["cpu"][i]}
        used["rest"] = used.pop("machine") - used["show"] - used["OSC"]
        faders = [(v, t) for v, t in out["faders"] if out["start"] + i * args.phase <= t < end]
        late = [1000 * (out["applied"][key] - t) for v, t in faders
                if (key := round(float(np.float32(v)), 6)) in out["applied"]]
        found.append({"kind": kind, "fps": (len(times) - 1) / (times[-1] - times[0]), "dt": np.diff(times) * 1000,
                      "cpu": used, "faders": len(faders), "late": late})
    return found


def report(args, out: dict) -> None:
    found = phases(out, args)
    for kind in KINDS:
        mine = [p for p in found if p["kind"] == kind]
        dt, late = np.concatenate([p["dt"] for p in mine]), [x for p in mine for x in p["late"]]
        cpu = ", ".join(f"{k} {100 * sum(p['cpu'][k] for p in mine) / (len(mine) * args.phase):.0f}%"
                        for k in ("show", "OSC", "rest"))
        print(f"{kind:>9}: {1000 / dt.mean():.1f} frames/s, frame time p50 {np.median(dt):.1f} ms, "
              f"p99 {np.percentile(dt, 99):.1f} ms; fader {len(late)}/{sum(p['faders'] for p in mine)} applied, "
              f"to the bus in {np.median(late):.1f} ms median, {max(late):.1f} ms at worst; "
              f"CPU (of one core): {cpu}")
    flooded, system = (sum(p["cpu"][k] for p in found if p["kind"] == "flooded") for k in ("OSC", "OSC system"))
    junk = max(out["sent"].get(str(args.port), 0), 1)
    print(f"the OSC process in the flooded phases: {100 * flooded / (args.cycles * args.phase):.1f}% of a core, "
          f"{1e6 * flooded / junk:.1f} us a junk datagram ({1e6 * system / junk:.1f} us of it in system calls); "
          f"datagrams received {out['received']:,} of "
          f"{out['sent_to_show']:,} sent to the show ({out['sent_to_show'] - out['received']:,} dropped by the kernel)")
    fps = {(i // 3, p["kind"]): p["fps"] for i, p in enumerate(found)}
    ratio = lambda a, b: [fps[c, a] / fps[c, b] for c in range(args.cycles)]  # noqa: E731
    print(f"{args.cycles} cycles of 3 phases of {args.phase:g} s on {os.cpu_count()} cores, the median cycle "
          f"(the middle half of the cycles):")
    _verdict("loop rate, flooded / quiet", ratio("flooded", "quiet"), 0.9)
    _verdict("loop rate, flooded / junk sent elsewhere", ratio("flooded", "elsewhere"), 0.9,
             "(the sender's own cost to these shared cores taken out)")
    _verdict("loop rate, junk sent elsewhere / quiet", ratio("elsewhere", "quiet"), None, "(the sender alone)")
    mine = [p for p in found if p["kind"] == "flooded"]
    applied = sum(len(p["late"]) for p in mine) / max(sum(p["faders"] for p in mine), 1)
    print(f"  {'fader messages applied under the flood':<42} {applied:.3f}  "
          f"target >= 0.99: {'met' if applied >= 0.99 else 'NOT met'}")
    if out["sent_to_show"] == out["received"]:
        print("  (every datagram reached the OSC process, which drops no valid fader message: a fader message not "
              "applied was superseded, a later value of the same fader reaching the show in the same tick, which "
              "sets the knob before the tick's step: the same z)")


def _verdict(name: str, values: list[float], target: float | None, note: str = "") -> None:
    low, median, high = np.percentile(values, [25, 50, 75])
    judged = "" if target is None else f"  target >= {target:g}: {'met' if median >= target else 'NOT met'}"
    print(f"  {name:<42} {median:.3f} ({low:.3f}-{high:.3f}){judged} {note}".rstrip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cycles", type=int, default=20)
    parser.add_argument("--phase", type=float, default=1.0, help="seconds")
    parser.add_argument("--rate", type=int, default=10_000, help="junk datagrams per second")
    parser.add_argument("--size", default="256x256")
    parser.add_argument("--model", default="default")
    parser.add_argument("--port", type=int, default=9393)
    parser.add_argument("--seed", type=int, default=1, help="of the phases' order")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as recordings:
        out = run(args, recordings)
    report(args, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

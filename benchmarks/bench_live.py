"""The live loop against its model, its control latency, and its steadiness under an OSC flood.

    .venv/bin/python benchmarks/bench_live.py [--seconds 5] [--size 256x256] [--model default]

In one run, side by side:
  1. decode rate: the generator alone decoding the z's the loop showed (frames/s);
     loop rate: the headless loop (EGL, HUD on, OSC open) on a frame grid finer than the
     model can fill, so it is decode-bound; loop overhead = 1 - loop rate / decode rate
     (target: under 10%), and the share of each frame the model sits idle. Alone and loop
     runs alternate, best of each, since other work on the machine slows both.
  2. control latency: /livelatent/keyframe sent over real UDP at random moments; for each,
     the time and the frames from the send to the first frame that shows the new target
     (target: at most one frame plus the decode time).
  3. frame-time spikes: the loop's frame times quiet, then while another process sends
     10,000 OSC messages per second to it (p50 / p99 / max, messages received and applied),
     against the same sender sending to a port nobody reads (what the sender alone costs
     a 2-core machine).
In every loop run the particle travels to a new slot each second, as in a performance.
Exit status 1 when the overhead is 10% or more.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np
from pythonosc.udp_client import SimpleUDPClient

from livelatent.adapters.takes import parse_size
from livelatent.controls import make
from livelatent.generators import load
from livelatent.live.session import build_session, parse_options

FLOOD = """
import sys, time
from pythonosc.udp_client import SimpleUDPClient
c = SimpleUDPClient("127.0.0.1", int(sys.argv[1]))
rate, seconds = int(sys.argv[2]), float(sys.argv[3])
t0, sent = time.perf_counter(), 0
while time.perf_counter() - t0 < seconds:
    due = int((time.perf_counter() - t0) * rate)
    while sent < due:
        c.send_message("/livelatent/motion/damping", (sent % 100) / 100.0)
        sent += 1
    time.sleep(0.002)
print(sent, time.process_time())
"""


def decode_rate(model: str, size: tuple[int, int], zs: list[np.ndarray]) -> float:
    """The generator alone decoding the z's the loop showed, one after another (frames/s).

    The same z's, because the default model's decode time depends on z (its sines)."""
    g = load(model, device="cpu", size=size)
    g.decode(zs[0][None].astype(np.float32), size)
    t0 = time.perf_counter()
    for z in zs:
        g.decode(z[None].astype(np.float32), size)
    return len(zs) / (time.perf_counter() - t0)


def session(args, port: int, recordings: str, fps: int = 1000):
    return build_session(parse_options(["--headless", "--model", args.model, "--device", "cpu", "--size", args.size,
                                        "--osc-port", str(port), "--fps", str(fps), "--recordings", recordings]))


def frame_stats(summary) -> tuple[float, float, float]:
    dt = np.diff(summary.frame_times) * 1000
    return float(np.median(dt)), float(np.percentile(dt, 99)), float(dt.max())


def latency_run(args, port: int, recordings: str, fps: int):
    """Send keyframes at random moments; (ms, frames) from each send to the frame showing it."""
    s = session(args, port, recordings, fps)
    client, sends = SimpleUDPClient("127.0.0.1", port), []

    def sender():
        rng = random.Random(1)
        time.sleep(0.5)
        for i in range(args.sends):
            time.sleep(rng.uniform(0.1, 0.3))
            sends.append((s.app.bus.now(), s.app.summary.frames))
            client.send_message("/livelatent/keyframe", 1 + i % 60)

    threading.Thread(target=sender, daemon=True).start()
    try:
        summary = s.app.run(duration=0.8 + 0.3 * args.sends)
    finally:
        s.close()
    keys = [a for a in s.app.applied if a.event.action == "keyframe"]
    results = [(1000 * (a.shown_at - sent_at), a.frame - frames_before, 1000 * (a.event.arrival - sent_at))
               for a, (sent_at, frames_before) in zip(keys, sends) if a.shown_at is not None]
    return results, summary


def flood_run(args, port: int, recordings: str, rate: int, flood_port: int | None = None):
    """The loop for args.seconds, moving between slots, while `rate` OSC messages/s are sent
    to it (or to flood_port: the sender's own cost to the machine, without our receiving).
    summary.cpu: CPU seconds of the show process and of its OSC process (the sender's own left out)."""
    s = session(args, port, recordings)
    shown = []
    s.app.on_frame = lambda k, z, image: shown.append(np.array(z))
    for i in range(int(args.seconds)):  # keep the particle travelling, as in a performance
        threading.Timer(i + 0.1, lambda i=i: s.app.bus.put(make("keyframe", 1 + i % 60, source="api"))).start()
    flood = subprocess.Popen([sys.executable, "-c", FLOOD, str(flood_port or port), str(rate), str(args.seconds)],
                             stdout=subprocess.PIPE, text=True) if rate else None
    before = os.times()
    try:
        summary = s.app.run(duration=args.seconds)
    finally:
        s.close()  # waits for the OSC process: its CPU time joins os.times().children_*
    sent, sender_cpu = (float(v) for v in flood.communicate(timeout=30)[0].split()) if flood else (0, 0.0)
    after = os.times()
    summary.cpu = (after.user + after.system - before.user - before.system,
                   after.children_user + after.children_system - before.children_user - before.children_system
                   - sender_cpu)
    applied = sum(1 for a in s.app.applied if a.event.source == "osc")
    return summary, int(sent), s.osc.messages, applied, shown


def _nth(frames_after: float) -> str:
    n = int(frames_after) + 1  # 0 frames after the send = the next frame shown
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--size", default="256x256")
    parser.add_argument("--model", default="default")
    parser.add_argument("--sends", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3, help="decode-alone / loop pairs (best of each)")
    parser.add_argument("--port", type=int, default=9391)
    parser.add_argument("--parts", default="1,2,3", help="which measurements, e.g. 2 for the latency alone")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    w, h = parse_size(args.size)
    ok = True
    with tempfile.TemporaryDirectory() as recordings:
        if "1" in parts or "3" in parts:
            quiet, overhead = overhead_part(args, (h, w), recordings)
            ok &= "1" not in parts or overhead < 0.10
        if "2" in parts:
            for fps in (1000, 60):  # decode-bound; perform's default grid
                ok &= latency_part(args, recordings, fps)
        if "3" in parts:
            flood_part(args, recordings, quiet)
    return 0 if ok else 1


def overhead_part(args, size, recordings):
    """1. the loop against the model alone; the quiet loop run (for 3) and its overhead."""
    alone, loop = [], []
    for _ in range(args.rounds):  # alternate, best of each: other load on the machine hits both alike
        summary, *_, shown = flood_run(args, args.port, recordings, 0)
        loop.append(summary)
        alone.append(decode_rate(args.model, size, shown))
    alone, quiet = max(alone), max(loop, key=lambda s: s.fps)
    frame_ms = 1000 / quiet.fps
    overhead = 1 - quiet.fps / alone  # the measure: the loop's frames/s against the model's own
    idle = 1 - quiet.decode_ms / frame_ms  # stricter: the share of each frame the model is not decoding
    print(f"1. decode alone {alone:.1f} frames/s; headless loop {quiet.fps:.1f} frames/s, best of {args.rounds} "
          f"= {quiet.fps / alone:.2f} of the decode rate: loop overhead {100 * overhead:.1f}% of frame time "
          f"(target < 10%); per frame {frame_ms:.1f} ms, decoding {quiet.decode_ms:.1f} ms: the model idles "
          f"{100 * idle:.1f}% (hand-offs, ticks)")
    return quiet, overhead


def latency_part(args, recordings, fps: int) -> bool:
    """2. OSC send -> first frame showing it, against one frame + the decode time."""
    results, summary = latency_run(args, args.port, recordings, fps)
    if not results:
        print("2. control latency: no keyframe sent was shown")
        return False
    ms = np.array([r[0] for r in results])
    frames = np.array([r[1] for r in results])
    bound = 1000 / summary.fps + summary.decode_ms
    grid = "a display grid finer than the model fills" if fps >= 240 else f"the {fps} fps display grid"
    print(f"2. control latency on {grid}, over {len(results)} OSC sends: {np.median(ms):.1f} ms median, "
          f"{np.percentile(ms, 90):.1f} ms p90, {ms.max():.1f} ms max = {np.median(ms) / bound:.2f} x the target of "
          f"one frame + decode ({bound:.1f} ms: {1000 / summary.fps:.1f} + {summary.decode_ms:.1f}); shown by the "
          f"{_nth(np.median(frames))} frame after the send (median), the {_nth(frames.max())} at worst; "
          f"of which UDP + the OSC process + onto the bus {np.median([r[2] for r in results]):.1f} ms median")
    return True


def flood_part(args, recordings, quiet) -> None:
    """3. frame times quiet, with a 10k msg/s sender sending elsewhere, and sending to us."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sink:  # bound, never read: the kernel drops
        sink.bind(("127.0.0.1", 0))
        elsewhere, *_ = flood_run(args, args.port, recordings, 10_000, flood_port=sink.getsockname()[1])
    flooded, sent, received, applied, _ = flood_run(args, args.port, recordings, 10_000)
    for name, summary in (("quiet", quiet), ("sender busy elsewhere", elsewhere), ("10,000 OSC msgs/s", flooded)):
        p50, p99, worst = frame_stats(summary)
        show_cpu, osc_cpu = summary.cpu
        print(f"3. frame times {name:>21}: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {worst:.1f} ms, "
              f"{summary.fps:.1f} frames/s; CPU per frame {1000 * show_cpu / summary.frames:.2f} ms in the show "
              f"process, OSC process {100 * osc_cpu / summary.seconds:.1f}% of a core")
    print(f"   flood: {sent} messages sent in {args.seconds:.0f} s, {received} received, {applied} applied "
          f"(superseded knob settings coalesced); loop rate flooded / with the same sender "
          f"sending elsewhere = {flooded.fps / elsewhere.fps:.2f} (the sender process itself takes a core: "
          f"{elsewhere.fps / quiet.fps:.2f} of quiet); the flood's CPU (less noisy on a shared machine than "
          f"frames/s): +{1000 * (flooded.cpu[0] / flooded.frames - elsewhere.cpu[0] / elsewhere.frames):.2f} ms "
          f"per frame in the show process, +{100 * (flooded.cpu[1] - elsewhere.cpu[1]) / args.seconds:.1f}% of a "
          f"core in the OSC process")


if __name__ == "__main__":
    raise SystemExit(main())

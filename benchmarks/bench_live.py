"""The live loop against its model, its control latency, and its steadiness under an OSC flood.

    .venv/bin/python benchmarks/bench_live.py [--parts 1,2,3] [--rounds 7] [--seconds 5] [--size 256x256]

In one run, side by side:
  1. decode rate: the generator alone decoding the z's the loop showed (frames/s);
     loop rate: the headless loop (EGL, HUD on, OSC open) on a frame grid finer than the
     model can fill, so it is decode-bound; loop overhead = 1 - loop rate / decode rate
     (target: under 10%), and the share of each frame the model sits idle. Short loop and
     alone runs alternate in pairs, and the median pair counts: other work on a shared
     machine drifts over seconds and slows both of a pair alike. Then where the rest goes:
     the CPU the loop's thread and the GL rasterizer take per frame, and (a diagnostic) the
     same loop with its texture uploads and draws skipped.
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
import contextlib
import glob
import math
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np
from pythonosc.udp_client import SimpleUDPClient

from livelatent.common import values
from livelatent.instrument.actions import make
from livelatent.generators import load
from livelatent.live.draw import Renderer
from livelatent.commands.perform import show_config
from livelatent.live.session import build_session

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
    return build_session(show_config(["--headless", "--model", args.model, "--device", "cpu", "--size", args.size,
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


def gl_threads_cpu() -> dict[str, float]:
    """CPU seconds of each of Mesa's llvmpipe rasterizer threads in this process (Linux; {} elsewhere)."""
    seconds = {}
    for task in glob.glob("/proc/self/task/*/stat"):
        try:
            with open(task) as f:
                stat = f.read()
        except OSError:
            continue  # the thread ended
        if stat[stat.index("(") + 1:stat.rindex(")")].startswith("llvmpipe"):
            fields = stat[stat.rindex(")") + 2:].split()
            seconds[task] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return seconds


@contextlib.contextmanager
def gl_skipped():
    """Diagnostic only: the loop with its texture uploads and draws skipped, to show what
    drawing through a software GL on the model's own CPU cores costs."""
    saved = Renderer.set_image, Renderer.draw
    Renderer.set_image = Renderer.draw = lambda *args, **kwargs: None
    try:
        yield
    finally:
        Renderer.set_image, Renderer.draw = saved


def flood_run(args, port: int, recordings: str, rate: int, flood_port: int | None = None,
              seconds: float | None = None):
    """The loop for args.seconds, moving between slots, while `rate` OSC messages/s are sent
    to it (or to flood_port: the sender's own cost to the machine, without our receiving).
    summary.cpu: CPU seconds of the show process and of its OSC process (the sender's own left out);
    summary.loop_cpu, summary.gl_cpu: of the loop's own thread, and of the GL rasterizer threads."""
    seconds = seconds or args.seconds
    s = session(args, port, recordings)
    shown = []
    s.app.on_frame = lambda k, z, image: shown.append(np.array(z))
    for i in range(math.ceil(seconds)):  # keep the particle travelling, as in a performance
        threading.Timer(i + 0.1, lambda i=i: s.app.bus.put(make("keyframe", 1 + i % 60, source="api"))).start()
    flood = subprocess.Popen([sys.executable, "-c", FLOOD, str(flood_port or port), str(rate), str(seconds)],
                             stdout=subprocess.PIPE, text=True) if rate else None
    before, loop_before, gl_before = os.times(), time.thread_time(), gl_threads_cpu()
    try:
        summary = s.app.run(duration=seconds)
        summary.loop_cpu = time.thread_time() - loop_before
        summary.gl_cpu = sum(v - gl_before.get(k, 0.0) for k, v in gl_threads_cpu().items())
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
    parser.add_argument("--rounds", type=int, default=7, help="paired rounds for 1 (the median counts)")
    parser.add_argument("--round-seconds", type=float, default=2.0, help="each loop run in 1")
    parser.add_argument("--port", type=int, default=9391)
    parser.add_argument("--parts", default="1,2,3", help="which measurements, e.g. 2 for the latency alone")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    w, h = values.size(args.size).wh
    ok = True
    with tempfile.TemporaryDirectory() as recordings:
        if "1" in parts:
            ok &= overhead_part(args, (h, w), recordings) < 0.10
        if "2" in parts:
            for fps in (1000, 60):  # decode-bound; perform's default grid
                ok &= latency_part(args, recordings, fps)
        if "3" in parts:
            flood_part(args, recordings)
    return 0 if ok else 1


def overhead_part(args, size, recordings):
    """1. the loop against the model alone, in paired short rounds (loop, the model alone on the
    z's the loop showed, the loop with GL skipped): the other work on a shared machine drifts
    over seconds and hits each pair alike. Returns the median round's overhead."""
    rounds = []
    for _ in range(args.rounds):
        loop, *_, shown = flood_run(args, args.port, recordings, 0, seconds=args.round_seconds)
        alone = decode_rate(args.model, size, shown)
        with gl_skipped():
            bare = flood_run(args, args.port, recordings, 0, seconds=args.round_seconds)[0]
        rounds.append((loop.fps / alone, bare.fps / alone, loop, alone))
    rounds.sort(key=lambda r: r[0])
    ratio, _, loop, alone = rounds[len(rounds) // 2]  # the median round
    bare = sorted(r[1] for r in rounds)
    frame_ms = 1000 / loop.fps
    idle = 1 - loop.decode_ms / frame_ms  # the share of each frame the model is not decoding
    per_frame = lambda seconds: 1000 * seconds / loop.frames  # noqa: E731
    print(f"1. headless loop against the model alone, median of {len(rounds)} paired rounds of "
          f"{args.round_seconds:g} s: {loop.fps:.1f} vs {alone:.1f} frames/s = {ratio:.2f} of the decode rate "
          f"(rounds {rounds[0][0]:.2f}-{rounds[-1][0]:.2f}): loop overhead {100 * (1 - ratio):.1f}% of frame time "
          f"(target < 10%); per frame {frame_ms:.1f} ms, decoding {loop.decode_ms:.1f} ms: the model idles "
          f"{100 * idle:.1f}% (hand-offs)")
    gl = (f" and Mesa's llvmpipe rasterizer threads ({per_frame(loop.gl_cpu):.2f} ms a frame)" if loop.gl_cpu
          else ", llvmpipe rasterizing in it (LP_NUM_THREADS=0)" if os.environ.get("LP_NUM_THREADS") == "0" else "")
    print(f"   where the rest goes: in the loop the model takes {loop.decode_ms:.1f} ms a frame against "
          f"{1000 / alone:.1f} ms alone, sharing the cores ({os.cpu_count()} here) with the loop's own thread "
          f"({per_frame(loop.loop_cpu):.2f} ms of CPU a frame: ticks, texture upload, draw calls{gl}); the same "
          f"loop with its uploads and draws skipped (diagnostic) reaches {statistics.median(bare):.2f} of the "
          f"decode rate (rounds {bare[0]:.2f}-{bare[-1]:.2f})")
    return 1 - ratio


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


def flood_part(args, recordings) -> None:
    """3. frame times quiet, with a 10k msg/s sender sending elsewhere, and sending to us."""
    quiet = flood_run(args, args.port, recordings, 0)[0]
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

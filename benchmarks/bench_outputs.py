"""What NDI outputs cost the live loop, and how long a frame takes from its decode to a receiver.

    sudo .venv/bin/python benchmarks/bench_outputs.py [--seconds 36] [--period 2] [--size 256x256]

One headless loop (EGL, the default model at the show size, no OSC) with two NDI outputs at
the show size; every --period seconds it switches between no output, one and both on
(/livelatent/output/<name>/enable, as a performer would), so whatever else the machine does
weighs on every phase alike. A receiver process (cyndilib) stays connected to both sources,
so NDI really compresses and sends. Printed: loop frames/s with 0, 1 and 2 outputs, the
ratios 1/0 and 2/0 (target: 1/0 >= 0.95), and the receive latency from the end of a frame's
decode (the sender's time.time() in the frame's metadata) to its arrival at the receiver
(the metadata frame sent right after the video frame), median and p99.

NDI announces itself on the network, so the benchmark runs itself inside a network namespace
with nothing but lo (unshare --net, as root), the receiver finding the sources through NDI's
extra IPs (127.0.0.1). Exit status 1 when the 1-output ratio is below 0.95.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

TARGET = 0.95
PHASES = ((), ("a",), ("a", "b"))  # the outputs on in each phase
RECEIVER = """
import json, sys, time
from cyndilib import Finder, MetadataRecvFrame, Receiver, RecvBandwidth, RecvColorFormat, VideoRecvFrame
from cyndilib.receiver import ReceiveFrameType
finder = Finder(); finder.open()
receivers, latencies, end = {}, [], time.monotonic() + float(sys.argv[2])
while time.monotonic() < end:
    finder.wait_for_sources(0.01)
    for name in finder.get_source_names():
        if name not in receivers:
            r = Receiver(color_format=RecvColorFormat.RGBX_RGBA, bandwidth=RecvBandwidth.highest)
            v, m = VideoRecvFrame(), MetadataRecvFrame()
            r.set_video_frame(v); r.set_metadata_frame(m); r.connect_to(finder.get_source(name))
            receivers[name] = (r, v, m)
    for r, v, m in receivers.values():
        got = r.receive(ReceiveFrameType.recv_video | ReceiveFrameType.recv_metadata, 2)
        if got & ReceiveFrameType.recv_video:
            v.skip_frames(True)
        if got & ReceiveFrameType.recv_metadata and m.get("decoded"):
            latencies.append(time.time() - float(m.get("decoded")))
json.dump({"latencies": latencies, "sources": sorted(receivers)}, open(sys.argv[1], "w"))
"""


def in_namespace() -> bool:
    links = subprocess.run(["ip", "-o", "link"], capture_output=True, text=True).stdout.splitlines()
    return [line.split(":")[1].strip() for line in links] == ["lo"]


def run_show(args, recordings: str) -> dict:
    """Frames/s of each phase, switched every period in one loop."""
    from livelatent.commands.perform import show_config
    from livelatent.instrument.actions import make
    from livelatent.live.session import build_session

    session = build_session(show_config(["--headless", "--osc-port", "0", "--size", args.size, "--no-hud",
                                         "--recordings", recordings, "--output", "ndi:a", "--output", "ndi:b"]))
    app, shown, starts = session.app, [], []
    app.on_frame = lambda k, z, image: shown.append(time.monotonic())
    turns = int(args.seconds / args.period)

    def switch():  # phases 0, 1, 2, 0, 1, 2, ...: output a on in phases 1 and 2, b in 2
        while not shown:
            time.sleep(0.01)
        for i in range(turns):
            time.sleep(max(0.0, shown[0] + i * args.period - time.monotonic()))
            starts.append(time.monotonic())
            for name in ("a", "b"):
                app.bus.put(make("output.enable", name, name in PHASES[i % 3]))

    switcher = threading.Thread(target=switch, daemon=True)
    switcher.start()
    try:
        app.run(duration=turns * args.period + 0.5)
        statuses = app.outputs.statuses()
    finally:
        session.close()
    per_phase = {n: [] for n in range(3)}
    for i, lo in enumerate(starts):
        lo, hi = lo + 0.3, lo + args.period  # 0.3 s to settle
        per_phase[i % 3].append(sum(lo <= t < hi for t in shown) / (hi - lo))
    return {"fps": {n: statistics.median(v) for n, v in per_phase.items()}, "rounds": per_phase,
            "outputs": [(s.name, s.sent, s.dropped) for s in statuses]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=36.0)
    parser.add_argument("--period", type=float, default=2.0)
    parser.add_argument("--size", default="256x256")
    args = parser.parse_args()
    if not in_namespace():
        if os.geteuid() != 0:
            print("bench_outputs: NDI announces itself; run as root so it can run in a namespace with only lo")
            return 2
        script = f"ip link set lo up && exec {sys.executable} {' '.join(map(str, [Path(__file__).resolve(), *sys.argv[1:]]))}"
        return subprocess.call(["unshare", "--net", "sh", "-c", script])
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp, "ndi")
        config.mkdir()
        (config / "ndi-config.v1.json").write_text(json.dumps({"ndi": {"networks": {"ips": "127.0.0.1"}}}))
        os.environ["NDI_CONFIG_DIR"] = str(config)
        receiver = subprocess.Popen([sys.executable, "-c", RECEIVER, f"{tmp}/lat.json", str(args.seconds + 30)])
        result = run_show(args, f"{tmp}/rec")
        receiver.wait()
        received = json.load(open(f"{tmp}/lat.json"))
    fps, lat = result["fps"], sorted(received["latencies"])
    print(f"loop frames/s at {args.size}, median of {len(result['rounds'][0])} rounds of {args.period:g} s: "
          f"no output {fps[0]:.1f}, one NDI output {fps[1]:.1f}, two {fps[2]:.1f}")
    print(f"ratio one/none {fps[1] / fps[0]:.3f} (target >= {TARGET}), two/none {fps[2] / fps[0]:.3f}")
    print("outputs (name, frames sent, dropped): " + ", ".join(map(str, result["outputs"])))
    if lat:
        p99 = lat[min(len(lat) - 1, int(0.99 * len(lat)))]
        print(f"receive latency, decode -> receiver ({len(lat)} frames from {received['sources']}): "
              f"median {1000 * statistics.median(lat):.1f} ms, p99 {1000 * p99:.1f} ms")
    return 0 if fps[1] / fps[0] >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())

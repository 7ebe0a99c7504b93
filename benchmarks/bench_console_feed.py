"""The console process's own CPU, fed by a stand-in show at fixed rates (no show, no model).

    .venv/bin/python benchmarks/bench_console_feed.py [--seconds 8]

bench_console.py measures what the console costs a real show, which other work on the machine
makes swing; this measures the console alone, the same way every run: its window (under a
private Xvfb when there is no DISPLAY, drawn by llvmpipe when there is no GPU) fed through the
real pipe what a show sends: the small picture of a 256x256 show 8 times a second, the frame
rate once a second, and a new ConsoleState 2 times a second (autopilot: the monitor's lines)
or 15 times (a fader streamed over MIDI). Prints the console process's CPU seconds a second
for each feed, and for an idle one (nothing changes).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

from benchmarks.bench_console import _cpu_seconds, a_display  # noqa: E402
from livelatent.live.console.feed import small  # noqa: E402
from livelatent.live.console.link import ConsoleLink  # noqa: E402
from livelatent.live.console.state import PICTURE_BOX, ConsoleState, Knob  # noqa: E402
from livelatent.live.console.thumbnails import SIZE  # noqa: E402

FEEDS = (("idle", 0.0, 0.0), ("picture 8/s, state 2/s", 8.0, 2.0), ("picture 8/s, state 15/s", 8.0, 15.0))


class NoBus:
    def put(self, event) -> None:
        pass


def state(i: int) -> ConsoleState:
    knobs = tuple(Knob(f"motion/k{j}", 0.5, 1.0 + i % 7, 0.1, 40.0, j % 2 == 0) for j in range(5))
    return ConsoleState(labels=("random",) * 64, target=i % 64, current=0, knobs=knobs, mover="geodesic",
                        movers=("geodesic", "linear"), model="default 256x256",
                        monitor=tuple(f"autopilot keyframe.random()  tick {240 * (i + j)}" for j in range(12)))


def feed(link: ConsoleLink, seconds: float, picture_rate: float, state_rate: float) -> float:
    """The console's CPU seconds a second while fed at these rates."""
    rng, pid = np.random.default_rng(0), link._process.pid
    start, cpu0 = time.perf_counter(), _cpu_seconds(pid)
    due = {"picture": start, "state": start, "stats": start}
    n = 0
    while (now := time.perf_counter()) - start < seconds:
        if picture_rate and now >= due["picture"]:
            link.picture(small(rng.integers(0, 255, (256, 256, 3), dtype=np.uint8), PICTURE_BOX))
            due["picture"] += 1 / picture_rate
        if state_rate and now >= due["state"]:
            n += 1
            link.publish(state(n))
            due["state"] += 1 / state_rate
        if picture_rate and now >= due["stats"]:
            link.stats(now - start, 60.0, 7.0)
            due["stats"] += 1.0
        time.sleep(0.002)
    return (_cpu_seconds(pid) - cpu0) / (time.perf_counter() - start)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seconds", type=float, default=8.0)
    args = p.parse_args()
    with a_display():
        link = ConsoleLink(NoBus(), osc_address="127.0.0.1:9331").start()
        try:
            link.publish(state(0))
            for slot in range(64):
                link.thumbnail(slot, np.random.default_rng(slot).integers(0, 255, (SIZE, SIZE, 3), dtype=np.uint8))
            time.sleep(3.0)  # the process starts, the thumbnails arrive
            for name, picture_rate, state_rate in FEEDS:
                print(f"{name:24}: the console's process {feed(link, args.seconds, picture_rate, state_rate):.3f} "
                      f"CPU s/s", flush=True)
        finally:
            link.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

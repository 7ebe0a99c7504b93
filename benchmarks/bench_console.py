"""The output loop's frame rate with the operator console open, against it closed, in one run.

    .venv/bin/python benchmarks/bench_console.py [--pairs 3] [--seconds 6] [--size 256x256]

The show runs in a glfw window (under a private Xvfb when there is no DISPLAY), so on a
machine without a GPU Mesa's llvmpipe draws both windows on the same cores as the model. In
each pair, one show runs with `--no-console` and one with `--console`, in alternating order;
each moves the particle to a new random slot every second (as a performer would) and the
frame rate is counted from its second second on (the console's 64 thumbnails fill in during
the first, between show frames). Prints each pair and the median ratio open / closed
(target: at least 0.9 on 2 CPU cores), and the console process's CPU time per second.
Exit status 1 below the target.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from livelatent.commands.perform import show_config  # noqa: E402
from livelatent.live.session import build_session  # noqa: E402

TARGET = 0.9
SETTLE = 1.0  # seconds not counted at the start of each show


def show_fps(console: bool, seconds: float, size: str) -> tuple[float, float]:
    """(frames per second shown after SETTLE, the console process's CPU seconds per second)."""
    s = build_session(show_config(["--osc-port", "0", "--size", size, "--autopilot", "1", "--seed", "1",
                                   "--console" if console else "--no-console", "--recordings", "/tmp/bench-console"]))
    shown = []
    s.app.on_frame = lambda k, z, image: shown.append(s.app.clock.now())
    try:
        s.app.run(duration=seconds)
        cpu = _cpu_seconds(s.console._process.pid) if console else 0.0
    finally:
        s.close()
    counted = [t for t in shown if t >= SETTLE]
    fps = (len(counted) - 1) / (counted[-1] - counted[0]) if len(counted) > 1 else 0.0
    return fps, cpu / seconds


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def a_display():
    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    from tests.xvfb import running_xvfb

    with running_xvfb(screen="1920x1080x24") as display:
        os.environ["DISPLAY"] = display
        yield display


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--pairs", type=int, default=3)
    p.add_argument("--seconds", type=float, default=6.0)
    p.add_argument("--size", default="256x256")
    args = p.parse_args()
    ratios = []
    with a_display():
        for pair in range(args.pairs):
            order = (False, True) if pair % 2 == 0 else (True, False)
            got = {console: show_fps(console, args.seconds, args.size) for console in order}
            (closed, _), (opened, cpu) = got[False], got[True]
            ratios.append(opened / closed)
            print(f"pair {pair + 1}: closed {closed:.1f} fps, console open {opened:.1f} fps "
                  f"(ratio {opened / closed:.3f}; the console's process used {cpu:.2f} CPU s/s)", flush=True)
    ratio = statistics.median(ratios)
    print(f"output loop with the console open / closed: {ratio:.3f} (median of {len(ratios)} pairs; target >= {TARGET})")
    return 0 if ratio >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())

"""The output loop's frame rate with the operator console open, against it closed, in one run.

    .venv/bin/python benchmarks/bench_console.py [--pairs 3] [--seconds 6] [--size 256x256]

The show runs in a glfw window (under a private Xvfb when there is no DISPLAY), so on a
machine without a GPU Mesa's llvmpipe draws both windows on the same cores as the model. In
each pair, one show runs with `--no-console` and one with `--console`, in alternating order;
each moves the particle to a new random slot every second (as a performer would) and the
frame rate is counted from its second second on (the console's process starts and its 64
thumbnails fill in between show frames during the first, on a quiet machine). Prints each pair,
the console process's CPU time per second while the frames were counted (and before, while it
started), when its thumbnails were all made, the median ratio open / closed (target: at least
0.9 on 2 CPU cores) and the load average before and after (other work on the machine makes
the pairs swing). Exit status 1 below the target.
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


def show_fps(console: bool, seconds: float, size: str) -> dict:
    """The frames per second shown after SETTLE; with the console, its process's CPU seconds per
    second while the frames were counted, its CPU seconds before (starting: Python, ImGui, its
    window, the first drawings), and
    when the last of the 64 thumbnails was made (None: not within the show)."""
    s = build_session(show_config(["--osc-port", "0", "--size", size, "--autopilot", "1", "--seed", "1",
                                   "--console" if console else "--no-console", "--recordings", "/tmp/bench-console"]))
    shown, cpu, filled = [], [], []
    thumbnails = s.app.panels[0].thumbnails if console else None

    def on_frame(k, z, image):
        now = s.app.clock.now()
        shown.append(now)
        if console and now >= SETTLE and not cpu:
            cpu.append((now, _cpu_seconds(s.console._process.pid)))  # once, when counting starts
        if console and not filled and thumbnails.made >= 64:
            filled.append(now)

    s.app.on_frame = on_frame
    try:
        s.app.run(duration=seconds)
        if console:
            cpu.append((s.app.clock.now(), _cpu_seconds(s.console._process.pid)))
    finally:
        s.close()
    counted = [t for t in shown if t >= SETTLE]
    out = {"fps": (len(counted) - 1) / (counted[-1] - counted[0]) if len(counted) > 1 else 0.0}
    if console and len(cpu) == 2:
        (t0, c0), (t1, c1) = cpu
        out.update(cpu=(c1 - c0) / (t1 - t0), start_cpu=c0, filled=filled[0] if filled else None)
    return out


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
    print(f"load average before: {_load()}", flush=True)
    with a_display():
        for pair in range(args.pairs):
            order = (False, True) if pair % 2 == 0 else (True, False)
            got = {console: show_fps(console, args.seconds, args.size) for console in order}
            closed, opened = got[False], got[True]
            ratios.append(opened["fps"] / closed["fps"])
            print(f"pair {pair + 1}: closed {closed['fps']:.1f} fps, console open {opened['fps']:.1f} fps "
                  f"(ratio {ratios[-1]:.3f}); {_console_line(opened)}", flush=True)
    ratio = statistics.median(ratios)
    print(f"output loop with the console open / closed: {ratio:.3f} (median of {len(ratios)} pairs, "
          f"{min(ratios):.3f}-{max(ratios):.3f}; target >= {TARGET}); load average after: {_load()}")
    return 0 if ratio >= TARGET else 1


def _console_line(opened: dict) -> str:
    if "cpu" not in opened:
        return "the console's CPU not measured (no frame counted)"
    filled = "not within the show" if opened["filled"] is None else f"at {opened['filled']:.1f} s"
    return (f"the console's process {opened['cpu']:.3f} CPU s/s while counted (and {opened['start_cpu']:.2f} CPU s "
            f"before, starting), its 64 thumbnails made {filled}")


def _load() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


if __name__ == "__main__":
    sys.exit(main())

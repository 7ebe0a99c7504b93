"""`livelatent takes`: the recorded takes, oldest first, with their length, rate, model and state."""

from __future__ import annotations

import sys

from livelatent.adapters import take_writer, takes
from livelatent.commands import argtypes


def add_arguments(parser) -> None:
    parser.add_argument("--recordings", type=argtypes.folder, default="recordings", metavar="DIR",
                        help="where takes live (default: recordings)")


def state(take: takes.Take) -> str:
    """'complete', or what is still to do and the command that does it."""
    if take_writer.is_abandoned(take):
        return "cut off: run `livelatent recover`"
    if take.status == "recording":
        return "recording now"
    proxy = take.meta.get("proxy", {})
    if proxy.get("state") != "complete":
        held = len(take.proxy_frames_present()) if proxy.get("state") == "partial" else 0
        return f"proxy {held}/{take.rows} frames: run `livelatent proxies {take.name}`"
    return "complete (recovered)" if take.status == "recovered" else "complete"


def run(args) -> int:
    broken = []
    found = takes.list_takes(args.recordings, on_error=broken.append)
    for message in broken:
        print(f"livelatent takes: {message}", file=sys.stderr)
    if not found:
        print(f"no takes in {args.recordings}/")
        return 0
    print(f"{'take':<26} {'duration':>9} {'fps':>10} {'frames':>7}  {'model':<16} state")
    for take in found:
        print(f"{take.name:<26} {take.duration:>8.2f}s {str(take.fps):>10} {take.rows:>7}  "
              f"{str(take.meta.get('model', '?')):<16} {state(take)}")
    return 0

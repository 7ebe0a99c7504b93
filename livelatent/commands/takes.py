"""`livelatent takes`: the recorded takes, oldest first, with their length, rate, model and state."""

from __future__ import annotations

import os
import sys

from livelatent.commands import types
from livelatent.adapters import take_health, take_writer, takes


def add_arguments(parser) -> None:
    parser.add_argument("--recordings", type=types.folder, default="recordings", metavar="DIR",
                        help="where takes live (default: recordings)")


def state(take: takes.Take) -> str:
    """'complete', or what is still to do and the command that does it (as the files have it)."""
    damage = take_health.z_damage(take)
    if damage:
        return f"damaged: {damage}"
    if take_writer.is_abandoned(take):
        return "cut off: run `livelatent recover`" + ("" if writable(take) else " (in a writable copy: read-only here)")
    if take.status == "recording":
        return "recording now"
    if take_health.proxy_gone(take):
        return f"proxy file missing: run `livelatent proxies {take.name}`"
    proxy = take.meta.get("proxy", {})
    if proxy.get("state") != "complete":
        held = len(take.proxy_frames_present()) if proxy.get("state") == "partial" else 0
        return f"proxy {held}/{take.rows} frames: run `livelatent proxies {take.name}`"
    return "complete (recovered)" if take.status == "recovered" else "complete"


def writable(take: takes.Take) -> bool:
    return os.access(take.path, os.W_OK) and not os.statvfs(take.path).f_flag & os.ST_RDONLY


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

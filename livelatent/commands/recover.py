"""`livelatent recover`: finish takes cut off by a crash, kill -9 or power loss.

Each keeps every z row and event flushed before the cut (at most a second is lost); its
proxy is rebuilt from the z-sequence with the take's own model (or --model).
"""

from __future__ import annotations

import sys

from livelatent import values
from livelatent.commands.proxies import add_model_arguments, generator_for


def add_arguments(parser) -> None:
    parser.add_argument("--recordings", type=values.folder, default="recordings", metavar="DIR",
                        help="where takes live (default: recordings)")
    parser.add_argument("--no-proxy", action="store_true", help="recover the z-sequence and events only")
    add_model_arguments(parser)


def run(args) -> int:
    from livelatent.offline.proxy import recover_all

    loader = None if args.no_proxy else (lambda take: generator_for(take, args))
    failures = []
    done = recover_all(args.recordings, loader, failed=failures.append)
    for line in failures:
        print(f"livelatent recover: {line}", file=sys.stderr)
    if not done and not failures:
        print(f"nothing to recover in {args.recordings}/")
    return 1 if failures else 0

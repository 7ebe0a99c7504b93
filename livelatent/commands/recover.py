"""`livelatent recover`: finish takes cut off by a crash, kill -9 or power loss.

Each keeps every z row and event flushed before the cut (at most a second is lost); its
proxy is rebuilt from the z-sequence with the take's own model (or --model).
"""

from __future__ import annotations

import sys

from livelatent.commands import types
from livelatent.commands.model_options import add_model_arguments
from livelatent.commands.proxies import generator_for


def add_arguments(parser) -> None:
    parser.add_argument("--recordings", type=types.folder, default="recordings", metavar="DIR",
                        help="where takes live (default: recordings)")
    parser.add_argument("--no-proxy", action="store_true", help="recover the z-sequence and events only")
    add_model_arguments(parser)


def _proxy_model(take, args):
    """The take's model for its proxy; a model its take.json may not load by itself leaves the
    take recovered (rows and events) and says how to finish the proxy."""
    from livelatent.adapters.takes import TakeError
    from livelatent.errors import ModelError

    try:
        return generator_for(take, args)
    except ModelError as exc:
        raise TakeError(f"{exc}; {take.name} is recovered, its proxy follows with "
                        f"`livelatent proxies {take.name} --model SPEC`") from None


def run(args) -> int:
    from livelatent.offline.proxy import recover_all

    loader = None if args.no_proxy else (lambda take: _proxy_model(take, args))
    failures = []
    done = recover_all(args.recordings, loader, failed=failures.append)
    for line in failures:
        print(f"livelatent recover: {line}", file=sys.stderr)
    if not done and not failures:
        print(f"nothing to recover in {args.recordings}/")
    return 1 if failures else 0

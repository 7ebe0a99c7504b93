"""The flags of keyframe paths, shared by `conform --keyframes` and `path --keys`, and the
lines that report a keyframe path (docs/keyframe-edits.md).

    add_motion_arguments(parser)                 # --settle-time, --damping, ... (both commands)
    params = motion_params(args, "geodesic")     # MotionParams from them, defaults filled in
    print_keyframes(report["keyframes"])
"""

from __future__ import annotations

from livelatent import values
from livelatent.errors import UsageError
from livelatent.keyframes import KEY_SOURCES, PLACES
from livelatent.motion.keyframe_path import KEYFRAME_METHODS
from livelatent.motion.params import MOVERS, MotionParams

MOTION_FLAGS = ("settle_time", "damping", "shell_stiffness", "speed_limit")


def add_motion_arguments(parser) -> None:
    """The movers' parameters (None when not given: motion_params fills in the defaults)."""
    defaults = MotionParams()
    for name in MOTION_FLAGS:
        lo, hi = MotionParams.RANGES[name]
        parser.add_argument(f"--{name.replace('_', '-')}", type=float, default=None,
                            help=f"mover parameter, {lo:g}..{hi:g} (default {getattr(defaults, name):g})")


def motion_params(args, mover: str) -> MotionParams:
    given = {n: getattr(args, n) for n in MOTION_FLAGS if getattr(args, n) is not None}
    return MotionParams(mover, **given)


def add_keyframe_at(parser) -> None:
    parser.add_argument("--keyframe-at", choices=PLACES, default=None,
                        help="where in each clip its keyframe sits: start (default), middle or end")


def add_keyframe_arguments(parser) -> None:
    """conform's keyframe flags: --keyframes METHOD turns the others on."""
    group = parser.add_argument_group("keyframe edits (docs/keyframe-edits.md)")
    group.add_argument("--keyframes", choices=KEYFRAME_METHODS, default=None, metavar="METHOD",
                       help="write one smooth path through keyframes the edit times instead of every frame: "
                            "spline (each keyframe exactly on its frame) or a mover chasing them (geodesic, smooth, spring)")
    add_keyframe_at(group)
    group.add_argument("--keys", choices=KEY_SOURCES, default=None,
                       help="keyframes: one per clip (cuts), one per timeline guide (guides), or both (default)")
    add_motion_arguments(group)
    group.add_argument("--even-speed", action="store_true",
                       help="even the image change per frame between keyframes (decodes with the clips' model)")
    group.add_argument("--oversample", type=values.oversample, default=None,
                       help="--even-speed: dense samples per frame (default 4)")


KEYFRAME_FLAGS = ("keyframe_at", "keys", *MOTION_FLAGS, "even_speed", "oversample")


def keyframe_options(args, load_model):
    """KeyframeOptions from conform's flags; load_model(meta) gives the generator for even speed."""
    from livelatent.offline.keyframe_edit import KeyframeOptions

    if args.keyframes is None:
        refuse_without(args, KEYFRAME_FLAGS, "--keyframes METHOD")
        return None
    if args.oversample is not None and not args.even_speed:
        raise UsageError("--oversample: only with --even-speed")
    mover = args.keyframes if args.keyframes in MOVERS else "geodesic"
    return KeyframeOptions(args.keyframes, at=args.keyframe_at or "start", keys=args.keys or "both",
                           params=motion_params(args, mover), generator_for=load_model if args.even_speed else None,
                           oversample=args.oversample or 4)


def given_keyframe_flags(args, names) -> list[str]:
    """The flags among `names` (dest names) given on the command line."""
    return [f"--{n.replace('_', '-')}" for n in names if getattr(args, n, None) not in (None, False)]


def refuse_without(args, names, needed: str) -> None:
    given = given_keyframe_flags(args, names)
    if given:
        raise UsageError(f"{given[0]}: only with {needed}")


def print_keyframes(summary: dict) -> None:
    kinds = ", ".join(f"{n} {kind}" for kind, n in summary["kinds"].items())
    count = len(summary["pauses"])
    pauses = f", {count} pause{'' if count == 1 else 's'}" if count else ""
    at = f" at each clip's {summary['at']}" if summary.get("at") else ""
    print(f"  keyframes: {summary['count']} ({kinds}){at}{pauses}; "
          f"{summary['method']} path: velocity jump at keyframes {summary['velocity_jump']:.4f} x mean speed, "
          f"shell deviation {summary['shell_deviation']:.3g} spreads")
    if "even_speed" in summary:
        even = summary["even_speed"]
        print(f"  even speed: image-change variation between keyframes {even['before']:.3f} -> {even['after']:.3f}")
    for line in summary.get("notes", []):
        print(f"  note: {line}")

"""`livelatent plot-path`: the picture of a z-sequence's trajectory, with speed and radius.

    livelatent plot-path journey -o journey.png

Each z is a one-pixel vertical slice (time left to right), with the speed and the radius
(against the shell and its spread) drawn under it; keyframes recorded by `livelatent path`
are marked. Prints the motion metrics too.
"""

from __future__ import annotations

from pathlib import Path

from livelatent.commands import types
from livelatent.commands.outputs import add_force_argument, claim


def add_arguments(parser) -> None:
    parser.add_argument("zseq", metavar="ZSEQ", help="a z-sequence pair (NAME.npy + NAME.json)")
    parser.add_argument("-o", "--output", type=types.output, required=True, metavar="PATH.png",
                        help="the PNG to write")
    parser.add_argument("--keys", metavar="I,J,...", help="frames to mark as keyframes (default: from the metadata)")
    parser.add_argument("--radius", type=types.positive, help="shell radius (default: sqrt(d - 1/2))")
    parser.add_argument("--max-rows", type=types.rows, default=512, help="dimensions to show (default 512)")
    add_force_argument(parser)


def run(args) -> int:
    from livelatent.common import zseq
    from livelatent.common.frame_lists import frame_list
    from livelatent.errors import ZSequenceError
    from livelatent.motion.metrics import measure
    from livelatent.adapters.png import write_png
    from livelatent.motion.plot import trajectory_image

    claim([Path(args.output)], force=args.force)
    seq = zseq.load(args.zseq)
    keys = frame_list(args.keys, len(seq), setting="keys") if args.keys else seq.meta.get("keyframe_frames")
    outside = [k for k in keys or () if not 0 <= k < len(seq)]
    if outside:  # the take's own keyframes: its sidecar is wrong
        where = f"{zseq.pair_paths(zseq.resolve(args.zseq))[1]}: keyframe_frames"
        raise ZSequenceError(f"{where}: frame {outside[0]} is outside 0..{len(seq) - 1}")
    fps = float(seq.fps)
    image = trajectory_image(seq.z, fps, keys=keys, radius=args.radius, max_rows=args.max_rows)
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    out = write_png(args.output, image)
    report = measure(seq.z, fps, keys=keys[1:-1] if keys else None, radius=args.radius)
    where = "at keyframes" if keys else "anywhere"
    print(f"{out}: {image.shape[1]}x{image.shape[0]}; velocity jump {where} {report.velocity_jump:.4f} x mean speed, "
          f"shell deviation {report.shell_deviation:.3g} spreads, speed variation {report.speed_variation:.3f}")
    return 0

"""`livelatent replay TAKE -o OUT`: the take's performance re-run, rendered as a new pair.

    livelatent replay take-20261129-104839-123 --fps 60 --size 1024x1024 -o final/take1
    livelatent replay take-20261129-104839-123 --snapshots 'run/*.pkl' -o final/take1-grid
    livelatent replay take-20261129-104839-123 --z-only -o take1-60fps --fps 60

At the take's own fps the z-sequence equals the recorded one bit for bit; at another fps
the same performance is sampled more finely; --size / --model / --snapshots give the
full-quality render of it.
"""

from __future__ import annotations

from livelatent import values
from livelatent.adapters import takes
from livelatent.commands.chunked_options import add_chunked_arguments, finish_chunked, is_chunked, split_image_output
from livelatent.commands.model_options import add_model_arguments
from livelatent.commands.outputs import add_force_argument, claim_pair


def add_arguments(parser) -> None:
    parser.add_argument("take", metavar="TAKE", help="take folder, or its name under --recordings")
    parser.add_argument("-o", "--out", type=values.output, required=True, metavar="OUT",
                        help="output pair: OUT.npy, OUT.json, OUT.mp4")
    parser.add_argument("--fps", type=values.rate, default=None,
                        help="frame rate, e.g. 60 or 30000/1001 (default: the take's)")
    parser.add_argument("--size", type=values.size, default=None, metavar="WxH",
                        help="render size, e.g. 1024 or 1280x720 (default: the take's)")
    parser.add_argument("--recordings", type=values.folder, default="recordings", metavar="DIR",
                        help="where takes live (default: recordings)")
    parser.add_argument("--z-only", action="store_true", help="write the z-sequence pair only, no video")
    add_force_argument(parser)
    add_model_arguments(parser, snapshots=True)
    add_chunked_arguments(parser)


def run(args) -> int:
    from livelatent import zseq
    from livelatent.limits import check_frames
    from livelatent.offline.replay import frames_at, replay_z

    split_image_output(args)
    claim_pair(args.out, force=args.force, video=not args.z_only)
    take = takes.find_take(args.take, args.recordings)
    if take.status == "recording":
        raise takes.TakeError(f"{take.path}: still recording or cut off; run `livelatent recover` first")
    check_frames(frames_at(take, args.fps or take.fps), f"replay of {take.name} at {args.fps or take.fps} fps")
    seq = replay_z(take, args.fps)
    if args.z_only:
        print(f"{zseq.save(seq, args.out)}: {len(seq)} frames at {seq.fps} fps replayed from {take.name}")
        return 0
    from livelatent.commands.options import load_model
    from livelatent.offline.render import render

    choice, generator = load_model(args, seq.meta, where=str(take.path / takes.TAKE_FILE))
    if is_chunked(args):  # --ray or an image sequence
        return finish_chunked(args, seq.with_meta(**choice.meta(generator)), generator)
    render(seq.with_meta(**choice.meta(generator)), generator, args.out, progress=False)
    print(f"{args.out}: {len(seq)} frames at {seq.fps} fps replayed from {take.name} through {choice.spec}")
    return 0

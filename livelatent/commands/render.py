"""`livelatent render ZSEQ -o OUT.mp4`: decode a z-sequence at full quality.

One model (`--model`, default: the one the z-sequence was made with) or a labelled grid of
training snapshots (`--snapshots run/ --grid 7x4`). `--fps` resamples the journey to another
rate (same duration, rows slerped). Writes OUT.mp4 with OUT.npy + OUT.json beside it (the
rows rendered, with the source as parent).
"""

from __future__ import annotations

from dataclasses import replace

from livelatent.commands import types
from livelatent.commands.chunked_options import split_image_output
from livelatent.commands.options import add_model_arguments, add_render_arguments, finish, generator_for
from livelatent.commands.outputs import add_force_argument, claim, claim_pair
from livelatent.errors import UsageError
from livelatent.common.limits import check_frames
from livelatent.common.provenance import parent_of, provenance


def add_arguments(parser) -> None:
    parser.add_argument("zseq", metavar="ZSEQ", help="the z-sequence to render (NAME or NAME.npy)")
    parser.add_argument("-o", "--out", type=types.output, required=True, metavar="OUT",
                        help="output OUT.mp4 (+ OUT.npy, OUT.json); or an image sequence OUT/%%06d.png too")
    add_force_argument(parser)
    add_render_arguments(parser, fps_default=None)
    add_model_arguments(parser, snapshots=True)


def run(args) -> int:
    from livelatent.offline import explore
    from livelatent.common import zseq

    split_image_output(args)  # -o shots/edit/%06d.png: the frames there, the pair as shots/edit
    same_pair = _same_pair(args.zseq, args.out)  # e.g. after a conform: render OUT -o OUT.mp4
    source = zseq.load(args.zseq)
    fps = args.fps or source.fps
    if same_pair and fps != source.fps:
        raise UsageError(f"-o {args.out}: resampling to {fps} fps would overwrite {args.zseq}'s own "
                         "z-sequence; choose another -o")
    if same_pair:  # the video only: the pair itself is the input, written back as it is
        claim([zseq.pair_paths(args.out)[2]], force=args.force)
    else:
        claim_pair(args.out, force=args.force)
    check_frames(explore.resampled_length(len(source), source.fps, fps), f"--fps {fps}")
    choice, generator = generator_for(source, args.zseq, args)
    if same_pair:  # keeps its id and rows; its provenance says what drew the video now
        return finish(args, source.with_meta(**choice.meta(generator)), generator)
    if fps != source.fps:
        choice = replace(choice, track=choice.track.resampled(source.fps.value, fps.value))
    meta = provenance("render", parents=[parent_of(source.meta, args.zseq)], model=choice.meta(generator),
                      inherited=source.meta)
    return finish(args, zseq.ZSequence(explore.resample(source.z, source.fps, fps), fps, meta), generator)


def _same_pair(zseq_arg: str, out: str) -> bool:
    from livelatent.common import zseq

    return zseq.pair_paths(zseq.resolve(zseq_arg))[0].resolve() == zseq.pair_paths(out)[0].resolve()

"""`livelatent render ZSEQ -o OUT.mp4`: decode a z-sequence at full quality.

One model (`--model`, default: the one the z-sequence was made with) or a labelled grid of
training snapshots (`--snapshots run/ --grid 7x4`). `--fps` resamples the journey to another
rate (same duration, rows slerped). Writes OUT.mp4 with OUT.npy + OUT.json beside it (the
rows rendered, with the source as parent).
"""

from __future__ import annotations

from livelatent.commands.options import add_model_arguments, add_render_arguments, finish, load_input
from livelatent.errors import UsageError


def add_arguments(parser) -> None:
    parser.add_argument("zseq", metavar="ZSEQ", help="the z-sequence to render (NAME or NAME.npy)")
    parser.add_argument("-o", "--out", required=True, metavar="OUT", help="output OUT.mp4 (+ OUT.npy, OUT.json)")
    add_render_arguments(parser, fps_default=None)
    add_model_arguments(parser, snapshots=True)


def run(args) -> int:
    from livelatent import explore, zseq
    from livelatent.frames import FrameRate

    source, choice, generator = load_input(args.zseq, args)
    fps = FrameRate.parse(args.fps) if args.fps else source.fps
    if _same_pair(args.zseq, args.out):  # e.g. after a conform: render OUT -o OUT.mp4
        if fps != source.fps:
            raise UsageError(f"-o {args.out}: resampling to {fps} fps would overwrite {args.zseq}'s own "
                             "z-sequence; choose another -o")
        return finish(args, source.with_meta(**choice.meta(generator)), generator)  # keeps its id and rows
    inherited = {k: v for k, v in source.meta.items()
                 if k not in ("id", "created", "interrupted", "snapshot_labels", "picture_changes")}  # its own
    if fps != source.fps:
        choice.track = choice.track.resampled(source.fps.value, fps.value)
    meta = {**inherited, "made_by": "render", **choice.meta(generator),
            "parents": [source.meta.get("id", str(args.zseq))]}
    return finish(args, zseq.ZSequence(explore.resample(source.z, source.fps, fps), fps, meta), generator)


def _same_pair(zseq_arg: str, out: str) -> bool:
    from livelatent import zseq

    return zseq.pair_paths(zseq.resolve(zseq_arg))[0].resolve() == zseq.pair_paths(out)[0].resolve()

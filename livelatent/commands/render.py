"""`livelatent render ZSEQ -o OUT.mp4`: decode a z-sequence at full quality.

One model (`--model`, default: the one the z-sequence was made with) or a labelled grid of
training snapshots (`--snapshots run/ --grid 7x4`). `--fps` resamples the journey to another
rate (same duration, rows slerped). Writes OUT.mp4 with OUT.npy + OUT.json beside it (the
rows rendered, with the source as parent).
"""

from __future__ import annotations

from livelatent.commands.options import add_model_arguments, add_render_arguments, finish, load_input, model_meta


def add_arguments(parser) -> None:
    parser.add_argument("zseq", metavar="ZSEQ", help="the z-sequence to render (NAME or NAME.npy)")
    parser.add_argument("-o", "--out", required=True, metavar="OUT", help="output OUT.mp4 (+ OUT.npy, OUT.json)")
    add_render_arguments(parser, fps_default=None)
    add_model_arguments(parser, snapshots=True)


def run(args) -> int:
    from livelatent import explore, zseq
    from livelatent.frames import FrameRate

    source, generator = load_input(args.zseq, args)
    fps = FrameRate.parse(args.fps) if args.fps else source.fps
    inherited = {k: v for k, v in source.meta.items()
                 if k not in ("id", "created", "interrupted", "snapshot_labels")}  # this render's own
    meta = {**inherited, "made_by": "render", **model_meta(args, generator, source.meta.get("model")),
            "parents": [source.meta.get("id", str(args.zseq))]}
    return finish(args, zseq.ZSequence(explore.resample(source.z, source.fps, fps), fps, meta), generator)

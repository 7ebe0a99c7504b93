"""`livelatent render ZSEQ -o OUT.mp4`: decode a z-sequence at full quality.

One model (`--model`, default: the one the z-sequence was made with) or a labelled grid of
training snapshots (`--snapshots run/ --grid 7x4`). `--fps` resamples the journey to another
rate (same duration, rows slerped). Writes OUT.mp4 with OUT.npy + OUT.json beside it (the
rows rendered, with the source as parent).
"""

from __future__ import annotations

from livelatent.commands.options import add_model_arguments, add_render_arguments, finish, load_input, model_spec


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
    meta = {**source.meta, "made_by": "render", "model": model_spec(args, source.meta.get("model")),
            "model_label": generator.label, "parents": [source.meta.get("id", str(args.zseq))]}
    for key in ("id", "created", "interrupted"):  # this render's own, set when written
        meta.pop(key, None)
    return finish(args, zseq.ZSequence(explore.resample(source.z, source.fps, fps), fps, meta), generator)

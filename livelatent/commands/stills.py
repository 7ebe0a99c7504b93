"""`livelatent stills ZSEQ --frames 3,8,12 -o DIR`: PNG stills of chosen frames (or --all).

    livelatent stills explore/reel --frames 12,40,77 -o stills
    livelatent stills explore/j1/journey-000 --all --size 512 -o stills/j1

Each still's PNG text chunks carry the z-sequence's id and the frame number, so an image clip
cut from it in Kdenlive conforms to that z for as long as the clip lasts.
"""

from __future__ import annotations

from pathlib import Path

from livelatent.commands import types
from livelatent.commands.options import add_model_arguments, generator_for
from livelatent.commands.outputs import add_force_argument, claim


def add_arguments(parser) -> None:
    parser.add_argument("zseq", metavar="ZSEQ", help="the z-sequence (NAME or NAME.npy, or a take folder)")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--frames", metavar="LIST", help="frame numbers, e.g. 3,8,12-20")
    which.add_argument("--all", action="store_true", help="every frame")
    parser.add_argument("-o", "--out", type=types.output, required=True, metavar="DIR",
                        help="folder for the PNG stills")
    parser.add_argument("--size", type=types.size, default=None, metavar="WxH",
                        help="still size, e.g. 512 or 1280x720")
    parser.add_argument("--batch", type=types.batch, default=16, help="frames decoded at once (default 16)")
    add_force_argument(parser)
    add_model_arguments(parser)


def run(args) -> int:
    from livelatent.common import zseq
    from livelatent.common.frame_lists import frame_list
    from livelatent.offline.stills import still_name, write_stills

    seq = zseq.load(args.zseq)
    frames = list(range(len(seq))) if args.all else frame_list(args.frames, len(seq), setting="frames")
    stem = zseq.resolve(args.zseq)
    npy = zseq.pair_paths(stem)[0]
    claim([Path(args.out) / still_name(npy.stem, f) for f in frames], force=args.force)
    choice, generator = generator_for(seq, args.zseq, args)
    written = write_stills(seq.with_meta(**choice.meta(generator)), generator, frames, args.out, stem=npy.stem, pair=str(npy.with_suffix("").resolve()),
                           size=args.size.hw if args.size else None, batch=args.batch)
    print(f"wrote {len(written)} stills to {args.out} ({written[0].name} .. {written[-1].name})")
    return 0

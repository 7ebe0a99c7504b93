"""`livelatent samples -n N --seed S -o OUT`: a reel of N unrelated random samples.

One image per frame: watch the reel, note the frame numbers you like, and take them to
`livelatent journeys OUT --pick 12,40,77`. Writes OUT.npy, OUT.json and OUT.mp4.
"""

from __future__ import annotations

from livelatent.commands import types
from livelatent.commands.options import add_model_arguments, add_render_arguments, finish, load_model
from livelatent.commands.outputs import add_force_argument, claim_pair


def add_arguments(parser) -> None:
    parser.add_argument("-n", type=types.frames, default=100, help="number of samples (frames), default 100")
    parser.add_argument("--seed", type=types.seed, default=0, help="random seed (default 0)")
    parser.add_argument("-o", "--out", type=types.output, required=True, metavar="OUT",
                        help="output pair OUT.npy / OUT.json / OUT.mp4")
    add_force_argument(parser)
    add_render_arguments(parser, fps_default="30")
    add_model_arguments(parser)


def run(args) -> int:
    from livelatent.offline.explore import sample_reel
    from livelatent.common.provenance import provenance
    from livelatent.common.zseq import ZSequence

    claim_pair(args.out, force=args.force)
    choice, generator = load_model(args)
    z = sample_reel(args.n, generator.z_dim, args.seed)
    meta = provenance("samples", model=choice.meta(generator), seed=args.seed)
    return finish(args, ZSequence(z, args.fps, meta), generator)

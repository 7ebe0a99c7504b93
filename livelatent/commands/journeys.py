"""`livelatent journeys ZSEQ -n K --keys 2|3 -o OUTDIR`: short journeys between picked frames.

Each journey passes smoothly through 2 or 3 frames of ZSEQ (random, or `--pick 12,40,77`;
several journeys with `--pick 3,9;12,40`), each its own pair OUTDIR/journey-NNN.{npy,json,mp4}.
`--noise A` (0..1) moves the chosen frames into their neighbourhood, kept on the distribution;
with one picked frame and --noise, a journey goes from that frame to a neighbour of it.
Interpolation is the motion engine's spherical spline unless --interp says otherwise.
"""

from __future__ import annotations

from pathlib import Path

from livelatent.commands import types
from livelatent.commands.options import add_model_arguments, add_render_arguments, finish, generator_for
from livelatent.commands.outputs import add_force_argument, claim_journeys
from livelatent.errors import UsageError
from livelatent.common.frame_lists import frame_groups
from livelatent.common.limits import MAX_JOURNEYS
from livelatent.common.provenance import parent_of, provenance
from livelatent.motion.paths import METHODS as INTERPOLATORS


def add_arguments(parser) -> None:
    parser.add_argument("zseq", metavar="ZSEQ", help="the z-sequence to pick frames from (NAME or NAME.npy)")
    parser.add_argument("-n", type=types.journeys, default=4, help="number of journeys (default 4; ignored with --pick)")
    parser.add_argument("--keys", type=int, default=2, choices=(1, 2, 3), help="frames per journey (default 2)")
    parser.add_argument("--frames", type=types.journey_frames, default=120, help="frames per journey (default 120)")
    parser.add_argument("--pick", default=None, help="frame numbers: 12,40,77 (several journeys: 3,9;12,40)")
    parser.add_argument("--noise", type=types.unit, default=0.0, help="neighbourhood noise 0..1 around the picks")
    parser.add_argument("--interp", default="spline", choices=INTERPOLATORS,
                        help="spline (default), slerp, lerp, geodesic, smooth, spring")
    parser.add_argument("--seed", type=types.seed, default=0, help="random seed for picks and noise (default 0)")
    parser.add_argument("-o", "--out", type=types.output, required=True, metavar="OUTDIR",
                        help="folder for journey-NNN pairs")
    add_force_argument(parser, "replace the journeys already in OUTDIR (all of them: none is left mixed in)")
    add_render_arguments(parser, fps_default=None)
    add_model_arguments(parser)


def run(args) -> int:
    from dataclasses import replace

    from livelatent.offline import explore

    from livelatent.common import zseq
    from livelatent.common.picture import PictureTrack

    stale = claim_journeys(Path(args.out), force=args.force)
    source = zseq.load(args.zseq)
    fps = args.fps or source.fps
    picks = (frame_groups(args.pick, len(source), setting="pick") if args.pick
             else explore.journey_picks(len(source), count=args.n, keys=args.keys, seed=args.seed))
    if len(picks) > MAX_JOURNEYS:
        raise UsageError(f"--pick: {len(picks)} journeys; at most {MAX_JOURNEYS} go in one folder")
    choice, generator = generator_for(source, args.zseq, args)
    for path in stale:
        path.unlink(missing_ok=True)
    status = 0
    for i, frames in enumerate(picks):
        keys = explore.journey_keyframes(source.z, frames, noise=args.noise, seed=args.seed, journey=i)
        z = explore.journey(keys, frames=args.frames, fps=fps, interp=args.interp)
        # a journey is drawn as its first picked frame was (psi, class, ... may change along a take)
        drawn = replace(choice, track=PictureTrack(choice.track.at(frames[0])))
        meta = provenance("journey", parents=[parent_of(source.meta, args.zseq)], model=drawn.meta(generator),
                          picked_frames=frames, noise=args.noise, interp=args.interp, seed=args.seed)
        status = finish(args, zseq.ZSequence(z, fps, meta), generator, out=Path(args.out) / f"journey-{i:03d}")
        if status:
            break
    return status

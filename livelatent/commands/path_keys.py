"""`livelatent path ZSEQ --keys cuts|guides|both|recorded`: a conformed or recorded z-sequence
re-timed through keyframes on its own frames (docs/keyframe-edits.md).

    livelatent path final/edit --keys cuts --keyframe-at middle -o final/edit-smooth
    livelatent path recordings/take-X --keys guides --edit edit.kdenlive -o final/take-smooth
    livelatent path final/edit-smooth --keys recorded --method geodesic --settle-time 1 -o final/walk

The output has the z-sequence's frames and rate, and records its keyframes in its sidecar.
"""

from __future__ import annotations

from livelatent.commands.keyframe_options import motion_params, print_keyframes
from livelatent.commands.outputs import claim_pair
from livelatent.errors import UsageError
from livelatent.common.limits import check_frames
from livelatent.common.provenance import parent_of, provenance
from livelatent.motion.keyframe_path import KEYFRAME_METHODS
from livelatent.motion.params import MOVERS

NOT_WITH_KEYS = {"pick": "--pick", "times": "--times", "durations": "--durations", "fps": "--fps"}


def run_keys(args) -> int:
    from livelatent.common import zseq
    from livelatent.offline.keyframe_edit import KeyframeOptions, edit_guides, keyframe_retime

    _check(args)
    claim_pair(args.output, force=args.force, video=False)
    seq = zseq.load(args.source)
    if args.even_speed:
        check_frames(len(seq) * args.oversample, "--oversample")
    guides = edit_guides(args.edit, seq.fps.value) if args.edit else ()
    options = KeyframeOptions(args.method, at=args.keyframe_at or "start",
                              params=motion_params(args, args.method if args.method in MOVERS else "geodesic"),
                              generator_for=_generator(args) if args.even_speed else None, oversample=args.oversample)
    where = str(zseq.pair_paths(zseq.resolve(args.source))[1])
    out, summary = keyframe_retime(seq, options, keys=args.keys, guides=guides, where=where)
    npy = zseq.save(out.with_meta(**provenance("path", parents=[parent_of(seq.meta, args.source)])), args.output)
    print(f"{npy}: {len(out)} frames at {out.fps} fps through the keyframes of {args.source} (--keys {args.keys})")
    print_keyframes(summary)
    return 0


def _check(args) -> None:
    given = [flag for name, flag in NOT_WITH_KEYS.items() if getattr(args, name) is not None]
    if given:
        raise UsageError(f"{given[0]}: not with --keys (the keyframes keep their frames in the z-sequence)")
    if args.method not in KEYFRAME_METHODS:
        raise UsageError(f"--method {args.method}: with --keys, expected one of {', '.join(KEYFRAME_METHODS)}")
    if args.keys in ("guides", "both") and not args.edit:
        raise UsageError(f"--keys {args.keys}: expected --edit EDIT, the edit whose guides are keyframes")
    if args.edit and args.keys not in ("guides", "both"):
        raise UsageError("--edit: only with --keys guides or --keys both")


def _generator(args):
    def load_for(meta: dict):
        from livelatent.generators import load

        return load(args.model)
    return load_for

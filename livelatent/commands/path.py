"""`livelatent path`: a z-sequence through keyframes, with any mover or interpolator.

    livelatent path take.npy --pick 0,120,300 --durations 4 --fps 30 -o journey
    livelatent path keys.npy --times 0,2,5,6 --method geodesic --settle-time 1 -o walk
    livelatent path keys.npy --durations 3 --even-speed --model default -o even
    livelatent path final/edit --keys cuts -o final/edit-smooth       # re-time a conformed edit
    livelatent path final/edit-smooth --keys recorded --method spring -o final/edit-spring

SOURCE is a z-sequence pair (NAME.npy + NAME.json; --pick chooses frames) or a plain
(k, d) array of keyframes in a .npy file (--pick chooses rows; all rows by default). With
--keys the keyframes are rows of the z-sequence, on their own frames (docs/keyframe-edits.md).
Writes OUT.npy + OUT.json; render the video with `livelatent render OUT`.
"""

from __future__ import annotations

import math

import numpy as np

from livelatent.commands import types
from livelatent.common.arrayfile import read_npy
from livelatent.commands.keyframe_options import add_keyframe_at, add_motion_arguments, motion_params, refuse_without
from livelatent.commands.outputs import add_force_argument, claim_pair
from livelatent.errors import UsageError, ZSequenceError
from livelatent.common.rates import FrameRate
from livelatent.common.frame_lists import frame_list
from livelatent.common.latent import check_z
from livelatent.common.limits import check_frames
from livelatent.common.provenance import parent_of, provenance
from livelatent.motion.params import MOVERS


KEYS = ("cuts", "guides", "both", "recorded")


def add_arguments(parser) -> None:
    from livelatent.motion.paths import METHODS

    parser.add_argument("source", metavar="KEYS.npy|ZSEQ", help="keyframes (k, d) .npy, or a z-sequence to pick frames from")
    parser.add_argument("--pick", metavar="I,J,...", help="frames (z-sequence) or rows (.npy) to use as keyframes")
    timing = parser.add_mutually_exclusive_group()
    timing.add_argument("--durations", default=None, metavar="S[,S...]",
                        help="seconds per segment: one value for all, or one per segment (default 2)")
    timing.add_argument("--times", metavar="T,T,...", help="the time of each keyframe in seconds, increasing")
    parser.add_argument("--fps", type=types.rate, default=None, help="frame rate of the output, e.g. 30, 25, 30000/1001 (default 30)")
    parser.add_argument("--method", "--interp", default="spline", choices=METHODS,
                        help="spline (default: hits every keyframe on time), a mover, or slerp / lerp")
    add_motion_arguments(parser)
    parser.add_argument("--keys", choices=KEYS, default=None,
                        help="keyframes on the z-sequence's own frames instead of --pick: where z jumps (cuts), "
                             "at the guides of --edit, both, or those its sidecar records (recorded)")
    parser.add_argument("--edit", type=types.input_path, metavar="EDIT", default=None,
                        help="--keys guides / both: the edit whose guides (timeline markers) are keyframes")
    add_keyframe_at(parser)
    parser.add_argument("--even-speed", action="store_true", help="retime so the image changes evenly (needs --model)")
    parser.add_argument("--model", default="default", help="generator used by --even-speed (default: default)")
    parser.add_argument("--oversample", type=types.oversample, default=4,
                        help="--even-speed: dense samples per frame (default 4)")
    parser.add_argument("-o", "--output", type=types.output, required=True, metavar="OUT",
                        help="writes OUT.npy + OUT.json")
    add_force_argument(parser)


def run(args) -> int:
    from livelatent.common import zseq
    from livelatent.motion.metrics import measure
    from livelatent.motion.paths import build_path, frame_count, keyframe_frames, keyframe_times

    if args.keys:
        from livelatent.commands.path_keys import run_keys

        return run_keys(args)
    refuse_without(args, ("edit", "keyframe_at"), "--keys")
    claim_pair(args.output, force=args.force, video=False)
    keys, parents = load_keyframes(args.source, args.pick)
    timing = _numbers(args.times, "--times") if args.times else _numbers(args.durations or "2", "--durations")
    if len(timing) == 1 and not args.times:
        timing = timing[0]
    fps = args.fps or FrameRate(30)
    mover = args.method if args.method in MOVERS else "geodesic"
    params = motion_params(args, mover)
    times = keyframe_times(len(keys), timing)
    dense = args.oversample if args.even_speed else 1
    check_frames(frame_count(times, fps) * dense, "--times" if args.times else "--durations")
    z = build_path(keys, timing, fps, args.method, params)
    meta = provenance("path", parents=parents, method=args.method, keyframe_frames=keyframe_frames(times, fps),
                      keyframe_times=[str(t) for t in times])
    if args.method in MOVERS:
        meta["motion"] = {n: getattr(params, n) for n in ("mover", "settle_time", "damping", "shell_stiffness", "speed_limit")}
    if args.even_speed:
        z, meta["even_speed"] = _even_speed(keys, timing, fps, args, params, len(z))
        # retiming moves the keyframes: mark the frames that now come nearest to them
        meta["keyframe_frames"] = [int(np.argmin(np.linalg.norm(z - k, axis=1))) for k in keys]
    npy = zseq.save(zseq.ZSequence(z.astype(np.float32), fps, meta), args.output)
    if len(keys) > 1 and not np.ptp(keys, axis=0).any():  # speed is round-off: its ratios mean nothing
        print(f"{npy}: {len(z)} frames at {fps} fps standing still: the {len(keys)} keyframes are one and "
              f"the same z (frames of a take that did not move?)")
        return 0
    report = measure(z, float(fps), keys=meta["keyframe_frames"][1:-1])
    print(f"{npy}: {len(z)} frames at {fps} fps, {args.method}; velocity jump at keyframes "
          f"{report.velocity_jump:.4f} x mean speed, shell deviation {report.shell_deviation:.3g} spreads")
    if args.even_speed:
        es = meta["even_speed"]
        print(f"even speed ({args.model}): image-change variation {es['before']:.3f} -> {es['after']:.3f}")
    return 0


def load_keyframes(source: str, pick: str | None) -> tuple[np.ndarray, list[str]]:
    """Keyframes (k, d) float64 and the parent ids, from a z-sequence or a plain .npy array."""
    from livelatent.common import zseq

    npy, js, _ = zseq.pair_paths(zseq.resolve(source))
    if js.exists():
        seq = zseq.load(source)
        rows, parents = seq.z, [parent_of(seq.meta, source)]
    else:
        rows, parents = read_npy(npy, ZSequenceError, what="keyframes (k, d) .npy array or a z-sequence pair"), []
    rows = np.asarray(rows, dtype=np.float64)
    if rows.ndim != 2:
        raise ZSequenceError(f"{npy}: expected keyframes of shape (k, d), got shape {rows.shape}")
    check_z(rows, what=str(npy))
    if pick is None:
        return rows, parents
    return rows[frame_list(pick, len(rows), setting="pick")], parents


def _numbers(text: str, what: str) -> list[float]:
    try:
        values = [float(v) for v in str(text).split(",") if v.strip()]
    except ValueError:
        values = [math.nan]
    if not all(map(math.isfinite, values)):
        raise UsageError(f"{what} {text!r}: expected comma-separated numbers such as 0,2.5,4")
    if not values:
        raise UsageError(f"{what}: expected at least one number")
    return values


def _even_speed(keys, timing, fps, args, params, n_frames):
    from livelatent.generators import load
    from livelatent.motion.evenspeed import even_speed
    from livelatent.motion.paths import build_path

    if args.oversample < 2:
        raise UsageError(f"--oversample {args.oversample}: expected 2 or more dense samples per frame")
    dense = build_path(keys, timing, FrameRate(fps.value * args.oversample), args.method, params)
    dense = dense[:(n_frames - 1) * args.oversample + 1]  # the last frame may not end on a whole frame
    result = even_speed(dense, load(args.model), n_frames, oversample=args.oversample)
    return result.z, {"model": args.model, "before": result.variation_before, "after": result.variation_after}

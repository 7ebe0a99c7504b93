"""Keyframe paths side by side: the spline through an edit's keyframes, the same path evened
per segment (conform --keyframes spline --even-speed), and evened as a whole (what
`--even-speed` did before keyframes kept their times).

    .venv/bin/python benchmarks/bench_keyframes.py [--seeds 3] [--fps 25]

Two slideshow timelines (stills of a reel at uneven cuts, default model, d = 512): "cuts" has
a keyframe at every cut; "guide+gap" adds a guide inside a long still (a hold) and a gap (a
pause). Printed per path: velocity jump at the keyframes (max |v_after - v_before| / mean
speed; where the path comes nearest each keyframe), the same anywhere on the path, shell
deviation (spreads), how far the path is from each keyframe on its frame, image-change
variation within the segments between keyframes that move (std / mean, holds left out) and
over the whole path, and the seconds it took; then the ratios. Exit status 1 when the
per-segment path misses a keyframe or its velocity jump at keyframes exceeds 0.05.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from livelatent.generators import load
from livelatent.latent import sample
from livelatent.motion.even_keyframes import even_keyframes, segment_variation
from livelatent.motion.evenspeed import decode_all, even_speed
from livelatent.motion.keyframe_path import KeyframePath
from livelatent.motion.metrics import image_steps, measure, variation

# (keyframe frames at 25 fps, timeline length, pauses); equal keys marks a guide inside a still
TIMELINES = {
    "cuts": ([0, 30, 100, 120, 165, 190], 250, [], ()),
    "guide+gap": ([0, 30, 70, 115, 160, 185], 245, [(100, 114)], (1, 2)),
}


def paths(name: str, seed: int, generator, fps: int):
    frames, length, pauses, same = TIMELINES[name]
    keys = sample(len(frames), 512, seed).astype(np.float64)
    if same:
        keys[same[1]] = keys[same[0]]
    path = KeyframePath(keys, frames, length, fps, pauses=pauses)
    makers = {"spline": path.sample,
              "even per segment": lambda: even_keyframes(path, generator, oversample=4).z,
              "even as a whole": lambda: even_speed(path.dense(4), generator, length, oversample=4).z}
    return path, keys, frames, {label: timed(make) for label, make in makers.items()}


def timed(make):
    start = time.perf_counter()
    z = make()
    return z, time.perf_counter() - start


def figures(path, keys, frames, z, fps, generator) -> dict:
    """The velocity jump is measured where the path comes nearest each keyframe (on its own
    frame, except for the whole-path retiming, which moves them); the miss on its frame."""
    change = image_steps(decode_all(z, generator))
    nearest = [int(np.argmin(np.linalg.norm(z - k, axis=1))) for k in keys]
    motion = measure(z, fps, keys=nearest)
    return {"jump": motion.velocity_jump, "anywhere": measure(z, fps).velocity_jump,
            "shell": motion.shell_deviation, "miss": float(np.abs(z[frames] - keys).max()),
            "within": segment_variation(change, path.anchors), "whole": variation(change)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--fps", type=int, default=25)
    args = parser.parse_args()
    generator = load("default", device="cpu")
    ok = True
    rows: dict[tuple[str, str], list[dict]] = {}
    for name in TIMELINES:
        for seed in range(args.seeds):
            path, keys, frames, out = paths(name, seed, generator, args.fps)
            for label, (z, seconds) in out.items():
                f = {**figures(path, keys, frames, z, args.fps, generator), "seconds": seconds}
                rows.setdefault((name, label), []).append(f)
                if label == "even per segment":
                    ok &= f["miss"] == 0.0 and f["jump"] <= 0.05
    print(f"median over {args.seeds} seeds, default model, d=512, {args.fps} fps")
    print(f"{'timeline':<10} {'path':<17} {'v-jump@keys':>11} {'anywhere':>9} {'shell dev':>9} {'key miss':>9} "
          f"{'var within':>10} {'var whole':>9} {'seconds':>8}")
    medians = {}
    for (name, label), found in rows.items():
        m = {k: float(np.median([f[k] for f in found])) for k in found[0]}
        medians[(name, label)] = m
        print(f"{name:<10} {label:<17} {m['jump']:11.4f} {m['anywhere']:9.3f} {m['shell']:9.3g} {m['miss']:9.3g} "
              f"{m['within']:10.3f} {m['whole']:9.3f} {m['seconds']:8.2f}")
    print("\nratios (median figures)")
    for name in TIMELINES:
        plain, ours, whole = (medians[(name, label)] for label in ("spline", "even per segment", "even as a whole"))
        print(f"{name:<10} velocity jump at keys: per segment / spline {ours['jump'] / plain['jump']:.1f}x, "
              f"as a whole / per segment {whole['jump'] / ours['jump']:.1f}x; variation within segments: "
              f"spline / per segment {plain['within'] / ours['within']:.1f}x")
    print("\nall requirements met" if ok else "\nSOME REQUIREMENTS FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

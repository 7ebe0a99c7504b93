"""Motion engine side by side: notches, jerk and the shell for every method; the cost of a tick.

    .venv/bin/python benchmarks/bench_motion.py [--keys 9] [--seconds 2] [--seed 0]

The same random keyframes (d = 512) are joined at 60 fps by lerp, slerp, the spring + shell
particle, the geodesic follower, the two-stage follower and the spline. Printed per method:
velocity jump at the keyframes (max |v_after - v_before| / mean speed) and its ratio to
slerp's (the followers and the spline must be >= 10x smaller), acceleration jump, RMS and
dimensionless jerk, worst shell deviation in spreads (must be < 3; the geodesic movers 0),
speed variation and mean closest approach to the keyframes. Then the cost of one tick at
d = 512 and d = 8192 against a plain numpy vector add of the same size. Exit status 1 when a
requirement fails.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from livelatent.common.latent import sample
from livelatent.motion import MotionParams, make_mover
from livelatent.motion.metrics import measure
from livelatent.motion.paths import build_path, keyframe_frames, keyframe_times

METHODS = ("lerp", "slerp", "spring", "geodesic", "smooth", "spline")
SMOOTH = ("spring", "geodesic", "smooth", "spline")
FPS = 60


def motion_table(n_keys: int, seconds: float, seed: int) -> bool:
    keys = sample(n_keys, 512, seed).astype(np.float64)
    key_frames = keyframe_frames(keyframe_times(n_keys, seconds), FPS)[1:-1]
    reports = {m: measure(build_path(keys, seconds, FPS, m), FPS, keys=key_frames, keyframes=keys) for m in METHODS}
    slerp_jump = reports["slerp"].velocity_jump
    print(f"{n_keys} random keyframes, d=512, {seconds:g} s apart, {FPS} fps (seed {seed})")
    print(f"{'method':<9} {'v-jump':>8} {'slerp/x':>8} {'a-jump':>8} {'rms jerk':>9} {'dimless jerk':>12} "
          f"{'shell dev':>9} {'speed var':>9} {'approach':>8}")
    ok = True
    for m, r in reports.items():
        ratio = slerp_jump / r.velocity_jump if r.velocity_jump > 0 else float("inf")
        print(f"{m:<9} {r.velocity_jump:8.4f} {ratio:7.1f}x {r.acceleration_jump:8.3f} {r.rms_jerk:9.1f} "
              f"{r.dimensionless_jerk:12.3g} {r.shell_deviation:9.3g} {r.speed_variation:9.3f} "
              f"{np.mean(r.closest_approach):8.3f}")
        if m in SMOOTH:
            ok &= _check(f"{m}: velocity jump {ratio:.1f}x smaller than slerp's", ratio >= 10)
            ok &= _check(f"{m}: shell deviation {r.shell_deviation:.3g} spreads < 3", r.shell_deviation < 3)
        if m in ("geodesic", "smooth"):
            ok &= _check(f"{m}: exactly on the shell", r.shell_deviation < 1e-9)
    return ok


def _check(what: str, passed: bool) -> bool:
    if not passed:
        print(f"  FAIL {what}")
    return passed


def best_seconds(fn, repeats: int = 5, number: int = 2000) -> float:
    """Fastest time of one call, from `repeats` runs of `number` calls."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def tick_costs() -> None:
    print("\ncost of one tick (dt = 1/240) against a numpy vector add of the same size")
    print(f"{'d':>6} {'vector add':>11} " + " ".join(f"{m:>16}" for m in ("geodesic", "smooth", "spring")))
    for d in (512, 8192):
        keys = sample(2, d, 1).astype(np.float64)
        a, b = keys[0].copy(), keys[1].copy()
        add = best_seconds(lambda: a + b)
        cells = []
        for kind in ("geodesic", "smooth", "spring"):
            mover = make_mover(MotionParams(mover=kind), keys[0])
            mover.retarget(keys[1])
            tick = best_seconds(lambda: mover.step(1 / 240), number=500)
            cells.append(f"{tick * 1e6:7.1f} us {tick / add:5.0f}x")
        print(f"{d:>6} {add * 1e6:8.2f} us " + " ".join(f"{c:>16}" for c in cells))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=9)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    ok = motion_table(args.keys, args.seconds, args.seed)
    tick_costs()
    print("\nall requirements met" if ok else "\nSOME REQUIREMENTS FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Frames/s of the embedded default model at 256x256: batched, one frame at a time, and the
spread of one frame's decode time across different z.

    .venv/bin/python benchmarks/bench_default_model.py [--size 256] [--batch 16] [--rounds 5] [--spread 32]

The target is 30 frames/s at 256x256 on 2 CPU cores. The machine may be shared, so each
figure is the best of several short rounds (the least disturbed), with the CPU milliseconds
per frame beside it (all threads; what a quiet machine's cores would spend).

The spread decodes each of --spread different z alone, --rounds times, interleaved (so a
burst of load elsewhere hits every z alike): min / median / max over z of each z's best time
says whether the cost depends on z (it should not: every z runs the same ops on the same
number of pixels), and the median and 90th percentile of all the single decodes say how
steady one decode is.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from livelatent.generators import load
from livelatent.common.latent import sample

TARGET_FPS = 30


def one_round(generator, z, size, batch: int, frames: int) -> tuple[float, float]:
    """(frames per wall second, CPU ms per frame) decoding `frames` frames `batch` at a time."""
    wall, cpu = time.perf_counter(), time.process_time()
    for start in range(0, frames, batch):
        generator.decode(z[start % len(z):start % len(z) + batch], size)
    return frames / (time.perf_counter() - wall), 1000 * (time.process_time() - cpu) / frames


def measure(generator, z, size, batch: int, frames: int, rounds: int) -> tuple[float, float, list[float]]:
    generator.decode(z[:batch], size)  # warm up (allocations, worker threads)
    results = [one_round(generator, z, size, batch, frames) for _ in range(rounds)]
    return max(r[0] for r in results), min(r[1] for r in results), [r[0] for r in results]


def spread(generator, z, size, rounds: int) -> tuple[np.ndarray, np.ndarray]:
    """Wall ms of single-frame decodes: (each z's best, every decode), rounds interleaved across z."""
    times = np.empty((rounds, len(z)))
    for r in range(rounds):
        for i in range(len(z)):
            start = time.perf_counter()
            generator.decode(z[i:i + 1], size)
            times[r, i] = 1000 * (time.perf_counter() - start)
    return times.min(axis=0), times.ravel()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--frames", type=int, default=96, help="frames per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--spread", type=int, default=32, help="different z timed one by one")
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    import torch

    generator = load("default", device=args.device)
    z = sample(256, generator.z_dim, seed=0)
    size = (args.size, args.size)
    print(f"default model {args.size}x{args.size} on {args.device}, torch threads {torch.get_num_threads()}, "
          f"best of {args.rounds} rounds of {args.frames} frames")
    for label, batch in ((f"batched (batch {args.batch})", args.batch), ("single frame", 1)):
        fps, cpu_ms, rounds = measure(generator, z, size, batch, args.frames, args.rounds)
        print(f"  {label:<20} {fps:7.1f} frames/s ({fps / TARGET_FPS:.1f}x the {TARGET_FPS} fps target), "
              f"{cpu_ms:.2f} CPU ms/frame   (rounds: {', '.join(f'{v:.0f}' for v in rounds)})")
    best, every = spread(generator, z[:args.spread], size, args.rounds)
    print(f"  one frame, {args.spread} different z: best per z min {best.min():.1f} / median {np.median(best):.1f} / "
          f"max {best.max():.1f} ms (max/min {best.max() / best.min():.2f}); all {every.size} decodes: median "
          f"{np.median(every):.1f}, p90 {np.percentile(every, 90):.1f}, max {every.max():.1f} ms")


if __name__ == "__main__":
    main()

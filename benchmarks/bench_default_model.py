"""Frames/s of the embedded default model at 256x256: batched and one frame at a time.

    .venv/bin/python benchmarks/bench_default_model.py [--size 256] [--batch 16] [--seconds 3]

The target is 30 frames/s at 256x256 on 2 CPU cores. On a shared machine, run it a few times.
"""

from __future__ import annotations

import argparse
import time

from livelatent.generators import load
from livelatent.latent import sample


def frames_per_second(generator, z, size, batch: int, seconds: float) -> float:
    generator.decode(z[:batch], size)  # warm up (allocations, thread pool)
    frames, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        i = frames % (len(z) - batch + 1)
        generator.decode(z[i:i + batch], size)
        frames += batch
    return frames / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    import torch

    generator = load("default", device=args.device)
    z = sample(256, generator.z_dim, seed=0)
    size = (args.size, args.size)
    batched = frames_per_second(generator, z, size, args.batch, args.seconds)
    single = frames_per_second(generator, z, size, 1, args.seconds)
    print(f"default model {args.size}x{args.size} on {args.device}, torch threads {torch.get_num_threads()}")
    print(f"  batched (batch {args.batch}): {batched:7.1f} frames/s  ({batched / 30:.2f}x the 30 fps target)")
    print(f"  single frame:      {single:7.1f} frames/s  ({single / 30:.2f}x the 30 fps target)")
    print(f"  batched / single: {batched / single:.2f}")


if __name__ == "__main__":
    main()

"""A full render against the generator's own batched decode speed, measured in the same run.

    .venv/bin/python benchmarks/bench_render.py [--model default] [--size 256] [--frames 240] [--rounds 3]

Prints decode-only frames/s, full-render frames/s (decode + h264 encode + z-sequence pair)
and their ratio; the target is a ratio of at least 0.90. Rounds alternate decode-only and
render so that load from other processes hits both alike; the best round of each is kept.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from livelatent.generators import load
from livelatent.latent import sample
from livelatent.offline.render import render
from livelatent.zseq import ZSequence


def decode_only(generator, z, batch: int) -> float:
    start = time.perf_counter()
    for i in range(0, len(z), batch):
        generator.decode(z[i:i + batch])
    return len(z) / (time.perf_counter() - start)


def full_render(generator, seq, batch: int, out: Path) -> float:
    start = time.perf_counter()
    render(seq, generator, out, batch=batch, progress=False)
    return len(seq) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="default")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--frames", type=int, default=240)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    generator = load(args.model, device=args.device, size=(args.size, args.size))
    seq = ZSequence(sample(args.frames, generator.z_dim, seed=0), 30, {"made_by": "render"})
    decode_only(generator, seq.z[: 2 * args.batch], args.batch)  # warm up
    decode_fps, render_fps = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            decode_fps.append(decode_only(generator, seq.z, args.batch))
            render_fps.append(full_render(generator, seq, args.batch, Path(tmp) / f"bench{r}"))
    best_decode, best_render = max(decode_fps), max(render_fps)
    print(f"{args.model} {args.size}x{args.size} on {generator.device}, {args.frames} frames, batch {args.batch}")
    print(f"  decode only:  {best_decode:7.1f} frames/s   (rounds: {', '.join(f'{v:.1f}' for v in decode_fps)})")
    print(f"  full render:  {best_render:7.1f} frames/s   (rounds: {', '.join(f'{v:.1f}' for v in render_fps)})")
    print(f"  render / decode: {best_render / best_decode:.2f}   (target >= 0.90)")


if __name__ == "__main__":
    main()

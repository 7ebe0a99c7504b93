"""A render on 1 and 2 Ray workers of a local cluster, side by side: frames/s, scaling and the
cost of handing out chunks.

    .venv/bin/python benchmarks/bench_ray_render.py [--sizes 256,512] [--chunks 4,16,64] [--frames 96] [--rounds 1]

For each frame size and chunk length it renders the same z-sequence (default model, video
joined by remuxing, no image sequence) on 1 worker and on 2 (one CPU each), the configurations
alternating within each round so load from other processes hits them alike, and prints:
frames/s over all workers, the ratio 2 workers / 1 (target >= 1.8 on 2 cores once chunks are
long enough), and the scheduling overhead: the share of worker time not spent decoding and
writing (driver round trips, waiting for the next chunk, the final join), in % and in ms per
chunk. Actor start-up (Python, torch, the model) is paid once per worker count, before timing.

On a shared machine other processes take cores from the 2 workers, so it also prints the
workers' own CPU milliseconds per frame (process time, which that load disturbs much less)
and the ratio those predict for an otherwise idle machine: 2 x (CPU ms/frame on 1 worker /
on 2) x (1 - overhead on 2) / (1 - overhead on 1).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from livelatent.latent import sample
from livelatent.offline.chunk_worker import ChunkJob, ModelRecipe
from livelatent.offline.chunked import ChunkedModel, ChunkedSettings, render_chunked, segment_settings, work_folder
from livelatent.offline.distributed import LOCAL, RayExecutor, connect
from livelatent.zseq import ZSequence


class KeptOpen:
    """A RayExecutor kept for the next render (render_chunked closes its executor)."""

    def __init__(self, executor: RayExecutor, results: list) -> None:
        self.executor, self.results, self.recipe = executor, results, executor.recipe

    def model_info(self):
        return self.executor.model_info()

    def run(self, job, chunks, z, stop):
        for result in self.executor.run(job, chunks, z, stop):
            self.results.append(result)
            yield result

    def close(self) -> None:
        pass


def warm(executor: RayExecutor, size: int, folder: Path) -> None:
    """Every worker decodes once at this size (its pixel grid is built once per size)."""
    seq = ZSequence(sample(len(executor.actors), 512, seed=9), 30, {"id": "warm"})
    render_once(executor, seq, size, 1, folder / "warm", [])


def render_once(executor, seq, size, chunk, out: Path, results: list) -> float:
    """Wall seconds of one chunked render of seq."""
    settings = ChunkedSettings(chunk_frames=chunk, progress=False, force=True)
    job = ChunkJob(work_folder(out), str(seq.fps), batch=min(chunk, 16), segment=segment_settings(settings))
    model = ChunkedModel(KeptOpen(executor, results))
    started = time.perf_counter()
    render_chunked(seq, model, job, out, settings)
    return time.perf_counter() - started


def measure(executor, workers, seq, size, chunk, folder) -> dict:
    results: list = []
    wall = render_once(executor, seq, size, chunk, folder / f"w{workers}-{size}-{chunk}", results)
    busy = sum(r.seconds for r in results)
    overhead = max(0.0, 1 - busy / (wall * workers))
    return {"fps": len(seq) / wall, "overhead": overhead, "per_chunk_ms": 1000 * (wall * workers - busy) / len(results),
            "cpu_ms": 1000 * sum(r.cpu_seconds for r in results) / len(seq)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="256,512")
    parser.add_argument("--chunks", default="4,16,64")
    parser.add_argument("--frames", type=int, default=96)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    sizes, chunks = [int(s) for s in args.sizes.split(",")], [int(c) for c in args.chunks.split(",")]
    # 3 logical CPUs: the 1-worker and the 2-worker actors stay loaded side by side; only the
    # ones rendering use a core, so each measurement still runs on the machine's 2 cores
    ray, _ = connect(LOCAL, num_cpus=3)
    seq = ZSequence(sample(args.frames, 512, seed=1), 30, {"id": "bench"})
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; {args.frames} frames, default model")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for size in sizes:
            recipe = ModelRecipe("default", "cpu", (size, size))
            executors = {n: RayExecutor(recipe, address=LOCAL, workers=n) for n in (1, 2)}
            for executor in executors.values():
                warm(executor, size, folder)
            best: dict = {}
            for _ in range(args.rounds):
                for chunk in chunks:
                    for n, executor in executors.items():
                        got = measure(executor, n, seq, size, chunk, folder)
                        if got["fps"] > best.get((n, chunk), {"fps": 0})["fps"]:
                            best[(n, chunk)] = got
            for executor in executors.values():
                executor.close()
            report(size, chunks, best)
    ray.shutdown()
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")


def report(size: int, chunks, best: dict) -> None:
    print(f"\n{size}x{size}   chunk  1 worker f/s  2 workers f/s  ratio  overhead 1w / 2w   ms/chunk 1w / 2w"
          "   CPU ms/frame 1w / 2w  idle-machine ratio")
    for chunk in chunks:
        one, two = best[(1, chunk)], best[(2, chunk)]
        predicted = 2 * one["cpu_ms"] / two["cpu_ms"] * (1 - two["overhead"]) / (1 - one["overhead"])
        print(f"{'':>9} {chunk:>6} {one['fps']:>13.1f} {two['fps']:>14.1f} {two['fps'] / one['fps']:>6.2f}x"
              f"  {100 * one['overhead']:>6.1f}% / {100 * two['overhead']:>4.1f}%"
              f"  {one['per_chunk_ms']:>8.1f} / {two['per_chunk_ms']:<7.1f}"
              f"  {one['cpu_ms']:>10.1f} / {two['cpu_ms']:<6.1f}  {predicted:>10.2f}x")


if __name__ == "__main__":
    main()

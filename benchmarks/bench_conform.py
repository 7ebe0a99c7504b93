"""The conform at scale: a one-hour 30 fps edit (108,000 frames, d = 512) from 2,000 entries.

    .venv/bin/python benchmarks/bench_conform.py [--sources 24] [--seed 0]

Three video tracks: V1 a continuous run of ~1,000 clips, neighbours joined by same-track
mixes (12 frames); V2 ~600 inserts with gaps, some at speed 0.5 / 2 / -1; V3 ~400 short
inserts. Times pick (which source frame and weight per timeline frame) and assemble (the
gather into the output plus slerps on mixed frames) against a plain numpy gather of the same
rows from one stacked array (the physical floor), best of 3 each, and the peak memory the
conform allocates (tracemalloc, a separate run) against the output array. Exit status 1
when it takes 2 s or more, or needs twice the output's memory or more.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from fractions import Fraction

import numpy as np

from livelatent.edit.assemble import assemble
from livelatent.edit.picks import pick
from livelatent.edit.timeline import ClipSegment, Source, Timeline, Track, Transition

FPS, FRAMES, D, MIX = Fraction(30), 108_000, 512, 12
REPEATS = 3


def _clip(rng, sources, start, length, take_rows, speed=1.0) -> ClipSegment:
    src = sources[rng.integers(len(sources))]
    span = int(np.ceil(length * abs(speed))) + 1
    first = int(rng.integers(0, take_rows - span))
    if speed < 0:
        warp_out = round(take_rows / abs(speed)) - 1
        return ClipSegment(start, length, src, in_frame=int(warp_out - (first + span) / abs(speed)),
                           speed=speed, warp_out=warp_out, label=src.label)
    in_frame = int(first / speed) if speed != 1 else first
    return ClipSegment(start, length, src, in_frame=in_frame, speed=speed, label=src.label)


def build_timeline(n_sources: int, take_rows: int, seed: int) -> Timeline:
    rng = np.random.default_rng(seed)
    sources = [Source(f"take{i}", f"take{i}", fps=FPS) for i in range(n_sources)]
    # V1: 1,000 clips end to end, alternating lanes, each junction a mix
    lanes, mixes, start = ([], []), [], 0
    cuts = np.sort(rng.choice(np.arange(60, FRAMES - 60), 999, replace=False))
    bounds = np.r_[0, cuts, FRAMES]
    for k in range(1000):
        end = bounds[k + 1] + (MIX if k < 999 else 0)
        lanes[k % 2].append(_clip(rng, sources, start, int(end - start), take_rows))
        if k:
            mixes.append(Transition(start, start + MIX, k % 2 ^ 1, k % 2, reverse=bool(k % 2 == 0)))
        start = int(bounds[k + 1])
    v1 = Track("V1", tuple(map(tuple, lanes)), tuple(Transition(m.start, m.end, 0, 1, reverse=m.a == 1)
                                                       for m in mixes))
    return Timeline("bench", FPS, (v1, _inserts(rng, sources, 600, 90, take_rows, "V2"),
                                   _inserts(rng, sources, 400, 30, take_rows, "V3")))


def _inserts(rng, sources, count, mean, take_rows, name) -> Track:
    starts = np.sort(rng.choice(np.arange(0, FRAMES - 4 * mean), count, replace=False))
    segs, free = [], 0
    for s in starts:
        s = max(int(s), free)
        length = int(rng.integers(mean // 2, mean * 3 // 2))
        speed = float(rng.choice([1.0, 1.0, 0.5, 2.0, -1.0]))
        segs.append(_clip(rng, sources, s, length, take_rows, speed))
        free = s + length + 1
    return Track(name, (tuple(segs),))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=int, default=24, help="number of takes (default 24)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    take_rows = 9000
    timeline = build_timeline(args.sources, take_rows, args.seed)
    entries = sum(len(t.segments()) for t in timeline.tracks)
    zs = [np.random.default_rng(i).standard_normal((take_rows, D), dtype=np.float32) for i in range(args.sources)]
    print(f"timeline: {timeline.length} frames at {FPS} fps, {entries} entries on {len(timeline.tracks)} tracks, "
          f"{sum(len(t.mixes) for t in timeline.tracks)} mixes; {args.sources} takes of {take_rows} rows, d={D}")

    zl = [zs[int(s.key[4:])] for s in pick(timeline, fps_of=lambda s: FPS).sources]
    times = []
    for _ in range(REPEATS):  # best of 3: the machine is shared
        t0 = time.perf_counter()
        picks = pick(timeline, fps_of=lambda s: FPS)
        t1 = time.perf_counter()
        result = assemble(picks, zl)
        t2 = time.perf_counter()
        times.append((t2 - t0, t1 - t0, t2 - t1))
        out_bytes, frames = result.z.nbytes, len(result.z)
        del result
    total, t_pick, t_assemble = min(times)

    tracemalloc.start()  # a separate run for memory: tracing slows allocation down
    result = assemble(pick(timeline, fps_of=lambda s: FPS), zl)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del result

    # the floor: the same rows gathered from one stacked array with one precomputed index
    stacked = np.concatenate(zs)
    order = [int(s.key[4:]) for s in picks.sources]
    flat = np.array(order)[picks.src[:, 0].clip(0)] * take_rows + picks.pos[:, 0].astype(np.int64)
    floor = []
    for _ in range(REPEATS):
        g0 = time.perf_counter()
        gathered = stacked[flat]
        floor.append(time.perf_counter() - g0)
        del gathered
    gather = min(floor)

    print(f"best of {REPEATS}, each into a fresh output array:")
    print(f"pick      {t_pick:7.3f} s")
    print(f"assemble  {t_assemble:7.3f} s   ({int(picks.blended.sum())} blended frames slerped)")
    print(f"conform   {total:7.3f} s   {frames / total:,.0f} frames/s   (slowest of {REPEATS}: {max(times)[0]:.3f} s)")
    print(f"np gather {gather:7.3f} s   {frames / gather:,.0f} frames/s   conform/gather = {total / gather:.1f}x")
    print(f"peak memory {peak / 2**20:,.0f} MiB = {peak / out_bytes:.2f}x the output array ({out_bytes / 2**20:,.0f} MiB)")
    ok = total < 2.0 and peak < 2 * out_bytes and frames == FRAMES
    print("OK" if ok else "FAILED: needs < 2 s and < 2x the output's memory")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""The one-hour, 2,000-entry edit of bench_conform.py as a Kdenlive project and as an .otio,
conformed side by side: OpenTimelineIO's reader against the Kdenlive reader (target: within 2x).

    .venv/bin/python benchmarks/bench_conform_otio.py [--sources 24] [--seed 0]

The same timeline (V1 1,000 clips joined by 12-frame mixes, cut on whole seconds, V2 ~600
inserts at speeds 0.5, 2 and -1, V3 ~400 short inserts; 108,000 frames at 30 fps, d = 512)
is written once as a
Kdenlive 19.04+ project (tests/conform/kdenlive_writer.py) and once through OpenTimelineIO
(mixes as SMPTE_Dissolve transitions, speeds as LinearTimeWarp). Each is conformed the whole
way from its file: read into the timeline model, pick the source frame and weight of every
timeline frame, assemble the z rows from the takes (in memory, the same for both: reading the
takes from disk costs both formats the same). Best of 3, alternating formats; the picks of the
two must be identical. Needs the otio extra.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import opentimelineio as otio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.conform's project writer
from benchmarks.bench_conform import D, FPS, FRAMES, MIX, _clip, _inserts  # noqa: E402
from livelatent.edit.assemble import assemble  # noqa: E402
from livelatent.edit.picks import pick  # noqa: E402
from livelatent.offline.edit_reader import read_edit  # noqa: E402
from livelatent.edit.timeline import Source, Timeline, Track, Transition  # noqa: E402
from tests.conform.kdenlive_writer import Blank, Clip, Cut, Lanes, timeline2  # noqa: E402

TAKE_ROWS, REPEATS = 9000, 3


def build_timeline(n_sources: int, take_rows: int, seed: int) -> Timeline:
    """bench_conform's edit, V1's cut points on whole seconds: an OTIO transition may not
    overlap the next, so a clip must outlast its two 12-frame mixes (bench_conform's random
    cut points come as close as 1 frame)."""
    rng = np.random.default_rng(seed)
    sources = [Source(f"take{i}", f"take{i}", fps=FPS) for i in range(n_sources)]
    lanes, mixes, start = ([], []), [], 0
    bounds = np.r_[0, np.sort(rng.choice(np.arange(2, FRAMES // 30 - 2) * 30, 999, replace=False)), FRAMES]
    for k in range(1000):
        end = bounds[k + 1] + (MIX if k < 999 else 0)
        lanes[k % 2].append(_clip(rng, sources, start, int(end - start), take_rows))
        if k:
            mixes.append(Transition(start, start + MIX, 0, 1, reverse=bool(k % 2 == 0)))
        start = int(bounds[k + 1])
    v1 = Track("V1", tuple(map(tuple, lanes)), tuple(mixes))
    return Timeline("bench", FPS, (v1, _inserts(rng, sources, 600, 90, take_rows, "V2"),
                                   _inserts(rng, sources, 400, 30, take_rows, "V3")))


def _clips(n_sources: int) -> dict[str, Clip]:
    return {f"take{i}": Clip(i, Path(f"take{i}.mp4"), TAKE_ROWS, FPS) for i in range(n_sources)}


def as_kdenlive(timeline, clips) -> str:
    """Each track's lanes as sub-playlists of cuts and blanks; V1's mixes between them."""
    tracks = []
    for track in timeline.tracks:
        lanes = []
        for lane in track.lanes:
            items, end = [], 0
            for seg in lane:
                if seg.start > end:
                    items.append(Blank(seg.start - end))
                items.append(Cut(clips[seg.source.key], seg.in_frame, seg.in_frame + seg.length - 1, speed=seg.speed))
                end = seg.end
            lanes.append(items)
        mixes = [(m.start, m.end, m.reverse) for m in track.mixes]
        tracks.append(Lanes(lanes[0], lanes[1] if len(lanes) > 1 else [], mixes))
    return timeline2(FPS, tracks)


def _media_seconds(seg) -> Fraction:
    """Media time of the segment's first frame, as melt's timewarp shows it."""
    speed = Fraction(seg.speed)
    if speed > 0:
        return seg.in_frame * speed / FPS
    return (seg.warp_out - seg.in_frame) * -speed / FPS


def as_otio(timeline) -> otio.schema.Timeline:
    """Each track's segments in time order; where one overlaps the next, a dissolve cut in its middle."""
    rate = float(FPS)
    out = otio.schema.Timeline(name="bench", global_start_time=otio.opentime.RationalTime(0, rate))
    for track in timeline.tracks:
        segs = sorted(track.segments(), key=lambda s: s.start)
        items, end = [], 0
        for k, seg in enumerate(segs):
            head = max(end - seg.start, 0)  # overlap with the previous clip: a transition
            tail = max(seg.end - segs[k + 1].start, 0) if k + 1 < len(segs) else 0
            lead, late = head // 2, tail - tail // 2
            if head:
                items.append(otio.schema.Transition(transition_type="SMPTE_Dissolve",
                                                    in_offset=otio.opentime.RationalTime(lead, rate),
                                                    out_offset=otio.opentime.RationalTime(head - lead, rate)))
            elif seg.start > end:
                items.append(otio.schema.Gap(source_range=otio.opentime.TimeRange(
                    duration=otio.opentime.RationalTime(seg.start - end, rate))))
            start = _media_seconds(seg) + (head - lead) * Fraction(seg.speed) / FPS
            clip = otio.schema.Clip(name=seg.source.key, media_reference=otio.schema.ExternalReference(
                target_url=f"{seg.source.key}.mp4"), source_range=otio.opentime.TimeRange(
                otio.opentime.RationalTime(float(start * FPS), rate),
                otio.opentime.RationalTime(seg.length - (head - lead) - late, rate)))
            if seg.speed != 1:
                clip.effects.append(otio.schema.LinearTimeWarp(time_scalar=seg.speed))
            items.append(clip)
            end = seg.end
        out.tracks.append(otio.schema.Track(name=track.name, children=items))
    return out


def conform_file(path: Path, zs: dict) -> tuple[dict, object]:
    """Seconds for reading, picking and assembling the edit in `path`; and its picks."""
    t0 = time.perf_counter()
    timeline = read_edit(path)
    t1 = time.perf_counter()
    picks = pick(timeline, fps_of=lambda s: FPS)
    t2 = time.perf_counter()
    result = assemble(picks, [zs[Path(s.key).stem] for s in picks.sources])
    t3 = time.perf_counter()
    del result
    return {"read": t1 - t0, "pick": t2 - t1, "assemble": t3 - t2, "total": t3 - t0}, picks


def shown(picks) -> list[list]:
    """Per frame, the (take, frame, weight) blended there, in a fixed order (the two readers
    may list a mix's two sides the other way round)."""
    names = [Path(s.key).stem for s in picks.sources]
    return [sorted((names[s], p, round(float(w), 6)) for s, p, w in zip(*row) if s >= 0)
            for row in zip(picks.src.tolist(), picks.pos.tolist(), picks.weight.tolist())]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=int, default=24)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    timeline = build_timeline(args.sources, TAKE_ROWS, args.seed)
    zs = {f"take{i}": np.random.default_rng(i).standard_normal((TAKE_ROWS, D), dtype=np.float32)
          for i in range(args.sources)}
    with tempfile.TemporaryDirectory() as tmp:
        files = {"kdenlive": Path(tmp) / "bench.kdenlive", "otio": Path(tmp) / "bench.otio"}
        files["kdenlive"].write_text(as_kdenlive(timeline, _clips(args.sources)))
        as_otio(timeline).to_json_file(str(files["otio"]))
        entries = sum(len(t.segments()) for t in timeline.tracks)
        print(f"one edit, {timeline.length} frames at {FPS} fps, {entries} entries, d={D}: "
              f"{files['kdenlive'].stat().st_size / 2**20:.1f} MiB .kdenlive, {files['otio'].stat().st_size / 2**20:.1f} MiB .otio")
        runs = {name: [] for name in files}
        picks = {}
        for _ in range(REPEATS):  # alternating: the machine is shared
            for name, path in files.items():
                seconds, picks[name] = conform_file(path, zs)
                runs[name].append(seconds)
    best = {name: min(r, key=lambda s: s["total"]) for name, r in runs.items()}
    print(f"best of {REPEATS}, seconds     read    pick  assemble   total")
    for name, s in best.items():
        print(f"  {name:9s}          {s['read']:7.3f} {s['pick']:7.3f} {s['assemble']:9.3f} {s['total']:7.3f}")
    ratio = best["otio"]["total"] / best["kdenlive"]["total"]
    same = shown(picks["kdenlive"]) == shown(picks["otio"])
    print(f"otio / kdenlive: total {ratio:.2f}x, read {best['otio']['read'] / best['kdenlive']['read']:.2f}x; "
          f"the same picks on every frame: {'yes' if same else 'NO'}")
    ok = ratio < 2 and same
    print("OK" if ok else "FAILED: needs the same picks within 2x of the Kdenlive conform's time")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

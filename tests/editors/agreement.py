"""The same random edit as a Kdenlive project and through OpenTimelineIO: every frame the same.

    .venv/bin/python -m editors.agreement --seeds 200 --format otio       # from tests/

Each seed's edit (random_edit.draw_edit "sequences", less what OTIO cannot express) is written
as a Kdenlive 23.04+ project (the melt-verified conform reads it) and as an OTIO timeline,
saved through the format's own adapter (.otio JSON, CMX 3600 EDL, FCP 7 XML, FCP X XML) and
read back by livelatent's reader. Both conforms must pick the same (clip, frame) on every
timeline frame, blends the same two frames with weights within 0.01 (truth.mismatches).
FORMAT_FEATURES says what each format can hold; an edit needing more is drawn again simpler.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

from livelatent.adapters import otio as otio_adapter
from livelatent.offline.conform_edit import conform_picks
from livelatent.edit.retime import warp_rate

from conform.fuzz import ensure_clips, project_text
from conform.kdenlive_writer import Cut
from conform.random_edit import draw_edit
from livelatent.edit.picks import NONE

from .edit_to_otio import expressible, to_otio
from .simplify import ALL, edl_safe, fcpx_safe, within

# format -> (suffix, what of an edit it carries through its OTIO adapter, written and read back)
FORMAT_FEATURES = {
    "otio": (".otio", ALL),
    "edl": (".edl", {"gaps", "mix", "speed", "reverse", "freeze"}),
    "fcp-xml": (".xml", {"tracks", "gaps", "mix", "rates"}),
    "fcpxml": (".fcpxml", {"tracks", "gaps", "nested", "rates"}),
}


SAFE = {"edl": edl_safe, "fcpxml": fcpx_safe}  # what the format's adapter writes faithfully, besides

# melt truncates a timewarp's rate (retime.warp_rate); OTIO is exact. Where melt's rate is not
# exact (25 and 50 fps at 0.75, 1.5, 3) the two differ by under 1e-4 of a frame per frame, so
# the check swaps in a speed melt computes exactly, whose range still fits.
EXACT_IN_MELT = {0.75: 0.5, 1.5: 1.25, 3.0: 2.0}


def exact_in_melt(edit):
    """The edit with speeds whose timewarp rate melt computes exactly."""
    def fix(item):
        if not isinstance(item, Cut) or abs(item.speed) not in EXACT_IN_MELT:
            return item
        if warp_rate(edit.fps, item.speed) == float(edit.fps / Fraction(abs(item.speed))):
            return item
        return replace(item, speed=EXACT_IN_MELT[abs(item.speed)] * (1 if item.speed > 0 else -1))

    def tracks(ts):
        return [replace(t, items=[fix(i) for i in t.items]) for t in ts]
    return replace(edit, tracks=tracks(edit.tracks), nested={k: tracks(v) for k, v in edit.nested.items()})


def drawn(seed: int, fmt: str = "otio"):
    """Seed's random edit as the format can hold it, at speeds melt computes exactly (drawn
    again from a derived seed until what the format keeps is a valid edit)."""
    for attempt in range(100):
        edit = exact_in_melt(expressible(draw_edit("sequences", seed + 100_003 * attempt)))
        edit = within(edit, FORMAT_FEATURES[fmt][1])
        if edit is not None and fmt in SAFE:
            edit = SAFE[fmt](edit)
        if edit is not None:
            return replace(edit, seed=seed)
    raise RuntimeError(f"no {fmt} edit from seed {seed}")


def write(edit, folder: Path, fmt: str) -> Path:
    """The edit through the format's adapter, beside the coded clips."""
    suffix, _ = FORMAT_FEATURES[fmt]
    path = folder / f"{edit.structure}-{edit.seed}{suffix}"
    timeline = to_otio(edit)
    if fmt == "otio":
        timeline.to_json_file(str(path))
    elif fmt == "edl":
        path.write_text(otio_adapter.adapter(fmt).write_to_string(timeline, rate=float(edit.fps)))
    else:
        path.write_text(otio_adapter.adapter(fmt).write_to_string(timeline))
    return path


def frames_shown(picks) -> list[dict]:
    """Per timeline frame: {(clip code, source frame): weight}, columns merged, order-free."""
    codes = [int(Path(s.key).stem[1:]) if s.path else -1 for s in picks.sources]
    shown = []
    for t in range(len(picks)):
        frame: dict = {}
        for s, p, w in zip(picks.src[t], picks.pos[t], picks.weight[t]):
            if s != NONE and w > 1e-6:
                frame[(codes[s], int(p))] = frame.get((codes[s], int(p)), 0.0) + float(w)
        shown.append(frame)
    return shown


def differences(ours: list[dict], theirs: list[dict], tolerance: float = 0.01) -> list[str]:
    """Frames showing other source frames, or weights further apart than `tolerance`."""
    problems = [] if len(ours) == len(theirs) else [f"{len(ours)} frames against {len(theirs)}"]
    for t, (a, b) in enumerate(zip(ours, theirs)):
        if a.keys() != b.keys() or any(abs(a[key] - b[key]) > tolerance for key in a):
            problems.append(f"frame {t}: {sorted(a.items())} against Kdenlive's {sorted(b.items())}")
    return problems


def compare(edit, folder: Path, fmt: str) -> list[str]:
    """Frames where the conform of the OTIO form differs from that of the Kdenlive form."""
    project = folder / f"{edit.structure}-{edit.seed}.kdenlive"
    project.write_text(project_text(edit))
    rate = edit.fps if fmt == "edl" else None  # an EDL does not say its rate: --rate
    ours = conform_picks(write(edit, folder, fmt), rate=rate)
    return differences(frames_shown(ours), frames_shown(conform_picks(project)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=50)
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument("--format", default="otio", choices=sorted(FORMAT_FEATURES))
    args = parser.parse_args(argv)
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ensure_clips(folder)
        for seed in range(args.first, args.first + args.seeds):
            edit = drawn(seed, args.format)
            problems = compare(edit, folder, args.format)
            if problems:
                failed += 1
                print(f"seed {seed}: {len(problems)} problems, e.g. " + "; ".join(problems[:4]), flush=True)
    print(f"{args.seeds - failed} of {args.seeds} edits agree as {args.format}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

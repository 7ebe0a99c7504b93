"""The randomised melt check: random edits in every file structure, rendered by melt, compared
with the conform on every frame. A failing seed is shrunk and printed as a reduced project.

    .venv/bin/python -m tests.conform.fuzz --seeds 100                  # seeds 0..99, all structures
    .venv/bin/python -m tests.conform.fuzz --seeds 50 --first 1000 --structure mlt --keep out/fuzz

Each seed is one small edit (1-3 tracks, a few clips, 64x36 coded clips of six frame rates)
with a random subset of the features its structure can hold (random_edit.STRUCTURES); one melt
render per seed, about a second. Exit status 1 when any seed disagrees.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from livelatent.common import zseq
from livelatent.errors import LivelatentError
from livelatent.offline.conform_edit import conform_picks
from livelatent.common.zseq import ZSequence

from .coded_media import coded_rows, write_clip
from .kdenlive_writer import Blank, Cut, Lanes, Nest, gen2, sequences, timeline2
from .melt_check import MeltError, compare, render_levels
from .mlt_writer import write_mlt
from .random_edit import CLIP_SET, STRUCTURES, Edit, Mix, as_lanes, draw_edit

SUFFIX = {"gen2": ".kdenlive", "timeline2": ".kdenlive", "sequences": ".kdenlive", "shotcut": ".mlt", "mlt": ".mlt"}


def ensure_clips(folder: Path) -> None:
    """The coded clips and their z-sequence pairs (z[:, 0] the clip, z[:, 1] the frame)."""
    for clip in CLIP_SET.values():
        if not (folder / clip.path).exists():
            write_clip(folder / clip.path, clip.code, clip.frames, clip.fps)
            zseq.save(ZSequence(coded_rows(clip.code, clip.frames), clip.fps, {"id": f"clip{clip.code}"}),
                      folder / clip.path.stem)


def project_text(edit: Edit) -> str:
    lanes = [Lanes(*as_lanes(t), hidden=t.hidden) for t in edit.tracks]
    if edit.structure == "gen2":
        hidden = {k for k, t in enumerate(edit.tracks) if t.hidden}
        return gen2(edit.fps, [t.items for t in edit.tracks], hidden=hidden, compositions=edit.compositions)
    if edit.structure == "timeline2":
        # 20.08 wrote hide="both" on the second, unused sub-playlist; mixes (which use it) came in 20.12
        quirk_2008 = edit.style["lanes"] and not any(lane.lane1 for lane in lanes)
        return timeline2(edit.fps, lanes, compositions=edit.compositions, quirk_2008=quirk_2008)
    if edit.structure == "sequences":
        nested = {name: [Lanes(*as_lanes(t), hidden=t.hidden) for t in tracks] for name, tracks in edit.nested.items()}
        return sequences(edit.fps, lanes, nested, compositions=edit.compositions)
    return write_mlt(edit)


def check(edit: Edit, folder: Path) -> list[str]:
    """What differs between melt and the conform on the edit ([] when every frame agrees)."""
    project = folder / f"{edit.structure}-{edit.seed}{SUFFIX[edit.structure]}"
    project.write_text(project_text(edit))
    try:
        picks = conform_picks(project)
    except LivelatentError as exc:
        return [f"the conform refused it: {exc}"]
    if len(picks) == 0:
        return ["the conform found an empty timeline"]
    try:
        levels = render_levels(project, len(picks))
    except MeltError as exc:
        return [f"melt failed: {exc}"]
    return compare(picks, levels)


# ---- shrinking: smaller edits that still fail ----
def _without_item(track, k: int):
    """The track without item k (and the mix that joined it to a neighbour)."""
    items = list(track.items)
    drop = {k} | {j for j in (k - 1, k + 1) if 0 <= j < len(items) and isinstance(items[j], Mix)}
    if isinstance(items[k], Mix):
        drop = {k}
    return replace(track, items=[item for j, item in enumerate(items) if j not in drop])


def _simpler_cuts(cut: Cut):
    if cut.speed != 1:
        first = min(cut.first, 60)
        yield replace(cut, speed=1.0, slowmotion=False, first=first, last=first + cut.last - cut.first)
    for name, plain in (("freeze", None), ("remap", None), ("disabled", False)):
        if getattr(cut, name) != plain:
            yield replace(cut, **{name: plain})
    if cut.last - cut.first > 3:
        yield replace(cut, last=cut.first + (cut.last - cut.first) // 2)


def reductions(edit: Edit):
    """Edits one step smaller than `edit`: fewer tracks, items, compositions or features."""
    for k in range(len(edit.tracks)):
        if len(edit.tracks) > 1:
            keep = [t for j, t in enumerate(edit.tracks) if j != k]
            comps = [(a - (a > k), b - (b > k), s, e, r) for a, b, s, e, r in edit.compositions if k not in (a, b)]
            yield replace(edit, tracks=keep, compositions=[c for c in comps if c[0] < c[1]])
    for k in range(len(edit.compositions)):
        yield replace(edit, compositions=edit.compositions[:k] + edit.compositions[k + 1:])
    for t, track in enumerate(edit.tracks):
        if track.hidden:
            yield replace(edit, tracks=_swap(edit.tracks, t, replace(track, hidden=False)))
        for k, item in enumerate(track.items):
            smaller = _without_item(track, k)
            if smaller.items and not isinstance(smaller.items[-1], (Blank, Mix)):
                yield replace(edit, tracks=_swap(edit.tracks, t, smaller))
            if isinstance(item, Cut):
                for cut in _simpler_cuts(item):
                    yield replace(edit, tracks=_swap(edit.tracks, t, replace(track, items=_swap(track.items, k, cut))))
    used = {i.sequence for t in edit.tracks for i in t.items if isinstance(i, Nest)}
    if set(edit.nested) - used:
        yield replace(edit, nested={n: v for n, v in edit.nested.items() if n in used})


def _swap(items: list, k: int, new) -> list:
    return items[:k] + [new] + items[k + 1:]


def _valid(edit: Edit) -> bool:
    """Mixes only between two cuts long enough for them (the shrinker may break that)."""
    for track in [*edit.tracks, *(t for ts in edit.nested.values() for t in ts)]:
        items = track.items
        for k, item in enumerate(items):
            if isinstance(item, Mix) and not (0 < k < len(items) - 1 and isinstance(items[k - 1], Cut)
                                              and isinstance(items[k + 1], Cut)
                                              and min(items[k - 1].last - items[k - 1].first,
                                                      items[k + 1].last - items[k + 1].first) > item.length + 1):
                return False
    return True


def _kind(problems: list[str]) -> str:
    return "frames" if problems[0].startswith(("frame ", "melt rendered")) else problems[0].split(":")[0]


def shrink(edit: Edit, folder: Path, budget: int = 80) -> tuple[Edit, list[str]]:
    """The smallest edit reached by one-step reductions that still fails the same way (greedy,
    at most `budget` renders)."""
    problems = check(edit, folder)
    if not problems:
        return edit, problems
    kind = _kind(problems)
    progress = True
    while progress and budget > 0:
        progress = False
        for smaller in reductions(edit):
            if not _valid(smaller):
                continue
            budget -= 1
            found = check(smaller, folder)
            if found and _kind(found) == kind:
                edit, problems, progress = smaller, found, True
                break
            if budget <= 0:
                break
    return edit, problems


UNSUPPORTED = "not supported"  # a refusal the conform documents: one line, not a wrong row


def run_seed(structure: str, seed: int, folder: Path, *, reduce: bool = True) -> tuple[str, str]:
    """("agree", "") when melt and the conform agree on every frame of the seed's edit;
    ("unsupported", the line) when the conform refuses it as documented; else ("differ" or
    "melt" when melt itself failed on every try, with a report and the reduced project)."""
    edit = draw_edit(structure, seed)
    problems = check(edit, folder)
    if problems and UNSUPPORTED in problems[0]:
        return "unsupported", f"{structure} seed {seed}: {problems[0]}"
    verdict = "melt" if problems and problems[0].startswith("melt failed") else "differ"
    if problems and reduce and verdict == "differ":  # (a melt crash takes 4 tries a render: not shrunk)
        edit, problems = shrink(edit, folder)
    if not problems:
        return "agree", ""
    return verdict, (f"{structure} seed {seed}: {len(problems)} frames differ, e.g.\n  " + "\n  ".join(problems[:8])
                     + f"\nreduced project ({edit.structure}, clips c1..c7.mkv beside it):\n{project_text(edit)}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.conform.fuzz", description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=20, help="how many seeds per structure")
    parser.add_argument("--first", type=int, default=0, help="the first seed")
    parser.add_argument("--structure", action="append", choices=sorted(STRUCTURES), help="only these (repeatable)")
    parser.add_argument("--keep", default=None, help="write projects and clips here instead of a temporary folder")
    parser.add_argument("--no-shrink", action="store_true", help="report failing seeds without reducing them")
    args = parser.parse_args(argv)
    structures = args.structure or list(STRUCTURES)
    verdicts = dict.fromkeys(("agree", "unsupported", "differ", "melt"), 0)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        ensure_clips(folder)
        for seed in range(args.first, args.first + args.seeds):
            for structure in structures:
                verdict, report = run_seed(structure, seed, folder, reduce=not args.no_shrink)
                verdicts[verdict] += 1
                if report:
                    print(report, flush=True)
    print(f"{sum(verdicts.values())} random edits: {verdicts['agree']} agree with melt on every frame, "
          f"{verdicts['unsupported']} refused as not supported, {verdicts['differ']} differ, "
          f"{verdicts['melt']} melt failures", flush=True)
    return 1 if verdicts["differ"] or verdicts["melt"] else 0


if __name__ == "__main__":
    sys.exit(main())

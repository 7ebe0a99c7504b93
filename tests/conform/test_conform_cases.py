"""The five reduced cases of issue 11 agree with melt's recorded answer, frame for frame.

Each case is a project on which the conform once picked a different source frame than melt
7.12 shows (freeze on chains and timewarps, a reverse timewarp producer without out, a track
tractor written with <multitrack>), plus controls that change the one thing that isolates it.
`truth.txt` is what melt showed; the conform must now give the same row on every frame, and
for blends the same two frames with a weight within 0.01.
"""

from pathlib import Path

import pytest

from livelatent.offline.conform_edit import conform_picks

from .truth import describe, mismatches

CASES = Path(__file__).parent.parent / "data" / "conform-cases"
PROJECTS = sorted(p for p in CASES.glob("case-*/*") if p.suffix in (".kdenlive", ".mlt"))


def _truth(project: Path) -> list[str]:
    name = "truth.txt" if project.stem == "project" else f"{project.stem}.truth.txt"
    return (project.parent / name).read_text().splitlines()


@pytest.mark.parametrize("project", PROJECTS, ids=[f"{p.parent.name}/{p.stem}" for p in PROJECTS])
def test_case_agrees_with_melt_on_every_frame(project):
    picks = conform_picks(project)
    assert mismatches(describe(picks, clip_id=lambda s: int(s.path.stem[4:7])), _truth(project)) == []

"""Real Kdenlive projects, their media replaced by coded clips (samples.py), agree with melt on
every frame whose picture melt takes from one clip, and on every blend.

By default one of the permissively licensed projects copied to tests/data/kdenlive (SMALL);
LIVELATENT_SAMPLES=full judges every frame of every copied project and of the 38 in
../shared/kdenlive-samples (long: hours on 2 cores; `python -m tests.conform.samples --first N`
judges the first N frames of the projects it is given). Each project's figures are printed
(pytest -s to see them).
"""

import os

import pytest

from .conftest import requires_melt
from .samples import COPIED, SHARED, judge

pytestmark = requires_melt
FULL = os.environ.get("LIVELATENT_SAMPLES") == "full"
# judged by default: media with opacity, transform and crop effects over and under colour clips
# (all its frames); a 4:3 PAL project whose clips are all 3:1, letterboxed, one hiding another
# from frame 551 (about 8 s); a shrunk track, as in patel-malav-presentation, is test_layers_vs_melt's
SMALL = {"kdenlive-test-suite__qtblend-media": 135, "opentimelineio__kdenlive_example_v191180": 600}
PROJECTS = (COPIED + SHARED) if FULL else [p for p in COPIED if p.stem in SMALL]


@pytest.mark.parametrize("project", PROJECTS, ids=[f"{p.parent.name}/{p.stem}" for p in PROJECTS])
def test_real_project_agrees_with_melt_on_every_single_clip_frame_and_blend(project, tmp_path):
    verdict = judge(project, first=None if FULL else SMALL[project.stem], work=tmp_path)
    print(verdict.line(), *verdict.examples, sep="\n    ")
    assert not verdict.refused
    assert verdict.single + verdict.blend > 0 or FULL
    assert (verdict.single_agree, verdict.blend_agree) == (verdict.single, verdict.blend), verdict.examples

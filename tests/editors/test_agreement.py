"""The same random edit, cut in Kdenlive or handed over through OpenTimelineIO (.otio, or an EDL,
FCP 7 XML or FCP X XML written by OTIO's own adapters), conforms to the same frames: every
timeline frame shows the same source frames, blends within 0.01 of the same weight.

Each format is checked on what it can carry (agreement.FORMAT_FEATURES, docs/editors.md).
More seeds: `cd tests && ../.venv/bin/python -m editors.agreement --seeds 300 --format edl`.
"""

import pytest

from conform.fuzz import ensure_clips

from .agreement import FORMAT_FEATURES, compare, drawn
from .simplify import features_of

SEEDS = range(24)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("agreement")
    ensure_clips(path)
    return path


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("fmt", sorted(FORMAT_FEATURES))
def test_an_edit_from_another_editor_conforms_like_the_same_kdenlive_project(fmt, seed, folder):
    assert compare(drawn(seed, fmt), folder, fmt) == []


@pytest.mark.parametrize("fmt", sorted(FORMAT_FEATURES))
def test_the_seeds_use_everything_the_format_carries(fmt):
    used = set().union(*(features_of(drawn(seed, fmt)) for seed in SEEDS))
    assert FORMAT_FEATURES[fmt][1] <= used, f"{fmt}: no seed uses {sorted(FORMAT_FEATURES[fmt][1] - used)}"

"""The same random edit, cut in Kdenlive or handed over through OpenTimelineIO, conforms to the
same frames: every timeline frame shows the same source frames, blends within 0.01 of weight.

More seeds: `cd tests && ../.venv/bin/python -m editors.agreement --seeds 400 --format otio`.
"""

import pytest

from conform.fuzz import ensure_clips

from .agreement import compare, drawn

SEEDS = range(30)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("agreement")
    ensure_clips(path)
    return path


@pytest.mark.parametrize("seed", SEEDS)
def test_an_otio_file_conforms_like_the_same_kdenlive_project(seed, folder):
    assert compare(drawn(seed), folder, "otio") == []

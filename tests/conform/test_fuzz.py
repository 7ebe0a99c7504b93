"""The randomised melt check on a fixed set of seeds: random edits combining every feature,
in every file structure, agree with melt on every frame.

More seeds: `.venv/bin/python -m tests.conform.fuzz --seeds 100` (tests/conform/fuzz.py).
"""

import pytest

from .conftest import requires_melt
from .fuzz import ensure_clips, main, run_seed
from .random_edit import STRUCTURES

pytestmark = requires_melt
SEEDS = (1, 2, 3)  # each agrees in every structure (seed 0 of sequences is refused as not supported)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz")
    ensure_clips(path)
    return path


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("structure", sorted(STRUCTURES))
def test_random_edit_agrees_with_melt_on_every_frame(structure, seed, folder):
    verdict, report = run_seed(structure, seed, folder)
    assert verdict == "agree", report


def test_the_fuzz_command_counts_the_edits_that_agree(tmp_path, capsys):
    assert main(["--seeds", "1", "--first", "2", "--structure", "shotcut", "--keep", str(tmp_path)]) == 0
    assert "1 random edits: 1 agree with melt on every frame" in capsys.readouterr().out
    assert (tmp_path / "shotcut-2.mlt").exists() and (tmp_path / "c1.mkv").exists()

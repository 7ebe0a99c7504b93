"""Fixtures for the model loaders: StyleGAN-format pickles built by the tests themselves."""

import subprocess
import sys
from pathlib import Path

import pytest

FAKE_REPO = Path(__file__).parent / "fake_stylegan_repo"


def make_pickle(out: Path, seed: int, c_dim: int = 0) -> Path:
    """Pickle a tiny generator in a separate interpreter, as NVIDIA's training loop would."""
    subprocess.run([sys.executable, str(FAKE_REPO / "make_pickle.py"), str(out), str(seed), str(c_dim)],
                   check=True, cwd=FAKE_REPO, env={"PYTHONPATH": str(FAKE_REPO), "PATH": "/usr/bin:/bin"})
    return out


@pytest.fixture(scope="session")
def stylegan_run(tmp_path_factory) -> Path:
    """A training run folder with three snapshots and a conditional model beside it."""
    run = tmp_path_factory.mktemp("run")
    for kimg in (40, 200, 1000):
        make_pickle(run / f"network-snapshot-{kimg:06d}.pkl", seed=kimg)
    make_pickle(run.parent / "conditional.pkl", seed=7, c_dim=3)
    return run


@pytest.fixture
def fake_repo() -> Path:
    return FAKE_REPO

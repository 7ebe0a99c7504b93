"""Snapshot sets: the same z through every checkpoint of a run, as one labelled grid."""

import numpy as np
import pytest

from livelatent import generators
from livelatent.errors import ModelError, UsageError
from livelatent.generators.snapshots import label_for, snapshot_paths
from livelatent.common.latent import sample


def test_folder_glob_and_list_give_the_same_ordered_set(stylegan_run):
    by_folder = snapshot_paths(str(stylegan_run))
    by_glob = snapshot_paths(str(stylegan_run / "network-snapshot-*.pkl"))
    by_list = snapshot_paths(",".join(str(p) for p in reversed(by_folder)))
    assert by_folder == by_glob == by_list
    assert [label_for(p) for p in by_folder] == ["40", "200", "1000"]


def test_grid_decodes_the_same_z_through_every_snapshot(stylegan_run, fake_repo):
    grid = generators.load(str(stylegan_run), device="cpu", stylegan_repo=fake_repo, grid="2x2", size=(32, 32))
    assert (grid.z_dim, grid.resolution) == (16, (64, 64))
    z = sample(2, 16, seed=1)
    frames = grid.decode(z)
    assert frames.shape == (2, 64, 64, 3)
    single = generators.load(str(stylegan_run / "network-snapshot-000200.pkl"), device="cpu",
                             stylegan_repo=fake_repo).decode(z, (32, 32))
    tile = frames[:, :32, 32:]  # second tile, first row
    assert np.array_equal(tile[:, :20], single[:, :20])  # above the label
    assert (tile[:, 20:] != single[:, 20:]).any()         # the label is drawn
    assert (frames[:, 32:, 32:] == 0).all()               # the fourth tile is empty


def test_given_labels_and_their_count(stylegan_run, fake_repo):
    grid = generators.load(str(stylegan_run), device="cpu", stylegan_repo=fake_repo, labels="a,b,c")
    assert grid.snapshots.labels == ["a", "b", "c"]
    with pytest.raises(ModelError, match="2 labels for 3 snapshots"):
        generators.load(str(stylegan_run), device="cpu", stylegan_repo=fake_repo, labels="a,b")


def test_bad_sets_and_grids(stylegan_run, fake_repo, tmp_path):
    with pytest.raises(ModelError, match="no model files found"):
        generators.load(str(tmp_path / "*.pkl"), device="cpu")
    with pytest.raises(UsageError, match="`grid` 1x2: 2 tiles cannot hold 3 snapshots"):
        generators.load(str(stylegan_run), device="cpu", stylegan_repo=fake_repo, grid="1x2")

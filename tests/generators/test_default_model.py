"""The embedded default model: deterministic, batch-invariant, any size, smooth, not noise."""

import numpy as np
import pytest

from livelatent.errors import LatentShapeError
from livelatent.generators.base import Generator
from livelatent.generators import load
from livelatent.common.latent import sample


@pytest.fixture(scope="module")
def model():
    return load("default", device="cpu")


def test_describes_itself(model):
    assert isinstance(model, Generator)
    assert (model.z_dim, model.resolution, model.device, model.label) == (512, (256, 256), "cpu", "default")
    assert model.shell_radius == pytest.approx(np.sqrt(511.5))


def test_same_z_same_picture_whatever_the_batch(model):
    z = sample(6, 512, seed=3)
    batched = model.decode(z, (48, 64))
    assert batched.shape == (6, 48, 64, 3) and batched.dtype == np.uint8
    one_by_one = np.concatenate([model.decode(row, (48, 64)) for row in z])
    assert np.array_equal(batched, one_by_one)
    assert np.array_equal(load("default", device="cpu").decode(z, (48, 64)), batched)


def test_renders_natively_at_any_size(model):
    z = sample(1, 512, seed=4)
    small, large = model.decode(z, (32, 32))[0], model.decode(z, (128, 128))[0]
    assert small.shape == (32, 32, 3) and large.shape == (128, 128, 3)
    shrunk = large.reshape(32, 4, 32, 4, 3).mean(axis=(1, 3))
    assert np.abs(shrunk - small).mean() < 12  # the same picture, finer


def test_nearby_z_give_nearby_pictures(model):
    z = sample(8, 512, seed=5)
    base = model.decode(z, (64, 64)).astype(float)
    nudged = model.decode(z + 0.01 * sample(8, 512, seed=6), (64, 64)).astype(float)
    unrelated = model.decode(sample(8, 512, seed=7), (64, 64)).astype(float)
    assert np.abs(base - nudged).mean() < 0.2 * np.abs(base - unrelated).mean()


def test_pictures_are_rich_neither_flat_nor_noise(model):
    images = model.decode(sample(8, 512, seed=8), (64, 64)).astype(float)
    spread = images.std(axis=(1, 2)).mean(axis=1)           # contrast within each picture
    neighbour_step = np.abs(np.diff(images, axis=2)).mean(axis=(1, 2, 3))
    assert (spread > 20).all()
    assert (neighbour_step < 0.5 * spread).all()             # structure, not pixel noise
    assert images.mean(axis=(1, 2)).std(axis=0).mean() > 5   # different samples look different


@pytest.mark.parametrize("bad, message", [
    (np.zeros((2, 100), np.float32), "expected z of size 512, got 100"),
    (np.full((1, 512), np.nan, np.float32), "NaN or infinite value in row 0"),
    (np.zeros((2, 2, 512), np.float32), "expected shape"),
], ids=["wrong-d", "nan", "wrong-shape"])
def test_bad_z_is_one_clear_error(model, bad, message):
    with pytest.raises(LatentShapeError, match=message):
        model.decode(bad)

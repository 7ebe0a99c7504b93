"""The exploration process as data: reels, picks, neighbourhoods and journeys."""

import numpy as np
import pytest

from livelatent.offline import explore
from livelatent.errors import UsageError
from livelatent.common.rates import FrameRate
from livelatent.common.latent import shell_radius


def test_reel_is_unbiased_and_seeded():
    reel = explore.sample_reel(200, 512, seed=1)
    assert np.array_equal(reel, explore.sample_reel(200, 512, seed=1))
    radii = np.linalg.norm(reel, axis=1)
    assert abs(radii.mean() - shell_radius(512)) < 0.2 and abs(reel.mean()) < 0.01


def test_random_picks_are_distinct_frames():
    picks = explore.journey_picks(50, count=6, keys=3, seed=2)
    assert len(picks) == 6 and all(len(set(p)) == 3 and max(p) < 50 for p in picks)
    assert picks == explore.journey_picks(50, count=6, keys=3, seed=2)


def test_random_journeys_do_not_repeat_a_pick_while_there_are_enough():
    picks = explore.journey_picks(6, count=20, keys=3, seed=0)  # all 20 sets of 3 out of 6
    assert len({tuple(p) for p in picks}) == 20
    assert len(explore.journey_picks(6, count=25, keys=3, seed=0)) == 25


def test_journey_passes_through_its_keyframes_on_the_shell():
    reel = explore.sample_reel(20, 512, seed=3)
    keys = explore.journey_keyframes(reel, [2, 9, 15])
    z = explore.journey(keys, frames=31, fps=FrameRate(30))
    assert z.shape == (31, 512) and z.dtype == np.float32
    assert np.allclose(z[0], reel[2], atol=1e-5) and np.allclose(z[-1], reel[15], atol=1e-5)
    assert np.allclose(z[15], reel[9], atol=1e-4)
    radii = np.linalg.norm(z, axis=1)
    assert radii.min() > 0.9 * shell_radius(512)  # spline on the sphere: no dip through the middle
    steps = np.linalg.norm(np.diff(z, axis=0), axis=1)
    assert steps.max() < 3 * steps.mean()


def test_lerp_journey_only_when_asked_and_it_dips():
    reel = explore.sample_reel(3, 512, seed=4)
    z = explore.journey(reel[:2], frames=21, fps=30, interp="lerp")
    assert np.linalg.norm(z[10]) < 0.8 * shell_radius(512)


def test_noise_keeps_neighbours_on_the_distribution():
    reel = explore.sample_reel(5, 512, seed=5)
    keys = explore.journey_keyframes(reel, [1, 3], noise=0.3, seed=6)
    assert not np.allclose(keys, reel[[1, 3]])
    assert np.all(np.abs(np.linalg.norm(keys, axis=1) - shell_radius(512)) < 2)
    cos = (keys * reel[[1, 3]]).sum(1) / np.linalg.norm(keys, axis=1) / np.linalg.norm(reel[[1, 3]], axis=1)
    assert np.all(cos > 0.9)  # still near the picked frames
    around = explore.journey_keyframes(reel, [4], noise=0.3, seed=6)
    assert np.array_equal(around[0], reel[4]) and not np.array_equal(around[1], reel[4])
    with pytest.raises(UsageError, match="needs `noise`"):
        explore.journey_keyframes(reel, [4])


def test_resampling_keeps_the_duration():
    z = explore.sample_reel(31, 16, seed=7)
    double = explore.resample(z, FrameRate(30), FrameRate(60))  # 31 frames last 31/30 s
    assert len(double) == 62 and np.allclose(double[::2], z, atol=1e-5)
    assert np.array_equal(double[-1], double[-2])  # past the last row: held
    assert len(explore.resample(z, 30, "30000/1001")) == 30

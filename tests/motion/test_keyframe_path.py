"""A path through keyframes at frames of a timeline: hits each on its frame, holds, pauses,
movers that chase them, and even speed that keeps them on their frames."""

import numpy as np
import pytest

from livelatent.errors import UsageError
from livelatent.generators import load
from livelatent.latent import sample, shell_radius
from livelatent.motion import MotionParams
from livelatent.motion.even_keyframes import even_keyframes
from livelatent.motion.keyframe_path import KeyframePath
from livelatent.motion.metrics import measure

FPS = 25
FRAMES = [6, 40, 62, 118, 150]  # uneven: 1.36 s, 0.88 s, 2.24 s, 1.28 s


def keys(k=5, seed=4):
    return sample(k, 512, seed).astype(np.float64)


def test_spline_holds_each_keyframe_exactly_on_its_frame_and_is_smooth_through_it():
    k = keys()
    z = KeyframePath(k, FRAMES, 170, FPS).sample()
    assert z.shape == (170, 512)
    for frame, key in zip(FRAMES, k):
        assert np.array_equal(z[frame], key)
    assert measure(z, FPS, keys=FRAMES).velocity_jump < 0.02
    # before the first keyframe and after the last the path holds them, easing out and in
    assert all(np.array_equal(row, k[0]) for row in z[:6]) and all(np.array_equal(row, k[-1]) for row in z[150:])
    assert measure(z, FPS).velocity_jump < 0.05


def test_equal_keyframes_in_a_row_hold_still_between_them():
    k = keys()
    k[2] = k[1]  # a guide inside a still: the same z twice
    path = KeyframePath(k, FRAMES, 170, FPS)
    z = path.sample()
    assert np.allclose(z[40:63], k[1], rtol=0, atol=1e-12)
    assert [(a.frame, a.still) for a in path.anchors][2:4] == [(40, True), (62, True)]
    assert measure(z, FPS, keys=FRAMES).velocity_jump < 0.05


def test_a_pause_stands_still_over_its_frames_and_eases_in_and_out():
    k = keys()
    z = KeyframePath(k, FRAMES, 170, FPS, pauses=[(80, 95)]).sample()
    assert np.allclose(z[80:96], z[80], rtol=0, atol=1e-12) and not np.allclose(z[79], z[80])
    for frame, key in zip(FRAMES, k):
        assert np.array_equal(z[frame], key)
    assert measure(z, FPS, keys=[80, 95]).velocity_jump < 0.05
    # a pause right before a keyframe holds that keyframe
    z = KeyframePath(k, FRAMES, 170, FPS, pauses=[(100, 117)]).sample()
    assert np.allclose(z[100:119], k[3], rtol=0, atol=1e-12)


@pytest.mark.parametrize("mover", ["geodesic", "smooth", "spring"])
def test_a_mover_reaches_each_keyframe_within_its_settle_time(mover):
    k = keys()
    settle = 0.8  # shorter than every segment (the shortest is 22 frames, 0.88 s)
    on_shell = k * (shell_radius(512) / np.linalg.norm(k, axis=1))[:, None]  # a mover aims at the shell
    z = KeyframePath(k, FRAMES, 170, FPS, method=mover, params=MotionParams(settle_time=settle)).sample()
    # keyframe i is the target from keyframe i-1's frame on, as the live particle is retargeted;
    # "within 1%" of the arc is within 2.5% of the straight distance (tests/motion/test_movers.py)
    for previous, frame, key in zip(FRAMES, FRAMES[1:], on_shell[1:]):
        assert frame - previous >= settle * FPS
        assert np.linalg.norm(z[frame] - key) < 0.025 * np.linalg.norm(z[previous] - key), (mover, frame)
    first_arrival = FRAMES[0] + int(np.ceil(settle * FPS))  # from rest: within the settle time itself
    assert np.linalg.norm(z[first_arrival] - on_shell[1]) < 0.025 * np.linalg.norm(on_shell[0] - on_shell[1])


def test_bad_keyframes_name_what_was_expected():
    with pytest.raises(UsageError, match="must increase within 0..169"):
        KeyframePath(keys(), [6, 6, 62, 118, 150], 170, FPS)
    with pytest.raises(UsageError, match="pause 30..50"):
        KeyframePath(keys(), FRAMES, 170, FPS, pauses=[(30, 50)])
    with pytest.raises(UsageError, match="method 'warp'"):
        KeyframePath(keys(), FRAMES, 170, FPS, method="warp")


def test_even_speed_keeps_keyframes_on_their_frames_and_the_velocity_continuous():
    k = keys()
    path = KeyframePath(k, FRAMES, 170, FPS)
    result = even_keyframes(path, load("default", device="cpu"), oversample=4)
    for frame, key in zip(FRAMES, k):
        assert np.array_equal(result.z[frame], key)
    assert result.variation_after < 0.7 * result.variation_before
    assert measure(result.z, FPS, keys=FRAMES[1:-1]).velocity_jump < 0.05

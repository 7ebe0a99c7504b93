"""Paths from keyframes: the spline hits keyframes on time and is smooth, followers are sampled
exactly like the live loop, the metrics tell slerp's notches from the spline's smoothness."""

from fractions import Fraction

import numpy as np
import pytest

from livelatent.errors import UsageError
from livelatent.common.latent import sample, shell_radius
from livelatent.motion import MotionParams
from livelatent.motion.metrics import measure
from livelatent.motion.paths import METHODS, build_path, keyframe_frames, keyframe_times
from livelatent.motion.spline import SphericalSpline

D = 512
KEYS = sample(5, D, seed=11).astype(np.float64)
R = shell_radius(D)


def test_spline_passes_exactly_through_every_keyframe_at_its_time():
    times = [0, Fraction(3, 2), 4, Fraction(9, 2), 7]
    spline = SphericalSpline(KEYS, times)
    for key, t in zip(KEYS, times):
        assert np.array_equal(spline(t), key)
    z = build_path(KEYS, times, 30, "spline")
    for key, frame in zip(KEYS, keyframe_frames(keyframe_times(5, times), 30)):
        assert np.array_equal(z[frame], key)


def test_spline_velocity_is_continuous_across_keyframes():
    spline = SphericalSpline(KEYS, [0, 1, 3, 4, 6])
    eps = Fraction(1, 10**6)
    for t in (1, 3, 4):
        before = (spline(t) - spline(t - eps)) / float(eps)
        after = (spline(t + eps) - spline(t)) / float(eps)
        assert np.linalg.norm(after - before) < 1e-3 * np.linalg.norm(before)


def test_timing_from_durations_times_or_one_duration():
    assert keyframe_times(3, 2.0) == [0, 2, 4]
    assert keyframe_times(3, [0.1, 0.2]) == [0, Fraction(1, 10), Fraction(3, 10)]
    assert keyframe_times(3, [1, 2, 5]) == [1, 2, 5]
    with pytest.raises(UsageError, match="3 times or 2 durations"):
        keyframe_times(3, [1, 2, 3, 4])
    with pytest.raises(UsageError, match="increase"):
        keyframe_times(3, [0, 2, 1])


@pytest.mark.parametrize("method", METHODS)
def test_every_method_gives_one_frame_per_tick_of_the_output_rate(method):
    z = build_path(KEYS[:3], [0, 1, 2], "30000/1001", method)
    assert z.shape == (60, D)  # 2 s at 29.97 fps: frames 0..59
    assert np.all(np.isfinite(z))


def test_follower_paths_are_deterministic_and_start_at_the_first_keyframe():
    a = build_path(KEYS, 1.0, 25, "smooth", MotionParams(settle_time=0.7))
    b = build_path(KEYS, 1.0, 25, "smooth", MotionParams(settle_time=0.7))
    assert a.tobytes() == b.tobytes()
    np.testing.assert_allclose(a[0], KEYS[0] * R / np.linalg.norm(KEYS[0]))


def test_a_frame_sampled_at_a_higher_rate_lands_on_the_same_z():
    slow = build_path(KEYS[:3], 1.0, 30, "geodesic")
    fast = build_path(KEYS[:3], 1.0, 120, "geodesic")
    assert slow.tobytes() == fast[::4].tobytes()


def test_metrics_tell_slerp_notches_from_smooth_paths():
    times = keyframe_times(len(KEYS), 2.0)
    keys = keyframe_frames(times, 60)[1:-1]
    report = {m: measure(build_path(KEYS, 2.0, 60, m), 60, keys=keys, keyframes=KEYS) for m in METHODS}
    for smooth in ("spline", "geodesic", "smooth", "spring"):
        assert report[smooth].velocity_jump * 10 < report["slerp"].velocity_jump
    assert report["smooth"].acceleration_jump * 10 < report["geodesic"].acceleration_jump
    assert report["geodesic"].shell_deviation < 1e-9 and report["smooth"].shell_deviation < 1e-9
    assert report["lerp"].shell_deviation > 5  # the midpoint sags ~R(1 - 1/sqrt 2) inside
    assert max(report["spline"].closest_approach) == 0.0
    assert report["spline"].rms_jerk < report["slerp"].rms_jerk / 10


def test_metrics_without_keyframes_find_the_worst_kink_anywhere():
    z = build_path(KEYS[:3], 1.0, 60, "slerp")
    assert measure(z, 60).velocity_jump == pytest.approx(measure(z, 60, keys=[60]).velocity_jump)

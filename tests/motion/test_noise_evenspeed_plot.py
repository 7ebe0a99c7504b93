"""Neighbourhood noise stays on the distribution; even speed evens the image change; the
trajectory picture is a real PNG."""

import zlib

import numpy as np
import pytest

from livelatent.errors import UsageError
from livelatent.common.latent import sample, shell_radius
from livelatent.motion.evenspeed import retime_even
from livelatent.motion.noise import loop_around, neighbour, tangent_noise
from livelatent.motion.paths import build_path
from livelatent.adapters.png import write_png
from livelatent.motion.plot import trajectory_image

D = 512
Z = sample(1, D, seed=2)[0].astype(np.float64)


def test_neighbours_are_typical_samples_at_every_amount():
    for amount in (0.0, 0.1, 0.5, 1.0):
        radii = [np.linalg.norm(neighbour(Z, amount, seed=4, tick=t)) for t in range(200)]
        assert abs(np.mean(radii) - shell_radius(D)) < 3 * 0.707
    assert np.array_equal(neighbour(Z, 0.0, 4, 9), Z)


def test_noise_is_keyed_by_seed_and_tick_not_by_call_order():
    assert np.array_equal(neighbour(Z, 0.2, 4, 10), neighbour(Z, 0.2, 4, 10))
    assert not np.array_equal(neighbour(Z, 0.2, 4, 10), neighbour(Z, 0.2, 4, 11))
    push = tangent_noise(Z, 0.1, seed=4, tick=3)
    assert abs(push @ Z) < 1e-9 * np.linalg.norm(push) * np.linalg.norm(Z)
    assert np.linalg.norm(push) == pytest.approx(0.1 * np.linalg.norm(Z), rel=0.2)


def test_a_noise_loop_closes_and_stays_on_the_shell():
    loop = loop_around(Z, 0.3, np.linspace(0, 2 * np.pi, 65), seed=7)
    np.testing.assert_allclose(loop[0], loop[-1], atol=1e-9)
    assert np.abs(np.linalg.norm(loop, axis=1) - shell_radius(D)).max() < 3 * 0.707
    with pytest.raises(UsageError, match="noise amount"):
        loop_around(Z, 1.5, [0.0], seed=7)


def test_retiming_by_cumulative_change_evens_the_steps():
    dense = build_path(sample(3, D, 5), 1.0, 64, "spline")  # 129 points
    change = np.where(np.arange(128) < 32, 4.0, 1.0)  # the first quarter changes 4x faster
    z = retime_even(dense, change, 33)
    assert np.array_equal(z[0], dense[0]) and np.array_equal(z[-1], dense[-1])
    # equal cumulative change per frame: the fast quarter now takes 4/7 of the frames
    idx = [int(np.argmin(np.linalg.norm(dense - row, axis=1))) for row in z]
    assert np.all(np.diff(idx) >= 0)
    assert idx[int(32 * 4 / 7)] == pytest.approx(32, abs=2)


def test_even_speed_with_the_default_model_lowers_the_variation():
    from livelatent.generators import load
    from livelatent.motion.evenspeed import even_speed

    keys = sample(3, D, 8)
    dense = build_path(keys, 1.0, 32, "spline")
    result = even_speed(dense, load("default"), 17, oversample=4, size=(32, 32))
    assert result.z.shape == (17, D)
    assert result.variation_after < result.variation_before


def test_png_writer_round_trips_pixels(tmp_path):
    rgb = np.random.default_rng(0).integers(0, 256, (7, 5, 3), dtype=np.uint8)
    data = write_png(tmp_path / "x.png", rgb).read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    idat = data[data.index(b"IDAT") + 4:data.index(b"IEND") - 8]
    rows = np.frombuffer(zlib.decompress(idat), np.uint8).reshape(7, 16)
    assert np.array_equal(rows[:, 1:].reshape(7, 5, 3), rgb) and not rows[:, 0].any()


def test_trajectory_picture_has_one_column_per_frame_and_three_panels():
    z = build_path(sample(3, D, 5), 2.0, 300, "slerp")  # 1201 frames
    image = trajectory_image(z, 300, keys=[0, 600, 1200])
    assert image.shape == (512 + 4 + 120 + 4 + 120, 1201, 3)
    assert image.dtype == np.uint8
    short = trajectory_image(z[:10], 300, max_rows=100)
    assert short.shape[1] == 10 * 51 and short.shape[0] == 100 * 2 + 248

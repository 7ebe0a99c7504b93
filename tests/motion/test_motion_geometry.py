"""Sphere geometry: exp and log maps invert each other, transport keeps tangents tangent."""

import math

import numpy as np
import pytest

from livelatent.motion.geometry import (
    blend, exp_map, geodesic_point, log_map, norm, parallel_transport, project_tangent, to_shell,
)

rng = np.random.default_rng(0)


@pytest.mark.parametrize("d", [2, 3, 512, 8192])
def test_exp_of_log_returns_to_the_target_direction(d):
    p, q = rng.standard_normal(d), rng.standard_normal(d)
    v = log_map(p, q)
    assert abs(float(v @ p)) < 1e-9 * norm(p) * norm(v)
    landed = exp_map(p, v)
    np.testing.assert_allclose(landed, to_shell(q, norm(p)), atol=1e-9 * norm(p))


def test_log_length_is_arc_length():
    p, q = np.array([2.0, 0, 0]), np.array([0, 5.0, 0])
    np.testing.assert_allclose(log_map(p, q), [0, math.pi, 0])


def test_antipode_gets_a_fixed_half_circle_direction():
    p = rng.standard_normal(16)
    v1, v2 = log_map(p, -p), log_map(p, -p)
    assert np.array_equal(v1, v2)
    assert norm(v1) == pytest.approx(math.pi * norm(p))
    assert abs(v1 @ p) < 1e-9
    np.testing.assert_allclose(exp_map(p, v1), -p, atol=1e-9)


def test_zero_length_cases_fall_back_to_flat_space():
    zero, q = np.zeros(4), np.array([1.0, 2, 3, 4])
    assert np.array_equal(log_map(zero, q), q)
    assert np.array_equal(log_map(q, zero), np.zeros(4))
    assert np.array_equal(exp_map(q, np.zeros(4)), q)
    assert np.array_equal(project_tangent(zero, q), q)
    assert norm(to_shell(zero, 3.0)) == 3.0


def test_parallel_transport_keeps_length_and_tangency():
    p, q = rng.standard_normal(64), rng.standard_normal(64)
    q = to_shell(q, norm(p))
    v = project_tangent(p, rng.standard_normal(64))
    w = parallel_transport(p, q, v)
    assert norm(w) == pytest.approx(norm(v))
    assert abs(w @ q) < 1e-9 * norm(q) * norm(w)
    # the direction of travel turns into the direction of arrival
    along = log_map(p, q)
    np.testing.assert_allclose(parallel_transport(p, q, along), -log_map(q, p), atol=1e-9)


def test_blend_is_exactly_the_first_state_at_alpha_zero_and_stays_on_the_shell():
    a = to_shell(rng.standard_normal(512), 22.6)
    b = exp_map(a, project_tangent(a, rng.standard_normal(512)) * 0.01)
    assert np.array_equal(blend(a, b, 0), a)
    for alpha in (0.25, 0.5, 0.999):
        assert norm(blend(a, b, alpha)) == pytest.approx(22.6, abs=1e-12)
    np.testing.assert_allclose(blend(a, b, 1.0), b, atol=1e-12)


def test_geodesic_point_halfway_is_equidistant():
    a, b = to_shell(rng.standard_normal(32), 1), to_shell(rng.standard_normal(32), 1)
    m = geodesic_point(a, b, 0.5)
    assert norm(log_map(m, a)) == pytest.approx(norm(log_map(m, b)))

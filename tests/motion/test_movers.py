"""Movers: deterministic, on the shell, stable over every exposed parameter, no jumps."""

import numpy as np
import pytest

from livelatent.errors import LatentShapeError, UsageError
from livelatent.common.latent import sample, shell_radius
from livelatent.motion import MOVERS, MotionParams, make_mover
from livelatent.motion.geometry import norm
from livelatent.motion.springs import spring_step

D = 512
R = shell_radius(D)
KEYS = sample(6, D, seed=3).astype(np.float64)
DT = 1 / 240


def _run(params, ticks=240 * 3, dt=DT, keys=KEYS, impulses=None):
    mover = make_mover(params, keys[0])
    path = []
    for tick in range(ticks):
        if tick % 120 == 0:
            mover.retarget(keys[1 + (tick // 120) % (len(keys) - 1)])
        if impulses is not None:
            mover.impulse(impulses(tick))
        mover.step(dt)
        path.append(mover.position.copy())
    return mover, np.array(path)


@pytest.mark.parametrize("kind", MOVERS)
def test_same_inputs_give_the_same_path_bit_for_bit(kind):
    noise = lambda tick: np.random.default_rng([5, tick]).standard_normal(D)  # noqa: E731
    _, a = _run(MotionParams(mover=kind), impulses=noise)
    _, b = _run(MotionParams(mover=kind), impulses=noise)
    assert a.tobytes() == b.tobytes()


@pytest.mark.parametrize("kind", ["geodesic", "smooth"])
def test_geodesic_movers_stay_exactly_on_the_shell(kind):
    _, path = _run(MotionParams(mover=kind, settle_time=0.05, damping=0.1))
    assert np.abs(np.linalg.norm(path, axis=1) - R).max() < 1e-12


def test_spring_mover_stays_near_the_shell():
    _, path = _run(MotionParams(mover="spring"))
    assert np.abs(np.linalg.norm(path, axis=1) - R).max() < 0.05 * 0.707


@pytest.mark.parametrize("kind", MOVERS)
def test_movers_settle_within_one_percent_in_settle_time(kind):
    mover = make_mover(MotionParams(mover=kind, settle_time=1.0), KEYS[0])
    mover.retarget(KEYS[1])
    start = norm(mover.position - mover.target)
    for _ in range(240):
        mover.step(DT)
    assert norm(mover.position - mover.target) < 0.025 * start


@pytest.mark.parametrize("kind", MOVERS)
@pytest.mark.parametrize("dt", [1 / 30, 1 / 60, 1 / 240], ids=["30Hz", "60Hz", "240Hz"])
def test_stable_at_every_corner_of_the_parameter_ranges(kind, dt):
    ranges = MotionParams.RANGES
    for settle in ranges["settle_time"]:
        for damping in ranges["damping"]:
            for shell in ranges["shell_stiffness"]:
                params = MotionParams(kind, settle, damping, shell)
                mover, path = _run(params, ticks=int(2 / dt), dt=dt)
                radii = np.linalg.norm(path, axis=1)
                assert np.all(np.isfinite(path))
                # geodesic movers stay on the shell; a fast, bouncy main spring on a weak shell
                # swings through and past it, but stays bounded
                assert radii.max() < (R + 1e-9 if kind != "spring" else 3 * R)
                assert norm(mover.velocity) < 100 * R


def test_plain_euler_would_blow_up_where_the_exact_update_does_not():
    omega, dt = 2 * np.pi * 60, 1 / 60  # the stiffest shell spring, ticked at 60 Hz
    x, v = 1.0, 0.0
    for _ in range(50):
        x, v = x + dt * v, v + dt * (-omega**2 * x - 2 * omega * v)
    assert abs(x) > 1e6
    k = spring_step(omega, 1.0, dt)
    x, v = 1.0, 0.0
    for _ in range(50):
        x, v = k.xx * x + k.xv * v, k.vx * x + k.vv * v
    assert abs(x) < 1e-6


@pytest.mark.parametrize("zeta", [0.3, 1.0, 1.0 + 1e-9, 2.5])
def test_exact_spring_step_matches_a_fine_integration(zeta):
    omega, dt = 5.0, 0.05
    k = spring_step(omega, zeta, dt)
    x, v, h = 1.0, 0.5, dt / 20000
    for _ in range(20000):  # symplectic-ish fine reference
        v += h * (-omega**2 * x - 2 * zeta * omega * v)
        x += h * v
    assert k.xx * 1.0 + k.xv * 0.5 == pytest.approx(x, abs=1e-4)
    assert k.vx * 1.0 + k.vv * 0.5 == pytest.approx(v, abs=1e-3)


@pytest.mark.parametrize("kind", MOVERS)
def test_retarget_and_param_change_leave_position_and_velocity_untouched(kind):
    mover, _ = _run(MotionParams(mover=kind), ticks=100)
    p, v = mover.position.copy(), mover.velocity.copy()
    mover.retarget(KEYS[4])
    mover.set_params(MotionParams(mover=kind, settle_time=0.2, damping=0.5, shell_stiffness=2, speed_limit=1))
    assert np.array_equal(mover.position, p) and np.array_equal(mover.velocity, v)
    mover.step(DT)
    assert norm(mover.position - p) < 2 * norm(v) * DT + 1e-9  # one tick's worth of motion


def test_speed_limit_caps_the_speed_in_shell_radii_per_second():
    params = MotionParams(settle_time=0.1, speed_limit=0.5)
    mover, path = _run(params)
    speeds = np.linalg.norm(np.diff(path, axis=0), axis=1) / DT
    assert speeds.max() <= 0.5 * R * (1 + 1e-9)
    assert speeds.max() > 0.45 * R


@pytest.mark.parametrize("kind", MOVERS)
def test_impulse_pushes_along_the_tangent_only(kind):
    mover = make_mover(MotionParams(mover=kind), KEYS[0])
    mover.impulse(mover.position * 3 + np.eye(D)[0] * 10)  # radial part is dropped
    for _ in range(24):
        mover.step(DT)
    assert norm(mover.position - KEYS[0] * R / norm(KEYS[0])) > 0.01
    if kind != "spring":
        assert norm(mover.position) == pytest.approx(R)


def test_bad_inputs_name_the_thing():
    mover = make_mover(MotionParams(), KEYS[0])
    with pytest.raises(LatentShapeError, match="mover target.*512"):
        mover.retarget(np.zeros(3))
    with pytest.raises(LatentShapeError, match="impulse.*NaN"):
        mover.impulse(np.full(D, np.nan))


def test_params_validate_and_map_controllers():
    p = MotionParams()
    assert p.with_value("settle_time", "0.5").settle_time == 0.5
    with pytest.raises(UsageError, match=r"damping: expected a number in 0.1..4"):
        p.with_value("damping", 9)
    with pytest.raises(UsageError, match="mover"):
        MotionParams(mover="euler")
    with pytest.raises(UsageError, match="'wobble'"):
        p.from_normalised("wobble", 0.5)
    lo, hi = MotionParams.RANGES["settle_time"]
    assert p.from_normalised("settle_time", 0).settle_time == lo
    assert p.from_normalised("settle_time", 1.5).settle_time == hi
    mid = p.from_normalised("settle_time", 0.5).settle_time
    assert mid == pytest.approx((lo * hi) ** 0.5)  # log scale
    assert p.from_normalised("damping", 0.5).normalised("damping") == pytest.approx(0.5)
    assert p.from_normalised("mover", 0.99).mover == "spring"


@pytest.mark.parametrize("kind", MOVERS)
def test_state_round_trips_so_a_restored_mover_continues_bit_for_bit(kind):
    mover, _ = _run(MotionParams(mover=kind), ticks=50)
    saved = mover.state()
    twin = make_mover(MotionParams(mover=kind), KEYS[3])
    twin.set_state(saved)
    for _ in range(30):
        mover.step(DT)
        twin.step(DT)
    assert mover.position.tobytes() == twin.position.tobytes()


@pytest.mark.parametrize("old_kind, new_kind", [("geodesic", "smooth"), ("smooth", "spring"), ("spring", "geodesic")])
def test_switching_mover_keeps_position_velocity_and_target(old_kind, new_kind):
    from livelatent.motion.movers import switch_mover

    old, _ = _run(MotionParams(mover=old_kind), ticks=50)
    new = switch_mover(old, MotionParams(mover=new_kind))
    np.testing.assert_allclose(new.position, old.position, atol=0.05)
    np.testing.assert_allclose(new.velocity, old.velocity, atol=0.05 * norm(old.velocity))
    np.testing.assert_allclose(new.target, old.target)

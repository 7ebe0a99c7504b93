"""Movers: a particle in latent space that chases a target, one fixed tick at a time.

Three movers share one interface (position, velocity, target, retarget, set_params, impulse,
step); make_mover builds the one MotionParams.mover names:

- "geodesic" (default): the velocity lives in the sphere's tangent space. Each tick the pull
  toward the target is the logarithm map, the damped spring is advanced exactly, the move is
  the exponential map and the velocity is parallel-transported. Exactly on the shell and
  unconditionally stable.
- "smooth": two geodesic followers in series; the visible one chases the first, so its
  acceleration is continuous too (a retarget bends the path without a kink in acceleration).
- "spring": the seed's particle in R^d tied by a damped spring to the target and by a second,
  stiffer one to the shell; both springs are advanced exactly (Strang splitting), so it is
  stable for every exposed parameter, and stays near (not exactly on) the shell.

Units: positions in z units; velocities in z units per second; impulse(dv) adds dv (z units
per second, projected onto the tangent space) to the velocity. step(dt) is one tick: same
inputs, same floats, bit for bit. Targets are projected onto the mover's shell radius.
"""

from __future__ import annotations

import math

import numpy as np

from livelatent.errors import LatentShapeError
from livelatent.common.latent import check_z, shell_radius
from livelatent.motion.geometry import log_map, norm, project_tangent, to_shell, walk
from livelatent.motion.params import MOVERS, MotionParams  # noqa: F401  (part of this API)
from livelatent.motion.springs import frequency_for_settle, spring_step


def _vector(x, d: int | None, what: str) -> np.ndarray:
    """x as a float64 (d,) vector; LatentShapeError naming `what` if it is not one."""
    a = np.asarray(x)
    check_z(a.reshape(1, -1) if a.ndim == 1 else a, d, what=what)
    if a.ndim != 1:
        raise LatentShapeError(f"{what}: expected one z of shape ({d},), got {a.shape}")
    return np.array(a, dtype=np.float64)


class Mover:
    """What every mover offers; subclasses implement step()."""

    position: np.ndarray
    velocity: np.ndarray
    target: np.ndarray

    def __init__(self, params: MotionParams, start, radius: float):
        self.radius = float(radius)
        self.position = to_shell(_vector(start, None, "mover start"), self.radius)
        self.velocity = np.zeros_like(self.position)
        self.target = self.position.copy()
        self.params = params
        self._omega = frequency_for_settle(params.settle_time)

    @property
    def d(self) -> int:
        return len(self.position)

    def retarget(self, target) -> None:
        """Chase a new target from here; position and velocity carry on unchanged."""
        self.target = to_shell(_vector(target, self.d, "mover target"), self.radius)

    def set_params(self, params: MotionParams) -> None:
        """Change the knobs live; position and velocity carry on unchanged."""
        self.params = params
        self._omega = frequency_for_settle(params.settle_time)

    def impulse(self, dv) -> None:
        """A push: add dv (z units / s), projected onto the tangent space, to the velocity."""
        self.velocity = self.velocity + project_tangent(self.position, _vector(dv, self.d, "impulse"))

    def step(self, dt: float) -> None:
        raise NotImplementedError

    def state(self) -> dict[str, np.ndarray]:
        """Copies of everything step() depends on besides params (for takes and replay)."""
        return {name: getattr(self, name).copy() for name in ("position", "velocity", "target")}

    def set_state(self, state: dict[str, np.ndarray]) -> None:
        """Restore what state() returned, bit for bit."""
        for name, value in state.items():
            setattr(self, name, np.array(value, dtype=np.float64))

    def _limit(self, move: np.ndarray, velocity: np.ndarray, dt: float) -> tuple[np.ndarray, np.ndarray]:
        """Cap the speed at params.speed_limit shell radii per second (0 = no cap)."""
        if self.params.speed_limit <= 0:
            return move, velocity
        vmax = self.params.speed_limit * self.radius
        speed, length = norm(velocity), norm(move)
        if speed > vmax:
            velocity = velocity * (vmax / speed)
        if length > vmax * dt:
            move = move * (vmax * dt / length)
        return move, velocity


class GeodesicFollower(Mover):
    """Chases its target along great circles, exactly on the shell."""

    stages = 1

    def set_params(self, params: MotionParams) -> None:
        super().set_params(params)
        self._omega = frequency_for_settle(params.settle_time, stages=self.stages)

    def step(self, dt: float) -> None:
        k = spring_step(self._omega, self.params.damping, dt)
        p, v = self.position, self.velocity
        offset = -log_map(p, self.target)  # where p sits relative to the target, in p's tangent space
        move = (k.xx - 1.0) * offset + k.xv * v
        v_new = k.vx * offset + k.vv * v
        move, v_new = self._limit(move, v_new, dt)
        p_new, v_new = walk(p, move, v_new)
        p_new = to_shell(p_new, self.radius)  # no drift off the shell, ever
        self.velocity = project_tangent(p_new, v_new)
        self.position = p_new


class SmoothFollower(Mover):
    """Two geodesic followers in series: continuous in acceleration as well as velocity.

    The hidden lead chases the target; the visible particle chases the lead. Both springs
    are tuned so the pair settles within 1% in settle_time. Impulses push the lead, so even
    a push leaves the visible acceleration continuous.
    """

    def __init__(self, params: MotionParams, start, radius: float):
        self.lead = _Stage(params, start, radius)
        self.follower = _Stage(params, start, radius)
        self.radius, self.params = float(radius), params

    position = property(lambda self: self.follower.position)
    velocity = property(lambda self: self.follower.velocity)
    target = property(lambda self: self.lead.target)

    def retarget(self, target) -> None:
        self.lead.retarget(target)

    def set_params(self, params: MotionParams) -> None:
        self.params = params
        self.lead.set_params(params)
        self.follower.set_params(params)

    def impulse(self, dv) -> None:
        self.lead.impulse(dv)

    def step(self, dt: float) -> None:
        self.lead.step(dt)
        self.follower.target = self.lead.position
        self.follower.step(dt)

    def state(self) -> dict[str, np.ndarray]:
        return {f"{stage}.{k}": v for stage in ("lead", "follower") for k, v in getattr(self, stage).state().items()}

    def set_state(self, state: dict[str, np.ndarray]) -> None:
        for stage in ("lead", "follower"):
            getattr(self, stage).set_state({k.split(".", 1)[1]: v for k, v in state.items() if k.startswith(stage + ".")})


class _Stage(GeodesicFollower):
    stages = 2

    def __init__(self, params: MotionParams, start, radius: float):
        super().__init__(params, start, radius)
        self.set_params(params)


class SpringShellMover(Mover):
    """The seed's particle: a damped spring to the target plus a stiff damped spring to the shell."""

    def step(self, dt: float) -> None:
        # The two exact updates are composed (Strang splitting) in sub-steps short enough for
        # either spring to turn at most a radian; more would let the composition grow.
        omega_shell = 2 * math.pi * self.params.shell_stiffness
        n = max(1, math.ceil(max(self._omega, omega_shell) * dt))
        h = dt / n
        half = spring_step(self._omega, self.params.damping, h / 2)
        shell = spring_step(omega_shell, 1.0, h)
        p, v = self.position, self.velocity
        for _ in range(n):
            p, v = self._pull(p, v, half)
            p, v = self._shell(p, v, shell)
            p, v = self._pull(p, v, half)
        move, v = self._limit(p - self.position, v, dt)
        self.position, self.velocity = self.position + move, v

    def _pull(self, p: np.ndarray, v: np.ndarray, k) -> tuple[np.ndarray, np.ndarray]:
        offset = p - self.target
        return self.target + (k.xx * offset + k.xv * v), k.vx * offset + k.vv * v

    def _shell(self, p: np.ndarray, v: np.ndarray, k) -> tuple[np.ndarray, np.ndarray]:
        """Advance the radial spring exactly; the tangential motion is untouched."""
        r = norm(p)
        if r == 0.0:
            return p, v
        u = p / r
        v_radial = float(np.dot(v, u))
        dr = r - self.radius
        dr, v_radial_new = k.xx * dr + k.xv * v_radial, k.vx * dr + k.vv * v_radial
        return u * (self.radius + dr), v + (v_radial_new - v_radial) * u


def switch_mover(old: Mover, params: MotionParams) -> Mover:
    """A mover of params.mover's kind that carries on from `old`: same position, velocity and
    target (every stage of a two-stage mover starts where the visible particle is)."""
    new = make_mover(params, old.position, radius=old.radius)
    velocity = project_tangent(new.position, old.velocity) if params.mover != "spring" else old.velocity.copy()
    stages = [new.lead, new.follower] if isinstance(new, SmoothFollower) else [new]
    for stage in stages:
        stage.velocity = velocity.copy()
    new.retarget(old.target)
    return new


_KINDS = {"geodesic": GeodesicFollower, "smooth": SmoothFollower, "spring": SpringShellMover}


def make_mover(params: MotionParams, start, *, radius: float | None = None) -> Mover:
    """The mover params.mover names, at rest at `start` (projected onto the shell).

    radius: the shell radius; None means shell_radius(d) for a N(0, I_d) prior.
    """
    start = _vector(start, None, "mover start")
    if radius is None:
        radius = shell_radius(len(start))
    return _KINDS[params.mover](params, start, radius)

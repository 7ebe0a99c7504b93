"""Performance: the keyframe bank plus the mover, advanced one fixed tick at a time.

The ONE object both the live loop and offline replay drive. Only two calls change it:

    perf = Performance(bank, MotionParams(), seed=7, tick_rate=240)   # or start=z, tick=T
    perf.apply(event)      # any number of events, in queue order, at the current tick
    perf.step()            # tick T -> T+1; perf.z is the position at perf.tick

Same construction + same events at the same ticks => the same z, bit for bit. Randomness (a
random keyframe, noise) is keyed by (seed, tick, ...) through latent.keyed_rng, never by wall
time. A replay rebuilds the object from the plain description a take stores:

    desc, arrays = perf.describe(), perf.arrays()      # JSON-able dict + numpy arrays (.npz)
    twin = Performance.restore(desc, arrays)           # identical state, identical future

Events (the table in actions.py names the method that applies each; the picture's and the
app's actions return False from apply):
  keyframe(slot, strength)  retarget to the slot's z (strength < 1: that fraction of the way
                            from where the particle is, along the great circle)
  keyframe.random()         retarget to a fresh N(0, I) sample keyed by (seed, tick, n)
  z(values...)              retarget to a given z
  store(slot)               put the current position into a slot
  bank.load(path, labels, z) every slot's z and label from a saved bank (read where the event was
                            made: instrument/bank_load.py); the particle keeps its course
  motion(name, v, form)     set a knob: form "norm" maps 0..1 onto its range, "raw" as given
  mover(name)               switch mover kind; position, velocity and target carry on
  noise(amount)             0..1: random pushes each tick, the spring pulls back to the target
  tempo, tempo.tap, tempo.beat, tempo.transport, settle_beats, impulse, keyframe.next:
                            the beat grid and what music sends (instrument/music.py)
Bad arguments (a slot out of range, a z of the wrong size) raise ControlMessageError and
change nothing.
"""

from __future__ import annotations

import math

import numpy as np

from livelatent.instrument.bank import KeyframeBank
from livelatent.instrument.music import MusicState
from livelatent.instrument.tempo import BeatGrid
from livelatent.motion.clock import TickClock
from livelatent.instrument.actions import ACTIONS, ControlEvent
from livelatent.errors import ControlMessageError, LatentShapeError, UsageError
from livelatent.common.latent import check_z, keyed_rng
from livelatent.motion.geometry import blend
from livelatent.motion.movers import MotionParams, make_mover, switch_mover
from livelatent.motion.noise import tangent_noise

RANDOM_KEY = 0x5EED   # keyed_rng(seed, RANDOM_KEY, tick, n): the n-th random keyframe at a tick
NOISE_SPEED = 0.5     # noise 1.0: pushes of half a shell radius per second per sqrt(second)
ARRIVED = 0.01        # within 1% of the radius of the target counts as having arrived


class Performance(MusicState):
    """Bank + mover + knobs on a fixed tick. See the module docstring for the API."""

    def __init__(self, bank: KeyframeBank, params: MotionParams, *, seed: int, tick_rate: int = 240,
                 start: np.ndarray | None = None, radius: float | None = None, tick: int = 0,
                 noise: float = 0.0, beat: BeatGrid | None = None, settle_beats: float = 0.0) -> None:
        self.bank, self.params, self.seed = bank, params, int(seed)
        self.clock = TickClock(int(tick_rate))
        self.tick, self.noise = int(tick), float(noise)
        at_slot0 = start is None
        start = bank[0] if at_slot0 else check_z(start, bank.d, what="start z")[0]
        self.mover = make_mover(params, start, radius=radius)
        self.target_slot: int | None = 0 if at_slot0 else None
        self.current_slot: int | None = self.target_slot
        self._randoms_this_tick = 0
        self._init_music(beat, settle_beats)

    @property
    def d(self) -> int:
        return self.bank.d

    @property
    def z(self) -> np.ndarray:
        """The particle's position now (float64 (d,)); frames blend consecutive ones."""
        return self.mover.position

    @property
    def radius(self) -> float:
        return self.mover.radius

    # ---- the two calls that change it ----

    def apply(self, event: ControlEvent) -> bool:
        """Apply one event at the current tick; False if the event is not the performance's."""
        action = ACTIONS[event.action]
        if action.applies != "performance":
            return False
        getattr(self, action.apply)(*event.args)  # the method the table names (actions.py)
        return True

    def step(self) -> None:
        """Advance one tick."""
        if self.noise > 0:  # a random tangent push; the spring pulls back toward the target
            scale = self.noise * NOISE_SPEED * math.sqrt(self.clock.dt)
            self.mover.impulse(tangent_noise(self.z, scale, self.seed, self.tick))
        self.mover.step(self.clock.dt)
        self.tick += 1
        self._randoms_this_tick = self._impulses_this_tick = 0
        if self.target_slot != self.current_slot and self._near_target():
            self.current_slot = self.target_slot

    def _near_target(self) -> bool:
        return float(np.linalg.norm(self.mover.position - self.mover.target)) < ARRIVED * self.radius

    # ---- event handlers ----

    def _on_keyframe(self, slot: int, strength: float = 1.0) -> None:
        key = self.bank[slot]
        target = key if strength >= 1.0 else blend(self.z, _on_radius(key, self.radius), strength)
        self._retarget(target, slot)

    def _on_keyframe_random(self) -> None:
        n, self._randoms_this_tick = self._randoms_this_tick, self._randoms_this_tick + 1
        self._retarget(keyed_rng(self.seed, RANDOM_KEY, self.tick, n).standard_normal(self.d), None)

    def _on_z(self, *values: float) -> None:
        try:
            z = check_z(np.asarray(values, dtype=np.float64), self.d, what="z")[0]
        except LatentShapeError as exc:
            raise ControlMessageError(str(exc)) from None
        self._retarget(z, None)

    def _on_store(self, slot: int) -> None:
        self.bank.store(slot, self.z.astype(np.float32), label=f"stored@{self.tick}")

    def _on_bank_load(self, path: str, labels: tuple[str, ...], z: tuple) -> None:
        z = np.asarray(z, dtype=np.float32)
        if z.shape != self.bank.z.shape:
            raise ControlMessageError(f"bank {path}: {z.shape[0]} slots of z size {z.shape[1]}, but this show's bank "
                                      f"has {len(self.bank)} of {self.d}")
        self.bank.z[:] = z
        self.bank.labels = list(labels)

    def _on_motion(self, name: str, value: float, form: str = "norm") -> None:
        try:
            p = self.params.from_normalised(name, value) if form == "norm" else self.params.with_value(name, value)
        except UsageError as exc:
            raise ControlMessageError(str(exc)) from None
        self.params = p
        self.mover.set_params(p)
        if name == "settle_time":
            self.settle_beats = 0.0  # the performer's own settle time; no longer in beats

    def _on_mover(self, name: str) -> None:
        if name == self.params.mover:
            return
        self.params = self.params.with_value("mover", name)
        self.mover = switch_mover(self.mover, self.params)  # position, velocity, target carry on

    def _on_noise(self, amount: float) -> None:
        self.noise = float(amount)

    def _retarget(self, z: np.ndarray, slot: int | None) -> None:
        self.mover.retarget(z)
        self.target_slot = slot
        if slot is None:
            self.current_slot = None

    # ---- description for takes and replay ----

    def describe(self) -> dict:
        """Plain JSON-able facts: with arrays() everything restore() needs."""
        return {"d": self.d, "seed": self.seed, "tick_rate": self.clock.rate, "tick": self.tick,
                "radius": self.radius, "noise": self.noise, "target_slot": self.target_slot,
                "current_slot": self.current_slot, "bank_labels": list(self.bank.labels),
                "motion": {f: getattr(self.params, f) for f in ("mover", *MotionParams.RANGES)},
                **self._describe_music()}

    def arrays(self) -> dict[str, np.ndarray]:
        """The bank and the mover's full state (position, velocity, target of every stage)."""
        return {"bank": self.bank.z.copy(), **{f"mover.{k}": v for k, v in self.mover.state().items()}}

    @classmethod
    def restore(cls, desc: dict, arrays: dict[str, np.ndarray]) -> "Performance":
        bank = KeyframeBank(arrays["bank"], desc.get("bank_labels"))
        perf = cls(bank, MotionParams(**desc["motion"]), seed=desc["seed"], tick_rate=desc["tick_rate"],
                   start=bank[0], radius=desc["radius"], tick=desc["tick"], noise=desc.get("noise", 0.0))
        perf.mover.set_state(_mover_state(arrays, perf.mover.state()))
        perf.target_slot, perf.current_slot = desc.get("target_slot"), desc.get("current_slot")
        perf._restore_music(desc)
        return perf


def _on_radius(z: np.ndarray, radius: float) -> np.ndarray:
    z = np.asarray(z, dtype=np.float64)
    n = float(np.linalg.norm(z))
    return z * (radius / n) if n > 0 else z


def _mover_state(arrays: dict[str, np.ndarray], like: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The "mover.*" arrays, when they are exactly the finite arrays a mover like this one holds."""
    state = {k[len("mover."):]: v for k, v in arrays.items() if k.startswith("mover.")}
    if set(state) != set(like) or any(np.shape(state[k]) != v.shape for k, v in like.items()):
        raise LatentShapeError(f"mover state {sorted(state)}: expected arrays {sorted(like)} "
                               f"of shape {next(iter(like.values())).shape}")
    for name, value in state.items():
        check_z(value, len(value), what=f"mover state {name}")
    return state

"""Fixed-tick time: the simulation's clock, independent of the render frame rate.

The tick index is an int and time is computed from it (Fraction(tick, rate)), never
accumulated, so tick 1_000_000 is exactly as precise as tick 1. Output frames are sampled
between ticks: FrameSampler says which frames fall between the states at tick-1 and tick,
and how far along (alpha) each one is. The live recorder and offline replay both use it, so
a replay at the take's fps gives the same z's bit for bit.

    clock = TickClock(240)
    sampler = FrameSampler(FrameRate.parse("30000/1001"), clock.rate)
    for tick in range(1, clock.ticks_due(10.0) + 1):
        prev = mover.position.copy(); mover.step(clock.dt)
        for k, alpha in sampler.frames_in_step(tick):
            frames[k] = blend(prev, mover.position, alpha)     # sampler.rows(tick, prev, cur): the same, float32
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from livelatent.common.rates import FrameRate
from livelatent.errors import UsageError
from livelatent.motion.geometry import blend

DEFAULT_TICK_RATE = 240  # divisible by 24, 30, 60, 120: whole-number frame rates land on ticks


class TickClock:
    """Ticks at a fixed integer rate; time(tick) = tick / rate exactly."""

    def __init__(self, rate: int = DEFAULT_TICK_RATE):
        if not isinstance(rate, int) or isinstance(rate, bool) or rate <= 0:
            raise UsageError(f"tick rate: expected a positive whole number of ticks per second, got {rate!r}")
        self.rate = rate
        self.dt = 1.0 / rate  # the step every mover takes; the same float every tick

    def time(self, tick: int) -> Fraction:
        """Exact time of a tick in seconds."""
        return Fraction(tick, self.rate)

    def tick_at(self, seconds: float | Fraction) -> int:
        """The first tick at or after a time (events scheduled at `seconds` apply there)."""
        return math.ceil(Fraction(seconds) * self.rate)

    def ticks_due(self, elapsed_seconds: float) -> int:
        """How many ticks should have run by this wall-clock time (live): floor(elapsed * rate).

        A hair of tolerance keeps float wall times such as 0.1 + 0.2 from losing a tick.
        """
        if not math.isfinite(elapsed_seconds) or elapsed_seconds < 0:
            return 0
        return int(math.floor(elapsed_seconds * self.rate + 1e-9))


class FrameSampler:
    """Which output frames fall between two ticks, at a given fps.

    Frame k's time is start_tick / tick_rate + k / fps. After the simulation has stepped from
    tick-1 to tick, frames_in_step(tick) returns the frames whose time lies in
    [time(tick-1), time(tick)), each with alpha = the fraction of the way from the state at
    tick-1 to the state at tick (a Fraction in [0, 1)); z_k = blend(prev, cur, alpha).
    Integer arithmetic throughout: frame times are exact for 30, 25 or 30000/1001 fps.
    """

    def __init__(self, fps, tick_rate: int = DEFAULT_TICK_RATE, start_tick: int = 0):
        self.fps = FrameRate.parse(fps)
        self.tick_rate = TickClock(tick_rate).rate
        self.start_tick = int(start_tick)

    def frames_in_step(self, tick: int) -> list[tuple[int, Fraction]]:
        num, den, rate = self.fps.num, self.fps.den, self.tick_rate
        # frame k is at or after tick t (ticks since start) when k * den * rate >= t * num
        t0 = tick - 1 - self.start_tick
        first, end = _ceil_div(t0 * num, den * rate), _ceil_div((t0 + 1) * num, den * rate)
        return [(k, Fraction(k * den * rate - t0 * num, num)) for k in range(max(first, 0), end)]

    def frame_time(self, k: int) -> Fraction:
        """Exact time of frame k in seconds."""
        return Fraction(self.start_tick, self.tick_rate) + k / self.fps.value

    def rows(self, tick: int, prev: np.ndarray, cur: np.ndarray) -> list[tuple[int, np.ndarray]]:
        """The frames of the step tick-1 -> tick as (k, float32 z_k). The recorder and replay
        both sample takes through it, so a replay at the take's fps gives its rows bit for bit."""
        return [(k, blend(prev, cur, alpha).astype(np.float32)) for k, alpha in self.frames_in_step(tick)]

    def first_frame_from(self, tick: int) -> int:
        """The first frame sampled after the events of `tick` apply (they apply before the step
        tick -> tick+1): the first frame whose time is at or after the tick's."""
        return self.fps.first_frame_at(Fraction(tick - self.start_tick, self.tick_rate))

    def last_tick_for(self, n_frames: int) -> int:
        """The tick to step up to so that frames 0 .. n_frames-1 have all been emitted."""
        if n_frames <= 0:
            return self.start_tick
        t_last = Fraction(n_frames - 1) / self.fps.value  # since start
        return self.start_tick + math.floor(t_last * self.tick_rate) + 1


def _ceil_div(a: int, b: int) -> int:
    return -((-a) // b)

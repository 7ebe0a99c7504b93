"""MotionParams: the knobs a performer turns live, with their ranges for 0..1 controllers.

Units:
- settle_time: seconds for the particle to come within ~1% of a new keyframe (critically
  damped). It sets the spring's angular frequency: omega = 6.638 / settle_time.
- damping: damping ratio; 1 = critical (no overshoot), < 1 swings past, > 1 creeps.
  settle_time is exact for damping 1; other ratios keep the same spring frequency.
- shell_stiffness: the spring mover's shell spring as a natural frequency in Hz (critically
  damped, omega_s = 2 pi f). The default 30 Hz keeps a d=512 particle within ~0.01 shell
  spreads of the shell at the default settle time; 2 Hz lets it sag ~2 spreads inside. Ignored by the geodesic movers, which stay exactly on the shell.
- speed_limit: the fastest the particle may move, in shell radii per second (that is,
  radians of arc per second on the shell); 0 = no limit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import ClassVar

from livelatent.errors import UsageError

MOVERS = ("geodesic", "smooth", "spring")


@dataclass(frozen=True, slots=True)
class MotionParams:
    """How the particle moves. MotionParams().with_value("settle_time", 0.5) changes one knob."""

    mover: str = "geodesic"
    settle_time: float = 2.0
    damping: float = 1.0
    shell_stiffness: float = 30.0
    speed_limit: float = 0.0

    # lo, hi per numeric knob; from_normalised maps 0..1 onto these
    RANGES: ClassVar[dict[str, tuple[float, float]]] = {
        "settle_time": (0.05, 30.0),
        "damping": (0.1, 4.0),
        "shell_stiffness": (0.5, 120.0),
        "speed_limit": (0.0, 4.0),
    }
    # knobs mapped on a log scale (times and frequencies span decades)
    LOG_SCALE: ClassVar[frozenset[str]] = frozenset({"settle_time", "shell_stiffness"})

    def __post_init__(self) -> None:
        if self.mover not in MOVERS:
            raise UsageError(f"motion parameter mover: expected one of {', '.join(MOVERS)}, got {self.mover!r}")
        for name, (lo, hi) in self.RANGES.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise UsageError(f"motion parameter {name}: expected a number in {lo:g}..{hi:g}, got {value!r}")
            if not (math.isfinite(value) and lo <= value <= hi):
                raise UsageError(f"motion parameter {name}: expected a number in {lo:g}..{hi:g}, got {value!r}")
            object.__setattr__(self, name, float(value))

    def with_value(self, name: str, value) -> "MotionParams":
        """A copy with one knob changed; UsageError naming the knob and its range if invalid."""
        if name not in self.RANGES and name != "mover":
            known = ", ".join(("mover", *self.RANGES))
            raise UsageError(f"motion parameter {name!r}: expected one of {known}")
        if name in self.RANGES and isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                lo, hi = self.RANGES[name]
                raise UsageError(f"motion parameter {name}: expected a number in {lo:g}..{hi:g}, got {value!r}") from None
        return replace(self, **{name: value})

    def from_normalised(self, name: str, x01: float) -> "MotionParams":
        """A copy with one knob set from a 0..1 controller value (clipped to 0..1).

        Times and frequencies map logarithmically, the rest linearly; "mover" picks one of
        MOVERS by thirds.
        """
        x = float(x01)
        if not math.isfinite(x):
            raise UsageError(f"motion parameter {name}: expected a controller value in 0..1, got {x01!r}")
        x = min(max(x, 0.0), 1.0)
        if name == "mover":
            return replace(self, mover=MOVERS[min(int(x * len(MOVERS)), len(MOVERS) - 1)])
        if name not in self.RANGES:
            return self.with_value(name, x)  # raises, naming the known knobs
        lo, hi = self.RANGES[name]
        if name in self.LOG_SCALE:
            value = lo * (hi / lo) ** x
        else:
            value = lo + (hi - lo) * x
        return replace(self, **{name: min(max(value, lo), hi)})

    def normalised(self, name: str) -> float:
        """The inverse of from_normalised: where this knob sits on a 0..1 controller."""
        if name == "mover":
            return (MOVERS.index(self.mover) + 0.5) / len(MOVERS)
        lo, hi = self.RANGES[name]
        value = getattr(self, name)
        if name in self.LOG_SCALE:
            return math.log(value / lo) / math.log(hi / lo)
        return (value - lo) / (hi - lo)

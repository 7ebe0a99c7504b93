"""When an output sends: every frame the show draws, or a fixed rate the receiver expects.

A fixed rate repeats the newest frame at each of its ticks (frames drawn between two ticks
are skipped, ticks between two new frames repeat one), as a capture card or Resolume's NDI
output does. The clock is the caller's: pure arithmetic on seconds.

    pacer = FixedRate(Fraction(30), start=now)
    pacer.next_at()           # seconds of the next tick
    pacer.due(now)            # True once per tick that has come (ticks missed while late are skipped)
"""

from __future__ import annotations

import bisect
import math
from fractions import Fraction


class FixedRate:
    def __init__(self, rate: Fraction, start: float) -> None:
        self.rate, self.start = Fraction(rate), float(start)
        self.tick = -1  # the last tick sent
        self.skipped = 0  # ticks that passed while the sender was late

    def next_at(self) -> float:
        return self.start + float((self.tick + 1) / self.rate)

    def due(self, now: float) -> bool:
        """Whether a tick has come since the last one sent (then it counts as sent)."""
        tick = math.floor((now - self.start) * self.rate + 1e-9)
        if tick <= self.tick:
            return False
        self.skipped += tick - self.tick - 1
        self.tick = tick
        return True


def schedule(arrivals: list[float], rate: Fraction, duration: float) -> list[int | None]:
    """Which frame (its index in the sorted `arrivals`, None before the first) each tick of a
    fixed-rate output in [0, duration) carries: the newest that had arrived by the tick."""
    out, pacer = [], FixedRate(rate, 0.0)
    while (at := pacer.next_at()) < duration:
        pacer.due(at)
        newest = bisect.bisect_right(arrivals, at) - 1
        out.append(newest if newest >= 0 else None)
    return out

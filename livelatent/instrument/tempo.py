"""Tempo on the tick timeline: the beat grid, tap tempo, and the MIDI clock's tempo estimate. Pure.

A BeatGrid says where the beats fall in ticks: beat position `beat` is at tick `anchor` (a
float: a beat falls between ticks) and beats follow every 60 / bpm seconds. A beat's tick is
the tick nearest its instant; position 0 (the song's start, a MIDI Start) is a downbeat, so
bars are multiples of beats_per_bar. The Performance holds one, changed only by events
(tempo, tempo.tap, tempo.beat), so a take replays the same grid without the clock:

    grid = BeatGrid(bpm=128.0)
    grid.next_boundary(tick=470, beats=1, tick_rate=240)   # 450: beat 4 at tick 450 (112.5 per beat)
    grid.with_tempo(174.0, tick=500, tick_rate=240)        # the phase at tick 500 carries on

ClockEstimator turns MIDI clock pulses (24 per quarter note) with jittery arrival times into a
smoothed tempo and each beat's instant: a straight line fitted over the last two bars of
pulses, a pulse far off the line (jitter spikes, a burst delivered late) left out of the fit,
several in a row off it taken as a tempo change (the fit starts again from them).

    est = ClockEstimator()
    for t in pulse_times: est.pulse(t)
    est.bpm, est.time_of(est.pulses - 1)                   # 128.0, the smoothed time of the last pulse
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from livelatent.common.limits import BPM_MAX, BPM_MIN

PPQN = 24  # MIDI clock pulses per quarter note
DEFAULT_BPM = 120.0
TAP_RESET_SECONDS = 2.0  # a tap this long after the last starts a new series
TAPS_KEPT = 8


def check_bpm(bpm: float) -> float:
    bpm = float(bpm)
    if not (math.isfinite(bpm) and BPM_MIN <= bpm <= BPM_MAX):
        raise ValueError(f"tempo {bpm!r} BPM: expected {BPM_MIN:g}..{BPM_MAX:g}")
    return bpm


def nearest_tick(x: float) -> int:
    """The tick nearest an instant given in (fractional) ticks; halves go up, the same everywhere."""
    return math.floor(x + 0.5)


@dataclass(frozen=True)
class BeatGrid:
    bpm: float = DEFAULT_BPM
    anchor: float = 0.0  # the tick (fractional) at which beat position `beat` falls
    beat: float = 0.0
    beats_per_bar: int = 4

    def ticks_per_beat(self, tick_rate: int) -> float:
        return tick_rate * 60.0 / self.bpm

    def position(self, tick: float, tick_rate: int) -> float:
        """The beat position (beats since the song's start) at a tick."""
        return self.beat + (tick - self.anchor) / self.ticks_per_beat(tick_rate)

    def tick_of(self, position: float, tick_rate: int) -> int:
        return nearest_tick(self.anchor + (position - self.beat) * self.ticks_per_beat(tick_rate))

    def next_boundary(self, tick: int, beats: float, tick_rate: int) -> int:
        """The first tick at or after `tick` on which a multiple of `beats` falls (a beat, a bar, ...)."""
        b = math.ceil(self.position(tick - 0.5, tick_rate) / beats - 1e-9) * beats
        at = self.tick_of(b, tick_rate)
        while at < tick:  # float rounding at a half tick
            b += beats
            at = self.tick_of(b, tick_rate)
        return at

    def with_tempo(self, bpm: float, tick: int, tick_rate: int) -> "BeatGrid":
        """The same phase at `tick`, a new tempo after it."""
        return replace(self, bpm=check_bpm(bpm), anchor=float(tick), beat=self.position(tick, tick_rate))

    def with_beat(self, bpm: float, beat: float, at: float) -> "BeatGrid":
        """Beat position `beat` falls at tick `at` (fractional), at this tempo."""
        return replace(self, bpm=check_bpm(bpm), anchor=float(at), beat=float(beat))

    def to_dict(self) -> dict:
        return {"bpm": self.bpm, "anchor": self.anchor, "beat": self.beat, "beats_per_bar": self.beats_per_bar}

    @classmethod
    def from_dict(cls, d: dict) -> "BeatGrid":
        return cls(float(d["bpm"]), float(d["anchor"]), float(d["beat"]), int(d.get("beats_per_bar", 4)))


def tapped(grid: BeatGrid, taps: tuple[int, ...], tick: int, tick_rate: int) -> tuple[BeatGrid, tuple[int, ...]]:
    """A tap at `tick`: the grid's phase moves so a beat falls on it; from the second tap of a
    series, the tempo is the taps' mean interval (a line fitted through them). Returns the new
    grid and the taps kept (a tap TAP_RESET_SECONDS after the last starts a new series)."""
    if taps and tick - taps[-1] > TAP_RESET_SECONDS * tick_rate:
        taps = ()
    taps = (*taps, tick)[-TAPS_KEPT:]
    bpm = grid.bpm
    if len(taps) >= 2:
        interval = _slope(list(range(len(taps))), list(taps))
        if interval > 0:
            bpm = min(max(60.0 * tick_rate / interval, BPM_MIN), BPM_MAX)
    beat = round(grid.position(tick, tick_rate))
    return grid.with_beat(bpm, beat, float(tick)), taps


def _slope(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else 0.0


class ClockEstimator:
    """MIDI clock pulses (their times, seconds) -> a smoothed tempo and each pulse's instant.

    pulse(t) counts one pulse and returns its number. Timing alone cannot tell a lost or a
    doubled pulse from delivery in bursts (JACK hands MIDI over once a period: at 120 BPM a
    period of 1024 frames holds none, one or two pulses), so every pulse counts. The fit is
    over the last `window` pulses; a pulse further off the line than `tolerance` seconds (set
    it above the delivery's own granularity: JACK's period) is left out of it, and
    `change_after` such pulses in a row are a new tempo: the fit starts again from them."""

    def __init__(self, *, window: int = 2 * 4 * PPQN, tolerance: float = 0.004, change_after: int = 6) -> None:
        self.window, self.tolerance, self.change_after = window, tolerance, change_after
        self.pulses = 0
        self._points: list[tuple[int, float]] = []  # (pulse number, time) in the fit
        self._off: list[tuple[int, float]] = []  # the run of pulses off the line
        self._line: tuple[float, float] | None = None  # time = a + b * pulse number

    @property
    def bpm(self) -> float | None:
        return None if self._line is None else 60.0 / (PPQN * self._line[1])

    def time_of(self, pulse: int) -> float:
        """The fitted instant of pulse number `pulse` (after at least two pulses)."""
        a, b = self._line
        return a + b * pulse

    def reset(self) -> None:
        self.__init__(window=self.window, tolerance=self.tolerance, change_after=self.change_after)

    def pulse(self, t: float) -> int:
        """Count a pulse at time t (seconds); its number."""
        n = self.pulses
        self.pulses = n + 1
        if self._line is not None and len(self._points) >= PPQN and abs(t - self.time_of(n)) > self.tolerance:
            self._off.append((n, t))
            if len(self._off) >= self.change_after:
                if self._steady(self._off):  # a new tempo: start again from the run
                    self._points = list(self._off)
                    self._fit()
                self._off = []  # else a burst (a stalled delivery caught up): left out
            return n
        self._off = []
        self._points.append((n, t))
        del self._points[:-self.window]
        self._fit()
        return n

    def _steady(self, run: list[tuple[int, float]]) -> bool:
        """A run of pulses off the line that is a clock of its own (a tempo between half and
        twice this one, each pulse on its line), not a burst that a stalled delivery let through."""
        xs, ys = [p for p, _ in run], [t for _, t in run]
        b = _slope(xs, ys)
        if not 0.5 * self._line[1] < b < 2.0 * self._line[1]:
            return False
        a = sum(ys) / len(ys) - b * sum(xs) / len(xs)
        return max(abs(t - a - b * p) for p, t in run) <= self.tolerance

    def _fit(self) -> None:
        if len(self._points) < 2:
            return
        n0, t0 = self._points[0]
        xs = [p - n0 for p, _ in self._points]
        ys = [t - t0 for _, t in self._points]
        b = _slope(xs, ys)
        if b <= 0:
            return
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        self._line = (t0 + my - b * mx - b * n0, b)

"""The Performance's musical state and the events that change it: the beat grid, tap tempo,
settle time in beats, the transport, and the pushes and steps audio features send.

A mixin of Performance (instrument/performance.py): the table of actions (actions.py) names
these handlers like the others, so the live loop and a replay apply them the same way, and the
grid a take ends with is the one its events made, without the clock or the sound.

    perf.apply(make("tempo", 128))             # the phase carries on at the new tempo
    perf.apply(make("tempo.tap"))              # a beat now; two taps or more set the tempo
    perf.apply(make("tempo.beat", 128.0, 16, 3839.6))   # the clock: beat 16 fell at tick 3839.6
    perf.apply(make("settle_beats", 2))        # arrive two beats after a keyframe, whatever the tempo
    perf.apply(make("impulse", 0.5, "random")) # a push along a random tangent (keyed by seed, tick)
"""

from __future__ import annotations

import numpy as np

from livelatent.common.latent import keyed_rng
from livelatent.errors import ControlMessageError, UsageError
from livelatent.instrument.tempo import BeatGrid, check_bpm, tapped
from livelatent.motion.params import MotionParams

IMPULSE_SPEED = 1.0  # an impulse of 1.0: a push of one shell radius per second
IMPULSE_KEY = 0x1A9F  # keyed_rng(seed, IMPULSE_KEY, tick, n): a random impulse's direction
TRANSPORT = ("free", "playing", "stopped", "lost")


class MusicState:
    """Fields: beat (BeatGrid), taps (tick of each recent tap), settle_beats (0: off),
    transport (one of TRANSPORT: 'free' when no clock leads)."""

    def _init_music(self, grid: BeatGrid | None = None, settle_beats: float = 0.0) -> None:
        self.beat = grid or BeatGrid()
        self.taps: tuple[int, ...] = ()
        self.settle_beats = float(settle_beats)
        self.transport = "free"
        self._impulses_this_tick = 0
        self._apply_settle_beats()

    # ---- handlers (the table of actions names them) ----

    def _on_tempo(self, bpm: float) -> None:
        self._set_grid(self.beat.with_tempo(_bpm(bpm), self.tick, self.clock.rate))

    def _on_tempo_tap(self) -> None:
        grid, self.taps = tapped(self.beat, self.taps, self.tick, self.clock.rate)
        self._set_grid(grid)

    def _on_tempo_beat(self, bpm: float, beat: float, at: float) -> None:
        self._set_grid(self.beat.with_beat(_bpm(bpm), beat, at))

    def _on_transport(self, state: str, beat: float | None = None) -> None:
        self.transport = state
        if beat is not None:  # a start or a song position: that beat is now
            self._set_grid(self.beat.with_beat(self.beat.bpm, beat, float(self.tick)))

    def _on_settle_beats(self, beats: float) -> None:
        self.settle_beats = float(beats)
        self._apply_settle_beats()

    def _on_impulse(self, amount: float, direction: str = "velocity") -> None:
        """A push of `amount` shell radii per second along the velocity (a kick forward; at rest,
        a random tangent instead) or a random tangent direction."""
        v = self.mover.velocity
        speed = float(np.linalg.norm(v))
        if direction == "velocity" and speed > 1e-12:
            unit = v / speed
        else:
            n, self._impulses_this_tick = self._impulses_this_tick, self._impulses_this_tick + 1
            unit = keyed_rng(self.seed, IMPULSE_KEY, self.tick, n).standard_normal(self.d)
            unit -= unit.dot(self.z) / self.z.dot(self.z) * self.z
            unit /= np.linalg.norm(unit)
        self.mover.impulse(unit * (amount * IMPULSE_SPEED * self.radius))

    def _on_keyframe_next(self) -> None:
        """The next slot that holds a stored or loaded z (after the current one), else the next slot."""
        here = self.target_slot if self.target_slot is not None else (self.current_slot or -1)
        kept = [i for i, label in enumerate(self.bank.labels) if label != "random"]
        later = [i for i in kept if i > here]
        slot = (later or kept or [(here + 1) % len(self.bank)])[0]
        self._on_keyframe(slot)

    # ---- the grid's consequences ----

    def _set_grid(self, grid: BeatGrid) -> None:
        self.beat = grid
        self._apply_settle_beats()

    def _apply_settle_beats(self) -> None:
        """settle_time follows the tempo while settle_beats is set: a keyframe applied on a beat
        arrives settle_beats later, on a beat."""
        if self.settle_beats <= 0:
            return
        lo, hi = MotionParams.RANGES["settle_time"][:2]
        seconds = min(max(self.settle_beats * 60.0 / self.beat.bpm, lo), hi)
        if seconds != self.params.settle_time:
            self.params = self.params.with_value("settle_time", seconds)
            self.mover.set_params(self.params)

    def _describe_music(self) -> dict:
        return {"beat": self.beat.to_dict(), "taps": list(self.taps), "settle_beats": self.settle_beats,
                "transport": self.transport}

    def _restore_music(self, desc: dict) -> None:
        try:
            if "beat" in desc:
                self.beat = BeatGrid.from_dict(desc["beat"])
            self.taps = tuple(int(t) for t in desc.get("taps", ()))
            self.settle_beats = float(desc.get("settle_beats", 0.0))
        except (KeyError, TypeError, ValueError) as exc:
            raise UsageError(f"beat grid {desc.get('beat')!r}: expected bpm, anchor, beat ({exc})") from None
        self.transport = str(desc.get("transport", "free"))


def _bpm(bpm: float) -> float:
    try:
        return check_bpm(bpm)
    except ValueError as exc:
        raise ControlMessageError(str(exc)) from None

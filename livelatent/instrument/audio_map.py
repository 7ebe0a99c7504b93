"""Audio features to control events, mapped like MIDI in a preset's [[audio.feature]] entries. Pure.

    [[audio.feature]]
    feature = "low"            # rms, low, mid, high, onset, beat (instrument/audio_features.py)
    target = "noise"           # a knob (noise, motion/damping, ...), or a trigger: impulse,
                               # impulse/random, keyframe/random, keyframe/next
    gain = 2.0                 # value = curve(clip(gain * (feature - threshold) / (1 - threshold)))
    threshold = 0.3
    attack = 0.01              # seconds to rise, and to fall (one-pole smoothing of the feature)
    release = 0.3
    curve = "exp"              # linear, exp, log (as a MIDI binding's)
    min = 0.0                  # a knob's range, 0..1 of its own
    max = 1.0

A knob target gets the smoothed value each block it changes (by 1/256 or more); a trigger
fires on the rising edge of the feature above its threshold (every onset, each beat; a loud
passage once), an impulse with the value as its amount. AudioMap.events(features, block_seconds) returns the
block's events (source "audio"); the loop applies them at their tick and the take logs them,
so a replay needs no sound.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from livelatent.errors import ControlMessageError
from livelatent.instrument.actions import make
from livelatent.instrument.addresses import check_target, route_for, target_event
from livelatent.instrument.audio_features import FEATURES
from livelatent.instrument.mapping import CURVES

TRIGGERS = {"impulse": ("impulse", "velocity"), "impulse/random": ("impulse", "random"),
            "keyframe/random": ("keyframe.random", None), "keyframe/next": ("keyframe.next", None)}
KNOB_STEP = 1 / 256  # a knob's value must move this much to send again
IMPULSE_GAIN = 1.0  # an impulse of value 1.0: one shell radius per second


@dataclass(frozen=True)
class AudioFeature:
    feature: str
    target: str
    gain: float = 1.0
    threshold: float = 0.0
    attack: float = 0.01
    release: float = 0.2
    curve: str = "linear"
    lo: float = 0.0
    hi: float = 1.0

    def __post_init__(self) -> None:
        if self.feature not in FEATURES:
            raise ControlMessageError(f"feature {self.feature!r}: expected one of {', '.join(FEATURES)}")
        if self.target not in TRIGGERS:
            check_target(self.target)
            if route_for(self.target)[1].form != "knob":
                raise ControlMessageError(f"target {self.target!r}: expected a knob (noise, motion/...) or one of "
                                          f"{', '.join(TRIGGERS)}")
        if self.curve not in CURVES:
            raise ControlMessageError(f"curve {self.curve!r}: expected one of {', '.join(CURVES)}")
        if not 0.0 <= self.threshold < 1.0 or self.attack < 0 or self.release < 0:
            raise ControlMessageError("threshold: expected 0..1 (below 1); attack, release: seconds >= 0")

    def shape(self, x: float) -> float:
        x = min(max(self.gain * (x - self.threshold) / (1.0 - self.threshold), 0.0), 1.0)
        return self.lo + (self.hi - self.lo) * x ** CURVES[self.curve]


class AudioMap:
    """The entries of a preset and each one's smoothing state; events(features, dt) per block."""

    def __init__(self, entries=()) -> None:
        self.entries = tuple(entries)
        self._smooth = [0.0] * len(self.entries)
        self._sent: list[float | None] = [None] * len(self.entries)
        self.levels: dict[str, float] = {}  # the last block's features, for the HUD

    def events(self, features, block_seconds: float) -> list:
        self.levels = {name: features.value(name) for name in FEATURES}
        out = []
        for i, entry in enumerate(self.entries):
            raw = features.value(entry.feature)
            if entry.target in TRIGGERS:  # the raw feature: each onset is its own edge
                x = raw
            else:
                x = self._smooth[i] = _smoothed(self._smooth[i], raw, entry, block_seconds)
            event = self._event(i, entry, entry.shape(x) if x > entry.threshold else 0.0)
            if event is not None:
                out.append(event)
        return out

    def _event(self, i: int, entry: AudioFeature, value: float):
        last, self._sent[i] = self._sent[i], value
        if entry.target in TRIGGERS:
            if value <= 0 or (last or 0.0) > 0:
                return None  # fires on the rising edge only
            action, direction = TRIGGERS[entry.target]
            if action == "impulse":
                return make(action, min(value * IMPULSE_GAIN, 4.0), direction, source="audio")
            return make(action, source="audio")
        if last is not None and abs(value - last) < KNOB_STEP:
            self._sent[i] = last
            return None
        return target_event(entry.target, value, source="audio")


def _smoothed(previous: float, x: float, entry: AudioFeature, dt: float) -> float:
    """One-pole attack / release: rises with `attack`, falls with `release` (time constants, seconds)."""
    tau = entry.attack if x > previous else entry.release
    if tau <= 0:
        return x
    return previous + (x - previous) * (1.0 - math.exp(-dt / tau))

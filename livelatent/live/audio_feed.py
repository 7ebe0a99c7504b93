"""Sound into the show: blocks of samples analysed (instrument/audio_features.py), mapped
(instrument/audio_map.py) and put on the bus as events; the sound kept for the take.

Two sources share this: a file played on the loop's clock (AudioFileSource, below: with a
ManualClock, a headless show runs faster than real time and frame-exact, the same file
giving the same take every time) and a live input (live/audio_in.py: JACK or PortAudio,
analysed on its own thread). Neither runs on the render thread.

    feed = AudioFileSource(bus, "song.wav", AudioMap(entries), block=512)
    feed.start()                    # blocks due on the bus's clock are analysed as it reaches them
    feed.status()                   # "AUDIO RMS |||||   LOW |||  MID ||  HIGH |" for the HUD
    feed.samples_between(t0, t1)    # the sound of loop seconds t0..t1 (a take's)
"""

from __future__ import annotations

import threading
from fractions import Fraction

import numpy as np

from livelatent.instrument.actions import make
from livelatent.instrument.audio_features import FeatureAnalyser
from livelatent.instrument.audio_map import AudioMap

METER = 8  # characters of a level meter on the HUD


class AudioFeed:
    """Analysis and mapping of blocks; subclasses give the samples. beats: the beat tracker's
    beats become tempo.beat events (False when a MIDI clock leads the tempo)."""

    def __init__(self, bus, audio_map: AudioMap, *, rate: int, block: int, beats: bool = True) -> None:
        self.bus, self.map, self.rate, self.block = bus, audio_map, int(rate), int(block)
        self.analyser = FeatureAnalyser(self.rate, self.block)
        self.beats = beats
        self.blocks = 0
        self.last = None  # the last block's Features
        self._lock = threading.Lock()

    def analyse(self, samples: np.ndarray, end: float) -> list:
        """One block ending at loop time `end`: its events, put on the bus (arrival: now)."""
        mono = samples.mean(axis=1) if samples.ndim == 2 else samples
        features = self.analyser.analyse(mono)
        events = self.map.events(features, self.block / self.rate)
        if self.beats and features.beat is not None:
            lag = max(self.bus.now() - end, 0.0)
            events.append(make("tempo.beat", float(features.bpm), features.beat, lag, source="audio"))
        with self._lock:
            self.last, self.blocks = features, self.blocks + 1
        if events:
            self.bus.put_many(events)
        return events

    def status(self) -> str:
        f = self.last
        if f is None:
            return "AUDIO: WAITING FOR SOUND"
        meter = lambda x: ("|" * round(x * METER)).ljust(METER)  # noqa: E731
        return f"AUDIO {meter(f.rms)} L {meter(f.low)} M {meter(f.mid)} H {meter(f.high)}" + (" *" if f.onset else "")


class AudioFileSource(AudioFeed):
    """A sound file as the input, block by block as the bus's clock reaches each block's end.
    Loop time 0 (the show's first tick) is the file's first sample."""

    def __init__(self, bus, samples: np.ndarray, rate: int, audio_map: AudioMap, *, block: int = 512,
                 beats: bool = True) -> None:
        super().__init__(bus, audio_map, rate=rate, block=block, beats=beats)
        self.samples = np.asarray(samples, np.float32)
        self._next = 0  # the next block to analyse
        self._repeat = None
        self._started = False

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.rate

    def start(self) -> "AudioFileSource":
        self.bus.on_zero.append(self._zeroed)
        self._repeat = self.bus.clock.every(float(Fraction(self.block, self.rate)), self.feed_due)
        return self

    def _zeroed(self) -> None:
        """Loop time 0 is the file's start: the calls start again there, one at each block's end."""
        self._started = True
        self._repeat.cancel()
        self._repeat = self.bus.clock.every(float(Fraction(self.block, self.rate)), self.feed_due)

    def feed_due(self) -> None:
        """Analyse every block that has ended by now."""
        if not self._started:
            return
        now = self.bus.now()
        while (self._next + 1) * self.block <= len(self.samples) and \
                Fraction(self._next + 1) * self.block / self.rate <= Fraction(now) + Fraction(1, 10**9):
            i = self._next * self.block
            self.analyse(self.samples[i:i + self.block], (self._next + 1) * self.block / self.rate)
            self._next += 1

    def samples_between(self, t0: float, t1: float) -> np.ndarray:
        return self.samples[max(round(t0 * self.rate), 0):max(round(t1 * self.rate), 0)]

    def close(self) -> None:
        if self._repeat is not None:
            self._repeat.cancel()

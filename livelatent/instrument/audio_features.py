"""What the music is doing, block by block: loudness, frequency bands, onsets, and the beat. Pure numpy.

One FeatureAnalyser per input; feed it the sound in blocks (mono float32, any block size) and
it returns each block's features, all in 0..1 except the beat:

    fa = FeatureAnalyser(sample_rate=48000, block=512)
    f = fa.analyse(samples)        # Features(rms, low, mid, high, onset, beat, bpm)
    f.rms, f.low, f.onset          # levels on a dB scale (-60 dB -> 0, 0 dB -> 1); onset 0 or its strength

Levels are in dB so a quiet room and a loud club both move the picture: level = (dB + 60) / 60.
Bands: low < 250 Hz, mid 250-2000 Hz, high > 2 kHz, from a Hann-windowed FFT of the last
WINDOW samples. An onset is a jump of spectral flux (the summed rise of the log spectrum)
above its recent median by ONSET_RATIO, no sooner than ONSET_GAP seconds after the last one.
The beat tracker (for when no MIDI clock leads) autocorrelates the onset envelope over the
last few seconds for a tempo in 70..180 BPM, and phases a comb to it: `beat` is the beat
number when a beat falls in this block (None otherwise), `bpm` its tempo. Same samples in the
same blocks give the same features, bit for bit, so an offline run twice gives the same take.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

WINDOW = 2048
BANDS = {"low": (20.0, 250.0), "mid": (250.0, 2000.0), "high": (2000.0, 16000.0)}
FLOOR_DB = -60.0
ONSET_RATIO = 1.6  # flux over 1.6x its recent median (plus a floor) is an onset
ONSET_GAP = 0.08  # seconds: one hit, one onset
FLUX_MEMORY = 1.0  # seconds of flux the median is taken over
BEAT_MEMORY = 6.0  # seconds of onset envelope the beat tracker listens to
BPM_RANGE = (70.0, 180.0)
FEATURES = ("rms", "low", "mid", "high", "onset", "beat")


@dataclass(frozen=True)
class Features:
    rms: float
    low: float
    mid: float
    high: float
    onset: float  # 0, or the onset's strength 0..1
    beat: int | None = None  # the beat number falling in this block (beat tracker)
    bpm: float | None = None

    def value(self, name: str) -> float:
        if name == "beat":
            return 1.0 if self.beat is not None else 0.0
        return getattr(self, name)


def level(power: float) -> float:
    """Mean square power -> 0..1 on a dB scale (-60 dB .. 0 dB)."""
    db = 10.0 * np.log10(max(power, 1e-12))
    return float(min(max((db - FLOOR_DB) / -FLOOR_DB, 0.0), 1.0))


class FeatureAnalyser:
    def __init__(self, sample_rate: int, block: int) -> None:
        self.sample_rate, self.block = int(sample_rate), int(block)
        self._buffer = np.zeros(WINDOW, np.float32)
        self._hann = np.hanning(WINDOW).astype(np.float32)
        self._scale = 2.0 / (WINDOW * float(np.sum(self._hann.astype(np.float64) ** 2)))
        freqs = np.fft.rfftfreq(WINDOW, 1.0 / sample_rate)
        self._bands = {name: (freqs >= lo) & (freqs < hi) for name, (lo, hi) in BANDS.items()}
        self._last_log = np.zeros(len(freqs), np.float32)
        block_rate = sample_rate / block
        self._flux: deque = deque(maxlen=max(int(FLUX_MEMORY * block_rate), 3))
        self._gap_blocks = max(int(round(ONSET_GAP * block_rate)), 1)
        self._since_onset = self._gap_blocks
        self.blocks = 0
        self._beat = _BeatTracker(block_rate)

    def analyse(self, samples: np.ndarray) -> Features:
        x = np.asarray(samples, np.float32).reshape(-1)
        n = min(len(x), WINDOW)
        self._buffer = np.concatenate([self._buffer[n:], x[-n:]])
        # per-bin mean square power (Parseval: a band's bins sum to its share of the signal's power)
        spectrum = np.abs(np.fft.rfft(self._buffer * self._hann)) ** 2 * self._scale
        bands = {name: level(float(spectrum[mask].sum())) for name, mask in self._bands.items()}
        onset, strength = self._onset(spectrum)
        beat, bpm = self._beat.step(strength)
        self.blocks += 1
        return Features(rms=level(float(np.mean(x.astype(np.float64) ** 2)) if len(x) else 0.0), onset=onset,
                        beat=beat, bpm=bpm, **bands)

    def _onset(self, spectrum: np.ndarray) -> tuple[float, float]:
        log = np.log1p(spectrum * 1e6).astype(np.float32)
        flux = float(np.maximum(log - self._last_log, 0.0).sum()) / len(log)
        self._last_log = log
        median = float(np.median(self._flux)) if self._flux else 0.0
        self._flux.append(flux)
        self._since_onset += 1
        strength = flux - median
        if flux > ONSET_RATIO * median + 0.01 and self._since_onset >= self._gap_blocks:
            self._since_onset = 0
            return float(min(strength / (flux + 1e-9), 1.0)), max(strength, 0.0)
        return 0.0, max(strength, 0.0)


class _BeatTracker:
    """Tempo by autocorrelation of the onset envelope, phase by a comb over it; a beat when the
    phase comes round. Re-estimated once a second (of blocks)."""

    def __init__(self, block_rate: float) -> None:
        self.block_rate = block_rate
        self._envelope: deque = deque(maxlen=int(BEAT_MEMORY * block_rate))
        self._period: float | None = None  # blocks per beat
        self._next: float | None = None  # the block index of the next beat
        self._count, self._blocks = 0, 0

    def step(self, strength: float) -> tuple[int | None, float | None]:
        self._envelope.append(strength)
        self._blocks += 1
        if self._blocks % max(int(self.block_rate), 1) == 0 and len(self._envelope) >= self._envelope.maxlen // 2:
            self._estimate()
        if self._next is None or self._blocks < self._next:
            return None, self.bpm
        beat, self._count = self._count, self._count + 1
        while self._next <= self._blocks:
            self._next += self._period
        return beat, self.bpm

    @property
    def bpm(self) -> float | None:
        return None if self._period is None else 60.0 * self.block_rate / self._period

    def _estimate(self) -> None:
        env = np.asarray(self._envelope, np.float64)
        env = env - env.mean()
        lags = np.arange(int(60 * self.block_rate / BPM_RANGE[1]), int(60 * self.block_rate / BPM_RANGE[0]) + 1)
        if len(env) <= lags[-1] * 2 or not env.any():
            return
        corr = np.array([env[lag:].dot(env[:-lag]) for lag in lags])
        best = int(np.argmax(corr))
        lag = float(lags[best])
        if 0 < best < len(lags) - 1:  # parabolic interpolation: a tempo between whole blocks
            a, b, c = corr[best - 1: best + 2]
            lag += 0.5 * (a - c) / (a - 2 * b + c) if (a - 2 * b + c) != 0 else 0.0
        phases = [env[len(env) - 1 - int(p)::-1][::max(int(round(lag)), 1)].sum() for p in range(int(round(lag)))]
        phase = int(np.argmax(phases))  # blocks since the last beat
        self._period = lag
        self._next = self._blocks - phase + lag

"""Generated music for the tests: a click track over a rising tone sweep, as samples or a WAV."""

from __future__ import annotations

import numpy as np

RATE = 48000


def click_track(seconds: float, bpm: float, *, first: float = 0.25, rate: int = RATE) -> tuple[np.ndarray, list]:
    """Short 2 kHz clicks on every beat from `first` s; (mono float32 samples, the click times)."""
    n = int(seconds * rate)
    out = np.zeros(n, np.float32)
    times = list(np.arange(first, seconds - 0.05, 60.0 / bpm))
    k = np.arange(480)
    click = (0.8 * np.exp(-k / 60) * np.sin(2 * np.pi * 2000 * k / rate)).astype(np.float32)
    for t in times:
        i = int(round(t * rate))
        out[i:i + len(click)] += click[: n - i]
    return out, times


def sweep(seconds: float, f0: float = 80.0, f1: float = 8000.0, *, level: float = 0.2, rate: int = RATE) -> np.ndarray:
    """A tone rising exponentially from f0 to f1 Hz over the whole length."""
    t = np.arange(int(seconds * rate)) / rate
    k = np.log(f1 / f0)
    return (level * np.sin(2 * np.pi * f0 * seconds / k * (np.exp(t / seconds * k) - 1))).astype(np.float32)


def sweep_frequency(t: float, seconds: float, f0: float = 80.0, f1: float = 8000.0) -> float:
    return f0 * (f1 / f0) ** (t / seconds)


def song(seconds: float, bpm: float = 128.0) -> tuple[np.ndarray, list]:
    clicks, times = click_track(seconds, bpm)
    return clicks + sweep(seconds), times


def write_wav(path, samples: np.ndarray, rate: int = RATE) -> None:
    import wave

    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())

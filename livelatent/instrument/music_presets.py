"""A preset's [tempo] and [audio] sections (docs/music.md; presets/default.toml shows every key).

    [tempo]
    clock = ""            # a MIDI input sending clock (partial name, virtual:NAME); "" = none
    bpm = 120             # the tempo until a clock, a tap or /livelatent/tempo says otherwise
    quantise = "off"      # triggers wait for: off, beat, bar, 2bar, ...
    settle_beats = 0      # settle time in beats (0: seconds, [motion] settle_time)
    beats_per_bar = 4

    [audio]
    input = ""            # a JACK port or PortAudio device by partial name; "" = no sound
    block = 512           # samples analysed at a time (at 48 kHz: 10.7 ms)

    [[audio.feature]]     # any number: see instrument/audio_map.py
    feature = "onset"
    target = "keyframe/random"
"""

from __future__ import annotations

from dataclasses import dataclass

from livelatent.common import values
from livelatent.errors import ControlMessageError, PresetError
from livelatent.instrument.audio_map import AudioFeature

_FEATURE_KEYS = {"feature", "target", "gain", "threshold", "attack", "release", "curve", "min", "max"}


@dataclass(frozen=True)
class TempoSettings:
    clock: str = ""
    bpm: float = 120.0
    quantise: str = "off"
    settle_beats: float = 0.0
    beats_per_bar: int = 4


@dataclass(frozen=True)
class AudioSettings:
    input: str = ""
    block: int = 512
    features: tuple = ()  # AudioFeature


def tempo_settings(table: dict, where: str, section) -> TempoSettings:
    """section(table, cls, where, name) checks keys and types (presets._section)."""
    t = section(table, TempoSettings, where, "tempo")
    checks = {"bpm": values.bpm, "quantise": values.quantise, "settle_beats": values.beats}
    for key, check in checks.items():
        if key in t:
            try:
                t[key] = check(t[key])
            except values.Refused as exc:
                raise PresetError(f"{where}: [tempo] {key}: {exc}") from None
    if not 1 <= t.get("beats_per_bar", 4) <= 16:
        raise PresetError(f"{where}: [tempo] beats_per_bar: expected 1..16, got {t['beats_per_bar']!r}")
    return TempoSettings(**t)


def audio_settings(table: dict, where: str, section) -> AudioSettings:
    table = dict(table)
    entries = table.pop("feature", [])
    a = section(table, AudioSettings, where, "audio")
    if not 64 <= a.get("block", 512) <= 8192:
        raise PresetError(f"{where}: [audio] block: expected 64..8192 samples, got {a['block']!r}")
    if not isinstance(entries, list):
        raise PresetError(f"{where}: [[audio.feature]]: expected a list of tables")
    return AudioSettings(**a, features=tuple(_feature(e, i, where) for i, e in enumerate(entries, 1)))


def _feature(e, i: int, where: str) -> AudioFeature:
    what = f"{where}: [[audio.feature]] entry {i}"
    if not isinstance(e, dict):
        raise PresetError(f"{what}: expected a table")
    unknown = sorted(set(e) - _FEATURE_KEYS)
    if unknown:
        raise PresetError(f"{what}: key {unknown[0]!r}: expected one of {', '.join(sorted(_FEATURE_KEYS))}")
    numbers = {k: e[k] for k in ("gain", "threshold", "attack", "release", "min", "max") if k in e}
    if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in numbers.values()):
        raise PresetError(f"{what}: gain, threshold, attack, release, min, max: expected numbers")
    try:
        return AudioFeature(str(e.get("feature", "")), str(e.get("target", "")).strip("/"),
                            **{k: float(v) for k, v in numbers.items() if k not in ("min", "max")},
                            curve=str(e.get("curve", "linear")), lo=float(e.get("min", 0.0)),
                            hi=float(e.get("max", 1.0)))
    except ControlMessageError as exc:
        raise PresetError(f"{what}: {exc}") from None

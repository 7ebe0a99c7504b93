"""Seeded random edits that combine every feature the conform claims, for one file structure.

An Edit is independent of the file format: tracks (bottom to top) of cuts, blanks, nested
sequence entries and same-track mixes (two neighbouring cuts overlapping by `length` frames),
dissolves between tracks, at one project rate over coded clips of several rates. Each structure
draws only what its files can say (STRUCTURES), and its writer (edit_writers.py) expresses it as
that generation of Kdenlive, Shotcut or plain MLT would. The same seed gives the same edit.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

from .kdenlive_writer import Blank, Clip, Cut, Nest

# code -> (frames, fps): clips of every rate a project may mix
CLIPS = {1: (150, Fraction(25)), 2: (150, Fraction(30)), 3: (150, Fraction(30000, 1001)), 4: (240, Fraction(60)),
         5: (150, Fraction(25)), 6: (120, Fraction(24000, 1001)), 7: (150, Fraction(50))}
RATES = [Fraction(25), Fraction(30), Fraction(30000, 1001), Fraction(60), Fraction(24000, 1001), Fraction(50)]
SPEEDS = [0.25, 0.5, 0.7, 0.75, 1.3, 1.5, 2.0, 2.5, 3.0, -0.5, -0.7, -1.0, -1.5, -2.0, -3.0]
ALL = {"speed", "reverse", "freeze", "disabled", "hidden", "mix", "dissolve", "remap", "nested", "slowmotion"}
STRUCTURES = {  # what each structure's files can hold
    "gen2": ALL - {"mix", "remap", "nested"},
    "timeline2": ALL - {"nested", "slowmotion"},
    "sequences": ALL - {"slowmotion"},
    "shotcut": ALL - {"nested", "slowmotion", "remap"},
    "mlt": ALL - {"slowmotion"},
}


@dataclass(frozen=True)
class Mix:
    """The cuts before and after it overlap by `length` frames and cross-fade."""

    length: int


@dataclass
class Track:
    items: list  # Cut | Blank | Nest | Mix
    hidden: bool = False


@dataclass
class Edit:
    structure: str
    seed: int
    fps: Fraction
    tracks: list[Track]
    compositions: list[tuple[int, int, int, int, bool]] = field(default_factory=list)  # a, b, start, end, reverse
    nested: dict[str, list[Track]] = field(default_factory=dict)
    style: dict = field(default_factory=dict)  # structure-specific choices (e.g. <multitrack> or not)


CLIP_SET = {code: Clip(code, Path(f"c{code}.mkv"), frames, fps) for code, (frames, fps) in CLIPS.items()}


def item_length(item) -> int:
    if isinstance(item, Blank):
        return item.length
    if isinstance(item, Mix):
        return -item.length
    return item.last - item.first + 1


def track_end(track: Track) -> int:
    return sum(item_length(i) for i in track.items)


def producer_frames(clip: Clip, fps: Fraction, speed: float = 1.0) -> int:
    """Frames of a clip's producer at the project rate (a timewarp's: warped frames)."""
    frames = round(clip.frames * fps / clip.fps)
    return frames if speed == 1 else round(frames / abs(speed))


class _Draw:
    def __init__(self, structure: str, seed: int):
        self.rng = random.Random(f"{structure}:{seed}")
        self.features = {f for f in sorted(STRUCTURES[structure]) if self.rng.random() < 0.6}
        self.fps = self.rng.choice(RATES)
        self.clips = CLIP_SET

    def chance(self, feature: str, p: float) -> bool:
        return feature in self.features and self.rng.random() < p

    def cut(self, n: int) -> Cut:
        rng = self.rng
        clip = self.clips[rng.choice(list(self.clips))]
        speed, slowmotion = 1.0, False
        if self.chance("speed", 0.35):
            speed = rng.choice([s for s in SPEEDS if s > 0 or "reverse" in self.features])
            slowmotion = 0 < speed < 1 and self.chance("slowmotion", 0.5)
        frames = producer_frames(clip, self.fps, speed)
        if frames < 60:  # too fast for this clip at this rate
            speed, slowmotion, frames = 1.0, False, producer_frames(clip, self.fps)
        n = max(3, min(n, frames - 44))
        first = rng.randrange(0, frames - n - 42)
        remap = self.remap(clip) if speed == 1 and not slowmotion and self.chance("remap", 0.2) else None
        disabled = not slowmotion and self.chance("disabled", 0.1)
        return Cut(clip, first, first + n - 1, speed=speed, freeze=self.freeze(clip, speed), disabled=disabled,
                   slowmotion=slowmotion, remap=remap)

    def freeze(self, clip: Clip, speed: float) -> tuple[int, bool, bool] | None:
        """(frame, before, after): a frame small enough to lie inside the clip however the
        structure counts it (from the entry's in, or on the inner producer's warped clock)."""
        if not self.chance("freeze", 0.3):
            return None
        inner = int((clip.frames - 2) * self.fps / (abs(speed) * clip.fps))
        frame = self.rng.randrange(0, min(11 if self.rng.random() < 0.7 else 41, inner))
        return frame, self.rng.random() < 0.35, self.rng.random() < 0.35

    def remap(self, clip: Clip) -> str:
        """time_map keyframes (clock of the project = source seconds), inside the clip."""
        top = (clip.frames - 3) / clip.fps
        keys, position = [], 0
        for _ in range(self.rng.randrange(2, 4)):
            keys.append((position, round(self.rng.uniform(0, float(top)), 3)))
            position += self.rng.randrange(5, 30)
        from livelatent.mlt_time import format_clock
        return ";".join(f"{format_clock(p, self.fps)}={s}" for p, s in keys)

    def track(self, max_items: int, sequences: list[str]) -> Track:
        items: list = []
        for _ in range(self.rng.randrange(1, max_items + 1)):
            roll = self.rng.random()
            if roll < 0.2 and items:
                items.append(Blank(self.rng.randrange(1, 12)))
            elif roll < 0.3 and sequences:
                items.append(Nest(self.rng.choice(sequences), 0, 0))  # range set by draw_edit
            else:
                cut = self.cut(self.rng.randrange(4, 30))
                if items and isinstance(items[-1], (Cut, Nest)) and self.chance("mix", 0.4):
                    self.mix(items, cut)
                items.append(cut)
        return Track(items, hidden=self.chance("hidden", 0.15))

    def mix(self, items: list, incoming: Cut) -> None:
        """A mix between the last item and `incoming` when both are long enough for it."""
        before = items[-1]
        room = min(item_length(before), item_length(incoming)) - 2
        if len(items) >= 2 and isinstance(items[-2], Mix):
            room = min(room, item_length(before) - items[-2].length - 2)
        if isinstance(before, Cut) and room >= 2:
            items.append(Mix(self.rng.randrange(2, min(room, 8) + 1)))


def draw_edit(structure: str, seed: int) -> Edit:
    draw = _Draw(structure, seed)
    nested = {}
    if "nested" in draw.features:
        for k in range(draw.rng.randrange(1, 3)):
            nested[f"Seq{k}"] = [draw.track(3, []) for _ in range(draw.rng.randrange(1, 3))]
    tracks = [draw.track(5, list(nested)) for _ in range(draw.rng.randrange(1, 4))]
    _set_nest_ranges(draw, tracks, nested)
    edit = Edit(structure, seed, draw.fps, tracks, nested=nested)
    if "dissolve" in draw.features and len(tracks) > 1:
        edit.compositions = [_composition(draw, tracks) for _ in range(draw.rng.randrange(1, 3))]
    edit.style = {"multitrack": draw.rng.random() < 0.5, "lengths": draw.rng.random() < 0.5,
                  "lanes": draw.rng.random() < 0.5, "background": draw.rng.choice(["black", "transparent", None]),
                  "inverted": draw.rng.random() < 0.3, "offsets": draw.rng.random() < 0.3}
    return edit


def _set_nest_ranges(draw: _Draw, tracks: list[Track], nested: dict[str, list[Track]]) -> None:
    for track in tracks:
        for i, item in enumerate(track.items):
            if isinstance(item, Nest):
                length = max(track_end(t) for t in nested[item.sequence])
                n = draw.rng.randrange(1, min(length, 30) + 1)
                first = draw.rng.randrange(0, length - n + 1)
                track.items[i] = replace(item, first=first, last=first + n - 1)
        while track.items and isinstance(track.items[-1], (Blank, Mix)):
            track.items.pop()
        if not track.items:
            track.items.append(draw.cut(10))


def _composition(draw: _Draw, tracks: list[Track]) -> tuple[int, int, int, int, bool]:
    b = draw.rng.randrange(1, len(tracks))
    a = draw.rng.randrange(0, b)
    end = max(track_end(t) for t in tracks)
    start = draw.rng.randrange(0, max(end - 4, 1))
    return a, b, start, min(end - 1, start + draw.rng.randrange(3, 20)), draw.rng.random() < 0.3


def as_lanes(track: Track) -> tuple[list, list, list[tuple[int, int, bool]]]:
    """The track as Kdenlive's two sub-playlists: each mix puts its incoming cut on the other
    lane (`reverse`: the incoming cut on lane 0), overlapping the outgoing one; mixes (M, M + D)."""
    lanes, ends, mixes = ([], []), [0, 0], []
    lane, position, mix = 0, 0, None
    for item in track.items:
        if isinstance(item, Blank):
            position += item.length
            continue
        if isinstance(item, Mix):
            mix = item
            continue
        start = position
        if mix is not None:
            start, lane = position - mix.length, 1 - lane
            mixes.append((start, position, lane == 0))
            mix = None
        if start > ends[lane]:
            lanes[lane].append(Blank(start - ends[lane]))
        lanes[lane].append(item)
        ends[lane] = position = start + item_length(item)
    return list(lanes[0]), list(lanes[1]), mixes

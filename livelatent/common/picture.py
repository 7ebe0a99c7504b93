"""What a frame is decoded with besides its z, and how that changes over a take.

The model and the size say which network draws; these settings say how it draws, and every
one of them changes the picture, so every command and take records them beside its z rows
(provenance) and every command that decodes again uses them by default:

    psi          StyleGAN truncation (1 = none, 0 = the average picture); a live knob
    class_idx    the class of a conditional StyleGAN (None for an unconditional model); live
    noise_mode   StyleGAN's per-layer noise: "const" (the network's own fixed noise) or "none"
    snapshot     with a snapshot set live: the checkpoint shown alone (None: not chosen)
    grid         with a snapshot set: every checkpoint, tiled

A PictureTrack is the Picture of each frame of a z-sequence: where it starts and the frames
at which it changes (a performer turning the psi knob mid-take). In a sidecar:

    "picture": {"psi": 0.7, "class": null, "noise_mode": "const", "snapshot": null, "grid": false},
    "picture_changes": [[120, {"psi": 0.5, ...}], ...]       # from frame 120 on

Pure: numpy-free even; the generators apply a Picture (generators/configure.py).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from fractions import Fraction

from livelatent.common import checks
from livelatent.errors import ControlMessageError, ZSequenceError

NOISE_MODES = ("const", "none")  # NVIDIA's "random" would make frame i differ from decode(z[i])
PSI_KNOB = (0.0, 1.0)  # a 0..1 fader sweeps psi over this; /raw takes any value in PSI_RAW
PSI_RAW = (-2.0, 2.0)
PICTURE_ACTIONS = ("model.psi", "model.class", "snapshot", "grid")


@dataclass(frozen=True)
class Picture:
    psi: float = 1.0
    class_idx: int | None = None
    noise_mode: str = "const"
    snapshot: int | None = None
    grid: bool = False

    def to_meta(self) -> dict:
        d = asdict(self)
        d["class"] = d.pop("class_idx")
        return d

    @classmethod
    def from_meta(cls, d, where: str = "picture") -> Picture:
        """A sidecar's "picture" object, every value checked; one line naming what is wrong."""
        if d is None:
            return cls()
        if not isinstance(d, dict):
            raise ZSequenceError(f"{where}: expected an object such as {{\"psi\": 0.7}}, got {d!r}")
        unknown = set(d) - {"psi", "class", "noise_mode", "snapshot", "grid"}
        if unknown:
            raise ZSequenceError(f"{where}: unknown key {sorted(unknown)[0]!r}; expected psi, class, noise_mode, "
                                 "snapshot, grid")
        try:
            return cls(psi=check_psi(d.get("psi", 1.0)), class_idx=_index_or_none(d.get("class"), "class"),
                       noise_mode=check_noise_mode(d.get("noise_mode", "const")),
                       snapshot=_index_or_none(d.get("snapshot"), "snapshot"), grid=_flag(d.get("grid", False)))
        except ValueError as exc:
            raise ZSequenceError(f"{where}: {exc}") from None

    def apply(self, action: str, args: tuple) -> Picture:
        """The Picture after a picture action (PICTURE_ACTIONS) with arguments as
        check_picture_event returns them; what the model allows is the live app's to check
        before it logs the event."""
        if action == "model.psi":
            value, form = args
            return replace(self, psi=psi_from_knob(value) if form == "norm" else value)
        if action == "model.class":
            return replace(self, class_idx=args[0])
        if action == "snapshot":
            return replace(self, snapshot=args[0], grid=False)
        return replace(self, grid=args[0] if args else not self.grid)


def psi_from_knob(x: float) -> float:
    lo, hi = PSI_KNOB
    return lo + (hi - lo) * float(x)


def psi_to_knob(psi: float) -> float:
    lo, hi = PSI_KNOB
    return min(max((psi - lo) / (hi - lo), 0.0), 1.0)


def check_psi(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"psi {value!r}: expected a number")
    if not PSI_RAW[0] <= value <= PSI_RAW[1]:
        raise ValueError(f"psi {value}: expected {PSI_RAW[0]:g}..{PSI_RAW[1]:g}")
    return float(value)


def check_noise_mode(value) -> str:
    if value not in NOISE_MODES:
        raise ValueError(f"noise mode {value!r}: expected one of {', '.join(NOISE_MODES)}")
    return value


def _index_or_none(value, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what} {value!r}: expected a whole number >= 0 or null")
    return value


def _flag(value) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"grid {value!r}: expected true or false")
    return value


def check_picture_event(action: str, args: tuple) -> tuple:
    """The arguments of a picture action in their applied and logged form: model.psi (value,
    "norm"|"raw"), model.class (index), snapshot (index), grid (() toggles, (on,) sets)."""
    if action == "snapshot":
        return checks.one_slot(action, args)
    if action == "grid":
        return checks.toggle(action, args)
    if action == "model.class":
        value = args[0] if len(args) == 1 else None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                or value != int(value) or value < 0:
            raise ControlMessageError(f"{action}: expected one class number >= 0, got {list(args)!r}")
        return (int(args[0]),)
    if not 1 <= len(args) <= 2:
        raise ControlMessageError(f"{action}: expected a value and optionally 'norm' or 'raw', got {list(args)!r}")
    form = args[1] if len(args) > 1 else "norm"
    if form not in ("norm", "raw"):
        raise ControlMessageError(f"{action}: form {form!r}: expected 'norm' or 'raw'")
    try:
        if form == "norm" and isinstance(args[0], (int, float)) and not 0.0 <= args[0] <= 1.0:
            raise ValueError(f"normalised psi must be in 0..1, got {args[0]}")
        value = check_psi(args[0])
    except ValueError as exc:
        raise ControlMessageError(f"{action}: {exc}") from None
    return (value, form)


class PictureTrack:
    """The Picture of every frame: `start`, then each (frame, Picture) change in frame order."""

    def __init__(self, start: Picture = Picture(), changes=()) -> None:
        self.start = start
        self.changes = [(int(k), p) for k, p in changes]

    def __eq__(self, other) -> bool:
        return isinstance(other, PictureTrack) and (self.start, self.changes) == (other.start, other.changes)

    def __repr__(self) -> str:
        return f"PictureTrack({self.start!r}, {self.changes!r})"

    def at(self, k: int) -> Picture:
        picture = self.start
        for frame, changed in self.changes:
            if frame > k:
                break
            picture = changed
        return picture

    def runs(self, start: int, stop: int) -> list[tuple[int, int, Picture]]:
        """[(a, b, Picture)]: frames a..b-1 share one Picture; covers start..stop-1."""
        cuts = sorted({start, stop, *(k for k, _ in self.changes if start < k < stop)})
        return [(a, b, self.at(a)) for a, b in zip(cuts, cuts[1:])]

    def replaced(self, **fields) -> PictureTrack:
        """The same track with these settings everywhere (what the user gave on the command line)."""
        return PictureTrack(replace(self.start, **fields), [(k, replace(p, **fields)) for k, p in self.changes])

    def resampled(self, src_fps: Fraction, dst_fps: Fraction) -> PictureTrack:
        """The same changes at the same times, on another frame rate's grid."""
        moved = [(math.ceil(Fraction(k) / Fraction(src_fps) * Fraction(dst_fps)), p) for k, p in self.changes]
        return PictureTrack(self.start, moved)

    def to_meta(self) -> dict:
        meta = {"picture": self.start.to_meta()}
        if self.changes:
            meta["picture_changes"] = [[k, p.to_meta()] for k, p in self.changes]
        return meta

    @classmethod
    def from_meta(cls, meta: dict, where: str = "sidecar") -> PictureTrack:
        start = Picture.from_meta(meta.get("picture"), f"{where}: picture")
        raw = meta.get("picture_changes") or []
        if not isinstance(raw, list) or not all(isinstance(c, list) and len(c) == 2 and isinstance(c[0], int)
                                                and not isinstance(c[0], bool) for c in raw):
            raise ZSequenceError(f"{where}: picture_changes: expected [[frame, {{...}}], ...]")
        return cls(start, [(k, Picture.from_meta(p, f"{where}: picture_changes")) for k, p in raw])

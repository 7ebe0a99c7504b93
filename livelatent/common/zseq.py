"""A z-sequence: one latent per frame at an exact frame rate, stored as NAME.npy + NAME.json.

Its video (NAME.mp4 or NAME.mov) sits beside it; frame i of that video is decode(z[i]).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from livelatent import __version__
from livelatent.common.arrayfile import read_npy
from livelatent.common.files import atomic_paths
from livelatent.errors import LatentShapeError, UsageError, ZSequenceError
from livelatent.common.rates import FrameRate
from livelatent.common.jsonfile import FLAG, NAME, NUMBER, POSITIVE, RATE, TEXT, WHOLE, check_fields, list_of, read_json_object
from livelatent.common.latent import check_z
from livelatent.common.limits import check_rate

# the sidecar fields that commands read, each checked when present (others are kept as they are)
SIDECAR_FIELDS = {
    "fps": RATE, "frames": WHOLE, "d": POSITIVE, "id": NAME, "made_by": TEXT, "model": NAME,
    "model_label": TEXT, "parents": list_of(TEXT), "seed": WHOLE, "snapshot_labels": list_of(TEXT),
    "keyframe_frames": list_of(WHOLE), "keyframe_times": list_of(TEXT), "picked_frames": list_of(WHOLE),
    "noise": NUMBER, "interp": TEXT, "interrupted": FLAG, "take": TEXT, "created": TEXT, "software": TEXT,
}


@dataclass(frozen=True)
class ZSequence:
    """z: float32 (frames, d); fps: exact rate; meta: what made it, model, parents (common/provenance.py)."""

    z: np.ndarray
    fps: FrameRate
    meta: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "z", check_z(self.z, what="z-sequence"))
        object.__setattr__(self, "fps", FrameRate.parse(self.fps))

    def __len__(self) -> int:
        return self.z.shape[0]

    @property
    def d(self) -> int:
        return self.z.shape[1]

    def with_meta(self, **updates) -> "ZSequence":
        return replace(self, meta={**self.meta, **updates})


def pair_paths(out: str | os.PathLike, video_ext: str = ".mp4") -> tuple[Path, Path, Path]:
    """(NAME.npy, NAME.json, NAME.<video>) for `-o OUT`; an extension on OUT is respected."""
    p = Path(out)
    if p.suffix.lower() in (".npy", ".json", ".mp4", ".mov", ".mkv"):
        if p.suffix.lower() in (".mp4", ".mov", ".mkv"):
            video_ext = p.suffix
        p = p.with_suffix("")
    return p.with_name(p.name + ".npy"), p.with_name(p.name + ".json"), p.with_name(p.name + video_ext)


def save(seq: ZSequence, out: str | os.PathLike) -> Path:
    """Write NAME.npy and NAME.json atomically; returns the .npy path."""
    npy, js, _ = pair_paths(out)
    try:
        npy.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ZSequenceError(f"{npy.parent}: cannot make the folder ({exc.strerror or exc})") from None
    meta = {
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "software": f"livelatent {__version__}",
        **seq.meta,
        "fps": str(seq.fps),
        "frames": len(seq),
        "d": seq.d,
    }
    try:
        write_pair(npy, js, seq.z, meta)
    except OSError as exc:  # a full disk, a read-only folder: no half-written pair is left
        raise ZSequenceError(f"{npy}: cannot write the z-sequence ({exc.strerror or exc})") from None
    return npy


def write_pair(npy: Path, js: Path, z: np.ndarray, meta: dict) -> None:
    """NAME.npy and its NAME.json sidecar, both written before either is renamed into place."""
    with atomic_paths(npy, js) as (tmp_npy, tmp_js):
        np.save(tmp_npy, z)
        tmp_js.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def resolve(path: str | os.PathLike) -> Path:
    """The stem of a pair to read: a folder (a take, recordings/take-X) means the pair
    inside it named after it (recordings/take-X/take-X); anything else is itself."""
    p = Path(path)
    return p / p.name if p.is_dir() and (p / f"{p.name}.npy").exists() else p


def load(path: str | os.PathLike, d: int | None = None, *, allow_empty: bool = False) -> ZSequence:
    """Read NAME.npy + NAME.json (either path, the stem, or a take folder); every defect names the file.

    A z-sequence of no frames is refused (there is nothing to render, plot or pick from)
    unless allow_empty: a take cut off before its first frame is still a take."""
    npy, js, _ = pair_paths(resolve(path))
    if not npy.exists() and not npy.is_symlink():
        raise ZSequenceError(f"{npy}: z-sequence not found")
    z = read_npy(npy, ZSequenceError, what="z-sequence (frames, d) of numbers")
    if z.ndim != 2:
        raise ZSequenceError(f"{npy}: expected a 2-D array (frames, d), got shape {z.shape}")
    if not js.exists() and not js.is_symlink():
        raise ZSequenceError(f"{js}: metadata sidecar missing; expected it beside {npy.name}")
    meta = check_fields(read_json_object(js, ZSequenceError), SIDECAR_FIELDS, js, ZSequenceError)
    if "fps" not in meta:
        raise ZSequenceError(f"{js}: expected a JSON object with at least 'fps'")
    if not len(z) and not allow_empty:
        raise ZSequenceError(f"{npy}: no frames; expected a z-sequence of at least one frame")
    try:
        z = check_z(z, d, what=str(npy))
    except LatentShapeError as exc:
        raise ZSequenceError(str(exc)) from None
    for key, actual in (("frames", z.shape[0]), ("d", z.shape[1])):
        if key in meta and meta[key] != actual:
            raise ZSequenceError(f"{js}: says {key}={meta[key]} but {npy.name} has {actual}")
    try:
        fps = FrameRate.parse(meta["fps"])
        check_rate(fps.value, "fps", setting=None)
    except UsageError:
        raise ZSequenceError(f"{js}: fps {meta['fps']!r} is not a rate such as 30 or 30000/1001 "
                             "(from 1/100 to 1000)") from None
    return ZSequence(z, fps, meta)

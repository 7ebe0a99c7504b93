"""The keyframes a path was made through, kept in its sidecar so they can be shown and re-used.

    meta.update(record(keyframes, keys_z, pauses))        # -> "keyframes", "keyframe_frames", "pauses"
    keys, rows, pauses = recorded(meta, len(seq), where="take.json")

Each keyframe is {"frame": its row, "kind": cut | guide | cut+guide, "timeline_frame",
"clip", "source", "source_frame", "guide", "z"}: z is the keyframe's latent as float32
little-endian bytes in base64 (exact, and a twentieth of the size of decimal text), so the
same keyframes drive another mover without the edit or its clips. `keyframe_frames` (the
rows) is what plot-path marks; `pauses` the rows held still ([first, last] pairs).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import asdict

import numpy as np

from livelatent.errors import ZSequenceError
from livelatent.edit.keyframes import Keyframe


def encode_z(z: np.ndarray) -> str:
    return base64.b64encode(np.asarray(z, dtype="<f4").tobytes()).decode("ascii")


def decode_z(text, d: int, where: str) -> np.ndarray:
    try:
        raw = base64.b64decode(str(text), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    z = np.frombuffer(raw, dtype="<f4") if len(raw) == 4 * d else np.zeros(0)
    if len(z) != d or not np.isfinite(z).all():
        raise ZSequenceError(f"{where}: z: expected {d} finite float32 values in base64")
    return z.astype(np.float64)


def record(keyframes: list[Keyframe], keys: np.ndarray, pauses) -> dict:
    """The sidecar fields for keyframes (their z in `keys`, one row each) and pauses."""
    entries = []
    for keyframe, z in zip(keyframes, keys):
        entry = {k: v for k, v in asdict(keyframe).items() if v not in ("", None) and k != "row"}
        entries.append({"frame": keyframe.row, **entry, "z": encode_z(z)})
    return {"keyframe_frames": [k.row for k in keyframes], "keyframes": entries,
            "pauses": [[int(a), int(b)] for a, b in pauses]}


def recorded(meta: dict, frames: int, d: int, where: str) -> tuple[np.ndarray, list[Keyframe], list[tuple[int, int]]]:
    """The keyframes' z (k, d) float64, the keyframes and the pauses a sidecar records."""
    entries = meta.get("keyframes")
    if not isinstance(entries, list) or not entries:
        raise ZSequenceError(f"{where}: no recorded keyframes; expected the sidecar of a keyframe conform or path")
    rows, keys = [], []
    for i, entry in enumerate(entries):
        at = f"{where}: keyframes[{i}]"
        frame = entry.get("frame") if isinstance(entry, dict) else None
        if isinstance(frame, bool) or not isinstance(frame, int) or not 0 <= frame < frames:
            raise ZSequenceError(f"{at}: frame: expected a frame in 0..{frames - 1}")
        rows.append(frame)
        keys.append(decode_z(entry.get("z"), d, at))
    if any(b <= a for a, b in zip(rows, rows[1:])):
        raise ZSequenceError(f"{where}: keyframes: expected increasing frames, got {rows}")
    keyframes = [_keyframe(row, entry) for row, entry in zip(rows, entries)]
    return np.stack(keys), keyframes, _pauses(meta.get("pauses", []), frames, where)


def _keyframe(row: int, entry: dict) -> Keyframe:
    """What the record says of a keyframe besides its frame and z (informative: kept as far
    as it is of the right type)."""
    def text(name: str) -> str:
        return entry[name] if isinstance(entry.get(name), str) else ""
    t, pos = entry.get("timeline_frame"), entry.get("source_frame")
    return Keyframe(row, text("kind") or "recorded", t if isinstance(t, int) and not isinstance(t, bool) else row,
                    text("clip"), text("source"), pos if isinstance(pos, (int, float)) and not isinstance(pos, bool)
                    else None, text("guide"))


def _pauses(value, frames: int, where: str) -> list[tuple[int, int]]:
    ok = isinstance(value, list) and all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(x, int) and not isinstance(x, bool) for x in p)
        and 0 <= p[0] <= p[1] < frames for p in value)
    if not ok:
        raise ZSequenceError(f"{where}: pauses: expected [first, last] frame pairs within 0..{frames - 1}")
    return [(a, b) for a, b in value]

"""KeyframeBank: the slots of z vectors a performer triggers (64 by default).

Every slot always holds a z: slots not filled from a z-sequence or a saved bank hold a
random sample keyed by (seed, slot), so an empty pad never means silence. A bank saves as
NAME.npy (float32 (slots, d)) beside NAME.json (d, slots, one label per slot).

    bank = KeyframeBank.random(d=128, seed=7)
    bank = KeyframeBank.from_zseq("reel.npy", "0,12,40-43", seed=7)   # slots 0..5 from the reel
    bank.store(9, z); bank.save("mybank"); KeyframeBank.load("mybank")
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from livelatent.common import zseq
from livelatent.common.arrayfile import read_npy
from livelatent.errors import ControlMessageError, UsageError, ZSequenceError
from livelatent.common.jsonfile import read_json_object
from livelatent.common.frame_lists import frame_list
from livelatent.common.latent import check_z, keyed_rng

SLOTS = 64
BANK_KEY = 0xBA4C  # keeps bank randomness apart from other (seed, ...) streams


class KeyframeBank:
    """z: float32 (slots, d); labels: where each slot's z came from."""

    def __init__(self, z: np.ndarray, labels: list[str] | None = None) -> None:
        self.z = np.array(check_z(z, what="keyframe bank"), dtype=np.float32)
        self.labels = list(labels) if labels is not None else ["random"] * len(self.z)
        if len(self.labels) != len(self.z):
            raise UsageError(f"keyframe bank: {len(self.labels)} labels for {len(self.z)} slots")

    @property
    def d(self) -> int:
        return self.z.shape[1]

    def __len__(self) -> int:
        return self.z.shape[0]

    def __getitem__(self, slot: int) -> np.ndarray:
        return self.z[self._check(slot)]

    def _check(self, slot: int) -> int:
        if not 0 <= slot < len(self):
            raise ControlMessageError(f"slot {slot}: expected 0..{len(self) - 1}")
        return slot

    def store(self, slot: int, z: np.ndarray, label: str = "stored") -> None:
        """Put z (d,) into a slot: "store the current position into slot n"."""
        self.z[self._check(slot)] = check_z(z, self.d, what=f"slot {slot}")[0]
        self.labels[slot] = label

    def copy(self) -> "KeyframeBank":
        return KeyframeBank(self.z.copy(), self.labels)

    # ---- building ----

    @classmethod
    def random(cls, d: int, seed: int, slots: int = SLOTS) -> "KeyframeBank":
        return cls(np.stack([random_keyframe(d, seed, s) for s in range(slots)]))

    @classmethod
    def from_zseq(cls, path: str | os.PathLike, frames: str | None, *, seed: int, d: int | None = None,
                  slots: int = SLOTS) -> "KeyframeBank":
        """Slots 0.. from chosen frames of a z-sequence ("0,12,40-43"; None = the first `slots`)."""
        seq = zseq.load(path, d=d)
        picked = frame_list(frames, len(seq), setting="bank") if frames else list(range(min(len(seq), slots)))
        if len(picked) > slots:
            raise UsageError(f"`bank` {path}:{frames}: {len(picked)} frames for {slots} slots", setting="bank")
        bank = cls.random(seq.d, seed, slots)
        name = Path(path).stem
        for slot, k in enumerate(picked):
            bank.store(slot, seq.z[k], label=f"{name}#{k}")
        return bank

    @classmethod
    def from_spec(cls, spec: str, *, seed: int, d: int, slots: int = SLOTS) -> "KeyframeBank":
        """ZSEQ[:frames] (a z-sequence) or a saved bank (NAME.npy with a bank NAME.json)."""
        path, _, frames = spec.partition(":")
        meta = Path(path).with_suffix(".json")
        if meta.exists() and read_json_object(meta, UsageError).get("kind") == "keyframe-bank":
            return cls.load(path, d=d)
        try:
            return cls.from_zseq(path, frames or None, seed=seed, d=d, slots=slots)
        except ZSequenceError as exc:
            raise UsageError(f"`bank` {spec}: {exc}", setting="bank") from None

    # ---- files ----

    def save(self, out: str | os.PathLike) -> Path:
        npy, js, _ = zseq.pair_paths(out)
        npy.parent.mkdir(parents=True, exist_ok=True)
        zseq.write_pair(npy, js, self.z, {"kind": "keyframe-bank", "d": self.d, "slots": len(self),
                                          "labels": self.labels})
        return npy

    @classmethod
    def load(cls, path: str | os.PathLike, d: int | None = None) -> "KeyframeBank":
        npy, js, _ = zseq.pair_paths(path)
        z = read_npy(npy, UsageError, what="keyframe bank (slots, d) of numbers")
        meta = read_json_object(js, UsageError) if js.exists() else {}
        if d is not None and z.ndim == 2 and z.shape[1] != d:
            raise UsageError(f"{npy}: bank of z size {z.shape[1]}, but the model expects {d}")
        return cls(z, meta.get("labels"))


def random_keyframe(d: int, seed: int, key: int) -> np.ndarray:
    """A N(0, I_d) sample keyed by (seed, key): the same on every machine and every replay."""
    return keyed_rng(seed, BANK_KEY, key).standard_normal(d).astype(np.float32)

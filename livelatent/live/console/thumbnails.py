"""The bank's thumbnails: each slot's z decoded small by the show's model, between show frames.

The loop (at the console's pace) says what the bank holds now (refresh); a slot whose z or
whose Picture (psi, class, snapshot) changed since its thumbnail was made is due again. The
decode worker (live/decoder.py) calls decode_one() only while no show frame waits for it, so
a show frame always wins the decoder and the thumbnails fill in between: a whole bank of 64
at 96 x 96 takes the default model about a fifth of a second of otherwise idle time.

    thumbs = Thumbnails(lambda z, picture: decode(z, picture, (96, 96)), deliver=link.thumbnail)
    thumbs.refresh(bank.z, picture)   # the loop's thread: copies what changed
    thumbs.decode_one()               # the worker's thread: one due slot -> deliver(slot, image)
"""

from __future__ import annotations

import threading

import numpy as np

SIZE = 96  # pixels, each side: sharp on a high-density laptop screen; drawn smaller (window.CELL) by the GPU,
# where the cost is the drawn area, not the texture's (decoding 96 against 64: +1.6 ms a slot, once)


class Thumbnails:
    def __init__(self, decode, deliver, *, log=None) -> None:
        self._decode, self._deliver, self._log = decode, deliver, log
        self._lock = threading.Lock()
        self._made: np.ndarray | None = None  # the z each thumbnail shows (NaN: none yet)
        self._picture = None
        self._due: dict[int, np.ndarray] = {}  # slot -> the z to decode for it
        self.made = 0  # thumbnails decoded so far

    def refresh(self, bank_z: np.ndarray, picture) -> None:
        """Mark the slots whose thumbnail no longer shows what the bank holds (the loop's thread)."""
        with self._lock:
            if self._made is None or self._made.shape != bank_z.shape or picture != self._picture:
                self._made = np.full(bank_z.shape, np.nan, np.float32)
                self._picture, self._due = picture, {}
            stale = np.flatnonzero(np.any(self._made != bank_z, axis=1))
            for slot in stale:
                self._due[int(slot)] = bank_z[slot].copy()
                self._made[slot] = bank_z[slot]

    def pending(self) -> int:
        with self._lock:
            return len(self._due)

    def decode_one(self) -> bool:
        """Decode one due thumbnail and deliver it (the worker's thread); False if none was due."""
        with self._lock:
            if not self._due:
                return False
            slot = min(self._due)
            z, picture = self._due.pop(slot), self._picture
        try:
            image = self._decode(z[None], picture)[0]
        except Exception as exc:  # noqa: BLE001 - a model that fails a thumbnail still plays the show
            if self._log is not None:
                self._log.log("thumbnail", f"console: slot {slot} thumbnail: {type(exc).__name__}: {exc}")
            return True
        self.made += 1
        self._deliver(slot, image)
        return True

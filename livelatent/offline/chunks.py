"""A render cut into chunks of consecutive frames, the unit that workers decode and resume.

Chunk boundaries fall on the render's batch boundaries: a chunk of 64 frames at --batch 16
is four of the batches a single-process render decodes, so every frame is decoded in the
same batch, next to the same neighbours, whichever worker takes its chunk. A model whose
pictures depended on their batch (float rounding in batched kernels) still gives the same
bytes as the single-process render.

    chunks = plan_chunks(1000, chunk_frames=64, batch=16)   # 16 chunks, the last of 40 frames
    chunks[1].label                                          # 'chunk 1 (frames 64-127)'
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import numpy as np

DEFAULT_CHUNK_FRAMES = 64  # benchmarks/bench_ray_render.py: scheduling overhead under 5% from here on


@dataclass(frozen=True, order=True)
class Chunk:
    index: int
    start: int
    stop: int  # one past the last frame

    @property
    def frames(self) -> int:
        return self.stop - self.start

    @property
    def label(self) -> str:
        return f"chunk {self.index} (frames {self.start}-{self.stop - 1})"


def chunk_length(chunk_frames: int, batch: int) -> int:
    """chunk_frames rounded up to a whole number of batches."""
    return -(-max(1, chunk_frames) // batch) * batch


def plan_chunks(frames: int, *, chunk_frames: int, batch: int) -> list[Chunk]:
    """Consecutive chunks covering frames 0..frames-1, each a whole number of batches but the last."""
    step = chunk_length(chunk_frames, batch)
    return [Chunk(i, start, min(start + step, frames)) for i, start in enumerate(range(0, frames, step))]


def fingerprint(z: np.ndarray, fps: str, settings: dict) -> str:
    """What makes a render's chunks interchangeable: its z rows, its rate and every setting that
    changes a frame or a segment. A resumed render keeps only chunks of the same fingerprint."""
    digest = hashlib.sha256()
    digest.update(np.ascontiguousarray(z, dtype=np.float32).tobytes())
    digest.update(json.dumps({"fps": fps, **settings}, sort_keys=True, default=str).encode())
    return digest.hexdigest()

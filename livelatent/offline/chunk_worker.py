"""What one worker does with a chunk: decode its frames and write them where the render wants them.

A worker loads the model once (from a ModelRecipe: the spec and options, never the driver's
loaded model) and keeps it for every chunk it is given, of any render (ChunkJob). For each chunk it decodes the rows
in batches, writes each frame to the image sequence (when there is one) and the chunk's video
segment, both under temporary names renamed when whole, so a chunk is either finished or absent.
This module knows nothing of Ray: offline/distributed.py runs it in Ray actors, the local
executor (offline/chunked.py) runs it in this process.

    renderer = ChunkRenderer(ModelRecipe("default", size=(512, 512)))
    renderer.render(job, Chunk(3, 192, 256), z[192:256])   # work/chunk-000003.mp4 (+ images)
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from livelatent import limits
from livelatent.adapters.image_sequence import ImageSequence
from livelatent.adapters.video import VideoWriter
from livelatent.errors import ModelError
from livelatent.offline.chunks import Chunk


@dataclass(frozen=True)
class ModelRecipe:
    """How a worker loads the model: what generators.load() is given, nothing loaded yet."""

    spec: str
    device: str = "auto"
    size: tuple[int, int] | None = None  # (h, w) the model is loaded at
    options: tuple = ()  # sorted (name, value) pairs: stylegan_repo, truncation_psi, grid, labels ...

    def load(self):
        from livelatent import generators

        return generators.load(self.spec, device=self.device, size=self.size, **dict(self.options))


@dataclass(frozen=True)
class ModelInfo:
    """What the driver needs to know of the model, as a worker loaded it."""

    label: str
    z_dim: int
    resolution: tuple[int, int]
    snapshot_labels: tuple[str, ...] | None = None


@dataclass(frozen=True)
class ChunkJob:
    """Where and how a render's chunks are written (sent with each chunk: a few paths and flags)."""

    work: Path  # the render's work folder, on storage every worker and the driver share
    fps: str
    batch: int = 16
    images: ImageSequence | None = None
    segment: dict = field(default_factory=dict)  # VideoWriter settings of the segments: lossless, intra_only

    def segment_path(self, chunk: Chunk) -> Path:
        return Path(self.work) / f"chunk-{chunk.index:06d}.mp4"

    def finished(self, chunk: Chunk) -> bool:
        """Whether the chunk's segment and images are all on disk."""
        frames = range(chunk.start, chunk.stop)
        return self.segment_path(chunk).exists() and (self.images is None
                                                      or all(self.images.path(i).exists() for i in frames))


@dataclass(frozen=True)
class ChunkResult:
    index: int
    frames: int
    seconds: float  # decoding and writing, on the worker
    worker: str  # host:pid


class ChunkRenderer:
    """A model loaded once, rendering the chunks it is given."""

    def __init__(self, recipe: ModelRecipe) -> None:
        self.generator = recipe.load()
        self.name = f"{socket.gethostname()}:{os.getpid()}"

    def describe(self) -> ModelInfo:
        g = self.generator
        labels = getattr(getattr(g, "snapshots", None), "labels", None)
        return ModelInfo(g.label, int(g.z_dim), tuple(g.resolution), tuple(labels) if labels else None)

    def render(self, job: ChunkJob, chunk: Chunk, z: np.ndarray) -> ChunkResult:
        started = time.perf_counter()
        h, w = self.generator.resolution
        batch = limits.batch_for(job.batch, h, w)  # as the driver planned: chunks start on batch boundaries
        path = job.segment_path(chunk)
        tmp = path.with_name(f".{path.name}.part.mp4")
        with VideoWriter(tmp, fps=job.fps, size=(w, h), **job.segment) as writer:
            for at in range(0, len(z), batch):
                images = np.asarray(self.generator.decode(z[at:at + batch], (h, w)))
                if images.shape[1:] != (h, w, 3):
                    raise ModelError(f"model {self.generator.label}: decoded {images.shape[1:]}, expected ({h}, {w}, 3)")
                writer.write(images)
                for offset, image in enumerate(images):
                    if job.images is not None:
                        job.images.write(chunk.start + at + offset, image)
        os.replace(tmp, path)
        return ChunkResult(chunk.index, chunk.frames, time.perf_counter() - started, self.name)

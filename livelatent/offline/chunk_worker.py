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

from livelatent.common import limits
from livelatent.common.files import atomic_path
from livelatent.adapters.image_sequence import ImageSequence
from livelatent.adapters.video import VideoWriter
from livelatent.errors import ModelError
from livelatent.generators import batching
from livelatent.generators.configure import configured, decode_frames
from livelatent.offline.chunks import Chunk


@dataclass(frozen=True)
class ModelRecipe:
    """How a worker loads the model: what generators.load() is given, nothing loaded yet, and
    the later pictures (psi, class, snapshot) the model is checked to draw."""

    spec: str
    device: str = "auto"
    size: tuple[int, int] | None = None  # (h, w) the model is loaded at
    options: tuple = ()  # sorted (name, value) pairs: stylegan_repo, truncation_psi, grid, labels ...
    pictures: tuple = ()

    @classmethod
    def of(cls, arguments: dict, pictures=()) -> "ModelRecipe":
        """From generators.load()'s keyword arguments (ModelChoice.load_arguments)."""
        options = {k: v for k, v in arguments.items() if k not in ("spec", "device", "size")}
        return cls(arguments["spec"], arguments.get("device", "auto"), arguments.get("size"),
                   tuple(sorted(options.items())), tuple(pictures))

    def load(self):
        from livelatent import generators

        generator = generators.load(self.spec, device=self.device, size=self.size, **dict(self.options))
        for picture in self.pictures:
            configured(generator, picture)  # one line now, not at that picture's frame
        return generator


@dataclass(frozen=True)
class ModelInfo:
    """What the driver needs to know of the model, as a worker loaded it."""

    label: str
    z_dim: int
    resolution: tuple[int, int]
    snapshot_labels: tuple[str, ...] | None = None
    tile: tuple[int, int] | None = None  # a grid's picture size


@dataclass(frozen=True)
class ChunkJob:
    """Where and how a render's chunks are written (sent with each chunk: a few paths and flags)."""

    work: Path  # the render's work folder, on storage every worker and the driver share
    fps: str
    batch: int | None = None  # --batch: fixed, chunks start on its multiples; None: each worker measures
    images: ImageSequence | None = None
    track: object = None  # the PictureTrack of the frames (psi, class, snapshot per frame), if any
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
    cpu_seconds: float = 0.0  # the worker process's CPU time for it (all its threads)


class ChunkRenderer:
    """A model loaded once, rendering the chunks it is given."""

    def __init__(self, recipe: ModelRecipe) -> None:
        self.generator = recipe.load()
        self.name = f"{socket.gethostname()}:{os.getpid()}"

    def describe(self) -> ModelInfo:
        g = self.generator
        labels = getattr(getattr(g, "snapshots", None), "labels", None)
        tile = getattr(g, "tile", None)
        return ModelInfo(g.label, int(g.z_dim), tuple(g.resolution), tuple(labels) if labels else None,
                         tuple(tile) if tile else None)

    def render(self, job: ChunkJob, chunk: Chunk, z: np.ndarray) -> ChunkResult:
        started, cpu = time.perf_counter(), time.process_time()
        h, w = self.generator.resolution
        path = job.segment_path(chunk)
        rows, planner = _Rows(z, chunk.start), self._planner(job, h, w)
        with atomic_path(path) as tmp, VideoWriter(tmp, fps=job.fps, size=(w, h), **job.segment) as writer:
            at = chunk.start
            while at < chunk.stop:
                end = min(at + planner.next_size(), chunk.stop)
                began = time.perf_counter()
                images = np.asarray(decode_frames(self.generator, job.track, rows, at, end, (h, w)))
                planner.record(end - at, time.perf_counter() - began)
                if images.shape != (end - at, h, w, 3):
                    raise ModelError(f"model {self.generator.label}: decoded {images.shape}, "
                                     f"expected ({end - at}, {h}, {w}, 3)")
                writer.write(images)
                for frame, image in enumerate(images, at):
                    if job.images is not None:
                        job.images.write(frame, image)
                at = end
        return ChunkResult(chunk.index, chunk.frames, time.perf_counter() - started, self.name,
                           time.process_time() - cpu)

    def _planner(self, job: ChunkJob, h: int, w: int):
        """A fixed --batch (chunks start on its multiples, as the driver planned), else the size this
        worker measured for its model (generators/batching.py), measured once per worker."""
        limit = limits.batch_for(job.batch or batching.LIMIT, h, w)
        return batching.BatchPlanner.for_generator(self.generator, fixed=limit if job.batch else None, limit=limit)


class _Rows:
    """A chunk's z rows, indexed by frame number in the whole sequence (as decode_frames indexes)."""

    def __init__(self, z: np.ndarray, first: int) -> None:
        self.z, self.first = z, first

    def __getitem__(self, rows: slice) -> np.ndarray:
        return self.z[rows.start - self.first:rows.stop - self.first]

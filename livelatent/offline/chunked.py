"""A render done chunk by chunk by a pool of workers, resumable, then assembled into one video.

The driver plans the chunks (offline/chunks.py), keeps the manifest (offline/manifest.py),
hands the missing chunks to an executor and, once every chunk is on disk, joins the chunk
segments into OUT.mp4 and writes the pair OUT.npy + OUT.json. Two executors: LocalExecutor
here (this process, no Ray: image sequences and resumable renders on one machine) and
offline/distributed.RayExecutor (Ray actors on one machine or many). The result is the same
bytes whichever executor, however many workers and in whatever order chunks finish.

    model = ChunkedModel(LocalExecutor(ModelRecipe("default", size=(512, 512))))   # or a RayExecutor
    result = render_chunked(seq, model, job, "final/edit", ChunkedSettings())
"""

from __future__ import annotations

import shutil
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from livelatent.common import limits, zseq
from livelatent.common.files import atomic_path
from livelatent.adapters.video import VideoWriter, iter_frames
from livelatent.adapters.video_segments import join_segments, joinable
from livelatent.errors import ZSequenceError
from livelatent.common.latent import check_z
from livelatent.common.provenance import new_id
from livelatent.offline.chunk_worker import ChunkJob, ChunkRenderer, ChunkResult, ModelInfo, ModelRecipe
from livelatent.offline.chunks import DEFAULT_CHUNK_FRAMES, fingerprint, plan_chunks
from livelatent.offline.manifest import Manifest
from livelatent.offline.progress import ctrl_c_requests_stop, progress_bar
from livelatent.offline.render import RenderResult, video_tags
from livelatent.common.zseq import ZSequence

JOINS = ("remux", "encode")


@dataclass(frozen=True)
class ChunkedSettings:
    chunk_frames: int = DEFAULT_CHUNK_FRAMES
    join: str = "remux"  # remux: segments are the final encoding, joined; encode: lossless, re-encoded in order
    video: dict = field(default_factory=dict)  # the final video's VideoWriter settings: lossless, intra_only
    force: bool = False
    progress: bool = True
    worker_rates: bool = False


def work_folder(out) -> Path:
    """Where a render keeps its manifest and chunk segments until it is done: OUT.chunks beside OUT."""
    npy = zseq.pair_paths(out)[0]
    return npy.with_name(npy.stem + ".chunks")


def segment_settings(settings: ChunkedSettings) -> dict:
    """A remuxed video's segments carry the final encoding; re-encoded ones are lossless."""
    return dict(settings.video) if settings.join == "remux" else {"lossless": True}


class LocalExecutor:
    """Chunks rendered one after another in this process by one ChunkRenderer."""

    def __init__(self, recipe: ModelRecipe) -> None:
        self.recipe = recipe
        self.renderer = ChunkRenderer(recipe)

    def model_info(self) -> ModelInfo:
        return self.renderer.describe()

    def run(self, job: ChunkJob, chunks, z, stop: threading.Event) -> Iterator[ChunkResult]:
        for chunk in chunks:
            if stop.is_set():
                return
            yield self.renderer.render(job, chunk, z[chunk.start:chunk.stop])

    def close(self) -> None:
        pass


class ChunkedModel:
    """The model as the workers loaded it, seen from the driver: what the commands ask of a
    Generator before rendering (label, z size, resolution, snapshot labels), no decode."""

    def __init__(self, executor) -> None:
        self.executor = executor
        try:
            info = executor.model_info()
        except BaseException:
            executor.close()
            raise
        self.label, self.z_dim, self.resolution, self.tile = info.label, info.z_dim, info.resolution, info.tile
        self.device, self.shell_radius = "workers", None
        self.snapshots = SimpleNamespace(labels=list(info.snapshot_labels)) if info.snapshot_labels else None


def render_chunked(seq: ZSequence, model: ChunkedModel, job: ChunkJob, out, settings: ChunkedSettings) -> RenderResult:
    """Render every missing chunk of seq on the model's workers; when all are done, the video and the pair."""
    try:
        check_z(seq.z, model.z_dim, what=f"z-sequence for model {model.label}")
        h, w = model.resolution
        batch = limits.batch_for(job.batch, h, w) if job.batch else 1  # a fixed --batch: chunks start on its multiples
        plan = plan_chunks(len(seq), chunk_frames=settings.chunk_frames, batch=batch)
        fp = _fingerprint(seq, model, job, plan)
        manifest = Manifest.open(job.work, fingerprint=fp, chunks=len(plan),
                                 render_id=seq.meta.get("id") or new_id(), force=settings.force)
        todo = manifest.missing(plan, job.finished)
        if len(todo) < len(plan):
            print(f"resuming {job.work}: {len(plan) - len(todo)} of {len(plan)} chunks already rendered",
                  file=sys.stderr)
        done = _run_chunks(model.executor, job, todo, seq, manifest, settings, Path(out).name)
    finally:
        model.executor.close()
    seq = seq.with_meta(id=manifest.render_id)
    video = zseq.pair_paths(out)[2]
    if done < len(todo):
        frames = sum(c.frames for c in plan if c.index in manifest.done)
        return RenderResult(seq, video, frames, interrupted=True)
    _assemble(plan, job, settings, video, seq, model)
    zseq.save(seq, out)
    shutil.rmtree(job.work, ignore_errors=True)
    return RenderResult(seq, video, len(seq))


def _fingerprint(seq: ZSequence, model: ChunkedModel, job: ChunkJob, plan) -> str:
    images = (job.images.pattern, job.images.depth) if job.images else None
    return fingerprint(seq.z, str(seq.fps), {"model": repr(model.executor.recipe), "resolution": model.resolution,
                                             "batch": job.batch, "images": images, "segment": job.segment,
                                             "pictures": repr(job.track),
                                             "chunk": plan[0].frames})


def _run_chunks(executor, job: ChunkJob, todo, seq, manifest, settings: ChunkedSettings, name: str) -> int:
    """Chunks as they finish, recorded in the manifest; returns how many finished."""
    bar = progress_bar(len(seq), settings.progress, name, initial=len(seq) - sum(c.frames for c in todo))
    rates = WorkerRates()
    finished = 0
    with ctrl_c_requests_stop() as stop:
        try:
            for result in executor.run(job, todo, seq.z, stop):
                manifest.mark_done(result.index)
                finished += 1
                rates.add(result)
                bar.update(result.frames)
                if settings.worker_rates:
                    bar.set_postfix_str(rates.summary(), refresh=False)
        except KeyboardInterrupt:
            pass  # the manifest has every finished chunk: the same command goes on from there
        finally:
            bar.close()
    if settings.worker_rates:
        for line in rates.lines():
            print(line, file=sys.stderr)
    return finished


def _assemble(plan, job: ChunkJob, settings: ChunkedSettings, video: Path, seq: ZSequence, model) -> None:
    """OUT.mp4 from the chunk segments in order: remuxed when they join, else encoded here."""
    segments = [job.segment_path(chunk) for chunk in plan]
    tags = video_tags(seq, model)
    if settings.join == "remux" and joinable(segments):
        frames = join_segments(segments, video, fps=seq.fps, metadata=tags)
    else:
        h, w = model.resolution
        with atomic_path(video) as tmp, \
                VideoWriter(tmp, fps=seq.fps, size=(w, h), metadata=tags, **settings.video) as writer:
            for segment in segments:
                for frame in iter_frames(segment):
                    writer.write(frame)
            frames = writer.frames_written
    if frames != len(seq):
        raise ZSequenceError(f"{video}: the chunks hold {frames} frames, the z-sequence {len(seq)}")


class WorkerRates:
    """Frames and busy seconds per worker: each one's rate, on request."""

    def __init__(self) -> None:
        self.frames: dict[str, int] = {}
        self.seconds: dict[str, float] = {}

    def add(self, result: ChunkResult) -> None:
        self.frames[result.worker] = self.frames.get(result.worker, 0) + result.frames
        self.seconds[result.worker] = self.seconds.get(result.worker, 0.0) + result.seconds

    def rate(self, worker: str) -> float:
        return self.frames[worker] / max(self.seconds[worker], 1e-9)

    def summary(self) -> str:
        return " ".join(f"{w} {self.rate(w):.1f}/s" for w in sorted(self.frames))

    def lines(self) -> list[str]:
        return [f"worker {w}: {self.frames[w]} frames at {self.rate(w):.2f} frames/s" for w in sorted(self.frames)]

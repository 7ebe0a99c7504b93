"""Render a z-sequence through a generator: NAME.npy + NAME.json + NAME.mp4, frame i = decode(z[i]).

Decoding runs in the calling thread in batches; encoding runs on a worker thread fed through
a small bounded queue, so the two overlap and a render runs at nearly the generator's own
batched speed (benchmarks/bench_render.py). Ctrl-C stops cleanly after the current batch: the
video is closed after the frames already decoded and the z-sequence is cut to the same rows,
so the pair stays valid (a second Ctrl-C interrupts at once).

    result = render(seq, load("default"), "out/reel", size=(512, 512))
    print(result.frames, result.video)
"""

from __future__ import annotations

import os
import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from livelatent.common import limits, zseq
from livelatent.adapters.video import VideoWriter
from livelatent.errors import VideoError, ZSequenceError
from livelatent.generators.configure import decode_frames
from livelatent.generators import batching
from livelatent.common.latent import check_z
from livelatent.common.picture import PictureTrack
from livelatent.common.provenance import new_id
from livelatent.offline.progress import ctrl_c_requests_stop, progress_bar
from livelatent.common.zseq import ZSequence

QUEUE_BATCHES = 3  # decoded batches waiting for the encoder: enough to overlap, bounded memory


@dataclass(frozen=True)
class RenderResult:
    seq: ZSequence  # as written (cut short when interrupted)
    video: Path
    frames: int
    interrupted: bool = False

    @property
    def npy(self) -> Path:
        return zseq.pair_paths(self.video)[0]


def render(seq: ZSequence, generator, out: str | os.PathLike, *, size: tuple[int, int] | None = None,
           batch: int | None = None, lossless: bool = False, intra_only: bool = False, progress: bool = True,
           write_zseq: bool = True, video_ext: str = ".mp4") -> RenderResult:
    """Decode every row of seq and write the video (and the z-sequence pair) for `-o out`.

    batch: frames per decode; None measures what suits this model on this device
    (generators/batching.py). Frames are drawn with seq.meta's picture track (psi, class,
    snapshot per frame) when it has one, else with the generator as given."""
    check_z(seq.z, generator.z_dim, what=f"z-sequence for model {generator.label}")
    _, _, video = zseq.pair_paths(out, video_ext)
    if not len(seq):
        raise ZSequenceError(f"{video}: nothing to render, the z-sequence has no frames")
    seq = seq if seq.meta.get("id") else seq.with_meta(id=new_id())
    h, w = size or generator.resolution
    limits.check_size(w, h, what=f"{video}: frame size")
    limit = limits.batch_for(batch or batching.LIMIT, h, w)  # an 8K frame is 107 MB: a few at a time, whatever
    planner = batching.BatchPlanner.for_generator(generator, fixed=limit if batch else None, limit=limit)  # --batch says
    # encoded straight into `video`, not renamed into place when whole: a render stopped by
    # Ctrl-C keeps the frames done, closed as a valid video beside the z-sequence cut to them
    writer = VideoWriter(video, fps=seq.fps, size=(w, h), lossless=lossless, intra_only=intra_only,
                         metadata=video_tags(seq, generator))
    with ctrl_c_requests_stop() as stop:
        done = _encode_while_decoding(seq, generator, writer, (h, w), planner, progress, stop)
        interrupted = done < len(seq)
        written = ZSequence(seq.z[:done], seq.fps, {**seq.meta, "interrupted": True} if interrupted else seq.meta)
        if write_zseq and done:
            zseq.save(written, out)
        if not done:
            video.unlink(missing_ok=True)  # interrupted before the first frame: no empty video
    return RenderResult(written, video, done, interrupted)


def video_tags(seq: ZSequence, generator) -> dict:
    """The container tags that tie a render's video to its z-sequence and model."""
    return {"livelatent_id": seq.meta["id"], "livelatent_model": generator.label,
            "comment": f"livelatent z-sequence {seq.meta['id']}"}


class _Encoder(threading.Thread):
    """Takes decoded batches off a bounded queue and writes them; None ends the stream."""

    def __init__(self, writer: VideoWriter, bar) -> None:
        super().__init__(name="livelatent-encoder", daemon=True)
        self.writer, self.bar = writer, bar
        self.inbox: queue.Queue = queue.Queue(maxsize=QUEUE_BATCHES)
        self.error: BaseException | None = None

    def run(self) -> None:
        while (frames := self.inbox.get()) is not None:
            if self.error is None:
                try:
                    self.writer.write(frames)
                    self.bar.update(len(frames))
                except BaseException as exc:  # reported by the decoding side, once
                    self.error = exc
        try:
            self.writer.close()
        except BaseException as exc:
            self.error = self.error or exc


def _encode_while_decoding(seq, generator, writer, size, planner, progress, stop: threading.Event) -> int:
    """Decode batches here, encode on the worker; returns the number of frames in the video."""
    bar = progress_bar(len(seq), progress, writer.path.name)
    encoder = _Encoder(writer, bar)
    encoder.start()
    track = PictureTrack.from_meta(seq.meta) if "picture" in seq.meta else None  # psi etc. per frame
    start = 0
    try:
        while start < len(seq) and encoder.error is None and not stop.is_set():
            end = min(start + planner.next_size(), len(seq))
            began = time.perf_counter()
            images = decode_frames(generator, track, seq.z, start, end, size)
            planner.record(end - start, time.perf_counter() - began)
            encoder.inbox.put(np.asarray(images))
            start = end
    except KeyboardInterrupt:
        pass  # keep what was decoded: the encoder finishes it and closes the file
    finally:
        encoder.inbox.put(None)
        encoder.join()
        bar.close()
    if encoder.error is not None:
        if isinstance(encoder.error, VideoError):
            raise encoder.error
        raise VideoError(f"{writer.path}: encoding failed ({encoder.error})")
    return writer.frames_written

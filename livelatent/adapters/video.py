"""Video files through PyAV (the only PyAV importer): write frames, read them back, tags.

Frame i of a written video has pts i in a time base of exactly 1/fps, so the frame count
always equals the number of rows written and editors (Kdenlive/MLT) see the exact rate.

    with VideoWriter("take.mp4", fps=FrameRate.parse("30000/1001"), size=(256, 256),
                     metadata={"livelatent_id": "..."}) as w:
        w.write(frames)                      # uint8 (N, H, W, 3) or (H, W, 3), RGB
    for frame in iter_frames("take.mp4"): ...
"""

from __future__ import annotations

import contextlib

import os
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import numpy as np

from livelatent.errors import VideoError
from livelatent.common.rates import FrameRate
from livelatent.common.files import regular_file

# x264 quality is set by crf (16: visually lossless) or qp 0 (lossless); the preset only trades
# file size for encoding time. "ultrafast" keeps the encoder's share of a render small on a
# few cores (benchmarks/bench_render.py); pass preset="medium" for smaller final files.
# One encoder thread by default: the encoder runs beside a decoder that already uses every
# core, and more x264 threads there only add contention.
DEFAULT_PRESET = "ultrafast"
_ALL_INTRA = {"g": "1", "keyint_min": "1"}
MJPEG_QUANTISER = 2  # 2 (best) .. 31
_QP2LAMBDA = 118  # libavcodec's FF_QP2LAMBDA: global_quality is a quantiser in lambda units
# muxer options by suffix: MP4 and MOV keep arbitrary tags (livelatent_id) only when asked
CONTAINER_OPTIONS = {".mp4": {"movflags": "use_metadata_tags"}, ".mov": {"movflags": "use_metadata_tags"}}


def _stream_settings(codec: str, intra_only: bool, lossless: bool, preset: str,
                     threads: int) -> tuple[str, str, dict]:
    """(codec, pixel format, codec options) for the kind of stream asked for."""
    intra = _ALL_INTRA if intra_only else {}
    x264 = {"preset": preset, "threads": str(threads), **intra}
    if lossless:
        return "libx264rgb", "rgb24", {"qp": "0", **x264}
    if codec in ("h264", "libx264"):
        return "libx264", "yuv420p", {"crf": "16", **x264}
    if codec == "mjpeg":
        # a fixed quantiser, as ffmpeg's -q:v sets it ("q:v" itself is no codec option and was
        # ignored: rate control at the default bitrate then let the quality drift down)
        return "mjpeg", "yuvj444p", {"flags": "+qscale", "global_quality": str(MJPEG_QUANTISER * _QP2LAMBDA)}
    return codec, "yuv420p", dict(intra)


class VideoWriter:
    """Writes RGB uint8 frames to a video file at an exact frame rate; a context manager.

    intra_only: every frame a key frame (frame-accurate seeking in Kdenlive/MLT).
    lossless: bit-exact RGB (x264 RGB at qp 0): frame i reads back exactly as written.
    metadata: string tags stored in the container; they survive read_metadata().
    It encodes straight into `path` as frames come (an encoder streams); a caller that wants
    the whole video or none names a temporary path from common/files.atomic_path.
    preset: x264's speed/size trade-off (quality stays the same); threads: x264 threads (0: auto).
    """

    def __init__(self, path: str | os.PathLike, *, fps: FrameRate | str | int, size: tuple[int, int],
                 codec: str = "h264", intra_only: bool = False, lossless: bool = False,
                 metadata: dict | None = None, preset: str = DEFAULT_PRESET, threads: int = 1) -> None:
        import av

        self.path = Path(path)
        self.fps = FrameRate.parse(fps)
        self.width, self.height = (int(v) for v in size)
        self.frames_written = 0
        self._failed: str | None = None  # why the muxer failed, once it has
        codec_name, self._pix_fmt, options = _stream_settings(codec, intra_only, lossless, preset, threads)
        if self._pix_fmt.startswith("yuv420") and (self.width % 2 or self.height % 2):
            raise VideoError(f"{self.path}: size {self.width}x{self.height} must be even for {codec_name}")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._container = av.open(str(self.path), "w",
                                      options=CONTAINER_OPTIONS.get(self.path.suffix.lower(), {}))
        except (av.error.FFmpegError, ValueError) as exc:
            raise VideoError(f"{self.path}: cannot create video ({exc})") from None
        try:
            self._stream = self._add_stream(codec_name, options)
        except (av.error.FFmpegError, ValueError) as exc:
            self._container.close()
            raise VideoError(f"{self.path}: cannot encode with {codec_name} ({exc})") from None
        for key, value in (metadata or {}).items():
            self._container.metadata[str(key)] = str(value)

    def _add_stream(self, codec_name: str, options: dict):
        rate = Fraction(self.fps.num, self.fps.den)
        stream = self._container.add_stream(codec_name, rate=rate, options=options)
        stream.width, stream.height = self.width, self.height
        stream.pix_fmt = self._pix_fmt
        stream.time_base = 1 / rate
        stream.codec_context.time_base = 1 / rate
        return stream

    def write(self, frames: np.ndarray) -> None:
        """Append one frame (H, W, 3) or a batch (N, H, W, 3) of uint8 RGB."""
        import av

        batch = np.asarray(frames)
        if batch.ndim == 3:
            batch = batch[None]
        expected = (self.height, self.width, 3)
        if batch.ndim != 4 or batch.shape[1:] != expected or batch.dtype != np.uint8:
            raise VideoError(f"{self.path}: expected uint8 frames of shape (N, {self.height}, "
                             f"{self.width}, 3), got {batch.dtype} {batch.shape}")
        # When the stream converts (RGB -> YUV), the conversion copies, so the frame can wrap the
        # array without a copy of its own; an RGB stream gets a copy, as an encoder may keep it.
        wrap = av.VideoFrame.from_ndarray if self._pix_fmt == "rgb24" else av.VideoFrame.from_numpy_buffer
        for image in batch:
            frame = wrap(np.ascontiguousarray(image), format="rgb24")
            frame.pts = self.frames_written
            self._mux(self._stream.encode(frame))
            self.frames_written += 1

    def _mux(self, packets) -> None:
        """Write packets; after one failure (a full disk) never again: PyAV 18 crashes the
        process when a muxer that failed is asked to write once more."""
        if self._failed is not None:
            raise VideoError(f"{self.path}: cannot write ({self._failed})")
        try:
            self._container.mux(packets)
        except Exception as exc:  # noqa: BLE001 - FFmpeg's errors, OSError (ENOSPC) among them
            self._failed = getattr(exc, "strerror", None) or str(exc)
            raise VideoError(f"{self.path}: cannot write ({self._failed})") from None

    def close(self) -> None:
        """Flush the encoder and finish the file (safe to call twice); after a failed write,
        only release the file (it stays unfinished)."""
        if self._container is None:
            return
        try:
            if self._failed is None:
                self._mux(self._stream.encode(None))
        finally:
            self._container.close()
            self._container = None

    def __enter__(self) -> "VideoWriter":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


@contextlib.contextmanager
def _reading(path: str | os.PathLike, doing: str = "read"):
    """The open container with its first video stream; any FFmpeg failure inside becomes one
    VideoError naming the file, and the container is always closed."""
    import av

    p = regular_file(path, VideoError, "video")  # a FIFO or a device would block FFmpeg for ever
    try:
        container = av.open(str(p), "r")
    except (av.error.FFmpegError, ValueError) as exc:
        raise VideoError(f"{p}: not a readable video ({exc})") from None
    try:
        if not container.streams.video:
            raise VideoError(f"{p}: has no video stream")
        yield container, container.streams.video[0]
    except av.error.FFmpegError as exc:
        raise VideoError(f"{p}: cannot {doing} ({exc})") from None
    finally:
        container.close()


def iter_frames(path: str | os.PathLike) -> Iterator[np.ndarray]:
    """Yield every frame of the first video stream as uint8 (H, W, 3) RGB, in order."""
    with _reading(path, "decode") as (container, stream):
        stream.thread_type = "AUTO"
        for frame in container.decode(stream):
            yield frame.to_ndarray(format="rgb24")


def count_frames(path: str | os.PathLike) -> int:
    """Exact number of frames, by counting packets with data (no decoding)."""
    with _reading(path) as (container, stream):
        return sum(1 for packet in container.demux(stream) if packet.size > 0)


def read_metadata(path: str | os.PathLike) -> dict:
    """Container-level string tags (e.g. livelatent_id), as written by VideoWriter.

    Keys come back lower-case (Matroska stores them upper-case)."""
    with _reading(path) as (container, _):
        return {key.lower(): value for key, value in container.metadata.items()}


def video_info(path: str | os.PathLike) -> dict:
    """{'width', 'height', 'fps' (FrameRate), 'codec'} of the first video stream."""
    with _reading(path) as (_, stream):
        rate = stream.average_rate or stream.guessed_rate
        return {"width": stream.codec_context.width, "height": stream.codec_context.height,
                "fps": FrameRate.parse(Fraction(rate.numerator, rate.denominator)),
                "codec": stream.codec_context.name}


def duration_seconds(path: str | os.PathLike) -> float | None:
    """The container's duration in seconds, as MLT's avformat producer reads it (None if unset)."""
    with _reading(path) as (container, _):
        return None if container.duration is None else container.duration / 1_000_000

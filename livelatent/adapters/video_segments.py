"""Videos made of segments: chunks encoded apart, joined in order by remuxing (no re-encoding).

Each segment is a whole closed-GOP stream from adapters/video.VideoWriter (it starts with a
key frame and no frame refers across its ends), so its packets can follow the previous
segment's as they are, with their timestamps moved on by the frames before them. This is
how a distributed render's chunks become one video without the driver encoding anything.

    join_segments(["c0.mp4", "c1.mp4"], "edit.mp4", fps=FrameRate.parse(30), metadata={...})
"""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

from livelatent.adapters.video import CONTAINER_OPTIONS
from livelatent.common.files import atomic_path
from livelatent.errors import VideoError
from livelatent.common.rates import FrameRate


def joinable(segments: list[Path]) -> bool:
    """Whether the segments' streams agree (codec, size, pixel format, parameter sets), so their
    packets make one valid stream; segments from one VideoWriter setting always do."""
    import av

    seen = set()
    for segment in segments:
        with av.open(str(segment)) as container:
            ctx = container.streams.video[0].codec_context
            seen.add((ctx.name, ctx.width, ctx.height, ctx.pix_fmt, bytes(ctx.extradata or b"")))
    return len(seen) == 1


def join_segments(segments: list[Path], out: str | os.PathLike, *, fps: FrameRate,
                  metadata: dict | None = None) -> int:
    """Write `out` as the segments' packets one after another; returns the number of frames."""
    import av

    out = Path(out)
    frame_time = Fraction(fps.den, fps.num)
    frames = 0
    try:
        with atomic_path(out) as tmp, av.open(str(tmp), "w", format=_format_for(out),
                                              options=CONTAINER_OPTIONS.get(out.suffix.lower(), {})) as dst:
            for key, value in (metadata or {}).items():
                dst.metadata[str(key)] = str(value)
            stream = None
            for segment in segments:
                with av.open(str(segment)) as src:
                    source = src.streams.video[0]
                    if stream is None:
                        stream = dst.add_stream_from_template(source)
                        stream.time_base = frame_time
                    frames += _copy_packets(src, source, dst, stream, frames * frame_time)
    except (av.error.FFmpegError, OSError) as exc:
        raise VideoError(f"{out}: cannot join the chunk videos ({exc})") from None
    return frames


def _copy_packets(src, source, dst, stream, offset: Fraction) -> int:
    """Mux every packet of `source` into `stream`, `offset` seconds later; returns its frames."""
    shift = int(offset / source.time_base)  # whole ticks: a segment holds whole frames
    count = 0
    for packet in src.demux(source):
        if packet.size == 0:  # the demuxer's end-of-stream marker
            continue
        packet.pts = None if packet.pts is None else packet.pts + shift
        packet.dts = None if packet.dts is None else packet.dts + shift
        packet.stream = stream
        dst.mux(packet)
        count += 1
    return count


def _format_for(out: Path) -> str | None:
    return {".mp4": "mp4", ".mov": "mov", ".mkv": "matroska"}.get(out.suffix.lower())

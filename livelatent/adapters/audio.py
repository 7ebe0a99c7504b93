"""Sound files through PyAV: read a song, write a take's sound as FLAC, mux it into a proxy.

    samples, rate = read_audio("song.wav")          # float32 (n, channels), Hz
    write_flac("take/audio.flac", samples, rate)
    mux_audio("take/proxy.mp4", "take/audio.flac")  # the proxy again, with the sound (AAC)

The proxy keeps its video stream as it was (packets copied, never re-encoded: frame i is
still decode(z[i])) and gains the sound as AAC, which Kdenlive and every editor read, so an
edit cut from the proxies is cut to the music.
"""

from __future__ import annotations

import os
from pathlib import Path

import av
import numpy as np

from livelatent.common.files import atomic_path
from livelatent.errors import LivelatentError

PROXY_AUDIO_CODEC = "aac"
TAKE_SOUND = "audio.flac"  # a take's sound, beside its z rows (live/audio_take.py)
_MUXER_TAGS = {"major_brand", "minor_version", "compatible_brands", "encoder"}  # the muxer writes its own


class AudioFileError(LivelatentError):
    """A sound file that cannot be read or written."""


def read_audio(path: str | os.PathLike) -> tuple[np.ndarray, int]:
    """Every sample of the file's first audio stream, float32 (n, channels) in -1..1, and its rate."""
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise AudioFileError(f"{path}: no audio stream; expected a sound file (WAV, FLAC, MP3, ...)")
            stream = container.streams.audio[0]
            resampler = av.AudioResampler(format="flt", layout=stream.layout.name, rate=stream.rate)
            chunks = [f.to_ndarray().reshape(-1, stream.channels) for frame in container.decode(stream)
                      for f in resampler.resample(frame)]
            rate = stream.rate
    except (av.error.FFmpegError, OSError) as exc:
        raise AudioFileError(f"{path}: cannot read it as sound ({exc})") from None
    samples = np.concatenate(chunks) if chunks else np.zeros((0, 1), np.float32)
    return samples.astype(np.float32, copy=False), int(rate)


def write_flac(path: str | os.PathLike, samples: np.ndarray, rate: int) -> Path:
    """float32 (n, channels) as 16-bit FLAC (lossless for what an audio interface gives)."""
    samples = np.atleast_2d(np.asarray(samples, np.float32).T).T
    channels = samples.shape[1]
    with atomic_path(path) as tmp, av.open(str(tmp), "w", format="flac") as out:
        stream = out.add_stream("flac", rate=rate, layout="mono" if channels == 1 else "stereo")
        _encode(out, stream, samples[:, :2], rate)
    return Path(path)


def mux_audio(video: str | os.PathLike, audio: str | os.PathLike) -> None:
    """Rewrite `video` with `audio` as its sound track (video packets copied as they are)."""
    video = Path(video)
    samples, rate = read_audio(audio)
    options = {"movflags": "use_metadata_tags"} if video.suffix.lower() in (".mp4", ".mov") else {}
    with atomic_path(video) as tmp, av.open(str(video)) as src, \
            av.open(str(tmp), "w", options=options) as out:
        vin = src.streams.video[0]
        vout = out.add_stream_from_template(vin)
        out.metadata.update({k: v for k, v in src.metadata.items() if k not in _MUXER_TAGS})
        stream = out.add_stream(PROXY_AUDIO_CODEC, rate=rate, layout="mono" if samples.shape[1] == 1 else "stereo")
        for packet in src.demux(vin):
            if packet.dts is None:
                continue
            packet.stream = vout
            out.mux(packet)
        _encode(out, stream, samples[:, :2], rate)


def mux_take_sound(take_folder: str | os.PathLike, proxy: str | os.PathLike) -> bool:
    """A take recorded with sound (TAKE_SOUND beside it): its proxy muxed with it; False if none."""
    sound = Path(take_folder) / TAKE_SOUND
    if not sound.exists() or not Path(proxy).exists():
        return False
    mux_audio(proxy, sound)
    return True


def _encode(out, stream, samples: np.ndarray, rate: int, chunk: int = 1024) -> None:
    layout = "mono" if samples.shape[1] == 1 else "stereo"
    for start in range(0, len(samples), chunk):
        part = np.ascontiguousarray(samples[start:start + chunk].T, dtype=np.float32)  # planar: (channels, n)
        frame = av.AudioFrame.from_ndarray(part, format="fltp", layout=layout)
        frame.sample_rate, frame.pts = rate, start
        out.mux(stream.encode(frame))
    out.mux(stream.encode(None))

"""Image sequences: frame i of a render as its own file, named by a printf pattern.

    seq = ImageSequence.parse("shots/edit/%06d.png", depth=16)
    seq.write(12, rgb)              # shots/edit/000012.png, 16 bits a channel
    seq.path(12).exists()

PNG is written by adapters/png.py (stdlib), 8 or 16 bits a channel; TIFF (8 or 16 bits) and
OpenEXR (32-bit float, the pixel values / 255, not linearised) by the FFmpeg inside PyAV.
Every generator decodes to 8 bits, so a 16-bit file holds the 8-bit picture exactly (v * 257):
the depth a compositing pipeline asks for, without a conversion step.
Each file is written under a temporary name and renamed, so a worker killed mid-write never
leaves a half file under a frame's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from livelatent.adapters.png import encode_png
from livelatent.common.files import atomic_path
from livelatent.errors import UsageError, VideoError

_FIELD = re.compile(r"%(0\d+)?d")
DEPTHS = {".png": (8, 16), ".tif": (8, 16), ".tiff": (8, 16), ".exr": (32,)}


def is_pattern(text: str) -> bool:
    """Whether an output names an image sequence: one %d / %06d field and an image suffix."""
    return len(_FIELD.findall(Path(str(text)).name)) == 1 and Path(str(text)).suffix.lower() in DEPTHS


@dataclass(frozen=True)
class ImageSequence:
    pattern: str  # e.g. "shots/edit/%06d.png": a %d field in the file name, never in a folder
    depth: int = 8

    @classmethod
    def parse(cls, text: str, depth: int | None = None) -> "ImageSequence":
        name, suffix = Path(text).name, Path(text).suffix.lower()
        if len(_FIELD.findall(name)) != 1 or "%" in _FIELD.sub("", name) or "%" in str(Path(text).parent):
            raise UsageError(f"-o {text}: expected one frame-number field such as %06d in the file name")
        if suffix not in DEPTHS:
            raise UsageError(f"`out` {text}: image sequences are {', '.join(DEPTHS)}", setting="out")
        depth = depth or DEPTHS[suffix][0]
        if depth not in DEPTHS[suffix]:
            allowed = " or ".join(str(d) for d in DEPTHS[suffix])
            raise UsageError(f"`depth` {depth}: {suffix} files are written with {allowed} bits a channel", setting="depth")
        return cls(str(text), depth)

    @property
    def folder(self) -> Path:
        return Path(self.pattern).parent

    def path(self, frame: int) -> Path:
        name = Path(self.pattern).name
        field = _FIELD.search(name).group(0)
        return self.folder / name.replace(field, field % frame, 1)

    def existing(self) -> list[Path]:
        """Files in the folder that this pattern could have written."""
        regex = re.compile(re.escape(_FIELD.sub("\0", Path(self.pattern).name)).replace("\0", r"\d+") + "$")
        return sorted(p for p in self.folder.glob("*") if regex.match(p.name)) if self.folder.is_dir() else []

    def write(self, frame: int, image: np.ndarray) -> Path:
        """Write one uint8 (H, W, 3) RGB frame at this sequence's depth and format."""
        path = self.path(frame)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # frames come by the thousand: each is renamed whole but not fsynced one by one (a
            # frame a power cut loses is missing, and the chunked render's resume redraws it)
            with atomic_path(path, durable=False) as tmp:
                if path.suffix.lower() == ".png":
                    tmp.write_bytes(encode_png(image.astype(np.uint16) * 257 if self.depth == 16 else image))
                else:
                    _write_with_ffmpeg(tmp, image, path.suffix.lower(), self.depth)
        except OSError as exc:
            raise VideoError(f"{path}: cannot write ({exc.strerror or exc})") from None
        return path


def _write_with_ffmpeg(path: Path, image: np.ndarray, suffix: str, depth: int) -> None:
    import av

    if suffix == ".exr":
        codec, pix_fmt, data = "exr", "gbrpf32le", image.astype(np.float32) / 255
    elif depth == 16:
        codec, pix_fmt, data = "tiff", "rgb48le", image.astype(np.uint16) * 257
    else:
        codec, pix_fmt, data = "tiff", "rgb24", np.ascontiguousarray(image)
    try:
        with av.open(str(path), "w", format="image2", options={"update": "1"}) as container:
            stream = container.add_stream(codec, rate=1)
            stream.width, stream.height, stream.pix_fmt = image.shape[1], image.shape[0], pix_fmt
            container.mux(stream.encode(av.VideoFrame.from_ndarray(data, format=pix_fmt)))
            container.mux(stream.encode(None))
    except (av.error.FFmpegError, ValueError) as exc:
        raise VideoError(f"{path}: cannot write {suffix[1:].upper()} ({exc})") from None

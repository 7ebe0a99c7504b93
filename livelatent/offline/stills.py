"""Stills of chosen frames of a z-sequence, each PNG carrying where its z comes from.

A keyframe edit can be cut from stills: Kdenlive plays an image clip for as long as the artist
makes it, and the conform (adapters/zsources.py) reads the still's tags and holds that z.

    paths = write_stills(seq, load("default"), [3, 8, 12], "stills", stem="reel")
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from livelatent.adapters.png import STILL_FRAME, STILL_ID, STILL_ZSEQ, write_png
from livelatent.errors import UsageError
from livelatent.common.latent import check_z
from livelatent.common.limits import batch_for
from livelatent.common.zseq import ZSequence


def _decode_rows(generator, seq: ZSequence, rows: list[int], size):
    """Rows of seq, each drawn with its Picture (psi, class, snapshot) when the sidecar has a track."""
    if "picture" not in seq.meta:
        return generator.decode(seq.z[rows], size)
    from livelatent.generators.configure import configured
    from livelatent.common.picture import PictureTrack

    track = PictureTrack.from_meta(seq.meta)
    return np.concatenate([configured(generator, track.at(k)).decode(seq.z[k:k + 1], size) for k in rows])


def still_name(stem: str, frame: int) -> str:
    return f"{stem}-{frame:06d}.png"


def still_tags(seq: ZSequence, frame: int, pair: str | None) -> dict[str, str]:
    tags = {STILL_FRAME: str(frame), "Software": "livelatent"}
    if seq.meta.get("id"):
        tags[STILL_ID] = str(seq.meta["id"])
    if pair:
        tags[STILL_ZSEQ] = pair
    return tags


def write_stills(seq: ZSequence, generator, frames: list[int], out_dir: str | os.PathLike, *, stem: str,
                 pair: str | None = None, size: tuple[int, int] | None = None, batch: int = 16) -> list[Path]:
    """Decode rows `frames` of seq and write OUT_DIR/STEM-NNNNNN.png for each; pair: the
    z-sequence's path, recorded in each still."""
    check_z(seq.z, generator.z_dim, what=f"z-sequence for model {generator.label}")
    for frame in frames:
        if not 0 <= frame < len(seq):
            raise UsageError(f"`frames`: frame {frame} is not in the z-sequence (frames 0..{len(seq) - 1})",
                             setting="frames")
    h, w = size or generator.resolution
    batch = batch_for(batch, h, w)  # an 8K still is 107 MB: a few at a time
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for lo in range(0, len(frames), batch):
        chunk = frames[lo:lo + batch]
        images = _decode_rows(generator, seq, chunk, size)
        for frame, image in zip(chunk, images):
            path = out_dir / still_name(stem, frame)
            written.append(write_png(path, image, still_tags(seq, frame, pair)))
    return written

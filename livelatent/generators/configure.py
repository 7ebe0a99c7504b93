"""What a Picture (psi, class, noise mode, a snapshot or the grid) makes of a loaded generator,
and decoding frames that change Picture mid-sequence.

    g2 = configured(g, Picture(psi=0.7))         # a model that cannot draw it: one ModelError line
    images = decode_frames(g, track, z, 0, len(z))
"""

from __future__ import annotations

from livelatent.common.picture import Picture
from livelatent.errors import ModelError


def configured(generator, picture: Picture):
    """The generator that draws `picture`: a snapshot set's one checkpoint (picture.snapshot)
    or its grid, at the picture's psi, class and noise mode. A model without truncation,
    classes or noise inputs refuses those settings with one line."""
    snapshots = getattr(generator, "snapshots", None)
    if snapshots is not None and picture.snapshot is not None and not picture.grid:
        if picture.snapshot >= len(snapshots.generators):
            raise ModelError(f"snapshot {picture.snapshot}: expected 0..{len(snapshots.generators) - 1}")
        generator = snapshots.generators[picture.snapshot]
    with_picture = getattr(generator, "with_picture", None)
    if with_picture is not None:
        return with_picture(picture)
    label = getattr(generator, "label", "")
    if picture.psi != 1.0:
        raise ModelError(f"psi {picture.psi:g}: model {label} has no truncation (StyleGAN pickles only)")
    if picture.class_idx is not None:
        raise ModelError(f"class {picture.class_idx}: model {label} is unconditional (no classes)")
    if picture.noise_mode != "const":
        raise ModelError(f"noise mode {picture.noise_mode}: model {label} has no noise inputs (StyleGAN only)")
    return generator


def picture_of(generator) -> Picture:
    """The settings a generator draws with as loaded (a grid: those of its first snapshot)."""
    snapshots = getattr(generator, "snapshots", None)
    g = snapshots.generators[0] if snapshots is not None else generator
    return Picture(psi=getattr(g, "psi", 1.0), class_idx=getattr(g, "class_idx", None),
                   noise_mode=getattr(g, "noise_mode", "const"), grid=snapshots is not None)


def decode_frames(generator, track, z, start: int, stop: int, size=None):
    """Frames start..stop-1 of a z-sequence, each drawn with its Picture from `track` (a
    PictureTrack; None: the generator as it is): one decode per run of equal Pictures."""
    if track is None:
        return generator.decode(z[start:stop], size)
    parts = [configured(generator, picture).decode(z[a:b], size) for a, b, picture in track.runs(start, stop)]
    if len(parts) == 1:
        return parts[0]
    import numpy as np

    return np.concatenate(parts)

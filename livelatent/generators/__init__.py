"""Generators: anything that maps a batch of z to images. See base.Generator and load().

    g = load("default")                      # the embedded CPPN (z of 512, any size)
    g = load("dcgan-faces", device="cuda")   # the trained DCGAN from gan-face-generate
    g = load("run/network-snapshot-000120.pkl", stylegan_repo="~/src/stylegan3")
    g = load("generator.pt")                 # TorchScript / torch.export: z (N, d) -> (N, 3, H, W)
    g = load("mypackage.models:make")        # a factory returning any Generator
    images = g.decode(z)                     # uint8 (N, H, W, 3)

Heavy imports (torch) happen inside the loaders, never at import time.
"""

from __future__ import annotations

import importlib
import inspect
import os
from pathlib import Path

from livelatent.errors import ModelError
from livelatent.generators.base import Generator
from livelatent.common.picture import Picture

# name -> (module in livelatent.generators, one-line description)
BUILTINS = {
    "default": ("default", "embedded z-modulated coordinate network: z of 512, any size, no download"),
    "dcgan-faces": ("dcgan", "DCGAN trained on faces (gan-face-generate package): z of 100, 64x64"),
}
TAKES_WEIGHTS = ("dcgan-faces",)  # NAME:PATH loads that architecture with other weights
TORCH_FILE_SUFFIXES = (".pt", ".pt2", ".ts", ".pth", ".jit")


def load(spec: str = "default", *, device: str = "auto", size: tuple[int, int] | None = None,
         **opts) -> Generator:
    """A Generator from a name, a file, a `module:function` factory or a snapshot set.

    size: the default output size (h, w); a fixed-size model is resized to it.
    opts: stylegan_repo, truncation_psi, class_idx, noise_mode (StyleGAN pickles; other models
    refuse a psi, class or noise mode they cannot draw); for a snapshot set,
    labels, grid ("7x4") and tile: its Generator draws the labelled grid (generators/grid.py),
    with `size` as the size of one tile.
    """
    from livelatent.generators.torchwrap import resolve_device

    device = resolve_device(device)
    spec = str(spec or "default")
    name, _, path = spec.partition(":")
    if name in BUILTINS:
        module = importlib.import_module(f"livelatent.generators.{BUILTINS[name][0]}")
        if path and name not in TAKES_WEIGHTS:
            raise ModelError(f"model {spec!r}: {name} has no weights file to give")
        generator = module.load(path, device=device, size=size) if path else module.load(device=device, size=size)
        return configured(generator, _picture(opts))
    from livelatent.generators import snapshots

    if snapshots.is_snapshot_set(spec):
        from livelatent.generators.grid import GridGenerator
        from livelatent.generators.tiles import parse_grid

        grid = opts.pop("grid", None)
        snapshot_set = snapshots.load_set(spec, device=device, **opts)
        columns, rows = parse_grid(grid, len(snapshot_set.generators))
        return GridGenerator(snapshot_set, columns=columns, rows=rows, tile=size)
    opts.pop("grid", None)
    return load_single(spec, device=device, size=size, **opts)


def load_single(spec: str, *, device: str, size=None, stylegan_repo=None, truncation_psi: float = 1.0,
                class_idx: int | None = None, noise_mode: str = "const", labels=None) -> Generator:
    """One model from a file path or a `module:function` factory (device already resolved)."""
    path = Path(os.path.expanduser(spec))
    if path.suffix.lower() == ".pkl":
        from livelatent.generators import stylegan

        return stylegan.load(path, device=device, size=size, stylegan_repo=stylegan_repo,
                             truncation_psi=truncation_psi, class_idx=class_idx, noise_mode=noise_mode)
    picture = Picture(psi=truncation_psi, class_idx=class_idx, noise_mode=noise_mode)
    if path.suffix.lower() in TORCH_FILE_SUFFIXES:
        from livelatent.generators import torchfile

        return configured(torchfile.load(path, device=device, size=size), picture)
    if ":" in spec and not path.exists():
        return configured(_from_factory(spec, device=device, size=size), picture)
    raise ModelError(f"model {spec!r}: expected one of {', '.join(BUILTINS)}, a StyleGAN .pkl, a TorchScript "
                     f"or torch.export file ({', '.join(TORCH_FILE_SUFFIXES)}), a snapshot folder or glob, "
                     "or module:function")


def _picture(opts: dict) -> Picture:
    return Picture(psi=opts.get("truncation_psi", 1.0), class_idx=opts.get("class_idx"),
                   noise_mode=opts.get("noise_mode", "const"))


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


def _from_factory(spec: str, *, device: str, size=None) -> Generator:
    """`package.module:function`: function(device=...) returns any object with the Generator interface."""
    module_name, _, func_name = spec.rpartition(":")
    try:
        factory = getattr(importlib.import_module(module_name), func_name)
    except (ImportError, AttributeError) as exc:
        raise ModelError(f"model {spec!r}: cannot import the factory ({exc})") from None
    try:
        takes_device = "device" in inspect.signature(factory).parameters
        generator = factory(device=device) if takes_device else factory()
    except Exception as exc:  # noqa: BLE001 - the user's own code: whatever it raises is one line
        raise ModelError(f"model {spec!r}: the factory failed ({type(exc).__name__}: {exc})".splitlines()[0]) from None
    missing = [a for a in ("z_dim", "resolution", "decode") if not hasattr(generator, a)]
    if missing:
        raise ModelError(f"model {spec!r}: the factory returned {type(generator).__name__} without "
                         f"{', '.join(missing)}; expected the livelatent Generator interface")
    for attr, default in (("device", device), ("shell_radius", None), ("label", func_name)):
        if not hasattr(generator, attr):
            setattr(generator, attr, default)
    return generator


__all__ = ["BUILTINS", "Generator", "configured", "decode_frames", "load", "load_single", "picture_of"]

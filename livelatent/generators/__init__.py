"""Generators: anything that maps a batch of z to images. See base.Generator and load().

    g = load("default")                      # the embedded CPPN (z of 512, any size)
    g = load("dcgan-faces", device="cuda")   # the trained DCGAN from gan-face-generate
    g = load("run/network-snapshot-000120.pkl", stylegan_repo="~/src/stylegan3")
    g = load("generator.pt")                 # TorchScript / torch.export: z (N, d) -> (N, 3, H, W)
    g = load("mypackage.models:make")        # a factory returning any Generator
    images = g.decode(z)                     # uint8 (N, H, W, 3)

Heavy imports (torch) happen inside the loaders, never at import time. A model file or a
factory is single.py's; what a Picture (psi, class, a snapshot) makes of a loaded generator,
configure.py's; a snapshot set, snapshots.py and grid.py.
"""

from __future__ import annotations

import importlib

from livelatent.common.picture import Picture
from livelatent.errors import ModelError
from livelatent.generators.base import Generator
from livelatent.generators.builtins import BUILTINS, TAKES_WEIGHTS
from livelatent.generators.configure import configured
from livelatent.generators.single import load_single


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


def _picture(opts: dict) -> Picture:
    return Picture(psi=opts.get("truncation_psi", 1.0), class_idx=opts.get("class_idx"),
                   noise_mode=opts.get("noise_mode", "const"))


__all__ = ["load"]

"""GridGenerator: a snapshot set seen as one Generator whose pictures are the labelled grid.

The same z goes through every checkpoint of a run (generators/snapshots.py); the tiles are
laid out and labelled by livelatent.generators.tiles, so render(), replay and the live loop draw grids
without knowing about them.

    grid = GridGenerator(load_set("run/", device="cpu"), columns=7, rows=4, tile=(256, 256))
    frames = grid.decode(z)          # uint8 (N, 4 * 256, 7 * 256, 3), tile i labelled "120" ...
"""

from __future__ import annotations

import numpy as np

from livelatent.generators.tiles import draw_label, tile_images


class GridGenerator:
    """A SnapshotSet seen as one Generator whose images are the labelled grid."""

    def __init__(self, snapshots, *, columns: int, rows: int, tile: tuple[int, int] | None = None) -> None:
        self.snapshots = snapshots
        self.columns, self.rows = columns, rows
        th, tw = tile or snapshots.resolution
        self.tile = (th - th % 2, tw - tw % 2)  # even, so any grid is a valid yuv420 frame
        self.z_dim = snapshots.z_dim
        self.resolution = (rows * self.tile[0], columns * self.tile[1])
        self.device = snapshots.generators[0].device
        self.shell_radius = snapshots.generators[0].shell_radius
        self.label = f"grid {columns}x{rows}: " + ",".join(snapshots.labels)

    def with_picture(self, picture) -> "GridGenerator":
        """The grid with every snapshot drawing `picture` (psi, class, noise mode)."""
        from livelatent.generators.configure import configured

        members = [configured(g, picture) for g in self.snapshots.generators]
        if all(a is b for a, b in zip(members, self.snapshots.generators)):
            return self
        snapshots = type(self.snapshots)(members, self.snapshots.labels)
        return GridGenerator(snapshots, columns=self.columns, rows=self.rows, tile=self.tile)

    def decode(self, z: np.ndarray, size: tuple[int, int] | None = None) -> np.ndarray:
        tile = self.tile if size is None else (size[0] // self.rows, size[1] // self.columns)
        tiles = self.snapshots.decode_each(z, tile)
        for images, label in zip(tiles, self.snapshots.labels):
            for image in images:
                draw_label(image, label)
        return tile_images(tiles, self.columns, self.rows)

"""The one interface the whole project uses to turn latents into pictures."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Generator(Protocol):
    """A decoder from z (N, d) to uint8 images (N, H, W, 3).

    - z_dim: the latent size d.
    - resolution: native (height, width); a resolution-free model gives its default.
    - device: "cpu", "cuda", ...
    - shell_radius: where its prior's mass lives (sqrt(d) family for N(0, I)), or None when
      the model normalises z itself (StyleGAN's mapping), so any radius decodes the same.
    - label: what to print in metadata and grid tiles ("default", "dcgan-faces", a snapshot name).
    - decode(z, size=None): deterministic for the same z, batched, no gradient. `size`
      (height, width) asks for that output size: rendered natively where the model can,
      resized otherwise.
    """

    z_dim: int
    resolution: tuple[int, int]
    device: str
    shell_radius: float | None
    label: str

    def decode(self, z: np.ndarray, size: tuple[int, int] | None = None) -> np.ndarray: ...

"""Shared torch plumbing for generators: device choice and a wrapper around any z -> image net.

A network that maps a float tensor z (N, d) to images (N, 3, H, W) in [-1, 1] (the GAN
convention) becomes a Generator by wrapping it in ModuleGenerator.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from livelatent.errors import ModelError, UsageError
from livelatent.common.latent import check_z

DEVICES = ("auto", "cpu", "cuda")


def resolve_device(device: str = "auto") -> str:
    """"auto" picks cuda when torch sees a GPU; "cuda" without one is a one-line error."""
    import torch

    name = (device or "auto").lower()
    if name == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise UsageError(f"`device` {device}: no CUDA GPU visible to torch {torch.__version__}; "
                         "use `device` cpu or auto", setting="device")
    if name != "cpu" and not name.startswith("cuda"):
        raise UsageError(f"`device` {device}: expected one of {', '.join(DEVICES)}", setting="device")
    index = name.partition(":")[2]
    if index and not (index.isdigit() and int(index) < torch.cuda.device_count()):
        raise UsageError(f"`device` {device}: expected cuda:0..cuda:{torch.cuda.device_count() - 1}",
                         setting="device")
    return name


def first_line(exc: BaseException, limit: int = 200) -> str:
    """An exception's first line, shortened: torch and NVIDIA's code add paragraphs of advice."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return text if len(text) <= limit else text[:limit - 3] + "..."


def to_uint8_images(x, size: tuple[int, int] | None = None, value_range=(-1.0, 1.0)) -> np.ndarray:
    """(N, 3, H, W) float tensor in value_range -> uint8 (N, H', W', 3) numpy, resized to size."""
    import torch
    import torch.nn.functional as F

    x = x.float()
    if size is not None and tuple(x.shape[-2:]) != tuple(size):
        x = F.interpolate(x, size=tuple(size), mode="bilinear", align_corners=False, antialias=True)
    lo, hi = value_range
    scale = 255.0 / (hi - lo)
    # x * scale + offset, rounded by truncating +0.5: for [-1, 1] that is NVIDIA's own
    # `img * 127.5 + 128` (gen_images.py), float for float, so a StyleGAN frame is theirs byte for byte
    x = x * scale + (0.5 - lo * scale)
    return x.clamp_(0, 255).to(torch.uint8).permute(0, 2, 3, 1).contiguous().cpu().numpy()


class ModuleGenerator:
    """Generator around `forward(z tensor (N, d)) -> (N, 3, H, W)`; decode is batched, no grad.

    size: the default output size when it differs from the network's own (images are resized).
    """

    def __init__(self, forward: Callable, *, z_dim: int, resolution: tuple[int, int], device: str,
                 label: str, shell_radius: float | None, value_range=(-1.0, 1.0), size=None) -> None:
        self._forward = forward
        self.z_dim = int(z_dim)
        self.native_resolution = (int(resolution[0]), int(resolution[1]))
        self.resolution = (int(size[0]), int(size[1])) if size else self.native_resolution
        self.device = device
        self.label = label
        self.shell_radius = shell_radius
        self.value_range = value_range

    def decode(self, z: np.ndarray, size: tuple[int, int] | None = None) -> np.ndarray:
        import torch

        images = self.floats(z)
        with torch.inference_mode():
            return to_uint8_images(images, size or self.resolution, self.value_range)

    def floats(self, z: np.ndarray):
        """The network's own images for z, (N, 3, H, W) floats, before they become 8 bits: what
        another CPU thread count could round differently (generators/batching.py)."""
        import torch

        z = check_z(z, self.z_dim, what=f"{self.label} z")
        with torch.inference_mode():
            try:
                images = self._forward(torch.from_numpy(z).to(self.device))
            except Exception as exc:  # noqa: BLE001 - the network's own failure, whatever it is: one line
                raise ModelError(f"model {self.label}: the network failed ({type(exc).__name__}: "
                                 f"{first_line(exc)})") from None
            if isinstance(images, torch.Tensor) and images.ndim == 4 and images.shape[1] == 1:
                images = images.expand(-1, 3, -1, -1)  # a greyscale model
            if not (isinstance(images, torch.Tensor) and images.ndim == 4 and images.shape[0] == len(z)
                    and images.shape[1] == 3):
                shape = tuple(images.shape) if isinstance(images, torch.Tensor) else type(images).__name__
                raise ModelError(f"model {self.label}: expected images (N, 3, H, W) for {len(z)} z, got {shape}")
            return images

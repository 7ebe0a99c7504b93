"""DCGAN faces: a really trained GAN (z of 100, 64x64) from the gan-face-generate package.

The network is the classic PyTorch DCGAN tutorial generator; its weights ship in the
`gan-face-generate` wheel (`pip install --no-deps gan-face-generate`) as weights.tar with the
state dict under "netG_state_dict", saved from a GPU (hence map_location="cpu").
"""

from __future__ import annotations

import os
from pathlib import Path

from livelatent.errors import ModelError
from livelatent.generators.torchwrap import ModuleGenerator
from livelatent.common.files import regular_file
from livelatent.common.latent import shell_radius

Z_DIM, FEATURES, RESOLUTION = 100, 64, 64


def build_network():
    """ConvTranspose stack 1 -> 4 -> 8 -> 16 -> 32 -> 64, state-dict keys main.0 ... main.12."""
    from torch import nn

    layers, channels = [], [Z_DIM, FEATURES * 8, FEATURES * 4, FEATURES * 2, FEATURES]
    for i, (c_in, c_out) in enumerate(zip(channels, channels[1:])):
        stride, pad = (1, 0) if i == 0 else (2, 1)
        layers += [nn.ConvTranspose2d(c_in, c_out, 4, stride, pad, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(True)]
    layers += [nn.ConvTranspose2d(FEATURES, 3, 4, 2, 1, bias=False), nn.Tanh()]
    net = nn.Module()
    net.main = nn.Sequential(*layers)
    return net


def packaged_weights() -> Path:
    """weights.tar inside the installed gan_face_generate package (found without importing it)."""
    import importlib.util

    spec = importlib.util.find_spec("gan_face_generate")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError("dcgan-faces: package gan-face-generate is not installed; "
                         "run `pip install --no-deps gan-face-generate` or give the weights path")
    return Path(list(spec.submodule_search_locations)[0]) / "weights.tar"


def load(path: str | os.PathLike | None = None, *, device: str = "cpu", size=None) -> ModuleGenerator:
    import torch

    weights = Path(path) if path else packaged_weights()
    regular_file(weights, ModelError, "DCGAN weights")  # a FIFO would block torch.load for ever
    try:
        state = torch.load(weights, map_location="cpu", weights_only=True)["netG_state_dict"]
        net = build_network()
        net.load_state_dict(state)
    except (KeyError, RuntimeError, OSError, TypeError) as exc:
        raise ModelError(f"{weights}: not DCGAN generator weights with netG_state_dict ({exc})".splitlines()[0]) from None
    net = net.to(device).eval()
    forward = lambda z: net.main(z[:, :, None, None])  # noqa: E731
    return ModuleGenerator(forward, z_dim=Z_DIM, resolution=(RESOLUTION, RESOLUTION), device=device,
                           label="dcgan-faces", shell_radius=shell_radius(Z_DIM), size=size)

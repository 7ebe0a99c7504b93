"""One model from a file or a `module:function` factory: a StyleGAN pickle, a TorchScript or
torch.export file, or the user's own code (load() in __init__.py picks the kind of spec).

    g = load_single("run/network-snapshot-000120.pkl", device="cpu", stylegan_repo="~/src/stylegan3")
    g = load_single("mypackage.models:make", device="cuda")
"""

from __future__ import annotations

import importlib
import inspect
import os
from pathlib import Path

from livelatent.common.picture import Picture
from livelatent.errors import ModelError
from livelatent.generators.base import Generator
from livelatent.generators.builtins import BUILTINS
from livelatent.generators.configure import configured

TORCH_FILE_SUFFIXES = (".pt", ".pt2", ".ts", ".pth", ".jit")


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

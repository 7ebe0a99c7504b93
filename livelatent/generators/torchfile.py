"""A TorchScript (.pt, .ts) or torch.export (.pt2) file mapping z (N, d) to images (N, 3, H, W).

The file says how big z is and what comes out by running it once on a probe batch; output
in [-1, 1] (GAN convention) unless the module carries an attribute `value_range = [0, 1]`.
Since such a file is plain tensors and a graph, loading it runs no Python from the file.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from livelatent.errors import ModelError
from livelatent.generators.torchwrap import ModuleGenerator
from livelatent.common.files import regular_file
from livelatent.common.latent import shell_radius


def _load_module(path: Path, device: str):
    import torch

    if path.suffix.lower() == ".pt2":
        from torch.export.passes import move_to_device_pass

        # the pass moves constants baked into the graph too, which module().to(device) leaves behind
        return move_to_device_pass(torch.export.load(str(path)), device).module(), None
    with warnings.catch_warnings():  # torch 2.9+ calls TorchScript deprecated; the files still load
        warnings.simplefilter("ignore", DeprecationWarning)
        module = torch.jit.load(str(path), map_location=device).eval()
    z_dim = getattr(module, "z_dim", None)
    return module, int(z_dim) if z_dim is not None else None


def _probe_z_dim(module, path: Path) -> int:
    """z's size from the first weight: a Linear (out, in) or a DCGAN-style ConvTranspose (in, out, k, k)."""
    for tensor in module.state_dict().values():
        if tensor.ndim == 2:
            return int(tensor.shape[1])
        if tensor.ndim == 4:
            return int(tensor.shape[0])
    raise ModelError(f"{path}: cannot tell the size of z; give the module an attribute z_dim")


def load(path: str | Path, *, device: str = "cpu", size=None) -> ModuleGenerator:
    import torch

    path = regular_file(path, ModelError, "model file")  # a FIFO would block the loader for ever
    try:
        module, z_dim = _load_module(path, device)
        z_dim = z_dim or _probe_z_dim(module, path)
        with torch.inference_mode():
            probe = module(torch.zeros(2, z_dim, device=device))
    except ModelError:
        raise
    except Exception as exc:  # torch raises many types for a bad file; one line either way
        raise ModelError(f"{path}: not a TorchScript or torch.export generator ({str(exc).splitlines()[0]})") from None
    if not (isinstance(probe, torch.Tensor) and probe.ndim == 4 and probe.shape[0] == 2 and probe.shape[1] in (1, 3)):
        raise ModelError(f"{path}: expected the model to return images (N, 3 or 1, H, W), got "
                         f"{tuple(probe.shape) if isinstance(probe, torch.Tensor) else type(probe).__name__}")
    value_range = tuple(getattr(module, "value_range", (-1.0, 1.0)))
    return ModuleGenerator(module, z_dim=z_dim, resolution=tuple(probe.shape[-2:]), device=device,
                           label=path.stem, shell_radius=shell_radius(z_dim), value_range=value_range, size=size)

"""NVIDIA StyleGAN2-ADA / StyleGAN3 network pickles, decoded with the user's own checkout.

livelatent ships none of NVIDIA's code. Such a pickle names `torch_utils.persistence` and
`dnnlib` from the training code, so the user points us at a checkout of stylegan2-ada-pytorch
or stylegan3 (`--stylegan-repo PATH` or LIVELATENT_STYLEGAN_REPO); nvidia_code.py puts it on
sys.path, one checkout at a time, with a pkg_resources stand-in while it is imported. The
unpickler only lets through the globals those pickles contain (ALLOWED_GLOBALS); tensor
storages are read back with torch.load(weights_only=True). Note that NVIDIA's persistence
format embeds the source of the network classes and the checkout's persistence module runs
it: load only pickles you trust, as with NVIDIA's own tools (and a sidecar never names one
that loads by itself: commands/model_options.py).

z -> G_ema.mapping(z, c, truncation_psi) -> G_ema.synthesis(ws, noise_mode) -> image, as
NVIDIA's G(z, c, truncation_psi, noise_mode) (force_fp32 on the CPU); with_picture() switches
psi, class and noise mode on the loaded network. The mapping normalises z, so shell_radius is
None (any radius decodes the same).
"""

from __future__ import annotations

import importlib
import io
import os
import pickle
from pathlib import Path

from livelatent.errors import ModelError
from livelatent.generators import nvidia_code
from livelatent.generators.torchwrap import ModuleGenerator, first_line
from livelatent.common.files import regular_file
from livelatent.common.picture import NOISE_MODES, Picture

REPO_ENV = nvidia_code.REPO_ENV

_NUMPY = [(m, n) for m in ("numpy.core.multiarray", "numpy._core.multiarray") for n in ("_reconstruct", "scalar")]
_STORAGES = [("torch", f"{t}Storage") for t in ("Float", "Double", "Half", "BFloat16", "Long", "Int", "Short",
                                                 "Char", "Byte", "Bool", "Untyped")]
_DTYPES = [("torch", t) for t in ("float32", "float64", "float16", "bfloat16", "int64", "int32", "int16",
                                  "int8", "uint8", "bool")]
ALLOWED_GLOBALS = frozenset([
    ("torch_utils.persistence", "_reconstruct_persistent_obj"),
    ("dnnlib.util", "EasyDict"),
    ("collections", "OrderedDict"),
    ("builtins", "set"),
    ("torch._utils", "_rebuild_tensor_v2"),
    ("torch._utils", "_rebuild_parameter"),
    ("torch._utils", "_rebuild_parameter_with_state"),
    ("torch.storage", "_load_from_bytes"),
    ("torch", "Size"),
    ("torch", "device"),
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    *_NUMPY, *_STORAGES, *_DTYPES,
])


def _storage_from_bytes(data: bytes):
    """Stands in for torch.storage._load_from_bytes, which would torch.load without weights_only."""
    import torch

    return torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)


class _RestrictedUnpickler(pickle.Unpickler):
    def __init__(self, file, path: Path) -> None:
        super().__init__(file)
        self._path = path

    def find_class(self, module: str, name: str):
        if (module, name) not in ALLOWED_GLOBALS:
            raise ModelError(f"{self._path}: contains {module}.{name}, which is not allowed in a StyleGAN "
                             "network pickle (livelatent loads only torch_utils.persistence objects, "
                             "tensors, numpy arrays and dicts)")
        if (module, name) == ("torch.storage", "_load_from_bytes"):
            return _storage_from_bytes
        return getattr(importlib.import_module(module), name)


def read_pickle(path: str | os.PathLike, stylegan_repo=None) -> dict:
    """Unpickle a network pickle with the restricted unpickler, the checkout's modules imported."""
    path = regular_file(path, ModelError, "network pickle")  # a FIFO would block the unpickler for ever
    repo = nvidia_code.find_repo(stylegan_repo, path)
    try:
        with nvidia_code.checkout(repo), open(path, "rb") as f:
            data = _RestrictedUnpickler(f, path).load()
    except ModelError:
        raise
    except Exception as exc:  # a truncated or foreign file: one line, naming it
        raise ModelError(f"{path}: cannot read the network pickle ({type(exc).__name__}: {first_line(exc)})") from None
    if not isinstance(data, dict) or "G_ema" not in data:
        raise ModelError(f"{path}: expected a StyleGAN network pickle holding G_ema")
    return data


def network(data: dict, path: Path):
    """G_ema, checked to be a StyleGAN generator network before anything calls it."""
    import torch

    G = data["G_ema"]
    missing = [a for a in ("mapping", "synthesis", "z_dim", "c_dim", "img_resolution") if not hasattr(G, a)]
    if not isinstance(G, torch.nn.Module) or missing:
        raise ModelError(f"{path}: G_ema is a {type(G).__name__}, not a StyleGAN generator network "
                         f"(expected a torch module with {', '.join(missing or ['mapping', 'synthesis'])})")
    return G


def check_class(G, class_idx: int | None, label: str) -> int | None:
    """A conditional model needs a class (NVIDIA's tools refuse too); an unconditional one takes none."""
    if not G.c_dim:
        if class_idx is not None:
            raise ModelError(f"class {class_idx}: model {label} is unconditional (no classes)")
        return None
    if class_idx is None:
        raise ModelError(f"model {label} is conditional: pass `class_idx` N (0..{G.c_dim - 1})", setting="class_idx")
    if not 0 <= int(class_idx) < G.c_dim:
        raise ModelError(f"class {class_idx}: this model has classes 0..{G.c_dim - 1} ({label})")
    return int(class_idx)


class StyleGANGenerator(ModuleGenerator):
    """z -> G_ema.mapping(z, c, truncation_psi) -> G_ema.synthesis(ws, noise_mode) -> image.

    with_picture(psi=..., class_idx=..., noise_mode=...) gives a sibling sharing the network:
    the live knobs and a take's picture track switch between them frame by frame."""

    truncation = True

    def __init__(self, G, *, device: str, label: str, size, psi: float, class_idx: int | None,
                 noise_mode: str) -> None:
        if noise_mode not in NOISE_MODES:
            raise ModelError(f"`noise_mode` {noise_mode}: expected one of {', '.join(NOISE_MODES)} "
                             "(random noise would make a frame differ from decode(z) of its row)", setting="noise_mode")
        self.G, self.psi, self.noise_mode = G, float(psi), noise_mode
        self.class_idx = check_class(G, class_idx, label)
        self.c_dim = int(G.c_dim)
        super().__init__(self._forward_z, z_dim=G.z_dim, resolution=(G.img_resolution, G.img_resolution),
                         device=device, label=label, shell_radius=None, size=size)

    def _forward_z(self, z):
        import torch

        c = torch.zeros(z.shape[0], self.c_dim, device=self.device)
        if self.class_idx is not None:
            c[:, self.class_idx] = 1
        ws = self.G.mapping(z, c, truncation_psi=self.psi)
        # NVIDIA's higher-resolution layers run in float16 unless told otherwise; the CPU has no
        # float16 kernels for several of their ops, so on the CPU they run in float32
        fp32 = {"force_fp32": True} if self.device == "cpu" else {}
        return self.G.synthesis(ws, noise_mode=self.noise_mode, **fp32)

    def with_picture(self, picture: Picture) -> "StyleGANGenerator":
        if (picture.psi, picture.class_idx, picture.noise_mode) == (self.psi, self.class_idx, self.noise_mode):
            return self
        size = self.resolution if self.resolution != self.native_resolution else None
        return StyleGANGenerator(self.G, device=self.device, label=self.label, size=size, psi=picture.psi,
                                 class_idx=picture.class_idx, noise_mode=picture.noise_mode)


def load(path: str | os.PathLike, *, device: str = "cpu", size=None, stylegan_repo=None, truncation_psi: float = 1.0,
         class_idx: int | None = None, noise_mode: str = "const", label: str | None = None) -> StyleGANGenerator:
    path = Path(path)
    G = network(read_pickle(path, stylegan_repo), path).eval().requires_grad_(False).to(device)
    return StyleGANGenerator(G, device=device, label=label or path.stem, size=size, psi=truncation_psi,
                             class_idx=class_idx, noise_mode=noise_mode)

"""NVIDIA StyleGAN2-ADA / StyleGAN3 network pickles, decoded with the user's own checkout.

livelatent ships none of NVIDIA's code. Such a pickle names `torch_utils.persistence` and
`dnnlib` from the training code, so the user points us at a checkout of stylegan2-ada-pytorch
or stylegan3 (`--stylegan-repo PATH` or LIVELATENT_STYLEGAN_REPO). The unpickler only lets
through the globals those pickles contain (ALLOWED_GLOBALS); tensor storages are read back
with torch.load(weights_only=True). Note that NVIDIA's persistence format embeds the source
of the network classes and the checkout's persistence module runs it: load only pickles you
trust, as with NVIDIA's own tools.

z -> G_ema.mapping(z, c, truncation_psi) -> G_ema.synthesis(ws, noise_mode="const") -> image
(with force_fp32 on the CPU).
The mapping normalises z, so shell_radius is None (any radius decodes the same).
"""

from __future__ import annotations

import importlib
import io
import os
import pickle
import sys
from pathlib import Path

from livelatent.errors import ModelError
from livelatent.generators.torchwrap import ModuleGenerator
from livelatent.inputs import regular_file

REPO_ENV = "LIVELATENT_STYLEGAN_REPO"

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


def find_repo(stylegan_repo: str | os.PathLike | None, path: Path) -> Path:
    """The user's checkout that holds torch_utils/persistence.py and dnnlib/, or a clear error."""
    given = stylegan_repo or os.environ.get(REPO_ENV)
    if not given:
        raise ModelError(f"{path}: StyleGAN pickles need NVIDIA's training code, which livelatent does not ship; "
                         f"pass --stylegan-repo PATH (a checkout of stylegan3 or stylegan2-ada-pytorch) "
                         f"or set {REPO_ENV}")
    repo = Path(os.path.expanduser(str(given)))
    missing = [p for p in ("torch_utils/persistence.py", "dnnlib/__init__.py") if not (repo / p).exists()]
    if missing:
        raise ModelError(f"{repo}: not a StyleGAN checkout; missing {', '.join(missing)}")
    return repo


def read_pickle(path: str | os.PathLike, stylegan_repo=None) -> dict:
    """Unpickle a network pickle with the restricted unpickler; the checkout goes on sys.path."""
    path = regular_file(path, ModelError, "network pickle")  # a FIFO would block the unpickler for ever
    repo = str(find_repo(stylegan_repo, path).resolve())
    if repo not in sys.path:
        sys.path.insert(0, repo)  # the pickled network source imports torch_utils.* at run time too
    try:
        with open(path, "rb") as f:
            data = _RestrictedUnpickler(f, path).load()
    except ModelError:
        raise
    except Exception as exc:  # a truncated or foreign file: one line, naming it
        raise ModelError(f"{path}: cannot read the network pickle ({type(exc).__name__}: {exc})") from None
    if not isinstance(data, dict) or "G_ema" not in data:
        raise ModelError(f"{path}: expected a StyleGAN network pickle holding G_ema")
    return data


def _class_vector(G, n: int, class_idx: int | None, device: str):
    import torch

    c = torch.zeros(n, G.c_dim, device=device)
    if G.c_dim:
        idx = 0 if class_idx is None else int(class_idx)
        if not 0 <= idx < G.c_dim:
            raise ModelError(f"class {idx}: this model has classes 0..{G.c_dim - 1}")
        c[:, idx] = 1
    return c


def load(path: str | os.PathLike, *, device: str = "cpu", size=None, stylegan_repo=None, truncation_psi: float = 1.0,
         class_idx: int | None = None, label: str | None = None) -> ModuleGenerator:
    path = Path(path)
    G = read_pickle(path, stylegan_repo)["G_ema"].eval().requires_grad_(False).to(device)
    _class_vector(G, 1, class_idx, device)  # check the class now, not at the first frame

    # NVIDIA's higher-resolution layers run in float16 unless told otherwise; the CPU has no
    # float16 kernels for several of their ops, so on the CPU they run in float32
    synthesis_kwargs = {"noise_mode": "const", **({"force_fp32": True} if device == "cpu" else {})}

    def forward(z):
        ws = G.mapping(z, _class_vector(G, z.shape[0], class_idx, device), truncation_psi=truncation_psi)
        return G.synthesis(ws, **synthesis_kwargs)

    return ModuleGenerator(forward, z_dim=G.z_dim, resolution=(G.img_resolution, G.img_resolution),
                           device=device, label=label or path.stem, shell_radius=None, size=size)

"""NVIDIA's own generator output, for comparison: a process that imports one checkout only.

    python nvidia_reference.py REPO        then, one JSON line per request on stdin:
    {"network": "a.pkl", "z": "z.npy", "pictures": [{"psi": 0.7, "class": null}, ...], "out": "o.npy"}

answers "ok" (or "error: ...") on stdout once OUT.npy holds uint8 (n, H, W, 3): frame i is
G(z[i], c, truncation_psi, noise_mode) called one z at a time on the CPU (force_fp32, as on a
machine without CUDA) and brought to 8 bits as NVIDIA's gen_images.py does. Only NVIDIA's
code and torch are imported here, nothing of livelatent.
"""

import json
import pickle
import sys
import types

import numpy as np
import torch

sys.path.insert(0, sys.argv[1])
try:
    import pkg_resources  # noqa: F401 - an old setuptools
except ModuleNotFoundError:  # setuptools >= 81: the one function NVIDIA's torch_utils imports from it
    from packaging.version import parse

    sys.modules["pkg_resources"] = types.SimpleNamespace(parse_version=parse)

networks = {}


def frames(network: str, z_all: np.ndarray, pictures: list) -> np.ndarray:
    if network not in networks:
        with open(network, "rb") as f:
            networks[network] = pickle.load(f)["G_ema"].eval().requires_grad_(False)
    G = networks[network]
    images = []
    with torch.no_grad():
        for z, picture in zip(z_all, pictures):
            c = torch.zeros(1, G.c_dim)
            if picture.get("class") is not None:
                c[0, picture["class"]] = 1
            img = G(torch.from_numpy(z[None]), c, truncation_psi=picture.get("psi", 1.0),
                    noise_mode=picture.get("noise_mode", "const"), force_fp32=True)
            images.append((img.permute(0, 2, 3, 1) * 127.5 + 128).clamp(0, 255).to(torch.uint8)[0].numpy())
    return np.stack(images)


for line in sys.stdin:
    request = json.loads(line)
    try:
        np.save(request["out"], frames(request["network"], np.load(request["z"]), request["pictures"]))
        print("ok", flush=True)
    except Exception as exc:  # noqa: BLE001 - told to the test, which fails with it
        print(f"error: {type(exc).__name__}: {exc}", flush=True)

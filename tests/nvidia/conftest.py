"""Real StyleGAN networks, built and pickled by NVIDIA's own code from ../shared/nvidia/.

NVIDIA's code is never copied into this repository: the tests point --stylegan-repo at the
checkouts in ../shared/nvidia/ (beside the repository, as in CI) and skip, saying why, when
they are absent. make_snapshot.py builds small untrained but structurally real
network-snapshot pickles (~1-3 s each); they are built once per test session, in parallel.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

NVIDIA = Path(__file__).resolve().parents[2].parent / "shared" / "nvidia"
REFERENCE = Path(__file__).with_name("nvidia_reference.py")
# name -> (checkout, make_snapshot kind, extra arguments)
NETWORKS = {
    "sg3t": ("stylegan3", "sg3-t", ["--res", "32"]),  # stylegan3 on the CPU: ~1 s a frame at 64x64
    "ada-classes": ("stylegan2-ada-pytorch", "ada", ["--cdim", "4", "--seed", "1"]),
    "run/network-snapshot-000040": ("stylegan2-ada-pytorch", "ada", ["--seed", "2"]),
    "run/network-snapshot-000080": ("stylegan2-ada-pytorch", "ada", ["--seed", "2", "--perturb", "0.05"]),
    "run/network-snapshot-000120": ("stylegan2-ada-pytorch", "ada", ["--seed", "2", "--perturb", "0.1"]),
}
# Every network of one checkout is built in one interpreter (torch is imported once), the two
# checkouts side by side. make_snapshot.py imports NVIDIA's torch_utils, which wants
# pkg_resources: livelatent's stand-in gives it (generators/nvidia_code.py).
BUILD = ("import json, runpy, sys; from pathlib import Path; from livelatent.generators import nvidia_code\n"
         "script, checkout, jobs = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])\n"
         "with nvidia_code.checkout(Path(checkout).resolve()):\n"
         "    for job in jobs:\n"
         "        sys.argv = [script, checkout, *job]; runpy.run_path(script, run_name='__main__')")


def repo(name: str) -> Path:
    return NVIDIA / name


@pytest.fixture(scope="session")
def nvidia() -> Path:
    if not (NVIDIA / "make_snapshot.py").exists():
        pytest.skip(f"NVIDIA's StyleGAN code not found at {NVIDIA} (../shared/nvidia beside the repository)")
    return NVIDIA


@pytest.fixture(scope="session")
def networks(nvidia, tmp_path_factory) -> dict[str, Path]:
    """name -> network pickle, for every entry of NETWORKS."""
    folder = tmp_path_factory.mktemp("nvidia-networks")
    (folder / "run").mkdir()
    outs = {name: folder / f"{name}.pkl" for name in NETWORKS}
    builds = []
    for checkout in sorted({c for c, _, _ in NETWORKS.values()}):
        jobs = [[kind, str(outs[name]), *extra] for name, (c, kind, extra) in NETWORKS.items() if c == checkout]
        builds.append(subprocess.Popen([sys.executable, "-c", BUILD, str(nvidia / "make_snapshot.py"),
                                        str(repo(checkout)), json.dumps(jobs)],
                                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    for build in builds:
        log, _ = build.communicate(timeout=600)
        assert build.returncode == 0, f"make_snapshot.py: {log[-2000:]}"
    return outs


class NvidiaReference:
    """NVIDIA's G(z[i], c, truncation_psi, noise_mode) for each z, from a process that imports
    only that checkout and NVIDIA's code (tests/nvidia/nvidia_reference.py), kept for the session."""

    def __init__(self, checkout: str, tmp: Path) -> None:
        self.tmp, self.count = tmp, 0
        self.proc = subprocess.Popen([sys.executable, str(REFERENCE), str(repo(checkout))], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)

    def frames(self, network: Path, z: np.ndarray, pictures: list[dict]) -> np.ndarray:
        """uint8 (n, H, W, 3), one picture setting per z."""
        self.count += 1
        z_path, out = self.tmp / f"z{self.count}.npy", self.tmp / f"frames{self.count}.npy"
        np.save(z_path, np.asarray(z, np.float32))
        request = {"network": str(network), "z": str(z_path), "pictures": pictures, "out": str(out)}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().strip()
        assert answer == "ok", f"nvidia_reference.py: {answer or 'no answer'}"
        return np.load(out)

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


@pytest.fixture(scope="session")
def nvidia_frames(nvidia, tmp_path_factory):
    """nvidia_frames(checkout, network, z, pictures) -> NVIDIA's own frames for those z."""
    tmp = tmp_path_factory.mktemp("nvidia-reference")
    servers: dict[str, NvidiaReference] = {}

    def frames(checkout: str, network: Path, z, pictures: list[dict]) -> np.ndarray:
        if checkout not in servers:
            servers[checkout] = NvidiaReference(checkout, tmp)
        return servers[checkout].frames(network, z, pictures)

    yield frames
    for server in servers.values():
        server.close()

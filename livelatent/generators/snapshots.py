"""Snapshot sets: several checkpoints of one training run, decoding the same z side by side.

A set is given as a folder (every .pkl / .pt in it), a glob ("run/network-snapshot-*.pkl")
or a comma-separated list. Labels come from names such as network-snapshot-000120.pkl
(-> "120") or are given. generators/grid.py tiles the decoded images into a labelled grid.
"""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from livelatent.errors import ModelError

SNAPSHOT_SUFFIXES = (".pkl", ".pt", ".pt2", ".ts")
_ITERATION = re.compile(r"(\d+)(?!.*\d)")  # the last number in a file name


def is_snapshot_set(spec: str) -> bool:
    """A folder, a glob, or a comma-separated list of model files."""
    return "," in spec or any(c in spec for c in "*?[") or Path(os.path.expanduser(spec)).is_dir()


def snapshot_paths(spec: str) -> list[Path]:
    """The files of a set, ordered by the training iteration in their names."""
    spec = os.path.expanduser(spec)
    if "," in spec:
        paths = [Path(p.strip()) for p in spec.split(",") if p.strip()]
    elif Path(spec).is_dir():
        paths = [p for p in Path(spec).iterdir() if p.suffix.lower() in SNAPSHOT_SUFFIXES]
    else:
        paths = [Path(p) for p in glob.glob(spec)]
    if not paths:
        raise ModelError(f"snapshots {spec!r}: no model files found (expected {', '.join(SNAPSHOT_SUFFIXES)})")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise ModelError(f"snapshot {missing[0]}: not found")
    return sorted(paths, key=lambda p: (_iteration(p) is None, _iteration(p) or 0, p.name))


def _iteration(path: Path) -> int | None:
    match = _ITERATION.search(path.stem)
    return int(match.group(1)) if match else None


def label_for(path: Path) -> str:
    """"network-snapshot-000120.pkl" -> "120"; a name without a number labels itself."""
    n = _iteration(path)
    return str(n) if n is not None else path.stem


@dataclass
class SnapshotSet:
    """Generators of one run, in training order, with a label each."""

    generators: list
    labels: list[str]

    def __post_init__(self) -> None:
        dims = {g.z_dim for g in self.generators}
        if len(dims) != 1:
            raise ModelError(f"snapshots {', '.join(self.labels)}: z sizes differ ({sorted(dims)}); "
                             "expected checkpoints of one training run")

    @property
    def z_dim(self) -> int:
        return self.generators[0].z_dim

    @property
    def resolution(self) -> tuple[int, int]:
        return self.generators[0].resolution

    def decode_each(self, z: np.ndarray, size: tuple[int, int] | None = None) -> np.ndarray:
        """uint8 (snapshots, N, H, W, 3): the same batch of z through every snapshot.

        One snapshot after another, each with the whole batch. Stacking the snapshots' weights
        into one vmapped pass (torch.func.stack_module_state + functional_call) was tried: on
        the CPU it cost 1.3-1.8x more (DCGAN-shaped snapshots: 28 x 1 z 379 vs 214 CPU ms,
        8 x 16 z 464 vs 303), its float rounding differs from decoding one snapshot alone, and
        NVIDIA's custom ops cannot be checked to vmap without their code."""
        size = size or self.resolution
        return np.stack([g.decode(z, size) for g in self.generators])


def load_set(spec: str, *, device: str, labels=None, **opts) -> SnapshotSet:
    from livelatent.generators.single import load_single

    paths = snapshot_paths(spec)
    labels = _given_labels(labels, len(paths)) or [label_for(p) for p in paths]
    generators = [load_single(str(p), device=device, **opts) for p in paths]
    for generator, label in zip(generators, labels):
        generator.label = label
    return SnapshotSet(generators, labels)


def _given_labels(labels, count: int) -> list[str] | None:
    if not labels:
        return None
    labels = [s.strip() for s in labels.split(",")] if isinstance(labels, str) else [str(s) for s in labels]
    if len(labels) != count:
        raise ModelError(f"`labels`: {len(labels)} labels for {count} snapshots; expected one each", setting="labels")
    return labels

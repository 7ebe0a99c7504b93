"""The kinds of output, where each works and what it needs: one protocol module each.

    check(spec)          # DeviceError, one line, when this machine cannot send it (wrong
                         # platform, the extra not installed, no such device)
    make_sink(spec)      # the protocol's sink for an OutputWorker (live/outputs/worker.py)
    availability()       # [(kind, problem or "")] for `livelatent devices`

Each protocol module imports its library lazily; it may say why it cannot run beyond a
missing library: `problem()` for the kind, `target_problem(spec)` for one output of it.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from dataclasses import dataclass

from livelatent.common.output_spec import KINDS, OutputSpec
from livelatent.errors import DeviceError


@dataclass(frozen=True)
class Kind:
    name: str
    module: str
    platform: str  # sys.platform it runs on ("" = any)
    platform_name: str  # ... as people say it
    library: str  # the module its extra installs ("" = none)
    what: str


TABLE = {k.name: k for k in (
    Kind("ndi", "livelatent.live.outputs.ndi", "", "", "cyndilib", "NDI source on the network"),
    Kind("v4l2", "livelatent.live.outputs.v4l2", "linux", "Linux", "", "virtual camera (v4l2loopback device)"),
    Kind("spout", "livelatent.live.outputs.spout", "win32", "Windows", "SpoutGL", "Spout sender"),
    Kind("syphon", "livelatent.live.outputs.syphon", "darwin", "macOS", "syphon", "Syphon server"),
)}
assert tuple(TABLE) == KINDS


def problem(kind: str) -> str:
    """Why this machine cannot send this kind of output ("" when it can)."""
    k = TABLE[kind]
    if k.platform and not sys.platform.startswith(k.platform):
        return f"{k.platform_name} only (this is {sys.platform})"
    if k.library and importlib.util.find_spec(k.library) is None:
        return f"needs the {kind} extra: pip install 'livelatent[{kind}]' ({k.library})"
    more = getattr(_module(kind), "problem", None)
    return more() if more else ""


def check(spec: OutputSpec) -> None:
    target_problem = getattr(_module(spec.kind), "target_problem", None)
    why = problem(spec.kind) or (target_problem(spec) if target_problem else "")
    if why:
        raise DeviceError(f"output {spec}: {why}", setting="output")


def make_sink(spec: OutputSpec):
    return _module(spec.kind).Sink(spec)


def availability() -> list[tuple[str, str]]:
    return [(kind, problem(kind)) for kind in TABLE]


def _module(kind: str):
    return importlib.import_module(TABLE[kind].module)

"""The core stays pure: the model and motion code import no torch, GL, devices or file-format
libraries, so that the live side and the offline side can share it (see README, Architecture).

Each module is imported in a fresh interpreter and its sys.modules inspected.
"""

import json
import pkgutil
import subprocess
import sys

import pytest

import livelatent

HEAVY = {"torch", "moderngl", "glfw", "mido", "rtmidi", "pythonosc", "lxml", "av"}
TOOLKITS = HEAVY - {"lxml", "av"}

# package prefix -> libraries it must not pull in
RULES = {
    "livelatent.adapters": TOOLKITS,
    "livelatent.generators": HEAVY - {"torch"},
    "livelatent.offline": {"moderngl", "glfw", "mido", "rtmidi", "pythonosc"},
    "livelatent.motion": HEAVY,
}
NOT_CORE = ("livelatent.cli", "livelatent.__main__", "livelatent.commands", "livelatent.live")


def modules():
    for info in pkgutil.walk_packages(livelatent.__path__, "livelatent."):
        if info.name.endswith("__main__"):
            continue
        yield info.name


def forbidden_for(name: str) -> set[str]:
    for prefix, banned in RULES.items():
        if name.startswith(prefix):
            return banned
    if name.startswith(NOT_CORE):
        return set()
    return HEAVY  # a core module: stdlib and numpy only


def imported_heavy(name: str) -> set[str]:
    code = (
        f"import json, sys, {name}; "
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({sorted(HEAVY)!r}))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("name", [m for m in modules() if forbidden_for(m)], ids=str)
def test_module_keeps_to_its_layer(name):
    leaked = imported_heavy(name) & forbidden_for(name)
    assert not leaked, f"{name} imports {sorted(leaked)}, which its layer must not"


def test_help_imports_nothing_heavy():
    code = (
        "import sys, contextlib, io\n"
        "from livelatent.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try: main(['--help'])\n"
        "    except SystemExit: pass\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({sorted(HEAVY)!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"

"""The core stays pure: the model and motion code import no torch, GL, devices or file-format
libraries, so that the live side and the offline side can share it (see README, Architecture).

Each module is imported in a fresh interpreter and its sys.modules inspected; imports of
livelatent packages a layer must not use are also looked for in the source, lazy ones included.
"""

import ast
import importlib.util
import json
import pkgutil
import subprocess
import sys
import textwrap

import pytest

import livelatent

HEAVY = {"torch", "moderngl", "glfw", "mido", "rtmidi", "pythonosc", "lxml", "av", "opentimelineio", "aaf2", "ray"}
TOOLKITS = HEAVY - {"lxml", "av"}
# a format library imported by one adapter module only (its plug-ins too: the AAF adapter's aaf2)
OWNERS = {"opentimelineio": "livelatent.adapters.otio", "aaf2": "livelatent.adapters.otio",
          "otio_cmx3600_adapter": "livelatent.adapters.otio", "otio_fcp_adapter": "livelatent.adapters.otio",
          "otio_fcpx_xml_adapter": "livelatent.adapters.otio", "otio_aaf_adapter": "livelatent.adapters.otio",
          "ray": "livelatent.offline.distributed"}  # the optional extra livelatent[ray]: --ray only

# package prefix -> libraries (or livelatent packages) it must not pull in
RULES = {
    "livelatent.adapters": TOOLKITS,
    "livelatent.generators": HEAVY - {"torch"} | {"livelatent.offline", "livelatent.live"},
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
    owned_elsewhere = {lib for lib, owner in OWNERS.items() if owner != name}
    for prefix, banned in RULES.items():
        if name.startswith(prefix):
            return (banned | owned_elsewhere) - {lib for lib, owner in OWNERS.items() if owner == name}
    if name.startswith(NOT_CORE):
        return owned_elsewhere & {"opentimelineio", "aaf2"}  # commands load it lazily, through the adapter
    return HEAVY  # a core module: stdlib and numpy only


def imported(name: str, banned: set[str]) -> set[str]:
    """Which of `banned` (top-level libraries or dotted packages) importing `name` pulls in."""
    code = f"import json, sys, {name}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    return {b for b in banned if any(m == b or m.startswith(b + ".") for m in loaded)}


@pytest.mark.parametrize("name", [m for m in modules() if forbidden_for(m)], ids=str)
def test_module_keeps_to_its_layer(name):
    leaked = imported(name, forbidden_for(name))
    assert not leaked, f"{name} imports {sorted(leaked)}, which its layer must not"


def imports_in_source(name: str) -> set[str]:
    """Every module an import statement in `name`'s source names, lazy ones inside functions too."""
    tree = ast.parse(open(importlib.util.find_spec(name).origin).read())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return found


@pytest.mark.parametrize("name", [m for m in modules() if any(b.startswith("livelatent.") for b in forbidden_for(m))],
                         ids=str)
def test_module_never_imports_a_banned_package_even_lazily(name):
    banned = {b for b in forbidden_for(name) if b.startswith("livelatent.")}
    leaked = {b for b in banned for m in imports_in_source(name) if m == b or m.startswith(b + ".")}
    assert not leaked, f"{name} imports {sorted(leaked)} (inside a function too counts), which its layer must not"


@pytest.mark.parametrize("library", sorted(OWNERS), ids=str)
def test_a_format_library_is_imported_by_its_adapter_only(library):
    """Even lazily: every other module reaches OpenTimelineIO through livelatent.adapters.otio."""
    users = {m for m in modules() for i in imports_in_source(m) if i == library or i.startswith(library + ".")}
    assert users <= {OWNERS[library]}, f"{sorted(users - {OWNERS[library]})} import {library}; only {OWNERS[library]} may"


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


def test_a_render_without_ray_never_imports_it(tmp_path):
    """Without --ray nothing changes: a render, an image sequence too, runs without Ray."""
    reel, frames = str(tmp_path / "z"), str(tmp_path / "out/%03d.png")
    code = textwrap.dedent(f"""
        import sys
        from livelatent import cli, zseq
        from livelatent.latent import sample
        zseq.save(zseq.ZSequence(sample(3, 512, 1), 30, {{"model": "default"}}), {reel!r})
        assert cli.main(["render", {reel!r}, "-o", {frames!r}, "--size", "16", "-q"]) == 0
        print("ray" in sys.modules)""")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"

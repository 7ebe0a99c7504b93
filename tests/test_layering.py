"""The house's layers, enforced: each package imports only the layers below it, the import graph
has no cycle, and the core stays pure (no torch, GL, devices or file-format libraries), so that
the live side and the offline side share it (docs/architecture.md).

    commands                      one module per subcommand; argparse lives only here
    live   offline                the real-time side; renders, replays, conforms
    instrument  edit  motion  generators  adapters
    common                        shared values (numpy and the standard library)
    errors

Imports are read from the source, lazy ones inside functions included; each module is also
imported in a fresh interpreter and its sys.modules inspected for the libraries its layer
must not pull in.
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

# package -> the packages its modules may import (its own included). The core (common, motion,
# edit, instrument) never imports live, offline, generators, adapters or commands; adapters never
# import motion (nor the instrument: a take's file format is not its motion); live never imports
# commands or offline; nothing below commands sees argparse.
MAY_IMPORT = {
    "errors": set(),
    "common": {"errors", "common"},
    "motion": {"errors", "common", "motion"},
    "edit": {"errors", "common", "edit"},
    "instrument": {"errors", "common", "motion", "instrument"},
    "generators": {"errors", "common", "generators"},
    "adapters": {"errors", "common", "edit", "adapters"},
    "offline": {"errors", "common", "motion", "edit", "instrument", "generators", "adapters", "offline"},
    "live": {"errors", "common", "motion", "edit", "instrument", "generators", "adapters", "live"},
    "commands": {"errors", "common", "motion", "edit", "instrument", "generators", "adapters", "offline", "live",
                 "commands"},
    "cli": {"errors", "commands"},
}
CORE = ("common", "motion", "edit", "instrument")

HEAVY = {"torch", "moderngl", "glfw", "mido", "rtmidi", "pythonosc", "lxml", "av", "opentimelineio", "aaf2", "ray",
         "argparse", "cyndilib", "jack", "sounddevice"}
TOOLKITS = HEAVY - {"lxml", "av", "argparse"}
# a format library imported by one adapter module only (its plug-ins too: the AAF adapter's aaf2)
OWNERS = {"opentimelineio": "livelatent.adapters.otio", "aaf2": "livelatent.adapters.otio",
          "otio_cmx3600_adapter": "livelatent.adapters.otio", "otio_fcp_adapter": "livelatent.adapters.otio",
          "otio_fcpx_xml_adapter": "livelatent.adapters.otio", "otio_aaf_adapter": "livelatent.adapters.otio",
          "ray": "livelatent.offline.distributed",  # the optional extra livelatent[ray]: --ray only
          # video out: one protocol module each (the extras livelatent[ndi], [spout], [syphon])
          "cyndilib": "livelatent.live.outputs.ndi", "SpoutGL": "livelatent.live.outputs.spout",
          "syphon": "livelatent.live.outputs.syphon",
          # the optional extra livelatent[console], in the console's own process only
          "imgui_bundle": "livelatent.live.console.panels", "OpenGL": "livelatent.live.console.textures",
          "zeroconf": "livelatent.live.announce", "ifaddr": "livelatent.live.announce",  # livelatent[discovery]
          # the optional extra livelatent[audio]: live sound in only
          "jack": "livelatent.live.jack_audio", "sounddevice": "livelatent.live.audio_in"}
# libraries a module pulls in through the library it owns (imgui-bundle's GL backend is PyOpenGL)
THROUGH = {"livelatent.live.console.panels": {"OpenGL"}}

# layer -> libraries it must not pull in, even through what it imports
LIBRARY_RULES = {
    **{layer: HEAVY for layer in CORE},
    "errors": HEAVY,
    "adapters": TOOLKITS | {"argparse"},
    "generators": HEAVY - {"torch"},
    "offline": {"moderngl", "glfw", "mido", "rtmidi", "pythonosc", "argparse"},
    "live": {"argparse"},
}


def modules():
    for info in pkgutil.walk_packages(livelatent.__path__, "livelatent."):
        if not info.name.endswith("__main__"):
            yield info.name


def layer(name: str) -> str:
    part = name.split(".")[1]
    return "cli" if part in ("cli", "__main__") else part


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


ALL = sorted(modules())


def livelatent_imports(name: str) -> set[str]:
    """The livelatent modules `name` imports: `from livelatent.x import y` names the submodule
    x.y when there is one, else the module x. The package itself (its version) is left out."""
    tree = ast.parse(open(importlib.util.find_spec(name).origin).read())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("livelatent.")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("livelatent") \
                and not node.level:
            found |= {f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in ALL else node.module
                      for alias in node.names}
    return found - {name, "livelatent"}


@pytest.mark.parametrize("name", ALL, ids=str)
def test_a_module_imports_only_the_layers_below_it(name):
    allowed = MAY_IMPORT[layer(name)]
    wrong = sorted(m for m in livelatent_imports(name) if layer(m) not in allowed)
    assert not wrong, f"{name} ({layer(name)}) imports {wrong}; {layer(name)} may import only {sorted(allowed)}"


def test_the_import_graph_has_no_cycle():
    """Tarjan's strongly connected components over every import, lazy ones included."""
    graph = {m: livelatent_imports(m) for m in ALL}
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while not component or component[-1] != v:
                component.append(stack.pop())
                on_stack.discard(component[-1])
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    assert not cycles, f"modules that import each other: {cycles}"


def forbidden_for(name: str) -> set[str]:
    owned_elsewhere = {lib for lib, owner in OWNERS.items() if owner != name}
    banned = LIBRARY_RULES.get(layer(name), set()) | owned_elsewhere
    if layer(name) in ("commands", "cli"):
        banned = owned_elsewhere & {"opentimelineio", "aaf2"}  # commands load it lazily, through the adapter
    return banned - {lib for lib, owner in OWNERS.items() if owner == name} - THROUGH.get(name, set())


def imported(name: str, banned: set[str]) -> set[str]:
    """Which of `banned` (top-level libraries) importing `name` pulls in."""
    code = f"import json, sys, {name}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    return {b for b in banned if any(m == b or m.startswith(b + ".") for m in loaded)}


@pytest.mark.parametrize("name", [m for m in ALL if forbidden_for(m)], ids=str)
def test_module_keeps_to_its_layer(name):
    leaked = imported(name, forbidden_for(name))
    assert not leaked, f"{name} imports {sorted(leaked)}, which its layer must not"


@pytest.mark.parametrize("library", sorted(OWNERS), ids=str)
def test_a_format_library_is_imported_by_its_adapter_only(library):
    """Even lazily: every other module reaches OpenTimelineIO through livelatent.adapters.otio."""
    users = {m for m in ALL for i in imports_in_source(m) if i == library or i.startswith(library + ".")}
    assert users <= {OWNERS[library]}, f"{sorted(users - {OWNERS[library]})} import {library}; only {OWNERS[library]} may"


def test_argparse_lives_only_in_the_command_line():
    users = {m for m in ALL for i in imports_in_source(m) if i == "argparse"}
    assert {layer(m) for m in users} <= {"commands", "cli"}, sorted(users)


def test_help_imports_nothing_heavy():
    code = (
        "import sys, contextlib, io\n"
        "from livelatent.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try: main(['--help'])\n"
        "    except SystemExit: pass\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({sorted(HEAVY - {'argparse'})!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_a_render_without_ray_never_imports_it(tmp_path):
    """Without --ray nothing changes: a render, an image sequence too, runs without Ray."""
    reel, frames = str(tmp_path / "z"), str(tmp_path / "out/%03d.png")
    code = textwrap.dedent(f"""
        import sys
        from livelatent import cli
        from livelatent.common import zseq
        from livelatent.common.latent import sample
        zseq.save(zseq.ZSequence(sample(3, 512, 1), 30, {{"model": "default"}}), {reel!r})
        assert cli.main(["render", {reel!r}, "-o", {frames!r}, "--size", "16", "-q"]) == 0
        print("ray" in sys.modules)""")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"

"""The manual agrees with the program: every command and flag it names exists, every link it
follows leads somewhere, and the OSC/MIDI reference is the one the table of actions prints."""

import ast
import re
from pathlib import Path

import pytest

from livelatent import cli
from livelatent.commands.osc_spec import reference

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# flags the manual names that belong to other programs: program -> its flags
OTHER_PROGRAMS = {
    "./setup.sh": {"--test"},
    "ray start": {"--head"},
    "pip": {"--no-deps"},
    "NVIDIA's train.py": {"--cfg"},
    "python -m tests.conform.fuzz": {"--seeds", "--first", "--structure", "--keep", "--no-shrink"},
    "python -m tests.conform.samples": {"--first", "--keep"},
}

FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.M | re.S)
INLINE = re.compile(r"`([^`\n]+)`")
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
COMMAND_LINE = re.compile(r"(?:^|[\s;&(])(?:\.venv/bin/)?(?:livelatent|\$L)\s+([a-z][\w-]*)(.*)")
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def code(page: Path) -> list[str]:
    """The page's code: fenced blocks (continued lines joined) and inline spans."""
    text = page.read_text()
    blocks = [b.replace("\\\n", " ") for b in FENCE.findall(text)]
    prose = FENCE.sub("", text)
    return [line for block in blocks for line in block.splitlines()] + INLINE.findall(prose)


def parser_flags(command: str | None) -> set[str]:
    parser = cli.build_parser(load=command)
    if command:
        parser = next(a for a in parser._actions if a.dest == "command").choices[command]
    return {s for action in parser._actions for s in action.option_strings if s.startswith("--")}


def benchmark_flags() -> set[str]:
    found = set()
    for script in (ROOT / "benchmarks").glob("*.py"):
        for node in ast.walk(ast.parse(script.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "add_argument":
                found |= {a.value for a in node.args if isinstance(a, ast.Constant) and str(a.value).startswith("--")}
    return found


COMMAND_FLAGS = {name: parser_flags(name) for name in cli.COMMANDS}
KNOWN = set().union(*COMMAND_FLAGS.values(), parser_flags(None), benchmark_flags(), *OTHER_PROGRAMS.values(),
                    {"--help"})


def test_the_osc_and_midi_reference_is_what_the_table_of_actions_prints():
    assert (ROOT / "docs/osc-midi.md").read_text() == reference(), \
        "docs/osc-midi.md is out of date: run .venv/bin/livelatent osc-spec > docs/osc-midi.md"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_flag_the_manual_names_exists(page):
    unknown = sorted(set(FLAG.findall(page.read_text())) - KNOWN)
    assert not unknown, f"{page.name} names {unknown}, which no livelatent command (nor a benchmark) takes"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_command_line_in_the_manual_runs_a_command_with_its_own_flags(page):
    wrong = []
    for line in code(page):
        for part in re.split(r"&&|;|\|", line):
            found = COMMAND_LINE.search(part)
            if not found:
                continue
            name, rest = found.groups()
            if name not in cli.COMMANDS:
                wrong.append(f"{name}: no such command ({part.strip()})")
                continue
            flags = set(FLAG.findall(rest.split("#")[0])) - COMMAND_FLAGS[name] - {"--help"}
            wrong += [f"{name} {flag}: {name} has no such flag" for flag in sorted(flags)]
    assert not wrong, f"{page.name}: " + "; ".join(wrong)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_link_in_the_manual_leads_to_a_file_of_the_repository(page):
    links = [target for target in LINK.findall(page.read_text()) if "://" not in target]
    missing = [target for target in links if not (page.parent / target).exists()]
    assert not missing, f"{page.name} links to {missing}"

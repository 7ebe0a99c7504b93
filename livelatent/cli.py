"""The `livelatent` command: parses arguments, then imports one subcommand lazily.

Each subcommand is a module in livelatent/commands/ with `add_arguments(parser)` and
`run(args) -> int | None`. The table below keeps `livelatent --help` free of torch and GL:
a command's module (and whatever it imports) loads only when that command runs.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from livelatent import __version__
from livelatent.commands.parsing import OneLineParser
from livelatent.errors import LivelatentError

# name -> (module in livelatent.commands, one-line help)
COMMANDS = {
    "perform": ("perform", "play the latent space live (window, or --headless), MIDI / OSC / keyboard"),
    "devices": ("devices", "list MIDI inputs and the OSC ports livelatent would use"),
    "samples": ("samples", "a reel of N random samples as a (video, z-sequence) pair"),
    "journeys": ("journeys", "short journeys between 2-3 frames picked from a z-sequence"),
    "render": ("render", "decode a z-sequence at full quality, one model or a snapshot grid"),
    "stills": ("stills", "PNG stills of chosen frames, tagged with their z-sequence and frame"),
    "plot-path": ("plot_path", "picture of a z-sequence's trajectory with its speed and radius"),
    "path": ("path", "build a z-sequence from keyframes with any mover or interpolator"),
    "conform": ("conform", "apply a Kdenlive edit to the z-sequences behind its clips"),
    "replay": ("replay", "re-run a recorded take at any fps, size or model"),
    "takes": ("takes", "list recorded takes"),
    "recover": ("recover", "recover takes cut off by a crash"),
    "proxies": ("proxies", "render the missing proxy frames of a take"),
    "models": ("models", "list the built-in models and how to load your own"),
    "osc-spec": ("osc_spec", "print the OSC / MIDI reference: every address, its arguments, key and feedback"),
}


def build_parser(load: str | None = None) -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="livelatent",
        description="Play, record, edit and render journeys through a generator's latent space.",
    )
    parser.add_argument("--version", action="version", version=f"livelatent {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if name == load:
            _module(module).add_arguments(p)
    return parser


def _module(module: str):
    return importlib.import_module(f"livelatent.commands.{module}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    name = next((a for a in argv if not a.startswith("-")), None)
    load = name if name in COMMANDS else None
    try:
        args = build_parser(load).parse_args(argv)
        if args.command is None:
            build_parser().print_help()
            return 2
        return int(_module(COMMANDS[args.command][0]).run(args) or 0)
    except LivelatentError as exc:
        from livelatent.commands.settings import message  # the setting an error names, as its flag

        print(f"livelatent {load or ''}: {message(exc)}".replace(" :", ":"), file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # a disk or a folder failing where no command named it: still one line
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"livelatent {load or ''}: {where}{exc.strerror or exc}".replace(" :", ":"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("livelatent: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())

"""The parser every subcommand's arguments go through: its errors are one line.

cli.py builds `livelatent` and its subcommands with it; a command may build its own
(commands/perform.py does, for shows started from tests and benchmarks).
"""

from __future__ import annotations

import argparse
import re

from livelatent.errors import UsageError


class OneLineParser(argparse.ArgumentParser):
    """An argparse parser whose errors are one line: a UsageError that cli.main reports.

    argparse prints its usage and exits; here "argument --seed: '-1': expected ..." becomes
    "--seed '-1': expected ..." (a value as typed, then what was expected)."""

    def error(self, message: str):
        found = re.match(r"argument (\S+): (.*)$", message, re.S)
        if found:
            flag, rest = found.groups()
            message = f"{flag} {rest}" if rest.startswith("'") else f"{flag}: {rest}"
        raise UsageError(" ".join(message.split()))

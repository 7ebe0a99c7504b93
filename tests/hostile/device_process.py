"""A pretend device in a process of its own (as a real one is outside the show's process),
driven over stdin: one command a line, each answered with one line ("ok", or what was asked)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


class DeviceProcess:
    def __init__(self, script: str, name: str) -> None:
        self.proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name(script)), name],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self._answer()

    def ask(self, command: str) -> str:
        """The command's one-line answer."""
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def do(self, command: str) -> None:
        if self.ask(command) != "ok":
            raise RuntimeError(f"{command}: no answer (exit status {self.proc.poll()})")

    def _answer(self) -> None:
        if self.proc.stdout.readline().strip() != "ok":
            raise RuntimeError(f"no answer (exit status {self.proc.poll()})")

    def close(self) -> None:
        """Unplugged cleanly: a client killed outright makes jackd hang on its own shutdown."""
        try:
            self.proc.communicate("quit\n", timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

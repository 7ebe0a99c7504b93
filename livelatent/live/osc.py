"""OSC over UDP: a receiver that feeds the control bus, and a feedback sender.

The only python-osc importer besides the OSC process it starts. The socket is read and the
datagrams parsed in a child process (live/osc_process.py, reading through osc_datagrams.py,
which trusts nothing it reads): a flood of 10,000 messages a second costs the live loop's
threads nothing but a batch of events per burst, and a bad datagram is one rate-limited line.
If that process ever ends or hangs anyway, the receiver says so (console, HUD and
/livelatent/error, through the log's notices) and starts another on the same port. Feedback
goes out on a non-blocking socket (a full socket buffer drops a message).

    osc = OscReceiver(bus, port=9331, d=128).start()
    feedback = OscFeedback("127.0.0.1", 9332)
    feedback.send("/livelatent/keyframe", 3)
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from pathlib import Path

from pythonosc.osc_message_builder import OscMessageBuilder

import livelatent
from livelatent.errors import DeviceError, UsageError
from livelatent.live.osc_process import HEARTBEAT_SECONDS
from livelatent.live.ratelog import RateLimitedLog

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 9331  # clear of Resolume 7000, Wekinator 6448, Autolume 1337/1338, 5005, TouchOSC 8000/9000
DEFAULT_FEEDBACK_PORT = 9332
PACKAGE_ROOT = Path(livelatent.__file__).resolve().parents[1]  # the folder holding this livelatent
START_SECONDS = 20.0  # the OSC process imports python-osc and numpy before it listens
HUNG_SECONDS = 5 * HEARTBEAT_SECONDS  # silence from the OSC process that means it hangs
RESTART_SECONDS = 2.0  # between tries to restart it


class OscReceiver:
    """Receives OSC on host:port, turns messages into events on the bus (see mapping.osc_event).

    The events come back from the OSC process in batches (one per burst) to a thread here
    that puts them on the bus. allow: sender IP addresses to accept (None = any); d: the
    latent size for /livelatent/z. `datagrams` counts every datagram received, `messages`
    every message in them, `rejected` the datagrams and messages dropped; `restarts` how
    often the OSC process had to be started again.
    """

    def __init__(self, bus, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, d: int | None = None,
                 allow: tuple[str, ...] | None = None, log: RateLimitedLog | None = None,
                 hung_seconds: float = HUNG_SECONDS) -> None:
        self.bus, self.host, self.d, self.allow = bus, host, d, allow
        self.hung_seconds, self.restart_seconds = hung_seconds, RESTART_SECONDS
        self.log = log or RateLimitedLog()
        self.datagrams = self.messages = self.rejected = self.restarts = 0
        self._base = (0, 0, 0)  # the counts of OSC processes before this one
        self._closing = threading.Event()
        self._process, self._conn = self._spawn(port)
        self._thread = threading.Thread(target=self._pump, name="osc-events", daemon=True)

    def _spawn(self, port: int):
        """Start an OSC process listening on host:port; DeviceError if it cannot."""
        ours, theirs = socket.socketpair()
        # a plain child process (not multiprocessing's spawn, which re-runs the caller's main script), started
        # where this livelatent lies: `-m` puts its working folder first on the path, and it must run this code,
        # not a `livelatent` folder that happens to be where the show was started. In a session of its own:
        # Linux schedules each session as a group (autogroup), so on a machine busy with other work what a
        # flood costs it is not taken from the show's own share of the cores (the show stops it; it ends
        # by itself when the show is gone)
        process = subprocess.Popen(
            [sys.executable, "-m", "livelatent.live.osc_process", str(theirs.fileno()), self.host, str(port),
             str(self.d or 0), ",".join(self.allow or ()), str(self.log.interval), str(os.getpid())],
            pass_fds=(theirs.fileno(),), cwd=PACKAGE_ROOT, start_new_session=True)
        theirs.close()
        conn = Connection(ours.detach())
        kind, value = _first_reply(conn)
        if kind == "error":
            _stop(process, conn)
            raise DeviceError(f"OSC port {self.host}:{port}: cannot listen ({value}); choose another with `osc_port`",
                              setting="osc_port")
        self.address = tuple(value)
        return process, conn

    def start(self) -> "OscReceiver":
        self._thread.start()
        return self

    def close(self) -> None:
        self._closing.set()
        _stop(self._process, self._conn)
        if self._thread.is_alive():
            self._thread.join(timeout=3)
        self._conn.close()

    # ---- the pump thread ----

    def _pump(self) -> None:
        """Batches of events from the OSC process onto the bus, in order; a new process when it ends."""
        while not self._closing.is_set():
            why = self._forward()
            if self._closing.is_set():
                return
            self._restart(why)

    def _forward(self) -> str:
        """Forward batches until the OSC process ends or hangs; says which."""
        while True:
            try:
                if not self._conn.poll(self.hung_seconds):
                    self._process.kill()
                    return f"it did not answer for {self.hung_seconds:g} s"
                events, *counts, lines = self._conn.recv()
            except (EOFError, OSError, TypeError, ValueError):
                return _exit_reason(self._process)
            self.datagrams, self.messages, self.rejected = (b + c for b, c in zip(self._base, counts))
            for line in lines:
                self.log.emit(line)
            if events:
                self.bus.put_many(events)

    def _restart(self, why: str) -> None:
        where = f"{self.address[0]}:{self.address[1]}"
        _stop(self._process, self._conn)
        self._conn.close()
        self._base = (self.datagrams, self.messages, self.rejected)
        said = False
        while not self._closing.is_set():
            try:
                self._process, self._conn = self._spawn(self.address[1])
            except DeviceError as exc:
                if not said:
                    self.log.log("osc-down", f"OSC receiver down on {where} ({why}); cannot restart it "
                                             f"({exc}); trying again every {self.restart_seconds:g} s", notice=True)
                said = True
                self._closing.wait(self.restart_seconds)
                continue
            if self._closing.is_set():  # closed while it started: it must not outlive the receiver
                _stop(self._process, self._conn)
                return
            self.restarts += 1
            self.log.log("osc-restart", f"OSC receiver restarted on {where}, listening again (it stopped: {why})",
                         notice=True)
            return


def _first_reply(conn: Connection):
    try:
        if conn.poll(START_SECONDS):
            return conn.recv()
    except (EOFError, OSError):
        return "error", "the OSC process ended before it listened"
    return "error", f"the OSC process did not start within {START_SECONDS:g} s"


def _stop(process: subprocess.Popen, conn: Connection) -> None:
    try:
        conn.send(("stop", None))
    except OSError:
        pass  # already gone
    try:
        process.wait(timeout=3)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _exit_reason(process: subprocess.Popen) -> str:
    try:
        code = process.wait(timeout=1)
    except subprocess.TimeoutExpired:
        process.kill()
        return "its pipe closed"
    return f"killed by signal {-code}" if code < 0 else f"exit status {code}"


class OscFeedback:
    """Sends state changes to a panel (TouchDesigner, TouchOSC) at host:port; never blocks."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, int(port))
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.setblocking(False)
        self._last: dict[str, tuple] = {}
        self.sent = self.dropped = 0

    def send(self, address: str, *values, only_changes: bool = True) -> None:
        if only_changes and self._last.get(address) == values:
            return
        self._last[address] = values
        try:
            self._sock.sendto(osc_message(address, *values), self.target)
            self.sent += 1
        except OSError:  # buffer full or nobody listening (ICMP refused): a panel is optional
            self.dropped += 1

    def close(self) -> None:
        self._sock.close()


def osc_message(address: str, *values) -> bytes:
    """One OSC message's bytes (int32, float32, string arguments by their Python type)."""
    builder = OscMessageBuilder(address)
    for v in values:
        builder.add_arg(v)
    return builder.build().dgram


def parse_host_port(text: str, setting: str = "osc_feedback") -> tuple[str, int]:
    """'HOST:PORT' or 'PORT' (host 127.0.0.1) -> (host, port)."""
    host, _, port = text.rpartition(":")
    try:
        p = int(port)
    except ValueError:
        p = -1
    if not 0 < p < 65536:
        raise UsageError(f"`{setting}` {text!r}: expected HOST:PORT such as 127.0.0.1:{DEFAULT_FEEDBACK_PORT}",
                         setting=setting)
    return host or DEFAULT_HOST, p


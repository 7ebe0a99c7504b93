"""Fixtures for the live side: real UDP ports, a real JACK server, Xvfb, EGL."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid

import pytest


@pytest.fixture
def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OscListener:
    """A test-side OSC server: collects (address, args) sent to it."""

    def __init__(self) -> None:
        from pythonosc import osc_packet

        self._parse = osc_packet.OscPacket
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.received: list[tuple[str, tuple]] = []

    def collect(self, until, timeout: float = 5.0) -> list:
        """Receive until until(received) is true or timeout; returns received."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not until(self.received):
            try:
                data, _ = self.sock.recvfrom(65536)
            except (TimeoutError, socket.timeout):
                continue
            for m in self._parse(data).messages:
                self.received.append((m.message.address, tuple(m.message.params)))
        return self.received

    def close(self) -> None:
        self.sock.close()


def arrives(bus, send, timeout: float = 30.0) -> None:
    """send() a message to the show through a real device (UDP, JACK) and wait until it is on
    the bus. Called from a ManualClock's scheduled call, the show's clock stands still meanwhile:
    the message arrives at the loop time it was sent at, however slow the machine."""
    before = bus.received
    send()
    deadline = time.monotonic() + timeout
    while bus.received == before and time.monotonic() < deadline:
        time.sleep(0.001)
    assert bus.received > before, "the message never reached the show"


@pytest.fixture
def osc_listener():
    listener = OscListener()
    yield listener
    listener.close()


class JackServer:
    """A private JACK server (dummy driver, no realtime) named uniquely, that a test may also
    stop and start again under the same name (a performer's JACK server crashing and being
    restarted). Stopped with SIGTERM: a SIGKILLed jackd keeps its slot in JACK's machine-wide
    table of servers (eight slots), and enough of those stop every JACK server on the machine
    from starting."""

    def __init__(self, period: int = 1024) -> None:
        self.name = f"lltest-{uuid.uuid4().hex[:8]}"
        self.proc = None
        self.period = period  # frames at 48 kHz: JACK hands MIDI and audio over once a period

    def start(self) -> "JackServer":
        self._log = tempfile.TemporaryFile()  # not a pipe: a chatty server must never block on it
        env = {**os.environ, "JACK_NO_AUDIO_RESERVATION": "1", "JACK_DEFAULT_SERVER": self.name}
        self.proc = subprocess.Popen(["jackd", "--no-realtime", "-n", self.name, "-d", "dummy", "-r", "48000",
                                      "-p", str(self.period)], stdout=self._log, stderr=self._log, env=env)
        _wait_for_jack(self.proc, self.name, self._log)
        return self

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        self.proc = None


@pytest.fixture
def jack_server():
    """A private JACK server; yields its name (also made the default server for this process)."""
    if shutil.which("jackd") is None:
        pytest.fail("jackd not installed: ./setup.sh --test installs jackd2")
    server = JackServer()
    old = os.environ.get("JACK_DEFAULT_SERVER")
    os.environ["JACK_DEFAULT_SERVER"] = server.name
    try:
        server.start()
        yield server.name
    finally:
        server.stop()
        if old is None:
            os.environ.pop("JACK_DEFAULT_SERVER", None)
        else:
            os.environ["JACK_DEFAULT_SERVER"] = old


def _wait_for_jack(proc, name: str, log) -> None:
    """Until the server's socket (jack_NAME_0_0 in /dev/shm on Debian, else /tmp) appears."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            pytest.fail(f"jackd exited: {log.read().decode(errors='replace')[-500:]}")
        if any(os.path.exists(f"{d}/jack_{name}_0_0") for d in ("/dev/shm", "/tmp")):
            time.sleep(0.2)  # socket first, then the server finishes starting its clients' side
            return
        time.sleep(0.05)
    pytest.fail(f"jackd {name}: no server socket after 10 s")

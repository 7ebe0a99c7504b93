"""OSC over UDP: a receiver thread that feeds the control bus, and a feedback sender.

The only python-osc importer. We parse packets ourselves (pythonosc's osc_packet) instead of
using its Dispatcher, which swallows parse errors silently and sleeps in the receiving
thread for future time tags; here a bad packet becomes one rate-limited log line and the
receiver goes on. Nothing in this module blocks the render thread: the receiver has its own
thread, and feedback goes out on a non-blocking socket (a full socket buffer drops a message).

    osc = OscReceiver(bus, port=9331, d=128).start()
    feedback = OscFeedback("127.0.0.1", 9332)
    feedback.send("/livelatent/keyframe", 3)
"""

from __future__ import annotations

import socket
import sys
import threading
import time

from pythonosc import osc_packet
from pythonosc.osc_message_builder import OscMessageBuilder

from livelatent.errors import ControlMessageError, DeviceError, UsageError
from livelatent.mapping import osc_event

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 9331  # clear of Resolume 7000, Wekinator 6448, Autolume 1337/1338, 5005, TouchOSC 8000/9000
DEFAULT_FEEDBACK_PORT = 9332


class RateLimitedLog:
    """At most one line per key per `interval` seconds; says how many were suppressed."""

    def __init__(self, interval: float = 1.0, stream=None) -> None:
        self.interval = interval
        self.stream = stream
        self._last: dict[str, tuple[float, int]] = {}
        self.lines: list[str] = []  # everything actually printed (the HUD shows the last)

    def log(self, key: str, message: str) -> None:
        now = time.monotonic()
        last, suppressed = self._last.get(key, (-1e9, 0))
        if now - last < self.interval:
            self._last[key] = (last, suppressed + 1)
            return
        line = message + (f" (and {suppressed} more like it)" if suppressed else "")
        self._last[key] = (now, 0)
        self.lines.append(line)
        del self.lines[:-50]
        print(f"livelatent: {line}", file=self.stream or sys.stderr, flush=True)


class OscReceiver:
    """Receives OSC on host:port, turns messages into events on the bus (see mapping.osc_event).

    allow: sender IP addresses to accept (None = any); d: the latent size for /livelatent/z.
    `messages` counts every message received, `rejected` the ones dropped as malformed.
    """

    def __init__(self, bus, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, d: int | None = None,
                 allow: tuple[str, ...] | None = None, log: RateLimitedLog | None = None) -> None:
        self.bus, self.d, self.allow = bus, d, (set(allow) if allow else None)
        self.log = log or RateLimitedLog()
        self.messages = self.rejected = 0
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 21)
        try:
            self._sock.bind((host, port))
        except OSError as exc:
            self._sock.close()
            raise DeviceError(f"OSC port {host}:{port}: cannot listen ({exc.strerror}); choose another with --osc-port") from None
        self._sock.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="osc-receiver", daemon=True)

    @property
    def address(self) -> tuple[str, int]:
        return self._sock.getsockname()

    def start(self) -> "OscReceiver":
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)
        self._sock.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data, sender = self._sock.recvfrom(65536)
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            if self.allow is not None and sender[0] not in self.allow:
                self.log.log(f"sender {sender[0]}", f"OSC from {sender[0]} dropped: not in the allow-list {sorted(self.allow)}")
                continue
            self._handle_packet(data, sender)

    def _handle_packet(self, data: bytes, sender) -> None:
        try:
            messages = [m.message for m in osc_packet.OscPacket(data).messages]
        except osc_packet.ParseError as exc:
            self.rejected += 1
            self.log.log("parse", f"OSC packet of {len(data)} bytes from {sender[0]} dropped: not valid OSC ({exc})")
            return
        for msg in messages:
            self.messages += 1
            try:
                event = osc_event(msg.address, tuple(msg.params), self.d)
            except ControlMessageError as exc:
                self.rejected += 1
                self.log.log(msg.address, f"{exc}; dropped")
                continue
            except Exception as exc:  # a bug must not kill the receiver mid-show
                self.rejected += 1
                self.log.log(msg.address, f"OSC {msg.address}: {type(exc).__name__}: {exc}; dropped")
                continue
            if event is not None:
                self.bus.put(event)


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
        builder = OscMessageBuilder(address)
        for v in values:
            builder.add_arg(v)
        try:
            self._sock.sendto(builder.build().dgram, self.target)
            self.sent += 1
        except OSError:  # buffer full or nobody listening (ICMP refused): a panel is optional
            self.dropped += 1

    def close(self) -> None:
        self._sock.close()


def parse_host_port(text: str, what: str = "--osc-feedback") -> tuple[str, int]:
    """'HOST:PORT' or 'PORT' (host 127.0.0.1) -> (host, port)."""
    host, _, port = text.rpartition(":")
    try:
        p = int(port)
    except ValueError:
        p = -1
    if not 0 < p < 65536:
        raise UsageError(f"{what} {text!r}: expected HOST:PORT such as 127.0.0.1:{DEFAULT_FEEDBACK_PORT}")
    return host or DEFAULT_HOST, p

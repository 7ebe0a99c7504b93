"""OSC over UDP: a receiver thread that feeds the control bus, and a feedback sender.

The only python-osc importer. We parse packets ourselves (pythonosc's osc_packet) instead of
using its Dispatcher, which swallows parse errors silently and sleeps in the receiving
thread for future time tags; here a bad packet becomes one rate-limited log line and the
receiver goes on. Nothing in this module blocks the render thread: the receiver reads and
parses in its own process (a flood of 10,000 messages a second costs the live loop's
threads nothing but a batch of events per burst), and feedback goes out on a non-blocking
socket (a full socket buffer drops a message).

    osc = OscReceiver(bus, port=9331, d=128).start()
    feedback = OscFeedback("127.0.0.1", 9332)
    feedback.send("/livelatent/keyframe", 3)
"""

from __future__ import annotations

import os
import select
import socket
import subprocess
import sys
import threading
import time

from multiprocessing.connection import Connection

from pythonosc import osc_packet
from pythonosc.osc_message_builder import OscMessageBuilder

from livelatent.controls import coalesce_between_triggers
from livelatent.errors import ControlMessageError, DeviceError, UsageError
from livelatent.mapping import is_knob_address, osc_event

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 9331  # clear of Resolume 7000, Wekinator 6448, Autolume 1337/1338, 5005, TouchOSC 8000/9000
DEFAULT_FEEDBACK_PORT = 9332
BURST_REST = 0.001  # seconds the OSC process rests after a burst (a lone message goes at once)
START_SECONDS = 20.0  # the OSC process imports python-osc and numpy before it listens


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

    The socket is read and the messages parsed in a child process (python -m
    livelatent.live.osc), so that a flood of OSC never competes for the interpreter lock with
    the render and decode threads; the events come back in batches (one per burst) to a
    thread here that puts them on the bus. The child exits when told to, or when this
    process dies (it would otherwise keep the port).
    allow: sender IP addresses to accept (None = any); d: the latent size for /livelatent/z.
    `messages` counts every message received, `rejected` the ones dropped as malformed.
    """

    def __init__(self, bus, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, d: int | None = None,
                 allow: tuple[str, ...] | None = None, log: RateLimitedLog | None = None) -> None:
        self.bus = bus
        self.messages = self.rejected = 0
        interval = (log or RateLimitedLog()).interval
        ours, theirs = socket.socketpair()
        # a plain child process (not multiprocessing's spawn, which re-runs the caller's main script)
        self._process = subprocess.Popen(
            [sys.executable, "-m", "livelatent.live.osc", str(theirs.fileno()), host, str(port), str(d or 0),
             ",".join(allow or ()), str(interval), str(os.getpid())], pass_fds=(theirs.fileno(),))
        theirs.close()
        self._conn = Connection(ours.detach())
        kind, value = self._first_reply()
        if kind == "error":
            self._stop_process()
            raise DeviceError(f"OSC port {host}:{port}: cannot listen ({value}); choose another with --osc-port")
        self.address = tuple(value)
        self._thread = threading.Thread(target=self._pump, name="osc-events", daemon=True)

    def _first_reply(self):
        try:
            if self._conn.poll(START_SECONDS):
                return self._conn.recv()
        except (EOFError, OSError):
            return "error", "the OSC process ended before it listened"
        return "error", f"the OSC process did not start within {START_SECONDS:g} s"

    def start(self) -> "OscReceiver":
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop_process()
        if self._thread.is_alive():
            self._thread.join(timeout=3)
        self._conn.close()

    def _stop_process(self) -> None:
        try:
            self._conn.send(("stop", None))
        except OSError:
            pass  # already gone
        try:
            self._process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def _pump(self) -> None:
        """Here: batches of events from the OSC process onto the bus, in order."""
        while True:
            try:
                events, self.messages, self.rejected = self._conn.recv()
            except (EOFError, OSError, TypeError, ValueError):
                return  # the process ended (close) or sent its last word
            self.bus.put_many(events)


def _serve(conn, host: str, port: int, d, allow: tuple, interval: float, parent: int) -> None:
    """The OSC process: bind, then read, parse and forward until told to stop or orphaned."""
    try:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 21)
        sock.bind((host, port))
    except OSError as exc:
        conn.send(("error", exc.strerror or str(exc)))
        return
    conn.send(("ready", sock.getsockname()))
    sock.setblocking(False)
    listener = _Listener(sock, d, set(allow) or None, RateLimitedLog(interval))
    counted = 0
    try:
        while not (conn.poll() or os.getppid() != parent):  # a stop message, or the show process died
            batch = listener.read_burst()
            if batch or listener.messages != counted:  # events, or only rejects: the counts move on
                conn.send((batch, listener.messages, listener.rejected))
                counted = listener.messages
                if len(batch) > 1:  # a flood: rest a moment, a few sends a tick rather than one a message
                    time.sleep(BURST_REST)
    except (BrokenPipeError, EOFError, KeyboardInterrupt):
        pass
    finally:
        sock.close()


class _Listener:
    """The socket side, in the OSC process: datagrams to checked events."""

    def __init__(self, sock, d, allow, log: RateLimitedLog) -> None:
        self.sock, self.d, self.allow, self.log = sock, d, allow, log
        self.messages = self.rejected = 0
        self._knob: dict[bytes, bool] = {}  # address -> is_knob_address, for addresses seen

    def read_burst(self, timeout: float = 0.2) -> list:
        """Events of every datagram waiting, after waiting up to `timeout` for the first ([] if none).

        Knob settings a later one in the burst supersedes are left out here, before they
        cost anything (a fader streamed at 10,000 values a second crosses to the show process
        as one value a burst; a superseded message is counted but not even parsed); triggers
        all cross, in order, each after the knob values sent before it."""
        if not select.select([self.sock], [], [], timeout)[0]:
            return []
        packets = []
        while True:
            try:
                packets.append(self.sock.recvfrom(65536))  # non-blocking: ends when the queue is empty
            except (BlockingIOError, InterruptedError):
                break
        return coalesce_between_triggers(self._newest_knobs(packets))

    def _newest_knobs(self, packets: list) -> list:
        """Events of the packets, in order. Walking back from the latest, a knob message is
        skipped unparsed when a valid later one to the same address follows it with only knob
        messages in between."""
        events, valid_later = [], set()
        for data, sender in reversed(packets):
            address = self._knob_address(data)
            if address is None:
                valid_later.clear()  # a trigger, a bundle, anything else: no skipping across it
            elif address in valid_later:
                self.messages += 1
                continue
            new = self._events(data, sender)
            if address is not None and new:
                valid_later.add(address)
            events.extend(reversed(new))
        events.reverse()
        return events

    def _knob_address(self, data: bytes) -> bytes | None:
        """The address of a single-message datagram sent to a knob, else None."""
        end = data.find(b"\0")
        if not data.startswith(b"/") or end < 0:
            return None
        address = data[:end]
        knob = self._knob.get(address)
        if knob is None:
            knob = is_knob_address(address.decode("latin-1"))
            if len(self._knob) < 1024:  # a flood of ever-new addresses must not grow it forever
                self._knob[address] = knob
        return address if knob else None

    def _events(self, data: bytes, sender) -> list:
        if self.allow is not None and sender[0] not in self.allow:
            self.log.log(f"sender {sender[0]}", f"OSC from {sender[0]} dropped: not in the allow-list {sorted(self.allow)}")
            return []
        try:
            messages = [m.message for m in osc_packet.OscPacket(data).messages]
        except osc_packet.ParseError as exc:
            self.rejected += 1
            self.log.log("parse", f"OSC packet of {len(data)} bytes from {sender[0]} dropped: not valid OSC ({exc})")
            return []
        events = []
        for msg in messages:
            self.messages += 1
            try:
                event = osc_event(msg.address, tuple(msg.params), self.d)
            except ControlMessageError as exc:
                self.rejected += 1
                self.log.log(msg.address, f"{exc}; dropped")
                continue
            except Exception as exc:  # noqa: BLE001 - a bug must not kill the receiver mid-show
                self.rejected += 1
                self.log.log(msg.address, f"OSC {msg.address}: {type(exc).__name__}: {exc}; dropped")
                continue
            if event is not None:
                events.append(event)
        return events


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


def _main(argv: list[str]) -> None:
    """The OSC process: python -m livelatent.live.osc FD HOST PORT D ALLOW INTERVAL PARENT_PID."""
    fd, host, port, d, allow, interval, parent = argv
    _serve(Connection(int(fd)), host, int(port), int(d) or None, tuple(a for a in allow.split(",") if a),
           float(interval), int(parent))


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


if __name__ == "__main__":
    _main(sys.argv[1:])

"""The OSC process: reads the UDP socket, turns datagrams into checked events, sends them on.

Started by OscReceiver (live/osc.py) as `python -m livelatent.live.osc_process ...`, so that
a flood of OSC never competes for the show process's interpreter lock. It answers "ready"
(or "error") once bound, then sends batches over its pipe:

    (events, datagrams, messages, rejected, lines)

events: the burst's events, in order; the counts are totals since it started; lines: log
lines already rate-limited here (the show process prints them under its own overall limit).
A batch goes when there are events or lines, else at most every STATS_SECONDS (the counts),
and at least every HEARTBEAT_SECONDS: a receiver that goes quiet for longer is taken as hung
and restarted. It exits when told to, or when the show process dies (it would keep the port).

Every datagram is either applied or dropped with a line (osc_datagrams.py reads it without
trusting it); python-osc's own `logging` warnings go through the same rate-limited log.
Where it may, the process raises its priority a little (a real fader's message must not wait
behind the show's threads for a core) and, while a flood lasts, keeps its work within
CPU_SHARE of a core (the show's loop and model keep the rest; the kernel's buffer holds the
datagrams meanwhile).
"""

from __future__ import annotations

import logging
import os
import select
import socket
import sys
import time
from multiprocessing.connection import Connection

from livelatent.controls import coalesce_between_triggers
from livelatent.errors import ControlMessageError, shorten
from livelatent.live.osc_datagrams import BadDatagram, could_be_ours, read_datagram
from livelatent.live.ratelog import RateLimitedLog
from livelatent.mapping import is_knob_address, osc_event

RECEIVE_BUFFER = 1 << 22  # asked for; the kernel grants up to net.core.rmem_max (or more, as root)
BURST_REST = 0.01  # seconds the process rests after a burst while a flood lasts (a lone message goes at
# once): at most 100 wake-ups a second, each preempting one of the show's threads, for ~100 datagrams
CPU_SHARE = 0.3  # of a core, at most, while a flood lasts: the show's loop and model keep the rest
PRIORITY = -5  # nice, where the process may raise it (root, RLIMIT_NICE): a burst waiting for a core
# makes a real fader's message late, and the flood around it is cheap (CPU_SHARE bounds it)
MAX_BURST = 4096  # datagrams read before the burst's events are sent on
STATS_SECONDS = 0.25
HEARTBEAT_SECONDS = 1.0


def serve(conn, host: str, port: int, d, allow: tuple, interval: float, parent: int) -> None:
    """Bind, then read, parse and forward until told to stop or orphaned."""
    try:
        sock = open_socket(host, port)
    except OSError as exc:
        conn.send(("error", exc.strerror or str(exc)))
        return
    conn.send(("ready", sock.getsockname()))
    try:
        os.nice(PRIORITY)
    except OSError:
        pass  # not allowed here: it runs at the show's own priority
    lines: list[str] = []
    listener = Listener(sock, d, set(allow) or None, RateLimitedLog(interval, sink=lines.append, name="OSC"))
    logging.root.addHandler(_ToLog(listener.log))  # python-osc warns through the root logger
    logging.root.setLevel(logging.WARNING)
    try:
        _forward(conn, listener, lines, parent)
    except (BrokenPipeError, EOFError, KeyboardInterrupt):
        pass
    finally:
        sock.close()


def _forward(conn, listener: "Listener", lines: list, parent: int) -> None:
    """Read bursts and send batches on until a stop message comes or the show process dies.
    While a flood lasts it rests between bursts: at least BURST_REST, and long enough that
    its work stays within CPU_SHARE of a core."""
    sent_at, counted = time.monotonic(), None
    while not (conn.poll() or os.getppid() != parent):
        cpu = time.process_time()
        batch = listener.read_burst()
        now, counts = time.monotonic(), listener.counts()
        if batch or lines or now - sent_at >= HEARTBEAT_SECONDS or (
                counts != counted and now - sent_at >= STATS_SECONDS):
            conn.send((batch, *counts, lines[:]))
            lines.clear()
            sent_at, counted = now, counts
        if listener.last_burst > 1:  # a flood: rest, then read what came meanwhile in one burst
            time.sleep(max(BURST_REST, (time.process_time() - cpu) * (1 / CPU_SHARE - 1)))


def open_socket(host: str, port: int) -> socket.socket:
    """A non-blocking UDP socket with the largest receive buffer we may have: a burst of
    datagrams while the OSC process waits for a core must wait in the kernel, not be dropped."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
    if sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF) < RECEIVE_BUFFER and hasattr(socket, "SO_RCVBUFFORCE"):
        try:  # past net.core.rmem_max: allowed with CAP_NET_ADMIN (root, mostly)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUFFORCE, RECEIVE_BUFFER)
        except OSError:
            pass
    sock.bind((host, port))
    sock.setblocking(False)
    return sock


class Listener:
    """The socket side: datagrams to checked events."""

    def __init__(self, sock, d, allow, log: RateLimitedLog) -> None:
        self.sock, self.d, self.allow, self.log = sock, d, allow, log
        self.datagrams = self.messages = self.rejected = 0
        self.last_burst = 0
        self._knob: dict[bytes, bool] = {}  # address -> is_knob_address, for addresses seen

    def counts(self) -> tuple[int, int, int]:
        return self.datagrams, self.messages, self.rejected

    def read_burst(self, timeout: float = 0.2) -> list:
        """Events of every datagram waiting (up to MAX_BURST), after waiting up to `timeout`
        for the first ([] if none).

        Knob settings a later one in the burst supersedes are left out here, before they
        cost anything (a fader streamed at 10,000 values a second crosses to the show process
        as one value a burst; a superseded message is counted but not even parsed); triggers
        all cross, in order, each after the knob values sent before it."""
        if not select.select([self.sock], [], [], timeout)[0]:
            self.last_burst = 0
            return []
        packets, recv = [], self.sock.recvfrom
        try:
            while len(packets) < MAX_BURST:
                packets.append(recv(65536))  # non-blocking: ends when the queue is empty
        except (BlockingIOError, InterruptedError):
            pass
        self.last_burst = len(packets)
        self.datagrams += len(packets)
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
        end = data.find(b"\0", 0, 256)
        if end < 0 or not could_be_ours(data):
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
            self.rejected += 1
            if self.log.due(f"sender {sender[0]}"):
                self.log.log(f"sender {sender[0]}",
                             f"OSC from {sender[0]} dropped: not in the allow-list {sorted(self.allow)}")
            return []
        if not could_be_ours(data):  # the cheap look first: a flood of junk costs little
            self.rejected += 1
            if self.log.due("not-ours"):
                self.log.log("not-ours", f"OSC datagram of {len(data)} bytes from {sender[0]} dropped: not valid "
                                         f"OSC for livelatent (neither a message under /livelatent/ nor a bundle)")
            return []
        try:
            messages = read_datagram(data)
        except BadDatagram as exc:
            self.rejected += 1
            self.log.log("parse", f"OSC datagram of {len(data)} bytes from {sender[0]} dropped: {exc}")
            return []
        events = []
        for address, params in messages:
            self.messages += 1
            event = self._event(address, params)
            if event is not None:
                events.append(event)
        return events

    def _event(self, address: str, params: tuple):
        try:
            return osc_event(address, params, self.d)
        except ControlMessageError as exc:
            self.rejected += 1
            self.log.log(address[:40], f"{exc}; dropped")
        except Exception as exc:  # noqa: BLE001 - a bug must not kill the receiver mid-show
            self.rejected += 1
            self.log.log(address[:40], f"OSC {shorten(address)}: {type(exc).__name__}: {shorten(str(exc), 120)}; dropped")
        return None


class _ToLog(logging.Handler):
    """python-osc's logging.warning(...) lines, through our rate-limited log."""

    def __init__(self, log: RateLimitedLog) -> None:
        super().__init__(logging.WARNING)
        self._log = log

    def emit(self, record: logging.LogRecord) -> None:
        self._log.log(f"logging {record.name}", f"python-osc: {shorten(record.getMessage(), 120)}")


def main(argv: list[str]) -> None:
    """python -m livelatent.live.osc_process FD HOST PORT D ALLOW INTERVAL PARENT_PID"""
    fd, host, port, d, allow, interval, parent = argv
    serve(Connection(int(fd)), host, int(port), int(d) or None, tuple(a for a in allow.split(",") if a),
          float(interval), int(parent))


if __name__ == "__main__":
    main(sys.argv[1:])

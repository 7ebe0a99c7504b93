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

Every datagram is either applied or dropped with a line (osc_listener.py triages it on its
first bytes, osc_datagrams.py reads the rest without trusting it); python-osc's own `logging`
warnings go through the same rate-limited log. The process runs at the show's own priority,
never above it (the loop must win the cores; below it, a show on a busy machine got a fader's
messages 100-400 ms late), and while a flood lasts it rests between bursts and keeps its work
within CPU_SHARE of a core; the kernel's buffer holds the datagrams meanwhile.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
import time
from multiprocessing.connection import Connection

from livelatent.errors import shorten
from livelatent.live.osc_listener import Listener
from livelatent.live.ratelog import RateLimitedLog

RECEIVE_BUFFER = 1 << 22  # asked for; the kernel grants up to net.core.rmem_max (or more, as root)
BURST_REST = 0.01  # seconds the process rests after a burst while a flood lasts (a lone message goes at
# once): at most 100 wake-ups a second, each preempting one of the show's threads, for ~100 datagrams
CPU_SHARE = 0.3  # of a core, at most, while a flood lasts: the show's loop and model keep the rest
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

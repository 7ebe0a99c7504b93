"""A WebSocket (RFC 6455), server side, on a connection an HTTP server already accepted: the
handshake and the framing, on the standard library (OSCQuery's LISTEN, live/oscquery_listen.py).

Only what a listener needs: whole messages in (text commands, continuation frames joined),
pings answered, frames out unmasked, one close. A client frame must be masked and at most
MAX_MESSAGE bytes (commands are a line of JSON): anything else ends that connection only.

    if is_upgrade(handler.headers):
        ws = WebSocket.accept(handler.connection, handler.rfile, handler.headers["Sec-WebSocket-Key"])
        for opcode, payload in ws.messages(): ...
        ws.send(BINARY, datagram)
"""

from __future__ import annotations

import base64
import hashlib
import socket
import struct
import threading

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 section 1.3
CONTINUATION, TEXT, BINARY, CLOSE, PING, PONG = 0, 1, 2, 8, 9, 10
MAX_MESSAGE = 64 * 1024
SEND_TIMEOUT = 2.0  # seconds a send may wait on a client that stopped reading; then it is dropped


class BadFrame(Exception):
    """The client broke the protocol; its connection ends."""


def is_upgrade(headers) -> bool:
    return (headers.get("Upgrade", "").lower() == "websocket"
            and "upgrade" in headers.get("Connection", "").lower() and bool(headers.get("Sec-WebSocket-Key")))


def accept_key(key: str) -> str:
    return base64.b64encode(hashlib.sha1(key.strip().encode() + GUID).digest()).decode()


def frame(opcode: int, payload: bytes) -> bytes:
    """A whole (FIN) frame from the server: never masked."""
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, n)
    elif n < 1 << 16:
        head = struct.pack("!BBH", 0x80 | opcode, 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 127, n)
    return head + payload


def _exactly(rfile, n: int) -> bytes:
    data = rfile.read(n)
    if len(data) != n:
        raise EOFError
    return data


def read_frame(rfile) -> tuple[bool, int, bytes]:
    """(fin, opcode, unmasked payload) of the client's next frame; EOFError at the stream's end."""
    first, second = _exactly(rfile, 2)
    n = second & 0x7F
    if n == 126:
        n = struct.unpack("!H", _exactly(rfile, 2))[0]
    elif n == 127:
        n = struct.unpack("!Q", _exactly(rfile, 8))[0]
    if not second & 0x80:
        raise BadFrame("an unmasked frame from a client")
    if n > MAX_MESSAGE:
        raise BadFrame(f"a frame of {n} bytes (at most {MAX_MESSAGE})")
    mask = _exactly(rfile, 4)
    data = _exactly(rfile, n)
    unmasked = (int.from_bytes(data, "big") ^ int.from_bytes((mask * (n // 4 + 1))[:n], "big")).to_bytes(n, "big")
    return bool(first & 0x80), first & 0x0F, unmasked


class WebSocket:
    def __init__(self, sock, rfile) -> None:
        self.sock, self.rfile = sock, rfile
        self._send_lock = threading.Lock()
        self.closed = False

    @classmethod
    def accept(cls, sock, rfile, key: str) -> "WebSocket":
        """Answer the handshake (101 Switching Protocols) on `sock`; rfile: what reads it (buffered)."""
        sock.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     b"Sec-WebSocket-Accept: " + accept_key(key).encode() + b"\r\n\r\n")
        sock.settimeout(None)  # reads wait for the client; sends wait at most SEND_TIMEOUT (the kernel's)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, struct.pack("ll", int(SEND_TIMEOUT), 0))
        return cls(sock, rfile)

    def send(self, opcode: int, payload: bytes) -> bool:
        """Send one frame; False (and the connection closed) if the client cannot take it."""
        with self._send_lock:
            if self.closed:
                return False
            try:
                self.sock.sendall(frame(opcode, payload))
                return True
            except OSError:
                self._shut()
                return False

    def messages(self):
        """Each whole text or binary message as (opcode, payload), until the client closes or errs."""
        parts, kind = [], None
        try:
            while not self.closed:
                fin, opcode, payload = read_frame(self.rfile)
                if opcode == CLOSE:
                    self.send(CLOSE, payload[:2])
                    break
                if opcode == PING:
                    self.send(PONG, payload)
                    continue
                if opcode in (TEXT, BINARY):
                    parts, kind = [], opcode
                elif opcode != CONTINUATION or kind is None:
                    continue  # a pong, or a continuation of nothing
                parts.append(payload)
                if sum(map(len, parts)) > MAX_MESSAGE:
                    raise BadFrame(f"a message over {MAX_MESSAGE} bytes")
                if fin:
                    yield kind, b"".join(parts)
                    parts, kind = [], None
        except (EOFError, OSError, BadFrame):
            pass
        self.close()

    def close(self) -> None:
        with self._send_lock:
            self._shut()

    def _shut(self) -> None:
        if not self.closed:
            self.closed = True
            try:
                self.sock.shutdown(socket.SHUT_RDWR)  # a reader blocked on it returns
            except OSError:
                pass

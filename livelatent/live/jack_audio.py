"""Live sound from a JACK server through a child process: none of the show's Python ever runs on
libjack's threads, and a JACK server that dies costs the show its sound, never the show.

JACK-Client hands a block over only by running a Python callback on JACK's process thread. In
the show's process that is dangerous: a dying server makes libjack cancel its threads, and a
thread cancelled while it waits for the interpreter lock keeps the lock's mutex for ever
(live/jack_watch.py: the MIDI side froze that way); and whenever the show holds the lock (it
decodes and draws flat out) the callback misses JACK's period. So the JACK client lives in a
child process (`python -m livelatent.live.jack_audio NAME`): it connects from the first
output port whose name contains NAME and writes each period's samples, stamped with the
monotonic clock, into a pipe. libjack can only hang or end that child.

The show's side (JackAudio) reads the pipe on a thread of its own. When the child ends or
falls silent for STALL seconds (its server died), it says once that the sound is lost, ends
the child, and looks for a server every RETRY seconds through the process's one C-only
JackWatch (live/jack_server.py); when one has
the port again it starts a new child and says the sound is back.

    link = JackAudio("system:capture", on_block, now=bus.now, log=log)  # on_block(samples, loop time)
    link.rate, link.port_name, link.lost   # lost: why there is no sound now ("" while it comes)
    link.close()
"""

from __future__ import annotations

import json
import os
import queue
import select
import struct
import subprocess
import sys
import threading
import time

import numpy as np

from livelatent.errors import DeviceError
from livelatent.live.jack_server import reach
from livelatent.live.jack_watch import AUDIO_TYPE
from livelatent.live.ratelog import RateLimitedLog
from livelatent.live.service_thread import ServiceThread

CLIENT = "livelatent-audio"
EXTRA = "the sound input needs the extra: pip install 'livelatent[audio]' (JACK-Client, sounddevice)"
HEADER = struct.Struct("<dI")  # a block: the child's perf_counter() when JACK handed it over, its sample count
STARTING = 30.0  # seconds a child may take to start (Python, numpy and JACK-Client imported on a busy machine)
STALL = 2.0  # seconds without a block: the server (or the child) is gone
RETRY = 1.0  # seconds between looks for a server while the sound is lost


def jack_server_runs() -> bool:
    """A JACK server answers (the process's one watch on it: live/jack_server.py)."""
    return jack_inputs() is not None


def jack_inputs() -> list[str] | None:
    """The JACK server's audio output ports; None without a server (or while a dead server's
    clients are still closing in this process: live/jack_server.py)."""
    try:
        lease = reach()
    except (DeviceError, ImportError, OSError):
        return None
    try:
        return lease.names(kind=AUDIO_TYPE)
    finally:
        lease.close()


class JackAudio:
    """The child's blocks handed to on_block(samples, loop time) on a thread of ours; see the
    module docstring. DeviceError (one line) when there is no such port or no extra."""

    def __init__(self, name: str, on_block, *, now, log: RateLimitedLog | None = None) -> None:
        self.name, self.on_block, self.now = name, on_block, now
        self.log = log or RateLimitedLog()
        self.rate: int | None = None
        self.port_name, self.lost = "", ""
        self._child: subprocess.Popen | None = None
        self.service = ServiceThread(self._run, "livelatent-jack-audio")
        self._connect()
        self.service.start()

    def close(self) -> None:
        self.service.stop(timeout=STALL + 1)  # its reads look at `stopping` every 0.1 s
        self._end_child()

    # ---- the child ----

    def _connect(self) -> None:
        child = subprocess.Popen([sys.executable, "-m", "livelatent.live.jack_audio", self.name], bufsize=0,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self._child, self._buffer, self._ended = child, b"", False
        line = self._read_line(STARTING)
        said = json.loads(line) if line else {"error": f"the JACK client's process ended ({child.poll()})"}
        rate = said.get("rate")
        if "error" not in said and self.rate is not None and rate != self.rate:
            said["error"] = f"the JACK server now runs at {rate} Hz, not {self.rate}; restart the show"
        if "error" in said:
            self._end_child()
            raise DeviceError(f"audio input {self.name!r}: {said['error']}", setting="audio")
        self.rate, self.port_name = int(rate), said["port"]

    def _end_child(self) -> None:
        """Its stdin closed, it leaves its server cleanly; one hung by libjack is killed."""
        child, self._child = self._child, None
        if child is None:
            return
        try:
            child.stdin.close()
            child.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            child.kill()
            child.wait()
        child.stdout.close()

    def _read(self, n: int, timeout: float) -> bytes | None:
        """n bytes from the child, None when it ended or sent nothing for `timeout` seconds
        (or the link is closing)."""
        fd, waited = self._child.stdout.fileno(), 0.0
        while len(self._buffer) < n:
            if self.service.stopping.is_set() or waited >= timeout:
                return None
            if not select.select([fd], [], [], 0.1)[0]:
                waited += 0.1
                continue
            chunk, waited = os.read(fd, 1 << 16), 0.0
            if not chunk:
                self._ended = True  # the child has gone (its server's shutdown ends it at once)
                return None
            self._buffer += chunk
        got, self._buffer = self._buffer[:n], self._buffer[n:]
        return got

    def _read_line(self, timeout: float) -> bytes | None:
        line = b""
        while not line.endswith(b"\n"):
            byte = self._read(1, timeout)
            if byte is None:
                return None
            line += byte
        return line

    # ---- the link's thread ----

    def _run(self) -> None:
        while not self.service.stopping.is_set():
            if self._child is None:
                if not self.service.stopping.wait(RETRY):
                    self._reconnect()
                continue
            head = self._read(HEADER.size, STALL)
            stamp, count = HEADER.unpack(head) if head else (0.0, 0)
            data = self._read(4 * count, STALL) if head else None
            if data is None:
                if not self.service.stopping.is_set():
                    self._lose()
                continue
            self.on_block(np.frombuffer(data, "<f4"), self.now() - (time.perf_counter() - stamp))

    def _lose(self) -> None:
        self._end_child()
        self.lost = "the JACK server is gone" if self._ended or not jack_server_runs() else f"no sound for {STALL:g} s"
        self.log.log("audio-lost", f"sound input {self.port_name!r} lost ({self.lost}); the show goes on without "
                                   "it and reconnects when a JACK server has it again", notice=True)

    def _reconnect(self) -> None:
        if not any(self.name.lower() in port.lower() for port in jack_inputs() or ()):
            return
        try:
            self._connect()
        except DeviceError as exc:
            if not self.service.stopping.is_set():  # closing cuts a child's start short: nothing to say then
                self.log.log("audio-lost", str(exc))
            return
        self.lost = ""
        self.log.log("audio-back", f"sound input {self.port_name!r} is back", notice=True)


# ---- the child process ----

def main(name: str) -> int:
    out = sys.stdout.buffer
    os.environ.setdefault("JACK_NO_START_SERVER", "1")
    try:
        import jack
    except (ImportError, OSError) as exc:
        return _say(out, error=f"{EXTRA} ({exc})")
    try:
        client = jack.Client(CLIENT, no_start_server=True)
    except Exception as exc:  # noqa: BLE001 - JackOpenError, or a server going away as we looked
        return _say(out, error=f"cannot reach a JACK server ({exc})")
    outputs = client.get_ports(is_audio=True, is_output=True)
    sources = [p for p in outputs if name.lower() in p.name.lower()]
    if not sources:
        have = ", ".join(p.name for p in outputs) or "none"
        client.close()
        return _say(out, error=f"no such JACK port (have: {have}); see `livelatent devices`")
    port, blocks = client.inports.register("in"), queue.SimpleQueue()
    client.set_process_callback(lambda frames: blocks.put((time.perf_counter(), port.get_array().copy())))
    client.set_shutdown_callback(lambda status, reason: os._exit(0))  # the server is gone: so are we
    client.activate()
    client.connect(sources[0], port)
    _say(out, rate=client.samplerate, port=sources[0].name)
    threading.Thread(target=_write, args=(blocks, out), daemon=True).start()
    sys.stdin.buffer.read()  # until the show closes our stdin (or ends)
    client.deactivate()
    client.close()
    return 0


def _say(out, **what) -> int:
    out.write(json.dumps(what).encode() + b"\n")
    out.flush()
    return 1 if "error" in what else 0


def _write(blocks, out) -> None:
    while True:
        stamp, samples = blocks.get()
        try:
            out.write(HEADER.pack(stamp, len(samples)) + samples.astype("<f4").tobytes())
            out.flush()
        except (BrokenPipeError, ValueError):
            os._exit(0)  # the show has gone


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))

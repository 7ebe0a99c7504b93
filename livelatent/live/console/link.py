"""The pipe between the show and the console's process, and the process itself.

The console runs as `python -m livelatent.live.console.window` (Dear ImGui, glfw and its own
GL context in a process of its own): its drawing never holds the show's interpreter lock, and
its GLX window never shares a process with the show's EGL context. Two threads here talk to it:

  sender    newest-wins mailboxes: the last ConsoleState, the last small picture, the
            thumbnails not yet sent (one per slot, the newest), the frame-rate figures;
  receiver  what the operator did: ("action", name, args) becomes an event on the bus with
            source "console" (checked by the table of actions, logged and recorded like any
            other; a bank to load is read here, never on the loop's thread); ("layout", ...)
            where the console drew the bank; ("shot", path) answers.

The loop only ever fills a mailbox. If the console's window is closed or its process ends,
that is said once (console, HUD) and the show goes on.

    link = ConsoleLink(bus, log=log, osc_address="127.0.0.1:9331").start()
    link.publish(state); link.thumbnail(12, image); link.picture(small_image)
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from multiprocessing.connection import Connection

from livelatent.errors import ControlMessageError, LivelatentError
from livelatent.instrument.actions import make
from livelatent.live.ratelog import RateLimitedLog

# what a console may send: every action of the table but quitting the show and a raw z
CONSOLE_ACTIONS = frozenset({"keyframe", "keyframe.next", "keyframe.random", "store", "bank.load", "motion", "mover",
                             "noise", "model.psi", "model.class", "snapshot", "grid", "record.start", "record.stop",
                             "record.toggle", "hud", "learn", "tempo", "tempo.tap", "quantise", "settle_beats",
                             "output.enable"})
STOP_SECONDS = 3.0
# the console's Mesa llvmpipe (no GPU) rasterizes in its drawing thread, not on threads of its
# own, one per core, that would wake on every core at once beside the show's decoding (GPU
# drivers ignore it)
CONSOLE_ENVIRONMENT = {"LP_NUM_THREADS": "0"}


class ConsoleLink:
    def __init__(self, bus, *, log: RateLimitedLog | None = None, osc_address: str = "", monitor: int | None = None,
                 window_size: tuple[int, int] = (1180, 720), title: str = "livelatent console") -> None:
        self.bus, self.log, self.osc_address = bus, log or RateLimitedLog(), osc_address
        self.settings = {"monitor": monitor, "size": tuple(window_size), "title": title, "parent": os.getpid()}
        self.layout: dict = {}  # the console's last ("layout", ...): where each slot's cell is drawn
        self.actions = 0  # actions received from the console
        self.closed = threading.Event()
        self._cond = threading.Condition()
        self._state = self._sent_state = self._picture = None
        self._thumbs: dict[int, object] = {}
        self._queue: list = []  # messages sent in order (figures, screenshot requests)
        self._shots: dict[str, threading.Event] = {}
        self._process = self._conn = None
        self._stopping = False

    # ---- lifecycle ----

    def start(self) -> "ConsoleLink":
        ours, theirs = socket.socketpair()
        self._process = subprocess.Popen([sys.executable, "-m", "livelatent.live.console.window",
                                          str(theirs.fileno())], pass_fds=(theirs.fileno(),),
                                         env={**os.environ, **CONSOLE_ENVIRONMENT})
        theirs.close()
        self._conn = Connection(ours.detach())
        self._queue.append(("settings", self.settings))
        for target, name in ((self._send_loop, "console-send"), (self._receive_loop, "console-receive")):
            threading.Thread(target=target, name=name, daemon=True).start()
        return self

    def close(self) -> None:
        self._stopping = True
        with self._cond:
            self._queue.append(("stop", None))
            self._cond.notify_all()
        if self._process is not None:
            try:
                self._process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self._process.terminate()
                self._process.wait()
        self.closed.set()
        with self._cond:
            self._cond.notify_all()

    # ---- the loop's side: mailboxes, never waiting ----

    @property
    def sent_state(self):
        """The last ConsoleState sent to the console (None before the first)."""
        return self._sent_state

    def publish(self, state) -> None:
        with self._cond:
            if state != self._sent_state:
                self._state = state
                self._cond.notify_all()

    def picture(self, image) -> None:
        with self._cond:
            self._picture = image
            self._cond.notify_all()

    def thumbnail(self, slot: int, image) -> None:
        with self._cond:
            self._thumbs[slot] = image
            self._cond.notify_all()

    def stats(self, t: float, fps: float, decode_ms: float) -> None:
        self._send_later(("stats", (float(t), float(fps), float(decode_ms))))

    def screenshot(self, path: str, timeout: float = 30.0) -> bool:
        """Ask the console to save its next drawn window as an .npy (H, W, 3) at `path`; True
        once it has (tests and the docs' pictures; blocks the caller, never the loop)."""
        done = self._shots.setdefault(str(path), threading.Event())
        self._send_later(("shot", str(path)))
        return done.wait(timeout)

    def _send_later(self, message) -> None:
        with self._cond:
            self._queue.append(message)
            self._cond.notify_all()

    # ---- the sender thread ----

    def _send_loop(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._queue or self._state is not None or self._picture is not None
                                    or self._thumbs or self.closed.is_set())
                if self.closed.is_set() and not self._queue:
                    return
                # what the loop published goes first: a screenshot asked for after a change
                # must show it (the queue's requests follow the state they were asked after)
                out = []
                if self._state is not None:
                    out.append(("state", self._state))
                    self._sent_state, self._state = self._state, None
                if self._picture is not None:
                    out.append(("picture", self._picture))
                    self._picture = None
                out += [("thumb", item) for item in self._thumbs.items()]
                self._thumbs = {}
                out, self._queue = out + self._queue, []
            try:
                for message in out:
                    self._conn.send(message)
            except OSError:
                self._gone("its pipe closed")
                return

    # ---- the receiver thread ----

    def _receive_loop(self) -> None:
        while True:
            try:
                kind, value = self._conn.recv()
            except (EOFError, OSError):
                self._gone(self._exit_reason())
                return
            if kind == "action":
                self._act(*value)
            elif kind == "layout":
                self.layout = value
            elif kind == "shot":
                self._shots.setdefault(value, threading.Event()).set()
            elif kind == "error":
                self.log.log("console", f"console: {value}; the show goes on without it", notice=True)

    def _act(self, action: str, args) -> None:
        try:
            if action not in CONSOLE_ACTIONS:
                raise ControlMessageError(f"action {action!r}: not one a console may send")
            event = make(action, *args, source="console")
        except LivelatentError as exc:
            self.log.log(f"console {action}", f"console: {exc}; dropped")
            return
        self.actions += 1
        self.bus.put(event)

    def _gone(self, why: str) -> None:
        if not self.closed.is_set() and not self._stopping:
            self.closed.set()
            self.log.log("console", f"console closed ({why}); the show goes on", notice=True)
        self.closed.set()
        with self._cond:
            self._cond.notify_all()

    def _exit_reason(self) -> str:
        code = self._process.poll() if self._process is not None else None
        return "its window was closed" if code in (0, None) else f"its process ended with status {code}"

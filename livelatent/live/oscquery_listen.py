"""OSCQuery's LISTEN: values pushed to the clients that asked, as they change.

A client opens a WebSocket on the OSCQuery port (live/oscquery.py hands the upgraded
connection here, on that connection's own HTTP thread) and sends text commands:

    {"COMMAND": "LISTEN", "DATA": "/livelatent/motion/damping"}    push this address's value
    {"COMMAND": "IGNORE", "DATA": "/livelatent/motion/damping"}    stop

From then on, whenever that value changes the client gets the OSC message itself
(`/livelatent/motion/damping ,f 0.42`) as a binary frame, as OSCQuery's proposal says.

The show never waits for a client: the loop publishes its values (address -> value, what the
OSC feedback reads) into a newest-wins mailbox; the pusher thread compares them with the last
it saw and sends what changed to the clients that listen. A client that stops reading is
dropped after SEND_TIMEOUT (live/websocket.py); a bad command is one line on the console.

    listeners = Listeners(log=log).start()
    listeners.publish({"noise": 0.25, ...})         # the loop: returns at once
    listeners.serve(websocket)                      # an HTTP thread: until the client goes
"""

from __future__ import annotations

import json
import threading

from livelatent.instrument.actions import OSC_PREFIX
from livelatent.live.mailbox import Mailbox
from livelatent.live.osc import osc_message
from livelatent.live.ratelog import RateLimitedLog
from livelatent.live.service_thread import ServiceThread
from livelatent.live.websocket import BINARY, TEXT

_UNSEEN = object()


class Listeners:
    def __init__(self, *, log: RateLimitedLog | None = None) -> None:
        self.log = log or RateLimitedLog()
        self.pushed = 0  # messages sent, all clients together
        self._clients: dict = {}  # WebSocket -> the full paths it listens to
        self._cond = threading.Condition()
        self._values = Mailbox()  # the newest values not yet compared
        self._seen: dict = {}  # full path -> the value last compared
        self._service = ServiceThread(self._run, "oscquery-listen", wake=self._values.wake)

    def start(self) -> "Listeners":
        self._service.start()
        return self

    def close(self) -> None:
        self._service.ask_to_stop()
        with self._cond:
            clients = list(self._clients)
        for ws in clients:
            ws.close()  # a push blocked on a client that stopped reading ends here
        self._service.stop(timeout=3)

    @property
    def listening(self) -> bool:
        return any(self._clients.values())

    # ---- the loop's side ----

    def publish(self, values: dict) -> None:
        """The show's values now (address under the prefix -> value); the newest replaces any unsent."""
        self._values.put(values)

    # ---- a client's HTTP thread ----

    def serve(self, ws) -> None:
        with self._cond:
            self._clients[ws] = set()
        try:
            for opcode, payload in ws.messages():
                if opcode == TEXT:
                    self._command(ws, payload)
        finally:
            with self._cond:
                self._clients.pop(ws, None)

    def _command(self, ws, payload: bytes) -> None:
        try:
            command = json.loads(payload)
            verb, path = command["COMMAND"], command["DATA"]
            if verb not in ("LISTEN", "IGNORE") or not isinstance(path, str):
                raise ValueError
        except (ValueError, TypeError, KeyError):
            self.log.log("oscquery-listen", f"OSCQuery: a WebSocket command {payload[:80]!r}: expected "
                                            '{"COMMAND": "LISTEN" or "IGNORE", "DATA": "/livelatent/..."}; ignored')
            return
        with self._cond:
            paths = self._clients.get(ws)
            if paths is not None:
                (paths.add if verb == "LISTEN" else paths.discard)(path)

    # ---- the pusher thread ----

    def _run(self) -> None:
        while True:
            values = self._values.take()
            if self._service.stopping.is_set():
                return
            if values is None:
                continue
            with self._cond:
                audience = {ws: set(paths) for ws, paths in self._clients.items() if paths}
            for path, value in self._changes(values).items():
                message = None
                for ws, paths in audience.items():
                    if path in paths:
                        message = message or osc_message(path, value)
                        self.pushed += ws.send(BINARY, message)

    def _changes(self, values: dict) -> dict:
        """Full path -> value, for each value that differs from the last one seen."""
        changed = {}
        for address, value in values.items():
            path = f"{OSC_PREFIX}/{address}"
            if self._seen.get(path, _UNSEEN) != value:
                self._seen[path] = changed[path] = value
        return changed

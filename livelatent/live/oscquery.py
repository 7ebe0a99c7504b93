"""OSCQuery: the OSC address space, with types, ranges and current values, over HTTP + JSON.

TouchDesigner's OSCQuery-aware operators, Chataigne and Vezér read it to list livelatent's
parameters without anyone typing addresses. The tree comes from the table of actions
(instrument/osc_tree.py); the values are the state the show sends back as OSC feedback
(live/feedback.py), refreshed by the loop at most VALUE_RATE times a second into a newest-wins
slot that the HTTP threads read. Served by the standard library's HTTP server on the OSC host
(127.0.0.1 unless `osc_host` says otherwise), on the OSC port's number over TCP by default.

    GET /                          the whole tree
    GET /livelatent/motion         a branch;  GET /livelatent/noise?VALUE  one attribute
    GET /?HOST_INFO                name, OSC port and transport, the extensions served
    WebSocket on the same port     LISTEN / IGNORE: values pushed as they change (live/oscquery_listen.py)

Where OSC listens beyond loopback, live/announce.py announces it over mDNS (_oscjson._tcp).
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from livelatent.errors import DeviceError
from livelatent.instrument.osc_tree import osc_tree
from livelatent.live.feedback import VALUES
from livelatent.live.oscquery_listen import Listeners
from livelatent.live.websocket import WebSocket, is_upgrade
from livelatent.instrument.actions import MOTION_PARAMS

VALUE_RATE = 10.0
LISTEN_RATE = 30.0  # while a client listens: a TouchDesigner fader following a knob moves smoothly
EXTENSIONS = {"ACCESS": True, "VALUE": True, "RANGE": True, "DESCRIPTION": True, "TYPE": True, "LISTEN": True}


class OscQueryServer:
    def __init__(self, *, host: str, port: int, osc_port: int, slots: int, movers, log=None) -> None:
        self.osc_port, self.slots, self.movers, self.log = osc_port, slots, tuple(movers), log
        self.values: dict = {}
        self._at = -1e9
        self.listeners = Listeners(log=log)
        try:
            self.http = ThreadingHTTPServer((host, port), _handler(self))
        except OSError as exc:
            raise DeviceError(f"OSCQuery on {host}:{port}: cannot listen ({exc.strerror or exc}); choose another "
                              "with `oscquery_port` (0: none)", setting="oscquery_port") from None
        self.http.daemon_threads = True
        self.address = self.http.server_address[:2]
        self._thread = threading.Thread(target=self.http.serve_forever, name="oscquery", daemon=True)

    def start(self) -> "OscQueryServer":
        self.listeners.start()
        self._thread.start()
        return self

    def close(self) -> None:
        self.http.shutdown()
        self.listeners.close()
        self.http.server_close()

    # ---- the loop's side ----

    def drawn(self, app) -> None:
        now = app.clock.now()
        if now - self._at >= 1.0 / (LISTEN_RATE if self.listeners.listening else VALUE_RATE):
            self._at = now
            self.values = current_values(app.show_state)  # one reference swapped: the readers see old or new
            self.listeners.publish(self.values)

    # ---- the HTTP threads' side ----

    def answer(self, path: str, query: str) -> dict | None:
        if query == "HOST_INFO":
            return {"NAME": "livelatent", "OSC_IP": self.address[0], "OSC_PORT": self.osc_port,
                    "OSC_TRANSPORT": "UDP", "EXTENSIONS": EXTENSIONS}
        node = osc_tree(slots=self.slots, movers=self.movers, values=self.values)
        for part in (p for p in path.split("/") if p):
            node = node.get("CONTENTS", {}).get(part)
            if node is None:
                return None
        if query:
            return {query: node[query]} if query in node else None
        return node


def current_values(show) -> dict:
    """address (under the prefix) -> its value now, for every state address of the feedback."""
    out = {}
    for address, read in VALUES.items():
        if "<param>" in address:
            out.update({address.replace("<param>", p): read(show, p) for p in MOTION_PARAMS})
        elif (value := read(show)) is not None:
            out[address] = value
    return out


def _handler(server: OscQueryServer):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            if is_upgrade(self.headers):  # a LISTEN client: this thread serves it until it goes
                self.close_connection = True
                server.listeners.serve(WebSocket.accept(self.connection, self.rfile, self.headers["Sec-WebSocket-Key"]))
                return
            url = urlsplit(self.path)
            body = server.answer(url.path, url.query)
            data = json.dumps(body).encode() if body is not None else b""
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass  # a request per panel refresh: not the show's console's business

    return Handler


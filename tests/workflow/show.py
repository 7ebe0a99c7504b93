"""The performer's side of the workflow test: an OSC panel on 127.0.0.1 that waits for the
show to answer (its first feedback: the show is up and listening), then plays a cue list."""

from __future__ import annotations

import socket
import threading
import time

from pythonosc.udp_client import SimpleUDPClient


class OscPanel:
    """Sends cues to the show's OSC port once the show's feedback reaches this panel's port."""

    def __init__(self, show_port: int, cues: list[tuple[float, str, object]]) -> None:
        self.cues = cues
        self.show_port = show_port
        self.sent: list[str] = []
        self._client = SimpleUDPClient("127.0.0.1", show_port)
        self._feedback = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._feedback.bind(("127.0.0.1", 0))
        self._feedback.settimeout(30)
        self.feedback_port = self._feedback.getsockname()[1]
        self._thread = threading.Thread(target=self._play, name="osc-panel", daemon=True)

    def __enter__(self) -> "OscPanel":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._thread.join(timeout=10)
        self._feedback.close()

    def _play(self) -> None:
        try:
            self._feedback.recvfrom(65536)  # the show sends its whole state as its loop starts
        except OSError:
            return
        start = time.monotonic()
        for at, address, value in self.cues:
            time.sleep(max(0.0, start + at - time.monotonic()))
            self._client.send_message(address, value)
            self.sent.append(address)

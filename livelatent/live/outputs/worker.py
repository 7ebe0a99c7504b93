"""One output's thread: takes the newest frame from its mailbox, converts it, sends it.

The loop only put()s into the mailbox (live/mailbox.py); opening the device or the
network source, converting pixels and sending happen here, so a slow, absent or failing
receiver never delays the picture. A failure (device removed, network gone) is one line on
the console and the HUD, and the output reopens in the background every RETRY_SECONDS.

    worker = OutputWorker(spec, make_sink, show_size=Size(256, 256), log=log)
    worker.submit(OutFrame(image, k=12, take="", rate=Fraction(60)))
    worker.status()       # OutputStatus(name, state, receivers, sent, dropped, repeated)
    worker.close()

A sink is what a protocol module (ndi.py, v4l2.py, ...) makes: `pixel_format`, open(size,
rate), send(pixels, frame), receivers() (None when the protocol cannot tell), close().
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from livelatent.common.output_spec import OutputSpec
from livelatent.common.sizes import Size
from livelatent.errors import shorten
from livelatent.live.outputs.convert import convert
from livelatent.live.mailbox import Mailbox
from livelatent.live.outputs.pacing import FixedRate

RETRY_SECONDS = 2.0  # between attempts to reopen a failed output
POLL_SECONDS = 0.25  # the longest the thread waits without looking at its receivers


@dataclass(frozen=True)
class OutFrame:
    """A frame as the window shows it: the clean decoded picture (never the HUD)."""

    image: np.ndarray  # (H, W, 3) uint8, not changed after it is submitted
    k: int  # its frame number: the take's row while recording, else the display grid's
    take: str  # the take's id while recording, else ""
    rate: Fraction  # the show's frame grid: the take's fps while recording, else the display's
    decoded_at: float = 0.0  # time.time() when its decode ended (receive latency is measured from it)


@dataclass(frozen=True)
class OutputStatus:
    name: str
    spec: str
    state: str  # off, opening, sending, no receiver, failed: ...
    receivers: int | None
    sent: int
    dropped: int
    repeated: int
    enabled: bool


class OutputWorker:
    def __init__(self, spec: OutputSpec, make_sink, *, show_size: Size, show_rate: Fraction, log,
                 enabled: bool = True) -> None:
        self.spec, self._make_sink, self.log = spec, make_sink, log
        self.size = spec.size or show_size
        self.rate = Fraction(spec.rate.value) if spec.rate else Fraction(show_rate)
        self.enabled = enabled
        self.state, self.receivers = "opening" if enabled else "off", None
        self.sent = self.dropped = self.repeated = 0
        self._box, self._sink = Mailbox(), None
        self._last = self._sent_last = None  # the newest frame taken; the last one sent
        self._polled = 0.0  # when the receivers were last counted
        self._said = ""  # the failure last said: a retry failing the same way is not said again
        self._closed = threading.Event()
        self._pacer = None
        self._thread = threading.Thread(target=self._run, name=f"livelatent-output-{spec.name}", daemon=True)
        self._thread.start()

    # ---- the loop's side: never waits ----

    def submit(self, frame: OutFrame) -> None:
        if self.enabled and self._box.put(frame):
            self.dropped += 1

    def enable(self, on: bool) -> None:
        self.enabled = on
        self._box.wake()

    def status(self) -> OutputStatus:
        return OutputStatus(self.spec.name, str(self.spec), self.state, self.receivers, self.sent, self.dropped,
                            self.repeated, self.enabled)

    def close(self, timeout: float = 5.0) -> None:
        self._closed.set()
        self._box.wake()
        self._thread.join(timeout)

    # ---- the output's thread ----

    def _run(self) -> None:
        while not self._closed.is_set():
            if not self.enabled:
                self._close_sink("off")
                self._box.take(POLL_SECONDS)
            elif self._sink is None and not self._open():
                self._closed.wait(RETRY_SECONDS)
            else:
                self._step()
        self._close_sink("off")

    def _open(self) -> bool:
        was_failing, self.state = self.state.startswith("failed"), "opening"
        try:
            sink = self._make_sink(self.spec)
            sink.open(self.size, self.rate)
        except Exception as exc:  # noqa: BLE001 - any failure: said once, retried, the show goes on
            return self._failed("cannot open", exc)
        self._sink, self._pacer = sink, FixedRate(self.rate, time.monotonic()) if self.spec.rate else None
        self.state = "sending"
        if was_failing:
            self._said = ""
            self.log.log(f"output {self.spec.name} back", f"output {self.spec}: back", notice=True)
        return True

    def _step(self) -> None:
        """Send the newest frame (at the fixed rate's ticks, repeating the last one when none
        is new), and the current one again at once to a receiver that has just connected."""
        wait = POLL_SECONDS if self._pacer is None else min(POLL_SECONDS, self._pacer.next_at() - time.monotonic())
        frame = self._box.take(wait)
        if frame is not None:
            self._last = frame
        if self._pacer is not None:
            frame = self._last if self._pacer.due(time.monotonic()) else None
        joined = self._poll_receivers()
        if frame is None and joined:
            frame = self._last
        if frame is not None and self.enabled:
            self._send(frame)

    def _send(self, frame: OutFrame) -> None:
        try:
            self._sink.send(convert(frame.image, self.size, self._sink.pixel_format), frame)
        except Exception as exc:  # noqa: BLE001
            self._failed("cannot send", exc)
            self._close_sink(self.state)
            return
        if frame is self._sent_last:
            self.repeated += 1
        self._sent_last = frame
        self.sent += 1

    def _poll_receivers(self) -> bool:
        """Look at the receivers (at most every POLL_SECONDS); True when one has joined."""
        now = time.monotonic()
        if now - self._polled < POLL_SECONDS and self.receivers is not None:
            return False
        self._polled = now
        try:
            count = self._sink.receivers()
        except Exception:  # noqa: BLE001 - a count is not worth failing the output for
            count = None
        joined = count is not None and count > (self.receivers or 0)
        self.receivers = count
        self.state = "no receiver" if count == 0 else "sending"
        return joined

    def _failed(self, what: str, exc: Exception) -> bool:
        message = shorten(f"{type(exc).__name__}: {exc}" if not str(exc) else str(exc), 160)
        self.state = f"failed: {message}"
        if message != self._said:
            self._said = message
            self.log.log(f"output {self.spec.name}",
                         f"output {self.spec}: {what}: {message}; retrying every {RETRY_SECONDS:g} s", notice=True)
        return False

    def _close_sink(self, state: str) -> None:
        sink, self._sink = self._sink, None
        self.state, self.receivers = state, None
        if sink is not None:
            try:
                sink.close()
            except Exception:  # noqa: BLE001 - closing a broken device must not end the thread
                pass

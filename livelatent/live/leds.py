"""Controller LEDs that show the bank: MIDI out from a thread of its own, only what changed.

The loop hands the state to show after each draw (drawn(app): a few dozen comparisons, at
most RATE times a second); the sender thread sends the messages whose value changed since
it last sent them (coalesced: a pad that changed twice meanwhile is sent once, as it is now)
and never makes the loop wait. It looks for its port every POLL_SECONDS: a controller
unplugged and plugged back (or first plugged in mid-show) gets every LED sent again. Under JACK
the server itself may die and return: the sender holds a lease on it (live/jack_server.py, the
process's one watch, shared with the MIDI inputs), closes its client as soon as the server has
gone (said once), looks for a server every SERVER_RETRY seconds, and lights every LED again
once the port is back on the new one. Every LED is also sent again every REFRESH_SECONDS (and
just after the port opens): a JACK client that misses a period under load loses that period's
MIDI, and a pad left the wrong colour would stay so. What lights for what is data: the
preset's [[midi.feedback]] entries (instrument/led_map.py).

    leds = LedFeedback("APC mini mk2", preset.midi.feedback, log=log).start()
    app.panels.append(leds)
"""

from __future__ import annotations

import threading
import time

from livelatent.errors import DeviceError
from livelatent.instrument.led_map import LedShow, led_messages
from livelatent.instrument.slot_states import slot_states
from livelatent.live import midi_ports
from livelatent.live.ratelog import RateLimitedLog
from livelatent.live.service_thread import ServiceThread

RATE = 30.0  # LED states a second at most
POLL_SECONDS = 0.25  # between looks for the port (replugs)
SERVER_RETRY = 1.0  # between looks for a JACK server that has gone
REFRESH_SECONDS = 2.0  # every LED sent again this often: a message lost on the way is mended
CONNECTED_SECONDS = 0.5  # ... and this long after the port opens (JACK drops what comes before it connects)


class LedFeedback:
    def __init__(self, output: str, entries, *, log: RateLimitedLog | None = None) -> None:
        self.output, self.entries = output, tuple(e for e in entries if e.output == output)
        self.log = log or RateLimitedLog()
        self.port = ""  # the open port's name, "" while there is none
        self.sent_messages = 0
        self._wanted: dict = {}
        self._sent: dict = {}  # what the device shows, as far as we know
        self._cond = threading.Condition()
        self._shown_at = -1e9
        self._server_down = False  # the JACK server went away (said once); looking for it again
        self._refresh_at = 0.0  # time.monotonic() when every LED is sent again
        self._service = ServiceThread(self._run, f"leds-{output}", wake=self._notify)

    def start(self) -> "LedFeedback":
        self._service.start()
        return self

    def close(self) -> None:
        self._service.stop(timeout=3)

    def _notify(self) -> None:
        with self._cond:
            self._cond.notify_all()

    # ---- the loop's side ----

    def drawn(self, app) -> None:
        now = app.clock.now()
        if now - self._shown_at < 1.0 / RATE:
            return
        self._shown_at = now
        perf = app.perf
        self.show(LedShow(slots=slot_states(perf.bank.labels, perf.target_slot, perf.current_slot),
                          recording=app.recording, hud=app.hud_on,
                          learning=bool(app.midi is not None and app.midi.learning)))

    def show(self, state: LedShow) -> None:
        """Light the LEDs for `state` (returns at once; the thread sends what changed)."""
        wanted = led_messages(self.entries, state)
        with self._cond:
            if wanted != self._wanted:
                self._wanted = wanted
                self._cond.notify_all()

    def wanted(self) -> dict:
        """Every LED the show wants lit now: key -> the MIDI message that lights it."""
        with self._cond:
            return dict(self._wanted)

    # ---- the sender thread ----

    def _run(self) -> None:
        client = lease = None
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._service.stopping.is_set() or (self.port and self._wanted != self._sent),
                                    SERVER_RETRY if self._server_down else POLL_SECONDS)
                if self._service.stopping.is_set():
                    break
                refresh = bool(self.port) and time.monotonic() >= self._refresh_at
                changed = dict(self._wanted) if refresh else \
                    {k: m for k, m in self._wanted.items() if self._sent.get(k) != m}
            try:
                if lease is not None and lease.gone:
                    client, lease = self._server_gone(client, lease)
                if client is None:
                    client, lease = self._connect()
                self._follow_port(client)
                if self.port and changed:
                    for key, message in changed.items():
                        client.send_message(list(message))
                        self._sent[key] = message
                    self.sent_messages += len(changed)
                if refresh:
                    self._refresh_at = time.monotonic() + REFRESH_SECONDS
            except DeviceError:
                pass  # the JACK server is down: said once when it went; looked for every SERVER_RETRY
            except Exception as exc:  # noqa: BLE001 - rtmidi's errors: the LEDs wait, the show goes on
                self.log.log("leds", f"LEDs on {self.output!r}: {type(exc).__name__}: {exc}; will retry")
                client, lease = _let_go(client, lease)
                self.port, self._sent = "", {}
        _let_go(client, lease)

    def _connect(self):
        """An output client, and under JACK the lease on its server (DeviceError while none runs)."""
        lease = midi_ports.server_lease()
        try:
            client = midi_ports.output_client(lease)
        except BaseException:
            _let_go(None, lease)
            raise
        if self._server_down:
            self._server_down = False
            self.log.log("leds-server", f"LEDs: the JACK server is back; looking for {self.output!r}", notice=True)
        return client, lease

    def _server_gone(self, client, lease):
        """Its clients closed at once (before any client of a new server opens: live/jack_server.py)."""
        _let_go(client, lease)
        self.port, self._sent, self._server_down = "", {}, True
        self.log.log("leds-server", f"LEDs: JACK server gone; {self.output!r} will be lit again when it returns",
                     notice=True)
        return None, None

    def _follow_port(self, client) -> None:
        """Open the port when it appears, close it when it goes; on opening, every LED is sent again."""
        names = client.get_ports()
        match = next((n for n in names if self.output.lower() in n.lower()), None)
        if self.port and self.port not in names:
            client.close_port()
            self.port = ""
            self.log.log("leds-gone", f"LEDs: {self.output!r} disappeared; will light it again when it returns",
                         notice=True)
        if not self.port and match is not None:
            client.open_port(names.index(match))
            self.port, self._sent = match, {}  # a device plugged (back) in shows nothing we sent before
            self._refresh_at = time.monotonic() + CONNECTED_SECONDS  # and all again once JACK has connected it
            self.log.log("leds-open", f"LEDs: lighting {match!r}")


def _let_go(client, lease):
    """Close the client, then its lease on the server (the order live/jack_server.py needs)."""
    if client is not None:
        try:
            client.close_port()
            client.delete()
        except Exception:  # noqa: BLE001 - the device or the server is already gone
            pass
    if lease is not None:
        lease.close()
    return None, None

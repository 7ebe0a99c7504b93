"""The process's one watch on its JACK server, shared by everything that opens JACK clients.

The MIDI inputs (live/midi.py, live/clock_in.py) and the LED senders (live/leds.py) each open
rtmidi clients on the JACK server. When the server dies, every one of those clients belongs to
a dead server, and libjack crashes when a dead server's client is closed after a client of a
new server has been opened in the same process (a segfault in libjack, seen with the MIDI
input and the LED sender each watching the server with a JackWatch of its own). So:

  - one JackWatch (live/jack_watch.py) for the whole process: one client that hears the
    server end (through a semaphore: no Python ever runs on libjack's threads);
  - each user holds a Lease on the server it reached: `gone` once that server has ended;
  - a user whose lease is gone closes its clients, then its lease;
  - no client of a new server is opened while a lease on a dead one is open: the dead watch
    is closed with the last of them, and only then is the new server reached.
    Opening a client (open()) checks, under the same lock, that its server still runs.

    lease = reach()                 # DeviceError while there is no server (or a dead one's
                                    # clients are still open somewhere in the process)
    rt = lease.open(lambda: rtmidi.MidiOut(...))
    lease.names()                   # other clients' MIDI output ports now
    if lease.gone: rt.delete(); lease.close()
"""

from __future__ import annotations

import threading

from livelatent.errors import DeviceError

_lock = threading.RLock()
_watch = None  # the JackWatch of the server reached (None: none now)
_leases = 0  # leases open, all on _watch's server: another server is reached only when none is


class Lease:
    """One user's hold on the server reached: `gone` once it has ended."""

    def __init__(self, period: float) -> None:
        self.closed = False
        # the server's period when reached (JACK delivers MIDI once a period): kept, not asked,
        # as the MIDI clock's reader thread reads it and must never wait for the lock while
        # another thread opens a client
        self.period = period

    @property
    def gone(self) -> bool:
        with _lock:
            return self.closed or _watch is None or _watch.gone

    def names(self, kind: bytes | None = None) -> list[str]:
        """Other clients' MIDI (or `kind`: jack_watch.AUDIO_TYPE) output ports ("client:port")
        now; [] once the server is gone."""
        with _lock:
            return [] if self.gone else _watch.names(kind=kind)

    def open(self, make):
        """make() a client of this server (an rtmidi port), unless the server has ended."""
        with _lock:
            if self.gone:
                raise DeviceError("the JACK server has gone")
            return make()

    def close(self) -> None:
        """Its user has closed every client it opened under this lease; the watch goes with the last."""
        global _leases
        with _lock:
            if self.closed:
                return
            self.closed = True
            _leases -= 1
            if _leases == 0:
                _close_watch()


def reach() -> Lease:
    """A lease on the running server (the watch opened if need be); DeviceError while there
    is none, or while a dead server's clients are still open in this process."""
    global _watch, _leases
    from livelatent.live.jack_watch import JackWatch

    with _lock:
        if _watch is not None and _watch.gone:
            if _leases:
                raise DeviceError("MIDI (UNIX_JACK): the JACK server has gone; its clients are closing")
            _close_watch()
        if _watch is None:
            _watch = JackWatch()  # DeviceError without a server
        _leases += 1
        return Lease(_watch.period_seconds())


def _close_watch() -> None:
    global _watch
    watch, _watch = _watch, None
    if watch is not None:
        watch.close()

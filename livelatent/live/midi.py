"""MIDI input (python-rtmidi) feeding the control bus; survives unplug and replug, and its
server (JACK, the ALSA sequencer) going away and coming back.

With live/midi_ports.py (the backend, listing and opening ports) the only rtmidi user;
live/jack_watch.py reaches rtmidi's libjack through ctypes. Messages go through
mapping.midi_event to the bus; anything unmapped (other channels, pitch bend) is ignored,
and sysex, clock and active sensing are dropped inside rtmidi.

Messages wait in rtmidi's own queue until a reader thread of ours takes them, every
READ_SECONDS. rtmidi's callbacks (which mido always uses) run Python in the MIDI system's
own thread, JACK's process thread: whenever the show held the interpreter lock (it decodes
and draws flat out) that thread waited for it past JACK's period, and JACK handed the late
client a stale or an overwritten buffer: at 100 notes/s, 2 of every 100 notes were lost and 2
delivered twice. In the queue, rtmidi keeps them in C, and nothing of ours ever runs in that
thread. A port closed because its device went away is read empty first.

A watcher thread looks for the port four times a second (never on a JACK callback: see
live/jack_watch.py for why no Python runs on JACK's threads): a device that disappears is reported once, and reopened (reported once more) when
it returns. When the server itself goes away (JACK says so through a semaphore) the port is
closed and that is said once on the console, the HUD and /livelatent/error; the watcher
looks for a server every API_DOWN_RETRY seconds and reopens the port when one is back.
The render loop never touches any of this.

    midi = MidiInput(bus, "nanoKONTROL2", preset.midi.map, on_learned=save).start()
    midi.arm_learn("motion/damping")   # the next control moved is bound to the damping knob
"""

from __future__ import annotations

import threading

from livelatent.errors import ControlMessageError, DeviceError, LivelatentError
from livelatent.live import midi_ports
from livelatent.live.midi_ports import midi_api
from livelatent.live.ratelog import RateLimitedLog
from livelatent.instrument.mapping import MidiBinding, MidiMap, midi_event
from livelatent.instrument.addresses import check_target
from livelatent.instrument.takeover import KnobTracker

VIRTUAL = "virtual:"
API_DOWN_RETRY = 1.0  # seconds between looks while the MIDI API (e.g. the JACK server) is down
READ_SECONDS = 0.004  # the reader's rest when rtmidi's queue is empty: at most a tick (240 Hz) added;
# reading every 2 ms cost 1.4% of a core and 500 interpreter-lock hand-offs a second, 4 ms half that
KINDS = {0x90: "note_on", 0x80: "note_off", 0xB0: "cc"}  # status nibble -> what midi_event takes


class MidiInput:
    """One input port by partial name (case-insensitive) or virtual:NAME, kept open across unplugs
    and server restarts. `port` is the open port's name (None while there is none).
    A subclass may take the timing messages too (TIMING, _on_message, _after_read: live/clock_in.py)."""

    TIMING = False  # open ports with MIDI clock, start, stop and continue let through

    def __init__(self, bus, name: str, midimap: MidiMap, *, log: RateLimitedLog | None = None,
                 on_learned=None, poll_seconds: float = 0.25) -> None:
        self.bus, self.wanted, self.map = bus, name, midimap
        self.log = log or RateLimitedLog()
        self.on_learned = on_learned
        self.poll_seconds = poll_seconds
        self.port: str | None = None
        self.port_name = ""
        self.learning: str | None = None
        self.messages = 0
        self.knobs = KnobTracker()  # soft takeover and relative encoders (instrument/takeover.py)
        self._input = None  # the rtmidi input of `port`; only touched under _lock
        self._lock = threading.Lock()
        self._stop, self._wake = threading.Event(), threading.Event()
        self._lister = None
        self._missing_reported = False
        self._api_down = ""  # what was said when the API went down ("" while it is up)
        self._watcher = threading.Thread(target=self._watch, name="midi-watcher", daemon=True)
        self._reader = threading.Thread(target=self._read, name="midi-reader", daemon=True)

    # ---- lifecycle ----

    def start(self) -> "MidiInput":
        self._check()
        self._watcher.start()
        self._reader.start()
        return self

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        for thread in (self._watcher, self._reader):
            if thread.is_alive():
                thread.join(timeout=3)
        self._close_port()
        self._drop_lister()

    def describe(self) -> str:
        return f"in from {self.port_name!r}" if self.port else f"waiting for {self.wanted!r}"

    def status(self) -> str:
        if self.learning:
            return f"LEARN: MOVE A MIDI CONTROL FOR {self.learning}"
        if self._api_down:
            return f"MIDI: NO {midi_api()} SERVER"
        return "" if self.port else f"MIDI: WAITING FOR {self.wanted}"

    def heard(self, event, value: float) -> None:
        """The loop applied a knob event (from anywhere), leaving the knob at `value` 0..1: a
        fader in pickup mode waits to cross it. Returns at once (the loop's thread)."""
        self.knobs.heard(event, value)

    def arm_learn(self, target: str) -> None:
        self.learning = check_target(target)
        self.log.log("learn", f"MIDI learn: move a control to drive {self.learning}")

    # ---- the watcher thread ----

    def _watch(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(API_DOWN_RETRY if self._api_down else self.poll_seconds)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                self._check()
            except Exception as exc:  # noqa: BLE001 - a bug or an rtmidi error must not end the watching
                self.log.log("midi-watch", f"MIDI: {type(exc).__name__}: {exc}; will look again")

    def _check(self) -> None:
        """Open the port if it is there and closed; close it (once reported) if it went away."""
        if self.wanted.startswith(VIRTUAL):
            if self.port is None:
                self._open(self.wanted[len(VIRTUAL):], virtual=True)
            return
        lister = self._live_lister()
        if lister is None:
            return
        try:
            names = lister.names()
        except Exception:  # noqa: BLE001 - rtmidi's errors: the ALSA sequencer (or JACK) went away
            self._server_gone()
            return
        if self.port is not None and self.port_name not in names:
            self.log.log("midi-gone", f"MIDI input {self.port_name!r} disappeared; will reopen it when it returns",
                         notice=True)
            self._close_port()
        if self.port is None:
            match = next((n for n in names if self.wanted.lower() in n.lower()), None)
            if match is not None:
                self._open(match)
            elif not self._missing_reported:
                self._missing_reported = True
                self.log.log("midi-missing", f"MIDI input {self.wanted!r} not found (have: {', '.join(names) or 'none'}); "
                                             "waiting for it")

    def _live_lister(self):
        """The lister, opened if need be; None while the API is down (said once, as a notice)."""
        if self._lister is not None and getattr(self._lister, "gone", False):
            self._server_gone()
        if self._lister is None:
            try:
                self._lister = midi_ports.lister()
            except DeviceError as exc:
                if not self._api_down:
                    self._api_down = f"{exc}; will keep looking every {API_DOWN_RETRY:g} s"
                    self.log.log("midi-api", self._api_down, notice=True)
                return None
            if self._api_down:
                self._api_down = ""
                self.log.log("midi-api-back", f"MIDI server ({midi_api()}) is back; looking for {self.wanted!r}",
                             notice=True)
        return self._lister

    def _server_gone(self) -> None:
        port = f"; input {self.port_name!r} closed" if self.port else ""
        self._close_port()  # at once: libjack may crash closing a dead server's client once a new one runs
        self._drop_lister()
        self._missing_reported = False
        self._api_down = f"MIDI server ({midi_api()}) gone{port}; will reconnect when it returns"
        self.log.log("midi-api", self._api_down, notice=True)

    def _jack_lease(self):
        """The JACK server's lease the lister is (None under ALSA): a port opens only while it runs."""
        return self._lister if hasattr(self._lister, "open") else None

    def _drop_lister(self) -> None:
        lister, self._lister = self._lister, None
        if lister is not None:
            lister.close()

    def _open(self, name: str, virtual: bool = False) -> None:
        try:
            rt = midi_ports.open_input(name, virtual, timing=self.TIMING, lease=self._jack_lease())
        except Exception as exc:  # noqa: BLE001 - rtmidi errors are plain exceptions
            self.log.log("midi-open", f"MIDI input {name!r}: cannot open ({exc}); will retry")
            return
        with self._lock:
            self._input, self.port, self.port_name = rt, name, name
        self._missing_reported = False
        self.log.log("midi-open", f"MIDI input {self.port_name!r} open")

    def _close_port(self) -> None:
        """Close the port; what it had received is read first (applied, not lost)."""
        with self._lock:
            rt, self._input, self.port = self._input, None, None
            if rt is not None:
                self._take_all(rt)
                try:
                    rt.close_port()
                    rt.delete()
                except Exception:  # noqa: BLE001 - the device or the server is already gone
                    pass

    # ---- the reader thread ----

    def _read(self) -> None:
        while not self._stop.is_set():
            try:
                with self._lock:
                    got = self._take_all(self._input) if self._input is not None else 0
            except Exception as exc:  # noqa: BLE001 - a bug must not end the reading mid-show
                self.log.log("midi-read", f"MIDI: {type(exc).__name__}: {exc}; dropped")
                got = 0
            self._after_read(got)
            if not got:
                self._stop.wait(READ_SECONDS)

    def _take_all(self, rt) -> int:
        """Every message waiting in rtmidi's queue, in order, onto the bus (under _lock)."""
        count = 0
        while (message := rt.get_message()) is not None:
            self._on_message(message)
            count += 1
        return count

    def _on_message(self, message: tuple[list[int], float]) -> None:
        """(bytes, seconds since the previous message) as rtmidi gives them."""
        self._on_bytes(message[0])

    def _after_read(self, got: int) -> None:
        """After each read of the queue (`got` messages): a subclass's timekeeping."""

    def _on_bytes(self, data: list[int]) -> None:
        kind = KINDS.get(data[0] & 0xF0) if len(data) == 3 else None
        if kind is None:
            return  # program change, pitch bend, aftertouch, ...: not ours
        channel, number, value = (data[0] & 0x0F) + 1, data[1], data[2]
        self.messages += 1
        if self.learning and (kind == "cc" or (kind == "note_on" and value > 0)):
            self._learn(kind, number)
            return
        try:
            event = midi_event(self.map, kind, channel, number, value, self.knobs)
        except ControlMessageError as exc:
            self.log.log(f"midi {kind} {number}", f"MIDI {kind} {number}={value}: {exc}; dropped")
            return
        if event is not None:
            self.bus.put(event)

    def _learn(self, kind: str, number: int) -> None:
        binding = MidiBinding("cc" if kind == "cc" else "note", number, self.learning)
        self.map, self.learning = self.map.with_binding(binding), None
        where = "the preset"
        if self.on_learned is not None:
            try:
                self.on_learned(binding)
            except (OSError, LivelatentError) as exc:
                where = f"this session only ({exc})"
        self.log.log("learned", f"MIDI learn: {binding.kind} {number} -> {binding.target}, saved to {where}")

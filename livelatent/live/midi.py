"""MIDI input (mido over python-rtmidi) feeding the control bus; survives unplug and replug.

The only mido / rtmidi importer. The backend is ALSA where the kernel sequencer exists
(/dev/snd/seq), else JACK (servers, CI: `jackd --no-realtime -d dummy`); LIVELATENT_MIDI_API
= UNIX_JACK or LINUX_ALSA forces one. Messages arrive on rtmidi's own thread and go through
mapping.midi_event to the bus; anything unmapped (sysex floods, other channels) is ignored.

A watcher thread checks twice a second that the port is still there: a device that
disappears is reported once, and reopened (reported once more) when it returns. The render
loop never touches any of this.

    midi = MidiInput(bus, "nanoKONTROL2", preset.midi.map, on_learned=save).start()
    midi.arm_learn("motion/damping")   # the next control moved is bound to the damping knob
"""

from __future__ import annotations

import os
import threading

from livelatent.errors import ControlMessageError, DeviceError, LivelatentError
from livelatent.live.ratelog import RateLimitedLog
from livelatent.mapping import MidiBinding, MidiMap, check_target, midi_event

VIRTUAL = "virtual:"
CLIENT_NAME = "livelatent"
API_DOWN_RETRY = 5.0  # seconds between looks while the MIDI API (e.g. the JACK server) is down
os.environ.setdefault("JACK_NO_START_SERVER", "1")  # never let libjack start a server behind our back


def midi_api() -> str:
    forced = os.environ.get("LIVELATENT_MIDI_API")
    if forced:
        return forced
    return "LINUX_ALSA" if os.path.exists("/dev/snd/seq") else "UNIX_JACK"


def backend():
    import mido

    _quiet_libjack()
    return mido.Backend(f"mido.backends.rtmidi/{midi_api()}", load=True)


_libjack_handler = None  # the ctypes callback libjack calls: kept alive as long as libjack may call it


def _quiet_libjack() -> None:
    """Without a JACK server, libjack prints five lines of its own to stderr at every look for
    one (every API_DOWN_RETRY seconds in a show); our one-line message already says it.
    Its messages are dropped instead (jack_set_error_function / jack_set_info_function), in
    the libjack python-rtmidi uses: the wheel's own copy, found among the loaded libraries."""
    global _libjack_handler
    if _libjack_handler is not None or midi_api() != "UNIX_JACK":
        return
    import ctypes

    import rtmidi._rtmidi  # noqa: F401 - loads the libjack that rtmidi links

    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "libjack" in line and "/" in line}
    except OSError:
        paths = set()
    handler = ctypes.CFUNCTYPE(None, ctypes.c_char_p)(lambda _message: None)
    for path in sorted(paths) or ["libjack.so.0"]:
        try:
            jack = ctypes.CDLL(path)
            jack.jack_set_error_function(handler)
            jack.jack_set_info_function(handler)
        except (OSError, AttributeError):
            continue  # no such library here, or not libjack's API
    _libjack_handler = handler


def input_names(probe=None) -> list[str]:
    """MIDI inputs (other programs' output ports) visible now; DeviceError if the API is down.

    probe: a PortProbe to reuse; opening a fresh client each time would make JACK rebuild its
    graph (and stall every client's MIDI) on every look.
    """
    try:
        if probe is not None:
            return probe.names()
        probe = PortProbe()
        try:
            return probe.names()
        finally:
            probe.close()
    except Exception as exc:  # noqa: BLE001 - rtmidi raises SystemError / RtMidiError without a server
        raise DeviceError(f"MIDI ({midi_api()}): cannot list ports ({exc}); is a JACK server running?") from None


class PortProbe:
    """One long-lived rtmidi client that lists input ports (as mido names them)."""

    def __init__(self) -> None:
        import rtmidi

        _quiet_libjack()
        api = getattr(rtmidi, f"API_{midi_api()}")
        self._rt = rtmidi.MidiIn(rtapi=api, name=f"{CLIENT_NAME}-probe")

    def names(self) -> list[str]:
        return list(self._rt.get_ports())

    def close(self) -> None:
        self._rt.delete()


class MidiInput:
    """One input port by partial name (case-insensitive) or virtual:NAME, kept open across unplugs."""

    def __init__(self, bus, name: str, midimap: MidiMap, *, log: RateLimitedLog | None = None,
                 on_learned=None, poll_seconds: float = 0.5) -> None:
        self.bus, self.wanted, self.map = bus, name, midimap
        self.log = log or RateLimitedLog()
        self.on_learned = on_learned
        self.poll_seconds = poll_seconds
        self.port = None
        self.port_name = ""
        self.learning: str | None = None
        self.messages = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._missing_reported = False
        self._probe = None
        self._api_down_reported = False
        self._thread = threading.Thread(target=self._watch, name="midi-watcher", daemon=True)

    # ---- lifecycle ----

    def start(self) -> "MidiInput":
        self._check()
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=3)
        self._close_port()
        if self._probe is not None:
            self._probe.close()

    def describe(self) -> str:
        return f"in from {self.port_name!r}" if self.port else f"waiting for {self.wanted!r}"

    def status(self) -> str:
        if self.learning:
            return f"LEARN: MOVE A MIDI CONTROL FOR {self.learning}"
        return "" if self.port else f"MIDI: WAITING FOR {self.wanted}"

    def arm_learn(self, target: str) -> None:
        self.learning = check_target(target)
        self.log.log("learn", f"MIDI learn: move a control to drive {self.learning}")

    # ---- the watcher thread ----

    def _watch(self) -> None:
        while not self._stop.wait(self.poll_seconds if self._probe or self.port else API_DOWN_RETRY):
            self._check()

    def _check(self) -> None:
        """Open the port if it is there and closed; close it (once reported) if it went away."""
        if self.wanted.startswith(VIRTUAL):
            if self.port is None:
                self._open(self.wanted[len(VIRTUAL):], virtual=True)
            return
        try:
            names = input_names(self._probe)
            self._probe = self._probe or PortProbe()
        except DeviceError as exc:
            if not self._api_down_reported:  # once, until it works again
                self.log.log("midi-api", f"{exc}; will keep looking every {API_DOWN_RETRY:g} s")
            self._api_down_reported, self._probe = True, None
            return
        self._api_down_reported = False
        if self.port is not None and self.port_name not in names:
            self.log.log("midi-gone", f"MIDI input {self.port_name!r} disappeared; will reopen it when it returns")
            self._close_port()
        if self.port is None:
            match = next((n for n in names if self.wanted.lower() in n.lower()), None)
            if match is not None:
                self._open(match)
            elif not self._missing_reported:
                self._missing_reported = True
                self.log.log("midi-missing", f"MIDI input {self.wanted!r} not found (have: {', '.join(names) or 'none'}); "
                                             "waiting for it")

    def _open(self, name: str, virtual: bool = False) -> None:
        try:
            port = backend().open_input(name, virtual=virtual, callback=self._on_message, client_name=CLIENT_NAME) \
                if virtual else backend().open_input(name, callback=self._on_message)
        except Exception as exc:  # noqa: BLE001 - rtmidi errors are plain exceptions
            self.log.log("midi-open", f"MIDI input {name!r}: cannot open ({exc}); will retry")
            return
        with self._lock:
            self.port, self.port_name = port, port.name if not virtual else name
        self._missing_reported = False
        self.log.log("midi-open", f"MIDI input {self.port_name!r} open")

    def _close_port(self) -> None:
        with self._lock:
            port, self.port = self.port, None
        if port is not None:
            try:
                port.close()
            except Exception:  # noqa: BLE001 - the device is already gone
                pass

    # ---- rtmidi's thread ----

    def _on_message(self, msg) -> None:
        kind = {"control_change": "cc", "note_on": "note_on", "note_off": "note_off"}.get(msg.type)
        if kind is None:
            return  # sysex, clock, pitch bend, ...: not ours
        number = msg.control if kind == "cc" else msg.note
        value = msg.value if kind == "cc" else msg.velocity
        self.messages += 1
        if self.learning and (kind == "cc" or (kind == "note_on" and value > 0)):
            self._learn(kind, number)
            return
        try:
            event = midi_event(self.map, kind, msg.channel + 1, number, value)
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

"""Watching a JACK server: which MIDI ports it has, when they change, and when it goes away.

rtmidi cannot say any of this: after the server shuts down, its clients go on listing the
ports the dead server had, so a restarted server and the pads on it were never connected
again. This is a small client of our own, through the libjack that python-rtmidi links
(ctypes; nothing is built): libjack calls us when the server shuts down (jack_on_shutdown)
and when a port appears or goes (jack_set_port_registration_callback), so a replugged pad
is reconnected at once instead of at the next look. Its callbacks only set flags: libjack's
threads never wait for anything of ours.

    watch = JackWatch(on_change=wake.set)   # DeviceError when no server runs
    watch.names()                  # MIDI output ports, as rtmidi names them ("client:port")
    watch.gone                     # the server shut down: close everything, open a new watch
    watch.close()
"""

from __future__ import annotations

import ctypes
import threading

from livelatent.errors import DeviceError

NO_START_SERVER = 0x01  # JackNoStartServer: never start a server behind the performer's back
PORT_IS_OUTPUT = 0x2  # JackPortIsOutput: other clients' outputs are our MIDI inputs
MIDI_TYPE = b"8 bit raw midi"
CLIENT_NAME = b"livelatent-watch"

_SHUTDOWN = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
_REGISTRATION = ctypes.CFUNCTYPE(None, ctypes.c_uint32, ctypes.c_int, ctypes.c_void_p)
_MESSAGE = ctypes.CFUNCTYPE(None, ctypes.c_char_p)
_libjack = None  # the library, loaded once, its own messages silenced
_keep = []  # ctypes callbacks libjack may call as long as the process lives


def libjack_paths() -> list[str]:
    """The libjack files python-rtmidi loaded (the wheel bundles its own), found in our maps."""
    import rtmidi._rtmidi  # noqa: F401 - loads the libjack that rtmidi links

    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "libjack" in line and "/" in line}
    except OSError:
        paths = set()
    return sorted(paths) or ["libjack.so.0"]


def quiet_libjack() -> None:
    """Without a server, libjack prints five lines of its own to stderr at every look for one;
    our one line already says it. Its error and info messages are dropped instead, in every
    libjack rtmidi uses."""
    for path in libjack_paths():
        try:
            jack = ctypes.CDLL(path)
            handler = _MESSAGE(lambda _message: None)
            jack.jack_set_error_function(handler)
            jack.jack_set_info_function(handler)
            _keep.append(handler)
        except (OSError, AttributeError):
            continue  # no such library here, or not libjack's API


def _library():
    global _libjack
    if _libjack is None:
        quiet_libjack()
        jack = ctypes.CDLL(libjack_paths()[0])
        jack.jack_client_open.restype = ctypes.c_void_p
        jack.jack_client_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
        jack.jack_on_shutdown.argtypes = [ctypes.c_void_p, _SHUTDOWN, ctypes.c_void_p]
        jack.jack_set_port_registration_callback.argtypes = [ctypes.c_void_p, _REGISTRATION, ctypes.c_void_p]
        jack.jack_activate.argtypes = [ctypes.c_void_p]
        jack.jack_client_close.argtypes = [ctypes.c_void_p]
        jack.jack_get_ports.restype = ctypes.POINTER(ctypes.c_char_p)
        jack.jack_get_ports.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong]
        jack.jack_free.argtypes = [ctypes.c_void_p]
        _libjack = jack
    return _libjack


class JackWatch:
    """A JACK client that lists MIDI output ports and hears of changes and of the server's end."""

    def __init__(self, on_change=lambda: None) -> None:
        self._jack = _library()
        self._notify = on_change  # called (on libjack's thread) when a port comes or goes or the server ends
        self._gone = threading.Event()
        status = ctypes.c_int(0)
        self._client = self._jack.jack_client_open(CLIENT_NAME, NO_START_SERVER, ctypes.byref(status))
        if not self._client:
            raise DeviceError(f"MIDI (UNIX_JACK): cannot reach a JACK server (status 0x{status.value:x}); "
                              "is a JACK server running?")
        # kept on the instance: libjack holds only the raw pointers
        self._on_shutdown = _SHUTDOWN(lambda _arg: self._went_away())
        self._on_registration = _REGISTRATION(lambda _port, _registered, _arg: self._notify())
        _keep.extend((self._on_shutdown, self._on_registration))  # libjack may call them until it is closed
        self._jack.jack_on_shutdown(self._client, self._on_shutdown, None)
        self._jack.jack_set_port_registration_callback(self._client, self._on_registration, None)
        if self._jack.jack_activate(self._client) != 0:
            self.close()
            raise DeviceError("MIDI (UNIX_JACK): the JACK server refused a client; is it shutting down?")

    @property
    def gone(self) -> bool:
        return self._gone.is_set()

    def _went_away(self) -> None:
        self._gone.set()
        self._notify()

    def names(self) -> list[str]:
        """Every MIDI output port now ("client:port"); [] once the server is gone."""
        if self.gone or not self._client:
            return []
        ports = self._jack.jack_get_ports(self._client, None, MIDI_TYPE, PORT_IS_OUTPUT)
        if not ports:
            return []
        names, i = [], 0
        while ports[i]:
            names.append(ports[i].decode("utf-8", "replace"))
            i += 1
        self._jack.jack_free(ports)
        return names

    def close(self) -> None:
        client, self._client = self._client, None
        if client:
            self._jack.jack_client_close(client)  # after this libjack calls neither callback
            for callback in (self._on_shutdown, self._on_registration):
                _keep.remove(callback)

"""Watching a JACK server: which MIDI ports it has, and when it goes away.

rtmidi cannot say any of this: after the server shuts down, its clients go on listing the
ports the dead server had, so a restarted server and the pads on it were never connected
again. This is a small client of our own, through the libjack that python-rtmidi links
(ctypes; nothing is built).

No Python ever runs on a libjack thread. When a server dies, closing its client cancels the
client's thread (pthread_cancel); a thread cancelled while it waits for the GIL inside a
Python callback leaves the GIL's mutex locked for ever, and the whole show froze (seen in
tests: every thread parked on the GIL). So libjack is handed C functions only: the shutdown
callback is libc's sem_post on a semaphore we read, and libjack's message hooks are libc's
strlen (a no-op that reads its argument). Ports that come and go are seen at the watcher's
next look (its poll interval) instead of through a registration callback.

live/jack_server.py keeps one JackWatch for the whole process, shared by every user of JACK,
and decides when a dead server's clients are all closed and another server may be reached.

    watch = JackWatch()            # DeviceError when no server runs
    watch.names()                  # MIDI output ports, as rtmidi names them ("client:port")
    watch.names(kind=AUDIO_TYPE)   # audio output ports (live/jack_audio.py looks for a sound input)
    watch.gone                     # the server shut down: close everything, open a new watch
    watch.close()
"""

from __future__ import annotations

import ctypes

from livelatent.errors import DeviceError

NO_START_SERVER = 0x01  # JackNoStartServer: never start a server behind the performer's back
PORT_IS_OUTPUT = 0x2  # JackPortIsOutput: other clients' outputs are our MIDI inputs
MIDI_TYPE = b"8 bit raw midi"
AUDIO_TYPE = b"32 bit float mono audio"
CLIENT_NAME = b"livelatent-watch"
SEM_BYTES = 64  # room for a sem_t (32 bytes on x86-64 and aarch64 glibc), aligned by ctypes

_libc = ctypes.CDLL(None, use_errno=True)
_libc.sem_init.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_uint]
_libc.sem_getvalue.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]
_libc.sem_destroy.argtypes = [ctypes.c_void_p]
_C_NO_OP = ctypes.cast(_libc.strlen, ctypes.c_void_p)  # void f(const char *): reads, does nothing
_C_SEM_POST = ctypes.cast(_libc.sem_post, ctypes.c_void_p)  # void f(void *arg): posts the semaphore arg
_libjack = None  # the library, loaded once, its own messages silenced
_quieted = set()  # the libjack files whose messages are silenced


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
    libjack rtmidi uses (by a C no-op: see the module docstring)."""
    for path in libjack_paths():
        if path in _quieted:
            continue
        try:
            jack = ctypes.CDLL(path)
            jack.jack_set_error_function.argtypes = [ctypes.c_void_p]
            jack.jack_set_info_function.argtypes = [ctypes.c_void_p]
            jack.jack_set_error_function(_C_NO_OP)
            jack.jack_set_info_function(_C_NO_OP)
            _quieted.add(path)
        except (OSError, AttributeError):
            continue  # no such library here, or not libjack's API


def _library():
    global _libjack
    if _libjack is None:
        quiet_libjack()
        jack = ctypes.CDLL(libjack_paths()[0])
        jack.jack_client_open.restype = ctypes.c_void_p
        jack.jack_client_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
        jack.jack_on_shutdown.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
        jack.jack_activate.argtypes = [ctypes.c_void_p]
        jack.jack_client_close.argtypes = [ctypes.c_void_p]
        jack.jack_get_ports.restype = ctypes.POINTER(ctypes.c_char_p)
        jack.jack_get_ports.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong]
        jack.jack_free.argtypes = [ctypes.c_void_p]
        jack.jack_get_buffer_size.argtypes = [ctypes.c_void_p]
        jack.jack_get_sample_rate.argtypes = [ctypes.c_void_p]
        _libjack = jack
    return _libjack


class JackWatch:
    """A JACK client that lists MIDI output ports and knows when the server has ended."""

    def __init__(self) -> None:
        self._jack = _library()
        # libjack posts this semaphore (on its own thread, in C) when the server shuts down
        self._shutdown = ctypes.create_string_buffer(SEM_BYTES)
        _libc.sem_init(self._shutdown, 0, 0)
        status = ctypes.c_int(0)
        self._client = self._jack.jack_client_open(CLIENT_NAME, NO_START_SERVER, ctypes.byref(status))
        if not self._client:
            _libc.sem_destroy(self._shutdown)
            raise DeviceError(f"MIDI (UNIX_JACK): cannot reach a JACK server (status 0x{status.value:x}); "
                              "is a JACK server running?")
        self._jack.jack_on_shutdown(self._client, _C_SEM_POST, ctypes.addressof(self._shutdown))
        if self._jack.jack_activate(self._client) != 0:
            self.close()
            raise DeviceError("MIDI (UNIX_JACK): the JACK server refused a client; is it shutting down?")

    @property
    def gone(self) -> bool:
        if self._client is None:
            return True
        posted = ctypes.c_int(0)
        _libc.sem_getvalue(self._shutdown, ctypes.byref(posted))
        return posted.value > 0

    def names(self, kind: bytes | None = None) -> list[str]:
        """Every MIDI (or `kind`) output port now ("client:port"); [] once the server is gone."""
        if self.gone or not self._client:
            return []
        ports = self._jack.jack_get_ports(self._client, None, kind or MIDI_TYPE, PORT_IS_OUTPUT)
        if not ports:
            return []
        names, i = [], 0
        while ports[i]:
            names.append(ports[i].decode("utf-8", "replace"))
            i += 1
        self._jack.jack_free(ports)
        return names

    def period_seconds(self) -> float:
        """The server's period (JACK delivers MIDI once a period); 0 once it is gone."""
        if self.gone or not self._client:
            return 0.0
        rate = self._jack.jack_get_sample_rate(self._client)
        return self._jack.jack_get_buffer_size(self._client) / rate if rate else 0.0

    def close(self) -> None:
        client, self._client = self._client, None
        if client:
            self._jack.jack_client_close(client)  # after this libjack posts nothing
            _libc.sem_destroy(self._shutdown)

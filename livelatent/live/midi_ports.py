"""Which MIDI ports there are, and opening one: the backend choice, the port listers, rtmidi inputs.

The backend is ALSA where the kernel sequencer exists (/dev/snd/seq), else JACK (servers, CI:
`jackd --no-realtime -d dummy`); LIVELATENT_MIDI_API = UNIX_JACK or LINUX_ALSA forces one.
Inputs are opened in rtmidi's queue mode, never with a callback (see live/midi.py for why).

    input_names()                        # ['nanoKONTROL2:nanoKONTROL2 MIDI 1', ...]; DeviceError if none can be listed
    rt = open_input("nanoKONTROL2:nanoKONTROL2 MIDI 1", virtual=False)
    rt.get_message()                     # ([0x90, 36, 100], delta) or None
"""

from __future__ import annotations

import os

from livelatent.errors import DeviceError

CLIENT_NAME = "livelatent"
QUEUE_SIZE = 4096  # messages rtmidi keeps for us between reads
os.environ.setdefault("JACK_NO_START_SERVER", "1")  # never let libjack start a server behind our back


def midi_api() -> str:
    forced = os.environ.get("LIVELATENT_MIDI_API")
    if forced:
        return forced
    return "LINUX_ALSA" if os.path.exists("/dev/snd/seq") else "UNIX_JACK"


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


def _rtmidi_api():
    import rtmidi

    if midi_api() == "UNIX_JACK":
        from livelatent.live.jack_watch import quiet_libjack

        quiet_libjack()
    return rtmidi, getattr(rtmidi, f"API_{midi_api()}")


class PortProbe:
    """One long-lived rtmidi client that lists input ports (as mido names them)."""

    def __init__(self) -> None:
        rtmidi, api = _rtmidi_api()
        self._rt = rtmidi.MidiIn(rtapi=api, name=f"{CLIENT_NAME}-probe")

    def names(self) -> list[str]:
        return list(self._rt.get_ports())

    def close(self) -> None:
        self._rt.delete()


def server_lease():
    """Under JACK, a lease on the server (live/jack_server.py: the process's one watch, which
    knows when the server has ended); None under ALSA. DeviceError while the server is down."""
    if midi_api() != "UNIX_JACK":
        return None
    from livelatent.live import jack_server

    return jack_server.reach()


def lister():
    """What the watcher lists ports with: a lease on the JACK server (it knows when the server
    has ended), else an rtmidi probe. DeviceError while the API is down."""
    lease = server_lease()
    if lease is not None:
        return lease
    try:
        return PortProbe()
    except Exception as exc:  # noqa: BLE001 - rtmidi's own errors
        raise DeviceError(f"MIDI ({midi_api()}): cannot list ports ({exc})") from None


def open_input(name: str, virtual: bool, timing: bool = False, lease=None):
    """An rtmidi input in queue mode (no callback: see the module docstring), open on `name`;
    timing: let MIDI clock, start, stop and continue through (live/clock_in.py); lease: the
    JACK server's, opened only while that server runs."""
    if lease is not None:
        return lease.open(lambda: open_input(name, virtual, timing))
    rtmidi, api = _rtmidi_api()
    rt = rtmidi.MidiIn(rtapi=api, name=CLIENT_NAME, queue_size_limit=QUEUE_SIZE)
    try:
        rt.ignore_types(sysex=True, timing=not timing, active_sense=True)
        if virtual:
            rt.open_virtual_port(name)
        else:
            rt.open_port(rt.get_ports().index(name))  # ValueError: gone again since the look
    except BaseException:
        rt.delete()
        raise
    return rt


def output_client(lease=None):
    """An rtmidi output client (no port open yet): get_ports() lists the inputs it can light,
    open_port(i) connects to one, send_message(bytes) sends (controller LEDs, live/leds.py);
    lease: the JACK server's, opened only while that server runs."""
    if lease is not None:
        return lease.open(output_client)
    rtmidi, api = _rtmidi_api()
    return rtmidi.MidiOut(rtapi=api, name=f"{CLIENT_NAME}-leds")

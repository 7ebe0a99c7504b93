"""Live sound in: a JACK client (JACK-Client) where a JACK server runs, else PortAudio
(sounddevice); analysed on a thread of its own (live/audio_feed.py), never the render thread.

The device's callback only copies the block and stamps it with the loop's clock; the
analysis thread re-blocks the sound to the analysis block, analyses, maps and puts the
events on the bus, and keeps the sound while a take records. Both libraries are the optional
extra `livelatent[audio]` (./setup.sh --test installs it); without them, `--audio` is one
line naming the extra.

    feed = AudioInput(bus, "system:capture_1", AudioMap(entries), block=512, log=log).start()
    input_names()     # ["jack: system:capture_1", "portaudio: USB Audio CODEC", ...]

JACK-Client runs its process callback in Python on JACK's thread (its API has no other way);
live/jack_watch.py explains why the MIDI side avoids that. Here the callback is a copy and a
put, and the client is closed only while its server lives.
"""

from __future__ import annotations

import os
import queue
import threading

import numpy as np

from livelatent.errors import DeviceError
from livelatent.live.audio_feed import AudioFeed

CLIENT = "livelatent-audio"
RATE = 48000  # PortAudio's rate (JACK's is the server's)
TAPE_SECONDS = 4 * 3600  # the longest take whose sound is kept (memory: 48 kHz mono float32, 690 MB at the limit)
EXTRA = "the sound input needs the extra: pip install 'livelatent[audio]' (JACK-Client, sounddevice)"


def _jack():
    os.environ.setdefault("JACK_NO_START_SERVER", "1")
    try:
        import jack
    except (ImportError, OSError) as exc:
        raise DeviceError(f"{EXTRA} ({exc})") from None
    from livelatent.live.jack_watch import quiet_libjack

    quiet_libjack()  # without a server libjack prints lines of its own at every look; ours says it once
    return jack


def _sounddevice():
    try:
        import sounddevice
    except (ImportError, OSError) as exc:
        raise DeviceError(f"{EXTRA}; PortAudio: {exc}") from None
    if not sounddevice._initialized:  # let go after each use (see _portaudio_names)
        sounddevice._initialize()
    return sounddevice


def input_names() -> list[str]:
    """The audio inputs `--audio` would choose from: JACK's output ports where a server runs,
    else PortAudio's inputs."""
    try:
        client = _jack().Client(CLIENT + "-probe", no_start_server=True)
    except Exception:  # noqa: BLE001 - no server, or no JACK library: PortAudio's then
        return _portaudio_names()
    try:
        return [f"jack: {p.name}" for p in client.get_ports(is_audio=True, is_output=True)]
    finally:
        client.close()


def _portaudio_names() -> list[str]:
    try:
        sd = _sounddevice()
    except DeviceError:
        return []
    try:
        return [f"portaudio: {d['name']}" for d in sd.query_devices() if d["max_input_channels"] > 0]
    finally:
        # PortAudio's own JACK back end asserts at exit if a server it saw has gone since: let go now
        sd._terminate()


class AudioInput(AudioFeed):
    """The named input (a JACK output port, or a PortAudio device, by partial name)."""

    def __init__(self, bus, name: str, audio_map, *, block: int = 512, beats: bool = True, log=None) -> None:
        self.name, self.log, self.bus = name, log, bus
        self._device = None
        self._blocks: queue.SimpleQueue = queue.SimpleQueue()
        self._rate = self._open()
        super().__init__(bus, audio_map, rate=self._rate, block=block, beats=beats)
        self._pending = np.zeros(0, np.float32)
        self._taping = False
        self._tape: list[tuple[float, np.ndarray]] = []  # (loop time of the block's end, samples)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="livelatent-audio", daemon=True)

    # ---- the device ----

    def _open(self) -> int:
        try:
            client = _jack().Client(CLIENT, no_start_server=True)
        except Exception:  # noqa: BLE001 - no JACK server (or library): PortAudio
            return self._open_portaudio()
        return self._open_jack(client)

    def _open_jack(self, client) -> int:
        sources = [p for p in client.get_ports(is_audio=True, is_output=True) if self.name.lower() in p.name.lower()]
        if not sources:
            have = ", ".join(p.name for p in client.get_ports(is_audio=True, is_output=True)) or "none"
            client.close()
            raise DeviceError(f"audio input {self.name!r}: no such JACK port (have: {have}); see `livelatent devices`",
                              setting="audio")
        port = client.inports.register("in")

        def process(frames):  # JACK's thread: a copy and a put, nothing else
            self._blocks.put((port.get_array().copy(), self.bus.now()))

        client.set_process_callback(process)
        client.activate()
        client.connect(sources[0], port)
        self._device, self.port_name = client, sources[0].name
        return int(client.samplerate)

    def _open_portaudio(self) -> int:
        sd = _sounddevice()
        devices = [i for i, d in enumerate(sd.query_devices())
                   if d["max_input_channels"] > 0 and self.name.lower() in d["name"].lower()]
        if not devices:
            raise DeviceError(f"audio input {self.name!r}: no JACK server and no such PortAudio input; "
                              "see `livelatent devices`", setting="audio")
        stream = sd.InputStream(device=devices[0], channels=1, samplerate=RATE, dtype="float32",
                                callback=lambda data, frames, when, status: self._blocks.put((data[:, 0].copy(),
                                                                                            self.bus.now())))
        stream.start()
        self._device, self.port_name = stream, sd.query_devices(devices[0])["name"]
        return RATE

    # ---- the analysis thread ----

    def start(self) -> "AudioInput":
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                samples, at = self._blocks.get(timeout=0.1)
            except queue.Empty:
                continue
            self._pending = np.concatenate([self._pending, samples])
            while len(self._pending) >= self.block:
                block, self._pending = self._pending[:self.block], self._pending[self.block:]
                end = at - len(self._pending) / self.rate
                self.analyse(block, end)
                if self._taping:
                    self._keep(end, block)

    def _keep(self, end: float, block: np.ndarray) -> None:
        self._tape.append((end, block))
        if len(self._tape) * self.block > TAPE_SECONDS * self.rate:
            del self._tape[0]

    # ---- the take's sound (live/audio_take.py) ----

    def tape(self, on: bool) -> None:
        if on and not self._taping:
            self._tape = []
        self._taping = on

    def samples_between(self, t0: float, t1: float) -> np.ndarray:
        kept = [b for end, b in list(self._tape) if t0 < end <= t1 + self.block / self.rate]
        return np.concatenate(kept)[: max(round((t1 - t0) * self.rate), 0)] if kept else np.zeros(0, np.float32)

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)
        device, self._device = self._device, None
        if device is None:
            return
        if hasattr(device, "deactivate"):  # a JACK client
            device.deactivate()
            device.close()
        else:
            device.stop()
            device.close()
            _sounddevice()._terminate()

"""Live sound in: a JACK client (JACK-Client, in a child process: live/jack_audio.py) where a
JACK server runs, else PortAudio (sounddevice); analysed on a thread of its own
(live/audio_feed.py), never the render thread.

The device hands over blocks stamped with the loop's clock; the analysis thread re-blocks the
sound to the analysis block, analyses, maps and puts the events on the bus, and keeps the
sound while a take records. Both libraries are the optional extra `livelatent[audio]`
(./setup.sh --test installs it); without them, `--audio` is one line naming the extra.

    feed = AudioInput(bus, "system:capture_1", AudioMap(entries), block=512, log=log).start()
    input_names()     # ["jack: system:capture_1", "portaudio: USB Audio CODEC", ...]

The JACK client runs in a child process so that no Python of the show's runs on libjack's
threads (live/jack_audio.py says why): a JACK server that dies costs the sound, said once,
and the sound comes back when a server has the port again. The take keeps what it had: its
sound is silent where none came.
"""

from __future__ import annotations

import queue
import threading

import numpy as np

from livelatent.errors import DeviceError
from livelatent.live.audio_feed import AudioFeed
from livelatent.live.jack_audio import EXTRA, JackAudio, jack_inputs, jack_server_runs

RATE = 48000  # PortAudio's rate (JACK's is the server's)
TAPE_SECONDS = 4 * 3600  # the longest take whose sound is kept (memory: 48 kHz mono float32, 690 MB at the limit)
GAP = 0.1  # seconds missing between two blocks kept: the sound was lost there (silence in the take)


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
    names = jack_inputs()
    return _portaudio_names() if names is None else [f"jack: {name}" for name in names]


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
        if not jack_server_runs():
            return self._open_portaudio()
        self._device = JackAudio(self.name, lambda samples, at: self._blocks.put((samples, at)), now=self.bus.now,
                                 log=self.log)
        self.port_name = self._device.port_name
        return self._device.rate

    def status(self) -> str:
        lost = getattr(self._device, "lost", "")
        return f"AUDIO LOST ({lost})" if lost else super().status()

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
        """The sound of loop seconds t0..t1: the blocks kept, each run of them (blocks that
        followed each other) placed at its time, silence where the sound was lost."""
        kept = [(end, b) for end, b in list(self._tape) if t0 < end <= t1 + self.block / self.rate]
        if not kept:
            return np.zeros(0, np.float32)
        out = np.zeros(max(round((t1 - t0) * self.rate), 0), np.float32)
        for run in _runs(kept, self.block / self.rate):
            samples = np.concatenate([b for _, b in run])
            at = round((_run_start(run, self.block / self.rate) - t0) * self.rate)
            samples, at = samples[max(-at, 0):], max(at, 0)
            samples = samples[: max(len(out) - at, 0)]
            out[at:at + len(samples)] = samples
        return out

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)
        device, self._device = self._device, None
        if isinstance(device, JackAudio):
            device.close()
        elif device is not None:
            device.stop()
            device.close()
            _sounddevice()._terminate()


def _run_start(run: list, block_seconds: float) -> float:
    """When a run of blocks began: the earliest start a block's stamp implies. A stamp is when
    the block was handed over, never before its sound was; a server that falls behind (JACK's
    dummy driver on a loaded machine) catches up in a burst of periods stamped together, late."""
    return min(end - (i + 1) * block_seconds for i, (end, _) in enumerate(run))


def _runs(kept: list, block_seconds: float) -> list[list]:
    """Blocks (end, samples) split where more than GAP seconds of sound are missing."""
    runs = [[kept[0]]]
    for prev, cur in zip(kept, kept[1:]):
        if cur[0] - prev[0] > block_seconds + GAP:
            runs.append([])
        runs[-1].append(cur)
    return runs

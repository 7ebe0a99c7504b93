"""The show's configuration, by value: everything a live session is built from.

commands/perform.py makes one from the command line and a preset (the command line wins over
the preset, the preset over the defaults here) and hands it to live/session.py; nothing on
the live side reads arguments or names a flag. Errors name a setting by its field here (the
command line tells its flags by commands/settings.py).

    config = ShowConfig(headless=True, duration=10.0, record=True, model=ModelChoice(size=(256, 256)))
    session = build_session(config)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from livelatent.common.output_spec import OutputSpec
from livelatent.common.rates import FrameRate
from livelatent.common.sizes import Size
from livelatent.generators.choice import ModelChoice
from livelatent.instrument.mapping import MidiMap
from livelatent.motion.params import MotionParams


@dataclass(frozen=True)
class ShowConfig:
    # what decodes: the model, its Picture, the decode size (model.size, (h, w))
    model: ModelChoice = field(default_factory=lambda: ModelChoice(size=(256, 256)))
    # the instrument: the preset it came from (MIDI learn appends to it, shaders beside it win)
    preset: Path | None = None
    motion: MotionParams = field(default_factory=MotionParams)
    noise: float = 0.0
    seed: int = 0
    bank: str = ""  # ZSEQ[:frames] or a saved bank NAME.npy; "" = random slots
    slots: int = 64
    # where it is shown
    headless: bool = False
    fullscreen: bool = False
    monitor: int | None = None
    display_fps: float = 60.0
    hud: bool = True
    grid: bool = False  # a snapshot set: start on the grid of all of them
    duration: float | None = None
    console: str = "auto"  # the operator console (live/console/): "on", "off", or "auto" (docs/console.md)
    # how it is played
    osc_host: str = "127.0.0.1"
    osc_port: int = 9331  # 0: no OSC
    osc_allow: tuple[str, ...] = ()  # () = any sender
    osc_feedback: str = ""  # HOST:PORT, "" = none
    oscquery: bool = True  # serve the OSC address space over OSCQuery (live/oscquery.py) while OSC is open
    oscquery_port: int = 0  # its TCP port; 0 = the OSC port's number
    midi: str = ""  # partial port name or virtual:NAME, "" = no MIDI
    midi_map: MidiMap = field(default_factory=MidiMap)
    midi_feedback: tuple = ()  # controller LEDs ([[midi.feedback]] entries, instrument/led_map.py)
    autopilot: float | str | None = None  # seconds between random keyframes, or a beat unit ("4bar")
    # in time with the music (docs/music.md)
    clock: str = ""  # a MIDI input sending clock; "" = none
    bpm: float = 120.0
    quantise: str = "off"
    settle_beats: float = 0.0
    beats_per_bar: int = 4
    audio: str = ""  # a live sound input (JACK port / PortAudio device, partial name); "" = none
    audio_file: Path | None = None  # a sound file as the input, played on the loop's clock
    audio_block: int = 512
    audio_map: tuple = ()  # AudioFeature entries (instrument/audio_map.py)
    event_log: Path | None = None
    # what is kept
    record: bool = False  # start recording at once
    recordings: Path = Path("recordings")
    record_fps: FrameRate = FrameRate.parse(30)
    proxy_size: Size | None = None  # None: the decode size
    # where else it goes: video outputs (live/outputs/), and the names of those that start off
    outputs: tuple[OutputSpec, ...] = ()
    outputs_off: tuple[str, ...] = ()

    @property
    def size(self) -> Size:
        """The decode size."""
        h, w = self.model.size
        return Size(w, h)

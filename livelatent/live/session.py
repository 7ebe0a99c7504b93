"""Putting a live show together from its configuration, and taking it apart.

    session = build_session(ShowConfig(headless=True, duration=2.0))
    session.app.run(duration=2); session.close()
    session = build_session(config, clock=ManualClock())     # tests: a show in loop time only

The configuration is a value (live/config.py) made by commands/perform.py; the parts open in
order (model, OSC, MIDI, recorder, display) and if one cannot, those already open are closed.
The clock (live/loop_clock.py) is the bus's, the loop's, the recorder's and the autopilot's.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from livelatent.errors import UsageError
from livelatent.live.config import ShowConfig


@dataclass
class Session:
    app: object
    config: ShowConfig
    recorder: object = None
    osc: object = None
    midi: object = None
    console: object = None  # the ConsoleLink, while a console is open
    oscquery: object = None  # the OscQueryServer, while OSC is open
    announced: object = None  # what withdraws the mDNS announcements (live/announce.py), while there are any
    closers: list = field(default_factory=list)

    def close(self) -> None:
        """Stop inputs first, then finish the take (the recorder joins its writer), then the display."""
        for close in self.closers:
            try:
                close()
            except Exception as exc:  # noqa: BLE001 - closing must reach every part
                print(f"livelatent: while closing: {type(exc).__name__}: {exc}", file=sys.stderr)


def build_session(config: ShowConfig, clock=None) -> Session:
    """Everything a show needs; if one part cannot open, the parts already open are closed.
    clock: the loop's (default: the wall clock; a headless show playing a sound file runs on a
    ManualClock: faster than real time, frame-exact)."""
    if clock is None and config.headless and config.audio_file is not None:
        from livelatent.live.loop_clock import ManualClock

        clock = ManualClock()
    session = Session(app=None, config=config)
    try:
        return _build(config, session, clock)
    except BaseException:
        session.close()
        raise


def _build(config: ShowConfig, session: Session, clock) -> Session:
    from livelatent.instrument.actions import make
    from livelatent.live.app import LiveApp
    from livelatent.live.music_session import keep_take_sound, open_music
    from livelatent.live.bus import ControlBus
    from livelatent.live.ratelog import RateLimitedLog
    from livelatent.live.window import open_display

    _check_outputs(config)  # before the model loads: an output this machine cannot send is said at once
    generator = config.model.load()
    bus = ControlBus(clock)
    log = RateLimitedLog(clock=bus.clock)
    osc, feedback = _open_osc(config, bus, generator.z_dim, log, session)
    session.osc, session.midi = osc, _open_midi(config, bus, log, session)
    beat_sync, feed, statuses = open_music(config, bus, log, session)
    session.recorder = _open_recorder(config, session, bus.clock)
    size = config.size
    display = open_display(headless=config.headless, size=size.wh if config.headless else _window_size(size),
                           fullscreen=config.fullscreen, monitor=config.monitor)
    session.closers.append(display.close)
    outputs = _open_outputs(config, log, session)
    meta = {**config.model.meta(generator), "preset": str(config.preset or ""), "generator": generator.label}
    session.app = LiveApp(performance=_performance(config, generator), generator=generator, display=display,
                          bus=bus, size=size.hw, recorder=session.recorder, feedback=feedback, midi=session.midi,
                          display_fps=config.display_fps, hud=config.hud, grid=config.grid, record_meta=meta,
                          log=log, shader_dirs=(config.preset.parent,) if config.preset else (),
                          event_log=_open_event_log(config, session), picture=config.model.track.start,
                          outputs=outputs, beat_sync=beat_sync)
    session.app.statuses = statuses
    keep_take_sound(session, feed, log)
    session.console = _open_console(config, session, display, osc, log)
    _open_leds(config, session, log)
    _open_oscquery(config, session, osc, log)
    _announce(session, osc, log)
    if config.record:
        bus.put(make("record.start", source="cli"))
    if isinstance(config.autopilot, str):  # in bars or beats, on the beat grid
        beat_sync.quantiser.repeat(config.autopilot, lambda: make("keyframe.random", source="autopilot"))
    elif config.autopilot:
        from livelatent.live.autopilot import Autopilot

        session.closers.insert(0, Autopilot(bus, config.autopilot).start().close)
    _say_where(osc, feedback, session.midi, outputs)
    return session


def _performance(config: ShowConfig, generator):
    """The bank (a z-sequence's frames, a saved bank, or random slots) and the mover at slot 0."""
    from livelatent.instrument.bank import KeyframeBank
    from livelatent.instrument.performance import Performance
    from livelatent.instrument.tempo import BeatGrid

    d, seed = generator.z_dim, config.seed
    bank = (KeyframeBank.from_spec(config.bank, seed=seed, d=d, slots=config.slots) if config.bank
            else KeyframeBank.random(d, seed, config.slots))
    return Performance(bank, config.motion, seed=seed, radius=getattr(generator, "shell_radius", None),
                       noise=config.noise, beat=BeatGrid(config.bpm, beats_per_bar=config.beats_per_bar),
                       settle_beats=config.settle_beats)


def _open_recorder(config: ShowConfig, session: Session, clock):
    from livelatent.live.recorder import Recorder

    proxy = config.proxy_size or config.size
    recorder = Recorder(config.recordings, fps=config.record_fps, proxy_size=proxy.wh, clock=clock)
    session.closers.append(recorder.close)
    return recorder


def _check_outputs(config: ShowConfig) -> None:
    """DeviceError, one line, for a video output this machine cannot send (wrong platform, no extra, no device)."""
    if config.outputs:
        from livelatent.live.outputs import kinds

        for spec in config.outputs:
            kinds.check(spec)


def _open_outputs(config: ShowConfig, log, session: Session):
    """The video outputs, each on its own thread; closed before the display, after the inputs."""
    if not config.outputs:
        return None
    from livelatent.live.outputs.hub import Outputs
    from fractions import Fraction

    rate = config.record_fps.value if config.record else Fraction(config.display_fps).limit_denominator(1001)
    outputs = Outputs(config.outputs, show_size=config.size, show_rate=rate, log=log)
    session.closers.insert(0, outputs.close)
    for name in config.outputs_off:
        outputs.enable(name, False)
    return outputs


def _open_event_log(config: ShowConfig, session: Session):
    if config.event_log is None:
        return None
    from livelatent.live.eventlog import EventLog

    log = EventLog(config.event_log)
    session.closers.insert(0, log.close)
    return log


def _window_size(size) -> tuple[int, int]:
    scale = max(1, 720 // max(size.height, 1))  # a small model still gets a usable window
    return size.width * scale, size.height * scale


def _open_osc(config: ShowConfig, bus, d, log, session: Session):
    from livelatent.live.osc import OscFeedback, OscReceiver, parse_host_port

    osc = None
    if config.osc_port:
        osc = OscReceiver(bus, host=config.osc_host, port=config.osc_port, d=d, allow=config.osc_allow or None,
                          log=log)
        osc.start()
        session.closers.append(osc.close)
    feedback = None
    if config.osc_feedback:
        feedback = OscFeedback(*parse_host_port(config.osc_feedback))
        session.closers.append(feedback.close)
    return osc, feedback


def _open_midi(config: ShowConfig, bus, log, session: Session):
    if not config.midi:
        return None
    from livelatent.instrument.presets import append_learned
    from livelatent.live.midi import MidiInput

    def save_learned(binding):
        if config.preset is None:
            raise UsageError("MIDI learn: no preset file to save the mapping to (use `preset`)", setting="preset")
        append_learned(config.preset, binding)

    midi = MidiInput(bus, config.midi, config.midi_map, log=log, on_learned=save_learned).start()
    session.closers.append(midi.close)
    return midi


def _open_console(config: ShowConfig, session: Session, display, osc, log):
    """The operator console (docs/console.md), when the configuration asks for it or `auto`
    finds it wanted; its process starts in the background and the show never waits for it."""
    from livelatent.live.console.placement import console_monitor, wants_console

    if config.console == "off":
        return None
    monitors = display.monitors() if hasattr(display, "monitors") else 0
    if not wants_console(config.console, headless=config.headless, fullscreen=config.fullscreen,
                         monitors=monitors, installed=_console_installed(config.console)):
        return None
    from livelatent.live.console.feed import ConsoleFeed
    from livelatent.live.console.link import ConsoleLink
    from livelatent.live.console.thumbnails import SIZE, Thumbnails

    app = session.app
    link = ConsoleLink(app.bus, log=log, osc_address="" if osc is None else "{}:{}".format(*osc.address),
                       monitor=console_monitor(config.monitor, monitors)).start()
    session.closers.insert(0, link.close)
    thumbnails = Thumbnails(lambda z, picture: app.decoder_for(picture).decode(z, size=(SIZE, SIZE)),
                            link.thumbnail, log=log)
    app.panels.append(ConsoleFeed(link, thumbnails))
    return link


def _open_leds(config: ShowConfig, session: Session, log) -> None:
    """One LED sender per controller the preset's [[midi.feedback]] entries light."""
    from livelatent.live.leds import LedFeedback

    for output in dict.fromkeys(entry.output for entry in config.midi_feedback):
        leds = LedFeedback(output, config.midi_feedback, log=log).start()
        session.closers.insert(0, leds.close)
        session.app.panels.append(leds)


def _open_oscquery(config: ShowConfig, session: Session, osc, log) -> None:
    """The OSC address space over OSCQuery, on the OSC host, while OSC is open."""
    if osc is None or not config.oscquery:
        return
    from livelatent.live.oscquery import OscQueryServer
    from livelatent.motion.params import MOVERS

    host, port = osc.address
    server = OscQueryServer(host=host, port=config.oscquery_port or port, osc_port=port,
                            slots=len(session.app.perf.bank), movers=MOVERS, log=log).start()
    session.oscquery = server
    session.closers.insert(0, server.close)
    session.app.panels.append(server)


def _announce(session: Session, osc, log) -> None:
    """OSC and OSCQuery over mDNS, when OSC listens beyond loopback."""
    if osc is None:
        return
    from livelatent.live.announce import announce

    query = session.oscquery.address[1] if session.oscquery is not None else None
    session.announced = announce(osc.address[0], osc_port=osc.address[1], query_port=query, log=log)
    if session.announced is not None:
        session.closers.insert(0, session.announced)


def _console_installed(choice: str) -> bool:
    """Whether the `console` extra is there; asked for (`console` on) without it: one line."""
    import importlib.util

    if importlib.util.find_spec("imgui_bundle") is not None and importlib.util.find_spec("OpenGL") is not None:
        return True
    if choice == "on":
        raise UsageError("the operator console needs the console extra: pip install 'livelatent[console]'",
                         setting="console")
    return False


def _say_where(osc, feedback, midi, outputs=None) -> None:
    parts = []
    if osc is not None:
        host, port = osc.address
        parts.append(f"OSC in {host}:{port}")
    if feedback is not None:
        parts.append(f"feedback to {feedback.target[0]}:{feedback.target[1]}")
    if midi is not None:
        parts.append(f"MIDI {midi.describe()}")
    if outputs:
        parts.append("video out " + " ".join(s.spec for s in outputs.statuses()))
    print("livelatent perform: " + (", ".join(parts) or "keyboard only"), file=sys.stderr, flush=True)

"""Putting a live session together from command-line options and a preset, and taking it apart.

    session = build_session(parse_options(["--headless", "--duration", "2"]))
    session.app.run(duration=2); session.close()

Options win over the preset; the preset wins over the built-in defaults (presets.py).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

from livelatent.common import values
from livelatent.errors import UsageError

DEFAULT_PRESET = "default"


@dataclass
class Session:
    app: object
    model: object = None  # the ModelChoice (commands/model_options.py): spec, settings, size
    recorder: object = None
    osc: object = None
    midi: object = None
    closers: list = field(default_factory=list)

    def close(self) -> None:
        """Stop inputs first, then finish the take (the recorder joins its writer), then the display."""
        for close in self.closers:
            try:
                close()
            except Exception as exc:  # noqa: BLE001 - closing must reach every part
                print(f"livelatent: while closing: {type(exc).__name__}: {exc}", file=sys.stderr)


def parse_options(argv: list[str]) -> argparse.Namespace:
    from livelatent.commands.perform import add_arguments

    p = argparse.ArgumentParser(prog="livelatent perform")
    add_arguments(p)
    return p.parse_args(argv)


def build_session(args) -> Session:
    """Everything a show needs; if one part cannot open, the parts already open are closed."""
    session = Session(app=None)
    try:
        return _build(args, session)
    except BaseException:
        session.close()
        raise


def _build(args, session: Session) -> Session:
    from livelatent.commands.model_options import resolve_model
    from livelatent.instrument.actions import make
    from livelatent.live.app import LiveApp
    from livelatent.live.bus import ControlBus
    from livelatent.live.ratelog import RateLimitedLog
    from livelatent.live.window import open_display
    from livelatent.instrument.presets import load_preset

    preset = load_preset(args.preset or _default_preset())
    session.model = model = resolve_model(args)
    model.size = h, w = values.size(args.size or preset.display.size).hw
    generator = model.load(args)
    log, bus = RateLimitedLog(), ControlBus()
    osc, feedback = _open_osc(args, preset, bus, generator.z_dim, log, session)
    session.osc, session.midi = osc, _open_midi(args, preset, bus, log, session)
    session.recorder = _open_recorder(args, preset, (w, h), session)
    display = open_display(headless=args.headless, size=(w, h) if args.headless else _window_size(w, h),
                           fullscreen=args.fullscreen, monitor=args.monitor)
    session.closers.append(display.close)
    meta = {**model.meta(generator), "preset": str(preset.path or ""), "generator": generator.label}
    session.app = LiveApp(performance=_performance(args, preset, generator), generator=generator, display=display,
                          bus=bus, size=(h, w), recorder=session.recorder, feedback=feedback, midi=session.midi,
                          display_fps=args.fps or preset.display.fps, hud=preset.display.hud and not args.no_hud,
                          grid=args.grid, record_meta=meta, log=log,
                          shader_dirs=(preset.path.parent,) if preset.path else (),
                          event_log=_open_event_log(args, session), picture=model.track.start)
    if args.record:
        bus.put(make("record.start", source="cli"))
    if args.autopilot:
        from livelatent.live.autopilot import Autopilot

        session.closers.insert(0, Autopilot(bus, args.autopilot).start().close)
    _say_where(osc, feedback, session.midi)
    return session


def _performance(args, preset, generator):
    """The bank (--bank, the preset's source, or random slots) and the mover at slot 0."""
    from livelatent.instrument.bank import KeyframeBank
    from livelatent.instrument.performance import Performance

    seed = preset.bank.seed if args.seed is None else args.seed
    spec, d, slots = args.bank or preset.bank.source, generator.z_dim, preset.bank.slots
    bank = KeyframeBank.from_spec(spec, seed=seed, d=d, slots=slots) if spec else KeyframeBank.random(d, seed, slots)
    return Performance(bank, preset.motion, seed=seed, radius=getattr(generator, "shell_radius", None),
                       noise=preset.noise)


def _open_recorder(args, preset, size: tuple[int, int], session):
    from livelatent.live.recorder import Recorder

    proxy = args.proxy_size or preset.record.proxy_size
    recorder = Recorder(args.recordings, fps=args.record_fps or preset.record.fps,
                        proxy_size=values.size(proxy).wh if proxy else size)
    session.closers.append(recorder.close)
    return recorder


def _open_event_log(args, session):
    if not args.event_log:
        return None
    from livelatent.live.eventlog import EventLog

    log = EventLog(args.event_log)
    session.closers.insert(0, log.close)
    return log


def _default_preset():
    from livelatent.instrument.presets import PROJECT_PRESETS

    return PROJECT_PRESETS / f"{DEFAULT_PRESET}.toml" if (PROJECT_PRESETS / f"{DEFAULT_PRESET}.toml").exists() else None


def _window_size(w: int, h: int) -> tuple[int, int]:
    scale = max(1, 720 // max(h, 1))  # a small model still gets a usable window
    return w * scale, h * scale


def _open_osc(args, preset, bus, d, log, session):
    from livelatent.live.osc import OscFeedback, OscReceiver, parse_host_port

    port = preset.osc.port if args.osc_port is None else args.osc_port
    allow = tuple(a.strip() for a in args.osc_allow.split(",")) if args.osc_allow else preset.osc.allow
    osc = None
    if port:
        osc = OscReceiver(bus, host=args.osc_host or preset.osc.host, port=port, d=d, allow=allow or None, log=log)
        osc.start()
        session.closers.append(osc.close)
    target = args.osc_feedback or preset.osc.feedback
    feedback = None
    if target:
        feedback = OscFeedback(*parse_host_port(target))
        session.closers.append(feedback.close)
    return osc, feedback


def _open_midi(args, preset, bus, log, session):
    name = args.midi or preset.midi.input
    if not name:
        return None
    from livelatent.live.midi import MidiInput
    from livelatent.instrument.presets import append_learned

    def save_learned(binding):
        if preset.path is None:
            raise UsageError("MIDI learn: no preset file to save the mapping to (use --preset)")
        append_learned(Path(preset.path), binding)

    midi = MidiInput(bus, name, preset.midi.map, log=log, on_learned=save_learned).start()
    session.closers.append(midi.close)
    return midi


def _say_where(osc, feedback, midi) -> None:
    parts = []
    if osc is not None:
        host, port = osc.address
        parts.append(f"OSC in {host}:{port}")
    if feedback is not None:
        parts.append(f"feedback to {feedback.target[0]}:{feedback.target[1]}")
    if midi is not None:
        parts.append(f"MIDI {midi.describe()}")
    print("livelatent perform: " + (", ".join(parts) or "keyboard only"), file=sys.stderr, flush=True)

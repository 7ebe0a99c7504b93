"""`livelatent perform`: play the latent space live in a window (or --headless), with MIDI,
OSC and keyboard control, recording takes on demand.

    livelatent perform                                   # window, presets/default.toml
    livelatent perform --headless --duration 10 --record # no display: EGL, one 10 s take
    livelatent perform --preset korg-nanokontrol2 --midi nanoKONTROL2 --osc-feedback 127.0.0.1:9332
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from livelatent.commands import types
from livelatent.commands.model_options import add_model_arguments
from livelatent.commands.music_options import add_music_arguments, music_settings
from livelatent.common import values

if TYPE_CHECKING:  # imported where it is used: `perform --help` loads no numpy
    from livelatent.live.config import ShowConfig

DEFAULT_PRESET = "default"


def add_arguments(p) -> None:
    p.add_argument("--preset", default=None, metavar="TOML",
                   help="preset file or name in presets/ (default: presets/default.toml)")
    p.add_argument("--size", type=types.size, default=None, metavar="WxH",
                   help="decode size, e.g. 512 or 640x360 (default: the preset's, 256x256)")
    p.add_argument("--headless", action="store_true", help="no window: render through EGL (servers, CI)")
    p.add_argument("--fullscreen", action="store_true", help="fullscreen on --monitor (a projector)")
    p.add_argument("--monitor", type=types.index, default=None, metavar="N", help="monitor index for the window")
    p.add_argument("--duration", type=types.seconds, default=None, metavar="S", help="stop after S seconds")
    p.add_argument("--fps", type=types.display_fps, default=None, help="display frame grid when not recording (default 60)")
    p.add_argument("--no-hud", action="store_true", help="start with the HUD hidden (H toggles it)")
    p.add_argument("--console", action=argparse.BooleanOptionalAction, default=None,
                   help="the operator console: the bank as thumbnails and the instrument's state in a second "
                        "window (default: the preset's [display] console, auto: on for a window show unless "
                        "it is fullscreen on the only monitor; see docs/console.md)")
    p.add_argument("--grid", action="store_true",
                   help="with a snapshot set (--model 'run/*.pkl'): start showing every snapshot, tiled "
                        "(G toggles; otherwise /livelatent/snapshot N picks the one shown)")
    p.add_argument("--seed", type=types.seed, default=None, help="seed for random slots and keyframes (default: preset's)")
    p.add_argument("--bank", default=None, metavar="ZSEQ[:frames]",
                   help="fill slots from frames of a z-sequence (e.g. reel.npy:0,12,40-43) or a saved bank")
    p.add_argument("--save-bank", default=None, metavar="NAME",
                   help="at the end, save the bank (with the slots stored during the show) as NAME.npy + NAME.json; "
                        "--bank NAME.npy plays it again")
    p.add_argument("--osc-host", type=types.host, default=None, help="address to listen on (default 127.0.0.1)")
    p.add_argument("--osc-port", type=types.port, default=None, help="OSC port (default 9331; 0 = no OSC)")
    p.add_argument("--osc-feedback", type=types.host_port, default=None, metavar="HOST:PORT", help="send state changes here")
    p.add_argument("--oscquery-port", type=types.port, default=None, metavar="PORT",
                   help="TCP port of the OSCQuery server (the OSC address space with types, ranges and values; "
                        "default: the OSC port's number)")
    p.add_argument("--no-oscquery", action="store_true", help="do not serve OSCQuery")
    p.add_argument("--osc-allow", type=types.ip_list, default=None, metavar="IP,IP", help="accept OSC only from these senders")
    p.add_argument("--midi", default=None, metavar="NAME",
                   help="MIDI input by partial name, or virtual:NAME for a virtual port (see `livelatent devices`)")
    p.add_argument("--event-log", default=None, metavar="FILE",
                   help="append every applied event (tick, arrival, source, first frame that showed it) as JSON lines")
    p.add_argument("--autopilot", type=types.autopilot, default=None, metavar="S|Nbar",
                   help="unattended: a random keyframe now and every S seconds (or every 4bar, 2beat ... on the "
                        "beat grid), logged like any control")
    add_music_arguments(p)
    p.add_argument("--record", action="store_true", help="start recording at once")
    p.add_argument("--recordings", type=types.folder, default="recordings", metavar="DIR", help="where takes go")
    p.add_argument("--record-fps", type=types.rate, default=None, help="take frame rate (default: preset's, 30); 30000/1001 works")
    p.add_argument("--output", type=types.output_spec, action="append", default=None, metavar="SPEC",
                   help="send the picture (no HUD) to a video output too, repeatable: ndi:NAME[@WxH][@RATE], "
                        "v4l2:/dev/videoN, spout:NAME, syphon:NAME (docs/video-out.md; `livelatent devices`)")
    p.add_argument("--proxy-size", type=types.size, default=None, metavar="WxH", help="proxy video size (default: decode size)")
    add_model_arguments(p)


def show_config(args) -> ShowConfig:
    """The show the options and the preset describe (options win over the preset, the preset
    over the built-in defaults), as the one value the live side is built from. `args` may be
    the options as typed: show_config(["--headless", "--duration", "2"])."""
    from livelatent.commands.model_options import resolve_model
    from livelatent.instrument.presets import load_preset
    from livelatent.live.config import ShowConfig

    if isinstance(args, (list, tuple)):
        args = parse_options(list(args))
    preset = load_preset(args.preset or _default_preset())
    size = args.size or values.size(preset.display.size)
    model = replace(resolve_model(args), size=size.hw)
    proxy_size = args.proxy_size or (values.size(preset.record.proxy_size) if preset.record.proxy_size else None)
    allow = args.osc_allow.split(",") if args.osc_allow else preset.osc.allow
    return ShowConfig(
        model=model, preset=preset.path, motion=preset.motion, noise=preset.noise,
        seed=preset.bank.seed if args.seed is None else args.seed, bank=args.bank or preset.bank.source,
        slots=preset.bank.slots, headless=args.headless, fullscreen=args.fullscreen, monitor=args.monitor,
        display_fps=args.fps or preset.display.fps, hud=preset.display.hud and not args.no_hud, grid=args.grid,
        duration=args.duration, console=_console(args.console, preset.display.console), osc_host=args.osc_host or preset.osc.host,
        osc_port=preset.osc.port if args.osc_port is None else args.osc_port,
        osc_allow=tuple(a.strip() for a in allow), osc_feedback=args.osc_feedback or preset.osc.feedback,
        oscquery=preset.osc.query and not args.no_oscquery,
        oscquery_port=preset.osc.query_port if args.oscquery_port is None else args.oscquery_port,
        midi=args.midi or preset.midi.input, midi_map=preset.midi.map,
        midi_feedback=preset.midi.feedback, autopilot=args.autopilot,
        event_log=Path(args.event_log) if args.event_log else None, record=args.record,
        recordings=Path(args.recordings), record_fps=args.record_fps or values.rate(preset.record.fps),
        proxy_size=proxy_size, **_outputs(args.output or (), preset.outputs), **music_settings(args, preset))


def _outputs(flags, preset_outputs) -> dict:
    """The preset's [[output]] entries and the --output flags; a flag wins over an entry of the same name."""
    from livelatent.instrument.presets import OutputSettings

    by_name = {entry.spec.name: entry for entry in preset_outputs}
    by_name.update({spec.name: OutputSettings(spec) for spec in flags})
    return {"outputs": tuple(e.spec for e in by_name.values()),
            "outputs_off": tuple(name for name, e in by_name.items() if not e.enabled)}


def _console(flag: bool | None, preset: str) -> str:
    return preset if flag is None else ("on" if flag else "off")


def parse_options(argv: list[str]):
    """perform's options as typed (tests and benchmarks build shows this way)."""
    from livelatent.commands.parsing import OneLineParser

    parser = OneLineParser(prog="livelatent perform")
    add_arguments(parser)
    return parser.parse_args(argv)


def _default_preset():
    from livelatent.instrument.presets import PROJECT_PRESETS

    default = PROJECT_PRESETS / f"{DEFAULT_PRESET}.toml"
    return default if default.exists() else None


def run(args) -> int:
    from livelatent.commands.perform_outputs import check_outputs, save_bank
    from livelatent.commands.settings import from_preset
    from livelatent.errors import LivelatentError
    from livelatent.live.session import build_session
    from livelatent.live.stop_signals import stop_on_signals

    for warning in check_outputs(args):  # before the model loads: a show is long to lose at its end
        print(f"livelatent perform: {warning}", file=sys.stderr)
    config = show_config(args)
    try:
        session = build_session(config)
    except LivelatentError as exc:  # a setting the preset gave is named as the preset's key, not a flag
        raise from_preset(exc, _given_by_preset(args, config)) from None
    try:
        with stop_on_signals(session.app) as stopped:  # Ctrl-C, SIGTERM, SIGHUP: as at the end of --duration
            summary = session.app.run(duration=session.config.duration)
    finally:
        session.close()
        if args.save_bank:
            line, saved_there = save_bank(session.app.perf.bank, args.save_bank)
            print(line, file=sys.stdout if saved_there else sys.stderr)
    _print_summary(summary, session)
    if stopped:
        print(f"livelatent perform: stopped by {stopped[0]}", file=sys.stderr)
    if session.recorder is not None and session.recorder.unfinished_proxies:
        from livelatent.offline.proxy import complete_after_show  # frames the loop had no time for

        complete_after_show(session.recorder.unfinished_proxies, session.app.generator, config.model.spec)
    return 0


def _given_by_preset(args, config) -> dict[str, str]:
    """Settings whose value came from the preset, not from a flag: the preset key that gave it."""
    keys = {"bank": (args.bank, "[bank] source"), "midi": (args.midi, "[midi] input"),
            "osc_port": (args.osc_port, "[osc] port"), "osc_feedback": (args.osc_feedback, "[osc] feedback"),
            "clock": (args.clock, "[tempo] clock"), "audio": (args.audio, "[audio] input")}
    return {setting: f"{key} in {config.preset}" for setting, (flag, key) in keys.items() if flag is None}


def _print_summary(summary, session) -> None:
    print(f"livelatent perform: {summary.frames} frames in {summary.seconds:.1f} s ({summary.fps:.1f} fps, "
          f"decode {summary.decode_ms:.1f} ms/frame), {summary.ticks} ticks, "
          f"{summary.events} events applied, {summary.rejected} rejected")
    for s in session.app.outputs.statuses() if session.app.outputs else ():
        print(f"video out {s.spec}: {s.sent} frames sent ({s.repeated} repeated), {s.dropped} dropped "
              f"(replaced unsent by newer ones), last {s.state}")
    take = session.recorder.last_take if session.recorder is not None else None
    if take is not None:
        state = take.meta.get("proxy", {}).get("state", "?")
        print(f"take: {Path(take.path)} ({take.rows} frames at {take.fps} fps, proxy {state})")
    if session.recorder is not None and session.recorder.message and take is None:
        print(f"recording: {session.recorder.message}", file=sys.stderr)

"""`livelatent perform`: play the latent space live in a window (or --headless), with MIDI,
OSC and keyboard control, recording takes on demand.

    livelatent perform                                   # window, presets/default.toml
    livelatent perform --headless --duration 10 --record # no display: EGL, one 10 s take
    livelatent perform --preset korg-nanokontrol2 --midi nanoKONTROL2 --osc-feedback 127.0.0.1:9332
"""

from __future__ import annotations

import sys
from pathlib import Path

from livelatent.common import values
from livelatent.commands.model_options import add_model_arguments


def add_arguments(p) -> None:
    p.add_argument("--preset", default=None, metavar="TOML",
                   help="preset file or name in presets/ (default: presets/default.toml)")
    p.add_argument("--size", type=values.size, default=None, metavar="WxH",
                   help="decode size, e.g. 512 or 640x360 (default: the preset's, 256x256)")
    p.add_argument("--headless", action="store_true", help="no window: render through EGL (servers, CI)")
    p.add_argument("--fullscreen", action="store_true", help="fullscreen on --monitor (a projector)")
    p.add_argument("--monitor", type=values.index, default=None, metavar="N", help="monitor index for the window")
    p.add_argument("--duration", type=values.seconds, default=None, metavar="S", help="stop after S seconds")
    p.add_argument("--fps", type=values.display_fps, default=None, help="display frame grid when not recording (default 60)")
    p.add_argument("--no-hud", action="store_true", help="start with the HUD hidden (H toggles it)")
    p.add_argument("--grid", action="store_true",
                   help="with a snapshot set (--model 'run/*.pkl'): start showing every snapshot, tiled "
                        "(G toggles; otherwise /livelatent/snapshot N picks the one shown)")
    p.add_argument("--seed", type=values.seed, default=None, help="seed for random slots and keyframes (default: preset's)")
    p.add_argument("--bank", default=None, metavar="ZSEQ[:frames]",
                   help="fill slots from frames of a z-sequence (e.g. reel.npy:0,12,40-43) or a saved bank")
    p.add_argument("--save-bank", default=None, metavar="NAME",
                   help="at the end, save the bank (with the slots stored during the show) as NAME.npy + NAME.json; "
                        "--bank NAME.npy plays it again")
    p.add_argument("--osc-host", type=values.host, default=None, help="address to listen on (default 127.0.0.1)")
    p.add_argument("--osc-port", type=values.port, default=None, help="OSC port (default 9331; 0 = no OSC)")
    p.add_argument("--osc-feedback", type=values.host_port, default=None, metavar="HOST:PORT", help="send state changes here")
    p.add_argument("--osc-allow", type=values.ip_list, default=None, metavar="IP,IP", help="accept OSC only from these senders")
    p.add_argument("--midi", default=None, metavar="NAME",
                   help="MIDI input by partial name, or virtual:NAME for a virtual port (see `livelatent devices`)")
    p.add_argument("--event-log", default=None, metavar="FILE",
                   help="append every applied event (tick, arrival, source, first frame that showed it) as JSON lines")
    p.add_argument("--autopilot", type=values.seconds, default=None, metavar="S",
                   help="unattended: a random keyframe now and every S seconds, logged like any control")
    p.add_argument("--record", action="store_true", help="start recording at once")
    p.add_argument("--recordings", type=values.folder, default="recordings", metavar="DIR", help="where takes go")
    p.add_argument("--record-fps", type=values.rate, default=None, help="take frame rate (default: preset's, 30); 30000/1001 works")
    p.add_argument("--proxy-size", type=values.size, default=None, metavar="WxH", help="proxy video size (default: decode size)")
    add_model_arguments(p)


def run(args) -> int:
    from livelatent.commands.perform_outputs import check_outputs, save_bank
    from livelatent.live.session import build_session
    from livelatent.live.stop_signals import stop_on_signals

    for warning in check_outputs(args):  # before the model loads: a show is long to lose at its end
        print(f"livelatent perform: {warning}", file=sys.stderr)
    session = build_session(args)
    try:
        with stop_on_signals(session.app) as stopped:  # Ctrl-C, SIGTERM, SIGHUP: as at the end of --duration
            summary = session.app.run(duration=args.duration)
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

        complete_after_show(session.recorder.unfinished_proxies, session.app.generator, session.model.spec)
    return 0


def _print_summary(summary, session) -> None:
    print(f"livelatent perform: {summary.frames} frames in {summary.seconds:.1f} s ({summary.fps:.1f} fps, "
          f"decode {summary.decode_ms:.1f} ms/frame), {summary.ticks} ticks, "
          f"{summary.events} events applied, {summary.rejected} rejected")
    take = session.recorder.last_take if session.recorder is not None else None
    if take is not None:
        state = take.meta.get("proxy", {}).get("state", "?")
        print(f"take: {Path(take.path)} ({take.rows} frames at {take.fps} fps, proxy {state})")
    if session.recorder is not None and session.recorder.message and take is None:
        print(f"recording: {session.recorder.message}", file=sys.stderr)

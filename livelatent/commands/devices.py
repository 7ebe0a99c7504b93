"""`livelatent devices`: the MIDI inputs livelatent can open, the sound inputs and the MIDI clock
it would follow, the OSC ports it would use, and the video outputs this machine can send (and why not)."""

from __future__ import annotations


def add_arguments(parser) -> None:
    parser.add_argument("--preset", default=None, metavar="TOML", help="show this preset's OSC/MIDI settings")


def run(args) -> int:
    from livelatent.errors import DeviceError
    from livelatent.live.midi_ports import input_names, midi_api
    from livelatent.live.osc import DEFAULT_FEEDBACK_PORT
    from livelatent.instrument.presets import load_preset

    preset = load_preset(args.preset or "default")
    print(f"MIDI inputs ({midi_api()}):")
    try:
        names = input_names()
        for name in names:
            print(f"  {name}")
        if not names:
            print("  none found (a virtual one: livelatent perform --midi virtual:livelatent)")
    except DeviceError as exc:
        print(f"  {exc}")
    wanted = preset.midi.input
    print(f"preset {preset.path or '(built-in defaults)'}: MIDI input {wanted!r}" if wanted else
          f"preset {preset.path or '(built-in defaults)'}: no MIDI input (use --midi NAME)")
    _print_audio(preset)
    print(f"OSC in: {preset.osc.host}:{preset.osc.port} (change with --osc-host / --osc-port)")
    feedback = preset.osc.feedback or f"off (e.g. --osc-feedback 127.0.0.1:{DEFAULT_FEEDBACK_PORT})"
    print(f"OSC feedback: {feedback}")
    _print_outputs(preset)
    return 0


def _print_outputs(preset) -> None:
    from livelatent.live.outputs import kinds
    from livelatent.live.outputs.v4l2 import loopback_devices

    print("video outputs (--output SPEC):")
    for kind, problem in kinds.availability():
        where = f" {', '.join(loopback_devices())}" if kind == "v4l2" and not problem else ""
        print(f"  {kind:7} {kinds.TABLE[kind].what}: {'available' + where if not problem else 'no: ' + problem}")
    for entry in preset.outputs:
        print(f"preset output: {entry.spec}{'' if entry.enabled else ' (starts off)'}")


def _print_audio(preset) -> None:
    from livelatent.live.audio_in import input_names

    names = input_names()
    print("audio inputs (JACK where a server runs, else PortAudio; --audio NAME):")
    for name in names:
        print(f"  {name}")
    if not names:
        print("  none found (or the extra is missing: pip install 'livelatent[audio]')")
    clock = preset.tempo.clock
    print(f"MIDI clock: {clock!r} ([tempo] clock)" if clock else "MIDI clock: none (--clock NAME: a MIDI input above)")

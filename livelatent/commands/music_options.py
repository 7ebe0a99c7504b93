"""perform's options for playing in time with the music (docs/music.md): the clock, the tempo,
quantise, settle time in beats, the sound in; each also a preset key ([tempo], [audio])."""

from __future__ import annotations

from pathlib import Path

from livelatent.commands import types


def add_music_arguments(p) -> None:
    p.add_argument("--clock", default=None, metavar="NAME",
                   help="follow MIDI clock (tempo, start / stop / continue, song position) from this MIDI input")
    p.add_argument("--bpm", type=types.bpm, default=None, help="the tempo until a clock or a tap says otherwise (120)")
    p.add_argument("--quantise", type=types.quantise, default=None, metavar="UNIT",
                   help="triggers wait for the next: off, beat, bar, 2bar, ... (default: the preset's, off)")
    p.add_argument("--settle-beats", type=types.beats, default=None, metavar="N",
                   help="settle time in beats, following the tempo (0: [motion] settle_time in seconds)")
    p.add_argument("--audio", default=None, metavar="NAME",
                   help="live sound in: a JACK port or PortAudio input by partial name (see `livelatent devices`)")
    p.add_argument("--audio-file", type=types.audio_file, default=None, metavar="FILE",
                   help="play a sound file as the input; with --headless, faster than real time, frame-exact")


def music_settings(args, preset) -> dict:
    """The ShowConfig fields these options and the preset's [tempo] / [audio] give."""
    tempo, audio = preset.tempo, preset.audio
    pick = lambda flag, key: key if flag is None else flag  # noqa: E731
    return {"clock": args.clock or tempo.clock, "bpm": pick(args.bpm, tempo.bpm),
            "quantise": pick(args.quantise, tempo.quantise), "settle_beats": pick(args.settle_beats, tempo.settle_beats),
            "beats_per_bar": tempo.beats_per_bar, "audio": args.audio or audio.input,
            "audio_file": Path(args.audio_file) if args.audio_file else None, "audio_block": audio.block,
            "audio_map": audio.features}

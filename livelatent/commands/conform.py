"""`livelatent conform EDIT -o OUT`: the edit applied to the z-sequences behind it.

    livelatent conform edit.kdenlive -o final/edit
    livelatent conform edit.kdenlive -o final/edit --search recordings --gaps bridge --smooth-speed
    livelatent conform edit.kdenlive -o final/edit --render --model default --size 512
    livelatent conform cut.xml -o final/cut --otio final/cut.otio    # Premiere / Resolve, via OTIO
    livelatent conform cut.edl -o final/cut --rate 25
    livelatent conform stills.kdenlive -o final/keys --keyframes spline    # docs/keyframe-edits.md

Writes OUT.npy + OUT.json (one z per timeline frame at the project's rate, made_by "conform")
and prints a short report; nothing is written unless the conform completes (or --partial).
"""

from __future__ import annotations

from pathlib import Path

from livelatent.commands import types
from livelatent.edit.assemble import FOREIGN_POLICIES, GAP_POLICIES
from livelatent.commands.chunked_options import is_chunked, split_image_output
from livelatent.commands.keyframe_options import add_keyframe_arguments, keyframe_options, print_keyframes
from livelatent.commands.options import add_model_arguments, add_render_arguments
from livelatent.commands.outputs import add_force_argument, claim, claim_pair
from livelatent.adapters.edit_formats import FORMATS
from livelatent.edit.picks import LAYER_RULES
from livelatent.errors import UsageError
from livelatent.common.files import write_json


def add_arguments(parser) -> None:
    parser.add_argument("project", metavar="EDIT", help="the edit: a Kdenlive / Shotcut / MLT project, or .otio, "
                        ".otioz, .otiod, EDL, FCP 7 XML (Premiere, Resolve), .fcpxml, .aaf (the otio extra)")
    parser.add_argument("--format", choices=list(FORMATS), default=None,
                        help="the edit's format when its content does not tell (default: told by the content)")
    parser.add_argument("--rate", type=types.rate, default=None, metavar="FPS",
                        help="an EDL's frame rate (default: drop frame 30000/1001 if its FCM line says so, "
                             "else its z-sequences' rate); for other edits it overrides the file's")
    parser.add_argument("-o", "--out", type=types.output, required=True, metavar="OUT",
                        help="output pair: OUT.npy, OUT.json")
    parser.add_argument("--sequence", default=None, metavar="NAME",
                        help="the sequence to conform, by name or uuid (default: the active one); for a file "
                             "holding several timelines (an FCP X library, an OTIO collection), by name")
    parser.add_argument("--gaps", choices=GAP_POLICIES, default="hold",
                        help="gaps: repeat the last z (hold, default), slerp across (bridge), drop, or stop")
    parser.add_argument("--foreign", choices=FOREIGN_POLICIES, default="hold",
                        help="clips without a z-sequence (titles, colours, other footage): hold, skip or stop")
    parser.add_argument("--layers", choices=LAYER_RULES, default="fill",
                        help="layered clips: the topmost clip that fills the frame opaquely gives the z "
                             "(fill, default: titles and insets are overlays, fades blend), or the topmost clip (top)")
    parser.add_argument("--search", type=types.folder, action="append", default=[], metavar="DIR",
                        help="also look here for z-sequences of moved media (repeatable)")
    parser.add_argument("--smooth-speed", action="store_true",
                        help="speed changes use the exact fractional source position, slerped between rows")
    parser.add_argument("--partial", action="store_true",
                        help="write what can be conformed even when clips or rows are missing")
    parser.add_argument("--report", type=types.output, metavar="FILE", default=None,
                        help="also write the full report as JSON")
    parser.add_argument("--otio", type=types.output, metavar="OUT.otio", default=None,
                        help="also write the result as an OpenTimelineIO timeline whose one clip plays OUT.mp4 "
                             "(the final render), to drop into any editor")
    add_force_argument(parser)
    parser.add_argument("--render", action="store_true", help="then render OUT.mp4 through the model")
    add_model_arguments(parser)
    add_keyframe_arguments(parser)
    add_render_arguments(parser, fps_default=None)


def print_report(report: dict) -> None:
    print(f"{report['project']}: sequence {report['sequence']!r}, {report['frames']} frames "
          f"({report['duration']} at {report['fps']} fps)")
    for label, frames in report["frames_from"].items():
        print(f"  {frames:>7} frames from {label}  [{report['sources'].get(label, '')}]")
    print(f"  {report['blended_frames']} blended frames (mixes, dissolves; each counted above for its stronger side); "
          f"{report['gap_frames']} gap frames; "
          f"{report['frames_without_z']} frames without a z-sequence")
    for over in report["overlays"]:
        print(f"  overlay (not in the final render): {over['clip']} on track {over['track']}, {over['frames']} frames "
              f"{over['first']}-{over['last']} ({over['from']}-{over['to']})")
    for label in report["clips_without_z"]:
        print(f"  no z-sequence: {label} ({report['sources'].get(label, '')})")
    for line in report["notes"] + report["problems"]:
        print(f"  note: {line}")


def run(args) -> int:
    from livelatent.offline.conform_edit import conform_project

    split_image_output(args)
    if is_chunked(args) and not args.render:
        raise UsageError("--ray and image sequences are for rendering: add --render")
    if args.fps is not None:
        raise UsageError(f"--fps {args.fps}: the conform keeps the project's frame rate; "
                         f"`livelatent render {args.out} --fps {args.fps}` resamples the result")
    claim_pair(args.out, force=args.force, video=args.render)
    if args.report:
        claim([Path(args.report)], force=args.force, flag="--report")
    if args.otio:
        from livelatent.offline.edit_reader import otio_adapter

        claim([Path(args.otio)], force=args.force, flag="--otio")
        otio_adapter(Path(args.otio), "otio")  # the extra is there, before any work
    rate = args.rate.value if args.rate is not None else None
    keyframes = keyframe_options(args, lambda meta: _model(args, meta)[1])
    options = dict(sequence=args.sequence, gaps=args.gaps, foreign=args.foreign, search=args.search,
                   smooth=args.smooth_speed, partial=args.partial, fmt=args.format, rate=rate, layers=args.layers)
    if keyframes is None:
        seq, report = conform_project(args.project, **options)
    else:
        from livelatent.offline.keyframe_edit import keyframe_conform

        seq, report = keyframe_conform(args.project, keyframes, **options)
    print_report(report)
    if "keyframes" in report:
        print_keyframes(report["keyframes"])
    if args.report:
        Path(args.report).parent.mkdir(parents=True, exist_ok=True)
        write_json(args.report, report)
    status = _write(args, seq)
    if args.otio and status == 0:
        _write_otio(args, seq)
    return status


def _write(args, seq) -> int:
    """OUT.npy + OUT.json, and with --render the video OUT.mp4."""
    from livelatent.common import zseq

    if args.render:
        from livelatent.commands.options import finish

        choice, generator = _model(args, seq.meta)
        return finish(args, seq.with_meta(**choice.meta(generator)), generator)
    npy = zseq.save(seq, args.out)
    print(f"wrote {npy} and {npy.with_suffix('.json')} ({len(seq)} frames, d={seq.d})")
    return 0


def _model(args, meta: dict):
    """(ModelChoice, generator) for the conformed edit, loaded once (even speed, then --render)."""
    from livelatent.commands.options import load_model

    if getattr(args, "loaded_model", None) is None:
        args.loaded_model = load_model(args, meta, where=f"{args.project}: its clips")
    return args.loaded_model


def _write_otio(args, seq) -> None:
    """The finished piece as an .otio: one clip playing OUT.mp4 (written by --render, or by
    `livelatent render OUT -o OUT.mp4`), at the edit's rate."""
    from livelatent.common import zseq
    from livelatent.offline.edit_reader import otio_adapter

    npy, _, video = zseq.pair_paths(args.out)
    otio = otio_adapter(Path(args.otio), "otio")
    otio.write_result(Path(args.otio), render=video, name=Path(args.out).name, fps=seq.fps.value, frames=len(seq),
                      metadata={"zseq": str(npy.resolve()), "edit": str(Path(args.project).resolve()),
                                "parents": seq.meta.get("parents", [])})
    note = "" if args.render else f" (render it: livelatent render {args.out} -o {video})"
    print(f"wrote {args.otio}: one clip playing {video}{note}")

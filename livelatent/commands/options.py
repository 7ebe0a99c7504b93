"""Options shared by the commands that decode z: the model (commands/model_options.py), and
how the video is rendered.

    add_model_arguments(parser); add_render_arguments(parser, fps_default="30")
    choice, generator = generator_for(seq, path, args)   # the model given, else the recorded one
    return finish(args, seq, generator)          # OUT.npy + OUT.json + OUT.mp4, exit status
"""

from __future__ import annotations

import sys

from livelatent import values
from livelatent.commands.chunked_options import add_chunked_arguments, finish_chunked, is_chunked, load_chunked
from livelatent.commands.model_options import add_model_arguments, resolve_model
from livelatent.errors import UsageError

__all__ = ["add_model_arguments", "add_render_arguments", "finish", "generator_for", "load_input", "load_model",
           "parse_size"]


def add_render_arguments(parser, *, fps_default: str | None) -> None:
    group = parser.add_argument_group("video")
    rate = fps_default or "the input's"
    group.add_argument("--fps", type=values.rate, default=fps_default, help=f"frame rate, e.g. 30 or 30000/1001 (default: {rate})")
    group.add_argument("--size", type=values.size, default=None, metavar="WxH",
                       help="frame size, e.g. 512 or 1280x720 (default: the model's); with a grid, one tile")
    group.add_argument("--batch", type=values.batch, default=None,
                       help="frames decoded at once (default: measured for the model on this device, at most 16)")
    group.add_argument("--lossless", action="store_true", help="bit-exact video (x264 RGB at qp 0)")
    group.add_argument("--intra", action="store_true", help="every frame a key frame (frame-accurate editing)")
    group.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    add_chunked_arguments(parser)


def load_model(args, recorded: dict | None = None, *, where: str = "the input"):
    """(ModelChoice, generator): the model the options ask for, else the one `recorded` names
    (a built-in one only), with the recorded settings unless the options change them."""
    choice = resolve_model(args, recorded, where=where)
    if is_chunked(args):  # --ray or an image sequence: the workers load it
        return choice, load_chunked(args, choice)
    return choice, choice.load(args)


def parse_size(text: str | None) -> tuple[int, int] | None:
    """"512" -> (512, 512); "1280x720" (width x height) -> (720, 1280) as (h, w); None stays None."""
    if text is None:
        return None
    try:
        parts = [int(v) for v in str(text).lower().split("x")]
    except ValueError:
        parts = []
    if len(parts) not in (1, 2) or min(parts) < 2:
        raise UsageError(f"--size {text!r}: expected a size such as 512 or 1280x720")
    w, h = (parts * 2)[:2]
    return h, w


def finish(args, seq, generator, out=None) -> int:
    """Render seq as the pair `out` (default args.out) and say what was written."""
    from livelatent.offline.render import render

    if is_chunked(args):
        return finish_chunked(args, seq, generator, out)
    result = render(seq, generator, out or args.out, batch=args.batch, lossless=args.lossless,
                    intra_only=args.intra, progress=not args.quiet)
    if result.interrupted:
        print(f"interrupted: kept {result.frames} frames in {result.video} and {result.npy}", file=sys.stderr)
        return 130
    print(f"wrote {result.video} and {result.npy} ({result.frames} frames)")
    return 0


def load_input(path: str, args):
    """(z-sequence, ModelChoice, generator): the model from the options, else the one the
    sequence's sidecar names (built-in ones only), with its recorded settings."""
    from livelatent import zseq

    seq = zseq.load(path)
    return (seq, *generator_for(seq, path, args))


def generator_for(seq, path: str, args):
    """(ModelChoice, generator) for decoding seq (read from `path`): the options, else what its
    sidecar records; its z size checked against the model's."""
    from livelatent import zseq
    from livelatent.errors import ZSequenceError

    choice, generator = load_model(args, seq.meta, where=str(zseq.pair_paths(zseq.resolve(path))[1]))
    if seq.d != generator.z_dim:
        raise ZSequenceError(f"{zseq.pair_paths(path)[0]}: z of size {seq.d}, but model {generator.label} "
                             f"expects {generator.z_dim}")
    return choice, generator

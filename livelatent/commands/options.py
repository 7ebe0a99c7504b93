"""Options shared by the commands that decode z: the model, and how the video is rendered.

    add_model_arguments(parser); add_render_arguments(parser, fps_default="30")
    generator = load_model(args, fallback=seq.meta.get("model"))
    return finish(args, seq, generator)          # OUT.npy + OUT.json + OUT.mp4, exit status
"""

from __future__ import annotations

import sys

from livelatent import values
from livelatent.commands.chunked_options import add_chunked_arguments, finish_chunked, is_chunked, load_chunked
from livelatent.errors import UsageError
from livelatent.limits import check_size


def add_model_arguments(parser, *, snapshots: bool = False) -> None:
    group = parser.add_argument_group("model")
    group.add_argument("--model", default=None, metavar="SPEC",
                       help="default, dcgan-faces, a StyleGAN .pkl, a TorchScript/torch.export file, "
                            "module:function, or a snapshot folder/glob (see `livelatent models`)")
    if snapshots:
        group.add_argument("--snapshots", default=None, metavar="SET",
                           help="a folder, glob or comma list of snapshots: render a labelled grid")
        group.add_argument("--grid", type=values.grid, default=None, metavar="CxR", help="grid of snapshots, e.g. 7x4")
        group.add_argument("--labels", default=None, help="snapshot labels, comma-separated (default: from names)")
    group.add_argument("--device", default="auto", help="cpu, cuda or auto (default: auto = cuda when available)")
    group.add_argument("--stylegan-repo", default=None, metavar="PATH",
                       help="your checkout of stylegan3 / stylegan2-ada-pytorch (or $LIVELATENT_STYLEGAN_REPO)")
    group.add_argument("--psi", type=values.finite, default=1.0, help="StyleGAN truncation psi (default 1)")
    group.add_argument("--class", dest="class_idx", type=values.class_index, default=None, help="class of a conditional StyleGAN")


def add_render_arguments(parser, *, fps_default: str | None) -> None:
    group = parser.add_argument_group("video")
    rate = fps_default or "the input's"
    group.add_argument("--fps", type=values.rate, default=fps_default, help=f"frame rate, e.g. 30 or 30000/1001 (default: {rate})")
    group.add_argument("--size", type=values.size, default=None, metavar="WxH",
                       help="frame size, e.g. 512 or 1280x720 (default: the model's); with a grid, one tile")
    group.add_argument("--batch", type=values.batch, default=16, help="frames decoded at once (default 16)")
    group.add_argument("--lossless", action="store_true", help="bit-exact video (x264 RGB at qp 0)")
    group.add_argument("--intra", action="store_true", help="every frame a key frame (frame-accurate editing)")
    group.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    add_chunked_arguments(parser)


def model_spec(args, fallback: str | None = None) -> str:
    """--snapshots, else --model, else the model the input z-sequence was made with, else default."""
    if getattr(args, "snapshots", None) and args.model:
        raise UsageError("--model and --snapshots: give one of them")
    return getattr(args, "snapshots", None) or args.model or fallback or "default"


def model_meta(args, generator, fallback: str | None = None) -> dict:
    """What a z-sequence's metadata says about the model: its spec, label and snapshot labels."""
    meta = {"model": model_spec(args, fallback), "model_label": generator.label}
    snapshots = getattr(generator, "snapshots", None)
    if snapshots is not None:
        meta["snapshot_labels"] = list(snapshots.labels)
    return meta


def load_model(args, *, fallback: str | None = None):
    """The generator the options ask for, at --size when given."""
    from livelatent import generators

    opts = {"stylegan_repo": args.stylegan_repo, "truncation_psi": args.psi, "class_idx": args.class_idx}
    if getattr(args, "snapshots", None) or getattr(args, "grid", None):
        opts.update(grid=args.grid, labels=args.labels)
    size = parse_size(getattr(args, "size", None))
    if size and getattr(args, "grid", None):  # the whole grid is one frame: it must fit as one
        columns, rows = (int(v) for v in args.grid.split("x"))
        check_size(columns * size[1], rows * size[0], what=f"--grid {args.grid} of --size {args.size}:")
    if is_chunked(args):  # --ray or an image sequence: the workers load it
        return load_chunked(args, model_spec(args, fallback), size, opts)
    return generators.load(model_spec(args, fallback), device=args.device, size=size, **opts)


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
    """(z-sequence, generator): the model from the options, else the one the sequence names."""
    from livelatent import zseq

    seq = zseq.load(path)
    return seq, generator_for(seq, path, args)


def generator_for(seq, path: str, args):
    """The generator for decoding seq (read from `path`): its z size checked against the model's."""
    from livelatent import zseq
    from livelatent.errors import ZSequenceError

    generator = load_model(args, fallback=seq.meta.get("model"))
    if seq.d != generator.z_dim:
        raise ZSequenceError(f"{zseq.pair_paths(path)[0]}: z of size {seq.d}, but model {generator.label} "
                             f"expects {generator.z_dim}")
    return generator

"""Options of the renders done in chunks: `--ray [ADDRESS]` and image sequences (`-o shots/edit/%06d.png`).

    add_chunked_arguments(parser)                 # --ray, --workers, --chunk, --retries, --join, --depth ...
    split_image_output(args)                      # -o shots/edit/%06d.png -> images + the pair shots/edit
    if is_chunked(args):
        model = load_chunked(args, choice)                # workers started, the model loaded there
        return finish_chunked(args, seq, model)

Without --ray and without an image sequence, none of this runs and Ray is never imported.
"""

from __future__ import annotations

import sys

from livelatent import values
from livelatent.errors import UsageError

DEPTHS = (8, 16, 32)


def add_chunked_arguments(parser) -> None:
    from livelatent.offline.chunks import DEFAULT_CHUNK_FRAMES

    group = parser.add_argument_group("distributed render (docs/distributed-render.md)")
    group.add_argument("--ray", nargs="?", const="local", default=None, type=values.ray_address, metavar="ADDRESS",
                       help="decode on Ray workers: alone, a local cluster on this machine; auto, the cluster "
                            "`ray start` made here; HOST:PORT or ray://HOST:PORT, that cluster")
    group.add_argument("--workers", type=values.workers, default=None,
                       help="Ray workers (default: one per GPU of the cluster, else one per CPU)")
    group.add_argument("--chunk", type=values.chunk_frames, default=DEFAULT_CHUNK_FRAMES, metavar="FRAMES",
                       help=f"frames per chunk, rounded up to whole batches (default {DEFAULT_CHUNK_FRAMES})")
    group.add_argument("--retries", type=values.retries, default=3,
                       help="times a chunk is retried on a new worker when its worker dies (default 3)")
    group.add_argument("--join", choices=("remux", "encode"), default="remux",
                       help="the video from the chunks: remux (joined as encoded, default) or encode (in order "
                            "on this machine: the same bytes as a render without --ray)")
    group.add_argument("--depth", type=int, choices=DEPTHS, default=None,
                       help="bits a channel of an image sequence: png/tif 8 (default) or 16, exr 32")
    group.add_argument("--worker-rates", action="store_true", help="show each worker's frames/s")


def split_image_output(args) -> None:
    """`-o shots/edit/%06d.png`: the frames as that image sequence, and the pair and video as
    shots/edit.npy, .json, .mp4 beside its folder. Sets args.images (None for a plain -o)."""
    from livelatent.adapters.image_sequence import ImageSequence, is_pattern

    from livelatent.offline.chunked import work_folder

    args.images = None
    if is_pattern(args.out) or "%" in str(args.out):
        args.images = ImageSequence.parse(args.out, getattr(args, "depth", None))
        args.out = str(args.images.folder)
        _claim_images(args.images, work_folder(args.out), args.force)
    elif getattr(args, "depth", None):
        raise UsageError(f"--depth {args.depth}: only for an image sequence, such as -o shots/edit/%06d.png")


def is_chunked(args) -> bool:
    return bool(getattr(args, "ray", None) or getattr(args, "images", None))


def load_chunked(args, choice):
    """The model of a ModelChoice loaded by the workers (Ray actors for --ray, else this
    process), as a ChunkedModel."""
    from livelatent.offline.chunk_worker import ModelRecipe
    from livelatent.offline.chunked import ChunkedModel, LocalExecutor

    recipe = ModelRecipe.of(choice.load_arguments(args), [picture for _, picture in choice.track.changes])
    if not args.ray:
        return ChunkedModel(LocalExecutor(recipe))
    from livelatent.offline.distributed import RayExecutor

    return ChunkedModel(RayExecutor(recipe, address=args.ray, workers=args.workers, retries=args.retries))


def finish_chunked(args, seq, model, out=None) -> int:
    """Render seq in chunks as the pair `out` (default args.out), its video and image sequence."""
    from livelatent.offline.chunk_worker import ChunkJob
    from livelatent.offline.chunked import ChunkedSettings, render_chunked, segment_settings, work_folder

    out = out or args.out
    settings = ChunkedSettings(chunk_frames=args.chunk, join=args.join, force=args.force,
                               video={"lossless": getattr(args, "lossless", False),
                                      "intra_only": getattr(args, "intra", False)},
                               progress=not getattr(args, "quiet", False), worker_rates=args.worker_rates)
    from livelatent.picture import PictureTrack

    track = PictureTrack.from_meta(seq.meta) if "picture" in seq.meta else None  # psi etc. per frame, as render()
    job = ChunkJob(work_folder(out), str(seq.fps), batch=getattr(args, "batch", None), images=args.images,
                   track=track, segment=segment_settings(settings))
    result = render_chunked(seq, model, job, out, settings)
    if result.interrupted:
        print(f"interrupted: {result.frames} of {len(seq)} frames rendered, kept in {job.work}; "
              "the same command renders the rest", file=sys.stderr)
        return 130
    images = f" and {args.images.pattern}" if args.images else ""
    print(f"wrote {result.video}, {result.npy}{images} ({result.frames} frames)")
    return 0


def _claim_images(images, work, force: bool) -> None:
    """Frames already in the sequence's folder are refused, unless they are this render's own
    (a manifest to resume) or --force."""
    if images is None or force or (work / "manifest.json").exists():
        return
    existing = images.existing()
    if existing:
        raise UsageError(f"-o {images.pattern}: {len(existing)} frames already there ({existing[0].name}, ...); "
                         "add --force to replace them")

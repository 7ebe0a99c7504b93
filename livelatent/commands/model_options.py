"""The model options every command that decodes z shares, live or offline, and the model
provenance a z-sequence's sidecar or a take's take.json carries.

    add_model_arguments(parser, snapshots=True)      # --model --device --stylegan-repo --psi --class --noise-mode
    model = resolve_model(args, seq.meta, where=str(path))   # spec, picture track, size: given, else recorded
    generator = model.load(args)
    meta = model.meta(generator)                     # the same provenance, for the output

A sidecar is data (issue 10): its "model" is loaded by itself only when it names a built-in
model; a file, a snapshot set or a `module:function` stops with one line that shows it and
asks for `--model SPEC`. The settings recorded beside it (psi, class, noise mode, snapshot,
size; see livelatent.picture) are reused unless an option says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from livelatent import values
from livelatent.errors import ModelError, UsageError
from livelatent.limits import check_size
from livelatent.picture import NOISE_MODES, PictureTrack

NO_CLASS = "none"


def add_model_arguments(parser, *, snapshots: bool = False) -> None:
    group = parser.add_argument_group("model")
    group.add_argument("--model", default=None, metavar="SPEC",
                       help="default, dcgan-faces, a StyleGAN .pkl, a TorchScript/torch.export file, module:function, "
                            "or a snapshot folder/glob (see `livelatent models`; default: the input's built-in "
                            "model, else default)")
    if snapshots:
        group.add_argument("--snapshots", default=None, metavar="SET",
                           help="a folder, glob or comma list of snapshots: render a labelled grid")
        group.add_argument("--grid", type=values.grid, default=None, metavar="CxR", help="grid of snapshots, e.g. 7x4")
        group.add_argument("--labels", default=None, help="snapshot labels, comma-separated (default: from names)")
    group.add_argument("--device", default="auto", help="cpu, cuda or auto (default: auto = cuda when available)")
    group.add_argument("--stylegan-repo", default=None, metavar="PATH",
                       help="your checkout of stylegan3 / stylegan2-ada-pytorch (or $LIVELATENT_STYLEGAN_REPO)")
    group.add_argument("--psi", type=values.psi, default=None,
                       help="StyleGAN truncation psi (default: the input's, else 1)")
    group.add_argument("--class", dest="class_idx", type=values.class_or_none, default=None, metavar="N",
                       help="class of a conditional StyleGAN (default: the input's); 'none' for no class")
    group.add_argument("--noise-mode", default=None, choices=NOISE_MODES,
                       help="StyleGAN noise inputs: const (default: the input's, else const) or none")


def trusted_model(recorded, where: str) -> str:
    """A model named by a sidecar: only a built-in name loads by itself."""
    from livelatent.generators import BUILTINS

    if recorded is None:
        return "default"
    if isinstance(recorded, str) and recorded in BUILTINS:
        return recorded
    raise ModelError(f"{where}: made with model {recorded!r}, which a sidecar cannot load by itself "
                     f"(only {', '.join(BUILTINS)} do); pass --model SPEC to use it")


@dataclass
class ModelChoice:
    """What to decode with: the spec, the Picture of every frame, the size of one picture."""

    spec: str
    track: PictureTrack
    size: tuple[int, int] | None  # (h, w)
    grid: bool = False  # --snapshots: every snapshot, tiled

    def load(self, args):
        """The generator, at the track's first Picture and the size."""
        from livelatent import generators

        generator = generators.load(**self.load_arguments(args))
        for _, picture in self.track.changes:  # a psi or class of a later frame this model cannot draw
            generators.configured(generator, picture)
        return generator

    def load_arguments(self, args) -> dict:
        """What generators.load() is given for this choice (a distributed render's workers load it so)."""
        start = self.track.start
        opts = {"stylegan_repo": getattr(args, "stylegan_repo", None), "truncation_psi": start.psi,
                "class_idx": start.class_idx, "noise_mode": start.noise_mode}
        layout = getattr(args, "grid", None)  # render's "7x4" (perform's --grid is an on/off flag)
        layout = layout if isinstance(layout, str) else None
        if self.grid or layout:
            opts.update(grid=layout, labels=getattr(args, "labels", None))
        if self.size and layout:  # the whole grid is one frame: it must fit as one
            columns, rows = (int(v) for v in layout.split("x"))
            given = getattr(args, "size", None) or f"{self.size[1]}x{self.size[0]}"
            check_size(columns * self.size[1], rows * self.size[0], what=f"--grid {layout} of --size {given}:")
        return {"spec": self.spec, "device": args.device, "size": self.size, **opts}

    def meta(self, generator) -> dict:
        """Provenance for an output made with `generator`: model, its label, size, picture track."""
        h, w = getattr(generator, "tile", None) or generator.resolution
        meta = {"model": self.spec, "model_label": generator.label, "size": [int(w), int(h)],
                **self.track.to_meta()}
        snapshots = getattr(generator, "snapshots", None)
        if snapshots is not None:
            meta["snapshot_labels"] = list(snapshots.labels)
        return meta


def resolve_model(args, recorded: dict | None = None, *, where: str = "the input") -> ModelChoice:
    """The options given, else what `recorded` (a sidecar or take.json) says, else the defaults."""
    from livelatent.commands.options import parse_size

    recorded = recorded or {}
    given = getattr(args, "snapshots", None), getattr(args, "model", None)
    if all(given):
        raise UsageError("--model and --snapshots: give one of them")
    if not any(given) and recorded.get("models"):  # a conform of clips made with several models
        raise ModelError(f"{where}: made with several models ({', '.join(map(str, recorded['models']))}); "
                         "pass --model SPEC")
    spec = given[0] or given[1] or trusted_model(recorded.get("model"), where)
    track = PictureTrack.from_meta(recorded, where)
    overrides = {"psi": args.psi, "noise_mode": args.noise_mode,
                 "class_idx": None if args.class_idx == NO_CLASS else args.class_idx}
    overrides = {k: v for k, v in overrides.items() if v is not None or (k == "class_idx" and args.class_idx)}
    if given[0]:
        overrides.update(grid=True, snapshot=None)
    if overrides:
        track = track.replaced(**overrides)
    size = parse_size(getattr(args, "size", None)) or _recorded_size(recorded, where)
    return ModelChoice(spec, track, size, grid=bool(given[0]))


def _recorded_size(recorded: dict, where: str) -> tuple[int, int] | None:
    size = recorded.get("size")
    if size is None:
        return None
    if not (isinstance(size, list) and len(size) == 2 and all(isinstance(v, int) and v > 0 for v in size)):
        raise ModelError(f"{where}: size {size!r}: expected [width, height]")
    return int(size[1]), int(size[0])

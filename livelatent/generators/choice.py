"""What to decode with, by value: the model's spec, the Picture of every frame, the size of one
picture and how to load it. The commands resolve one from their options and a sidecar
(commands/model_options.py); the live show and the renders load it and record its provenance.

    choice = ModelChoice("default", size=(256, 256), device="cpu")
    generator = choice.load()
    meta = choice.meta(generator)       # model, model_label, size [w, h], picture (and changes)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from livelatent.common.picture import PictureTrack


@dataclass(frozen=True)
class ModelChoice:
    spec: str = "default"
    track: PictureTrack = field(default_factory=PictureTrack)
    size: tuple[int, int] | None = None  # (h, w) of one picture; None: the model's own
    grid: bool = False  # a snapshot set given to render: every snapshot, tiled
    device: str = "auto"
    stylegan_repo: str | None = None
    layout: str | None = None  # a snapshot grid's "CxR" (None: as square as it fits)
    labels: str | None = None  # a snapshot grid's labels, comma-separated (None: from the names)

    def load(self):
        """The generator, at the track's first Picture and the size; a Picture of a later frame
        that this model cannot draw is refused now, in one line, not at that frame."""
        from livelatent import generators
        from livelatent.generators.configure import configured

        generator = generators.load(**self.load_arguments())
        for _, picture in self.track.changes:
            configured(generator, picture)
        return generator

    def load_arguments(self) -> dict:
        """What generators.load() is given for this choice (a distributed render's workers load it so)."""
        start = self.track.start
        opts = {"stylegan_repo": self.stylegan_repo, "truncation_psi": start.psi,
                "class_idx": start.class_idx, "noise_mode": start.noise_mode}
        if self.grid or self.layout:
            opts.update(grid=self.layout, labels=self.labels)
        return {"spec": self.spec, "device": self.device, "size": self.size, **opts}

    def meta(self, generator) -> dict:
        """Provenance for an output made with `generator`: model, its label, size, picture track."""
        h, w = getattr(generator, "tile", None) or generator.resolution
        meta = {"model": self.spec, "model_label": generator.label, "size": [int(w), int(h)],
                **self.track.to_meta()}
        snapshots = getattr(generator, "snapshots", None)
        if snapshots is not None:
            meta["snapshot_labels"] = list(snapshots.labels)
        return meta

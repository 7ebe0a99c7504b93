"""The manifest of a chunked render: which chunks are finished, so the same command resumes.

It lives in the render's work folder (OUT.chunks/manifest.json, beside OUT) with the chunk
segments. The driver rewrites it atomically after each finished chunk, so a render stopped
any way (Ctrl-C, a lost machine, the driver killed) leaves a manifest that tells exactly
which chunks need rendering again; a chunk whose files went missing since is rendered again too.

    manifest = Manifest.open(work, fingerprint=fp, chunks=len(plan), render_id=new_id())
    manifest.mark_done(3)
    manifest.missing(plan)          # the chunks still to render
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from livelatent.errors import UsageError
from livelatent.common.files import write_json
from livelatent.common.jsonfile import NAME, POSITIVE, WHOLE, check_fields, list_of, read_json_object

SCHEMA_VERSION = 1
FILE = "manifest.json"
FIELDS = {"schema_version": POSITIVE, "fingerprint": NAME, "id": NAME, "chunks": POSITIVE, "done": list_of(WHOLE)}


@dataclass
class Manifest:
    path: Path
    fingerprint: str
    render_id: str  # the id of the pair being rendered: a resumed render keeps it
    chunks: int
    done: set[int] = field(default_factory=set)

    @classmethod
    def open(cls, work: Path, *, fingerprint: str, chunks: int, render_id: str, force: bool) -> "Manifest":
        """The manifest of this render in `work`: resumed when it is this render's, else a new
        one (an older render's chunks there are refused unless force)."""
        path = Path(work) / FILE
        if path.exists():
            found = cls._read(path)
            if found.fingerprint == fingerprint and found.chunks == chunks:
                return found
            if not force:
                raise UsageError(f"{work}: holds the chunks of another render (other z, model or settings); "
                                 "add `force` to start this one over", setting="force")
        manifest = cls(path, fingerprint, render_id, chunks)
        manifest.save()
        return manifest

    @classmethod
    def _read(cls, path: Path) -> "Manifest":
        data = check_fields(read_json_object(path, UsageError), FIELDS, path, UsageError)
        missing = [k for k in FIELDS if k not in data]
        if missing or data["schema_version"] != SCHEMA_VERSION:
            raise UsageError(f"{path}: not a livelatent render manifest (schema {SCHEMA_VERSION}); "
                             "remove its folder or add `force`", setting="force")
        return cls(path, data["fingerprint"], data["id"], data["chunks"], set(data["done"]))

    def save(self) -> None:
        data = {"schema_version": SCHEMA_VERSION, "fingerprint": self.fingerprint, "id": self.render_id,
                "chunks": self.chunks, "done": sorted(self.done)}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_json(self.path, data, indent=None)  # a driver killed mid-write leaves the previous manifest whole

    def mark_done(self, index: int) -> None:
        self.done.add(index)
        self.save()

    def missing(self, plan, finished=lambda chunk: True) -> list:
        """The chunks of `plan` not done, or done but no longer `finished` (files removed since)."""
        return [c for c in plan if c.index not in self.done or not finished(c)]

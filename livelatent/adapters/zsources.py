"""Find the z-sequence behind each clip of an edit.

In order: NAME.npy + NAME.json beside the clip (the original, then Kdenlive's proxy); the
same stem in the project folder and --search folders (moved media), then the clip's other
names there (an EDL's clip name or reel, Source.names); the take id embedded
in the clip's container tags (livelatent_id) matched against the "id" of z-sequence .json
files in those folders and up to two levels below (project/recordings/take-X/take-X.json).
A clip with none of these is foreign footage (or a title/colour), unless it carries a
livelatent id: then its z-sequence is lost, not absent, and the conform says so.
An image clip made by `livelatent stills` names its z-sequence and row in its PNG tags
(found by id, by the pair's recorded path, or by that pair's name in the folders): the
conform holds that row for as long as the clip lasts. Images without tags are foreign.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from livelatent.common import zseq
from livelatent.adapters.png import STILL_FRAME, STILL_ID, STILL_ZSEQ, read_png_info
from livelatent.errors import LivelatentError, ProjectError
from livelatent.common.files import is_regular_file, regular_file
from livelatent.edit.timeline import Source


@dataclass
class Found:
    seq: "zseq.ZSequence | None"
    how: str  # "beside the clip", "by id ...", "no z-sequence", "missing clip"
    lost_id: str | None = None  # a livelatent video whose z-sequence was not found
    still: int | None = None  # a tagged still: the row it shows for its whole duration


def _pair(stem: Path) -> Path | None:
    return stem if stem.with_name(stem.name + ".npy").exists() and stem.with_name(stem.name + ".json").exists() \
        else None


def _embedded_id(path: Path) -> str | None:
    if not is_regular_file(path) or path.suffix.lower() in (".npy", ".json"):
        return None
    try:
        from livelatent.adapters.video import read_metadata

        return read_metadata(path).get("livelatent_id")
    except LivelatentError:
        return None


class ZFinder:
    def __init__(self, project: Path, search: list[Path]):
        self.folders = [project.parent, *search]
        self._ids: dict[str, Path] | None = None

    def _index_ids(self) -> dict[str, Path]:
        """id -> stem of every z-sequence .json in the folders, down to folder/*/*/NAME.json."""
        if self._ids is None:
            self._ids = {}
            for folder in self.folders:
                for js in [*folder.glob("*.json"), *folder.glob("*/*.json"), *folder.glob("*/*/*.json")]:
                    if not is_regular_file(js):  # a FIFO named x.json would block the search for ever
                        continue
                    try:
                        meta = json.loads(js.read_text())
                    except (OSError, ValueError):
                        continue
                    if isinstance(meta, dict) and meta.get("id") and _pair(js.with_suffix("")):
                        self._ids.setdefault(str(meta["id"]), js.with_suffix(""))
        return self._ids

    def find(self, source: Source) -> Found:
        files = [p for p in (source.path, source.proxy) if p is not None]
        for p in files:
            if p.exists() and not is_regular_file(p):  # a FIFO or a device: reading it would hang
                regular_file(p, ProjectError, f"media file for clip {source.label!r}")
        if source.kind == "image" and source.path is not None:
            return self._still(source)
        if not source.has_frames:
            return Found(None, f"no z-sequence ({source.kind})")
        stems = [p.with_suffix("") for p in files]
        stems += [folder / p.stem for folder in self.folders for p in files]
        stems += [folder / name for folder in self.folders for name in source.names]  # clip / reel names
        for stem in stems:
            if _pair(stem):
                return Found(self._load(stem, source), f"{stem}.npy")
        ids = [i for i in map(_embedded_id, files) if i]
        for take_id in ids:
            if take_id in self._index_ids():
                stem = self._index_ids()[take_id]
                return Found(self._load(stem, source), f"{stem}.npy (by id {take_id})")
        if not any(p.exists() for p in files):
            return Found(None, "missing clip")
        if ids:
            return Found(None, f"z-sequence of livelatent id {ids[0]} not found", lost_id=ids[0])
        return Found(None, "no z-sequence (other footage)")

    def _still(self, source: Source) -> Found:
        info = read_png_info(source.path)
        if info is None or STILL_FRAME not in info.text:
            return Found(None, "no z-sequence (image)")
        tags = info.text
        try:
            frame = int(tags[STILL_FRAME])
        except ValueError:
            raise ProjectError(f"image {source.path}: tag {STILL_FRAME}={tags[STILL_FRAME]!r}; "
                               f"expected a frame number") from None
        stems = [Path(tags[STILL_ZSEQ])] if tags.get(STILL_ZSEQ) else []
        stems += [folder / stem.name for folder in self.folders for stem in stems]
        if tags.get(STILL_ID) in self._index_ids():
            stems.insert(0, self._index_ids()[tags[STILL_ID]])
        for stem in stems:
            if _pair(stem):
                return Found(self._load(stem, source), f"{stem}.npy, frame {frame} (still)", still=frame)
        lost = tags.get(STILL_ID) or tags.get(STILL_ZSEQ, "?")
        return Found(None, f"z-sequence {lost} of a still not found", lost_id=lost)

    def _load(self, stem: Path, source: Source):
        try:
            return zseq.load(stem)
        except LivelatentError as exc:
            raise ProjectError(f"clip {source.label!r}: {exc}") from None

"""A recorded take: one folder under recordings/, written incrementally, safe to cut off.

    recordings/take-20261129-104839-123/        name sorts by (UTC) start time, unique
      take.json          metadata, schema_version; status "recording" -> "complete"/"recovered"
      start.npz          arrays the Performance needs to restart from the take's first tick
      events.jsonl       one JSON object per applied event: tick, arrival, source, event
      shown.jsonl        the first frame on screen that showed each event: event (line), frame, shown_at
      z.f32              raw float32 rows, appended while recording (gone once finalised)
      flushed            "ROWS EVENT_BYTES": the last cut of z.f32 + events.jsonl made durable
      NAME.npy/.json     the finalised z-sequence pair (meta id == take id, made_by performance)
      NAME.mp4           the proxy, all-intra, frame k = decode(z[k]), tagged livelatent_id
      NAME.partial.mp4   proxy frames the live loop did show, when some are missing
      lock               held (flock) by the recording process; a free lock means nobody is

This module reads takes: the layout, take.json's fields, the event log, and the picture each
frame was drawn with. take_writer.py writes and recovers them; live/recorder.py drives the
writer from a thread; offline/proxy.py completes proxies. Nothing here knows about threads,
video or the motion that made the rows.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from livelatent.common import zseq
from livelatent.common.arrayfile import read_npz
from livelatent.common.files import regular_file, write_json
from livelatent.common.jsonfile import (NAME, OBJECT, POSITIVE, RATE, SIZE, TEXT, WHOLE, check_fields, list_of, one_of,
                                        optional, read_json_object)
from livelatent.common.provenance import model_settings, provenance
from livelatent.common.picture import PICTURE_ACTIONS, PictureTrack, check_picture_event
from livelatent.common.rates import FrameRate
from livelatent.errors import LivelatentError, TakeError, UsageError

SCHEMA_VERSION = 1
TAKE_FILE = "take.json"
ROWS_FILE = "z.f32"
EVENTS_FILE = "events.jsonl"
SHOWN_FILE = "shown.jsonl"
START_FILE = "start.npz"
LOCK_FILE = "lock"
FLUSHED_FILE = "flushed"
STATUSES = ("recording", "complete", "recovered")
MAX_JSON_LINE = 1 << 20  # an event line is at most a z of 65,536 numbers, well under 1 MB

# take.json's fields, each checked when present; REQUIRED must be there
REQUIRED = ("id", "fps", "d", "status", "tick_rate", "start_tick")
TAKE_FIELDS = {
    "id": NAME, "name": TEXT, "status": one_of(*STATUSES), "fps": RATE, "d": POSITIVE, "tick_rate": POSITIVE,
    "start_tick": WHOLE, "stop_tick": optional(WHOLE), "frames": WHOLE, "events": WHOLE, "model": NAME,
    "size": SIZE, "seed": WHOLE, "preset": TEXT, "proxy": OBJECT, "performance": OBJECT,
}
PROXY_FIELDS = {
    "state": one_of("complete", "partial", "missing"), "size": optional(SIZE), "codec": optional(TEXT),
    "present": list_of(list_of(WHOLE, 2)),
}


@dataclass(frozen=True)
class Take:
    """A take folder as read back from disk: its path and its take.json."""

    path: Path
    meta: dict

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def id(self) -> str:
        return self.meta["id"]

    @property
    def fps(self) -> FrameRate:
        return FrameRate.parse(self.meta["fps"])

    @property
    def d(self) -> int:
        return int(self.meta["d"])

    @property
    def status(self) -> str:
        return self.meta["status"]

    @property
    def rows(self) -> int:
        """z rows: the finalised count, else the rows of the last flush."""
        if "frames" in self.meta:
            return int(self.meta["frames"])
        return read_flushed(self.path)[0]

    @property
    def duration(self) -> float:
        return float(self.fps.seconds(self.rows))

    @property
    def zseq_stem(self) -> Path:
        return self.path / self.name

    @property
    def proxy_path(self) -> Path:
        return zseq.pair_paths(self.zseq_stem)[2]

    @property
    def partial_proxy_path(self) -> Path:
        return self.path / f"{self.name}.partial.mp4"

    @property
    def recording_proxy_path(self) -> Path:
        return self.path / f"{self.name}.recording.mp4"

    @property
    def proxy_complete(self) -> bool:
        return self.meta.get("proxy", {}).get("state") == "complete"

    @property
    def complete(self) -> bool:
        return self.status in ("complete", "recovered") and self.proxy_complete

    def proxy_size(self) -> tuple[int, int]:
        w, h = self.meta["proxy"]["size"]
        return int(w), int(h)

    def proxy_frames_present(self) -> list[int]:
        """Frame numbers held, in order, by NAME.partial.mp4 (or the recording proxy)."""
        return [k for a, b in self.meta.get("proxy", {}).get("present", []) for k in range(a, b)]


def read_take(path: str | os.PathLike) -> Take:
    """Read a take folder's take.json; every defect names the folder."""
    p = Path(path)
    tj = p / TAKE_FILE
    if not tj.exists():
        raise TakeError(f"{p}: not a take (no {TAKE_FILE})")
    meta = read_json_object(tj, TakeError)
    version = meta.get("schema_version")
    if version != SCHEMA_VERSION:
        raise TakeError(f"{tj}: schema_version {version!r}; this livelatent reads {SCHEMA_VERSION}")
    for key in REQUIRED:
        if key not in meta:
            raise TakeError(f"{tj}: missing key {key!r}")
    check_fields(meta, TAKE_FIELDS, tj, TakeError)
    check_fields(meta.get("proxy", {}), PROXY_FIELDS, f"{tj}: proxy", TakeError)
    try:
        FrameRate.parse(meta["fps"])
    except UsageError:
        raise TakeError(f"{tj}: fps {meta['fps']!r}: expected a rate such as 30 or 30000/1001") from None
    return Take(p, meta)


def is_take_folder(path: str | os.PathLike) -> bool:
    """A folder the recorder made: its take.json beside the files only a take has (a z-sequence
    pair that happens to be called "take" is not one)."""
    p = Path(path)
    return (p / TAKE_FILE).is_file() and any((p / name).exists() for name in (EVENTS_FILE, START_FILE, LOCK_FILE))


def list_takes(recordings: str | os.PathLike, on_error=None) -> list[Take]:
    """Every take under recordings/, oldest first. A broken one raises TakeError, or is
    skipped after on_error(message) when on_error is given."""
    root = Path(recordings)
    if not root.is_dir():
        return []
    found = []
    for path in sorted(p for p in root.iterdir() if (p / TAKE_FILE).exists() or (p / TAKE_FILE).is_symlink()):
        try:
            found.append(read_take(path))
        except TakeError as exc:
            if on_error is None:
                raise
            on_error(str(exc))
    return found


def find_take(name_or_path: str | os.PathLike, recordings: str | os.PathLike = "recordings") -> Take:
    """A take by folder path, or by name under recordings/."""
    p = Path(name_or_path)
    if not (p / TAKE_FILE).exists() and (Path(recordings) / p / TAKE_FILE).exists():
        p = Path(recordings) / p
    return read_take(p)


def load_z(take: Take) -> zseq.ZSequence:
    """The take's z-sequence: the finalised pair, or the flushed rows of one still open."""
    if take.status == "recording":
        n = take.rows
        raw = np.fromfile(take.path / ROWS_FILE, dtype="<f4", count=n * take.d) if n else np.zeros(0, np.float32)
        return zseq.ZSequence(raw.reshape(n, take.d), take.fps, _zseq_meta(take))
    return zseq.load(take.zseq_stem, d=take.d, allow_empty=True)


def read_flushed(path: Path) -> tuple[int, int]:
    """(rows, event bytes) of a recording take's last flush; (0, 0) before the first."""
    try:
        rows, event_bytes = (int(v) for v in (path / FLUSHED_FILE).read_text().split())
        return rows, event_bytes
    except (OSError, ValueError):
        return 0, 0


def load_start(take: Take) -> dict[str, np.ndarray]:
    """The arrays saved at the start of the take (bank, z, velocity, ...): what replay restarts from."""
    path = take.path / START_FILE
    if not path.exists() and not path.is_symlink():
        raise TakeError(f"{path}: missing; a take cannot be replayed without the state it started from")
    return read_npz(path, TakeError, what="take's start state (.npz of numbers)")


def read_events(take: Take) -> list[dict]:
    """The event log, each event with the take frame that first showed it on screen ("frame",
    "shown_at") where shown.jsonl knows it; a line cut off by a crash (the last) is left out."""
    path = take.path / EVENTS_FILE
    if not path.exists() and not path.is_symlink():
        raise TakeError(f"{path}: missing; the take's control events are gone, so it cannot be replayed")
    events = _read_json_lines(path)
    if len(events) < take.meta.get("events", 0):
        raise TakeError(f"{path}: {len(events)} events, but {TAKE_FILE} counts {take.meta['events']}; "
                        "the log was cut or emptied, so the take cannot be replayed")
    for shown in _read_json_lines(take.path / SHOWN_FILE):
        line = shown.get("event")
        if isinstance(line, int) and 0 <= line < len(events):
            events[line].update(frame=shown.get("frame"), shown_at=shown.get("shown_at"))
    return events


def _read_json_lines(path: Path) -> list[dict]:
    """One JSON object per line; a cut-off last line (a crash mid-write) is left out."""
    if not path.exists() and not path.is_symlink():
        return []
    try:
        lines = regular_file(path, TakeError, "JSON lines file").read_bytes().decode("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise TakeError(f"{path}: cannot be read as text ({exc})") from None
    out = []
    for number, line in enumerate(lines, 1):
        try:
            value = json.loads(line) if len(line) <= MAX_JSON_LINE else None
        except (ValueError, RecursionError):
            value = None
        if isinstance(value, dict):
            out.append(value)
        elif number < len(lines):
            raise TakeError(f"{path}:{number}: expected a JSON object on each line")
    return out


def _zseq_meta(take: Take) -> dict:
    model = {**model_settings(take.meta), **picture_track(take).to_meta()}
    return provenance("performance", id=take.id, model=model, take=take.name)


def picture_track(take: Take, fps=None) -> PictureTrack:
    """The Picture of each frame (at `fps`, default the take's): take.json's "picture", then
    each psi, class, snapshot or grid event of events.jsonl from the first frame sampled
    after its tick, as the live loop drew them and replay applies them."""
    where = str(take.path / TAKE_FILE)
    track = PictureTrack.from_meta(take.meta, where)
    fps = FrameRate.parse(fps) if fps is not None else take.fps
    start_tick, tick_rate = int(take.meta["start_tick"]), int(take.meta["tick_rate"])
    picture, changes = track.start, []
    for line in read_events(take):
        event = line.get("event") if isinstance(line, dict) else None
        if not isinstance(event, dict) or event.get("action") not in PICTURE_ACTIONS:
            continue
        try:
            action = event["action"]
            picture = picture.apply(action, check_picture_event(action, tuple(event.get("args", ()))))
            k = fps.first_frame_at(Fraction(int(line["tick"]) - start_tick, tick_rate))
        except (LivelatentError, KeyError, TypeError, ValueError) as exc:
            raise TakeError(f"{take.path / EVENTS_FILE}: event {event!r}: {exc}") from None
        changes = [c for c in changes if c[0] != k] + [(k, picture)]
    return PictureTrack(track.start, changes)


def update_meta(take: Take, **changes) -> Take:
    """Rewrite take.json atomically with `changes`; returns the new Take."""
    meta = {**take.meta, **changes}
    write_json(take.path / TAKE_FILE, meta)
    return Take(take.path, meta)


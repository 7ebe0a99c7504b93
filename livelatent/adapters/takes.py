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

This module reads takes and holds what both sides share: the layout, how rows are sampled
(sample_rows) and proxy frames sized (fit_proxy). take_writer.py writes and recovers them;
live/recorder.py drives the writer from a thread; offline/proxy.py completes proxies.
Nothing here knows about threads or video.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from livelatent.common import zseq
from livelatent.common.arrayfile import read_npz
from livelatent.motion.clock import FrameSampler
from livelatent.instrument.actions import ControlEvent
from livelatent.errors import LivelatentError, TakeError, UsageError
from livelatent.common.rates import FrameRate
from livelatent.common.files import regular_file
from livelatent.common.jsonfile import (NAME, OBJECT, POSITIVE, RATE, SIZE, TEXT, WHOLE, check_fields, list_of, one_of,
                                 optional, read_json_object)
from livelatent.motion.geometry import blend
from livelatent.common.picture import PICTURE_ACTIONS, PictureTrack

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


def sample_rows(sampler: FrameSampler, tick: int, prev: np.ndarray, cur: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """A take's rows for the step tick-1 -> tick: (k, float32 z_k). Recorder and replay share it,
    so a replay at the take's fps gives the recorded rows bit for bit."""
    return [(k, blend(prev, cur, alpha).astype(np.float32)) for k, alpha in sampler.frames_in_step(tick)]


def fit_proxy(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """An (H, W, 3) uint8 image brought to proxy size (w, h): box-averaged when the sizes
    divide, else sampled at pixel centres. Live frames and rebuilt frames both go through it."""
    w, h = size
    height, width = image.shape[:2]
    if (width, height) == (w, h):
        return image
    if height % h == 0 and width % w == 0:
        return _box_average(image, height // h, width // w)
    rows = ((np.arange(h) + 0.5) * height / h).astype(int)
    cols = ((np.arange(w) + 0.5) * width / w).astype(int)
    return image[rows][:, cols]


def _box_average(image: np.ndarray, fy: int, fx: int) -> np.ndarray:
    """Mean of each fy x fx box, rounded half up: summed from strided views in the narrowest
    integer that holds the sum (~5x faster than reshape + sum over uint32; same result)."""
    n = fy * fx
    boxes = np.full((image.shape[0] // fy, image.shape[1] // fx, 3), n // 2,
                    dtype=np.uint16 if 255 * n + n // 2 < 1 << 16 else np.uint32)
    for i in range(fy):
        for j in range(fx):
            boxes += image[i::fy, j::fx]
    boxes //= n
    return boxes.astype(np.uint8)


def parse_size(text: str) -> tuple[int, int]:
    """'WxH' -> (w, h); one line naming what was expected otherwise."""
    try:
        w, h = (int(v) for v in str(text).lower().split("x"))
        if w > 0 and h > 0:
            return w, h
    except ValueError:
        pass
    raise TakeError(f"size {text!r}: expected WIDTHxHEIGHT such as 256x256")


def write_json_atomic(path: Path, data: dict) -> None:
    """Replace `path` with `data` so that a crash leaves the old file or the new, never half."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "w") as f:
            f.write(json.dumps(data, indent=2) + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk leaves the old file, and nothing half-written beside it
        raise
    fsync_path(path.parent)


def fsync_path(path: Path) -> None:
    """fsync a file or a folder by name (a folder: so the names in it survive power loss)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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
    keep = ("model", "model_label", "snapshot", "snapshot_labels", "size", "preset", "seed")
    return {"id": take.id, "made_by": "performance", "take": take.name,
            **{k: take.meta[k] for k in keep if k in take.meta}, **picture_track(take).to_meta()}


def picture_track(take: Take, fps=None) -> PictureTrack:
    """The Picture of each frame (at `fps`, default the take's): take.json's "picture", then
    each psi, class, snapshot or grid event of events.jsonl from the first frame sampled
    after its tick, as the live loop drew them and replay applies them."""
    where = str(take.path / TAKE_FILE)
    track = PictureTrack.from_meta(take.meta, where)
    sampler = FrameSampler(fps or take.fps, int(take.meta["tick_rate"]), start_tick=int(take.meta["start_tick"]))
    picture, changes = track.start, []
    for line in read_events(take):
        event = line.get("event") if isinstance(line, dict) else None
        if not isinstance(event, dict) or event.get("action") not in PICTURE_ACTIONS:
            continue
        try:
            picture = picture.apply(ControlEvent.from_dict(event))
            k = sampler.first_frame_from(int(line["tick"]))
        except (LivelatentError, KeyError, TypeError, ValueError) as exc:
            raise TakeError(f"{take.path / EVENTS_FILE}: event {event!r}: {exc}") from None
        changes = [c for c in changes if c[0] != k] + [(k, picture)]
    return PictureTrack(track.start, changes)


def update_meta(take: Take, **changes) -> Take:
    """Rewrite take.json atomically with `changes`; returns the new Take."""
    meta = {**take.meta, **changes}
    write_json_atomic(take.path / TAKE_FILE, meta)
    return Take(take.path, meta)


"""A recorded take: one folder under recordings/, written incrementally, safe to cut off.

    recordings/take-20261129-104839-123/        name sorts by (UTC) start time, unique
      take.json          metadata, schema_version; status "recording" -> "complete"/"recovered"
      start.npz          arrays the Performance needs to restart from the take's first tick
      events.jsonl       one JSON object per applied event: tick, arrival, source, event
      z.f32              raw float32 rows, appended while recording (gone once finalised)
      flushed            "ROWS EVENT_BYTES": the last cut of z.f32 + events.jsonl made durable
      NAME.npy/.json     the finalised z-sequence pair (meta id == take id, made_by performance)
      NAME.mp4           the proxy, all-intra, frame k = decode(z[k]), tagged livelatent_id
      NAME.partial.mp4   proxy frames the live loop did show, when some are missing
      lock               held (flock) by the recording process; a free lock means nobody is

Nothing here knows about threads or video: live/recorder.py drives TakeWriter, and
offline/proxy.py completes a proxy from the z-sequence.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from livelatent import __version__, zseq
from livelatent.clock import FrameSampler
from livelatent.errors import TakeError
from livelatent.frames import FrameRate
from livelatent.motion.geometry import blend

SCHEMA_VERSION = 1
TAKE_FILE = "take.json"
ROWS_FILE = "z.f32"
EVENTS_FILE = "events.jsonl"
START_FILE = "start.npz"
LOCK_FILE = "lock"
FLUSHED_FILE = "flushed"


def take_name(now: float) -> str:
    """take-YYYYMMDD-HHMMSS-mmm in UTC: plain string order is time order."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(now))
    return f"take-{stamp}-{int(now * 1000) % 1000:03d}"


def _make_take_dir(recordings: Path, now: float) -> Path:
    """A new, unique take folder; a name already taken moves on by a millisecond."""
    recordings.mkdir(parents=True, exist_ok=True)
    for step in range(1000):
        path = recordings / take_name(now + step / 1000)
        try:
            path.mkdir()
            return path
        except FileExistsError:
            continue
    raise TakeError(f"{recordings}: cannot find a free take name near {take_name(now)}")


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
        fy, fx = height // h, width // w
        boxes = image.reshape(h, fy, w, fx, 3).astype(np.uint32).sum(axis=(1, 3))
        return ((boxes + fy * fx // 2) // (fy * fx)).astype(np.uint8)
    rows = ((np.arange(h) + 0.5) * height / h).astype(int)
    cols = ((np.arange(w) + 0.5) * width / w).astype(int)
    return image[rows][:, cols]


def parse_size(text: str) -> tuple[int, int]:
    """'WxH' -> (w, h); one line naming what was expected otherwise."""
    try:
        w, h = (int(v) for v in str(text).lower().split("x"))
        if w > 0 and h > 0:
            return w, h
    except ValueError:
        pass
    raise TakeError(f"size {text!r}: expected WIDTHxHEIGHT such as 256x256")


def _write_json_atomic(path: Path, data: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w") as f:
        f.write(json.dumps(data, indent=2) + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


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
    try:
        meta = json.loads(tj.read_text())
    except (ValueError, OSError) as exc:
        raise TakeError(f"{tj}: not valid JSON ({exc})") from None
    version = meta.get("schema_version") if isinstance(meta, dict) else None
    if version != SCHEMA_VERSION:
        raise TakeError(f"{tj}: schema_version {version!r}; this livelatent reads {SCHEMA_VERSION}")
    for key in ("id", "fps", "d", "status", "tick_rate", "start_tick"):
        if key not in meta:
            raise TakeError(f"{tj}: missing key {key!r}")
    return Take(p, meta)


def list_takes(recordings: str | os.PathLike, on_error=None) -> list[Take]:
    """Every take under recordings/, oldest first. A broken one raises TakeError, or is
    skipped after on_error(message) when on_error is given."""
    root = Path(recordings)
    if not root.is_dir():
        return []
    found = []
    for path in sorted(p for p in root.iterdir() if (p / TAKE_FILE).exists()):
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
    return zseq.load(take.zseq_stem, d=take.d)


def read_flushed(path: Path) -> tuple[int, int]:
    """(rows, event bytes) of a recording take's last flush; (0, 0) before the first."""
    try:
        rows, event_bytes = (int(v) for v in (path / FLUSHED_FILE).read_text().split())
        return rows, event_bytes
    except (OSError, ValueError):
        return 0, 0


def load_start(take: Take) -> dict[str, np.ndarray]:
    """The arrays saved at the start of the take (bank, z, velocity, ...)."""
    path = take.path / START_FILE
    if not path.exists():
        return {}
    with np.load(path, allow_pickle=False) as data:
        return {key: data[key] for key in data.files}


def read_events(take: Take) -> list[dict]:
    """The event log; a line cut off by a crash (the last one) is left out."""
    path = take.path / EVENTS_FILE
    if not path.exists():
        return []
    lines = path.read_text().splitlines()
    events = []
    for number, line in enumerate(lines, 1):
        try:
            events.append(json.loads(line))
        except ValueError:
            if number < len(lines):
                raise TakeError(f"{path}:{number}: not a JSON line") from None
    return events


def _zseq_meta(take: Take) -> dict:
    keep = ("model", "snapshot", "preset", "seed")
    return {"id": take.id, "made_by": "performance", "take": take.name,
            **{k: take.meta[k] for k in keep if k in take.meta}}


def update_meta(take: Take, **changes) -> Take:
    """Rewrite take.json atomically with `changes`; returns the new Take."""
    meta = {**take.meta, **changes}
    _write_json_atomic(take.path / TAKE_FILE, meta)
    return Take(take.path, meta)


def finalise(take: Take) -> Take:
    """z.f32 -> NAME.npy/.json (the rows of the last flush), then drop z.f32; status stays as given."""
    seq = load_z(Take(take.path, {**take.meta, "status": "recording"}))
    zseq.save(seq, take.zseq_stem)
    take = update_meta(take, frames=len(seq))
    for name in (ROWS_FILE, FLUSHED_FILE):
        (take.path / name).unlink(missing_ok=True)
    return take


class TakeWriter:
    """Writes one take incrementally: rows and events are appended, flush() makes them durable.

        w = TakeWriter(Path("recordings"), meta={"fps": "30", "d": 512, "tick_rate": 240,
                       "start_tick": 0, ...}, start_arrays={"bank": bank})
        w.append_rows(z_rows); w.append_events([{...}]); w.flush()   # at least once a second
        take = w.finish(present=[(0, 300)])

    Every OSError (disk full, folder unwritable) reaches the caller as is: the recorder
    decides how the show goes on. Whatever was flushed stays readable by recover().
    """

    def __init__(self, recordings: Path, *, meta: dict, start_arrays: dict | None = None,
                 now: float | None = None) -> None:
        now = time.time() if now is None else now
        self.path = _make_take_dir(Path(recordings), now)
        self._lock = open(self.path / LOCK_FILE, "w")
        fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self.meta = {
            "schema_version": SCHEMA_VERSION, "id": uuid.uuid4().hex, "name": self.path.name,
            "status": "recording", "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
            "software": f"livelatent {__version__}", **meta,
        }
        self.meta["fps"] = str(FrameRate.parse(self.meta["fps"]))
        self.d = int(self.meta["d"])
        if start_arrays:
            np.savez(self.path / START_FILE, **start_arrays)
        _write_json_atomic(self.path / TAKE_FILE, self.meta)
        self._rows = open(self.path / ROWS_FILE, "ab")
        self._events = open(self.path / EVENTS_FILE, "ab")
        self._flushed = open(self.path / FLUSHED_FILE, "wb")
        self.rows, self.event_bytes = 0, 0

    @property
    def take(self) -> Take:
        return Take(self.path, self.meta)

    def append_rows(self, z: np.ndarray) -> None:
        rows = np.ascontiguousarray(z, dtype="<f4").reshape(-1, self.d)
        self._rows.write(rows.tobytes())
        self.rows += rows.shape[0]

    def append_events(self, events: list[dict]) -> None:
        data = "".join(json.dumps(e, separators=(",", ":")) + "\n" for e in events).encode()
        self._events.write(data)
        self.event_bytes += len(data)

    def flush(self) -> None:
        """Make rows and events durable (fsync), then record that cut in `flushed`.

        Rows and events reach the OS in their own buffered time, so a crash can leave rows
        whose events never got written; recover() keeps exactly the last recorded cut.
        """
        for f in (self._rows, self._events):
            f.flush()
            os.fsync(f.fileno())
        os.pwrite(self._flushed.fileno(), f"{self.rows} {self.event_bytes}\n".ljust(40).encode(), 0)
        os.fsync(self._flushed.fileno())

    def finish(self, *, present: list[tuple[int, int]], proxy_size: tuple[int, int] | None = None,
               stop_tick: int | None = None) -> Take:
        """Close the files, finalise the z-sequence and note which proxy frames exist.

        present: [start, stop) runs of frames the recording proxy holds, in order.
        stop_tick: the last tick stepped; rows are the frames in [start_tick, stop_tick).
        """
        self.flush()
        self._close_files()
        proxy = {**self.meta.get("proxy", {}), "present": [list(r) for r in present]}
        if proxy_size is not None:
            proxy["size"] = list(proxy_size)
        take = finalise(update_meta(self.take, proxy=proxy, stopped=_utc_now(), stop_tick=stop_tick))
        take = _settle_recording_proxy(take)
        take = update_meta(take, status="complete")
        self.release()
        return take

    def _close_files(self) -> None:
        for f in (self._rows, self._events, self._flushed):
            if not f.closed:
                try:
                    f.close()
                except OSError:
                    pass

    def release(self) -> None:
        """Give up the take without finalising (e.g. disk full): recover() finishes it later."""
        self._close_files()
        if not self._lock.closed:
            self._lock.close()


def _utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _settle_recording_proxy(take: Take) -> Take:
    """NAME.recording.mp4 becomes NAME.mp4 when it holds every frame, else NAME.partial.mp4."""
    src = take.recording_proxy_path
    runs = take.meta.get("proxy", {}).get("present", [])
    full = [[0, take.rows]] if take.rows else []
    if not src.exists() or not runs:
        src.unlink(missing_ok=True)
        state = "complete" if take.rows == 0 else "missing"
        return update_meta(take, proxy={**take.meta["proxy"], "present": [], "state": state})
    if runs == full:
        os.replace(src, take.proxy_path)
        return update_meta(take, proxy={**take.meta["proxy"], "state": "complete"})
    os.replace(src, take.partial_proxy_path)
    return update_meta(take, proxy={**take.meta["proxy"], "state": "partial"})


def is_abandoned(take: Take) -> bool:
    """A take still 'recording' whose writer is gone (crash, kill -9, power loss)."""
    if take.status != "recording":
        return False
    try:
        with open(take.path / LOCK_FILE, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(lock, fcntl.LOCK_UN)
            return True
    except BlockingIOError:
        return False


def recover(take: Take) -> Take:
    """Finish an abandoned take as it was at its last flush (rows and events of one cut).

    The half-written proxy (an mp4 without its index) is dropped: the proxy is rebuilt
    from the z-sequence by offline.proxy.complete_proxy().
    """
    if not is_abandoned(take):
        raise TakeError(f"{take.path}: not an abandoned take (status {take.status!r})")
    rows, event_bytes = read_flushed(take.path)
    for name, size in ((ROWS_FILE, rows * 4 * take.d), (EVENTS_FILE, event_bytes)):
        if (take.path / name).exists():
            os.truncate(take.path / name, size)
    take.recording_proxy_path.unlink(missing_ok=True)
    take = finalise(update_meta(take, proxy={**take.meta.get("proxy", {}), "present": []}))
    return update_meta(take, status="recovered", stopped=_utc_now(),
                       proxy={**take.meta["proxy"], "state": "complete" if take.rows == 0 else "missing"})


def abandoned_takes(recordings: str | os.PathLike, on_error=lambda message: None) -> list[Take]:
    """Takes cut off by a crash; broken take folders are left alone (on_error hears of them)."""
    return [t for t in list_takes(recordings, on_error) if is_abandoned(t)]

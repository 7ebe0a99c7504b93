"""Writing a take folder (see adapters/takes.py for the layout) and recovering cut-off ones.

TakeWriter appends rows and events as they come and makes them durable in consistent cuts;
finish() turns the folder into a finished take. A take whose writer died (crash, kill -9,
power loss) still says "recording" but its lock is free: recover() finishes it exactly as
it was at its last flush.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from pathlib import Path

import numpy as np

from livelatent import __version__

from livelatent.common import zseq
from livelatent.adapters import takes
from livelatent.errors import TakeError
from livelatent.common.files import atomic_file, fsync_path, move_into_place, write_json
from livelatent.common.provenance import new_id
from livelatent.common.rates import FrameRate


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


def finalise(take: takes.Take) -> takes.Take:
    """z.f32 -> NAME.npy/.json (the rows of the last flush), then drop z.f32; status stays as given."""
    seq = takes.load_z(takes.Take(take.path, {**take.meta, "status": "recording"}))
    zseq.save(seq, take.zseq_stem)
    take = takes.update_meta(take, frames=len(seq), events=_count_lines(take.path / takes.EVENTS_FILE))
    for name in (takes.ROWS_FILE, takes.FLUSHED_FILE):
        (take.path / name).unlink(missing_ok=True)
    return take


def _count_lines(path: Path) -> int:
    """Whole lines in a file (0 when there is none): replay checks the event log against it."""
    try:
        with open(path, "rb") as f:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
    except FileNotFoundError:
        return 0


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
        self._lock = open(self.path / takes.LOCK_FILE, "w")  # empty: only its flock says anything
        fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self.meta = {
            "schema_version": takes.SCHEMA_VERSION, "id": new_id(), "name": self.path.name,
            "status": "recording", "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
            "software": f"livelatent {__version__}", **meta,
        }
        self.meta["fps"] = str(FrameRate.parse(self.meta["fps"]))
        self.d = int(self.meta["d"])
        if start_arrays:
            with atomic_file(self.path / takes.START_FILE) as f:
                np.savez(f, **start_arrays)
        write_json(self.path / takes.TAKE_FILE, self.meta)
        # rows and events stream in for as long as the take lasts, so they are appended in place
        # (not written whole and renamed, as common/files.py does): flush() makes a cut durable
        # and `flushed` says where it ends, which is all recover() needs after a crash
        self._rows = open(self.path / takes.ROWS_FILE, "ab")
        self._events = open(self.path / takes.EVENTS_FILE, "ab")
        self._shown = open(self.path / takes.SHOWN_FILE, "ab")
        self._flushed = open(self.path / takes.FLUSHED_FILE, "wb")
        self.rows, self.event_bytes = 0, 0
        for folder in (self.path, self.path.parent):  # the new names, durable before any row
            fsync_path(folder)

    @property
    def take(self) -> takes.Take:
        return takes.Take(self.path, self.meta)

    def append_rows(self, z: np.ndarray) -> None:
        rows = np.ascontiguousarray(z, dtype="<f4").reshape(-1, self.d)
        self._rows.write(rows.tobytes())
        self.rows += rows.shape[0]

    def append_events(self, events: list[dict]) -> None:
        data = "".join(json.dumps(e, separators=(",", ":")) + "\n" for e in events).encode()
        self._events.write(data)
        self.event_bytes += len(data)

    def append_shown(self, lines: list[dict]) -> None:
        """Which frame first showed which event: informative (latency), not part of the cut."""
        self._shown.write("".join(json.dumps(e, separators=(",", ":")) + "\n" for e in lines).encode())

    def flush(self) -> None:
        """Make rows and events durable (fsync), then record that cut in `flushed`.

        Rows and events reach the OS in their own buffered time, so a crash can leave rows
        whose events never got written; recover() keeps exactly the last recorded cut.
        """
        for f in (self._rows, self._events, self._shown):
            f.flush()
            os.fsync(f.fileno())
        os.pwrite(self._flushed.fileno(), f"{self.rows} {self.event_bytes}\n".ljust(40).encode(), 0)
        os.fsync(self._flushed.fileno())

    def finish(self, *, present: list[tuple[int, int]], proxy_size: tuple[int, int] | None = None,
               stop_tick: int | None = None) -> takes.Take:
        """Close the files, finalise the z-sequence and note which proxy frames exist.

        present: [start, stop) runs of frames the recording proxy holds, in order.
        stop_tick: the last tick stepped; rows are the frames in [start_tick, stop_tick).
        """
        self.flush()
        self._close_files()
        proxy = {**self.meta.get("proxy", {}), "present": [list(r) for r in present]}
        if proxy_size is not None:
            proxy["size"] = list(proxy_size)
        take = finalise(takes.update_meta(self.take, proxy=proxy, stopped=_utc_now(), stop_tick=stop_tick))
        take = _settle_recording_proxy(take)
        take = takes.update_meta(take, status="complete")
        self.release()
        return take

    def _close_files(self) -> None:
        for f in (self._rows, self._events, self._shown, self._flushed):
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


def _settle_recording_proxy(take: takes.Take) -> takes.Take:
    """NAME.recording.mp4 becomes NAME.mp4 when it holds every frame, else NAME.partial.mp4."""
    src = take.recording_proxy_path
    runs = take.meta.get("proxy", {}).get("present", [])
    full = [[0, take.rows]] if take.rows else []
    if not src.exists() or not runs:
        src.unlink(missing_ok=True)
        state = "complete" if take.rows == 0 else "missing"
        return takes.update_meta(take, proxy={**take.meta["proxy"], "present": [], "state": state})
    if runs == full:
        move_into_place(src, take.proxy_path)
        return takes.update_meta(take, proxy={**take.meta["proxy"], "state": "complete"})
    move_into_place(src, take.partial_proxy_path)
    return takes.update_meta(take, proxy={**take.meta["proxy"], "state": "partial"})


def is_abandoned(take: takes.Take) -> bool:
    """A take still 'recording' whose writer is gone (crash, kill -9, power loss)."""
    if take.status != "recording":
        return False
    try:  # read-only: flock needs no write access, so a take on a read-only disk is still seen
        lock = os.open(take.path / takes.LOCK_FILE, os.O_RDONLY)
    except FileNotFoundError:
        return True  # no lock file: no writer holds it
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(lock, fcntl.LOCK_UN)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(lock)


def recover(take: takes.Take) -> takes.Take:
    """Finish an abandoned take as it was at its last flush (rows and events of one cut).

    The half-written proxy (an mp4 without its index) is dropped: the proxy is rebuilt
    from the z-sequence by offline.proxy.complete_proxy().
    """
    if not is_abandoned(take):
        raise TakeError(f"{take.path}: not an abandoned take (status {take.status!r})")
    rows, event_bytes = takes.read_flushed(take.path)
    for name, size in ((takes.ROWS_FILE, rows * 4 * take.d), (takes.EVENTS_FILE, event_bytes)):
        if (take.path / name).exists():
            os.truncate(take.path / name, size)
    take.recording_proxy_path.unlink(missing_ok=True)
    take = finalise(takes.update_meta(take, proxy={**take.meta.get("proxy", {}), "present": []}))
    return takes.update_meta(take, status="recovered", stopped=_utc_now(),
                       proxy={**take.meta["proxy"], "state": "complete" if take.rows == 0 else "missing"})


def abandoned_takes(recordings: str | os.PathLike, on_error=lambda message: None) -> list[takes.Take]:
    """Takes cut off by a crash; broken take folders are left alone (on_error hears of them)."""
    return [t for t in takes.list_takes(recordings, on_error) if is_abandoned(t)]

"""Files: what a reader may open, and the one way every writer writes.

Reading: files a user names as input are opened only when they are regular files. A FIFO
named as a clip or a z-sequence blocks its reader forever; a device (/dev/zero, /dev/stdin)
reads without end or waits for a keyboard; a folder fails deep inside a library. Every reader
of media and data checks its path here first, so each of these is one line.

    path = regular_file("reel.npy", ZSequenceError, "z-sequence")
    if is_regular_file(clip): ...          # a lookup that passes over anything else

Writing: every file livelatent makes is written beside its place under a hidden temporary
name, fsynced, renamed over the place and its folder fsynced: a crash, a kill or a power cut
leaves the old file or the new one, never half of one, and a file said to be written survives.
tests/common/test_files.py holds every module to it; the writers that stream into their file
as the show goes (the event log, a take being recorded, a render's video) are the named
exceptions there, each saying why.

    write_json(path, meta)                 # also write_text, write_bytes
    with atomic_file(path) as f: np.save(f, z)
    with atomic_path(path) as tmp: av.open(str(tmp), "w") ...   # a library that opens by name
    with atomic_paths(npy, js) as (a, b): ...                    # a pair, renamed together
    move_into_place(finished, path)        # a file written elsewhere under its final name
"""

from __future__ import annotations

import json
import os
import stat
from contextlib import contextmanager
from pathlib import Path

from livelatent.errors import LivelatentError

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


def regular_file(path: str | os.PathLike, error: type[LivelatentError] = LivelatentError,
                 what: str = "file") -> Path:
    """`path` when it is a regular file (symlinks followed); else `error` naming it and what it is."""
    p = Path(path)
    try:
        mode = os.stat(p).st_mode
    except FileNotFoundError:
        raise error(f"{p}: {what} not found") from None
    except OSError as exc:
        raise error(f"{p}: cannot be read ({exc.strerror or exc}); expected a {what}") from None
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        raise error(f"{p}: {kind}, not a regular file; expected a {what}")
    return p


def is_regular_file(path: str | os.PathLike) -> bool:
    """True for a regular file (symlinks followed); False for anything else, or nothing."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


# ---- writing ----

def temporary_name(path: str | os.PathLike) -> Path:
    """Where `path` is written before it is renamed into place: beside it (a rename never
    crosses a disk), hidden (an editor or compositor watching the folder never picks it up)
    and with its suffix kept (PyAV and numpy choose the format by it)."""
    p = Path(path)
    return p.with_name(f".{p.name}.part{p.suffix}")


@contextmanager
def atomic_paths(*paths: str | os.PathLike, durable: bool = True):
    """Yields a temporary path for each of `paths`, to write by name; when the block ends
    without error each is fsynced and renamed over its path (in order) and the folders are
    fsynced; on any error every temporary file is removed and `paths` are left as they were.

    durable=False leaves out the fsyncs (the renames still make each file whole or absent):
    for files written by the thousand whose loss a later check finds (an image sequence's
    frames)."""
    finals = [Path(p) for p in paths]
    temps = [temporary_name(p) for p in finals]
    try:
        yield temps
        for tmp in temps if durable else ():
            fsync_path(tmp)
        for tmp, final in zip(temps, finals):
            os.replace(tmp, final)
    except BaseException:
        for tmp in temps:  # a full disk leaves the old files, and nothing half-written beside them
            tmp.unlink(missing_ok=True)
        raise
    for folder in dict.fromkeys(p.parent for p in finals) if durable else ():
        fsync_path(folder)


@contextmanager
def atomic_path(path: str | os.PathLike, *, durable: bool = True):
    """Yields a temporary path to write by name; on success it is renamed to `path` (see
    atomic_paths), on any error it is removed and `path` is left as it was."""
    with atomic_paths(path, durable=durable) as (tmp,):
        yield tmp


@contextmanager
def atomic_file(path: str | os.PathLike, mode: str = "wb"):
    """Yields an open file for writing `path` atomically and durably (see atomic_paths)."""
    with atomic_path(path) as tmp, open(tmp, mode) as f:
        yield f


def move_into_place(src: str | os.PathLike, path: str | os.PathLike) -> Path:
    """Rename a finished file (in the same folder) over `path`, durably: the file's data and
    then the folder's new name reach the disk before this returns."""
    fsync_path(src)
    os.replace(src, path)
    fsync_path(Path(path).parent)
    return Path(path)


def write_bytes(path: str | os.PathLike, data: bytes) -> None:
    with atomic_file(path) as f:
        f.write(data)


def write_text(path: str | os.PathLike, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_json(path: str | os.PathLike, value, *, indent: int | None = 2) -> None:
    """`value` as JSON text and a newline."""
    write_text(path, json.dumps(value, indent=indent) + "\n")


def fsync_path(path: str | os.PathLike) -> None:
    """fsync a file or a folder by name (a folder: so the names in it survive power loss)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

"""Files a user names as input are opened only when they are regular files.

A FIFO named as a clip or a z-sequence blocks its reader forever; a device (/dev/zero,
/dev/stdin) reads without end or waits for a keyboard; a folder fails deep inside a library.
Every reader of media and data checks its path here first, so each of these is one line.

    path = regular_file("reel.npy", ZSequenceError, "z-sequence")
    if is_regular_file(clip): ...          # a lookup that passes over anything else
"""

from __future__ import annotations

import os
import stat
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

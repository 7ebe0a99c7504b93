"""`perform`'s output paths, checked before the model loads, and the bank saved after the show.

A show runs for hours; a path that cannot be written must be said before it starts, not
found out after it ends (the bank, with the slots stored during the show, used to be lost
that way). Nothing is created here: a folder is probed with an unnamed temporary file.

    for line in check_outputs(args): print(line)   # UsageError (one line) for what cannot be written
    line, ok = save_bank(bank, args.save_bank)    # where it went, even when the disk refuses at the end
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from livelatent.errors import UsageError, shorten
from livelatent.common.zseq import pair_paths

LOW_SPACE = 64 << 20  # bytes free under the recordings folder worth a warning (a 256x256 take: ~1 MB/s)


def check_outputs(args) -> list[str]:
    """UsageError naming the first output that cannot be written; warnings (lines) for the
    recordings folder when no take is asked for at the start (one may still be started live)."""
    if args.save_bank:
        for path in pair_paths(args.save_bank)[:2]:
            _check_file("--save-bank", path)
    if args.event_log:
        _check_file("--event-log", Path(args.event_log))
    recordings = Path(args.recordings)
    problem = _folder_problem(recordings)
    if problem and args.record:
        raise UsageError(f"--recordings {shorten(str(recordings), 120)}: {problem}; choose another folder")
    if problem:
        return [f"--recordings {shorten(str(recordings), 120)}: {problem}; recording will not work in this show"]
    free = shutil.disk_usage(_existing(recordings)).free
    if free < LOW_SPACE:
        return [f"--recordings {shorten(str(recordings), 120)}: only {free >> 20} MB free; a take stops when it "
                f"fills up (what it recorded is kept)"]
    return []


def _check_file(flag: str, path: Path) -> None:
    shown = shorten(str(path), 120)
    if path.is_symlink() and not path.exists():
        raise UsageError(f"{flag} {shown}: a link to nothing; expected a file to write")
    if path.exists():
        if path.is_dir():
            raise UsageError(f"{flag} {shown}: is a folder; expected a file to write")
        if not path.is_file():
            raise UsageError(f"{flag} {shown}: not a regular file (a FIFO or a device would block the show)")
        if not os.access(path, os.W_OK):
            raise UsageError(f"{flag} {shown}: cannot be written (no permission, or a read-only disk)")
        return
    problem = _folder_problem(path.parent)
    if problem:
        raise UsageError(f"{flag} {shown}: {problem}")


def _existing(folder: Path) -> Path:
    """`folder`, or its nearest ancestor that exists (what would hold the folders made for it)."""
    folder = folder.absolute()
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _folder_problem(folder: Path) -> str | None:
    """Why files cannot be made in `folder` (its missing part made first), or None."""
    existing = _existing(folder)
    if not existing.is_dir():
        return f"{shorten(str(existing), 120)} is not a folder"
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as exc:
        return f"{shorten(str(existing), 120)} cannot be written ({exc.strerror or exc})"
    return None


def save_bank(bank, name: str) -> tuple[str, bool]:
    """Save the bank as NAME.npy + NAME.json; when that fails at the end of the show (a disk
    filled up, a drive pulled), save it in the temporary folder instead. (The line to print,
    whether it went where it was asked to.)"""
    try:
        return f"bank: {bank.save(name)}", True
    except OSError as exc:
        why = f"bank: cannot write {shorten(str(name), 120)} ({exc.strerror or exc})"
    fallback = Path(tempfile.gettempdir()) / f"livelatent-bank-{time.strftime('%Y%m%d-%H%M%S')}"
    try:
        return f"{why}; saved to {bank.save(fallback)} instead", False
    except OSError as exc:
        return f"{why}, nor to {fallback} ({exc.strerror or exc}): the stored slots are lost", False

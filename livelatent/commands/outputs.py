"""What a command may write: outputs are claimed before anything loads, never replaced by surprise.

    claim_pair(args.out, force=args.force)              # OUT.npy, OUT.json, OUT.mp4
    claim_pair(args.out, force=args.force, video=False) # OUT.npy, OUT.json
    claim_journeys(Path(args.out), force=args.force)    # OUTDIR/journey-NNN.*

An existing output is refused unless --force; a path that is not a regular file (a folder,
a FIFO, a device) is refused even then, and nothing is ever written into a take's folder,
which holds only what the recorder wrote (its pair, proxy, events and start state).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from livelatent.common import zseq
from livelatent.adapters.takes import is_take_folder
from livelatent.errors import UsageError

JOURNEY_FILE = re.compile(r"journey-\d{3,}(\.partial)?\.(npy|json|mp4|mov|mkv)$")


def add_force_argument(parser, help: str = "replace outputs that already exist") -> None:
    parser.add_argument("--force", action="store_true", help=help)


def take_folder_of(path: Path) -> Path | None:
    """The take folder that `path` would be written into, if any."""
    folder = Path(os.path.abspath(path)).parent
    return folder if is_take_folder(folder) else None


def claim(paths: list[Path], *, force: bool, flag: str = "-o") -> None:
    """Refuse to write any of `paths` over something that exists (unless force), over anything
    that is not a regular file, or into a take's folder."""
    for path in paths:
        problem = _folder_problem(path)
        if problem:
            raise UsageError(f"{flag} {path}: {problem}; choose another output")
        take = take_folder_of(path)
        if take is not None:
            raise UsageError(f"{flag} {path}: inside take {take}, whose files only the recorder writes; "
                             "choose another output")
        if path.exists() or path.is_symlink():
            if not path.is_file():
                raise UsageError(f"{flag} {path}: exists and is not a regular file; choose another output")
            if not force:
                raise UsageError(f"{flag} {path}: already exists; add --force to replace it")


def _folder_problem(path: Path) -> str | None:
    """Why the folder `path` goes into cannot take it, judged from its nearest existing folder."""
    folder = Path(os.path.abspath(path)).parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        return f"{folder} is not a folder"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"{folder} is not writable"
    return None


def claim_pair(out, *, force: bool, video: bool = True, flag: str = "-o") -> None:
    """The pair OUT.npy + OUT.json (and its video OUT.mp4, or OUT's own extension)."""
    npy, js, mp4 = zseq.pair_paths(out)
    claim([npy, js, mp4] if video else [npy, js], force=force, flag=flag)


def claim_journeys(folder: Path, *, force: bool) -> list[Path]:
    """A folder for journey-NNN pairs: older journeys there are refused, or (with force)
    returned, for the command to remove once its inputs have loaded, so that none of them
    is left mixed in with the new ones."""
    claim([folder / "journey-000.npy"], force=True)  # not a take folder, nor inside one
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"-o {folder}: exists and is not a folder; journeys go into a folder")
    old = sorted(p for p in folder.glob("journey-*") if JOURNEY_FILE.match(p.name)) if folder.is_dir() else []
    if old and not force:
        raise UsageError(f"-o {folder}: holds {len(old)} files of earlier journeys ({old[0].name}, ...); "
                         "add --force to replace them, or choose another folder")
    strange = [p for p in old if not p.is_file()]
    if strange:
        raise UsageError(f"-o {folder}: {strange[0].name} is not a regular file; choose another folder")
    return old

"""numpy files (.npy, .npz) read without trusting them: the header is checked before any data.

np.load believes a file's header: a 100-byte .npy that claims a (10**9, 512) array makes it
allocate 2 TB (MemoryError), a 0-byte file is an EOFError, a truncated one a ValueError deep
inside reshape, and object arrays would need pickle (never allowed). Here the header's
dtype and shape are checked against what livelatent reads (real numbers, within the limits)
and against the bytes actually in the file, so every defect is one line naming the file.

    z = read_npy("reel.npy", ZSequenceError, what="z-sequence")
    arrays = read_npz("take/start.npz", TakeError)
"""

from __future__ import annotations

import math
import os
import zipfile
from contextlib import contextmanager

import numpy as np

from livelatent.errors import LivelatentError
from livelatent.common.files import regular_file
from livelatent.common.limits import MAX_FRAMES

MAX_WIDTH = 1 << 16  # numbers per row (a z of d numbers): no generator's z comes near
# an archive's members say their own sizes, so they get a budget: a take's start state is a
# bank and a few z (a 64-slot bank at d = 512 is 128 KB)
MAX_ARCHIVE_BYTES = 256 << 20
_READERS = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}


def read_npy(path: str | os.PathLike, error: type[LivelatentError] = LivelatentError, *,
             what: str = "numpy array") -> np.ndarray:
    """The array in a .npy file, after its header has been checked; else `error`, one line."""
    p = regular_file(path, error, what)
    with _one_line(p, error, what), open(p, "rb") as f:
        _check_header(f, os.fstat(f.fileno()).st_size)
        f.seek(0)
        return np.load(f, allow_pickle=False)


def npy_shape(path: str | os.PathLike, error: type[LivelatentError] = LivelatentError, *,
              what: str = "numpy array") -> tuple[int, ...]:
    """The shape a .npy file holds, from its checked header alone (no data is read)."""
    p = regular_file(path, error, what)
    with _one_line(p, error, what), open(p, "rb") as f:
        return _check_header(f, os.fstat(f.fileno()).st_size)


def read_npz(path: str | os.PathLike, error: type[LivelatentError] = LivelatentError, *,
             what: str = "numpy archive") -> dict[str, np.ndarray]:
    """Every array in a .npz archive, each member's header checked against its size first."""
    p = regular_file(path, error, what)
    out = {}
    with _one_line(p, error, what, "numpy archive"), zipfile.ZipFile(p) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_ARCHIVE_BYTES:
            raise _Refused(f"more than {MAX_ARCHIVE_BYTES >> 20} MB of arrays")
        for info in archive.infolist():
            with archive.open(info) as member:
                _check_header(member, info.file_size)
            with archive.open(info) as member:
                out[info.filename.removesuffix(".npy")] = np.lib.format.read_array(member, allow_pickle=False)
    return out


@contextmanager
def _one_line(path, error: type[LivelatentError], what: str, kind: str = "numpy array file"):
    """Whatever numpy, zipfile or the OS raise while reading becomes `error` naming the file."""
    try:
        yield
    except _Refused as exc:
        raise error(f"{path}: {exc}; expected a {what}") from None
    except (ValueError, EOFError, OSError, zipfile.BadZipFile) as exc:
        raise error(f"{path}: not a {kind} ({exc}); expected a {what}") from None
    except MemoryError:
        raise error(f"{path}: too large to load into memory; expected a {what}") from None


class _Refused(Exception):
    """A header that promises something livelatent will not read."""


def _check_header(f, size: int) -> tuple[int, ...]:
    """Read the header at f's start; _Refused unless it promises real numbers within the
    limits, exactly filling the `size` bytes of the file (or archive member)."""
    version = np.lib.format.read_magic(f)
    if version not in _READERS:
        raise _Refused(f"numpy format version {version[0]}.{version[1]}")
    shape, fortran, dtype = _READERS[version](f)
    if dtype.hasobject or dtype.kind not in "fiu" or dtype.fields is not None:
        raise _Refused(f"dtype {dtype}, not real numbers")
    rows, width = (shape[0] if shape else 1), math.prod(shape[1:])
    if rows > MAX_FRAMES or width > MAX_WIDTH:
        raise _Refused(f"shape {shape}: more than {MAX_FRAMES:,} rows or {MAX_WIDTH:,} numbers a row")
    expected = rows * width * dtype.itemsize
    held = size - f.tell()
    if held != expected:
        raise _Refused(f"header says {shape} {dtype} ({expected:,} bytes) but the file holds {held:,}")
    return shape

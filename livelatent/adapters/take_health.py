"""What a take's files say, beside what its take.json says: a lost z-sequence, a deleted proxy.

take.json records what the recorder finished; afterwards files can be deleted, cut short or
replaced. `livelatent takes` reports these, `proxies` rebuilds a proxy whose file is gone,
and whatever needs the z rows refuses a take whose z-sequence is damaged, naming the file.
Only headers and file sizes are read here, so listing many takes stays quick.

    problem = z_damage(take)      # None, or e.g. "take-X.npy missing"
    if proxy_gone(take): take = without_proxy(take)
"""

from __future__ import annotations

from livelatent.common import zseq
from livelatent.adapters.takes import ROWS_FILE, Take
from livelatent.common.arrayfile import npy_shape
from livelatent.errors import TakeError
from livelatent.common.files import is_regular_file


def z_damage(take: Take) -> str | None:
    """What is wrong with the take's z rows on disk (one phrase), or None when they are whole."""
    if take.status == "recording":
        rows = take.path / ROWS_FILE
        needed = take.rows * 4 * take.d
        if needed and (not is_regular_file(rows) or rows.stat().st_size < needed):
            return f"{ROWS_FILE} holds fewer than the {take.rows} rows flushed"
        return None
    npy, js, _ = zseq.pair_paths(take.zseq_stem)
    for path in (npy, js):
        if not is_regular_file(path):
            return f"{path.name} missing"
    try:
        shape = npy_shape(npy, TakeError, what="z-sequence")
    except TakeError as exc:
        return str(exc).removeprefix(f"{npy}: ")
    if shape != (take.rows, take.d):
        return f"{npy.name} holds {shape} rows x d, but take.json says ({take.rows}, {take.d})"
    return None


def proxy_gone(take: Take) -> bool:
    """True when take.json calls the proxy complete (or partial) but its file is not there."""
    state = take.meta.get("proxy", {}).get("state")
    path = {"complete": take.proxy_path, "partial": take.partial_proxy_path}.get(state)
    return path is not None and take.rows > 0 and not is_regular_file(path)


def without_proxy(take: Take) -> Take:
    """The take as its files have it when the proxy is gone: every proxy frame to be made."""
    return Take(take.path, {**take.meta, "proxy": {**take.meta.get("proxy", {}), "state": "missing", "present": []}})

"""Picks + one z-sequence per source -> one z per timeline frame (the conformed sequence).

Vectorised: one np.take per run of frames from one source straight into the output array
(no temporary the size of the output), blends computed only on blended frames, gaps filled
last. Frames with nothing (gaps) or only sources without z (titles, colours, foreign
footage) follow the `gaps` / `foreign` policies: hold, bridge (gaps only), skip or error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from livelatent.edit.picks import NONE, Picks
from livelatent.errors import ProjectError
from livelatent.edit.mlt_time import format_clock

GAP_POLICIES = ("hold", "bridge", "skip", "error")
FOREIGN_POLICIES = ("hold", "skip", "error")


@dataclass
class Assembly:
    z: np.ndarray
    kept: np.ndarray  # timeline frame of each output row
    report: dict = field(default_factory=dict)


def slerp_rows(a: np.ndarray, b: np.ndarray, t: np.ndarray, chunk: int = 1024) -> np.ndarray:
    """Row-wise great-circle blend with linearly interpolated norms: motion.geometry.blend for
    many rows at once (float64 inside, a chunk of rows at a time to bound the temporaries)."""
    out = np.empty(a.shape, np.float32)
    for lo in range(0, len(a), chunk):
        hi = lo + chunk
        out[lo:hi] = _slerp_chunk(a[lo:hi], b[lo:hi], np.asarray(t, np.float64)[lo:hi])
    return out


def _slerp_chunk(a: np.ndarray, b: np.ndarray, t: np.ndarray) -> np.ndarray:
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    na, nb = np.linalg.norm(a64, axis=1), np.linalg.norm(b64, axis=1)
    ua, ub = a64 / np.maximum(na, 1e-12)[:, None], b64 / np.maximum(nb, 1e-12)[:, None]
    omega = np.arccos(np.clip((ua * ub).sum(axis=1), -1.0, 1.0))
    so = np.sin(omega)
    small = so < 1e-7
    so = np.where(small, 1.0, so)
    wa = np.where(small, 1 - t, np.sin((1 - t) * omega) / so)
    wb = np.where(small, t, np.sin(t * omega) / so)
    direction = wa[:, None] * ua + wb[:, None] * ub
    direction /= np.maximum(np.linalg.norm(direction, axis=1), 1e-12)[:, None]
    return direction * ((1 - t) * na + t * nb)[:, None]


def _where(picks: Picks, row: int, col: int = 0, fps=None) -> str:
    """'clip X on track V1 at frame S (clock)', plus the timeline frame when it is not S."""
    seg_id = picks.seg[row, col]
    if seg_id == NONE:
        return f"frame {row}"
    seg, track = picks.segments[seg_id]
    clock = f" ({format_clock(seg.start, fps)})" if fps else ""
    at = f", timeline frame {row}" if row != seg.start else ""
    return f"clip {seg.label or seg.source_label!r} on track {track} at frame {seg.start}{clock}{at}"


def _usable(picks: Picks, weight, zs: list[np.ndarray | None], policy_foreign: str, fps) -> np.ndarray:
    """Weights with sources that have no z removed and rows renormalised."""
    has_z = np.array([z is not None for z in zs] + [False], bool)  # index NONE -> last
    w = np.where(has_z[picks.src], weight, 0).astype(np.float64)
    total = w.sum(axis=1)
    foreign = (total == 0) & ~picks.empty
    if policy_foreign == "error" and foreign.any():
        row = int(np.flatnonzero(foreign)[0])
        src = picks.sources[picks.src[row, 0]]
        raise ProjectError(f"{_where(picks, row, fps=fps)}: {src.label} has no z-sequence (`foreign` error)",
                           setting="foreign")
    return w / np.where(total > 0, total, 1)[:, None]


def _out_of_range(picks: Picks, zs) -> np.ndarray:
    """(N, K) mask of picks past either end of their source's z-sequence."""
    length = np.array([len(z) if z is not None else 2**62 for z in zs] + [2**62], np.float64)
    return (picks.src != NONE) & ((np.floor(picks.pos) >= length[picks.src]) | (picks.pos < 0))


def _check_lengths(picks: Picks, zs, keep, fps) -> None:
    beyond = _out_of_range(picks, zs) & keep[:, None]
    if beyond.any():
        row, col = np.argwhere(beyond)[0]
        z = zs[picks.src[row, col]]
        raise ProjectError(f"{_where(picks, row, col, fps)}: uses source frame {int(picks.pos[row, col])} "
                           f"but its z-sequence has {len(z)} rows")


def _gather_column(out, picks: Picks, zs, col: int, rows: np.ndarray, smooth: bool,
                   dest: np.ndarray | None = None) -> None:
    """out[dest[i]] = z of (src, pos) at timeline row rows[i], column `col`, run by run
    (dest defaults to rows)."""
    if not len(rows):
        return
    dest = rows if dest is None else dest
    src = picks.src[rows, col]
    # runs of one source on consecutive output rows: each is one np.take, no temporary
    breaks = np.flatnonzero((np.diff(src) != 0) | (np.diff(dest) != 1)) + 1
    for lo, hi in zip(np.r_[0, breaks], np.r_[breaks, len(rows)]):
        s = src[lo]
        if s == NONE or zs[s] is None:
            continue
        pos = picks.pos[rows[lo:hi], col]
        base = np.floor(pos).astype(np.int64)
        target = dest[lo:hi]
        # mode="clip" writes straight into out (mode="raise" buffers); ranges were checked before
        np.take(zs[s], base, axis=0, out=out[target[0]:target[-1] + 1], mode="clip")
        frac = pos - base
        if smooth and (frac > 0).any():
            f = np.flatnonzero(frac > 0)
            nxt = np.minimum(base[f] + 1, len(zs[s]) - 1)
            out[target[f]] = slerp_rows(zs[s][base[f]], zs[s][nxt], frac[f])


def assemble(picks: Picks, zs: list[np.ndarray | None], *, gaps: str = "hold", foreign: str = "hold",
             smooth: bool = False, fps=None, partial: bool = False) -> Assembly:
    """zs[i]: the (rows, d) z of picks.sources[i], or None for a source without one.
    partial: frames past the end of a z-sequence count as frames without z (and are reported)
    instead of stopping the conform."""
    if not len(picks):
        raise ProjectError("the timeline is empty: no clip on any visible video track")
    weight, problems = picks.weight, []
    if partial:
        beyond = _out_of_range(picks, zs)
        if beyond.any():
            row, col = np.argwhere(beyond)[0]
            problems.append(f"{_where(picks, row, col, fps)} and {int(beyond.any(axis=1).sum()) - 1} more "
                            f"frames: past the end of the z-sequence")
            weight = np.where(beyond, 0, weight)
    w = _usable(picks, weight, zs, foreign, fps)
    shows = w.sum(axis=1) > 0
    gap = picks.empty
    if gaps == "error" and gap.any():
        raise ProjectError(f"gap at frame {int(np.flatnonzero(gap)[0])} (`gaps` error)", setting="gaps")
    keep = ~((gap & (gaps == "skip")) | (~gap & ~shows & (foreign == "skip")))
    if not shows.any():
        raise ProjectError("no frame of the edit comes from a clip with a z-sequence")
    if not partial:
        _check_lengths(picks, zs, keep & shows, fps)
    d = next(z.shape[1] for z in zs if z is not None)
    out = np.empty((len(picks), d), np.float32)
    # one source at full weight in column 0: a straight gather; the few blended rows after
    single = keep & shows & (w[:, 0] >= 1 - 1e-9)
    _gather_column(out, picks, zs, 0, np.flatnonzero(single), smooth)
    _blend_rows(out, picks, zs, w, np.flatnonzero(keep & shows & ~single), smooth)
    _fill(out, shows, gaps if gaps != "skip" else "hold")
    kept = np.flatnonzero(keep)
    report = _report(picks, w, keep, shows, gap)
    report["problems"] = problems
    return Assembly(_compact_rows(out, kept), kept, report)


def _compact_rows(out: np.ndarray, kept: np.ndarray, chunk: int = 4096) -> np.ndarray:
    """out[:m] = out[kept] in place (kept is increasing), chunk by chunk: no full copy."""
    if len(kept) == len(out):
        return out
    for lo in range(0, len(kept), chunk):
        hi = min(lo + chunk, len(kept))
        out[lo:hi] = out[kept[lo:hi]]
    return out[:len(kept)]


def _blend_rows(out, picks, zs, w, rows, smooth) -> None:
    """Rows mixing several sources: slerp them in one after another by relative weight."""
    if not len(rows):
        return
    acc = np.zeros((len(rows), out.shape[1]), np.float32)
    acc_w = np.zeros(len(rows))
    part = np.empty_like(acc)
    local = np.arange(len(rows))
    for col in range(picks.src.shape[1]):
        wc = w[rows, col]
        _gather_column(part, picks, zs, col, rows, smooth, local)
        t = wc / np.maximum(acc_w + wc, 1e-12)
        first = (acc_w == 0) & (wc > 0)
        acc[first] = part[first]
        later = ~first & (wc > 0)
        if later.any():
            acc[later] = slerp_rows(acc[later], part[later], t[later])
        acc_w += wc
    out[rows] = acc


def _fill(out: np.ndarray, shows: np.ndarray, mode: str) -> None:
    """Rows that show nothing: hold the last z (a leading run takes the first), or bridge."""
    missing = np.flatnonzero(~shows)
    if not len(missing):
        return
    idx = np.arange(len(out))
    prev = np.maximum.accumulate(np.where(shows, idx, -1))
    nxt = np.minimum.accumulate(np.where(shows, idx, len(out))[::-1])[::-1]
    p, q = prev[missing], nxt[missing]
    first = int(np.flatnonzero(shows)[0])
    if mode == "bridge":
        inner = (p >= 0) & (q < len(out))
        t = (missing[inner] - p[inner]) / (q[inner] - p[inner])
        out[missing[inner]] = slerp_rows(out[p[inner]], out[q[inner]], t)
        missing, p = missing[~inner], p[~inner]
    out[missing] = out[np.where(p >= 0, p, first)]


def _report(picks: Picks, w, keep, shows, gap) -> dict:
    frames_from: dict[str, int] = {}
    lead = picks.src[np.arange(len(picks)), np.argmax(w, axis=1)]
    for s, count in zip(*np.unique(lead[keep & shows], return_counts=True)):
        frames_from[picks.sources[s].label] = int(count)
    skipped = sorted({picks.sources[s].label for s in np.unique(picks.src[~shows & ~gap, 0])})
    return {"frames": int(keep.sum()), "timeline_frames": len(picks), "frames_from": frames_from,
            "blended_frames": int((shows & picks.blended).sum()), "gap_frames": int(gap.sum()),
            "frames_without_z": int((~shows & ~gap).sum()), "clips_without_z": skipped,
            "notes": list(dict.fromkeys(picks.notes))}

"""What drew each frame of a conformed edit: the model and picture settings of its clips.

A conformed z-sequence is rendered again at full quality, so it carries the provenance of the
z-sequences it was cut from, as every other command's output does: the model (when all its
clips were made with one; `models` lists them when not, and the render asks for --model),
their size, and a picture track in which each timeline frame has the Picture (psi, class,
...) of the source frame it shows (the stronger side of a mix), gaps and foreign clips
holding the one before.

    meta = edit_provenance(picks, assembly.kept, [seq.meta if seq else None for seq in sources])
"""

from __future__ import annotations

import numpy as np

from livelatent.common.picture import Picture, PictureTrack


def edit_provenance(picks, kept: np.ndarray, source_metas: list[dict | None]) -> dict:
    """Sidecar keys for the conform's output: model or models, size, picture track."""
    metas = [m for m in source_metas if m is not None]
    if not metas:
        return {}
    models = sorted({str(m.get("model") or "default") for m in metas})
    meta = {"model": models[0]} if len(models) == 1 else {"model": None, "models": models}
    sizes = {tuple(m["size"]) for m in metas if isinstance(m.get("size"), list)}
    if len(sizes) == 1:
        meta["size"] = list(sizes.pop())
    tracks = [PictureTrack.from_meta(m, "a clip's sidecar") if m is not None else None for m in source_metas]
    return {**meta, **_track(picks, np.asarray(kept), tracks).to_meta()}


def _track(picks, kept: np.ndarray, tracks: list[PictureTrack | None]) -> PictureTrack:
    """Each output row's Picture: that of the source frame it shows most of."""
    if not len(kept):
        return PictureTrack()
    column = picks.weight[kept].argmax(axis=1)
    src = picks.src[kept, column]
    pos = np.rint(picks.pos[kept, column]).astype(np.int64)
    table: list[Picture] = []
    ids = np.full(len(kept), -1, np.int64)
    for s, track in enumerate(tracks):
        mine = src == s
        if track is None or not mine.any():
            continue
        starts = np.array([0] + [k for k, _ in track.changes], np.int64)
        pictures = [track.start] + [p for _, p in track.changes]
        number = np.array([_index(table, p) for p in pictures], np.int64)
        ids[mine] = number[np.searchsorted(starts, pos[mine], side="right") - 1]
    ids = _hold(ids)
    if ids[0] < 0:
        return PictureTrack()
    changed = np.flatnonzero(ids[1:] != ids[:-1]) + 1
    return PictureTrack(table[ids[0]], [(int(r), table[ids[r]]) for r in changed])


def _index(table: list[Picture], picture: Picture) -> int:
    if picture not in table:
        table.append(picture)
    return table.index(picture)


def _hold(ids: np.ndarray) -> np.ndarray:
    """-1 (a gap, a foreign clip) takes the id before it; leading ones the first there is."""
    valid = ids >= 0
    if not valid.any():
        return ids
    last = np.maximum.accumulate(np.where(valid, np.arange(len(ids)), -1))
    last[last < 0] = np.flatnonzero(valid)[0]
    return ids[last]

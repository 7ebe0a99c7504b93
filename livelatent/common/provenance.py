"""Where a z-sequence came from, written into its sidecar: built here, the same way by every maker.

Every z-sequence livelatent makes carries its own id, what made it (`made_by`, one of MADE_BY),
the ids of the z-sequences it was made from (`parents`), the model and picture settings it is
drawn with, and whatever else its maker records (a seed, picked frames, the project). The id
ties the pair to its videos and stills (their livelatent_id tags) and lets a conform find the
z behind a clip; parents let a piece be traced back to the takes it was cut from.

    meta = provenance("journey", parents=[parent_of(source.meta, "reel.npy")],
                      model=choice.meta(generator), picked_frames=[3, 40])
    meta = provenance("replay", parents=[take.id], model=model_settings(take.meta), take=take.name)
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

MADE_BY = ("samples", "journey", "noise", "performance", "replay", "conform", "render", "path", "other")

# the sidecar keys that say how a z-sequence is drawn: what a replay or a render of it keeps
MODEL_KEYS = ("model", "model_label", "snapshot", "snapshot_labels", "size", "preset", "seed")
# keys that belong to one pair alone, never inherited by what is made from it
OWN_KEYS = ("id", "created", "interrupted", "snapshot_labels", "picture_changes")


def new_id() -> str:
    """A fresh id: 32 hex digits (a uuid4)."""
    return uuid.uuid4().hex


def provenance(made_by: str, *, parents: Iterable[str] = (), model: dict | None = None, id: str | None = None,
               inherited: dict | None = None, **details) -> dict:
    """The sidecar fields of a new z-sequence: `inherited` (a source's fields, less its OWN_KEYS),
    then its id (new unless given), made_by and parents, then the model and picture settings,
    then the maker's own details."""
    if made_by not in MADE_BY:
        raise ValueError(f"made_by {made_by!r}: expected one of {', '.join(MADE_BY)}")
    own = {k: v for k, v in (inherited or {}).items() if k not in OWN_KEYS}
    return {**own, "id": id or new_id(), "made_by": made_by, "parents": list(parents), **(model or {}), **details}


def parent_of(meta: dict, where) -> str:
    """How a new z-sequence names the one it was made from: its id, else the file it was read from."""
    return str(meta.get("id") or where)


def model_settings(meta: dict) -> dict:
    """The MODEL_KEYS a sidecar (or a take's description) holds."""
    return {k: meta[k] for k in MODEL_KEYS if k in meta}

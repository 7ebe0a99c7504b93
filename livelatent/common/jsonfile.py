"""Small JSON sidecars (z-sequence metadata, take.json, bank descriptions), read one way.

Each reader states the fields it uses as a table of checks, so a field of the wrong type is
one line naming the file, the field and what was expected, not a TypeError three calls on:

    meta = read_json_object(path, ZSequenceError)
    check_fields(meta, {"frames": WHOLE, "id": TEXT, "parents": list_of(TEXT)}, path, ZSequenceError)
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable

from livelatent.errors import LivelatentError
from livelatent.common.files import regular_file

MAX_BYTES = 16 << 20  # a sidecar is a few KB; a take's description with a 64-slot bank well under 1 MB

# a check: (predicate, what was expected)
Check = tuple[Callable[[object], bool], str]


def read_json_object(path: str | os.PathLike, error: type[LivelatentError] = LivelatentError) -> dict:
    """The JSON object in `path`, or `error` with one line naming the file and what was wrong."""
    p = regular_file(path, error, "JSON file")
    try:
        if os.path.getsize(p) > MAX_BYTES:
            raise error(f"{p}: {os.path.getsize(p):,} bytes; a JSON sidecar is at most {MAX_BYTES:,}")
        value = json.loads(p.read_text(encoding="utf-8"))
    except (ValueError, OSError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else exc
        raise error(f"{p}: not valid JSON ({reason})") from None
    if not isinstance(value, dict):
        raise error(f"{p}: expected a JSON object, got {type(value).__name__}")
    return value


def check_fields(obj: dict, fields: dict[str, Check], where, error: type[LivelatentError]) -> dict:
    """obj when each of `fields` it holds passes its check; fields it lacks are not checked."""
    for key, (ok, expected) in fields.items():
        if key in obj and not ok(obj[key]):
            raise error(f"{where}: {key} {_short(obj[key])}: expected {expected}")
    return obj


def _short(value) -> str:
    text = json.dumps(value) if not isinstance(value, float) or math.isfinite(value) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def whole(lo: int = 0) -> Check:
    return (lambda v: _is_int(v) and v >= lo), f"a whole number >= {lo}"


def list_of(check: Check, length: int | None = None) -> Check:
    ok, expected = check
    count = f"{length} " if length else ""
    return ((lambda v: isinstance(v, list) and (length is None or len(v) == length) and all(map(ok, v))),
            f"a list of {count}({expected})")


def one_of(*values: str) -> Check:
    return (lambda v: v in values), "one of " + ", ".join(values)


def optional(check: Check) -> Check:
    ok, expected = check
    return (lambda v: v is None or ok(v)), f"{expected} or null"


WHOLE = whole(0)
POSITIVE = whole(1)
TEXT: Check = (lambda v: isinstance(v, str)), "a string"
NAME: Check = (lambda v: isinstance(v, str) and bool(v.strip())), "a non-empty string"
NUMBER: Check = (lambda v: (_is_int(v) or isinstance(v, float)) and math.isfinite(v)), "a finite number"
FLAG: Check = (lambda v: isinstance(v, bool)), "true or false"
OBJECT: Check = (lambda v: isinstance(v, dict)), "a JSON object"
RATE: Check = (lambda v: (isinstance(v, str) and bool(v.strip())) or (_is_int(v) and v > 0)), \
    "a frame rate such as \"30\" or \"30000/1001\""
SIZE = list_of(POSITIVE, 2)  # [width, height]

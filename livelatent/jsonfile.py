"""Small JSON sidecars (z-sequence metadata, take.json, bank descriptions), read one way."""

from __future__ import annotations

import json
import os

from livelatent.errors import LivelatentError


def read_json_object(path: str | os.PathLike, error: type[LivelatentError] = LivelatentError) -> dict:
    """The JSON object in `path`, or `error` with one line naming the file and what was wrong."""
    try:
        value = json.loads(open(path, encoding="utf-8").read())
    except (ValueError, OSError) as exc:
        raise error(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(value, dict):
        raise error(f"{path}: expected a JSON object, got {type(value).__name__}")
    return value

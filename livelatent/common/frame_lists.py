"""Frame lists as a person types them: "0,12,40-43" -> [0, 12, 40, 41, 42, 43].

The one parser for every setting that names frames of a z-sequence (stills' `frames`,
plot-path's `keys`, path's and journeys' `pick`, the bank's ZSEQ:FRAMES), with one message
style, printed by the command line with the setting's flag:

    frame_list("0,12,40-43", 100, setting="frames")   # [0, 12, 40, 41, 42, 43]
    frame_list("x", 100, setting="frames")            # --frames: expected frame numbers like 0,12,40-48, got 'x'
    frame_list("7", 3, setting="pick")                # --pick: expected frames in 0..2, got 7
    frame_groups("3,9;12,40", 100, setting="pick")    # [[3, 9], [12, 40]]: lists split by ';' (or '/')

Frames come in the order given, repeats kept (a journey may pass a frame twice); blank
entries between commas are skipped. A '-' only ever joins a range, so a negative number is
refused as text, as is a range that runs backwards.
"""

from __future__ import annotations

import re

from livelatent.errors import UsageError, shorten

EXPECTED = "frame numbers like 0,12,40-48"
_RANGE = re.compile(r"([0-9]+)(?:\s*-\s*([0-9]+))?")  # ASCII digits only: int() takes others too


def frame_list(text, n: int, *, setting: str) -> list[int]:
    """The frames `text` names, each one of a z-sequence's `n` frames; at least one."""
    frames = _frames(text, text, n, setting)
    if not frames:
        raise _refused(setting, EXPECTED, text)
    return frames


def frame_groups(text, n: int, *, setting: str) -> list[list[int]]:
    """Several frame lists, split by ';' or '/' ("3,9;12,40"); blank ones skipped; at least one."""
    groups = [_frames(group, text, n, setting) for group in str(text).replace("/", ";").split(";")]
    groups = [frames for frames in groups if frames]
    if not groups:
        raise _refused(setting, EXPECTED, text)
    return groups


def _frames(part_text, text, n: int, setting: str) -> list[int]:
    out: list[int] = []
    for part in str(part_text).split(","):
        part = part.strip()
        if part:
            first, last = _range(part, text, setting)
            if last >= n:
                raise _refused(setting, f"frames in 0..{n - 1}", part)
            out.extend(range(first, last + 1))
    return out


def _range(part: str, text, setting: str) -> tuple[int, int]:
    """"12" -> (12, 12); "40-48" -> (40, 48)."""
    match = _RANGE.fullmatch(part)
    if match is None or int(match[2] or match[1]) < int(match[1]):  # not numbers, or a range backwards
        raise _refused(setting, EXPECTED, text)
    return int(match[1]), int(match[2] or match[1])


def _refused(setting: str, expected: str, got) -> UsageError:
    return UsageError(f"`{setting}`: expected {expected}, got {shorten(str(got), 40)!r}", setting=setting)

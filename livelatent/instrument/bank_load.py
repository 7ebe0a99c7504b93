"""The bank.load action's arguments: a saved bank read where the event is made, carried by value.

A performer loads a bank during the show (OSC /livelatent/bank/load PATH, the console's "load
bank"): the file is read by whatever made the event (the OSC process, the console's receiver
thread), never by the loop, which must not wait for a disk. The event then carries the bank
itself, (path, labels, z), not only its path: the event log and the take hold the z values
(float32 values written as JSON floats, which give the same float32 back), so a take replays
bit for bit even after the file has been changed or deleted. The path is kept to say where
it came from.

    check_bank_load("bank.load", ("banks/night",))          # reads banks/night.npy + .json
    check_bank_load("bank.load", ("banks/night", labels, z))  # from a take: checked, not read
"""

from __future__ import annotations

import math

from livelatent.errors import ControlMessageError, LivelatentError

SAVED = "saved with --save-bank: NAME.npy beside a NAME.json of kind keyframe-bank"


def check_bank_load(action: str, args: tuple) -> tuple:
    if len(args) == 1:
        return read_bank(action, args[0])
    if len(args) != 3:
        raise ControlMessageError(f"{action}: expected a bank's path, got {len(args)} arguments")
    path, labels, z = _path(action, args[0]), _labels(action, args[1]), _z(action, args[2])
    if len(labels) != len(z):
        raise ControlMessageError(f"{action}: {len(labels)} labels for {len(z)} slots")
    return (path, labels, z)


def read_bank(action: str, path) -> tuple:
    """(path, labels, z) of the bank saved at `path`; one line naming it when it is not one."""
    from livelatent.common.jsonfile import read_json_object
    from livelatent.common.zseq import pair_paths
    from livelatent.instrument.bank import KeyframeBank

    path = _path(action, path)
    try:
        npy, js, _ = pair_paths(path)
        found = npy.is_file()
    except (ValueError, OSError) as exc:  # "/", a NUL in the path, ...
        raise ControlMessageError(f"{action}: {path!r}: not a bank's path ({exc})") from None
    if not found:
        raise ControlMessageError(f"{action}: {path}: no such bank ({npy} not found)")
    try:
        if not js.is_file() or read_json_object(js).get("kind") != "keyframe-bank":
            raise ControlMessageError(f"{action}: {path}: not a bank ({SAVED})")
        bank = KeyframeBank.load(npy)
    except ControlMessageError:
        raise
    except LivelatentError as exc:
        raise ControlMessageError(f"{action}: {path}: not a bank ({exc})") from None
    return (path, tuple(bank.labels), tuple(tuple(map(float, row)) for row in bank.z))


def _path(action: str, path) -> str:
    if not isinstance(path, str) or not path.strip():
        raise ControlMessageError(f"{action}: expected a bank's path, got {path!r}")
    return path


def _labels(action: str, labels) -> tuple[str, ...]:
    if not isinstance(labels, (list, tuple)) or not all(isinstance(x, str) for x in labels):
        raise ControlMessageError(f"{action}: labels must be a list of texts")
    return tuple(labels)


def _z(action: str, z) -> tuple[tuple[float, ...], ...]:
    rows = z if isinstance(z, (list, tuple)) else ()
    if not rows or not all(isinstance(r, (list, tuple)) and len(r) == len(rows[0]) > 0 for r in rows):
        raise ControlMessageError(f"{action}: z must be rows of equal length, one a slot")
    out = tuple(tuple(r) for r in rows)
    if not all(type(v) in (float, int) and math.isfinite(v) for r in out for v in r):
        raise ControlMessageError(f"{action}: z must hold finite numbers")
    return tuple(tuple(map(float, r)) for r in out)

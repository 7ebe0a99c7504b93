"""Errors that reach the user as one line: they name the thing and what was expected.

Raise deep, report once: `cli.main` turns a LivelatentError into a line on stderr and
exit status 1; the live loop shows it on the HUD and keeps playing.
"""


def shorten(text: str, limit: int = 64) -> str:
    """`text` as a message may quote it when it came from outside (an OSC address, a file
    name): control and non-ASCII characters escaped, cut to about `limit` characters with its
    full length said, so it is one line, safe on a terminal and in the HUD's ASCII font."""
    safe = text if text.isascii() and text.isprintable() else ascii(text)[1:-1]
    if len(safe) <= limit:
        return safe
    return f"{safe[:limit]}...({len(text)} chars)"


class LivelatentError(Exception):
    """Base class: the message is the whole one-line report."""

    exit_code = 1


class UsageError(LivelatentError):
    """A command-line argument that cannot be used."""

    exit_code = 2


class LatentShapeError(LivelatentError):
    """A z (or z-sequence) of the wrong shape or size, or with NaN / inf values."""


class ZSequenceError(LivelatentError):
    """A z-sequence file pair (NAME.npy + NAME.json) that cannot be read."""


class ModelError(LivelatentError):
    """A generator that cannot be loaded or that returned bad output."""


class VideoError(LivelatentError):
    """A video that cannot be written or read."""


class PresetError(LivelatentError):
    """A preset TOML file with a wrong key or value."""


class ProjectError(LivelatentError):
    """An NLE project (Kdenlive) that cannot be read or conformed."""


class TakeError(LivelatentError):
    """A recorded take that is missing, incomplete or inconsistent."""


class ControlMessageError(LivelatentError):
    """A malformed OSC / MIDI / keyboard control message."""


class DeviceError(LivelatentError):
    """A MIDI device or network port that cannot be opened."""


class ShaderError(LivelatentError):
    """A shader that does not compile (the message carries file:line)."""


class ClusterError(LivelatentError):
    """A Ray cluster that cannot be joined, or a chunk of a distributed render that failed every try."""

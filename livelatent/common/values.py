"""Checked values from text: sizes, rates, counts, seeds, ports, addresses, output paths.

Every command's flags use these as argparse types, so each value is checked as it is parsed,
before any model loads, any file is read or the show starts; presets.py checks a preset's
settings with the same functions, so a preset cannot say what a flag may not.

    parser.add_argument("--seed", type=values.seed, default=0)
    parser.add_argument("--size", type=values.size)          # "512" -> Size(512, 512), checked

A bad value raises Refused("'VALUE': expected ..."); commands/types.py hands these to argparse
as its types, and cli.py turns the error into one line, `livelatent CMD: --seed '-1':
expected ...`, exit status 2. The numbers and their reasons
are in livelatent/common/limits.py.
"""

from __future__ import annotations

import ipaddress
import math

from livelatent.common import limits
from livelatent.errors import UsageError
from livelatent.common.rates import FrameRate
from livelatent.common.sizes import Size
from livelatent.common.picture import PSI_RAW
from livelatent.common.output_spec import OutputSpec


class Refused(UsageError):
    """A value these checks refuse: "'VALUE': expected ..." (the setting is named by the caller)."""


def _refuse(text, expected: str) -> Refused:
    shown = str(text) if len(str(text)) <= 40 else str(text)[:37] + "..."
    return Refused(f"{shown!r}: expected {expected}")


def _whole(text, lo: int, hi: int, expected: str) -> int:
    try:
        value = int(str(text).strip())
    except ValueError:
        raise _refuse(text, expected) from None
    if not lo <= value <= hi:
        raise _refuse(text, expected)
    return value


def _real(text, lo: float, hi: float, expected: str, *, low_open: bool = False) -> float:
    try:
        value = float(str(text).strip())
    except ValueError:
        raise _refuse(text, expected) from None
    if not (math.isfinite(value) and lo <= value <= hi) or (low_open and value == lo):
        raise _refuse(text, expected)
    return value


# ---- sizes, counts, rates ----

def size(text) -> Size:
    """'512' or 'WxH' -> Size, both sides even and within H.264's largest frame."""
    if isinstance(text, Size):
        return text
    parts = str(text).lower().strip().split("x")
    expected = "a size such as 512 or 1280x720: even sides, at most 8192x4352 (H.264's largest frame)"
    try:
        w, h = (int(p) for p in (parts * 2)[:2]) if len(parts) in (1, 2) else (0, 0)
        limits.check_size(w, h)
    except (ValueError, UsageError):
        raise _refuse(text, expected) from None
    return Size(w, h)


def grid(text) -> str:
    """'CxR': columns and rows of a snapshot grid, 1 to 64 each."""
    try:
        columns, rows = (int(v) for v in str(text).lower().split("x"))
    except ValueError:
        columns = rows = 0
    if not (1 <= columns <= 64 and 1 <= rows <= 64):
        raise _refuse(text, "COLUMNSxROWS such as 7x4, 1 to 64 each")
    return f"{columns}x{rows}"


def frames(text) -> int:
    return _whole(text, 1, limits.MAX_FRAMES, f"a number of frames from 1 to {limits.MAX_FRAMES:,}")


def journey_frames(text) -> int:
    return _whole(text, 2, limits.MAX_FRAMES, f"a number of frames from 2 to {limits.MAX_FRAMES:,}")


def journeys(text) -> int:
    return _whole(text, 1, limits.MAX_JOURNEYS, f"a number of journeys from 1 to {limits.MAX_JOURNEYS}")


def batch(text) -> int:
    return _whole(text, 1, limits.MAX_BATCH, f"frames decoded at once, 1 to {limits.MAX_BATCH}")


def rows(text) -> int:
    return _whole(text, 1, 1 << 16, "a number of rows from 1 to 65536")


def oversample(text) -> int:
    return _whole(text, 2, 64, "dense samples per frame, 2 to 64")


def rate(text) -> FrameRate:
    """'30', '30000/1001', '29.97' -> FrameRate, within 1/100..1000 frames per second."""
    expected = "a frame rate such as 30 or 30000/1001, from 1/100 to 1000"
    try:
        fps = FrameRate.parse(str(text))
    except UsageError:
        raise _refuse(text, expected) from None
    if not limits.MIN_FPS <= fps.value <= limits.MAX_FPS:
        raise _refuse(text, expected)
    return fps


def display_fps(text) -> float:
    return _real(text, 0.0, float(limits.MAX_FPS), "frames per second, more than 0 and at most 1000", low_open=True)


# ---- numbers ----

def seed(text) -> int:
    return _whole(text, 0, limits.MAX_SEED, "a whole number from 0 to 2**63 - 1")


def unit(text) -> float:
    return _real(text, 0.0, 1.0, "a number from 0 to 1")


def seconds(text) -> float:
    return _real(text, 0.0, limits.MAX_SECONDS, "seconds, more than 0 and at most a week (604800)", low_open=True)


def finite(text) -> float:
    return _real(text, -math.inf, math.inf, "a finite number")


def positive(text) -> float:
    return _real(text, 0.0, math.inf, "a finite number above 0", low_open=True)


def slots(text) -> int:
    return _whole(text, 1, 1024, "a number of keyframe slots from 1 to 1024")


def index(text) -> int:
    return _whole(text, 0, 1 << 16, "a whole number from 0")


def psi(text) -> float:
    """StyleGAN truncation psi (livelatent.common.picture.PSI_RAW)."""
    return _real(text, PSI_RAW[0], PSI_RAW[1], f"a finite number from {PSI_RAW[0]:g} to {PSI_RAW[1]:g}")


def class_or_none(text) -> int | str:
    """A class number, or 'none': no class (drops the class a z-sequence's sidecar recorded)."""
    return "none" if str(text).strip().lower() == "none" else class_index(text)


def class_index(text) -> int:
    return _whole(text, 0, 1 << 31, "a class number from 0")


# ---- network ----

def port(text) -> int:
    return _whole(text, 0, 65535, "a UDP port from 1 to 65535 (0: none)")


def host(text) -> str:
    """An IP address to listen on (127.0.0.1, 0.0.0.0, ::1) or 'localhost'."""
    value = str(text).strip()
    if value != "localhost":
        try:
            ipaddress.ip_address(value)
        except ValueError:
            raise _refuse(text, "an IP address such as 127.0.0.1 or 0.0.0.0") from None
    return value


def host_port(text) -> str:
    """HOST:PORT with a port from 1 to 65535 (a name or an IP address as host)."""
    name, sep, number = str(text).strip().rpartition(":")
    if not sep or not name or not number.isdigit() or not 1 <= int(number) <= 65535:
        raise _refuse(text, "HOST:PORT such as 127.0.0.1:9332")
    return str(text).strip()


def ip_list(text) -> str:
    """'IP,IP,...': every one an IP address."""
    items = [item.strip() for item in str(text).split(",")]
    try:
        for item in items:
            ipaddress.ip_address(item)
    except ValueError:
        raise _refuse(text, "IP addresses separated by commas, such as 127.0.0.1,192.168.1.20") from None
    return ",".join(items)


# ---- video outputs ----

def output_spec(text) -> OutputSpec:
    """'ndi:stage@1280x720@30' -> OutputSpec (common/output_spec.py says the form)."""
    if isinstance(text, OutputSpec):
        return text
    try:
        return OutputSpec.parse(str(text))
    except UsageError as exc:
        raise Refused(str(exc)) from None


# ---- paths ----

def output(text) -> str:
    """A path to write: not empty, and naming something (not '.', '..' or a folder's end '/')."""
    value = str(text)
    if not value.strip() or value.rstrip("/").split("/")[-1] in ("", ".", "..") or value.endswith("/"):
        raise _refuse(text, "a path naming the output, such as out/reel")
    return value


def input_path(text) -> str:
    """A file to read (an edit, a z-sequence): not empty, no NUL (existence is checked on use)."""
    value = str(text)
    if not value.strip() or "\x00" in value:
        raise _refuse(text, "a path to a file to read")
    return value


def folder(text) -> str:
    """A folder path: not empty."""
    if not str(text).strip():
        raise _refuse(text, "a folder")
    return str(text)


# ---- distributed renders (docs/distributed-render.md) ----

def ray_address(text) -> str:
    """'local' (start a cluster on this machine), 'auto' (join the one `ray start` made on this
    machine), HOST:PORT of a cluster's head (its GCS port), or ray://HOST:PORT (Ray Client)."""
    value = str(text).strip()
    if value in ("local", "auto"):
        return value
    try:
        host_port(value.removeprefix("ray://"))
    except Refused:
        raise _refuse(text, "a Ray cluster: auto, HOST:PORT of its head such as 127.0.0.1:6379, "
                            "or ray://HOST:PORT") from None
    return value


def workers(text) -> int:
    return _whole(text, 1, 4096, "a number of workers from 1 to 4096")


def chunk_frames(text) -> int:
    return _whole(text, 1, limits.MAX_FRAMES, f"frames per chunk, 1 to {limits.MAX_FRAMES:,}")


def retries(text) -> int:
    return _whole(text, 0, 100, "a number of retries from 0 to 100")


# ---- in time with the music (docs/music.md) ----

def bpm(text) -> float:
    """A tempo in beats per minute."""
    return _real(text, limits.BPM_MIN, limits.BPM_MAX, f"a tempo in BPM, {limits.BPM_MIN:g}..{limits.BPM_MAX:g}")


def beats(text) -> float:
    """A length in beats (settle_beats); 0 = off."""
    return _real(text, 0.0, 64.0, "beats, 0..64 (0: off)")


def quantise(text) -> str:
    """off, beat, bar, or a count of them: 2beat, 4bar."""
    import re

    t = str(text).strip().lower()
    if t != "off" and not re.fullmatch(r"([1-9]\d{0,2})?(beat|bar)s?", t):
        raise _refuse(text, "off, beat, bar, or a count of them such as 2beat or 4bar")
    return t


def autopilot(text) -> float | str:
    """Seconds between random keyframes, or a musical unit ("4bar", "2beat") on the beat grid."""
    t = str(text).strip().lower()
    if any(c.isalpha() for c in t):
        value = quantise(t)
        if value == "off":
            raise _refuse(text, "seconds (e.g. 2.5) or bars / beats (e.g. 4bar)")
        return value
    return seconds(text)


def audio_file(text) -> str:
    """A sound file to play as the show's input (WAV, FLAC, anything PyAV reads)."""
    return input_path(text)

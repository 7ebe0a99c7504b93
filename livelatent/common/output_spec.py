"""Where the live picture goes besides the window: a video output, as `--output SPEC` writes it.

    KIND:TARGET[@WxH][@RATE]

    ndi:stage                      an NDI source named "stage", the show's size and frame rate
    ndi:stage@1280x720             ... letterboxed into 1280x720
    ndi:stage@1280x720@30000/1001  ... at a fixed 29.97 (frames repeated as needed)
    v4l2:/dev/video10@640x480      a v4l2loopback device (Linux)
    spout:stage   syphon:stage     Spout (Windows), Syphon (macOS)

An output's name (its OSC address /livelatent/output/<name>/enable, its HUD and feedback
lines) is TARGET for a named source and the device's file name for v4l2 ("video10").

    spec = OutputSpec.parse("ndi:stage@1280x720")
    spec.kind, spec.name, spec.size, spec.rate     # "ndi", "stage", Size(1280, 720), None
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from livelatent.common import limits
from livelatent.common.rates import FrameRate
from livelatent.common.sizes import Size
from livelatent.errors import UsageError

KINDS = ("ndi", "v4l2", "spout", "syphon")
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")  # fits an OSC address part and every protocol's names
DEVICE = re.compile(r"/dev/video\d{1,3}$")
FORM = "KIND:NAME[@WxH][@RATE] with KIND one of ndi, v4l2, spout, syphon (e.g. ndi:stage@1280x720)"


@dataclass(frozen=True, slots=True)
class OutputSpec:
    kind: str
    target: str  # the source name (ndi, spout, syphon) or the device path (v4l2)
    size: Size | None = None  # None: the show's decode size
    rate: FrameRate | None = None  # None: every frame the show draws, as it draws it

    @property
    def name(self) -> str:
        return self.target.rsplit("/", 1)[-1]

    def __str__(self) -> str:
        extra = "".join(f"@{part}" for part in (self.size, self.rate) if part is not None)
        return f"{self.kind}:{self.target}{extra}"

    @classmethod
    def parse(cls, text: str) -> "OutputSpec":
        """UsageError naming what is wrong and the form expected."""
        kind, sep, rest = str(text).strip().partition(":")
        if not sep or kind not in KINDS:
            raise UsageError(f"output {str(text)[:60]!r}: expected {FORM}")
        target, *options = rest.split("@")
        _check_target(kind, target)
        size = rate = None
        for option in options:
            if "x" in option.lower():
                size = _size(option, text)
            else:
                rate = _rate(option, text)
        return cls(kind, target, size, rate)


def _check_target(kind: str, target: str) -> None:
    if kind == "v4l2" and not DEVICE.match(target):
        raise UsageError(f"output v4l2:{target[:40]!r}: expected a device such as /dev/video10")
    if kind != "v4l2" and not NAME.match(target):
        raise UsageError(f"output {kind}:{target[:40]!r}: expected a name of letters, digits, '_', '.', '-' "
                         "(at most 63)")


def _size(option: str, text) -> Size:
    try:
        w, h = (int(p) for p in option.lower().split("x"))
        limits.check_size(w, h)
    except (ValueError, UsageError):
        raise UsageError(f"output {str(text)[:60]!r}: size {option!r}: expected WxH with even sides, "
                         "such as 1280x720") from None
    return Size(w, h)


def _rate(option: str, text) -> FrameRate:
    try:
        rate = FrameRate.parse(option)
    except UsageError:
        rate = None
    if rate is None or not limits.MIN_FPS <= rate.value <= limits.MAX_FPS:
        raise UsageError(f"output {str(text)[:60]!r}: {option!r}: expected a size WxH or a frame rate "
                         "such as 30 or 30000/1001")
    return rate

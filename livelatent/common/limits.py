"""The largest (and smallest) values livelatent accepts, and why: checked before anything loads.

A value past one of these limits is a typing slip or an attack, never a piece of work: it
would allocate more memory than a machine has, run for hours before failing, or reach a
library (the video encoder, numpy's random generator, a socket) that stops with a traceback.
docs/hardening.md explains each number; commands/values.py applies them to every flag.
"""

from __future__ import annotations

import math
from fractions import Fraction

from livelatent.errors import UsageError

# Frame size. H.264's highest level (6.2) allows frames of at most 139,264 macroblocks of
# 16x16 pixels: 8192x4352, an 8K frame. Larger frames make files that players and Kdenlive
# refuse, and one such frame is already 107 MB of RGB. Sides are even because H.264's
# yuv420p halves the colour planes.
MAX_SIDE = 8192
MAX_PIXELS = 139_264 * 16 * 16

# Frames in one z-sequence: over 9 hours at 30 fps, 2 GB of float32 z at d = 512. Longer
# sequences are no edit anyone renders in one go, and their z alone stop fitting in memory.
MAX_FRAMES = 1_000_000

# Frame rates: no display or editor shows more than 1000 frames a second, and below one
# frame every 100 s a "video" is a slide show the encoder's time base cannot count.
MIN_FPS, MAX_FPS = Fraction(1, 100), Fraction(1000)

# Seeds: numpy's generators take any whole number >= 0; JSON sidecars and int64 arrays hold
# up to 2**63 - 1.
MAX_SEED = 2**63 - 1

# A show (--duration) or a pause between autopilot keyframes: at most a week.
MAX_SECONDS = 7 * 24 * 3600

# Decoded frames held at once: a batch of frames is at most this many bytes of RGB, so an 8K
# render decodes 2 frames at a time instead of 16 (frames are the same whatever the batch).
BATCH_BYTES = 256 << 20
MAX_BATCH = 1024

# Journeys in one folder: journey-000 .. journey-999 sort in order.
MAX_JOURNEYS = 1000


def check_size(w: int, h: int, what: str = "`size`", setting: str | None = "size") -> tuple[int, int]:
    """(w, h) when both are even, within MAX_SIDE and the frame within MAX_PIXELS."""
    if min(w, h) < 2 or w % 2 or h % 2:
        raise UsageError(f"{what} {w}x{h}: expected even sizes of at least 2 (H.264 halves the colour planes)",
                         setting=setting)
    if max(w, h) > MAX_SIDE or w * h > MAX_PIXELS:
        raise UsageError(f"{what} {w}x{h}: larger than the largest H.264 frame, 8192x4352 "
                         f"(at most {MAX_SIDE} a side and {MAX_PIXELS:,} pixels)", setting=setting)
    return w, h


def check_frames(n: int, what: str) -> int:
    """n when a z-sequence of n frames is something to make: 1..MAX_FRAMES."""
    if n < 1:
        raise UsageError(f"{what}: {n} frames; expected at least 1")
    if n > MAX_FRAMES:
        raise UsageError(f"{what}: {n:,} frames; at most {MAX_FRAMES:,} fit in one z-sequence "
                         f"(over 9 hours at 30 fps)")
    return n


def frames_for(seconds: Fraction | float, fps, what: str) -> int:
    """The frames of `seconds` at `fps` (plus the first), checked against MAX_FRAMES."""
    if not math.isfinite(float(seconds)) or seconds < 0:
        raise UsageError(f"{what}: {seconds} s; expected a finite duration")
    rate = Fraction(getattr(fps, "value", fps))
    return check_frames(math.floor(Fraction(seconds) * rate) + 1, what)


def check_rate(rate: Fraction, what: str = "`fps`", setting: str | None = "fps") -> Fraction:
    if not MIN_FPS <= rate <= MAX_FPS:
        raise UsageError(f"{what} {rate}: expected a rate from 1/100 to 1000 frames per second", setting=setting)
    return rate


def batch_for(batch: int, h: int, w: int) -> int:
    """How many frames of h x w to decode at once: at most `batch`, and at most BATCH_BYTES of RGB."""
    return max(1, min(batch, BATCH_BYTES // (h * w * 3)))


BPM_MIN, BPM_MAX = 20.0, 400.0  # a tempo: from slower than a dirge to faster than speedcore

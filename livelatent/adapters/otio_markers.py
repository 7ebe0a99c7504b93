"""An OpenTimelineIO timeline's own markers as the edit's guides.

Markers on the timeline's top stack are what an editor puts on the timeline itself (Kdenlive
guides, Premiere and Resolve sequence markers come through OTIO's adapters there); markers on
clips move with their clips and are not guides. Duck-typed like otio_timeline.py.

    guides = stack_guides(otio_timeline.tracks, lambda rt: reader.frames(rt, "marker"))
"""

from __future__ import annotations

from fractions import Fraction
from typing import Callable

from livelatent.exact_time import round_half_up
from livelatent.timeline import Guide


def stack_guides(stack, frames: Callable[[object], Fraction]) -> tuple[Guide, ...]:
    """The stack's markers at their start frames (nearest, halves up), from the stack's first
    frame (a trimmed stack starts at its source range); markers before it are left out."""
    origin = frames(stack.source_range.start_time) if stack.source_range is not None else Fraction(0)
    found: dict[int, Guide] = {}
    for marker in stack.markers:
        frame = round_half_up(frames(marker.marked_range.start_time) - origin)
        if frame >= 0:
            found.setdefault(frame, Guide(frame, marker.name or getattr(marker, "comment", "") or ""))
    return tuple(sorted(found.values(), key=lambda g: g.frame))

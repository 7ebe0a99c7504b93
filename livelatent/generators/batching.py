"""How many frames to decode at once: measured per model and device, not a constant.

Whether batching pays depends on both. The default model and StyleGAN2 run faster in batches;
stylegan3 on the CPU runs slower (8 frames: 9.9 s one at a time against 22.4 s in batches of
16; its filtered nonlinearities' working set outgrows the caches). So the first frames of a
render are decoded in growing batches, 1, 2, 4, ... up to the limit, each timed, and the size
stops growing at the first that does not make a frame at least GAIN cheaper; the best size
measured is kept for the rest of the render and for later renders with the same generator in
this process. Every frame decoded while measuring is a frame of the output: nothing is wasted.

    planner = BatchPlanner.for_generator(generator)          # or fixed=16 (--batch 16)
    while todo:
        n = planner.next_size(); t = clock(); decode(n frames); planner.record(n, clock() - t)

StyleGAN's float rounding depends on the batch (NVIDIA's own code: at most 1 level in a few
pixels), so the bytes of a StyleGAN render repeat exactly only at a fixed --batch; --batch 1
gives NVIDIA's one-z-at-a-time frames, as the live loop draws them.
"""

from __future__ import annotations

import time
import weakref

LIMIT = 16
GAIN = 0.9  # a larger batch must cost at most this much per frame to be worth trying the next
_CHOSEN: "weakref.WeakKeyDictionary[object, int]" = weakref.WeakKeyDictionary()


class BatchPlanner:
    """The batch size for each next decode, from timings reported by record()."""

    def __init__(self, *, fixed: int | None = None, limit: int = LIMIT, on_choice=None) -> None:
        self.limit = max(int(limit), 1)
        self.chosen = fixed
        self._warm = fixed is not None  # the first decode of a model pays for its warm-up: not timed
        self._trying = 1
        self._per_frame: dict[int, float] = {}
        self._on_choice = on_choice

    @classmethod
    def for_generator(cls, generator, *, fixed: int | None = None, limit: int = LIMIT) -> "BatchPlanner":
        """A fixed size if given, else the size measured before for this generator, else measure."""
        if fixed is not None:
            return cls(fixed=fixed)
        try:
            known = _CHOSEN.get(generator)
        except TypeError:  # not weakly referenceable: measure each time
            known = None
        if known is not None:
            return cls(fixed=min(known, limit))
        return cls(limit=limit, on_choice=lambda size: _remember(generator, size))

    def next_size(self) -> int:
        return self.chosen if self.chosen is not None else self._trying

    def record(self, frames: int, seconds: float) -> None:
        """A decode of `frames` frames took `seconds`."""
        if self.chosen is not None or frames != self._trying:
            return
        if not self._warm:
            self._warm = True
            return
        self._per_frame[frames] = seconds / frames
        best = min(self._per_frame, key=self._per_frame.get)
        grew = len(self._per_frame) == 1 or self._per_frame[frames] < GAIN * self._per_frame[frames // 2]
        if grew and frames * 2 <= self.limit:
            self._trying = frames * 2
        else:
            self.chosen = best
            if self._on_choice is not None:
                self._on_choice(best)


def fastest_threads(decode, *, rounds: int = 2) -> int:
    """In the calling thread: time decode() with torch's thread count and with one thread,
    `rounds` times each, alternating, and keep the faster for this thread (OpenMP's count is
    per thread). Returns the count kept.

    On 2 shared CPU cores, sg2 at 32x32 decoded in the live loop's worker at 0.5-2 frames/s
    with torch's 2 threads and at 16-17 with one (load average 8): a small network's many
    small ops each wait for both threads, and the render thread or another process holds a
    core. Measured, not assumed: a large network on an idle machine may gain from two."""
    import torch

    default = torch.get_num_threads()
    if default <= 1:
        return default
    best: dict[int, float] = {}
    for count in (default, 1) * rounds:
        torch.set_num_threads(count)
        began = time.perf_counter()
        decode()
        best[count] = min(best.get(count, float("inf")), time.perf_counter() - began)
    chosen = min(best, key=best.get)
    torch.set_num_threads(chosen)
    return chosen


def _remember(generator, size: int) -> None:
    try:
        _CHOSEN[generator] = size
    except TypeError:
        pass

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

import contextlib
import threading
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
    """In the calling thread: time decode() (a model's float output) with torch's thread count
    and with one thread, `rounds` times each, alternating, and keep the faster for this thread
    (OpenMP's count is per thread), but one thread only where it decodes the same bits as
    torch's count. Returns the count kept.

    On 2 shared CPU cores, sg2 at 32x32 decoded in the live loop's worker at 0.5-2 frames/s
    with torch's 2 threads and at 16-17 with one (load average 8): a small network's many
    small ops each wait for both threads, and the render thread or another process holds a
    core. Measured, not assumed: a large network on an idle machine may gain from two.

    Which count wins depends on the machine's load, so it must not change a frame: a render
    decodes with torch's count, and a proxy frame i must be its decode(z[i]) byte for byte. The
    count can change the arithmetic: MKL splits a matrix product's sums by thread (stylegan3's
    first mapping layer gives other floats with 3 threads than with 1, and 1 value in 18,432
    of six 32x32 frames another byte). How the work is split depends on the shapes and the
    count, not on the values, so the same floats for this z mean the same sums for every z."""
    import torch

    default = torch.get_num_threads()
    if default <= 1:
        return default
    best: dict[int, float] = {}
    made: dict[int, object] = {}
    with _counts_set_here_only():
        for count in (default, 1) * rounds:
            torch.set_num_threads(count)
            began = time.perf_counter()
            made[count] = decode()
            best[count] = min(best.get(count, float("inf")), time.perf_counter() - began)
        chosen = min(best, key=best.get) if _same_bits(made[default], made[1]) else default
        torch.set_num_threads(chosen)
    return chosen


def set_threads_here(count: int) -> None:
    """torch's CPU thread count for the calling thread only (a pool worker's 1)."""
    import torch

    with _counts_set_here_only():
        torch.set_num_threads(count)


@contextlib.contextmanager
def _counts_set_here_only():
    """torch.set_num_threads() within sets the calling thread's OpenMP count only.

    On its own it also sets the count each thread that has not used torch yet starts with: a
    pool worker's 1, or the count a decode worker chose by timing, would become the count of
    each later render or worker, and with it their rounding. So that count is put back."""
    import torch

    torch.get_num_threads()  # this thread's own count is set up (at first use, from that count) before it changes
    for_new_threads = _in_a_new_thread(torch.get_num_threads)
    try:
        yield
    finally:
        _in_a_new_thread(lambda: torch.set_num_threads(for_new_threads))


def _same_bits(a, b) -> bool:
    import numpy as np
    import torch

    if isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor):
        return a.shape == b.shape and a.dtype == b.dtype and torch.equal(a, b)
    return np.array_equal(np.asarray(a), np.asarray(b))


def _in_a_new_thread(call):
    """call() on a thread of its own (whose torch thread count is its own); its result."""
    out = []
    thread = threading.Thread(target=lambda: out.append(call()), name="livelatent-torch-threads")
    thread.start()
    thread.join()
    return out[0]


def _remember(generator, size: int) -> None:
    try:
        _CHOSEN[generator] = size
    except TypeError:
        pass

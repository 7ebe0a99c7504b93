"""The decode worker: the generator runs on its own thread, newest request wins.

The render thread keeps ticking, polling the window and drawing while a slow model decodes;
it hands over each newest frame (request), and picks up finished images (take) when they come.
A request that has not started yet is replaced by a newer one, so a slow model always works
on the freshest state and never builds a backlog (stylegan3's AsyncRenderer, in small), and
the worker goes from one decode straight to the next request, never waiting for the render
thread to collect the last image first.

    worker = DecodeWorker(lambda frame: generator.decode(frame.z[None])[0])
    worker.request(Frame(k=12, z=z, row=True, tick=96))
    done = worker.take(timeout=0.004)    # a Decoded, or None if nothing finished
    worker.background(thumbnails.decode_one)   # low priority: runs only while no frame waits

Background work (the console's thumbnails) runs on the same thread, so it shares the model
safely, one call at a time and only while no request waits: a show frame always wins the
decoder. A call returns True when it did something (it is called again), False when it had
nothing to do (it waits for the next background() to say there is more).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np

from livelatent.live.mailbox import Mailbox


@dataclass(frozen=True)
class Frame:
    """A frame to show: its index on the frame grid, its z, whether it is row k of a take (and
    which: the recorder's take number), the tick whose step sampled it, and the settings it is
    decoded with (livelatent.common.picture; None: the generator as loaded)."""

    k: int
    z: np.ndarray
    row: bool
    tick: int
    take: int = 0
    picture: object = None

    def frame(self) -> Frame:
        return self  # a request may also be a sample that makes its Frame when decoding starts


@dataclass(frozen=True)
class Decoded:
    frame: Frame
    image: np.ndarray | None  # None when the model failed (error says why)
    error: BaseException | None
    seconds: float


class DecodeWorker:
    def __init__(self, decode) -> None:
        self._decode = decode
        self._cond = threading.Condition()
        self._pending: Frame | None = None  # the newest request, not started yet
        self._done = Mailbox()  # the newest finished Decoded, for the loop to take (and wake)
        self._busy = False
        self._closed = False
        self._jobs: list = []  # background work, called in turn (see background())
        self._jobs_due = False
        self._thread = threading.Thread(target=self._run, name="livelatent-decode", daemon=True)
        self._thread.start()

    @property
    def idle(self) -> bool:
        """Nothing decoding, nothing waiting and nothing finished."""
        with self._cond:  # the worker puts a result before it clears _busy: none slips between
            return not self._busy and self._pending is None and not self._done.full

    def request(self, frame) -> None:
        """Decode `frame` next: a Frame, or a sample whose .frame() makes one, called only
        when its decode starts (most samples are replaced before then)."""
        with self._cond:
            self._pending = frame
            self._cond.notify_all()

    def background(self, job) -> None:
        """Call job() on the worker's thread whenever no request waits, until it returns False;
        background(job) again (the same job) when it has work again."""
        with self._cond:
            if job not in self._jobs:
                self._jobs.append(job)
            self._jobs_due = True
            self._cond.notify_all()

    def take(self, timeout: float = 0.0) -> Decoded | None:
        """The newest finished decode, waiting up to `timeout` seconds for one (or a wake())."""
        return self._done.take(timeout)

    def wake(self) -> None:
        """Cut the current (or next) take() wait short: something else needs the loop."""
        self._done.wake()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._pending is not None or self._jobs_due or self._closed)
                if self._closed:
                    return
                if self._pending is None:
                    jobs, self._jobs_due = list(self._jobs), False
                else:
                    jobs = None
                    request, self._pending, self._busy = self._pending, None, True
            if jobs is not None:
                self._run_background(jobs)
                continue
            t = time.perf_counter()
            frame = request.frame()  # a blend of two checked positions: nothing here for a model to break
            try:
                image, error = self._decode(frame), None
            except Exception as exc:  # noqa: BLE001 - any model failure reaches the loop, which goes on
                image, error = None, exc
            self._done.put(Decoded(frame, image, error, time.perf_counter() - t))
            with self._cond:
                self._busy = False

    def _run_background(self, jobs) -> None:
        """One call of each background job (a frame requested meanwhile waits for at most one)."""
        for job in jobs:
            try:
                more = job()
            except Exception:  # noqa: BLE001 - background work must never stop the show's decoding
                more = False
            with self._cond:
                self._jobs_due |= bool(more)
                if self._pending is not None:
                    self._jobs_due = True  # the jobs not called yet get their turn after the frame
                    return

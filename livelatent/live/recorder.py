"""The take recorder: the render thread hands it z rows, events and images; a thread writes.

The render thread never waits for the disk or the encoder. Its calls only sample (a few
blends per tick) and enqueue:

    rec = Recorder(Path("recordings"), fps="30000/1001", proxy_size=(256, 256))
    rec.start(perf, meta={"model": "default", "size": [w, h], "preset": "presets/default.toml"})
    per tick:  i = rec.submit_event(perf.tick, event)    # each event the Performance applied
               prev = perf.z.copy(); perf.step()
               for k, z_k in rec.step(perf.tick, prev, perf.z): ...   # take rows, never dropped
    rec.submit_image(k, image, take=rec.take_number)     # the frame the loop decoded for row k
    rec.submit_shown(take, i, k, shown_at)               # row k was the first to show event i
    rec.stop(); ...; rec.close()                         # close() at exit joins the thread

The writer thread appends rows and events to the take folder, fsyncs them every
FLUSH_SECONDS, and encodes the images it got into the proxy (all-intra). Images that never
came, or that it had no time for (the queue is bounded), are proxy gaps: the take says so
until `livelatent proxies` renders them from the z-sequence. A disk error stops the take with
one message (console + `status`), keeps what was flushed recoverable, and the show goes on.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
import time
import uuid
from pathlib import Path

import numpy as np

from livelatent.adapters import take_writer, takes
from livelatent.adapters.video import VideoWriter
from livelatent.common.images import fit_image
from livelatent.motion.clock import FrameSampler
from livelatent.errors import LivelatentError
from livelatent.common.rates import FrameRate
from livelatent.live.loop_clock import WallClock

FLUSH_SECONDS = 0.5
GATHER_SECONDS = 0.1
MAX_PENDING_IMAGES = 32  # beyond this the encoder is behind: the image becomes a proxy gap
PROXY_CODEC = "h264"  # written all-intra (every frame a key frame): MLT seeks it frame-accurately


class Recorder:
    """Takes on demand; one writer thread for the recorder's lifetime."""

    def __init__(self, recordings: str | os.PathLike, *, fps="30", proxy_size: tuple[int, int] | None = None,
                 proxy_codec: str = PROXY_CODEC, max_pending_images: int = MAX_PENDING_IMAGES,
                 on_message=None, clock=None) -> None:
        self.recordings = Path(recordings)
        self.clock = clock if clock is not None else WallClock()  # names takes, paces flushes
        self.fps = FrameRate.parse(fps)
        self.proxy_size = proxy_size
        self.proxy_codec = proxy_codec
        self._say = on_message or (lambda line: print(f"livelatent: {line}", file=sys.stderr, flush=True))
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        # images in the queue = handed over - taken; each counter has one writing thread
        self._images_in, self._images_out = 0, 0
        self._max_pending_images = max_pending_images
        self._sampler: FrameSampler | None = None
        self._tick = 0  # the last tick stepped while recording
        self._failed = threading.Event()  # set by the writer when a take had to stop
        self.rows_submitted = 0
        self.take_number = 0  # counts the takes started: tells a late image of the last take from this one's
        self.take_id = ""  # the take's id (take.toml), known at start: video outputs tag its frames with it
        self._events_submitted = 0
        self.last_take: takes.Take | None = None
        self.unfinished_proxies: list[takes.Take] = []  # made or recovered here, proxy not complete yet
        self.message = ""  # the last thing worth showing on the HUD
        self.writer_cpu = {"proxy": 0.0, "rest": 0.0}  # writer thread CPU seconds: encoding, the rest
        # told take_started(number, tick) on the render thread and take_finished(number, take) on the
        # writer thread, after the take is saved (live/audio_take.py keeps its sound)
        self.listeners: list = []
        self._finishing_number = 0
        self._thread = threading.Thread(target=self._run, name="livelatent-recorder", daemon=True)
        self._queue.put(("recover", None))
        self._thread.start()

    # ---- render-thread side: cheap, never blocks ----

    @property
    def recording(self) -> bool:
        return self._sampler is not None and not self._failed.is_set()

    def start(self, performance, *, meta: dict | None = None) -> None:
        """Begin a take at the Performance's current tick; its frame 0 is the state now.

        Call it at a tick boundary; events applied at this tick after this call are logged
        (and replayed), earlier ones are part of the saved state. meta: model, snapshot,
        preset, size [w, h] of the decoded frames, anything else worth keeping.
        """
        if self._sampler is not None:
            self.stop()
        self._failed.clear()
        desc = performance.describe()
        self._sampler = FrameSampler(self.fps, desc["tick_rate"], start_tick=desc["tick"])
        self._tick = desc["tick"]
        self.rows_submitted = self._events_submitted = 0
        self.take_number += 1
        self.take_id = uuid.uuid4().hex
        take_meta = {"id": self.take_id, **(meta or {}), "fps": str(self.fps), "start_tick": desc["tick"], "tick_rate": desc["tick_rate"],
                     "d": desc["d"], "seed": desc["seed"], "motion": desc["motion"], "performance": desc,
                     "proxy": {"size": list(self.proxy_size) if self.proxy_size else None, "codec": self.proxy_codec}}
        self._queue.put(("start", (take_meta, performance.arrays(), self.clock.wall())))
        for listener in self.listeners:
            listener.take_started(self.take_number, desc["tick"])

    def step(self, tick: int, prev: np.ndarray, cur: np.ndarray) -> list[tuple[int, np.ndarray]]:
        """After the Performance stepped tick-1 -> tick: the new rows, already queued."""
        if not self.recording:
            return []
        self._tick = tick
        rows = self._sampler.rows(tick, prev, cur)
        if rows:
            self._queue.put(("rows", np.stack([z for _, z in rows])))
            self.rows_submitted += len(rows)
        return rows

    def submit_event(self, tick: int, event) -> int | None:
        """An event the loop applied at `tick` (a ControlEvent or a plain dict): its line number
        in the take's events.jsonl, or None when no take is recording it."""
        if not self.recording or tick < self._sampler.start_tick:
            return None
        body = event.to_dict() if hasattr(event, "to_dict") else dict(event)
        line = {"tick": int(tick), "arrival": body.get("arrival"), "source": body.get("source"), "event": body}
        self._queue.put(("event", line))
        self._events_submitted += 1
        return self._events_submitted - 1

    def submit_shown(self, take: int, event: int, k: int, shown_at: float) -> None:
        """Row k of take number `take` was the first frame on screen to show its event number `event`."""
        if self.recording and take == self.take_number:
            self._queue.put(("shown", {"event": int(event), "frame": int(k), "shown_at": round(float(shown_at), 6)}))

    def submit_image(self, k: int, image: np.ndarray, *, take: int | None = None) -> None:
        """The image the loop decoded for row k of take number `take` (None: this take);
        dropped (a proxy gap) when the encoder is behind.

        An image of another take (a decode still in flight when it stopped and this one
        started) is dropped too.
        """
        if not self.recording or k >= self.rows_submitted or take not in (None, self.take_number):
            return
        if self._images_in - self._images_out >= self._max_pending_images:
            return
        self._images_in += 1
        self._queue.put(("image", (k, image)))

    def stop(self) -> None:
        if self._sampler is None:
            return
        self._sampler = None
        self._queue.put(("stop", self._tick))

    def close(self, timeout: float = 30.0) -> None:
        """Stop any take, let the writer finish it, end the thread."""
        self.stop()
        self._queue.put(("quit", None))
        self._thread.join(timeout)

    def status(self) -> str:
        if self.recording:
            return f"REC {float(self.fps.seconds(self.rows_submitted)):.1f}s"
        return self.message

    # ---- writer thread ----

    def _run(self) -> None:
        session = None
        while True:
            for kind, payload in self._next_batch():
                if kind == "image":
                    self._images_out += 1
                if kind == "quit":
                    if session:
                        self._finish(session)
                    return
                started = time.thread_time()
                try:
                    session = self._handle(session, kind, payload)
                except Exception as exc:  # noqa: BLE001 - disk full, unwritable, or a bug: the show goes on
                    session = self._fail(session, exc)
                self.writer_cpu["proxy" if kind == "image" else "rest"] += time.thread_time() - started

    def _next_batch(self) -> list:
        """What arrived, gathered for GATHER_SECONDS after the first message: a few wake-ups a
        second instead of one per tick, so the writer seldom preempts the decoder's threads."""
        try:
            batch = [self._queue.get(timeout=FLUSH_SECONDS)]
        except queue.Empty:
            return [("tick", None)]
        time.sleep(GATHER_SECONDS)
        try:
            while True:
                batch.append(self._queue.get_nowait())
        except queue.Empty:
            return batch

    def _handle(self, session, kind, payload):
        if kind == "recover":
            self._recover_abandoned()
            return session
        if kind == "start":
            if session:
                self._finish(session)
            self._finishing_number += 1  # the writer's count of takes started: the number the loop gave this one
            return _Session(self.recordings, *payload, codec=self.proxy_codec, clock=self.clock)
        if session is None:
            return None
        if kind == "rows":
            session.writer.append_rows(payload)
        elif kind == "event":
            session.writer.append_events([payload])
        elif kind == "shown":
            session.writer.append_shown([payload])
        elif kind == "image":
            session.encode(*payload, self._say)
        elif kind == "stop":
            self._finish(session, stop_tick=payload)
            return None
        session.flush_if_due()
        return session

    def _finish(self, session: "_Session", stop_tick: int | None = None) -> None:
        try:
            self.last_take = session.finish(stop_tick)
            state = self.last_take.meta["proxy"]["state"]
            if state != "complete":
                self.unfinished_proxies.append(self.last_take)
            self.message = f"saved {self.last_take.name} ({self.last_take.rows} frames, proxy {state})"
            for listener in self.listeners:
                listener.take_finished(self._finishing_number, self.last_take)
        except (OSError, LivelatentError) as exc:
            self._fail(session, exc)

    def _recover_abandoned(self) -> None:
        """Takes a crash cut off (their writer's lock is free): finish their z rows and events."""
        for take in take_writer.abandoned_takes(self.recordings):
            take = take_writer.recover(take)
            self._say(f"recovered {take.name}: {take.rows} frames ({take.duration:.1f}s) up to its last flush")
            self.unfinished_proxies.append(take)

    def _fail(self, session, exc) -> None:
        where = session.writer.path if session and session.writer else self.recordings
        self.message = f"recording stopped: {where}: {getattr(exc, 'strerror', None) or exc}; the show goes on"
        self._say(self.message)
        self._failed.set()
        if session:
            session.abandon()
        return None


class _Session:
    """One take on the writer thread: its TakeWriter and its proxy encoder."""

    def __init__(self, recordings: Path, meta: dict, start_arrays: dict, now: float, *, codec: str, clock) -> None:
        self.writer, self.clock = None, clock
        self.writer = take_writer.TakeWriter(recordings, meta=meta, start_arrays=start_arrays, now=now)
        self.take = self.writer.take
        self.codec = codec
        self.size = tuple(meta["proxy"]["size"]) if meta["proxy"]["size"] else None
        self.proxy: VideoWriter | None = None
        self.proxy_broken = False
        self.present: list[list[int]] = []  # [start, stop) runs of frames in the proxy
        # The first cut goes at the first rows, not FLUSH_SECONDS after the folder was made:
        # making it (start.npz, fsyncs) and the encoder take time, and a take killed in its
        # first second must lose no more than one killed later.
        self.last_flush = -float("inf")

    def encode(self, k: int, image: np.ndarray, say) -> None:
        if self.proxy_broken or (self.present and k < self.present[-1][1]):
            return
        try:
            frame = self._fit(image)
            if self.proxy is None:  # encoded as the take goes, under its own name until finish()
                self.proxy = VideoWriter(self.take.recording_proxy_path, fps=self.take.fps, size=self.size,
                                         codec=self.codec, intra_only=True,
                                         metadata={"livelatent_id": self.take.id})
            self.proxy.write(frame)
        except Exception as exc:  # noqa: BLE001 - any encoder failure: the z rows matter more, keep them
            self.proxy_broken = True
            say(f"{self.take.name}: proxy stopped ({exc}); rebuild it with `livelatent proxies`")
            return
        if self.present and self.present[-1][1] == k:
            self.present[-1][1] = k + 1
        else:
            self.present.append([k, k + 1])

    def _fit(self, image: np.ndarray) -> np.ndarray:
        if self.size is None:
            self.size = (image.shape[1], image.shape[0])
        return fit_image(image, self.size)

    def flush_if_due(self) -> None:
        now = self.clock.elapsed()
        if now - self.last_flush >= FLUSH_SECONDS:
            self.writer.flush()
            self.last_flush = now

    def finish(self, stop_tick: int | None) -> takes.Take:
        present = self.present
        if self.proxy is not None:
            try:
                self.proxy.close()
            except (OSError, LivelatentError):
                present = []
        return self.writer.finish(present=[] if self.proxy_broken else present, proxy_size=self.size,
                                  stop_tick=stop_tick)

    def abandon(self) -> None:
        """After a disk error: close what can be closed; the flushed part stays recoverable."""
        if self.proxy is not None:
            try:
                self.proxy.close()
            except Exception:  # noqa: BLE001 - the file is being given up anyway
                pass
        if self.writer is not None:
            self.writer.release()

"""The session's event log: every applied event with its tick, arrival and the first frame
that showed it, as JSON lines written by a thread (the render thread only enqueues).

    {"tick": 1234, "arrival": 5.1391, "source": "osc", "event": {...}, "frame": 154, "shown_at": 5.1523}

Times are seconds on the loop's clock (0 = the loop's first tick); `frame` counts the frames
shown. A take's own event log (live/recorder.py) holds what replay needs; this one is for
the performer: what happened when, and how long each control took to reach the screen.
"""

from __future__ import annotations

import json
import queue
import sys
import threading
from pathlib import Path


class EventLog:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # appended line by line as the show goes (not common/files.py's write-then-rename): a
        # show that stops any way at all keeps every line written until then
        self._file = open(self.path, "a")
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="event-log", daemon=True)
        self._thread.start()

    def write(self, applied) -> None:
        """An AppliedEvent whose frame is known."""
        self._queue.put({"tick": applied.tick, "arrival": round(applied.event.arrival, 6),
                         "source": applied.event.source, "event": applied.event.to_dict(),
                         "frame": applied.frame, "shown_at": round(applied.shown_at, 6)})

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)

    def _run(self) -> None:
        failed = False
        while (line := self._queue.get()) is not None:
            if failed:
                continue
            try:
                self._file.write(json.dumps(line, separators=(",", ":")) + "\n")
                if self._queue.empty():
                    self._file.flush()
            except OSError as exc:  # a full disk stops the log, never the show
                failed = True
                print(f"livelatent: event log {self.path}: {exc.strerror}; no longer written", file=sys.stderr)
        self._file.close()

"""The show's console log: rate-limited per kind of message and overall, safe from any thread.

A broken controller or a junk flood can produce thousands of bad messages a second, each
with a new address; the console must still be readable and the show must not spend its
time printing. So a line is printed only if

  - no line with the same key was printed in the last `interval` seconds (the next one says
    how many were suppressed in between), and
  - the whole log has budget left: at most `burst` lines at once, refilled at `per_second`
    (lines beyond it are counted and the next printed line says so).

The table of keys is bounded (a flood of ever-new keys cannot grow it), keys and lines are
shortened, and characters a terminal would interpret are escaped. A *notice* (a device
gone or back, the OSC receiver restarted) skips the overall budget, so a flood never hides
it, and is also queued for the live loop, which shows it on the HUD and sends it to
/livelatent/error.

    log = RateLimitedLog()
    log.log("osc-parse", "OSC packet of 20 bytes dropped: ...")
    log.log("osc-parse", lambda: expensive_reason(data))   # formatted only if printed
    log.log("midi-api", "MIDI server gone ...", notice=True)
    for line in log.take_notices(): hud.show(line)
"""

from __future__ import annotations

import collections
import sys
import threading
from collections.abc import Callable

from livelatent.errors import shorten
from livelatent.live.loop_clock import WallClock

MAX_KEYS = 256  # distinct keys remembered; beyond that the oldest are forgotten
MAX_KEY = 80  # characters of a key that count
MAX_LINE = 300  # characters of a printed line
BURST, PER_SECOND = 10, 2.0  # the overall budget: lines at once, and the refill rate


class RateLimitedLog:
    """At most one line per key per `interval` seconds, and at most `burst` lines at once
    refilled at `per_second` overall; each printed line says how many were suppressed."""

    def __init__(self, interval: float = 1.0, stream=None, *, burst: int = BURST, per_second: float = PER_SECOND,
                 max_keys: int = MAX_KEYS, sink=None, name: str = "", clock=None) -> None:
        self.interval = interval
        self.clock = clock if clock is not None else WallClock()  # its elapsed() paces the log
        self.stream = stream
        self.sink = sink  # instead of printing, hand each line (without the prefix) to sink(line)
        self.name = name  # says whose lines were suppressed, e.g. "OSC" for the OSC process's own log
        self.burst, self.per_second, self.max_keys = burst, per_second, max_keys
        self._last: dict[str, tuple[float, int]] = {}  # key -> (last printed, suppressed since)
        self._tokens, self._refilled = float(burst), self.clock.elapsed()
        self.suppressed = 0  # lines over the overall budget since the last printed line
        self.lines: collections.deque[str] = collections.deque(maxlen=50)  # printed lines, newest last
        self._notices: collections.deque[str] = collections.deque(maxlen=20)
        self._lock = threading.Lock()

    def log(self, key: str, message: str | Callable[[], str], *, notice: bool = False) -> bool:
        """Print `message` unless its key or the overall budget says not now; True if printed.
        A callable message is called only to be printed: a flood of bad input costs no
        formatting for the lines it suppresses."""
        now, key = self.clock.elapsed(), key[:MAX_KEY]
        with self._lock:
            last, suppressed = self._last.get(key, (-1e9, 0))
            if now - last < self.interval:
                self._last[key] = (last, suppressed + 1)
                return False
            if not (notice or self._spend(now)):
                return False  # counted in the overall budget's `suppressed`
            self._remember(key, now)
            line = message() if callable(message) else message
            line += f" (and {suppressed} more like it)" if suppressed else ""
            if notice:
                self._notices.append(shorten(line, MAX_LINE))
            self._print(line)
        return True

    def emit(self, line: str) -> bool:
        """A line already limited elsewhere (the OSC process's own log): the overall budget only."""
        with self._lock:
            if not self._spend(self.clock.elapsed()):
                return False
            self._print(line)
        return True

    def take_notices(self) -> list[str]:
        """Notices logged since the last call, oldest first (the live loop shows them)."""
        out = []
        while self._notices:
            out.append(self._notices.popleft())
        return out

    def _spend(self, now: float) -> bool:
        self._tokens = min(self.burst, self._tokens + (now - self._refilled) * self.per_second)
        self._refilled = now
        if self._tokens < 1:
            self.suppressed += 1
            return False
        self._tokens -= 1
        return True

    def _remember(self, key: str, now: float) -> None:
        self._last.pop(key, None)  # re-inserted last: the dict's order is the order of use
        if len(self._last) >= self.max_keys:
            for old in list(self._last)[: len(self._last) - self.max_keys + 1]:
                self.suppressed += self._last.pop(old)[1]  # their counts join the overall one
        self._last[key] = (now, 0)

    def _print(self, line: str) -> None:
        if self.suppressed:
            line += f" ({self.suppressed} other {self.name + ' ' if self.name else ''}lines suppressed)"
            self.suppressed = 0
        line = shorten(line, MAX_LINE)
        self.lines.append(line)
        if self.sink is not None:
            self.sink(line)
            return
        print(f"livelatent: {line}", file=self.stream or sys.stderr, flush=True)

"""The show's video outputs together: what the loop and the HUD talk to.

    outputs = Outputs([OutputSpec.parse("ndi:stage")], show_size=Size(256, 256),
                      show_rate=Fraction(60), log=log)
    outputs.submit(image, k=12, take="", rate=Fraction(60))   # each frame shown; never waits
    outputs.enable("stage", False)                           # /livelatent/output/stage/enable 0
    outputs.statuses(); outputs.hud_lines(); outputs.close()
"""

from __future__ import annotations

import time
from fractions import Fraction

from livelatent.common.sizes import Size
from livelatent.errors import LivelatentError
from livelatent.live.outputs import kinds
from livelatent.live.outputs.worker import OutFrame, OutputStatus, OutputWorker


class Outputs:
    def __init__(self, specs, *, show_size: Size, show_rate: Fraction, log, make_sink=kinds.make_sink) -> None:
        self.workers: dict[str, OutputWorker] = {}
        try:
            for spec in specs:
                if spec.name in self.workers:
                    raise LivelatentError(f"output {spec}: a second output named {spec.name!r}; "
                                          "give each its own name", setting="output")
                self.workers[spec.name] = OutputWorker(spec, make_sink, show_size=show_size,
                                                       show_rate=show_rate, log=log)
        except BaseException:
            self.close()
            raise

    def __bool__(self) -> bool:
        return bool(self.workers)

    def submit(self, image, *, k: int, take: str, rate: Fraction) -> None:
        frame = OutFrame(image, k, take, rate, time.time())
        for worker in self.workers.values():
            worker.submit(frame)

    def enable(self, name: str, on: bool | None = None) -> None:
        worker = self.workers.get(name)
        if worker is None:
            raise LivelatentError(f"output {name!r}: expected one of {', '.join(self.workers) or '(none)'}",
                                  setting="output")
        worker.enable(not worker.enabled if on is None else bool(on))

    def statuses(self) -> list[OutputStatus]:
        return [worker.status() for worker in self.workers.values()]

    def hud_lines(self) -> list[str]:
        return [hud_line(s) for s in self.statuses()]

    def close(self) -> None:
        for worker in self.workers.values():
            worker.close()


def hud_line(s: OutputStatus) -> str:
    receivers = "" if s.receivers is None else f" RX {s.receivers}"
    return f"OUT {s.name} {s.state}{receivers} SENT {s.sent} DROP {s.dropped}"

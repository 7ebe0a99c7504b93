"""Each output on its own thread with a one-frame mailbox: the loop never waits for it, a slow
receiver drops only its own frames, a failure is one line and is retried, a late receiver
gets the current frame at once. The sink here is a test protocol (an in-memory receiver);
NDI itself is in test_ndi.py."""

import threading
import time
from fractions import Fraction

import numpy as np
import pytest

from livelatent.common.output_spec import OutputSpec
from livelatent.common.sizes import Size
from livelatent.live.outputs import worker as worker_module
from livelatent.live.outputs.hub import Outputs
from livelatent.live.ratelog import RateLimitedLog


class MemorySink:
    """A receiver in memory: keeps what it was sent; can be slow, absent, or broken."""

    pixel_format = "RGBA"

    def __init__(self, spec, *, delay=0.0, fail_opens=0, receivers=1):
        self.spec, self.delay, self.fail_opens, self.count = spec, delay, fail_opens, receivers
        self.frames, self.opened, self.gate = [], [], threading.Event()
        self.gate.set()

    def open(self, size, rate):
        if self.fail_opens:
            self.fail_opens -= 1
            raise OSError("device gone")
        self.opened.append((size, rate))

    def send(self, pixels, frame):
        self.gate.wait(10)
        time.sleep(self.delay)
        self.frames.append((frame.k, pixels.shape))

    def receivers(self):
        return self.count

    def close(self):
        pass


def until(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.002)
    return condition()


@pytest.fixture
def outputs_with():
    made = []

    def build(*specs, sink=MemorySink, **sink_options):
        sinks = {}

        def make_sink(spec):  # one receiver per output, whatever the reopens
            return sinks.setdefault(spec.name, sink(spec, **sink_options))
        log = RateLimitedLog(stream=open("/dev/null", "w"))
        outputs = Outputs([OutputSpec.parse(s) for s in specs], show_size=Size(8, 8), show_rate=Fraction(60),
                          log=log, make_sink=make_sink)
        made.append(outputs)
        until(lambda: len(sinks) == len(specs))
        return outputs, sinks, log
    yield build
    for outputs in made:
        outputs.close()


def image(k):
    return np.full((8, 8, 3), k % 256, np.uint8)


def test_every_frame_goes_out_at_its_own_size_and_the_show_rate(outputs_with):
    outputs, sinks, _ = outputs_with("ndi:a", "ndi:b@16x8")
    for k in range(5):
        outputs.submit(image(k), k=k, take="", rate=Fraction(60))
        assert until(lambda: all(len(s.frames) == k + 1 for s in sinks.values()))
    assert [k for k, _ in sinks["a"].frames] == list(range(5))
    assert sinks["a"].frames[0][1] == (8, 8, 4) and sinks["b"].frames[0][1] == (8, 16, 4)
    assert sinks["a"].opened == [(Size(8, 8), Fraction(60))]
    assert [s.sent for s in outputs.statuses()] == [5, 5]


def test_a_slow_receiver_drops_its_own_frames_and_never_holds_the_loop(outputs_with):
    outputs, sinks, _ = outputs_with("ndi:slow")
    sinks["slow"].gate.clear()  # the receiver stalls
    outputs.submit(image(0), k=0, take="", rate=Fraction(60))
    until(lambda: outputs.statuses()[0].state == "sending")
    time.sleep(0.05)  # frame 0 is being sent, stuck
    started = time.monotonic()
    for k in range(1, 101):
        outputs.submit(image(k), k=k, take="", rate=Fraction(60))
    assert time.monotonic() - started < 1.0  # 100 submits while the receiver stalls: no waiting
    sinks["slow"].gate.set()
    assert until(lambda: sinks["slow"].frames and sinks["slow"].frames[-1][0] == 100)
    status = outputs.statuses()[0]
    assert [k for k, _ in sinks["slow"].frames] == [0, 100]  # the newest won
    assert status.dropped == 99 and status.sent == 2


def test_a_failing_output_is_one_line_retried_in_the_background(outputs_with, monkeypatch):
    monkeypatch.setattr(worker_module, "RETRY_SECONDS", 0.05)
    outputs, sinks, log = outputs_with("v4l2:/dev/video7", fail_opens=3)
    assert until(lambda: outputs.statuses()[0].state == "sending")
    said = [line for line in log.lines if "video7" in line]
    assert said[0] == "output v4l2:/dev/video7: cannot open: device gone; retrying every 0.05 s"
    assert said[1:] == ["output v4l2:/dev/video7: back"]  # the same failure three times: said once
    notices = log.take_notices()  # the HUD and /livelatent/error get them too
    assert len(notices) == 2
    outputs.submit(image(1), k=1, take="", rate=Fraction(60))
    assert until(lambda: len(sinks["video7"].frames) == 1)


def test_turned_off_an_output_sends_nothing_and_counts_nothing_dropped(outputs_with):
    outputs, sinks, _ = outputs_with("ndi:a")
    outputs.enable("a", False)
    assert until(lambda: outputs.statuses()[0].state == "off")
    for k in range(10):
        outputs.submit(image(k), k=k, take="", rate=Fraction(60))
    time.sleep(0.05)
    assert sinks["a"].frames == [] and outputs.statuses()[0].dropped == 0
    outputs.enable("a")  # toggles back on: the sink reopens
    assert until(lambda: len(sinks["a"].opened) == 2 and outputs.statuses()[0].state == "sending")
    outputs.submit(image(10), k=10, take="", rate=Fraction(60))
    assert until(lambda: [k for k, _ in sinks["a"].frames] == [10])


def test_a_late_receiver_gets_the_current_frame_at_once(outputs_with):
    outputs, sinks, _ = outputs_with("ndi:a", receivers=0)
    outputs.submit(image(3), k=3, take="", rate=Fraction(60))
    assert until(lambda: len(sinks["a"].frames) == 1)
    assert until(lambda: outputs.statuses()[0].state == "no receiver")
    sinks["a"].count = 1  # someone connects while the picture holds still
    assert until(lambda: len(sinks["a"].frames) == 2)
    assert [k for k, _ in sinks["a"].frames] == [3, 3] and outputs.statuses()[0].receivers == 1


def test_a_fixed_rate_output_repeats_the_frame_while_the_show_holds_it(outputs_with):
    outputs, sinks, _ = outputs_with("ndi:a@100")
    outputs.submit(image(5), k=5, take="", rate=Fraction(60))
    assert until(lambda: len(sinks["a"].frames) >= 5)
    assert {k for k, _ in sinks["a"].frames} == {5}
    status = outputs.statuses()[0]
    assert status.repeated == status.sent - 1 >= 4 and sinks["a"].opened[0][1] == Fraction(100)


def test_two_outputs_of_one_name_are_refused(outputs_with):
    with pytest.raises(Exception, match="a second output named 'a'"):
        outputs_with("ndi:a", "ndi:a@640x360")

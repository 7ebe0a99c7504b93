"""What the console costs the show: it draws only at its own modest pace, gathers what the show
sends into one drawing, sends and decodes no pixel it does not draw, and yields the CPU to the
show (a lower priority; llvmpipe rasterizing in its drawing thread). benchmarks/bench_console.py
measures what that leaves of the output loop's frame rate."""

from __future__ import annotations

import os

import numpy as np
import pytest

from livelatent.live.console.feed import small
from livelatent.live.console.pace import INPUT_RATE, SETTLE_FRAMES, SHOW_RATE, RedrawPace
from livelatent.live.console.state import PICTURE_BOX, ConsoleState
from tests.xvfb import running_xvfb
from livelatent.live.console.thumbnails import SIZE


def test_what_the_show_sends_meanwhile_is_one_drawing_at_the_show_rate():
    pace = RedrawPace()
    assert pace.due_in(0.0) == 0  # the window opened: drawn at once
    for frame in range(SETTLE_FRAMES):
        pace.drawn(frame / INPUT_RATE)
    t = SETTLE_FRAMES / INPUT_RATE
    assert pace.due_in(t) is None  # nothing changed: the console sleeps
    for _ in range(20):  # a fader streamed over MIDI, the small picture, a thumbnail...
        pace.show()
    assert pace.due_in(t) == pytest.approx(1 / SHOW_RATE - 1 / INPUT_RATE)
    pace.drawn(t + pace.due_in(t))
    assert pace.due_in(t + 1) is None  # ... all of it in one drawing


def test_the_operators_hand_is_followed_at_the_input_rate_and_a_click_settles():
    pace = RedrawPace()
    pace.drawn(0.0)
    pace.drawn(0.01)
    pace.show()
    pace.input()  # the mouse moved meanwhile: no waiting for the show's pace
    assert pace.due_in(0.01) == pytest.approx(1 / INPUT_RATE)
    drawings = 0
    t = 0.01
    while (wait := pace.due_in(t)) is not None:
        t += wait
        pace.drawn(t)
        drawings += 1
    assert drawings == SETTLE_FRAMES  # ImGui finishes a click or a hover on the next frame


@pytest.mark.parametrize("shape, drawn", [((256, 256), (128, 128)), ((1080, 1920), (108, 192)),
                                          ((720, 1280), (103, 183)), ((48, 48), (48, 48))])
def test_the_small_picture_is_sent_no_larger_than_it_is_drawn(shape, drawn):
    image = np.arange(np.prod(shape) * 3, dtype=np.uint32).astype(np.uint8).reshape(*shape, 3)
    cut = small(image, PICTURE_BOX)
    assert cut.shape[:2] == drawn and cut.shape[1] <= PICTURE_BOX[0] and cut.shape[0] <= PICTURE_BOX[1]
    assert cut.flags.c_contiguous and np.array_equal(cut[0, 0], image[0, 0])


@pytest.fixture
def a_display(monkeypatch):
    with running_xvfb(screen="1280x800x24") as display:
        monkeypatch.setenv("DISPLAY", display)
        yield display


def test_the_console_yields_to_the_show_and_draws_through_a_flood(a_display, tmp_path):
    pytest.importorskip("imgui_bundle", reason="the console extra: ./setup.sh --test installs it")
    from livelatent.live.console.link import ConsoleLink
    from livelatent.live.console.window import NICE

    class Bus:
        def put(self, event):
            pass

    link = ConsoleLink(Bus()).start()
    try:
        assert link.screenshot(str(tmp_path / "opened.npy"))  # its window is open and drawn
        pid = link._process.pid
        assert os.getpriority(os.PRIO_PROCESS, pid) == min(os.getpriority(os.PRIO_PROCESS, 0) + NICE, 19)
        with open(f"/proc/{pid}/environ", "rb") as f:
            assert b"LP_NUM_THREADS=0" in f.read().split(b"\0")  # llvmpipe: no thread per core
        # the show floods it (states, pictures, thumbnails): it still draws and answers
        rng = np.random.default_rng(1)
        for i in range(200):
            link.publish(ConsoleState(labels=("random",) * 64, target=i % 64, current=0))
            link.picture(rng.integers(0, 255, (128, 128, 3), dtype=np.uint8))
            link.thumbnail(i % 64, rng.integers(0, 255, (SIZE, SIZE, 3), dtype=np.uint8))
        assert link.screenshot(str(tmp_path / "flooded.npy"))
        assert not link.closed.is_set()
    finally:
        link.close()


"""The operator console in a real window under Xvfb, played with real clicks (xdotool).

The show runs headless (EGL) on a ManualClock; the console is its own process drawing a glfw
window through Dear ImGui. The test looks at the console's screenshots (the bank's thumbnails
differ slot to slot, the current and target slots are framed), clicks a slot to trigger it and
shift-clicks another to store into it, and finds both in the event log with source "console";
the take recorded meanwhile replays bit for bit."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time

import numpy as np
import pytest

from livelatent.adapters import takes
from livelatent.commands.perform import show_config
from livelatent.instrument.actions import make
from livelatent.live.loop_clock import ManualClock
from livelatent.live.session import build_session
from livelatent.offline.replay import replay_z
from tests.xvfb import running_xvfb

ORANGE, WHITE = (255, 150, 20), (255, 255, 255)


@pytest.fixture
def console_display():
    for tool in ("Xvfb", "xdotool"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} not installed: ./setup.sh --test installs it")
    with running_xvfb(screen="1280x800x24") as display:
        old = os.environ.get("DISPLAY")
        os.environ["DISPLAY"] = display
        try:
            yield display
        finally:
            os.environ.pop("DISPLAY", None) if old is None else os.environ.__setitem__("DISPLAY", old)


def until(condition, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"waited {timeout:g} s for {what}"
        time.sleep(0.02)


class Operator:
    """Clicks on the console's window as a person would, through the X server (xdotool), where
    the console last drew the thing clicked: a screenshot first, whose answer follows the
    layout of the frame it was taken from (the output picture arriving with the show's first
    frames moves the state panel's widgets; the thumbnails arriving resize the bank's cells)."""

    def __init__(self, link) -> None:
        self.link = link
        until(lambda: len(link.layout.get("cells", {})) == 64, "the console to draw the bank")
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "livelatent console"], capture_output=True,
                               text=True, timeout=10)
        windows = found.stdout.split()
        assert len(windows) == 1, f"the display should show one console, not {len(windows)}"  # a private X server
        self.window = windows[0]

    def click(self, slot: int, *, shift: bool = False) -> None:
        self._click("cells", slot, 0.5, shift)

    def click_widget(self, name: str, at: float = 0.5) -> None:
        """Click a named widget, `at` that fraction of its width from its left edge."""
        self._click("widgets", name, at)

    def _click(self, kind: str, key, at: float, shift: bool = False) -> None:
        with tempfile.TemporaryDirectory() as folder:
            self.look(os.path.join(folder, "settled.npy"))
        x0, y0, x1, y1 = self.link.layout[kind][key]
        x, y = str(int(x0 + at * (x1 - x0))), str(int((y0 + y1) / 2))
        before = self.link.actions
        keys = (["keydown", "shift"], ["keyup", "shift"]) if shift else ([], [])
        subprocess.run(["xdotool", "mousemove", "--window", self.window, x, y, "sleep", "0.1", *keys[0],
                        "sleep", "0.1", "click", "1", "sleep", "0.1", *keys[1]], check=True, timeout=10)
        # one click, never repeated: an operator's click must reach the show
        until(lambda: self.link.actions > before, f"the click on {key} to reach the show", timeout=30)

    def look(self, path) -> np.ndarray:
        assert self.link.screenshot(str(path)), "the console did not save its screenshot"
        return np.load(path)

    def cell(self, shot: np.ndarray, slot: int) -> np.ndarray:
        x0, y0, x1, y1 = (int(round(v)) for v in self.link.layout["cells"][slot])
        return shot[y0:y1, x0:x1]


def framed(cell: np.ndarray, rgb) -> bool:
    """The cell's outer frame drawn in `rgb` (the role's colour) along most of its top edge."""
    edge = cell[1:3, 20:-4].reshape(-1, 3).astype(int)
    return np.mean(np.abs(edge - np.array(rgb)).max(axis=1) < 40) > 0.8


def test_console_shows_the_bank_and_clicks_trigger_and_store(tmp_path, console_display):
    log = tmp_path / "events.jsonl"
    s = build_session(show_config(["--headless", "--osc-port", "0", "--size", "64x64", "--seed", "5", "--console",
                                   "--record", "--recordings", str(tmp_path / "rec"), "--event-log", str(log)]),
                      clock=ManualClock())
    seen = {}

    def first_look():  # the loop's clock stands still while the operator works
        thumbnails = s.app.panels[0].thumbnails
        until(lambda: thumbnails.made >= 64, "the 64 thumbnails")
        operator = seen["operator"] = Operator(s.console)
        seen["first"] = operator.look(tmp_path / "first.npy")
        operator.click(37)
        operator.click(5, shift=True)

    def second_look():  # the console draws at its own pace: look again (10 s at most) until it shows the click
        operator, deadline = seen["operator"], time.monotonic() + 10
        while True:
            seen["second"] = operator.look(tmp_path / "second.npy")
            if framed(operator.cell(seen["second"], 37), ORANGE) or time.monotonic() > deadline:
                return
            time.sleep(0.1)

    s.app.clock.at(0.3, first_look)
    s.app.clock.at(0.8, second_look)
    try:
        s.app.run(duration=1.2)
    finally:
        s.close()
    operator, first, second = seen["operator"], seen["first"], seen["second"]

    # the bank as thumbnails: each slot its own picture; slot 0, where the show starts, framed white
    cells = [operator.cell(first, slot)[8:-8, 8:-8].astype(float) for slot in range(64)]
    assert min(c.std() for c in cells) > 5
    assert min(np.abs(cells[a] - cells[b]).mean() for a, b in [(0, 1), (1, 2), (37, 38), (5, 63)]) > 10
    assert framed(operator.cell(first, 0), WHITE) and not framed(operator.cell(first, 37), ORANGE)
    # after the click the particle heads for slot 37 (framed orange) from slot 0, the last it reached
    assert framed(operator.cell(second, 37), ORANGE) and framed(operator.cell(second, 0), WHITE)

    # the clicks went through the bus: logged with source "console", in order
    events = [json.loads(line) for line in log.read_text().splitlines()]
    console = [(e["event"]["action"], e["event"]["args"]) for e in events if e["event"]["source"] == "console"]
    assert console == [("keyframe", [37, 1.0]), ("store", [5])]
    assert s.app.perf.target_slot == 37 and s.app.perf.bank.labels[5].startswith("stored@")

    # ... and recorded: the take replays bit for bit
    take = s.recorder.last_take
    assert [line["source"] for line in takes.read_events(take)] == ["cli", "console", "console"]
    assert replay_z(take).z.tobytes() == takes.load_z(take).z.tobytes()


def test_console_state_panel_records_sets_a_knob_and_follows_other_controls(tmp_path, console_display):
    log = tmp_path / "events.jsonl"
    s = build_session(show_config(["--headless", "--osc-port", "0", "--size", "48x48", "--console",
                                   "--recordings", str(tmp_path / "rec"), "--event-log", str(log)]),
                      clock=ManualClock())
    seen = {}

    def operate():
        operator = Operator(s.console)
        operator.click_widget("record")
        operator.click_widget("motion/damping", at=0.6)  # 60% of the way along 0.1..4 (away from its grab at 1)

    def from_elsewhere():  # another control (OSC, MIDI) sets the noise: the console's slider follows
        s.app.bus.put(make("noise", 0.625, source="osc"))

    def look():
        until(lambda: s.console.sent_state is not None and s.console.sent_state.recording, "the console to hear")
        seen["knobs"] = {k.target: k.raw for k in s.console.sent_state.knobs}
        seen["takes"] = s.console.sent_state.record_status

    s.app.clock.at(0.3, operate)
    s.app.clock.at(0.6, from_elsewhere)
    s.app.clock.at(0.9, look)
    try:
        s.app.run(duration=1.2)
    finally:
        s.close()
    console = [e["event"] for e in map(json.loads, log.read_text().splitlines()) if e["event"]["source"] == "console"]
    assert [e["action"] for e in console] == ["record.toggle", "motion"]
    name, value, form = console[1]["args"]
    assert (name, form) == ("damping", "raw") and 2.0 < value < 2.8 and s.app.perf.params.damping == value
    assert s.recorder.last_take is not None  # the console started the take; the show's end stopped it
    assert seen["knobs"]["noise"] == 0.625 and seen["knobs"]["motion/damping"] == value
    assert seen["takes"].startswith("REC")


def test_every_button_the_console_draws_sends_an_action_the_show_takes_from_it():
    """A button whose action the link refuses does nothing on stage (the TAP button once did)."""
    import re
    from pathlib import Path

    from livelatent.live.console import panels
    from livelatent.live.console.link import CONSOLE_ACTIONS

    sent = set(re.findall(r'self\.send\("([^"]+)"', Path(panels.__file__).read_text()))
    assert sent and sent <= CONSOLE_ACTIONS, sorted(sent - CONSOLE_ACTIONS)

"""The live loop, headless through EGL and once in a real glfw window under Xvfb.

The shows here run on a ManualClock (live/loop_clock.py): controls arrive at exact loop times
and the tests assert the ticks they apply at, without sleeping and whatever the machine's load.
Messages sent through a real device (UDP) are waited for while the show's clock stands still."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
from pythonosc.udp_client import SimpleUDPClient

from livelatent.cli import main
from livelatent.instrument.actions import make
from livelatent.commands.perform import show_config
from livelatent.live.loop_clock import ManualClock
from livelatent.live.session import build_session
from tests.live.conftest import arrives
from tests.xvfb import running_xvfb

TINY = ["--size", "48x32", "--seed", "3"]


def session_for(tmp_path, *extra, osc_port=0, clock=None):
    return build_session(show_config(["--headless", "--osc-port", str(osc_port), "--recordings",
                                      str(tmp_path / "rec"), *TINY, *extra]), clock=clock or ManualClock())


def applied_tick(app, seconds: float) -> int:
    """The tick an event arriving at loop time `seconds` applies at: the first whose time is not before it."""
    tick = app.start_tick + math.floor(seconds * app.perf.clock.rate) - 1
    while app.tick_time(tick) < seconds:
        tick += 1
    return tick


def test_headless_loop_applies_osc_and_feeds_state_back(tmp_path, free_udp_port, osc_listener):
    s = session_for(tmp_path, "--osc-feedback", f"127.0.0.1:{osc_listener.port}",
                    "--event-log", str(tmp_path / "events.jsonl"), osc_port=free_udp_port)
    client, clock = SimpleUDPClient("127.0.0.1", free_udp_port), s.app.clock
    clock.at(0.3, lambda: arrives(s.app.bus, lambda: client.send_message("/livelatent/keyframe", 3)))
    clock.at(0.4, lambda: arrives(s.app.bus, lambda: client.send_message("/livelatent/motion/damping", 0.5)))
    try:
        summary = s.app.run(duration=1.2)
        image = s.app.renderer.screenshot(s.app.display.framebuffer)
    finally:
        s.close()
    assert s.app.perf.target_slot == 3 and summary.frames > 5
    applied = {a.event.action: a for a in s.app.applied}
    key = applied["keyframe"]
    assert key.event.source == "osc" and key.frame is not None
    assert (key.event.arrival, key.tick) == (0.3, applied_tick(s.app, 0.3))  # exactly when it was sent
    assert (applied["motion"].event.arrival, applied["motion"].tick) == (0.4, applied_tick(s.app, 0.4))
    assert s.app.tick_time(key.tick) >= key.event.arrival > s.app.tick_time(key.tick - 1)
    want = [("/livelatent/keyframe", (3,)), ("/livelatent/motion/damping", (0.5,)), ("/livelatent/hud", (1,))]
    got = osc_listener.collect(lambda r: all(m in r for m in want) and any(a == "/livelatent/fps" for a, _ in r))
    assert all(m in got for m in want)
    assert any(a == "/livelatent/fps" and v[0] > 0 for a, v in got)  # once a second
    assert image.shape == (32, 48, 3) and image.std() > 1  # the picture, not a blank screen
    logged = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text().splitlines()]
    assert [(e["tick"], e["event"]["action"], e["frame"]) for e in logged] == \
        [(a.tick, a.event.action, a.frame) for a in s.app.applied]
    assert all(e["shown_at"] >= e["arrival"] for e in logged)


class Flaky:
    """Wraps a generator; fails on some calls, like a model running out of memory; a slow one
    takes `delay` seconds of the show's clock to decode."""

    def __init__(self, g, fail_every=3, delay=0.0, clock=None):
        self.g, self.fail_every, self.delay, self.clock, self.calls = g, fail_every, delay, clock, 0
        self.z_dim, self.label = g.z_dim, "flaky"

    def decode(self, z, size=None):
        self.calls += 1
        if self.delay:
            self.clock.advance(self.delay)
        if self.fail_every and self.calls % self.fail_every == 0:
            raise RuntimeError("CUDA out of memory (pretend)")
        return self.g.decode(z, size)


def test_generator_error_keeps_the_last_frame_and_the_show_goes_on(tmp_path, capsys):
    s = session_for(tmp_path)
    s.app.generator = Flaky(s.app.generator)
    try:
        summary = s.app.run(duration=0.8)
    finally:
        s.close()
    assert summary.frames > 5 and "out of memory" in s.app.error
    assert s.app.last_image is not None
    assert "showing the last good frame" in capsys.readouterr().err


def test_slow_decoder_still_applies_controls_at_their_ticks(tmp_path):
    s = session_for(tmp_path)
    s.app.generator = Flaky(s.app.generator, fail_every=0, delay=0.25, clock=s.app.clock)  # 4 frames a second
    sent = ((0.3, 4), (0.35, 5), (0.6, 6))
    for at, slot in sent:
        s.app.clock.at(at, lambda slot=slot: s.app.bus.put(make("keyframe", slot, source="api")))
    try:
        summary = s.app.run(duration=1.2)
    finally:
        s.close()
    keyframes = [a for a in s.app.applied if a.event.action == "keyframe"]
    assert summary.frames <= 6
    # each at its own tick, not the frame's: 50 ms apart stays 12 ticks apart, though no frame fell between
    assert [(a.event.args[0], a.tick) for a in keyframes] == [(slot, applied_tick(s.app, at)) for at, slot in sent]


def test_the_show_keeps_what_it_started_with_out_of_the_collectors_full_passes(tmp_path):
    import gc

    s = session_for(tmp_path)
    frozen = []
    s.app.on_frame = lambda *_: frozen.append(gc.get_freeze_count())
    try:
        s.app.run(duration=0.3)
    finally:
        s.close()
    assert frozen[-1] > 1000  # torch, the model, GL: frozen while the show runs (after the warm-up frame) ...
    assert gc.get_freeze_count() == 0  # ... and collectable again after it


def test_keyboard_triggers_slots_stores_and_records(tmp_path):
    s = session_for(tmp_path)
    kb, clock = s.app.keyboard, s.app.clock
    clock.at(0.2, lambda: (kb.press("2"), kb.press("S"), kb.press("9", mods=1), kb.press("SPACE")))
    clock.at(0.7, lambda: kb.press("SPACE"))
    clock.at(0.8, lambda: (kb.press("ESCAPE"), kb.press("Q")))  # twice: a stray key never ends it
    try:
        summary = s.app.run(duration=5)
    finally:
        s.close()
    pressed = [(str(a.event), a.tick) for a in s.app.applied if a.event.source == "key"]
    at_02, at_07, at_08 = (applied_tick(s.app, t) for t in (0.2, 0.7, 0.8))
    assert pressed == [("keyframe(1, 1.0)", at_02), ("store(18)", at_02), ("record.toggle()", at_02),
                       ("record.toggle()", at_07), ("quit()", at_08)]
    assert s.recorder.last_take.rows == 15  # 0.2 s to 0.7 s at 30 frames a second
    assert summary.seconds < 1.0  # quit, long before the 5 s it was given


def test_perform_command_headless_with_record_prints_a_summary(tmp_path, capsys):
    code = main(["perform", "--headless", "--duration", "1", "--record", "--osc-port", "0",
                 "--recordings", str(tmp_path / "rec"), "--save-bank", str(tmp_path / "mine"), *TINY])
    out = capsys.readouterr().out
    assert code == 0
    assert "livelatent perform:" in out and "fps" in out
    assert f"take: {tmp_path / 'rec'}" in out
    assert (tmp_path / "mine.npy").exists() and (tmp_path / "mine.json").exists()


def test_bad_preset_is_one_line_naming_file_and_key(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[motion]\nsettle = 2\n")
    assert main(["perform", "--headless", "--preset", str(bad)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "bad.toml: [motion]: key 'settle': expected one of" in err


def test_a_window_without_a_display_is_one_line_pointing_to_headless(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    done = subprocess.run([sys.executable, "-m", "livelatent", "perform", "--duration", "1", *TINY,
                           "--recordings", str(tmp_path / "rec")], env=env, capture_output=True, text=True, timeout=120)
    err = done.stderr.strip()
    assert done.returncode == 1 and err.count("\n") == 0, err
    assert "window: glfw cannot start (" in err and "use --headless" in err


@pytest.fixture
def xvfb_display():
    if shutil.which("Xvfb") is None:
        pytest.fail("Xvfb not installed: ./setup.sh --test installs xvfb")
    with running_xvfb() as display:
        old = os.environ.get("DISPLAY")
        os.environ["DISPLAY"] = display
        try:
            yield display
        finally:
            if old is None:
                os.environ.pop("DISPLAY", None)
            else:
                os.environ["DISPLAY"] = old


WINDOW_SCRIPT = """
import sys, numpy as np
from livelatent.commands.perform import show_config
from livelatent.live.session import build_session
s = build_session(show_config(sys.argv[2:]))
try:
    summary = s.app.run(duration=0.6)
    s.app.renderer.draw(s.app.display.framebuffer)
    shot = s.app.renderer.screenshot(s.app.display.framebuffer)
    np.save(sys.argv[1], shot)
    print(summary.frames, *s.app.display.size())
finally:
    s.close()
"""


def test_window_under_xvfb_shows_the_picture(tmp_path, xvfb_display):
    # its own process: GLX cannot share a process with the EGL contexts of the headless tests
    shot_path = tmp_path / "shot.npy"
    args = ["--osc-port", "0", "--recordings", str(tmp_path / "rec"), *TINY]
    done = subprocess.run([sys.executable, "-c", WINDOW_SCRIPT, str(shot_path), *args],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    frames, w, h = (int(v) for v in done.stdout.split())
    shot = np.load(shot_path)
    assert frames > 3 and shot.shape == (h, w, 3)
    middle = shot[h // 4: 3 * h // 4, w // 4: 3 * w // 4]
    assert middle.std() > 1 and middle.mean() > 1  # the generator's picture, letterboxed in the middle


def tiny_torchscript_snapshots(folder, d=8):
    """Two 'checkpoints' of a tiny TorchScript generator: z (N, 8) -> (N, 3, 16, 16)."""
    import torch

    class Tiny(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = torch.nn.Linear(d, 3 * 16 * 16)

        def forward(self, z):
            return torch.tanh(self.fc(z)).view(-1, 3, 16, 16)

    folder.mkdir()
    for kimg in (10, 20):
        torch.manual_seed(kimg)
        torch.jit.save(torch.jit.script(Tiny()), str(folder / f"snapshot-{kimg:06d}.pt"))
    return folder


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # torch 2.9+ calls TorchScript deprecated
def test_snapshot_set_grid_and_snapshot_selection(tmp_path):
    run = tiny_torchscript_snapshots(tmp_path / "run")
    s = build_session(show_config(["--headless", "--osc-port", "0", "--model", str(run), "--size", "64x32",
                                   "--grid", "--recordings", str(tmp_path / "rec")]), clock=ManualClock())
    images = []
    s.app.on_frame = lambda k, z, image: images.append((s.app.grid, s.app.snapshot, image))
    s.app.clock.at(0.3, lambda: s.app.bus.put(make("snapshot", 1, source="api")))
    s.app.clock.at(0.35, lambda: s.app.bus.put(make("snapshot", 2, source="api")))  # there are two: refused
    try:
        s.app.run(duration=0.6)
    finally:
        s.close()
    grid = next(image for on, _, image in images if on)
    one = images[-1][2]
    assert images[-1][:2] == (False, 1) and grid.shape == one.shape == (32, 64, 3)
    assert not np.array_equal(grid[:, :32], grid[:, 32:])  # two different checkpoints side by side
    assert "snapshot 2: expected 0..1" in s.app.error


PANELS = ("livelatent/live/console/feed.py", "livelatent/live/leds.py", "livelatent/live/oscquery.py",
          "livelatent/live/session.py")


def test_what_mirrors_the_show_reads_it_only_through_its_public_read_only_side(tmp_path):
    """The console feed, the LEDs and OSCQuery read the app's `recording`, `show_state`,
    `fps_shown`, `model_text`, `truncation` and `decoder_for`, never its private methods."""
    import ast

    private = [f"{path}:{node.lineno} app.{node.attr}" for path in PANELS
               for node in ast.walk(ast.parse(open(path).read()))
               if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "app"
               and node.attr.startswith("_")]
    assert not private, private
    s = build_session(show_config(["--headless", "--size", "32x32", "--osc-port", "0", "--recordings", str(tmp_path)]),
                      clock=ManualClock())
    seen = {}

    def look():
        app = s.app
        seen.update(recording=app.recording, state=app.show_state.recording, model=app.model_text,
                    fps=app.fps_shown, truncation=app.truncation, decoder=app.decoder_for() is app.decoder_for())
    s.app.clock.at(0.3, lambda: s.app.bus.put(make("record.start", source="api")))
    s.app.clock.at(0.6, look)
    try:
        s.app.run(duration=0.7)
    finally:
        s.close()
    assert seen["recording"] is True and seen["state"] is True and seen["decoder"] is True
    assert seen["model"] and seen["fps"] > 0 and isinstance(seen["truncation"], bool)

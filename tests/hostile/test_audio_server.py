"""Sound through a JACK server that dies mid-show and comes back: a real JACK server, a band in
a process of its own (tests/live/audio_player.py) playing into the show's `--audio` input, a
take recording throughout. The JACK client runs in a child process of the show's
(live/jack_audio.py), so libjack tearing down its threads can hang only that child: the show
goes on, says once that the sound is lost, keeps the sound the take had, and takes the sound
again when a server has the port again."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from livelatent.adapters.audio import TAKE_SOUND, read_audio
from livelatent.commands.perform import show_config
from livelatent.live.session import build_session
from until import play, wait_until

PLAYER = Path(__file__).parents[1] / "live" / "audio_player.py"
BAND = "lltest-band"


class Band:
    """The band's process: a song of `seconds` from its port BAND:out, from go() on."""

    def __init__(self, seconds: float) -> None:
        self.proc = subprocess.Popen([sys.executable, str(PLAYER), BAND, str(seconds), "128"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert json.loads(self.proc.stdout.readline()) == {"ready": True}

    def go(self) -> None:
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()

    def finish(self) -> None:
        """The song played to its end, the band leaves its (living) server cleanly."""
        self.proc.stdout.readline()
        self.proc.wait(timeout=10)

    def gone_with_its_server(self) -> None:
        """Its server died under it: nothing is left to leave cleanly."""
        self.proc.kill()
        self.proc.wait()


def test_a_jack_server_that_dies_costs_the_sound_not_the_show_and_the_sound_comes_back(restartable_jack, tmp_path,
                                                                                      capfd):
    band = Band(30.0)
    s = build_session(show_config(["--headless", "--audio", BAND, "--osc-port", "0", "--size", "32x32", "--record",
                                   "--recordings", str(tmp_path)]))
    feed, marks = next(x for x in s.app.statuses if hasattr(x, "blocks")), {}  # the sound input

    def script():
        playing, marks["go"] = feed.blocks, s.app.bus.now()
        band.go()
        time.sleep(1.2)                                         # the song plays for a while ...
        assert wait_until(lambda: feed.blocks > playing + 100)  # ... and reaches the show
        marks["lost"] = s.app.bus.now()
        restartable_jack.stop()                                 # the server dies mid-song
        assert wait_until(lambda: "LOST" in feed.status() and "lost" in s.app.error, 10)
        marks["said"] = s.app.bus.now()                        # no sound can come from here on
        band.gone_with_its_server()
        frames, blocks = s.app.summary.frames, feed.blocks
        time.sleep(1.0)
        assert s.app.summary.frames > frames + 10 and feed.blocks == blocks  # frames, and no sound
        restartable_jack.start()                                # ... and comes back, the band with it
        comeback = Band(1.5)
        assert wait_until(lambda: "LOST" not in feed.status(), 15)
        marks["back"] = s.app.bus.now()
        comeback.go()
        assert wait_until(lambda: feed.blocks > blocks + 50, 10)
        comeback.finish()

    try:
        summary = play(s, script)
    finally:
        if band.proc.poll() is None:
            band.gone_with_its_server()
    err = capfd.readouterr().err
    assert err.count("lost (the JACK server is gone)") == 1 and err.count("is back") == 1, err
    assert summary.frames > 60
    take = s.recorder.last_take
    sound, rate = read_audio(take.path / TAKE_SOUND)
    span = len(sound) / rate
    assert abs(span - take.rows / take.fps.value) < 0.05       # the whole take long ...
    level = lambda t0, t1: float(np.abs(sound[int(t0 * rate):int(t1 * rate)]).max())  # noqa: E731
    assert level(marks["go"] + 0.3, marks["lost"] - 0.2) > 0.1  # ... with the song it had before the loss,
    assert level(marks["said"] + 0.1, marks["back"] - 0.1) == 0  # silence while there was none,
    assert level(marks["back"] + 0.5, span - 0.2) > 0.1         # and the sound once it came back

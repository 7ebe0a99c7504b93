"""The loop's pace under a stream of events: a trigger shows at once, everything else moves with
the display grid, and the loop never asks for more than one frame per display period.

A fader streamed over OSC at 200 Hz, or a song's features every audio block, must not make the
loop decode and draw above its display rate (on 2 cores that takes the model's CPU); a pad hit
between two grid frames still shows before the next one. The shows run on a ManualClock
(tick-exact, no sleeping): the frames' numbers and times are the loop's own.
"""

from __future__ import annotations

import numpy as np
import pytest

from livelatent.commands.perform import show_config
from livelatent.instrument.actions import make
from livelatent.live.loop_clock import ManualClock
from livelatent.live.session import build_session
from tests.live import songs

FPS, SECONDS = 60, 2.0
TINY = ["--headless", "--size", "32x32", "--seed", "3", "--osc-port", "0", "--fps", str(FPS)]
FEATURES = """
[[audio.feature]]
feature = "low"
target = "noise"
gain = 1.5
attack = 0.0
release = 0.0

[[audio.feature]]
feature = "mid"
target = "motion/damping"
attack = 0.0
release = 0.0

[[audio.feature]]
feature = "high"
target = "impulse"
threshold = 0.1
"""


def show(tmp_path, *extra, events=()):
    """A show of SECONDS on a manual clock, `events` = [(loop time, event)] put on its bus then;
    (the app, the display-grid numbers of the frames shown, in order)."""
    session = build_session(show_config([*TINY, "--recordings", str(tmp_path / "rec"), *extra]), clock=ManualClock())
    app, shown = session.app, []
    app.on_frame = lambda k, z, image: shown.append(k)
    for at, event in events:
        app.clock.at(at, lambda event=event: app.bus.put(event))
    try:
        app.run(duration=session.config.duration or SECONDS)
    finally:
        session.close()
    return app, shown[1:]  # the first: the model's warm-up, before the clock starts


@pytest.fixture(scope="module")
def quiet(tmp_path_factory):
    """The same show with no events at all: the display grid's own frames."""
    return show(tmp_path_factory.mktemp("quiet"))[1]


def at_most_one_frame_a_period(shown) -> bool:
    """Each frame shown has its own grid number: no display period drew twice."""
    return all(a < b for a, b in zip(shown, shown[1:]))


def test_a_fader_streamed_at_200_hz_moves_with_the_grid_and_adds_no_frame(tmp_path, quiet):
    fader = [(i / 200, make("motion", "damping", (i % 100) / 100, source="osc")) for i in range(int(SECONDS * 200))]
    app, shown = show(tmp_path, events=fader)
    assert sum(a.event.action == "motion" for a in app.applied) >= 0.95 * len(fader)  # each applied on its tick
    assert len(shown) == len(quiet) and at_most_one_frame_a_period(shown)


def test_a_songs_features_every_audio_block_add_no_frame(tmp_path, quiet):
    samples, _ = songs.song(SECONDS)  # a click track over a sweep, under noise at a new level every block
    rng = np.random.default_rng(5)
    levels = np.repeat(rng.uniform(0.02, 0.3, len(samples) // 512 + 1), 512)[:len(samples)]
    songs.write_wav(tmp_path / "song.wav", samples + levels * rng.standard_normal(len(samples)))
    (tmp_path / "react.toml").write_text(FEATURES)
    app, shown = show(tmp_path, "--audio-file", str(tmp_path / "song.wav"), "--preset", str(tmp_path / "react.toml"))
    from_audio = [a for a in app.applied if a.event.source == "audio"]
    assert len(from_audio) > SECONDS * 48000 / 512  # a stream: more than one event per 10.7 ms block
    assert len(shown) <= len(quiet) and at_most_one_frame_a_period(shown)


def test_a_trigger_between_two_grid_frames_shows_before_the_next_one_in_its_place(tmp_path, quiet):
    hit = 18.5 / FPS  # half way between grid frames 18 and 19
    app, shown = show(tmp_path, events=[(hit, make("keyframe", 3, source="osc"))])
    pad = next(a for a in app.applied if a.event.action == "keyframe")
    assert hit <= pad.shown_at < 19 / FPS  # at once, before frame 19 was due ...
    assert shown[pad.frame] == 19  # ... as frame 19, which the grid then does not draw again
    assert len(shown) == len(quiet) and at_most_one_frame_a_period(shown)


def test_pads_hit_faster_than_the_display_rate_still_ask_for_one_frame_a_period(tmp_path, quiet):
    roll = [(0.2 + i / 200, make("keyframe.random", source="midi")) for i in range(200)]  # a 200 Hz drum roll, 1 s
    app, shown = show(tmp_path, events=roll)
    assert sum(a.event.action == "keyframe.random" for a in app.applied) == len(roll)
    assert len(shown) <= len(quiet) and at_most_one_frame_a_period(shown)

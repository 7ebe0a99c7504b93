"""A song played as the show's input, offline: `perform --headless --audio-file song.wav --record`
runs faster than real time on the loop's manual clock, frame-exact, and the same file twice
gives the identical take, with the sound kept beside it and in its proxy; the take replays
bit for bit without the sound.
"""

from __future__ import annotations

import av
import numpy as np
import pytest

from livelatent.adapters import takes
from livelatent.adapters.audio import TAKE_SOUND, read_audio
from livelatent.commands.perform import show_config
from livelatent.instrument.audio_features import FeatureAnalyser
from livelatent.live.session import build_session
from livelatent.offline.proxy import complete_after_show
from livelatent.offline.replay import replay_z
from tests.live import songs

SECONDS, BPM, TICKS, FPS = 3.0, 128.0, 240, 30
PRESET = """
[[audio.feature]]
feature = "onset"
target = "keyframe/random"

[[audio.feature]]
feature = "low"
target = "noise"
gain = 1.5
release = 0.3
"""


@pytest.fixture(scope="module")
def song(tmp_path_factory):
    folder = tmp_path_factory.mktemp("song")
    samples, clicks = songs.song(SECONDS, BPM)
    songs.write_wav(folder / "song.wav", samples)
    (folder / "react.toml").write_text(PRESET)
    return folder, clicks


def perform(folder, recordings):
    session = build_session(show_config(["--headless", "--size", "32x32", "--osc-port", "0", "--record",
                                         "--audio-file", str(folder / "song.wav"), "--preset",
                                         str(folder / "react.toml"), "--recordings", str(recordings)]))
    try:
        summary = session.app.run(duration=session.config.duration)
    finally:
        session.close()
    # as `livelatent perform` does: the proxy frames the loop had no time for, then the take's sound
    complete_after_show(session.recorder.unfinished_proxies, session.app.generator, "default", say=lambda line: None)
    return summary, takes.read_take(session.recorder.last_take.path)


@pytest.fixture(scope="module")
def two_takes(song, tmp_path_factory):
    folder, _ = song
    return [perform(folder, tmp_path_factory.mktemp(f"rec{i}"))[1] for i in range(2)]


def test_the_show_lasts_the_song_and_the_same_file_gives_the_identical_take(two_takes):
    a, b = two_takes
    assert a.rows == b.rows == SECONDS * FPS
    assert np.array_equal(takes.load_z(a).z, takes.load_z(b).z)
    assert takes.read_events(a) == takes.read_events(b)


def test_each_click_is_an_onset_applied_within_a_frame_of_it(two_takes, song):
    _, clicks = song
    onsets = [line["tick"] for line in takes.read_events(two_takes[0])
              if line["event"]["action"] == "keyframe.random" and line["source"] == "audio"]
    assert onsets[0] < TICKS * 0.02  # the song starting is an onset too
    onsets = onsets[1:]
    assert len(onsets) == len(clicks)
    for tick, click in zip(onsets, clicks):
        assert 0 <= tick - click * TICKS <= TICKS / FPS, (tick, click)


def test_the_take_keeps_the_sound_beside_it_and_in_its_proxy(two_takes):
    take = two_takes[0]
    sound, rate = read_audio(take.path / TAKE_SOUND)
    assert len(sound) == SECONDS * rate
    with av.open(str(take.proxy_path)) as proxy:
        kinds = sorted(s.type for s in proxy.streams)
        assert kinds == ["audio", "video"] and proxy.streams.video[0].frames == take.rows


def test_the_take_replays_bit_for_bit_without_the_sound(two_takes):
    take = two_takes[0]
    assert np.array_equal(replay_z(take).z, takes.load_z(take).z)


def test_the_bands_follow_the_sweep():
    analyser = FeatureAnalyser(songs.RATE, 512)
    tone = songs.sweep(6.0)
    loudest = []
    for i in range(0, len(tone) - 512, 512 * 47):  # twice a second
        f = analyser.analyse(tone[i:i + 512])
        loudest.append(max(("low", "mid", "high"), key=lambda band: getattr(f, band)))
    assert loudest[1] == "low" and "mid" in loudest and loudest[-1] == "high"
    assert loudest.index("mid") < loudest.index("high")

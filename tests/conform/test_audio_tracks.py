"""An edit cut to the music has audio tracks; the conform makes z-sequences, which carry no
sound, and says so (one note naming how many audio tracks held clips) instead of dropping
them silently."""

from pathlib import Path

from livelatent.adapters.kdenlive import read_project

DATA = Path(__file__).resolve().parents[1] / "data" / "kdenlive"


def test_audio_tracks_with_clips_are_named_in_a_note():
    timeline = read_project(DATA / "opentimelineio__kdenlive_example_v221170.kdenlive")
    (note,) = [n for n in timeline.notes if "audio" in n]
    assert "3 audio track(s) with clips not conformed" in note and "mixdown" in note


def test_an_edit_without_sound_gets_no_such_note():
    timeline = read_project(DATA / "kdenlive-test-suite__qtblend-rotate.kdenlive")
    assert not [n for n in timeline.notes if "audio" in n]

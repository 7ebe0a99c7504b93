"""The musical parts of a show, opened from its configuration: the beat sync (quantise), the
MIDI clock in, and the sound in (a file or a live input) with its take keeper.

    beat_sync, feed, statuses = open_music(config, bus, log, session)
    ... LiveApp(..., beat_sync=beat_sync); app.statuses = statuses
    keep_take_sound(session, feed, log)
"""

from __future__ import annotations

from dataclasses import replace

from livelatent.instrument.audio_map import AudioMap
from livelatent.live.beat_sync import BeatSync


def open_music(config, bus, log, session):
    """(BeatSync, the sound feed or None, the parts whose status the HUD shows)."""
    statuses = []
    if config.clock:
        from livelatent.live.clock_in import ClockInput

        clock = ClockInput(bus, config.clock, log=log).start()
        session.closers.append(clock.close)
        statuses.append(clock)
    feed = _open_sound(config, bus, log, session)
    if feed is not None:
        statuses.append(feed)
    return BeatSync(config.quantise), feed, statuses


def _open_sound(config, bus, log, session):
    audio_map = AudioMap(config.audio_map)
    if config.audio_file is not None:
        from livelatent.adapters.audio import read_audio
        from livelatent.live.audio_feed import AudioFileSource

        samples, rate = read_audio(config.audio_file)
        feed = AudioFileSource(bus, samples, rate, audio_map, block=config.audio_block, beats=not config.clock)
        if session.config.duration is None:  # the show lasts the song
            session.config = replace(session.config, duration=feed.seconds)
    elif config.audio:
        from livelatent.live.audio_in import AudioInput

        feed = AudioInput(bus, config.audio, audio_map, block=config.audio_block, beats=not config.clock, log=log)
    else:
        return None
    session.closers.insert(0, feed.close)
    return feed.start()


def keep_take_sound(session, feed, log) -> None:
    """Takes recorded with sound keep it (live/audio_take.py)."""
    if feed is None or session.recorder is None:
        return
    from livelatent.live.audio_take import AudioTake

    session.recorder.listeners.append(AudioTake(feed, session.app.tick_time, say=lambda line: log.log("take-audio", line)))

"""A take recorded with sound keeps the sound: audio.flac beside the take, and the proxy muxed
with it (adapters/audio.py), so an edit of the proxies in Kdenlive is cut to the music.

The recorder tells it when a take starts (the render thread: the take's first tick) and when
it is finished (the writer thread, which then writes the sound: nothing here runs on the
render thread). The sound of the take's span comes from the feed (live/audio_feed.py).

    recorder.listeners.append(AudioTake(feed, app.tick_time, say=log_line))
"""

from __future__ import annotations

from livelatent.adapters.audio import TAKE_SOUND, mux_take_sound, write_flac
from livelatent.errors import LivelatentError


class AudioTake:
    def __init__(self, feed, tick_time, say=print) -> None:
        self.feed, self.tick_time, self.say = feed, tick_time, say
        self._starts: dict[int, float] = {}  # take number -> loop time of its first tick

    def take_started(self, number: int, tick: int) -> None:
        self._starts[number] = self.tick_time(tick)
        if hasattr(self.feed, "tape"):
            self.feed.tape(True)

    def take_finished(self, number: int, take) -> None:
        start = self._starts.pop(number, None)
        if start is None or not take.rows:
            return
        samples = self.feed.samples_between(start, start + float(take.rows / take.fps.value))
        if not len(samples):
            self.say(f"{take.name}: no sound reached the show during the take; none written")
            return
        try:
            write_flac(take.path / TAKE_SOUND, samples, self.feed.rate)
            mux_take_sound(take.path, take.proxy_path)  # a partial proxy gets it when completed
        except (OSError, LivelatentError) as exc:
            self.say(f"{take.name}: the take's sound could not be kept ({exc}); its z rows and events are")

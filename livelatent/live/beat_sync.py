"""The loop's musical timing at each tick: a live clock's beats put on their tick, and triggers
held for their beat (instrument/quantise.py).

A beat from the MIDI clock or the beat tracker reaches the bus a little after it fell; its
last argument is that lag. Here, at the tick it is applied, the lag becomes the beat's own
tick (fractional) on the loop's timeline, and that is what the Performance applies and the
take logs: a replay puts the beat where it fell without the clock.

    sync = BeatSync("beat")
    events = sync.route(perf, bus_events, tick_at)   # tick_at(loop seconds) -> fractional tick
"""

from __future__ import annotations

from livelatent.instrument.actions import make
from livelatent.instrument.quantise import Quantiser

PLACED_SOURCES = ("clock", "audio")  # whose tempo.beat carries a lag, not yet a tick


class BeatSync:
    def __init__(self, quantise: str = "off") -> None:
        self.quantiser = Quantiser(quantise)

    def route(self, perf, events: list, tick_at) -> list:
        """This tick's events to apply: beats placed on their tick, triggers held or released."""
        if events:
            events = [self._placed(e, tick_at) for e in events]
        return self.quantiser.route(perf.tick, events, perf.beat, perf.clock.rate)

    @staticmethod
    def _placed(event, tick_at):
        if event.action != "tempo.beat" or event.source not in PLACED_SOURCES:
            return event
        bpm, beat, lag = event.args
        return make("tempo.beat", bpm, beat, tick_at(event.arrival - lag), source=event.source,
                    arrival=event.arrival)


def music_lines(perf, statuses, sync: BeatSync) -> list[str]:
    """The HUD's tempo line (and each musical input's status) when there is music to show."""
    if not statuses and sync.quantiser.default == "off" and perf.transport == "free" and not perf.settle_beats:
        return []
    grid, rate = perf.beat, perf.clock.rate
    position = grid.position(perf.tick, rate)
    bar, beat = divmod(int(position // 1), grid.beats_per_bar)
    line = f"{grid.bpm:.1f} BPM  {bar + 1}.{beat + 1}  Q {sync.quantiser.default.upper()}  {perf.transport.upper()}"
    return [line] + [s.status() for s in statuses if s.status()]

"""MIDI clock in: tempo, beats and the transport from any MIDI input, as events on the bus.

The same input as the controls (live/midi.py: rtmidi's queue read from our own thread, the
port and its server watched, reopened when they come back), opened with the timing messages
let through. Each clock pulse's instant comes from rtmidi's timestamps (the time between
messages, as the MIDI system stamped them), not from when our reader took it from the queue;
under JACK, which hands MIDI over once a period, half a period earlier (on average, that is
when the pulse was sent). instrument/tempo.ClockEstimator smooths the pulses into a tempo
and each beat's instant. What goes on the bus:

  tempo.beat(bpm, beat, lag)     at every 24th pulse of the song while it plays (from the first
                                 pulse seen when no Start came): beat `beat` fell `lag` seconds
                                 before this event reached the bus; the loop puts it on its tick
                                 (live/beat_sync.py), so the log holds the tick. The first beat
                                 after a Start waits for the second pulse (a tempo to go with it)
  tempo(bpm)                     once a beat while stopped: the tempo, the phase free-running
  tempo.transport(state)         "playing" at Start and Continue (from the Song Position
                                 Pointer), "stopped" at Stop, "lost" when pulses stop coming

A clock that stops sending is said once on the console, the HUD and /livelatent/error, and
the grid carries on at the last tempo; when it comes back, it leads again.

    clock = ClockInput(bus, "TR-8S", log=log).start()     # or virtual:NAME
    clock.status()                                         # "CLOCK 128.0 BPM" for the HUD
"""

from __future__ import annotations

from livelatent.instrument.actions import make
from livelatent.instrument.mapping import MidiMap
from livelatent.instrument.tempo import PPQN, ClockEstimator
from livelatent.live.midi import MidiInput

CLOCK, START, CONTINUE, STOP, SONG_POSITION = 0xF8, 0xFA, 0xFB, 0xFC, 0xF2
LOST_PERIODS = 12  # no pulse for this many pulse periods (at least LOST_SECONDS): the clock is lost
LOST_SECONDS = 0.25
RESTART_SECONDS = 2.0  # a clock silent longer than this starts its tempo estimate afresh (shorter: a stall)
TOLERANCE = 0.004  # seconds off the fitted line that make a pulse an outlier (at least)


class ClockInput(MidiInput):
    TIMING = True

    def __init__(self, bus, name: str, *, log=None, poll_seconds: float = 0.25) -> None:
        super().__init__(bus, name, MidiMap(), log=log, poll_seconds=poll_seconds)
        self.estimator = ClockEstimator()
        self.song_pulse = 0  # the next pulse's place in the song (a clock with no Start: from its first pulse)
        self.playing = True  # until a Stop: a clock with no transport plays
        self.lost = False
        self._since = 0.0  # rtmidi's time: the sum of its deltas since the port opened
        self._offset: float | None = None  # our clock minus rtmidi's, at its smallest (the least delay seen)
        self._last_pulse: float | None = None  # our clock, the last pulse's instant
        self._beat_pulse: tuple[int, int] | None = None  # (beat, its pulse number) not yet put on the bus
        self._port_seen = None

    # ---- what the HUD says ----

    def status(self) -> str:
        bpm = self.estimator.bpm
        if self.lost and bpm is not None:  # the tempo kept comes first: it is what the show plays to
            return f"CLOCK {bpm:.1f} BPM LOST" + ("" if self.port else f", WAITING FOR {self.wanted}")
        base = super().status()
        if base:
            return base.replace("MIDI:", "CLOCK:")
        if bpm is None:
            return f"CLOCK: WAITING FOR PULSES FROM {self.wanted}"
        return f"CLOCK {bpm:.1f} BPM" + ("" if self.playing else " STOPPED")

    # ---- the reader thread ----

    def _on_message(self, message) -> None:
        data, delta = message
        if self.port != self._port_seen:  # a port (re)opened: rtmidi's time starts again
            self._port_seen, self._since, self._offset = self.port, 0.0, None
        self._since += delta
        now = self.bus.clock.elapsed()
        self._offset = now - self._since if self._offset is None else min(self._offset, now - self._since)
        if not data:
            return
        status = data[0]
        if status == CLOCK:
            period = self._period()
            # a pulse delivered up to a period late is no outlier: leaving those out of the fit
            # would lock the tempo onto JACK's own period (at 120 BPM, 1024 frames is 117.2)
            self.estimator.tolerance = max(TOLERANCE, 1.5 * period)
            self._pulse(self._offset + self._since - period / 2)
        elif status == START:
            self.song_pulse, self.playing = 0, True
            self.bus.put(make("tempo.transport", "playing", source="clock"))
        elif status == CONTINUE:
            self.playing = True
            self.bus.put(make("tempo.transport", "playing", source="clock"))
        elif status == STOP:
            self.playing, self._beat_pulse = False, None
            self.bus.put(make("tempo.transport", "stopped", source="clock"))
        elif status == SONG_POSITION and len(data) == 3:
            self.song_pulse = (data[1] | data[2] << 7) * PPQN // 4  # in sixteenths: 6 pulses each

    def _period(self) -> float:
        """Under JACK, MIDI arrives once a period: on average half a period after it was sent."""
        return getattr(self._lister, "period", 0.0)  # a JACK lease's; ALSA: none

    def _pulse(self, t: float) -> None:
        if self.lost:
            self._back(t)
        number = self.estimator.pulse(t)
        self._last_pulse = t
        bpm = self.estimator.bpm
        if not self.playing:  # stopped: the tempo, once a beat; the song position waits
            if bpm is not None and number % PPQN == 0:
                self.bus.put(make("tempo", bpm, source="clock"))
            return
        position = self.song_pulse
        self.song_pulse = position + 1
        if position % PPQN == 0:
            self._beat_pulse = (position // PPQN, number)
        if bpm is not None and self._beat_pulse is not None:  # the first beat waits for a tempo
            beat, at_pulse = self._beat_pulse
            self._beat_pulse = None
            lag = max(self.bus.clock.elapsed() - self.estimator.time_of(at_pulse), 0.0)
            self.bus.put(make("tempo.beat", bpm, beat, lag, source="clock"))

    def _after_read(self, got: int) -> None:
        if got or self.lost or self._last_pulse is None or self.estimator.bpm is None:
            return
        period = 60.0 / (PPQN * self.estimator.bpm)
        if self.bus.clock.elapsed() - self._last_pulse > max(LOST_PERIODS * period, LOST_SECONDS):
            self.lost = True
            self.log.log("clock-lost", f"MIDI clock from {self.port_name or self.wanted!r} lost: keeping "
                                       f"{self.estimator.bpm:.1f} BPM", notice=True)
            self.bus.put(make("tempo.transport", "lost", source="clock"))

    def _back(self, t: float) -> None:
        self.lost = False
        if t - self._last_pulse > RESTART_SECONDS:  # a clock started again, maybe at another tempo
            self.estimator.reset()
        self.log.log("clock-back", f"MIDI clock from {self.port_name or self.wanted!r} is back", notice=True)
        self.bus.put(make("tempo.transport", "playing" if self.playing else "stopped", source="clock"))

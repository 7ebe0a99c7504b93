"""The show's side of the console: what the loop hands it, at the console's pace, never waiting.

The loop calls drawn(app) after each draw (on its own thread). At most STATE_RATE times a
second it builds a ConsoleState (a few dozen values) and hands it to the link, which sends it
only when it changed; at most PICTURE_RATE times a second a small copy of the picture on
screen; once a second the frame rate and decode time for the console's plot. The bank's
thumbnails are decoded by the show's own decode worker between show frames (thumbnails.py).
All of it goes through newest-wins mailboxes (link.py): the loop never waits for the console.

    feed = ConsoleFeed(link, thumbnails)
    app.panels.append(feed)      # the loop calls feed.drawn(app) after each draw
"""

from __future__ import annotations

import math

import numpy as np

from livelatent.common.picture import PSI_RAW, psi_to_knob
from livelatent.live.console.state import PICTURE_BOX, ConsoleState, Knob
from livelatent.motion.params import MOVERS, MotionParams
from livelatent.live.beat_sync import music_lines

STATE_RATE = 15.0  # ConsoleStates a second at most (a fader streamed over OSC changes it every frame)
PICTURE_RATE = 8.0  # small pictures a second at most
MONITOR_LINES = 12


class ConsoleFeed:
    def __init__(self, link, thumbnails) -> None:
        self.link, self.thumbnails = link, thumbnails
        self._state_at = self._picture_at = self._stats_at = -1e9
        self._takes: list[str] = []
        self._shown_image = None

    def drawn(self, app) -> None:
        """After the loop drew: what changed since, at the console's pace (the loop's thread)."""
        now = app.clock.now()
        if now - self._state_at >= 1.0 / STATE_RATE:
            self._state_at = now
            self.link.publish(self.state_of(app))
            self.thumbnails.refresh(app.perf.bank.z, app.picture)
            if self.thumbnails.pending() and app.worker is not None:
                app.worker.background(self.thumbnails.decode_one)  # between show frames
        if now - self._picture_at >= 1.0 / PICTURE_RATE and app.last_image is not self._shown_image:
            self._picture_at, self._shown_image = now, app.last_image
            if app.last_image is not None:
                self.link.picture(small(app.last_image, PICTURE_BOX))
        if now - self._stats_at >= 1.0:
            self._stats_at = now
            self.link.stats(now, app.fps_shown, app.summary.decode_ms)

    def state_of(self, app) -> ConsoleState:
        perf, recorder = app.perf, app.recorder
        if recorder is not None and recorder.last_take is not None and \
                (not self._takes or self._takes[-1] != recorder.last_take.name):
            self._takes.append(recorder.last_take.name)
        return ConsoleState(
            labels=tuple(perf.bank.labels), target=perf.target_slot, current=perf.current_slot,
            knobs=motion_knobs(perf.params) + (Knob("noise", perf.noise, perf.noise, 0.0, 1.0),),
            mover=perf.params.mover, movers=MOVERS,
            psi=Knob("model/psi", psi_to_knob(app.picture.psi), app.picture.psi, *PSI_RAW) if app.truncation else None,
            class_idx=app.picture.class_idx, recording=app.recording,
            record_status=recorder.status() if recorder is not None else "", takes=tuple(self._takes),
            hud=app.hud_on, error=app.error, osc=self.link.osc_address,
            midi=app.midi.describe() if app.midi is not None else "",
            midi_status=app.midi.status() if app.midi is not None else "",
            music=tuple(music_lines(perf, app.statuses, app.beat_sync)),
            monitor=tuple(monitor_line(a) for a in list(app.applied)[-MONITOR_LINES:]),
            model=app.model_text)


def motion_knobs(params: MotionParams) -> tuple[Knob, ...]:
    return tuple(Knob(f"motion/{name}", params.normalised(name), float(getattr(params, name)), lo, hi,
                      name in MotionParams.LOG_SCALE) for name, (lo, hi) in MotionParams.RANGES.items())


def monitor_line(applied) -> str:
    """One applied event as the console's monitor lists it: where it came from, what it did, when."""
    event = applied.event
    shown = "" if applied.frame is None else f", frame {applied.frame}"
    return f"{event.source:9} {event}  tick {applied.tick}{shown}"


def small(image: np.ndarray, box: tuple[int, int]) -> np.ndarray:
    """A picture cut down by striding (cheap; a preview, not a proxy) to fit in `box` (w, h),
    as the console draws it: no pixel is sent, unpickled and uploaded that is not drawn."""
    h, w = image.shape[:2]
    step = max(1, math.ceil(max(w / box[0], h / box[1])))
    return np.ascontiguousarray(image[::step, ::step])

"""The live loop: ticks the Performance on its fixed clock, decodes, draws, hands frames on.

One iteration:
  1. poll the window (keyboard events go onto the bus like MIDI and OSC);
  2. run every tick that is due by now: drain the bus up to that tick's time, apply the events
     (logged with arrival time and tick), step the Performance, sample the frames that fall
     in the step: the recorder's rows while recording (its fps grid), else the display grid.
     The simulation runs a tick ahead of the clock, two while a control waits: a control
     applies at the next tick boundary at once, never waiting for the clock to reach it
     (a control put on the bus also wakes the loop from its wait in step 4);
  3. hand the newest frame to the decode worker (live/decoder.py): it replaces one the worker
     has not started, so frames in between are skipped (a slow decoder never delays the
     controls or the window) and the worker starts it the moment its decode ends;
  4. when a decoded frame is ready (waiting until the next frame is due, or the decode ends): draw it
     with the HUD, and give the image to the recorder for its row: the picture on screen is
     the proxy frame; the events it is the first to show get its frame number.
Nothing here waits for disk, network or devices: those live in their own threads
(live/osc.py, live/midi.py, live/recorder.py, live/eventlog.py). Time is the injected clock's
(live/loop_clock.py), and the loop's only wait is through it: a ManualClock runs a show
tick-exactly in tests, without sleeping. A generator error keeps the
last good frame on screen with the error on the HUD; the show goes on.

    app = LiveApp(performance=perf, generator=g, display=open_display(headless=True, size=(256, 256)))
    summary = app.run(duration=10)
"""

from __future__ import annotations

import collections
import gc
from dataclasses import dataclass, field, replace
from fractions import Fraction

import numpy as np

from livelatent.motion.clock import FrameSampler
from livelatent.instrument.actions import ACTIONS, ControlEvent, coalesce
from livelatent.errors import LivelatentError, ModelError
from livelatent.generators.batching import fastest_threads
from livelatent.generators.torchwrap import ModuleGenerator
from livelatent.live.beat_sync import BeatSync, music_lines
from livelatent.live.bus import ControlBus
from livelatent.live.decoder import Decoded, DecodeWorker, Frame
from livelatent.live.feedback import ShowState, StateFeedback
from livelatent.live.hud import hud_lines
from livelatent.live.keyboard import Keyboard
from livelatent.live.ratelog import RateLimitedLog
from livelatent.live.draw import Renderer
from livelatent.motion.geometry import blend
from livelatent.common.picture import Picture, psi_to_knob
from livelatent.instrument.takeover import knob_target as event_knob

KEEP_EVENTS = 10_000  # applied events kept in memory (the event log and the take keep them all)
KEEP_FRAME_TIMES = 100_000
HUD_REFRESH = 0.25  # seconds between HUD text refreshes when nothing changed
HUD_CHANGE_REFRESH = 1 / 30  # ... and at least this between refreshes for a change: a reader's pace
WARM_UP_SECONDS = 600.0  # the first decode may compile kernels or load weights
POLL_SECONDS = 1 / 60  # the longest the loop sleeps: window events and the HUD stay live at display rate
LEAD_TICKS = 1  # the simulation runs this far ahead of the loop clock (at 240 Hz: up to 4.2 ms)


@dataclass
class AppliedEvent:
    """An event as applied: its tick, and the first frame that showed it (display count)."""

    tick: int
    event: ControlEvent
    frame: int | None = None
    shown_at: float | None = None  # loop-clock seconds when that frame was presented
    in_take: tuple[int, int] | None = None  # (take number, line in its events.jsonl) while recording


@dataclass
class Summary:
    frames: int = 0
    seconds: float = 0.0
    ticks: int = 0
    decode_seconds: float = 0.0
    events: int = 0
    rejected: int = 0
    frame_times: list = field(default_factory=list)

    @property
    def fps(self) -> float:
        return self.frames / self.seconds if self.seconds else 0.0

    @property
    def decode_ms(self) -> float:
        return 1000 * self.decode_seconds / self.frames if self.frames else 0.0


class LiveApp:
    """Owns nothing it is given; run() drives it. See the module docstring for one iteration."""

    def __init__(self, *, performance, generator, display, bus: ControlBus | None = None, size=None,
                 recorder=None, feedback=None, midi=None, display_fps: float = 60, hud: bool = True, grid=False,
                 record_meta: dict | None = None, log: RateLimitedLog | None = None, shader_dirs: tuple = (),
                 event_log=None, picture: Picture | None = None, clock=None, outputs=None, beat_sync=None):
        self.perf, self.generator, self.display = performance, generator, display
        self.bus = bus if bus is not None else ControlBus(clock)
        self.clock = self.bus.clock  # the loop's time and waits (live/loop_clock.py); the bus stamps by it
        self.size, self.recorder, self.midi = size, recorder, midi
        self.outputs = outputs  # video outputs (live/outputs/hub.py), fed each frame shown, or None
        self.feedback = StateFeedback(feedback)
        self.record_meta = record_meta or {}
        self.event_log = event_log  # an EventLog (live/eventlog.py) or None
        self.beat_sync = beat_sync or BeatSync()  # beats on their ticks, triggers held for the beat
        self.statuses: list = []  # more inputs whose status() the HUD shows (the MIDI clock, the sound)
        self.log = log or RateLimitedLog()
        self.renderer = Renderer(display.ctx, shader_dirs=shader_dirs)
        self.sampler = FrameSampler(_rate(display_fps), performance.clock.rate, start_tick=performance.tick)
        self.keyboard = Keyboard(self.bus.put, self._knob_value, clock=self.clock)
        display.on_key = self.keyboard.press
        self.hud_on, self.error, self.running = hud, "", True
        self.applied: collections.deque[AppliedEvent] = collections.deque(maxlen=KEEP_EVENTS)  # recent ones
        self._unshown: collections.deque[AppliedEvent] = collections.deque()  # applied, not yet on screen
        self.summary = Summary()
        self.last_image: np.ndarray | None = None
        self._fps_shown = (-1e9, 0.0)
        self._hud_cache = (-1e9, [], "")
        self._drawn_at = -1e9
        self.worker: DecodeWorker | None = None
        # how frames are decoded (psi, class, a snapshot set's checkpoint or grid): changed by
        # events at ticks like the Performance, carried by each Frame to the decode worker
        from livelatent.generators.configure import picture_of

        self.picture = replace(picture or picture_of(generator), grid=bool(grid),
                               snapshot=0 if self._snapshots() else None)
        self._configured = (None, None, None)  # (generator, Picture, what draws it): the last one
        self.decode_threads: int | None = None  # CPU threads of the decode worker's torch, once measured
        self.start_tick = performance.tick
        self._end_tick: int | None = None  # a timed run's last tick
        self._display_k = 0  # the last display-grid frame sampled
        self._taken_k = -1  # the last grid frame whose place a trigger's frame took
        self.on_frame = None  # optional callback(k, z, image) after each shown frame (tests, benchmarks)
        # what mirrors the show elsewhere (the console, a controller's LEDs): each .drawn(self) after
        # every draw, on this thread; each hands its work to threads of its own and returns at once
        self.panels: list = []

    # ---- the loop ----

    def run(self, duration: float | None = None) -> Summary:
        self.worker = DecodeWorker(self._decode)
        self.bus.on_put = self.worker.wake  # a control wakes the loop from its wait for a frame
        try:
            return self._loop(duration)
        finally:
            gc.unfreeze()  # what the show held may now be collected like anything else
            self.bus.on_put = None
            self.worker.close()

    def _loop(self, duration: float | None) -> Summary:
        # the first frame before the clock starts: model warm-up is not a lag, nor in the figures
        self.worker.request(Frame(0, self.perf.z, False, self.perf.tick, picture=self.picture))
        self._show(self.clock.wait(self.worker.take, WARM_UP_SECONDS, coming=True))
        self.summary = Summary()
        # Everything made so far (torch, the model, GL) lives for the show: the collector's
        # full passes would scan it all mid-show, holding the GIL (36-64 ms, once a process,
        # as the first OSC flood set them off). Frozen, they scan only what the show makes.
        gc.collect()
        gc.freeze()
        self.feedback.state(self.show_state)  # a panel starts in sync
        self.bus.zero()  # loop time 0 = the time of the Performance's current tick
        self.start_tick = self.perf.tick
        self._end_tick = None if duration is None else self.start_tick + self.perf.clock.ticks_due(duration)
        fps_at, fps_frames = 0.0, 0
        while self.running and not self.display.should_close():
            now = self.clock.now()
            if duration is not None and now >= duration:
                self._run_due_ticks(self._end_tick)  # a take lasts exactly `duration` of ticks
                break
            self.display.poll()
            self._show_notices()
            self._request(self._run_due_ticks(self._due(now)))
            done = self.clock.wait(self.worker.take, self._wait(now), coming=not self.worker.idle)
            if done is not None:
                # the worker has moved on to the last request: bring that up to date, then draw
                self._request(self._run_due_ticks(self._due(self.clock.now())))
                self._show(done)
            elif now - self._drawn_at >= HUD_REFRESH:
                self._draw()  # a slow model: the HUD (and a window) stay alive between its frames
            if now - fps_at >= 1.0:
                self.feedback.fps((self.summary.frames - fps_frames) / (now - fps_at))
                self.feedback.state(self.show_state)  # e.g. a take stopped by a full disk
                if self.outputs:
                    self.feedback.outputs(self.outputs.statuses())
                fps_at, fps_frames = now, self.summary.frames
                shader_error = self.renderer.reload_shaders()  # edit shaders/*.glsl during the show
                if shader_error:
                    self._report("shader", f"{shader_error}; keeping the last good program")
        self.summary.seconds = self.clock.now()
        self.summary.ticks = self.perf.tick - self.start_tick
        return self.summary

    def _request(self, frame: Frame | _DisplaySample | None) -> None:
        """Hand the newest frame to the worker (None: nothing new was sampled). A display
        frame's z is blended only when its decode starts: most frames sampled on a fine grid
        are replaced by a newer one first."""
        if frame is not None:
            self.worker.request(frame)

    def _due(self, seconds: float) -> int:
        """The tick to step up to by loop time `seconds`: the simulation runs LEAD ticks ahead of
        the clock, one more while a control waits on the bus, so a control applies (at the next
        tick boundary, at or after its arrival) and starts moving the picture at once instead of
        waiting for the clock to reach that boundary. Never past the end of a timed run."""
        lead = LEAD_TICKS + (1 if len(self.bus) else 0)
        due = self.start_tick + self.perf.clock.ticks_due(seconds) + lead
        return due if self._end_tick is None else min(due, self._end_tick)

    def _wait(self, now: float) -> float:
        """How long to wait for a decoded frame (a control or the decode ending cuts it short),
        at most POLL_SECONDS. While the worker decodes: until it ends, so the request it starts
        next is at most one decode old. While it is idle: until the next frame falls due. Ticks
        catch up exactly at each wake, each event on the tick it arrived in, so waking more
        often would change nothing shown, only take cores from the model: waking at every tick
        while it decoded cost ~3% of the loop's frames on 2 cores."""
        if not self.worker.idle:
            return POLL_SECONDS
        fps = float(self.recorder.fps if self.recording else self.sampler.fps)
        return min(max((int(now * fps) + 1) / fps - now, 0.0), POLL_SECONDS)

    def _run_due_ticks(self, due: int) -> Frame | _DisplaySample | None:
        """Step up to tick `due`; the newest frame sampled on the way, or None.

        After a trigger (a keyframe, a store, a random draw: the table's `trigger`), when no
        display frame fell in the steps, the state now is a frame: the picture need not wait
        for the display grid (up to 1/60 s) to show it. That frame takes the place of the grid
        frame ending this display period, which is then not sampled, and a period has at most
        one such frame: so the loop never asks for more than one frame per display period
        (display_fps in any second of the grid), however many events stream in. Knobs and audio
        features move with the grid: a fader streamed at 200 Hz shown at once would decode
        frames at its rate, taking the cores the model and the show's other threads need, for
        steps no eye can tell apart. A second trigger within the same period shows on the next
        grid frame (within two periods). Takes keep their grid: there every frame is a row."""
        newest, triggered = None, False
        while self.perf.tick < due:
            events = self.beat_sync.route(self.perf, self.bus.drain(until=self.tick_time(self.perf.tick)),
                                          self.tick_at)
            for event in coalesce(events) if events else ():
                triggered |= self._apply(event) and ACTIONS[event.action].trigger
            prev = self.perf.z
            self.perf.step()
            newest = self._frame_in_step(prev, self.perf.z) or newest
        if triggered and newest is None and not self.recording and self._taken_k <= self._display_k:
            self._taken_k = self._display_k + 1
            newest = Frame(self._taken_k, self.perf.z.copy(), False, self.perf.tick, picture=self.picture)
        return newest

    def tick_time(self, tick: int) -> float:
        """Loop-clock seconds (the bus's arrival times) of a tick."""
        return float(self.perf.clock.time(tick - self.start_tick))

    def tick_at(self, seconds: float) -> float:
        """The (fractional) tick at loop-clock seconds: tick_time's inverse."""
        return self.start_tick + seconds * self.perf.clock.rate

    def _frame_in_step(self, prev, cur) -> Frame | _DisplaySample | None:
        """The last frame of the step: the take's row while recording, else the display grid's
        (its z blended later, if it is ever handed to the decoder)."""
        tick = self.perf.tick
        if self.recording:
            rows = self.recorder.step(tick, prev, cur)
            return Frame(rows[-1][0], rows[-1][1], True, tick, self.recorder.take_number,
                         self.picture) if rows else None
        frames = self.sampler.frames_in_step(tick)
        if not frames:
            return None
        self._display_k = frames[-1][0]
        if self._display_k <= self._taken_k:  # a trigger's frame took its place (see _run_due_ticks)
            return None
        return _DisplaySample(frames[-1][0], prev, cur, frames[-1][1], tick, self.picture)

    def _show(self, done: Decoded | None) -> None:
        """Draw a decoded frame (or keep the last good one after a model error) and log what it shows."""
        if done is None:
            return
        frame = done.frame
        self.summary.decode_seconds += done.seconds
        if done.image is not None:
            self.last_image = done.image
            self.renderer.set_image(done.image)
            if frame.row:
                self.recorder.submit_image(frame.k, done.image, take=frame.take)
            if self.outputs:
                self._submit_output(frame, done.image)
        else:
            self._report("model", f"model {getattr(self.generator, 'label', '')}: {type(done.error).__name__}: "
                                  f"{done.error}; showing the last good frame")
        self._draw()
        shown_at = self.clock.now()
        self.summary.frames += 1
        self.summary.frame_times.append(shown_at)
        if len(self.summary.frame_times) > 2 * KEEP_FRAME_TIMES:  # hours-long shows: keep the recent ones
            del self.summary.frame_times[:KEEP_FRAME_TIMES]
        while self._unshown and self._unshown[0].tick < frame.tick:  # applied before the step it shows
            applied = self._unshown.popleft()
            applied.frame, applied.shown_at = self.summary.frames - 1, shown_at
            if self.event_log is not None:
                self.event_log.write(applied)
            if applied.in_take is not None and frame.row and frame.take == applied.in_take[0]:
                self.recorder.submit_shown(*applied.in_take, frame.k, shown_at)
        self.feedback.slots(self.perf)
        if self.on_frame is not None:
            self.on_frame(frame.k, frame.z, done.image)

    def _draw(self) -> None:
        size = self.display.size()
        self.renderer.set_hud(self._hud_text() if self.hud_on else None, size[0])
        self.renderer.draw(self.display.framebuffer, size)
        self.display.present()
        self._drawn_at = self.clock.now()
        for panel in self.panels:
            panel.drawn(self)

    def _decode(self, frame: Frame) -> np.ndarray:
        """On the decode worker's thread: one z to one checked image, drawn as the frame's Picture says.
        The first (the warm-up, before the clock starts) also measures how many CPU threads
        this thread's decodes should use (generators/batching.py)."""
        decoder, z = self.decoder_for(frame.picture), np.asarray(frame.z, np.float32)[None]
        if self.decode_threads is None:
            self.decode_threads = 0  # measured once, even if the model fails
            if isinstance(decoder, ModuleGenerator) and str(decoder.device) == "cpu":
                self.decode_threads = fastest_threads(lambda: decoder.floats(z))
        image = decoder.decode(z, size=self.size)[0]
        if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
            raise ModelError(f"expected uint8 (H, W, 3) images, got {image.dtype} {image.shape}")
        return image

    def _snapshots(self) -> list:
        """A snapshot set's generators (generators.load gives a set as a labelled grid), else []."""
        snapshots = getattr(self.generator, "snapshots", None)
        return list(snapshots.generators) if snapshots is not None else []

    def decoder_for(self, picture: Picture | None = None):
        """The generator drawing `picture` (default: the current one), the last one kept. Public for the
        console's thumbnails, which decode with it on the decode worker's thread, as _decode does."""
        from livelatent.generators.configure import configured

        picture = picture or self.picture
        generator, drawn, decoder = self._configured
        if generator is not self.generator or drawn != picture:
            self._configured = (self.generator, picture, configured(self.generator, picture))
        return self._configured[2]

    @property
    def snapshot(self) -> int:
        """Which of a snapshot set's checkpoints decodes (see /livelatent/snapshot) ..."""
        return self.picture.snapshot or 0

    @property
    def grid(self) -> bool:
        """... unless the grid of all of them is shown."""
        return self.picture.grid

    # ---- events ----

    def _apply(self, event: ControlEvent) -> bool:
        """Apply one event at this tick and log it; False if it was rejected. What applies it is
        the table's (instrument/actions.py): the Performance, the Picture, or a method here."""
        tick = self.perf.tick
        action = ACTIONS[event.action]
        try:
            if action.applies == "performance":
                self.perf.apply(event)
            elif action.applies == "picture":
                self._change_picture(event)
            else:
                getattr(self, action.apply)(*event.args)
        except LivelatentError as exc:
            self.summary.rejected += 1
            self._report(event.action, f"{event.source} {event}: {exc}; ignored")
            return False
        except Exception as exc:  # noqa: BLE001 - a bug: one event must not end the show
            self.summary.rejected += 1
            self._report(event.action, f"{event.source} {event}: {type(exc).__name__}: {exc}; ignored (a bug)")
            return False
        applied = AppliedEvent(tick, event)
        self.applied.append(applied)
        self._unshown.append(applied)
        self.summary.events += 1
        if self.recorder is not None:
            line = self.recorder.submit_event(tick, event)
            applied.in_take = None if line is None else (self.recorder.take_number, line)
        self.feedback.applied(event, self.show_state)
        if self.midi is not None and action.knob:  # soft takeover: where the knob really is now
            self.midi.heard(event, self._knob_value(event_knob(event)))
        return True

    # the app's actions (the table names these methods)

    def show_hud(self, on: bool | None = None) -> None:
        self.hud_on = (not self.hud_on) if on is None else on

    def quit(self) -> None:
        self.running = False

    def learn(self, target: str) -> None:
        if self.midi is None:
            raise LivelatentError("MIDI learn needs a MIDI input (`midi` NAME, or [midi] input in the preset)",
                                  setting="midi")
        self.midi.arm_learn(target)

    def output_enable(self, name: str, on: bool | None = None) -> None:
        if not self.outputs:
            raise LivelatentError("no video outputs in this show (`output`, or [[output]] in the preset)",
                                  setting="output")
        self.outputs.enable(name, on)
        self.feedback.outputs(self.outputs.statuses())

    def _submit_output(self, frame: Frame, image: np.ndarray) -> None:
        """The picture the window shows, without the HUD: the take's frame while recording."""
        recording = frame.row and self.recording and frame.take == self.recorder.take_number
        rate = self.recorder.fps if recording else self.sampler.fps
        self.outputs.submit(image, k=frame.k, take=self.recorder.take_id if recording else "", rate=rate.value)

    def set_quantise(self, unit: str) -> None:
        self.beat_sync.quantiser.default = unit

    def record_start(self) -> None:
        self._record(start=True)

    def record_stop(self) -> None:
        self._record(start=False)

    def record_toggle(self) -> None:
        self._record(start=not self.recording)

    def _change_picture(self, event: ControlEvent) -> None:
        """psi, class, snapshot, grid: checked against the model now, so a take logs only what it
        can replay; the frames sampled from the next tick on are drawn with the new Picture."""
        from livelatent.generators.configure import configured

        if event.action == "snapshot":
            count = len(self._snapshots()) or 1
            if event.args[0] >= count:
                raise LivelatentError(f"snapshot {event.args[0]}: expected 0..{count - 1}")
        if event.action == "grid" and not self._snapshots():
            raise LivelatentError("the grid needs a snapshot set (a `model` such as 'run/*.pkl')", setting="model")
        picture = self.picture.apply(event.action, event.args)
        if not self._snapshots():
            picture = replace(picture, snapshot=None)
        configured(self.generator, picture)  # a psi or class this model cannot draw: refused here
        self.picture = picture

    def _record(self, *, start: bool) -> None:
        if self.recorder is None:
            raise LivelatentError("recording is off here (no recorder)")
        if start and not self.recorder.recording:
            label = getattr(self.decoder_for(), "label", "")
            self.recorder.start(self.perf, meta={**self.record_meta, "snapshot": label,
                                                 "picture": self.picture.to_meta()})
        elif not start:
            self.recorder.stop()

    def _report(self, key: str, message: str) -> None:
        self.error = message
        self.log.log(key, message)
        self.feedback.error(message)

    def _show_notices(self) -> None:
        """What the device threads said (an input gone or back, the OSC receiver restarted),
        already on the console: onto the HUD and to /livelatent/error."""
        for line in self.log.take_notices():
            self.error = line
            self.feedback.error(line)

    # ---- HUD ----

    def _knob_value(self, target: str | None) -> float:
        if target == "noise":
            return self.perf.noise
        if target == "model/psi":
            return psi_to_knob(self.picture.psi)
        if target is None or not target.startswith("motion/"):
            return 0.0
        return self.perf.params.normalised(target.split("/", 1)[1])

    def _hud_text(self) -> list[str]:
        """The HUD's lines, refreshed 4 times a second, or on a change at most HUD_CHANGE_REFRESH
        apart (re-rasterising costs, and a fader streamed over OSC changes it every frame)."""
        now = self.clock.now()
        fresh = self._unshown or self.error != self._hud_cache[2]
        age = now - self._hud_cache[0]
        if age >= HUD_REFRESH or (fresh and age >= HUD_CHANGE_REFRESH):
            self._hud_cache = (now, self._hud(), self.error)
        return self._hud_cache[1]

    def _hud(self) -> list[str]:
        recording = self.recorder.status() if self.recorder is not None else ""
        armed = self.keyboard.armed or (self.midi.status() if self.midi is not None else "")
        lines = hud_lines(fps=self.fps_shown, decode_ms=self.summary.decode_ms, performance=self.perf,
                          recording=recording, error=self.error, selected=self.keyboard.selected, armed=armed,
                          model=self.model_text, outputs=self.outputs.hud_lines() if self.outputs else ())
        return lines + music_lines(self.perf, self.statuses, self.beat_sync)

    # ---- what the panels read (console, LEDs, OSCQuery): read-only, on the loop's thread ----

    @property
    def recording(self) -> bool:
        """A take is being recorded."""
        return self.recorder is not None and self.recorder.recording

    @property
    def show_state(self) -> ShowState:
        """The state the OSC feedback and OSCQuery read (live/feedback.py)."""
        return ShowState(self.perf, self.picture, self.recording, self.hud_on)

    @property
    def truncation(self) -> bool:
        """The model draws with a psi (truncation) that can be changed."""
        return bool(getattr(self.decoder_for(), "truncation", False))

    @property
    def model_text(self) -> str:
        """The model as the HUD names it: label, psi where it has one, class where it is conditional."""
        text = str(getattr(self.decoder_for(), "label", ""))
        if self.truncation:
            text += f" PSI {self.picture.psi:.2f}"
        if self.picture.class_idx is not None:
            text += f" CLASS {self.picture.class_idx}"
        return text

    @property
    def fps_shown(self) -> float:
        """Frames per second over the last second, updated twice a second (a steady HUD)."""
        times = self.summary.frame_times
        if times and times[-1] - self._fps_shown[0] >= 0.5:
            recent = [t for t in times[-240:] if t >= times[-1] - 1.0]
            span = recent[-1] - recent[0]
            self._fps_shown = (times[-1], (len(recent) - 1) / span if span > 0 else 0.0)
        return self._fps_shown[1]


@dataclass(frozen=True)
class _DisplaySample:
    """A display-grid frame at fraction t of the step prev -> cur, blended when it is handed to
    the decoder (the mover's positions are new arrays each tick, never changed in place)."""

    k: int
    prev: np.ndarray
    cur: np.ndarray
    t: float
    tick: int
    picture: Picture

    def frame(self) -> Frame:
        return Frame(self.k, blend(self.prev, self.cur, self.t), False, self.tick, picture=self.picture)


def _rate(fps: float) -> Fraction:
    return Fraction(fps).limit_denominator(1001)  # 29.97 -> 30000/1001

"""The recorder thread: every z row reaches the take, the proxy fills its gaps from z, disk errors."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest

from livelatent.adapters import take_writer, takes
from livelatent.instrument.bank import KeyframeBank
from livelatent.instrument.actions import make
from livelatent.adapters.video import count_frames, iter_frames, read_metadata
from livelatent.common.images import fit_image
from livelatent.generators.default import DefaultGenerator
from livelatent.live.recorder import Recorder
from livelatent.motion.params import MotionParams
from livelatent.offline.proxy import complete_after_show, complete_proxy
from livelatent.offline.replay import replay_z
from livelatent.instrument.performance import Performance

D = 512
SIZE = 96  # small frames: the test is about bookkeeping, not pictures


@pytest.fixture(scope="module")
def generator():
    return DefaultGenerator(size=(SIZE, SIZE))


def _performance(tick=10):
    return Performance(KeyframeBank.random(d=D, seed=3), MotionParams(settle_time=0.3), seed=3, tick=tick)


def _perform(rec, generator, seconds, *, show_every=1):
    """A stand-in for the live loop: events at ticks, step, record rows, hand over some frames."""
    perf = _performance()
    rec.start(perf, meta={"model": "default", "size": [SIZE, SIZE]})
    for _ in range(int(seconds * 240)):
        if perf.tick % 40 == 0:
            event = make("keyframe", perf.tick // 40, source="osc", arrival=perf.tick / 240)
            perf.apply(event)
            rec.submit_event(perf.tick, event)
        prev = perf.z.copy()
        perf.step()
        for k, z in rec.step(perf.tick, prev, perf.z):
            if k % show_every == 0:
                rec.submit_image(k, generator.decode(z)[0])
    rec.stop()


def _assert_proxy_shows_z(take, generator):
    """Frame k is decode(z[k]) up to the codec: close to it, and closer than to its neighbours."""
    z = takes.load_z(take).z
    decoded = generator.decode(z).astype(int)
    for k, frame in enumerate(iter_frames(take.proxy_path)):
        errors = [np.abs(frame.astype(int) - decoded[j]).mean() for j in range(max(k - 1, 0), min(k + 2, len(z)))]
        own = errors[min(k, 1)]
        assert own < 20 and own == min(errors), (k, errors)  # busy 96x96 pictures, 4:2:0


def test_every_row_is_recorded_and_the_proxy_matches_decode(tmp_path, generator):
    rec = Recorder(tmp_path, fps=30, max_pending_images=1000)
    _perform(rec, generator, 1)  # one second at 240 ticks/s
    rec.close()
    take = rec.last_take
    assert take.status == "complete" and take.rows == 30 == rec.rows_submitted
    assert take.complete and count_frames(take.proxy_path) == 30
    assert read_metadata(take.proxy_path)["livelatent_id"] == take.id
    _assert_proxy_shows_z(take, generator)
    assert [e["tick"] for e in takes.read_events(take)] == [40, 80, 120, 160, 200, 240]


def test_frames_the_loop_skipped_are_rendered_after_the_take(tmp_path, generator):
    rec = Recorder(tmp_path, fps="30000/1001", max_pending_images=1000)
    _perform(rec, generator, 2, show_every=3)
    rec.close()
    take = rec.last_take
    assert take.rows == 60 and take.meta["proxy"]["state"] == "partial" and not take.complete
    take = complete_proxy(take, generator)
    assert take.complete and count_frames(take.proxy_path) == 60
    assert not take.partial_proxy_path.exists()
    _assert_proxy_shows_z(take, generator)


def test_recording_into_an_unwritable_place_reports_once_and_the_show_goes_on(tmp_path, generator):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the recordings folder should be")
    messages = []
    rec = Recorder(blocker / "recordings", fps=30, on_message=messages.append)
    _perform(rec, generator, 0.5)
    rec.close()
    assert len(messages) == 1 and "recording stopped" in messages[0] and "not-a-folder" in messages[0]
    assert rec.last_take is None and not rec.recording
    assert rec.status() == messages[0]  # what the HUD shows


_FILLS_THE_DISK = textwrap.dedent("""
    import resource, sys, time
    import numpy as np
    from livelatent.live.recorder import Recorder
    resource.setrlimit(resource.RLIMIT_FSIZE, (150_000, 150_000))   # a disk that fills at 150 kB
    said = []
    from livelatent.instrument.bank import KeyframeBank
    from livelatent.motion.params import MotionParams
    from livelatent.instrument.performance import Performance
    perf = Performance(KeyframeBank(np.ones((4, 512))), MotionParams(), seed=1)
    rec = Recorder(sys.argv[1], fps=30, on_message=said.append)
    rec.start(perf)
    shown = 0
    for tick in range(1, 240 * 4):
        shown += len(rec.step(tick, perf.z, perf.z))          # the loop carries on whatever happens
        if tick % 24 == 0:
            time.sleep(0.05)
    rec.close()
    print(shown, said)
""")


def test_a_full_disk_stops_the_take_with_a_message_and_keeps_what_was_flushed(tmp_path):
    out = subprocess.run([sys.executable, "-c", _FILLS_THE_DISK, str(tmp_path)], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "recording stopped" in out.stdout and "File too large" in out.stdout
    (take,) = take_writer.abandoned_takes(tmp_path)
    flushed = takes.load_z(take)
    assert 0 < len(flushed) < 120 and np.allclose(flushed.z, flushed.z[0])


def test_replay_reproduces_the_take_bit_for_bit_and_samples_it_finer_at_double_fps(tmp_path, generator):
    rec = Recorder(tmp_path, fps="30000/1001")
    _perform(rec, generator, 1.5, show_every=1000)
    rec.close()
    recorded = takes.load_z(rec.last_take)
    same = replay_z(rec.last_take)
    assert same.z.tobytes() == recorded.z.tobytes() and same.fps == recorded.fps
    double = replay_z(rec.last_take, fps="60000/1001")
    assert len(double) == 2 * len(recorded)
    np.testing.assert_allclose(double.z[::2], recorded.z, rtol=0, atol=1e-5)
    assert double.meta["made_by"] == "replay" and double.meta["parents"] == [rec.last_take.id]


def test_a_new_recorder_recovers_takes_cut_off_before_it_started(tmp_path, generator):
    cut = take_writer.TakeWriter(tmp_path, meta={"fps": 30, "d": D, "tick_rate": 240, "start_tick": 0,
                                           "model": "default", "size": [SIZE, SIZE], "proxy": {"size": None}})
    cut.append_rows(np.ones((12, D), np.float32))
    cut.flush()
    cut.release()  # as if killed: the take is still 'recording', its lock free
    said = []
    rec = Recorder(tmp_path, fps=30, on_message=said.append)
    rec.close()
    (take,) = rec.unfinished_proxies
    assert take.status == "recovered" and take.rows == 12 and "recovered take-" in said[0]
    complete_after_show(rec.unfinished_proxies, generator, "default", say=said.append)
    assert takes.read_take(take.path).complete and "rendering 12 proxy frames" in said[-2]


def test_a_smaller_proxy_is_the_decoded_frame_box_filtered(tmp_path, generator):
    rec = Recorder(tmp_path, fps=30, proxy_size=(48, 48), max_pending_images=1000)
    _perform(rec, generator, 0.5, show_every=2)
    rec.close()
    take = complete_proxy(rec.last_take, generator)
    decoded = generator.decode(takes.load_z(take).z)
    frames = list(iter_frames(take.proxy_path))
    assert len(frames) == take.rows == 15 and frames[0].shape == (48, 48, 3)
    for k, frame in enumerate(frames):  # live frames (even k) and rebuilt ones (odd k) alike
        assert np.abs(frame.astype(int) - fit_image(decoded[k], (48, 48))).mean() < 20, k  # busy, 4:2:0


def test_an_image_still_decoding_for_the_last_take_is_not_filed_in_the_next(tmp_path, generator):
    rec = Recorder(tmp_path, fps=30, max_pending_images=1000)
    perf = _performance()
    perf.apply(make("keyframe", 7))  # on the move
    rec.start(perf, meta={"model": "default"})
    first, rows = rec.take_number, []
    for _ in range(40):  # take 1: 5 rows; row 4's image is "still decoding" when it stops
        prev = perf.z.copy()
        perf.step()
        rows += rec.step(perf.tick, prev, perf.z)
    rec.stop()
    rec.start(perf, meta={"model": "default"})
    second = []
    for _ in range(40):  # take 2 reaches row 4 too, before take 1's late image comes
        prev = perf.z.copy()
        perf.step()
        second += rec.step(perf.tick, prev, perf.z)
    for k, z in second[:4]:
        rec.submit_image(k, generator.decode(z)[0], take=rec.take_number)
    rec.submit_image(4, generator.decode(rows[4][1])[0], take=first)  # the late image: refused ...
    rec.submit_image(4, generator.decode(second[4][1])[0], take=rec.take_number)  # ... this take's row 4 kept
    rec.stop()
    rec.close()
    assert rec.take_number == first + 1 and rec.last_take.complete
    _assert_proxy_shows_z(rec.last_take, generator)

"""The recorder thread: every z row reaches the take, the proxy fills its gaps from z, disk errors."""

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from livelatent.adapters import takes
from livelatent.adapters.video import count_frames, iter_frames, read_metadata
from livelatent.generators.default import DefaultGenerator
from livelatent.live.recorder import Recorder
from livelatent.offline.proxy import complete_proxy

D = 512
SIZE = 64  # small frames: the test is about bookkeeping, not pictures


@pytest.fixture(scope="module")
def generator():
    return DefaultGenerator(size=(SIZE, SIZE))


def _path(ticks):
    """A smooth z path on the shell, one state per tick."""
    a, b = np.random.default_rng(1).standard_normal((2, D))
    t = np.linspace(0, 1, ticks)[:, None]
    return np.cos(t * 1.3) * a + np.sin(t * 1.3) * b


def _perform(rec, generator, states, *, show_every=1, start_tick=10):
    """A stand-in for the live loop: step, record rows, decode and hand over some frames."""
    rec.start(tick=start_tick, meta={"d": D, "tick_rate": 240, "model": "default", "size": [SIZE, SIZE]})
    for i in range(1, len(states)):
        rows = rec.step(start_tick + i, states[i - 1], states[i])
        for k, z in rows:
            if k % show_every == 0:
                rec.submit_image(k, generator.decode(z)[0])
        if i % 40 == 0:
            rec.submit_event(start_tick + i, {"action": "keyframe", "args": [i // 40, 1.0], "source": "osc",
                                              "arrival": i / 240})
    rec.stop()


def _assert_proxy_shows_z(take, generator):
    """Frame k is decode(z[k]) up to the codec: close to it, and closer than to its neighbours."""
    z = takes.load_z(take).z
    decoded = generator.decode(z).astype(int)
    for k, frame in enumerate(iter_frames(take.proxy_path)):
        errors = [np.abs(frame.astype(int) - decoded[j]).mean() for j in range(max(k - 1, 0), min(k + 2, len(z)))]
        assert errors[min(k, 1)] == min(errors) and min(errors) < 12, (k, errors)


def test_every_row_is_recorded_and_the_proxy_matches_decode(tmp_path, generator):
    rec = Recorder(tmp_path, fps=30, max_pending_images=1000)
    _perform(rec, generator, _path(241))  # one second at 240 ticks/s
    rec.close()
    take = rec.last_take
    assert take.status == "complete" and take.rows == 30 == rec.rows_submitted
    assert take.complete and count_frames(take.proxy_path) == 30
    assert read_metadata(take.proxy_path)["livelatent_id"] == take.id
    _assert_proxy_shows_z(take, generator)
    assert [e["tick"] for e in takes.read_events(take)] == [50, 90, 130, 170, 210, 250]


def test_frames_the_loop_skipped_are_rendered_after_the_take(tmp_path, generator):
    rec = Recorder(tmp_path, fps="30000/1001", max_pending_images=1000)
    _perform(rec, generator, _path(481), show_every=3)
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
    _perform(rec, generator, _path(121))
    rec.close()
    assert len(messages) == 1 and "recording stopped" in messages[0] and "not-a-folder" in messages[0]
    assert rec.last_take is None and not rec.recording


_FILLS_THE_DISK = textwrap.dedent("""
    import resource, sys, time
    import numpy as np
    from livelatent.live.recorder import Recorder
    resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))   # a disk that fills at 40 kB
    said = []
    rec = Recorder(sys.argv[1], fps=30, on_message=said.append)
    rec.start(tick=0, meta={"d": 512, "tick_rate": 240})
    z = np.ones(512)
    shown = 0
    for tick in range(1, 240 * 4):
        shown += len(rec.step(tick, z, z))          # the loop carries on whatever happens
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
    (take,) = takes.abandoned_takes(tmp_path)
    flushed = takes.load_z(take)
    assert 0 < len(flushed) < 120 and np.all(flushed.z == 1)

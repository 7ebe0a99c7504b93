"""The take commands as an artist uses them: takes, recover after kill -9, proxies, replay."""

import os
import signal
import subprocess
import sys
import textwrap
import time


from livelatent import cli


from livelatent.common import zseq
from livelatent.adapters import takes
from livelatent.adapters.video import count_frames, read_metadata

# A recording process: a Performance on real time, its rows, events and images to a Recorder.
_PERFORMER = textwrap.dedent("""
    import sys, time
    from livelatent.instrument.bank import KeyframeBank
    from livelatent.instrument.actions import make
    from livelatent.generators.default import DefaultGenerator
    from livelatent.live.recorder import Recorder
    from livelatent.motion.params import MotionParams
    from livelatent.instrument.performance import Performance
    g = DefaultGenerator(size=(48, 64))
    perf = Performance(KeyframeBank.random(d=512, seed=5), MotionParams(settle_time=0.5), seed=5, tick=7)
    rec = Recorder(sys.argv[1], fps=25)
    rec.start(perf, meta={"model": "default", "size": [64, 48]})
    t0 = time.monotonic()
    while True:
        while perf.tick - 7 < (time.monotonic() - t0) * 240:
            if perf.tick % 60 == 0:
                event = make("keyframe.random", source="osc", arrival=time.monotonic() - t0)
                perf.apply(event)
                rec.submit_event(perf.tick, event)
            prev = perf.z.copy()
            perf.step()
            rows = rec.step(perf.tick, prev, perf.z)
        if rows:
            rec.submit_image(rows[-1][0], g.decode(rows[-1][1])[0])
        time.sleep(0.005)
""")


def _livelatent(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _rows_on_disk(recordings):
    found = takes.list_takes(recordings)  # empty until the writer has made the take folder
    return found[0].rows if found else 0


def test_a_take_killed_mid_performance_is_recovered_up_to_its_last_flush(tmp_path, capsys):
    proc = subprocess.Popen([sys.executable, "-c", _PERFORMER, str(tmp_path)])
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _rows_on_disk(tmp_path) < 40:
            time.sleep(0.1)
        flushed = _rows_on_disk(tmp_path)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert flushed >= 40
    code, out, _ = _livelatent(capsys, "takes", "--recordings", tmp_path)
    assert code == 0 and "cut off: run `livelatent recover`" in out

    code, out, _ = _livelatent(capsys, "recover", "--recordings", tmp_path, "--device", "cpu")
    assert code == 0 and "recovered take-" in out and "proxy rebuilt" in out
    (take,) = takes.list_takes(tmp_path)
    assert take.complete and take.rows >= flushed
    assert count_frames(take.proxy_path) == take.rows
    assert read_metadata(take.proxy_path)["livelatent_id"] == take.id

    # everything kept is intact: the replayed performance gives the same rows, bit for bit
    code, out, _ = _livelatent(capsys, "replay", take.name, "--recordings", tmp_path, "--z-only",
                               "-o", tmp_path / "again")
    assert code == 0
    assert zseq.load(tmp_path / "again").z.tobytes() == takes.load_z(take).z.tobytes()
    code, out, _ = _livelatent(capsys, "takes", "--recordings", tmp_path)
    assert "complete (recovered)" in out and " 25 " in out


def test_proxies_renders_the_missing_frames_of_a_take(tmp_path, capsys):
    from livelatent.instrument.bank import KeyframeBank
    from livelatent.live.recorder import Recorder
    from livelatent.motion.params import MotionParams
    from livelatent.instrument.performance import Performance

    perf = Performance(KeyframeBank.random(d=512, seed=2), MotionParams(), seed=2)
    rec = Recorder(tmp_path, fps=30)
    rec.start(perf, meta={"model": "default", "size": [32, 32]})
    for _ in range(120):
        prev = perf.z.copy()
        perf.step()
        rec.step(perf.tick, prev, perf.z)  # a loop too busy to hand over any image
    rec.close()
    code, out, _ = _livelatent(capsys, "takes", "--recordings", tmp_path)
    assert "proxy 0/15 frames: run `livelatent proxies take-" in out
    code, out, _ = _livelatent(capsys, "proxies", rec.last_take.name, "--recordings", tmp_path, "--device", "cpu")
    assert code == 0 and "rendered 15 missing proxy frames" in out
    assert count_frames(takes.read_take(rec.last_take.path).proxy_path) == 15
    code, out, _ = _livelatent(capsys, "takes", "--recordings", tmp_path)
    assert out.splitlines()[1].endswith(" complete")

    code, out, _ = _livelatent(capsys, "replay", rec.last_take.name, "--recordings", tmp_path, "--fps", 60,
                               "--size", "48x32", "--device", "cpu", "-o", tmp_path / "final")
    assert code == 0 and count_frames(tmp_path / "final.mp4") == 30 == len(zseq.load(tmp_path / "final"))


def test_replay_of_a_missing_take_names_it(tmp_path, capsys):
    code, _, err = _livelatent(capsys, "replay", "take-nope", "--recordings", tmp_path, "-o", tmp_path / "x")
    assert code == 1 and "take-nope: not a take" in err

"""A take's take.json is data: its model loads by itself only when built in, its psi and
size are used again, and a psi knob turned on a model without truncation is refused live."""

import json

import numpy as np
import pytest

from livelatent import cli
from livelatent.adapters import takes
from livelatent.instrument.bank import KeyframeBank
from livelatent.instrument.actions import make
from livelatent.live.recorder import Recorder
from livelatent.motion.params import MotionParams
from livelatent.instrument.performance import Performance


def record_take(recordings, model="default") -> takes.Take:
    """A 0.5 s take without proxy frames (as if the loop had no time for any)."""
    perf = Performance(KeyframeBank.random(d=512, seed=3), MotionParams(settle_time=0.3), seed=3)
    rec = Recorder(recordings, fps=30)
    rec.start(perf, meta={"model": model, "size": [40, 24], "picture": {"psi": 1.0, "class": None}})
    for _ in range(120):
        if perf.tick == 30:
            event = make("keyframe", 2, source="osc")
            perf.apply(event)
            rec.submit_event(perf.tick, event)
        prev = perf.z.copy()
        perf.step()
        rec.step(perf.tick, prev, perf.z)
    rec.stop()
    rec.close()
    return rec.last_take


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    return code, *capsys.readouterr()


@pytest.mark.parametrize("model", ["code:interact", "/home/someone/run/network-snapshot-000040.pkl"])
def test_a_takes_recorded_model_is_shown_never_loaded(tmp_path, capsys, model):
    take = record_take(tmp_path / "rec", model=model)
    for argv in (("replay", take.path, "-o", tmp_path / "out"), ("proxies", take.path), ("render", take.path,
                                                                                         "-o", tmp_path / "r.mp4")):
        code, _, err = run(capsys, *argv)
        assert code != 0 and len(err.strip().splitlines()) == 1, err
        assert repr(model) in err and "pass --model SPEC" in err
    code, out, _ = run(capsys, "proxies", take.path, "--model", "default")  # named by the user: used
    assert code == 0 and "complete (15 frames)" in out


def test_replay_and_proxies_use_the_takes_size_and_settings(tmp_path, capsys):
    take = record_take(tmp_path / "rec")
    assert run(capsys, "proxies", take.path)[0] == 0
    assert takes.read_take(take.path).proxy_size() == (40, 24)
    assert run(capsys, "replay", take.path, "-o", tmp_path / "replayed")[0] == 0
    replayed = json.loads((tmp_path / "replayed.json").read_text())
    assert replayed["size"] == [40, 24] and replayed["picture"]["psi"] == 1.0
    pair = json.loads((take.path / f"{take.name}.json").read_text())
    assert pair["picture"] == replayed["picture"] and pair["size"] == [40, 24]
    assert np.load(tmp_path / "replayed.npy").shape == (15, 512)


def test_perform_takes_one_number_as_a_size_and_refuses_psi_on_the_default_model(tmp_path, capsys):
    from livelatent.commands.perform import show_config
    from livelatent.live.loop_clock import ManualClock
    from livelatent.live.session import build_session

    s = build_session(show_config(["--headless", "--osc-port", "0", "--size", "64", "--no-hud",
                                   "--recordings", str(tmp_path / "rec")]), clock=ManualClock())
    s.app.bus.put(make("model.psi", 0.5, "norm", source="osc"))
    try:
        summary = s.app.run(duration=0.3)
    finally:
        s.close()
    assert s.app.size == (64, 64) and s.app.last_image.shape == (64, 64, 3)
    assert summary.rejected == 1 and "model default has no truncation" in s.app.error  # the show went on
    capsys.readouterr()
    code, _, err = run(capsys, "perform", "--headless", "--psi", "0.5", "--duration", "0.1", "--osc-port", "0")
    assert code != 0 and "psi 0.5: model default has no truncation" in err and len(err.strip().splitlines()) == 1


def test_recover_finishes_a_cut_off_take_and_asks_for_the_model_its_proxy_needs(tmp_path, capsys):
    from livelatent.adapters.take_writer import TakeWriter

    perf = Performance(KeyframeBank.random(d=512, seed=3), MotionParams(), seed=3)
    writer = TakeWriter(tmp_path / "rec", meta={"fps": "30", "d": 512, "tick_rate": 240, "start_tick": 0,
                                                "model": "run/network-snapshot-000040.pkl", "size": [32, 32],
                                                "performance": perf.describe(), "proxy": {"size": None}},
                        start_arrays=perf.arrays())
    writer.append_rows(np.zeros((12, 512), np.float32) + 0.5)
    writer.flush()
    writer._lock.close()  # the recording process died: its lock is free, the take never finished
    code, _, err = run(capsys, "recover", "--recordings", tmp_path / "rec")
    assert code == 1 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "'run/network-snapshot-000040.pkl'" in err and f"livelatent proxies {writer.path.name} --model SPEC" in err
    assert takes.read_take(writer.path).status == "recovered" and takes.read_take(writer.path).rows == 12

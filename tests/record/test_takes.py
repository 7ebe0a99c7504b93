"""The take folder: incremental rows and events, finalising, listing, recovering a cut-off take."""

import json
import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from livelatent.adapters import take_writer, takes
from livelatent.errors import TakeError

D = 8


def _meta(**extra):
    return {"fps": "30000/1001", "d": D, "tick_rate": 240, "start_tick": 0, "model": "default",
            "seed": 7, "proxy": {"size": [32, 32]}, **extra}


def _rows(n, start=0):
    return (np.arange(start * D, (start + n) * D, dtype=np.float32).reshape(n, D) / 10)


def test_take_names_sort_by_time_and_never_collide(tmp_path):
    first = take_writer.TakeWriter(tmp_path, meta=_meta(), now=1_700_000_000.5)
    second = take_writer.TakeWriter(tmp_path, meta=_meta(), now=1_700_000_000.5)
    later = take_writer.TakeWriter(tmp_path, meta=_meta(), now=1_700_000_001.0)
    names = [w.path.name for w in (first, second, later)]
    assert len(set(names)) == 3 and names == sorted(names)
    assert names[0] == "take-20231114-221320-500"
    for w in (first, second, later):
        w.release()


def test_finished_take_is_a_normal_z_sequence_pair(tmp_path):
    w = take_writer.TakeWriter(tmp_path, meta=_meta(), start_arrays={"bank": np.ones((4, D), np.float32)})
    w.append_rows(_rows(5))
    w.append_events([{"tick": 3, "arrival": 0.01, "source": "osc", "event": {"name": "keyframe", "value": 2}}])
    w.append_rows(_rows(4, start=5))
    take = w.finish(present=[])
    assert take.status == "complete" and take.rows == 9
    assert not (take.path / "z.f32").exists()
    seq = takes.load_z(take)
    assert np.array_equal(seq.z, _rows(9)) and str(seq.fps) == "30000/1001"
    meta = json.loads((take.path / f"{take.name}.json").read_text())
    assert meta["id"] == take.id and meta["made_by"] == "performance" and meta["frames"] == 9
    assert takes.read_events(take)[0]["event"]["value"] == 2
    assert np.array_equal(takes.load_start(take)["bank"], np.ones((4, D)))
    assert take.meta["proxy"]["state"] == "missing" and not take.complete


def test_takes_list_oldest_first_with_state(tmp_path):
    done = take_writer.TakeWriter(tmp_path, meta=_meta(), now=100.0)
    done.append_rows(_rows(3))
    done.finish(present=[])
    open_ = take_writer.TakeWriter(tmp_path, meta=_meta(), now=200.0)
    open_.append_rows(_rows(2))
    open_.flush()
    listed = takes.list_takes(tmp_path)
    assert [t.status for t in listed] == ["complete", "recording"]
    assert [t.rows for t in listed] == [3, 2]
    assert not take_writer.is_abandoned(listed[1])  # its writer still holds the lock
    open_.release()
    assert take_writer.is_abandoned(takes.read_take(listed[1].path))


def test_unknown_schema_version_is_refused_with_the_file_named(tmp_path):
    w = take_writer.TakeWriter(tmp_path, meta=_meta())
    w.finish(present=[])
    tj = w.path / "take.json"
    tj.write_text(json.dumps({**json.loads(tj.read_text()), "schema_version": 99}))
    with pytest.raises(TakeError, match="take.json: schema_version 99"):
        takes.read_take(w.path)


_KILLED_WRITER = textwrap.dedent("""
    import sys, time
    import numpy as np
    from livelatent.adapters import take_writer, takes
    w = take_writer.TakeWriter(sys.argv[1], meta={"fps": 25, "d": 8, "tick_rate": 240, "start_tick": 0,
                                            "proxy": {"size": [32, 32]}})
    k = 0
    while True:
        w.append_rows(np.full((1, 8), k, np.float32))
        w.append_events([{"tick": k, "arrival": k, "source": "test", "event": {"k": k}}])
        k += 1
        if k % 10 == 0:
            w.flush()
            print(k, flush=True)
        time.sleep(0.001)
""")


def test_take_killed_mid_write_recovers_up_to_its_last_flush(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(tmp_path)],
                            stdout=subprocess.PIPE, text=True)
    flushed = [int(proc.stdout.readline()) for _ in range(5)][-1]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    (take,) = take_writer.abandoned_takes(tmp_path)
    recovered = take_writer.recover(take)
    assert recovered.status == "recovered" and recovered.rows >= flushed
    z = takes.load_z(recovered).z
    assert np.array_equal(z[:, 0], np.arange(len(z)))  # every row whole and in order
    events = takes.read_events(recovered)
    assert [e["tick"] for e in events] == list(range(len(events))) and len(events) >= flushed
    assert take_writer.abandoned_takes(tmp_path) == []


def test_a_broken_take_is_named_and_the_others_still_listed(tmp_path):
    good = take_writer.TakeWriter(tmp_path, meta=_meta(), now=100.0)
    good.finish(present=[])
    bad = take_writer.TakeWriter(tmp_path, meta=_meta(), now=200.0)
    bad.release()
    (bad.path / "take.json").write_text("{ not json")
    said = []
    assert [t.name for t in takes.list_takes(tmp_path, on_error=said.append)] == [good.path.name]
    assert "take.json: not valid JSON" in said[0]
    assert take_writer.abandoned_takes(tmp_path) == []

"""Takes whose files were deleted, emptied, broken, cut off on a full disk or a read-only one:
every command says what is wrong in one line, and nothing recorded is lost.

Each take here is a real one: a Performance driven tick by tick into the Recorder (events,
rows and proxy frames written by its own thread), a few seconds of work in all.
"""

import contextlib
import json
import os
import shutil
import subprocess

import numpy as np
import pytest

from livelatent import cli

from livelatent.common import zseq
from livelatent.adapters import take_writer, takes
from livelatent.adapters.video import count_frames
from livelatent.instrument.bank import KeyframeBank
from livelatent.instrument.actions import make
from livelatent.generators.default import DefaultGenerator
from livelatent.live.recorder import Recorder
from livelatent.motion.params import MotionParams
from livelatent.instrument.performance import Performance

GENERATOR = DefaultGenerator(size=(32, 32))


def record(recordings, *, frames=12, images=True):
    """A take of `frames` rows at 30 fps whose performer touched a slot, the HUD and the grid."""
    perf = Performance(KeyframeBank.random(d=512, seed=4, slots=8), MotionParams(settle_time=0.3), seed=4)
    rec = Recorder(recordings, fps=30, on_message=lambda line: None)
    rec.start(perf, meta={"model": "default", "size": [32, 32]})
    presses = {8: make("keyframe", 3, source="osc"), 20: make("hud", 0, source="osc"),
               30: make("grid", 1, source="osc"), 40: make("noise", 0.4, source="midi")}
    while rec.rows_submitted < frames:
        if perf.tick in presses:
            perf.apply(presses[perf.tick])
            rec.submit_event(perf.tick, presses[perf.tick])
        prev = perf.z.copy()
        perf.step()
        for k, z in rec.step(perf.tick, prev, perf.z):
            if images:
                rec.submit_image(k, GENERATOR.decode(z)[0])
    rec.close()
    return takes.read_take(rec.last_take.path)


def livelatent(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def one_line(err):
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    return record(tmp_path_factory.mktemp("pristine") / "recordings")


@pytest.fixture
def take(pristine, tmp_path):
    """A copy of one recorded take for each test to damage."""
    shutil.copytree(pristine.path, tmp_path / "recordings" / pristine.name)
    return takes.read_take(tmp_path / "recordings" / pristine.name)


def test_a_take_with_hud_and_grid_events_replays_bit_for_bit(take, tmp_path, capsys):
    assert take.meta["events"] == 4
    code, _, _ = livelatent(capsys, "replay", take.path, "--z-only", "-o", tmp_path / "again")
    assert code == 0
    assert zseq.load(tmp_path / "again").z.tobytes() == takes.load_z(take).z.tobytes()


@pytest.mark.parametrize("damage, message", [
    (lambda t: (t.path / "events.jsonl").unlink(), "events.jsonl: missing"),
    (lambda t: (t.path / "events.jsonl").write_text(""), "events.jsonl: 0 events, but take.json counts 4"),
    (lambda t: (t.path / "events.jsonl").write_text('{"tick": 9}\n' * 4), 'events.jsonl:1: expected {"tick"'),
    (lambda t: (t.path / "start.npz").unlink(), "start.npz: missing"),
    (lambda t: (t.path / "start.npz").write_bytes(b""), "start.npz: not a numpy archive"),
    (lambda t: (t.path / "start.npz").write_bytes(b"PK\x03\x04" + bytes(40)), "start.npz: not a numpy archive"),
    (lambda t: np.savez(t.path / "start.npz", bank=np.zeros((8, 512), np.float32)), "start.npz does not fit"),
    (lambda t: os.mkfifo(t.path / "start.npz.fifo") or os.replace(t.path / "start.npz.fifo", t.path / "start.npz"),
     "start.npz: a FIFO, not a regular file"),
], ids=["events-deleted", "events-emptied", "events-not-events", "start-deleted", "start-empty", "start-not-npz",
        "start-without-mover", "start-a-fifo"])
def test_replay_of_a_take_missing_what_it_restarts_from_is_one_line(take, tmp_path, capsys, damage, message):
    damage(take)
    code, _, err = livelatent(capsys, "replay", take.name, "--recordings", take.path.parent, "--z-only",
                              "-o", tmp_path / "again")
    assert code == 1 and message in one_line(err)
    assert not (tmp_path / "again.npy").exists()


def test_a_deleted_z_sequence_is_reported_as_damaged(take, capsys):
    take.zseq_stem.with_suffix(".npy").unlink()
    code, out, _ = livelatent(capsys, "takes", "--recordings", take.path.parent)
    assert code == 0 and f"damaged: {take.name}.npy missing" in out
    code, _, err = livelatent(capsys, "proxies", take.name, "--recordings", take.path.parent)
    assert code == 1 and f"damaged ({take.name}.npy missing)" in one_line(err)


def test_a_cut_short_z_sequence_is_reported_as_damaged(take, capsys):
    npy = take.zseq_stem.with_suffix(".npy")
    npy.write_bytes(npy.read_bytes()[:-100])
    code, out, _ = livelatent(capsys, "takes", "--recordings", take.path.parent)
    assert "damaged: header says (12, 512) float32 (24,576 bytes) but the file holds 24,476" in out


def test_a_deleted_proxy_is_listed_and_rebuilt_by_proxies(take, capsys):
    assert take.proxy_complete
    take.proxy_path.unlink()
    code, out, _ = livelatent(capsys, "takes", "--recordings", take.path.parent)
    assert f"proxy file missing: run `livelatent proxies {take.name}`" in out
    code, out, _ = livelatent(capsys, "proxies", take.name, "--recordings", take.path.parent, "--device", "cpu")
    assert code == 0 and "proxy file missing; rebuilding it" in out
    assert count_frames(take.proxy_path) == take.rows == 12
    code, out, _ = livelatent(capsys, "takes", "--recordings", take.path.parent)
    assert out.splitlines()[1].endswith(" complete")


def test_a_cut_short_proxy_is_rebuilt_by_proxies(take, capsys):
    proxy = take.proxy_path.read_bytes()
    take.proxy_path.write_bytes(proxy[:len(proxy) // 2])
    code, out, _ = livelatent(capsys, "proxies", take.name, "--recordings", take.path.parent, "--device", "cpu")
    assert code == 0 and "proxy file unreadable" in out and "rebuilding it" in out
    assert count_frames(take.proxy_path) == take.rows


@pytest.mark.parametrize("out", ["{take}/{name}", "{take}/{name}.mp4", "{take}/other"], ids=["pair", "video", "beside"])
def test_no_command_writes_into_a_take(take, capsys, out):
    before = take.zseq_stem.with_suffix(".npy").read_bytes()
    out = out.format(take=take.path, name=take.name)
    for argv in (["replay", take.path, "-o", out, "--force"], ["replay", take.path, "--z-only", "-o", out],
                 ["render", take.path, "-o", out, "--force"], ["samples", "-n", 2, "-o", out, "--force"]):
        code, _, err = livelatent(capsys, *argv)
        assert code == 2 and "whose files only the recorder writes" in one_line(err)
    assert take.zseq_stem.with_suffix(".npy").read_bytes() == before


BROKEN_FIELDS = [("id", 7), ("id", ""), ("fps", [30]), ("fps", "fast"), ("d", "512"), ("d", 0), ("status", "done"),
                 ("tick_rate", 2.5), ("start_tick", -1), ("frames", "12"), ("events", None), ("model", 3),
                 ("size", [32]), ("seed", -4), ("proxy", "complete"), ("proxy", {"state": "whole"}),
                 ("proxy", {"state": "complete", "present": [[0]]}), ("performance", [1])]


@pytest.mark.parametrize("field, value", BROKEN_FIELDS, ids=[f"{f}={json.dumps(v)}" for f, v in BROKEN_FIELDS])
def test_a_take_json_broken_in_any_field_is_one_line_naming_it(take, tmp_path, capsys, field, value):
    meta = json.loads((take.path / "take.json").read_text())
    (take.path / "take.json").write_text(json.dumps({**meta, field: value}))
    code, out, err = livelatent(capsys, "takes", "--recordings", take.path.parent)
    assert code == 0 and "no takes" in out and f"take.json: {field}" in one_line(err)
    code, _, err = livelatent(capsys, "replay", take.path, "--z-only", "-o", tmp_path / "again")
    assert code == 1 and f"take.json: {field}" in one_line(err)


@pytest.mark.parametrize("field", sorted(takes.TAKE_FIELDS))
def test_every_field_take_json_is_read_for_refuses_a_wrong_type(take, capsys, field):
    """Derived from the table of fields itself: a field added there is attacked here."""
    meta = json.loads((take.path / "take.json").read_text())
    (take.path / "take.json").write_text(json.dumps({**meta, field: [["a list of lists fits no field"]]}))
    code, _, err = livelatent(capsys, "takes", "--recordings", take.path.parent)
    assert f"take.json: {field} " in one_line(err)


PERFORMANCE_BROKEN = [("seed", "x"), ("tick", None), ("radius", -1.0), ("motion", {"mover": "rocket"}),
                      ("motion", {"settle_time": "slow"}), ("motion", {"warp": 9}), ("bank_labels", [1, 2])]


@pytest.mark.parametrize("field, value", PERFORMANCE_BROKEN,
                         ids=[f"{f}={json.dumps(v)}" for f, v in PERFORMANCE_BROKEN])
def test_a_broken_performance_description_is_one_line(take, tmp_path, capsys, field, value):
    meta = json.loads((take.path / "take.json").read_text())
    value = {**meta["performance"]["motion"], **value} if field == "motion" else value
    meta["performance"][field] = value
    (take.path / "take.json").write_text(json.dumps(meta))
    code, _, err = livelatent(capsys, "replay", take.path, "--z-only", "-o", tmp_path / "again")
    assert code == 1 and "take" in one_line(err)


# ---- full and read-only disks: a real tmpfs, mounted for the test ----

@contextlib.contextmanager
def small_disk(path, size="2m"):
    """A tmpfs of `size` at path (root only: skipped with the reason otherwise)."""
    if os.geteuid() != 0:
        pytest.skip("a full or read-only disk needs a tmpfs, and mounting one needs root")
    path.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=True)


def fill(disk):
    """Write until the disk is full; returns the filler, to remove for room."""
    filler = disk / "filler"
    with open(filler, "wb") as f:
        with contextlib.suppress(OSError):
            while True:
                f.write(bytes(1 << 16))
                f.flush()
    return filler


def cut_off_take(recordings, rows=30):
    """A take whose writer died after its last flush (like kill -9): rows, an event, a free lock."""
    perf = Performance(KeyframeBank.random(d=512, seed=6, slots=8), MotionParams(), seed=6)
    meta = {"fps": "30", "d": 512, "tick_rate": 240, "start_tick": 0, "model": "default", "size": [32, 32],
            "performance": perf.describe(), "proxy": {"size": [32, 32], "codec": "h264"}}
    writer = take_writer.TakeWriter(recordings, meta=meta, start_arrays=perf.arrays())
    writer.append_rows(np.random.default_rng(0).standard_normal((rows, 512)).astype(np.float32))
    writer.append_events([{"tick": 3, "arrival": 0.01, "source": "osc", "event": make("keyframe", 1).to_dict()}])
    writer.flush()
    writer.release()
    return takes.read_take(writer.path)


def test_recover_on_a_full_disk_is_one_line_and_keeps_the_rows(tmp_path, capsys):
    with small_disk(tmp_path / "disk") as disk:
        take = cut_off_take(disk / "recordings")
        rows = (take.path / "z.f32").read_bytes()
        filler = fill(disk)
        code, _, err = livelatent(capsys, "recover", "--recordings", disk / "recordings", "--no-proxy")
        assert code == 1 and "cannot be finished there (No space left on device)" in one_line(err)
        assert (take.path / "z.f32").read_bytes() == rows and not list(take.path.glob("*.tmp*"))
        filler.unlink()
        code, out, _ = livelatent(capsys, "recover", "--recordings", disk / "recordings", "--no-proxy")
        assert code == 0 and "recovered" in out
        assert takes.load_z(takes.read_take(take.path)).z.tobytes() == rows


def test_proxies_on_a_full_disk_is_one_line_and_keeps_the_z_sequence(tmp_path, capsys):
    with small_disk(tmp_path / "disk") as disk:
        take = record(disk / "recordings", frames=30, images=False)
        npy = take.zseq_stem.with_suffix(".npy").read_bytes()
        fill(disk)
        code, _, err = livelatent(capsys, "proxies", take.name, "--recordings", disk / "recordings", "--device", "cpu")
        assert code == 1 and "proxy not written" in one_line(err) and "the z-sequence is kept" in err
        assert take.zseq_stem.with_suffix(".npy").read_bytes() == npy
        assert not list(take.path.glob("*.building.mp4"))


def test_a_cut_off_take_on_a_read_only_disk_is_listed_and_cannot_be_finished_there(tmp_path, capsys):
    with small_disk(tmp_path / "disk") as disk:
        take = cut_off_take(disk / "recordings")
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        code, out, _ = livelatent(capsys, "takes", "--recordings", disk / "recordings")
        assert code == 0 and take.name in out and "cut off: run `livelatent recover`" in out
        assert "read-only here" in out
        code, _, err = livelatent(capsys, "recover", "--recordings", disk / "recordings")
        assert code == 1 and "cannot be finished there (Read-only file system)" in one_line(err)

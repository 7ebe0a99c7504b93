"""z-sequence pairs: NAME.npy + NAME.json, and every defect named with its file."""

import json

import numpy as np
import pytest

from livelatent.common import zseq
from livelatent.errors import ZSequenceError
from livelatent.common.rates import FrameRate
from livelatent.common.latent import sample
from livelatent.common.zseq import ZSequence


def test_round_trip_keeps_rows_rate_and_lineage(tmp_path):
    seq = ZSequence(sample(5, 8, seed=1), "30000/1001", {"made_by": "journey", "parents": ["abc"], "id": "x1"})
    zseq.save(seq, tmp_path / "take")
    back = zseq.load(tmp_path / "take.npy")
    assert np.array_equal(back.z, seq.z) and back.z.dtype == np.float32
    assert back.fps == FrameRate.parse("30000/1001")
    assert back.meta["parents"] == ["abc"] and back.meta["frames"] == 5 and back.meta["d"] == 8


@pytest.mark.parametrize("out, expected", [
    ("take", ("take.npy", "take.json", "take.mp4")),
    ("take.npy", ("take.npy", "take.json", "take.mp4")),
    ("take.mov", ("take.npy", "take.json", "take.mov")),
], ids=["stem", "npy", "mov"])
def test_out_names_a_pair_by_its_stem(out, expected):
    assert tuple(p.name for p in zseq.pair_paths(out)) == expected


def write_pair(tmp_path, z, meta=None, name="bad"):
    np.save(tmp_path / f"{name}.npy", z)
    if meta is not None:
        (tmp_path / f"{name}.json").write_text(json.dumps(meta))
    return tmp_path / name


@pytest.mark.parametrize("z, meta, d, message", [
    (np.zeros((2, 3, 4), np.float32), {"fps": "30"}, None, r"bad.npy: expected a 2-D array \(frames, d\)"),
    (np.zeros((2, 100), np.float32), {"fps": "30"}, 512, "bad.npy: expected z of size 512, got 100"),
    (np.array([[0.0, np.nan]], np.float32), {"fps": "30"}, None, "bad.npy: NaN or infinite value in row 0"),
    (np.zeros((2, 4), np.float32), None, None, "bad.json: metadata sidecar missing"),
    (np.zeros((2, 4), np.float32), {"fps": "30", "frames": 3}, None, "bad.json: says frames=3 but bad.npy has 2"),
    (np.zeros((2, 4), np.float32), {"fps": "30", "d": 5}, None, "bad.json: says d=5 but bad.npy has 4"),
    (np.zeros((2, 4), np.float32), {"fps": "fast"}, None, "bad.json: fps 'fast' is not a rate"),
    (np.zeros((2, 4), np.float32), {"frames": 2}, None, "bad.json: expected a JSON object with at least 'fps'"),
], ids=["wrong-shape", "wrong-d", "nan", "missing-sidecar", "contradictory-frames", "contradictory-d",
        "bad-fps", "no-fps"])
def test_defects_are_one_line_naming_the_file(tmp_path, z, meta, d, message):
    with pytest.raises(ZSequenceError, match=message):
        zseq.load(write_pair(tmp_path, z, meta), d=d)


def test_missing_npy(tmp_path):
    with pytest.raises(ZSequenceError, match="nothing.npy: z-sequence not found"):
        zseq.load(tmp_path / "nothing")

"""render(): a real video read back with PyAV, frame for frame against decode(z)."""

import json

import numpy as np
import pytest

from livelatent.common import zseq
from livelatent.adapters.video import count_frames, iter_frames, read_metadata, video_info
from livelatent.errors import LatentShapeError
from livelatent.common.rates import FrameRate
from livelatent.generators import load
from livelatent.common.latent import sample
from livelatent.offline.render import render
from livelatent.common.zseq import ZSequence


@pytest.fixture(scope="module")
def model():
    return load("default", device="cpu", size=(64, 64))


@pytest.fixture
def seq():
    return ZSequence(sample(7, 512, seed=1), "30000/1001", {"made_by": "samples", "model": "default"})


def frames_of(path):
    return np.stack(list(iter_frames(path)))


def test_lossless_render_is_decode_bit_for_bit(tmp_path, model, seq):
    result = render(seq, model, tmp_path / "reel", batch=3, lossless=True, progress=False)
    assert result.frames == 7 and not result.interrupted
    assert np.array_equal(frames_of(result.video), model.decode(seq.z))


def test_default_render_pairs_video_and_zsequence(tmp_path, model, seq):
    result = render(seq, model, tmp_path / "reel.mp4", batch=4, progress=False)
    video, npy = tmp_path / "reel.mp4", tmp_path / "reel.npy"
    assert (result.video, result.npy) == (video, npy)
    assert count_frames(video) == len(zseq.load(npy)) == 7
    assert video_info(video)["fps"] == FrameRate.parse("30000/1001")
    written = json.loads((tmp_path / "reel.json").read_text())
    assert read_metadata(video)["livelatent_id"] == written["id"]
    decoded, shown = model.decode(seq.z).astype(int), frames_of(video).astype(int)
    # yuv420 halves the colour resolution: small, saturated pictures lose most there
    assert np.abs(shown - decoded).mean() < 10
    errors = np.abs(shown[:, None] - decoded[None]).mean(axis=(2, 3, 4))
    assert errors.argmin(axis=1).tolist() == list(range(7))  # frame i is decode(z[i])


def test_a_grid_model_size_is_the_video_size(tmp_path, seq):
    result = render(seq, load("default", device="cpu", size=(32, 48)), tmp_path / "wide", progress=False)
    assert video_info(result.video)["width"] == 48 and video_info(result.video)["height"] == 32


class InterruptedAfter:
    """The default model, with Ctrl-C pressed during its third batch."""

    def __init__(self, model, batches):
        self.model, self.batches = model, batches
        self.z_dim, self.resolution, self.label = model.z_dim, model.resolution, "default"

    def decode(self, z, size=None):
        self.batches -= 1
        if self.batches < 0:
            raise KeyboardInterrupt
        return self.model.decode(z, size)


def test_ctrl_c_leaves_a_valid_shorter_pair(tmp_path, model, seq):
    result = render(seq, InterruptedAfter(model, batches=2), tmp_path / "cut", batch=2, progress=False)
    assert result.interrupted and result.frames == 4
    kept = zseq.load(tmp_path / "cut")
    assert count_frames(tmp_path / "cut.mp4") == len(kept) == 4
    assert np.array_equal(kept.z, seq.z[:4]) and kept.meta["interrupted"] is True


def test_ctrl_c_before_the_first_frame_leaves_nothing(tmp_path, model, seq):
    result = render(seq, InterruptedAfter(model, batches=0), tmp_path / "none", progress=False)
    assert result.frames == 0 and not (tmp_path / "none.mp4").exists() and not (tmp_path / "none.npy").exists()


def test_z_of_the_wrong_size_for_the_model(tmp_path, model):
    with pytest.raises(LatentShapeError, match="z-sequence for model default: expected z of size 512, got 100"):
        render(ZSequence(sample(2, 100, seed=0), 30), model, tmp_path / "x", progress=False)


def test_ctrl_c_on_a_running_render_command_keeps_a_valid_pair(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    zseq.save(ZSequence(sample(3000, 512, seed=2), 30, {"model": "default"}), tmp_path / "long")
    proc = subprocess.Popen([sys.executable, "-m", "livelatent", "render", str(tmp_path / "long"), "-o",
                             str(tmp_path / "cut.mp4"), "--size", "128", "--batch", "8"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    video, deadline = tmp_path / "cut.mp4", time.monotonic() + 60
    while not (video.exists() and video.stat().st_size > 50_000) and time.monotonic() < deadline:
        time.sleep(0.05)  # frames are being written
    os.kill(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    kept = zseq.load(tmp_path / "cut")
    assert 0 < len(kept) < 3000 and count_frames(tmp_path / "cut.mp4") == len(kept)

"""Real video files written and read back with PyAV."""

import numpy as np
import pytest

from livelatent.adapters.video import VideoWriter, count_frames, iter_frames, read_metadata, video_info
from livelatent.errors import VideoError
from livelatent.common.rates import FrameRate


def _gradient_frames(n, h=64, w=64):
    y, x = np.mgrid[0:h, 0:w]
    return np.stack([np.stack([(x * 4 + i * 9) % 256, (y * 4) % 256, np.full_like(x, 40 * i % 256)], -1)
                     for i in range(n)]).astype(np.uint8)


@pytest.mark.parametrize("name, options", [
    ("default.mp4", {}),
    ("intra.mov", {"intra_only": True}),
    ("lossless.mkv", {"lossless": True}),
], ids=["h264-mp4", "intra-mov", "lossless-mkv"])
def test_written_frames_read_back_with_exact_count_rate_and_tags(tmp_path, name, options):
    frames = _gradient_frames(7)
    path = tmp_path / name
    with VideoWriter(path, fps="30000/1001", size=(64, 64), metadata={"livelatent_id": "abc"}, **options) as w:
        w.write(frames[:3])
        w.write(frames[3])
        w.write(frames[4:])
    assert w.frames_written == 7
    assert count_frames(path) == 7
    assert video_info(path)["fps"] == FrameRate.parse("30000/1001")
    assert read_metadata(path)["livelatent_id"] == "abc"
    back = np.stack(list(iter_frames(path)))
    error = np.abs(back.astype(int) - frames).mean()
    assert error == 0 if options.get("lossless") else error < 3


def test_lossless_mp4_is_bit_exact(tmp_path):
    frames = np.random.default_rng(1).integers(0, 256, (4, 32, 48, 3), dtype=np.uint8)
    with VideoWriter(tmp_path / "x.mp4", fps=25, size=(48, 32), lossless=True) as w:
        w.write(frames)
    assert np.array_equal(np.stack(list(iter_frames(tmp_path / "x.mp4"))), frames)


def test_mjpeg_quality_is_fixed_and_does_not_drift_over_frames(tmp_path):
    rich = np.random.default_rng(2).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    rich = ((rich.astype(np.uint16) + np.roll(rich, 1, 0) + np.roll(rich, 1, 1)) // 3).astype(np.uint8)
    with VideoWriter(tmp_path / "m.mov", fps=25, size=(64, 64), codec="mjpeg") as w:
        w.write(np.repeat(rich[None], 30, axis=0))
    back = np.stack(list(iter_frames(tmp_path / "m.mov"))).astype(int)
    assert (back == back[0]).all()  # the same picture at the same quantiser, frame after frame
    assert np.abs(back[-1] - rich).mean() < 5  # noise-like detail, the hardest case for JPEG


def test_wrong_frame_shape_names_the_file(tmp_path):
    with VideoWriter(tmp_path / "x.mp4", fps=25, size=(64, 64)) as w:
        with pytest.raises(VideoError, match=r"x\.mp4: expected uint8 frames of shape \(N, 64, 64, 3\)"):
            w.write(np.zeros((1, 32, 64, 3), np.uint8))


def test_missing_and_garbage_files_name_the_file(tmp_path):
    with pytest.raises(VideoError, match="nope.mp4: video not found"):
        count_frames(tmp_path / "nope.mp4")
    (tmp_path / "junk.mp4").write_bytes(b"not a video at all")
    with pytest.raises(VideoError, match="junk.mp4: not a readable video"):
        list(iter_frames(tmp_path / "junk.mp4"))


def test_odd_size_is_refused_for_yuv420(tmp_path):
    with pytest.raises(VideoError, match="63x64 must be even"):
        VideoWriter(tmp_path / "x.mp4", fps=25, size=(63, 64))


@pytest.mark.parametrize("options", [{}, {"intra_only": True}, {"lossless": True}], ids=["h264", "intra", "lossless"])
def test_melt_reads_the_frame_count_rate_and_id(tmp_path, options):
    import subprocess

    path = tmp_path / "clip.mp4"
    with VideoWriter(path, fps="30000/1001", size=(64, 64), metadata={"livelatent_id": "abc"}, **options) as w:
        w.write(_gradient_frames(9))
    xml = subprocess.run(["melt", str(path), "-consumer", "xml"], capture_output=True, text=True,
                         timeout=60, check=True).stdout
    assert '<property name="length">9</property>' in xml
    assert 'frame_rate_num="30000"' in xml and 'frame_rate_den="1001"' in xml
    assert "abc" in xml  # the container tag, as MLT's meta.attr.livelatent_id


def test_intra_only_makes_every_frame_a_key_frame(tmp_path):
    import av

    for name, intra in (("intra.mp4", True), ("long-gop.mp4", False)):
        with VideoWriter(tmp_path / name, fps=25, size=(64, 64), intra_only=intra) as w:
            w.write(_gradient_frames(12))
        with av.open(str(tmp_path / name)) as container:
            keys = [p.is_keyframe for p in container.demux(video=0) if p.size]
        assert all(keys) == intra and len(keys) == 12

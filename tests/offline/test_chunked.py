"""Renders done in chunks, without Ray: the same bytes as a plain render, image sequences,
chunk videos joined, and a stopped render resumed from its manifest."""

import numpy as np
import pytest

from livelatent import zseq
from livelatent.adapters.image_sequence import ImageSequence
from livelatent.adapters.video import iter_frames, read_metadata
from livelatent.errors import UsageError
from livelatent.latent import sample
from livelatent.offline.chunk_worker import ChunkJob, ModelRecipe
from livelatent.offline.chunked import (ChunkedModel, ChunkedSettings, LocalExecutor, render_chunked,
                                        segment_settings, work_folder)
from livelatent.offline.chunks import plan_chunks
from livelatent.zseq import ZSequence

from render_checks import livelatent, png_pixels, same_stream


@pytest.fixture
def reel(tmp_path):
    zseq.save(ZSequence(sample(11, 512, seed=3), 30, {"id": "reel", "model": "default", "made_by": "samples"}),
              tmp_path / "reel")
    return tmp_path / "reel"


def test_chunks_cover_every_frame_once_and_start_on_batch_boundaries():
    chunks = plan_chunks(37, chunk_frames=10, batch=4)
    assert [(c.start, c.stop) for c in chunks] == [(0, 12), (12, 24), (24, 36), (36, 37)]
    assert chunks[3].label == "chunk 3 (frames 36-36)"


def test_an_image_sequence_render_is_the_plain_render_byte_for_byte(reel, tmp_path, capsys):
    common = ["--size", "32", "--batch", "2", "--lossless", "-q"]
    assert livelatent(capsys, "render", reel, "-o", tmp_path / "single", *common)[0] == 0
    code, out, _ = livelatent(capsys, "render", reel, "-o", tmp_path / "shots/edit/%06d.png", "--chunk", "3",
                              "--join", "encode", *common)
    assert code == 0 and "shots/edit/%06d.png (11 frames)" in out
    single, chunked = tmp_path / "single", tmp_path / "shots/edit"
    assert (tmp_path / "shots/edit.npy").read_bytes() == (tmp_path / "single.npy").read_bytes()
    assert same_stream(f"{single}.mp4", f"{chunked}.mp4")  # the encoder saw the same frames in the same order
    frames = np.stack(list(iter_frames(f"{single}.mp4")))
    assert [png_pixels(chunked / f"{i:06d}.png") for i in range(11)] == [f.tobytes() for f in frames]
    assert not work_folder(chunked).exists()  # the chunk segments and manifest go once the video is whole


def test_chunk_videos_joined_without_re_encoding_hold_every_frame_in_order(reel, tmp_path, capsys):
    livelatent(capsys, "render", reel, "-o", tmp_path / "single", "--size", "32", "--lossless", "-q")
    code, _, _ = livelatent(capsys, "render", reel, "-o", tmp_path / "frames/%04d.png", "--size", "32",
                            "--lossless", "--chunk", "4", "--batch", "2", "-q")
    assert code == 0
    joined = list(iter_frames(tmp_path / "frames.mp4"))
    assert len(joined) == 11 and np.array_equal(joined, list(iter_frames(tmp_path / "single.mp4")))
    assert read_metadata(tmp_path / "frames.mp4")["livelatent_id"] == zseq.load(tmp_path / "frames").meta["id"]


def test_frames_already_there_are_refused_unless_forced(reel, tmp_path, capsys):
    ImageSequence.parse(str(tmp_path / "shots/%06d.png")).write(0, np.zeros((4, 4, 3), np.uint8))
    code, _, err = livelatent(capsys, "render", reel, "-o", tmp_path / "shots/%06d.png", "--size", "16", "-q")
    assert code == 2 and "1 frames already there (000000.png, ...); add --force" in err
    assert livelatent(capsys, "render", reel, "-o", tmp_path / "shots/%06d.png", "--size", "16", "-q",
                      "--force")[0] == 0


class StopsAfter(LocalExecutor):
    """A local executor whose render is stopped (as Ctrl-C stops it) after `count` chunks; it
    records the chunks it renders."""

    def __init__(self, recipe, count=None):
        super().__init__(recipe)
        self.count, self.rendered = count, []

    def run(self, job, chunks, z, stop):
        for result in super().run(job, chunks, z, stop):
            self.rendered.append(result.index)
            yield result
            if len(self.rendered) == self.count:
                stop.set()


def test_a_stopped_render_resumes_with_only_the_missing_chunks(tmp_path, capsys):
    seq = ZSequence(sample(10, 512, seed=5), 24, {"id": "fixed", "made_by": "samples"})
    recipe = ModelRecipe("default", "cpu", (16, 16))
    settings = ChunkedSettings(chunk_frames=2, progress=False)
    job = ChunkJob(work_folder(tmp_path / "out"), str(seq.fps), batch=2, segment=segment_settings(settings),
                   images=ImageSequence.parse(str(tmp_path / "out/%03d.png")))
    first = StopsAfter(recipe, count=2)
    stopped = render_chunked(seq, ChunkedModel(first), job, tmp_path / "out", settings)
    assert stopped.interrupted and stopped.frames == 4 and not (tmp_path / "out.mp4").exists()
    kept = {i: (tmp_path / f"out/{i:03d}.png").stat().st_ino for i in range(4)}
    second = StopsAfter(recipe)
    done = render_chunked(seq, ChunkedModel(second), job, tmp_path / "out", settings)
    assert (first.rendered, second.rendered) == ([0, 1], [2, 3, 4])
    assert "resuming" in capsys.readouterr().err and done.frames == 10 and not done.interrupted
    assert kept == {i: (tmp_path / f"out/{i:03d}.png").stat().st_ino for i in range(4)}  # not written again


def test_the_chunks_of_another_render_are_refused_unless_forced(tmp_path):
    recipe = ModelRecipe("default", "cpu", (16, 16))
    settings = ChunkedSettings(chunk_frames=2, progress=False)
    job = ChunkJob(work_folder(tmp_path / "out"), "24", batch=2, segment=segment_settings(settings))
    seq = ZSequence(sample(6, 512, seed=5), 24, {"made_by": "samples"})
    render_chunked(seq, ChunkedModel(StopsAfter(recipe, count=1)), job, tmp_path / "out", settings)
    other = ZSequence(sample(6, 512, seed=6), 24, {"made_by": "samples"})
    with pytest.raises(UsageError, match="holds the chunks of another render"):
        render_chunked(other, ChunkedModel(LocalExecutor(recipe)), job, tmp_path / "out", settings)
    forced = ChunkedSettings(chunk_frames=2, progress=False, force=True)
    assert render_chunked(other, ChunkedModel(LocalExecutor(recipe)), job, tmp_path / "out", forced).frames == 6


def test_depth_without_an_image_sequence_is_one_line(reel, tmp_path, capsys):
    code, _, err = livelatent(capsys, "render", reel, "-o", tmp_path / "x", "--depth", "16")
    assert code == 2 and "--depth 16: only for an image sequence" in err

"""`--ray`: a render split into chunks over the workers of a local Ray cluster gives the bytes a
single-process render gives (z-sequence, frames, video stream), for a plain render, a snapshot
grid and a replay; survives a worker killed mid-render; resumes only the missing chunks."""

import os
import runpy
import subprocess
import sys
import textwrap

import pytest

from livelatent import zseq
from livelatent.latent import sample
from livelatent.zseq import ZSequence

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "offline"))
from render_checks import livelatent, same_stream  # noqa: E402

FAKE_REPO = os.path.join(os.path.dirname(__file__), "..", "generators", "fake_stylegan_repo")
TINY = ["--size", "32", "--batch", "2", "--chunk", "4", "-q"]

# CI runs a fixed subset of these tests (each Ray render starts workers that import torch: seconds
# on 2 cores); LIVELATENT_HEAVY_TESTS=1 runs the rest too
heavy = pytest.mark.skipif(not os.environ.get("LIVELATENT_HEAVY_TESTS"),
                           reason="a heavier Ray test: LIVELATENT_HEAVY_TESTS=1 runs it")


@pytest.fixture
def reel(tmp_path):
    zseq.save(ZSequence(sample(14, 512, seed=3), 30, {"id": "reel", "model": "default", "made_by": "samples"}),
              tmp_path / "reel")
    return tmp_path / "reel"


def same_files(a, b, count, name="{:06d}.png") -> bool:
    return all((a / name.format(i)).read_bytes() == (b / name.format(i)).read_bytes() for i in range(count))


def test_the_cluster_listens_on_loopback_only(ray_cluster):
    assert {node["NodeManagerAddress"] for node in ray_cluster.nodes()} == {"127.0.0.1"}
    assert ray_cluster.get_runtime_context().gcs_address.startswith("127.0.0.1:")


def test_a_ray_render_is_the_single_process_render_byte_for_byte(ray_cluster, reel, tmp_path, capsys):
    assert livelatent(capsys, "render", reel, "-o", tmp_path / "plain", *TINY)[0] == 0
    assert livelatent(capsys, "render", reel, "-o", tmp_path / "here/%06d.png", *TINY)[0] == 0
    code, out, _ = livelatent(capsys, "render", reel, "-o", tmp_path / "ray/%06d.png", *TINY,
                              "--join", "encode", "--ray", "--worker-rates")
    assert code == 0 and "(14 frames)" in out
    assert (tmp_path / "ray.npy").read_bytes() == (tmp_path / "plain.npy").read_bytes()
    assert same_stream(tmp_path / "plain.mp4", tmp_path / "ray.mp4")
    assert same_files(tmp_path / "here", tmp_path / "ray", 14)
    assert same_stream(tmp_path / "here.mp4", tmp_path / "ray.mp4") is False  # remuxed chunks: keyframes at chunk starts


def test_a_snapshot_grid_on_ray_is_the_single_process_grid(ray_cluster, reel, tmp_path, capsys):
    run = tmp_path / "run"
    run.mkdir()
    make = textwrap.dedent(f"""
        import runpy, sys
        for kimg in (40, 200):
            sys.argv = ["make_pickle.py", "{run}/network-snapshot-%06d.pkl" % kimg, str(kimg), "0"]
            runpy.run_path("make_pickle.py", run_name="__main__")""")
    subprocess.run([sys.executable, "-c", make], check=True, cwd=FAKE_REPO, env={**os.environ, "PYTHONPATH": FAKE_REPO})
    seq = ZSequence(sample(6, 16, seed=4), 24, {"id": "reel16", "made_by": "samples"})
    zseq.save(seq, tmp_path / "z16")
    grid = ["--snapshots", run, "--grid", "2x1", "--stylegan-repo", FAKE_REPO, "--device", "cpu", *TINY]
    assert livelatent(capsys, "render", tmp_path / "z16", "-o", tmp_path / "grid", *grid)[0] == 0
    assert livelatent(capsys, "render", tmp_path / "z16", "-o", tmp_path / "rgrid", *grid, "--ray", "auto",
                      "--join", "encode", "--workers", "1")[0] == 0
    assert (tmp_path / "rgrid.npy").read_bytes() == (tmp_path / "grid.npy").read_bytes()
    assert same_stream(tmp_path / "grid.mp4", tmp_path / "rgrid.mp4")
    assert zseq.load(tmp_path / "rgrid").meta["snapshot_labels"] == ["40", "200"]


def test_a_replay_on_ray_is_the_single_process_replay(ray_cluster, tmp_path, capsys):
    from livelatent.bank import KeyframeBank
    from livelatent.live.recorder import Recorder
    from livelatent.motion.params import MotionParams
    from livelatent.performance import Performance

    perf = Performance(KeyframeBank.random(d=512, seed=2), MotionParams(), seed=2)
    rec = Recorder(tmp_path / "recordings", fps=30)
    rec.start(perf, meta={"model": "default", "size": [32, 32]})
    for _ in range(80):
        prev = perf.z.copy()
        perf.step()
        rec.step(perf.tick, prev, perf.z)
    rec.close()
    replay = ["replay", rec.last_take.name, "--recordings", tmp_path / "recordings", "--size", "32x32",
              "--device", "cpu"]
    assert livelatent(capsys, *replay, "-o", tmp_path / "plain")[0] == 0
    code, out, _ = livelatent(capsys, *replay, "-o", tmp_path / "ray", "--ray", "--workers", "1", "--join",
                              "encode", "--chunk", "3")
    assert code == 0 and len(zseq.load(tmp_path / "ray")) == 10
    assert (tmp_path / "ray.npy").read_bytes() == (tmp_path / "plain.npy").read_bytes()
    assert same_stream(tmp_path / "plain.mp4", tmp_path / "ray.mp4")


def test_a_worker_killed_mid_render_is_replaced_and_the_render_is_the_same(ray_cluster, faults, reel, tmp_path,
                                                                           capsys):
    assert livelatent(capsys, "render", reel, "-o", tmp_path / "here/%06d.png", *TINY)[0] == 0
    (faults / "decodes").unlink(missing_ok=True)
    (faults / "die-at").write_text("6")  # the 6th decode: the second batch of a chunk
    code, _, err = livelatent(capsys, "render", reel, "-o", tmp_path / "ray/%06d.png", *TINY, "--ray",
                              "--workers", "1", "--model", "worker_faults:default")
    assert code == 0, err
    assert not (faults / "die-at").exists()  # a worker took the fault and died
    assert same_files(tmp_path / "here", tmp_path / "ray", 14)
    assert (tmp_path / "ray.npy").read_bytes() == (tmp_path / "here.npy").read_bytes()


@heavy
def test_a_chunk_whose_worker_always_dies_stops_the_render_naming_it(ray_cluster, faults, reel, tmp_path, capsys):
    (faults / "die-always").touch()
    try:
        code, _, err = livelatent(capsys, "render", reel, "-o", tmp_path / "ray", *TINY, "--ray", "--workers", "1",
                                  "--retries", "0", "--model", "worker_faults:default")
    finally:
        (faults / "die-always").unlink()
    assert code == 1 and err.strip().count("\n") == 0, err
    assert "chunk 0 (frames 0-3): its worker died 1 time (--retries 0); stopped" in err
    assert (tmp_path / "ray.chunks/manifest.json").exists() and not (tmp_path / "ray.mp4").exists()


def test_an_interrupted_render_resumes_with_only_the_missing_chunks(ray_cluster, faults, reel, tmp_path, capsys):
    ray_render = ["render", reel, "-o", tmp_path / "ray/%06d.png", *TINY, "--ray", "--workers", "1",
                  "--model", "worker_faults:default"]
    (faults / "interrupt").touch()  # Ctrl-C in this driver at the first decode
    code, _, err = livelatent(capsys, *ray_render)
    assert code == 130 and "the same command renders the rest" in err
    done = zseq_manifest_done(tmp_path / "ray.chunks")
    assert len(done) < 4 and not (tmp_path / "ray.mp4").exists()
    kept = {f: f.stat().st_ino for c in done for f in frames_of_chunk(tmp_path / "ray", c)}
    code, _, err = livelatent(capsys, *ray_render)
    assert code == 0 and f"{len(done)} of 4 chunks already rendered" in err
    assert kept == {f: f.stat().st_ino for f in kept}  # finished chunks were not rendered again
    assert livelatent(capsys, "render", reel, "-o", tmp_path / "here/%06d.png", *TINY)[0] == 0
    assert same_files(tmp_path / "here", tmp_path / "ray", 14)
    assert same_stream(tmp_path / "here.mp4", tmp_path / "ray.mp4")


def zseq_manifest_done(work):
    import json

    return json.loads((work / "manifest.json").read_text())["done"]


def frames_of_chunk(folder, index, length=4):
    return [folder / f"{i:06d}.png" for i in range(index * length, min(14, (index + 1) * length))]


def test_a_bad_cluster_address_is_one_line(reel, tmp_path, capsys):
    code, _, err = livelatent(capsys, "render", reel, "-o", tmp_path / "x", "--ray=127.0.0.1:9", "-q")
    assert code == 1 and err.strip() == "livelatent render: --ray 127.0.0.1:9: no Ray cluster answers there " \
                                        "(Connection refused)"


def test_without_the_extra_ray_is_one_line(reel, tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # as if livelatent[ray] were not installed
    code, _, err = livelatent(capsys, "render", reel, "-o", tmp_path / "x", "--ray", "-q")
    assert code == 1 and err.strip() == ("livelatent render: --ray local: Ray is not installed; install the extra: "
                                         "pip install 'livelatent[ray]'")

"""An artist's StyleGAN pickles through samples, journeys and render, every frame checked
against NVIDIA's own G(z, c, truncation_psi, noise_mode='const'), and the settings kept.

stylegan3-t decodes at ~1 s a frame on 2 CPU cores, so it draws few frames; stylegan2-ADA
(conditional, and a run of three snapshots) draws the rest.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from livelatent.common import zseq
from livelatent.adapters.video import iter_frames
from livelatent.cli import main
from tests.nvidia.conftest import repo

ADA, SG3 = "stylegan2-ada-pytorch", "stylegan3"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def video(path) -> np.ndarray:
    return np.stack(list(iter_frames(path)))


def same_pictures(a: np.ndarray, b: np.ndarray) -> bool:
    assert a.shape == b.shape, (a.shape, b.shape)
    import torch

    diff = np.abs(a.astype(int) - b)
    assert not diff.any(), (f"{(diff > 0).sum()} values differ, by up to {diff.max()} (torch's CPU threads "
                            f"in this thread: {torch.get_num_threads()})")
    return True


def one_line_error(capsys, *argv) -> str:
    code, _, err = run(capsys, *argv)
    assert code != 0 and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    return err


@pytest.fixture(scope="module")
def classes_reel(networks, tmp_path_factory):
    """A reel of the conditional ada network at psi 0.6, class 2 (made once for the module)."""
    out = tmp_path_factory.mktemp("reel") / "reel"
    code = main(["samples", "-n", "3", "--seed", "5", "--model", str(networks["ada-classes"]), "--stylegan-repo",
                 str(repo(ADA)), "--psi", "0.6", "--class", "2", "--device", "cpu", "--batch", "1", "--lossless", "-q", "-o", str(out)])
    assert code == 0
    return out


def test_samples_of_stylegan3_and_of_a_conditional_stylegan2_are_nvidias_frames(networks, classes_reel, tmp_path,
                                                                                 capsys, nvidia_frames):
    code, _, _ = run(capsys, "samples", "-n", 1, "--model", networks["sg3t"], "--stylegan-repo", repo(SG3),
                     "--psi", 0.5, "--device", "cpu", "--batch", 1, "--lossless", "-q", "-o", tmp_path / "sg3")
    assert code == 0  # the stylegan3 checkout after the ada one (the reel) in one process
    sg3 = zseq.load(tmp_path / "sg3")
    assert sg3.meta["picture"]["psi"] == 0.5 and sg3.meta["size"] == [32, 32]
    assert same_pictures(video(tmp_path / "sg3.mp4"), nvidia_frames(SG3, networks["sg3t"], sg3.z, [{"psi": 0.5}]))
    reel = zseq.load(classes_reel)
    assert (reel.meta["picture"]["psi"], reel.meta["picture"]["class"]) == (0.6, 2)
    expected = nvidia_frames(ADA, networks["ada-classes"], reel.z, [{"psi": 0.6, "class": 2}] * 3)
    assert same_pictures(video(f"{classes_reel}.mp4"), expected)


def test_render_draws_a_reel_again_with_its_recorded_psi_and_class(networks, classes_reel, tmp_path, capsys,
                                                                   nvidia_frames):
    pkl = networks["ada-classes"]
    err = one_line_error(capsys, "render", classes_reel, "-o", tmp_path / "again.mp4", "--stylegan-repo", repo(ADA))
    assert str(pkl) in err and "pass --model SPEC" in err  # the pickle is shown, never loaded by itself
    code, _, _ = run(capsys, "render", classes_reel, "--model", pkl, "--stylegan-repo", repo(ADA), "--device", "cpu",
                     "--batch", 1, "--lossless", "-q", "-o", tmp_path / "again.mp4")
    assert code == 0
    assert same_pictures(video(tmp_path / "again.mp4"), video(f"{classes_reel}.mp4"))  # psi 0.6, class 2 again
    code, _, _ = run(capsys, "render", classes_reel, "--model", pkl, "--stylegan-repo", repo(ADA), "--device", "cpu",
                     "--class", 3, "--psi", 1, "--batch", 1, "--lossless", "-q", "-o", tmp_path / "other.mp4")
    other = zseq.load(tmp_path / "other")
    assert (other.meta["picture"]["psi"], other.meta["picture"]["class"]) == (1.0, 3)
    expected = nvidia_frames(ADA, pkl, other.z, [{"psi": 1.0, "class": 3}] * 3)
    assert same_pictures(video(tmp_path / "other.mp4"), expected)


def test_journeys_keep_the_reels_settings(networks, classes_reel, tmp_path, capsys, nvidia_frames):
    code, _, _ = run(capsys, "journeys", classes_reel, "--pick", "0,2", "--frames", 3, "--model",
                     networks["ada-classes"], "--stylegan-repo", repo(ADA), "--device", "cpu", "--batch", 1,
                     "--lossless", "-q", "-o", tmp_path / "j")
    assert code == 0
    journey = zseq.load(tmp_path / "j" / "journey-000")
    assert (journey.meta["picture"]["psi"], journey.meta["picture"]["class"]) == (0.6, 2)
    expected = nvidia_frames(ADA, networks["ada-classes"], journey.z, [{"psi": 0.6, "class": 2}] * 3)
    assert same_pictures(video(tmp_path / "j" / "journey-000.mp4"), expected)


def test_a_three_snapshot_grid_shows_each_snapshot_as_nvidia_draws_it(networks, tmp_path, capsys, nvidia_frames):
    run_folder = networks["run/network-snapshot-000040"].parent
    code, _, _ = run(capsys, "samples", "-n", 2, "--seed", 1, "--model", run_folder / "network-snapshot-000040.pkl",
                     "--stylegan-repo", repo(ADA), "--psi", 0.8, "--device", "cpu", "-q", "-o", tmp_path / "reel")
    assert code == 0
    code, _, _ = run(capsys, "render", tmp_path / "reel", "--snapshots", run_folder, "--grid", "3x1", "--stylegan-repo",
                     repo(ADA), "--device", "cpu", "--batch", 1, "--lossless", "-q", "-o", tmp_path / "grid.mp4")
    assert code == 0
    grid, reel = video(tmp_path / "grid.mp4"), zseq.load(tmp_path / "reel")
    assert grid.shape == (2, 64, 192, 3)
    assert zseq.load(tmp_path / "grid").meta["snapshot_labels"] == ["40", "80", "120"]
    for i, kimg in enumerate((40, 80, 120)):
        expected = nvidia_frames(ADA, run_folder / f"network-snapshot-{kimg:06d}.pkl", reel.z, [{"psi": 0.8}] * 2)
        tile = grid[:, :, 64 * i:64 * (i + 1)]
        assert same_pictures(tile[:, :48], expected[:, :48])  # above the label: the snapshot's own picture


def test_class_is_required_by_a_conditional_model_and_refused_by_an_unconditional_one(networks, tmp_path, capsys):
    common = ("-n", 1, "--device", "cpu", "-q", "-o", tmp_path / "x")
    err = one_line_error(capsys, "samples", "--model", networks["ada-classes"], "--stylegan-repo", repo(ADA), *common)
    assert "is conditional: pass --class N (0..3)" in err
    err = one_line_error(capsys, "samples", "--model", networks["run/network-snapshot-000040"], "--class", 1,
                         "--stylegan-repo", repo(ADA), *common)
    assert "class 1: model network-snapshot-000040 is unconditional" in err
    err = one_line_error(capsys, "samples", "--psi", 0.5, *common)
    assert "psi 0.5: model default has no truncation" in err


def test_a_sidecar_names_code_but_never_runs_it(tmp_path, capsys, monkeypatch):
    (tmp_path / "trap.py").write_text("import pathlib\npathlib.Path(__file__).with_name('ran').touch()\n"
                                      "def interact(device=None):\n    raise SystemExit('ran')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    code, _, _ = run(capsys, "samples", "-n", 2, "--size", 32, "-q", "-o", tmp_path / "reel")
    sidecar = tmp_path / "reel.json"
    for model in ("trap:interact", str(tmp_path / "net.pkl"), str(tmp_path / "run/*.pkl")):
        sidecar.write_text(json.dumps({**json.loads(sidecar.read_text()), "model": model}))
        for argv in (("render", tmp_path / "reel", "-o", tmp_path / "out.mp4"),
                     ("journeys", tmp_path / "reel", "--pick", "0,1", "-o", tmp_path / "j")):
            err = one_line_error(capsys, *argv, "-q")
            assert repr(model) in err and "pass --model SPEC" in err
    assert not (tmp_path / "ran").exists()

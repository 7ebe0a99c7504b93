"""The offline commands, run in-process the way a user types them."""

import json
import subprocess
import sys

import numpy as np
import pytest

from livelatent.common import zseq
from livelatent.adapters.video import count_frames, iter_frames, read_metadata
from livelatent.cli import main
from livelatent.generators import load


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def reel(tmp_path, capsys):
    code, out, _ = run(capsys, "samples", "-n", 6, "--seed", 3, "--size", 64, "-o", tmp_path / "reel", "-q")
    assert code == 0 and "wrote" in out
    return tmp_path / "reel"


def test_samples_writes_a_matching_pair(reel):
    seq = zseq.load(reel)
    assert seq.meta["made_by"] == "samples" and seq.meta["model"] == "default" and len(seq) == 6
    assert count_frames(reel.with_suffix(".mp4")) == 6
    assert read_metadata(reel.with_suffix(".mp4"))["livelatent_id"] == seq.meta["id"]


def test_journeys_between_picked_frames_are_pairs_with_a_parent(reel, tmp_path, capsys):
    code, out, _ = run(capsys, "journeys", reel, "--pick", "0,3;2,5", "--frames", 5, "--size", 64,
                       "--noise", 0.1, "-o", tmp_path / "journeys", "-q")
    assert code == 0
    parent = json.loads(reel.with_suffix(".json").read_text())["id"]
    for i in range(2):
        seq = zseq.load(tmp_path / "journeys" / f"journey-{i:03d}")
        assert len(seq) == 5 and seq.meta["parents"] == [parent] and seq.meta["made_by"] == "journey"
        assert count_frames(tmp_path / "journeys" / f"journey-{i:03d}.mp4") == 5


def test_random_journeys(reel, tmp_path, capsys):
    code, out, _ = run(capsys, "journeys", reel, "-n", 2, "--keys", 3, "--frames", 4, "--size", 64,
                       "-o", tmp_path / "j", "-q")
    assert code == 0 and out.count("wrote") == 2


def test_lossless_render_of_a_zsequence_is_its_decode(reel, tmp_path, capsys):
    code, _, _ = run(capsys, "render", reel, "-o", tmp_path / "final.mp4", "--size", 32, "--lossless", "-q")
    assert code == 0
    frames = np.stack(list(iter_frames(tmp_path / "final.mp4")))
    assert np.array_equal(frames, load("default", device="cpu", size=(32, 32)).decode(zseq.load(reel).z))
    assert zseq.load(tmp_path / "final").meta["made_by"] == "render"


def test_render_uses_the_model_the_sequence_was_made_with(tmp_path, capsys):
    assert run(capsys, "samples", "-n", 2, "--model", "dcgan-faces", "-o", tmp_path / "faces", "-q")[0] == 0
    code, _, _ = run(capsys, "render", tmp_path / "faces", "-o", tmp_path / "again", "--fps", 60, "-q")
    assert code == 0
    again = zseq.load(tmp_path / "again")
    assert again.meta["model"] == "dcgan-faces" and len(again) == 4 and str(again.fps) == "60"  # same duration


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # torch 2.9+ calls TorchScript deprecated
def test_render_through_a_snapshot_set_is_a_labelled_grid_with_the_labels_in_its_metadata(reel, tmp_path, capsys):
    import torch

    run_folder = tmp_path / "run"
    run_folder.mkdir()
    for kimg in (40, 200, 1000):  # a linear z -> 3 x 8 x 8 "checkpoint" per training step
        torch.manual_seed(kimg)
        net = torch.nn.Sequential(torch.nn.Linear(512, 3 * 8 * 8), torch.nn.Tanh(), torch.nn.Unflatten(1, (3, 8, 8)))
        torch.jit.save(torch.jit.script(net), str(run_folder / f"network-snapshot-{kimg:06d}.pt"))
    code, _, _ = run(capsys, "render", reel, "--snapshots", run_folder, "--grid", "3x1", "--size", 32,
                     "-o", tmp_path / "grid", "-q")
    assert code == 0
    grid = zseq.load(tmp_path / "grid")
    assert grid.meta["snapshot_labels"] == ["40", "200", "1000"] and len(grid) == 6
    assert np.stack(list(iter_frames(tmp_path / "grid.mp4"))).shape == (6, 32, 96, 3)


@pytest.mark.parametrize("argv, code, message", [
    (["render", "{reel}", "-o", "{tmp}/x", "--model", "dcgan-faces"], 1,
     "reel.npy: z of size 512, but model dcgan-faces expects 100"),
    (["journeys", "{reel}", "--pick", "1,60", "-o", "{tmp}/j"], 2, "--pick: expected frames in 0..5, got '60'"),
    (["render", "{tmp}/nothing", "-o", "{tmp}/x"], 1, "nothing.npy: z-sequence not found"),
    (["samples", "-n", "2", "--device", "tpu", "-o", "{tmp}/x"], 2, "--device tpu: expected one of"),
    (["samples", "-n", "2", "--size", "big", "-o", "{tmp}/x"], 2, "--size 'big': expected a size"),
    (["render", "{reel}", "-o", "{tmp}/x", "--model", "run/*.pkl"], 1, "no model files found"),
], ids=["wrong-d", "pick-range", "missing", "device", "size", "empty-snapshots"])
def test_bad_input_is_one_line_and_an_exit_status(reel, tmp_path, capsys, argv, code, message):
    argv = [a.format(reel=reel, tmp=tmp_path) for a in argv]
    got, _, err = run(capsys, *argv)
    assert got == code
    assert message in err and len(err.strip().splitlines()) == 1


def test_missing_sidecar(reel, tmp_path, capsys):
    reel.with_suffix(".json").unlink()
    code, _, err = run(capsys, "render", reel, "-o", tmp_path / "x")
    assert code == 1 and "reel.json: metadata sidecar missing" in err


def test_models_lists_the_built_ins_and_how_to_load_your_own(capsys):
    code, out, _ = run(capsys, "models")
    assert code == 0 and "default" in out and "dcgan-faces" in out and "--stylegan-repo" in out


@pytest.mark.parametrize("argv", [["--help"], ["render", "--help"], ["samples", "--help"]], ids=" ".join)
def test_help_does_not_import_torch(argv):
    code = ("import sys; from livelatent.cli import main\n"
            f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
            "print('TORCH' if 'torch' in sys.modules else 'LIGHT')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("LIGHT")


def test_rendering_a_pair_onto_its_own_name_keeps_its_identity(tmp_path, capsys):
    assert run(capsys, "samples", "-n", 2, "--size", 32, "-o", tmp_path / "reel", "-q")[0] == 0
    before = zseq.load(tmp_path / "reel")
    code, _, err = run(capsys, "render", tmp_path / "reel", "-o", tmp_path / "reel.mp4", "--size", 32, "-q")
    assert code == 2 and "reel.mp4: already exists; add --force" in err  # the video samples made
    assert run(capsys, "render", tmp_path / "reel", "-o", tmp_path / "reel.mp4", "--size", 32, "-q", "--force")[0] == 0
    after = zseq.load(tmp_path / "reel")
    assert (after.meta["id"], after.meta["made_by"]) == (before.meta["id"], "samples")
    assert np.array_equal(after.z, before.z)
    code, _, err = run(capsys, "render", tmp_path / "reel", "-o", tmp_path / "reel.mp4", "--fps", 60, "-q")
    assert code == 2 and "would overwrite" in err

"""perform's output paths are checked before the model loads: one line, exit status 2, no show."""

from __future__ import annotations

import os
import subprocess

import pytest

from livelatent.cli import main
from livelatent.commands.perform_outputs import save_bank
from livelatent.instrument.bank import KeyframeBank


@pytest.fixture
def no_model(monkeypatch):
    """Fails the test if anything tries to load a model."""
    def load(*args, **kwargs):
        raise AssertionError("the model was loaded")

    monkeypatch.setattr("livelatent.generators.load", load)


def perform(tmp_path, *extra):
    return main(["perform", "--headless", "--osc-port", "0", "--duration", "1", "--recordings", str(tmp_path / "rec"),
                 *extra])


def one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err.strip()


def fifo(path):
    os.mkfifo(path)
    return path


CASES = {  # what a performer mistypes, or a setup script gets wrong
    "bank into a missing file's folder": lambda t: ["--save-bank", str(t / "a-file" / "bank")],
    "bank onto a folder": lambda t: ["--save-bank", str(t / "folder.npy")],
    "event log onto a folder": lambda t: ["--event-log", str(t / "folder.npy")],
    "event log into a FIFO": lambda t: ["--event-log", str(fifo(t / "fifo"))],
    "event log under a file": lambda t: ["--event-log", str(t / "a-file" / "log.jsonl")],
    "recordings under a file": lambda t: ["--record", "--recordings", str(t / "a-file" / "takes")],
    "recordings on a read-only folder": lambda t: ["--record", "--recordings", str(t / "read-only" / "takes")],
}


@pytest.fixture
def read_only(tmp_path):
    """A folder nobody can write: mounted read-only as root (to whom a mode of 0o555 is no bar)."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    mounted = subprocess.run(["mount", "--bind", str(folder), str(folder)]).returncode == 0 and \
        subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)]).returncode == 0
    if not mounted:
        pytest.skip("a read-only folder needs a read-only bind mount, refused here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)])


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_an_output_that_cannot_be_written_is_one_line_before_the_model_loads(tmp_path, read_only, no_model, capsys,
                                                                            case):
    (tmp_path / "a-file").write_text("not a folder")
    (tmp_path / "folder.npy").mkdir()
    assert perform(tmp_path, *case(tmp_path)) == 2
    line = one_line(capsys)
    assert line.startswith("livelatent perform: --") and ("expected" in line or "cannot" in line or "not a" in line)


def test_a_recordings_folder_that_cannot_be_written_without_record_is_a_warning_and_the_show_goes_on(tmp_path, capsys):
    (tmp_path / "a-file").write_text("not a folder")
    assert main(["perform", "--headless", "--osc-port", "0", "--duration", "0.3", "--size", "32x32",
                 "--recordings", str(tmp_path / "a-file" / "takes")]) == 0
    captured = capsys.readouterr()
    assert "recording will not work in this show" in captured.err and " frames in " in captured.out


def test_a_bank_the_disk_refuses_at_the_end_of_the_show_is_saved_elsewhere(tmp_path):
    bank = KeyframeBank.random(8, seed=1, slots=4)
    (tmp_path / "gone").write_text("the folder became a file during the show")
    line, saved_there = save_bank(bank, tmp_path / "gone" / "bank")
    assert not saved_there and "cannot write" in line and "saved to" in line
    saved = line.rsplit("saved to ", 1)[1].split(" instead")[0]
    assert (KeyframeBank.load(saved).z == bank.z).all()
    os.remove(saved)
    os.remove(saved.replace(".npy", ".json"))

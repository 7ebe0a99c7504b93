"""Takes under fire: a show ended by a signal, killed outright in its first second, or
recording onto a disk that fills up mid-take."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from livelatent.adapters import take_writer, takes
from livelatent.cli import main
from livelatent.commands.perform import show_config
from livelatent.live.session import build_session
from until import wait_until

SHOW = [sys.executable, "-m", "livelatent", "perform", "--headless", "--record", "--size", "32x32", "--osc-port", "0",
        "--duration", "60"]


def flushed_rows(recordings: Path) -> int:
    """Rows of the take being recorded that its writer has made durable (0 before the first cut)."""
    for folder in recordings.glob("take-*"):
        try:
            return takes.read_flushed(folder)[0]
        except (OSError, ValueError, takes.TakeError):
            return 0
    return 0


ENDINGS = {  # how each show ends: a signal once it records, or kill -9 at its take's start + seconds
    "SIGTERM": signal.SIGTERM,  # timeout, systemd, docker stop
    "killed early": 0.0, "killed later": 2.0,
}


@dataclass
class Ended:
    recordings: Path
    returncode: int = 0
    out: str = ""
    err: str = ""
    started: float = 0.0  # when its take's folder appeared (wall clock)
    killed: float = 0.0


@pytest.fixture(scope="module")
def ended_shows(tmp_path_factory) -> dict[str, Ended]:
    """Recording shows in processes of their own, at once (their start-up is the slow part),
    each ended its way."""
    root = tmp_path_factory.mktemp("shows")
    ended = {name: Ended(root / name.replace(" ", "-")) for name in ENDINGS}
    shows = {name: subprocess.Popen([*SHOW, "--recordings", str(e.recordings)], text=True, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE) for name, e in ended.items()}
    try:
        waiting, deadline = set(shows), time.monotonic() + 180
        while waiting and time.monotonic() < deadline:
            for name in list(waiting):
                if _end_if_due(name, shows[name], ended[name]):
                    waiting.discard(name)
            time.sleep(0.005)
        for name, show in shows.items():
            ended[name].out, ended[name].err = show.communicate(timeout=120)
            ended[name].returncode = show.returncode
    finally:
        for show in shows.values():
            show.kill()
    return ended


def _end_if_due(name: str, show: subprocess.Popen, e: Ended) -> bool:
    how = ENDINGS[name]
    if not e.started and list(e.recordings.glob("take-*/take.json")):
        e.started = time.time()
    if isinstance(how, signal.Signals) and flushed_rows(e.recordings) > 5:
        show.send_signal(how)
        return True
    if not isinstance(how, signal.Signals) and e.started and time.time() >= e.started + how \
            and flushed_rows(e.recordings) > 0:
        show.kill()
        e.killed = time.time()
        return True
    return False


def test_sigterm_finishes_the_take_and_prints_the_summary_of_a_normal_end(ended_shows):
    e = ended_shows["SIGTERM"]
    assert e.returncode == 0 and "Traceback" not in e.err, e.err
    assert "stopped by SIGTERM" in e.err
    assert_finished_like_a_normal_end(e.out, e.recordings)


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGINT], ids=["SIGHUP", "Ctrl-C"])
def test_sighup_and_ctrl_c_finish_the_take_as_sigterm_does(tmp_path, sig, capsys):
    """In this process (the signals reach the show's own handler, installed for the show)."""
    recordings = tmp_path / "rec"

    def send_once_recording():
        if wait_until(lambda: flushed_rows(recordings) > 5 and signal.getsignal(sig) not in OUR_DEFAULTS, 120):
            os.kill(os.getpid(), sig)

    threading.Thread(target=send_once_recording, daemon=True).start()
    assert main([*SHOW[3:], "--recordings", str(recordings)]) == 0
    out, err = capsys.readouterr()
    assert f"stopped by {sig.name}" in err and "Traceback" not in err
    assert_finished_like_a_normal_end(out, recordings)


OUR_DEFAULTS = (signal.SIG_DFL, signal.SIG_IGN, signal.default_int_handler, None)  # before the show's handler is in


def assert_finished_like_a_normal_end(out: str, recordings: Path) -> None:
    assert "livelatent perform:" in out and " frames in " in out  # the summary
    (take,) = takes.list_takes(recordings)
    assert f"take: {take.path} ({take.rows} frames at 30 fps, proxy " in out
    assert take.status == "complete" and take.rows > 5 and take.meta["proxy"]["state"] == "complete"


def test_a_take_killed_in_its_first_second_loses_no_more_than_one_killed_later(ended_shows):
    """kill -9 as soon as a take's first cut is durable, and another after two seconds:
    recovered, each keeps its rows up to a cut at most a flush interval (and a little) before."""
    lost = {}
    for name in ("killed early", "killed later"):
        e = ended_shows[name]
        (take,) = take_writer.abandoned_takes(e.recordings)
        lost[name] = e.killed - e.started - take_writer.recover(take).duration
    assert ended_shows["killed early"].killed - ended_shows["killed early"].started < 1.0  # its first cut: early
    assert max(lost.values()) <= 0.8, lost  # FLUSH_SECONDS + a batch + the encoder


@pytest.fixture
def small_disk(tmp_path):
    """A 256 KiB tmpfs: the bank (128 KiB) and the first second or so of a take fit, not more."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a full disk needs a small tmpfs, which only root can mount")
    mount = tmp_path / "small"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)]).returncode:
        pytest.skip("mounting a tmpfs was refused (no CAP_SYS_ADMIN in this container)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)])


def test_a_disk_that_fills_up_mid_take_stops_the_take_not_the_show_and_keeps_what_was_flushed(small_disk, capsys):
    s = build_session(show_config(["--headless", "--size", "64x64", "--osc-port", "0", "--record",
                                     "--recordings", str(small_disk)]))
    frames_when_full = []
    s.app.on_frame = lambda *_: frames_when_full or (not s.recorder.recording and frames_when_full.append(
        s.app.summary.frames))
    try:
        summary = s.app.run(duration=3)
    finally:
        s.close()
    assert frames_when_full and summary.frames > frames_when_full[0] + 20  # the picture went on moving
    err = capsys.readouterr().err
    assert err.count("recording stopped") == 1 and "No space left on device" in err
    assert "the show goes on" in s.recorder.status()
    subprocess.run(["mount", "-o", "remount,size=8m", str(small_disk)], check=True)  # room again
    (take,) = take_writer.abandoned_takes(small_disk)
    take = take_writer.recover(take)
    assert take.rows > 10 and takes.read_events(take)[0]["event"]["action"] == "record.start"
    assert json.loads((take.path / takes.TAKE_FILE).read_text())["status"] == "recovered"

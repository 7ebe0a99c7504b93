"""Takes under fire: a show ended by a signal, killed outright in its first second, or
recording onto a disk that fills up mid-take."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from livelatent.adapters import take_writer, takes
from livelatent.live.session import build_session, parse_options
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


def test_sigterm_sighup_and_ctrl_c_each_finish_the_take_and_print_the_summary(tmp_path):
    """Three shows at once (their start-up is the slow part), each ended by one signal."""
    shows = {}
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        recordings = tmp_path / sig.name
        shows[sig] = (recordings, subprocess.Popen([*SHOW, "--recordings", str(recordings)], text=True,
                                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    try:
        for sig, (recordings, show) in shows.items():
            assert wait_until(lambda: flushed_rows(recordings) > 5, timeout=120), sig.name  # recording
            show.send_signal(sig)
        done = {sig: show.communicate(timeout=120) for sig, (_, show) in shows.items()}
    finally:
        for _, show in shows.values():
            show.kill()
    for sig, (out, err) in done.items():
        recordings, show = shows[sig]
        assert show.returncode == 0 and "Traceback" not in err, (sig.name, err)
        assert f"stopped by {sig.name}" in err
        assert "livelatent perform:" in out and " frames in " in out  # the summary of a normal end
        (take,) = takes.list_takes(recordings)
        assert f"take: {take.path} ({take.rows} frames at 30 fps, proxy " in out
        assert take.status == "complete" and take.rows > 5 and take.meta["proxy"]["state"] == "complete"


def test_a_take_killed_in_its_first_second_loses_no_more_than_one_killed_later(tmp_path):
    """kill -9 as soon as a take's first cut is durable, and another take after two seconds
    (two shows at once): recovered, each keeps its rows up to a cut at most a flush interval
    (and a little) before the kill."""
    waits = {"early": 0.0, "later": 2.0}
    shows = {name: subprocess.Popen([*SHOW, "--recordings", str(tmp_path / name)], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL) for name in waits}
    started, killed = {}, {}
    try:
        while len(killed) < len(shows):
            for name, show in shows.items():
                recordings = tmp_path / name
                if name not in started and list(recordings.glob("take-*/take.json")):
                    started[name] = time.time()
                if name in started and name not in killed and time.time() >= started[name] + waits[name] \
                        and flushed_rows(recordings) > 0:
                    show.kill()
                    killed[name] = time.time()
            assert time.time() < min(started.values(), default=time.time()) + 60
            time.sleep(0.005)
    finally:
        for show in shows.values():
            show.kill()
            show.wait()
    lost = {}
    for name in shows:
        (take,) = take_writer.abandoned_takes(tmp_path / name)
        lost[name] = killed[name] - started[name] - take_writer.recover(take).duration
    assert killed["early"] - started["early"] < 1.0  # its first cut came within its first second
    assert lost["early"] <= 0.8 and lost["later"] <= 0.8, lost  # FLUSH_SECONDS + a batch + the encoder


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
    s = build_session(parse_options(["--headless", "--size", "64x64", "--osc-port", "0", "--record",
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

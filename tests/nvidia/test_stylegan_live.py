"""A headless show on a real conditional StyleGAN2-ADA pickle: psi turned over OSC and the class
changed from a MIDI-mapped button mid-take, recorded, replayed bit for bit and drawn again as
NVIDIA's G draws each frame."""

from __future__ import annotations

import socket

import numpy as np
from pythonosc.udp_client import SimpleUDPClient

from livelatent.adapters import takes
from livelatent.adapters.video import iter_frames
from livelatent.cli import main
from livelatent.generators import load
from livelatent.commands.perform import show_config
from livelatent.instrument.addresses import target_event
from livelatent.live.loop_clock import ManualClock
from livelatent.live.session import build_session
from livelatent.offline.render import render
from livelatent.offline.replay import replay_z
from tests.live.conftest import arrives
from tests.nvidia.conftest import repo

ADA = "stylegan2-ada-pytorch"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def perform(pkl, tmp_path):
    """A 1 s take at psi 0.9, class 1; psi 0.375 over OSC at 0.3 s, class 3 from MIDI at 0.6 s."""
    port = free_port()
    s = build_session(show_config(["--headless", "--no-hud", "--osc-port", str(port), "--recordings",
                                   str(tmp_path / "rec"), "--model", str(pkl), "--stylegan-repo", str(repo(ADA)),
                                   "--psi", "0.9", "--class", "1", "--size", "64", "--device", "cpu", "--record"]),
                      clock=ManualClock())
    osc, bus = SimpleUDPClient("127.0.0.1", port), s.app.bus
    s.app.clock.at(0.3, lambda: arrives(bus, lambda: osc.send_message("/livelatent/model/psi/raw", 0.375)))
    s.app.clock.at(0.6, lambda: bus.put(target_event("model/class/3", 1.0, source="midi")))
    try:
        s.app.run(duration=1.0)
    finally:
        s.close()
    return s.recorder.last_take


def test_psi_and_class_played_live_are_recorded_and_replayed_frame_for_frame(networks, tmp_path, nvidia_frames,
                                                                             capsys):
    pkl = networks["ada-classes"]
    take = takes.read_take(perform(pkl, tmp_path).path)
    assert take.meta["picture"]["psi"] == 0.9 and take.meta["picture"]["class"] == 1
    track = takes.picture_track(take)
    assert [(p.psi, p.class_idx) for _, p in track.changes] == [(0.375, 1), (0.375, 3)]  # OSC floats are float32: 0.375 is exact
    psi_at, class_at = (k for k, _ in track.changes)
    assert 0 < psi_at < class_at < take.rows == 30

    seq = replay_z(take)
    assert np.array_equal(seq.z, takes.load_z(take).z)  # the z path, bit for bit
    assert seq.meta["picture_changes"] == track.to_meta()["picture_changes"]
    generator = load(str(pkl), device="cpu", stylegan_repo=repo(ADA), truncation_psi=0.9, class_idx=1)
    render(seq, generator, tmp_path / "replayed", lossless=True, batch=1, progress=False)
    frames = np.stack(list(iter_frames(tmp_path / "replayed.mp4")))
    pictures = [{"psi": track.at(k).psi, "class": track.at(k).class_idx} for k in range(take.rows)]
    expected = nvidia_frames(ADA, pkl, seq.z, pictures)
    assert np.array_equal(frames, expected)  # each frame as NVIDIA draws it with that frame's psi and class
    if not take.proxy_complete:  # frames the loop had no time for, drawn with their own psi and class
        assert main(["proxies", str(take.path), "--model", str(pkl), "--stylegan-repo", str(repo(ADA))]) == 0
    proxy = np.stack(list(iter_frames(take.proxy_path))).astype(int)
    as_started = nvidia_frames(ADA, pkl, seq.z[psi_at:], [{"psi": 0.9, "class": 1}] * (take.rows - psi_at))
    error = np.abs(proxy - expected).mean(axis=(1, 2, 3))
    assert len(proxy) == take.rows and error.max() < 8  # an H.264 proxy of NVIDIA's frames ...
    assert (error[psi_at:] < np.abs(proxy[psi_at:] - as_started).mean(axis=(1, 2, 3))).all()  # ... as played

    capsys.readouterr()
    code = main(["replay", str(take.path), "-o", str(tmp_path / "again"), "--stylegan-repo", str(repo(ADA))])
    err = capsys.readouterr().err
    assert code != 0 and str(pkl) in err and "pass --model SPEC" in err and len(err.strip().splitlines()) == 1

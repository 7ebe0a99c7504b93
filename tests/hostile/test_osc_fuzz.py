"""A seeded OSC fuzzer over real UDP into a running headless show that records a take.

Random bytes, truncations and bit flips of valid packets, deep and malformed bundles, wrong
types and counts, NaN and inf, huge and unicode addresses (tests/hostile/osc_junk.py), mixed
with valid controls. The show must survive, control must still work afterwards, the log
must stay bounded, and the take must replay bit for bit. LIVELATENT_HOSTILE=full sends ten
times as much.
"""

from __future__ import annotations

import os
import random
import socket
import threading
import time

import numpy as np
from pythonosc.udp_client import SimpleUDPClient

from livelatent.adapters import takes
from livelatent.commands.perform import show_config
from livelatent.live.session import build_session
from livelatent.offline.replay import replay_z
from osc_junk import junk, valid

SEED = 20261129
DATAGRAMS = 20_000 if os.environ.get("LIVELATENT_HOSTILE") == "full" else 2_000
LAST_WORD = (63, 0.25)  # the keyframe sent after the fuzz: control still works


def fuzz(address, stop) -> None:
    """Junk with a valid control now and then, paced like a busy network, then the last word."""
    rng = random.Random(SEED)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for i in range(DATAGRAMS):
        sock.sendto(valid(rng) if rng.random() < 0.1 else junk(rng), address)
        if i % 100 == 99:
            time.sleep(0.02)  # ~5,000 datagrams a second
    time.sleep(0.2)
    SimpleUDPClient(*address).send_message("/livelatent/keyframe", list(LAST_WORD))
    time.sleep(0.5)
    stop()


def test_a_fuzzed_show_survives_keeps_control_and_its_take_replays_bit_for_bit(tmp_path, free_udp_port, capfd):
    s = build_session(show_config(["--headless", "--size", "32x32", "--seed", "3", "--osc-port", str(free_udp_port),
                                     "--record", "--recordings", str(tmp_path)]))
    started = []

    def start(*_):  # once the loop runs (after the model's warm-up frame)
        if not started:
            stop = lambda: setattr(s.app, "running", False)  # noqa: E731
            started.append(threading.Thread(target=fuzz, args=(s.osc.address, stop), daemon=True))
            started[0].start()

    s.app.on_frame = start
    try:
        summary = s.app.run(duration=60)
    finally:
        s.close()
    osc_events = [a.event for a in s.app.applied if a.event.source == "osc"]
    assert osc_events[-1].action == "keyframe" and osc_events[-1].args == LAST_WORD
    assert s.app.perf.target_slot == LAST_WORD[0] and summary.frames > 20
    assert s.osc.restarts == 0 and s.osc.datagrams >= DATAGRAMS and s.osc.rejected > DATAGRAMS // 2
    lines = capfd.readouterr().err.splitlines()
    assert len(lines) <= 10 + 2 * summary.seconds + 5, lines  # the log's overall budget, plus the show's own lines
    assert not [line for line in lines if "Traceback" in line or "WARNING" in line]

    take = s.recorder.last_take
    z = takes.load_z(take).z
    assert np.isfinite(z).all() and len(takes.read_events(take)) > 10
    assert replay_z(take).z.tobytes() == z.tobytes()

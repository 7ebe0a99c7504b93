"""Takes recorded by an earlier livelatent still replay bit for bit.

tests/data/takes/take-20261207-071339-145 was recorded before the package moved into
common / motion / edit / instrument (tests/data/takes/record_take.py: a headless show of a
tiny conditional StyleGAN pickle, 4 s at 30 fps, played from an OSC panel: a motion knob in
both forms, slots, a store, the HUD off and on, psi in both forms, a class, a mover switch,
noise, a slot at half strength, and autopilot random keyframes). Whatever the code becomes,
its events must still read, its z rows must come back exactly, and its picture changes must
land on the same frames.
"""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from livelatent.adapters import takes
from livelatent.cli import main
from livelatent.offline.replay import events_by_tick, replay_z

OLD_TAKE = Path(__file__).parents[1] / "data" / "takes" / "take-20261207-071339-145"


@pytest.fixture
def old_take(tmp_path):
    copy = tmp_path / OLD_TAKE.name
    shutil.copytree(OLD_TAKE, copy)
    return takes.read_take(copy)


def test_a_take_recorded_before_replays_bit_for_bit(old_take):
    recorded = takes.load_z(old_take)
    replayed = replay_z(old_take)
    assert recorded.z.shape == (120, 16)
    assert replayed.z.tobytes() == recorded.z.tobytes()


def test_its_picture_changes_land_on_the_same_frames(old_take):
    sidecar = json.loads((old_take.path / f"{old_take.name}.json").read_text())
    replayed = replay_z(old_take)
    assert replayed.meta["picture"] == sidecar["picture"]
    assert replayed.meta["picture_changes"] == sidecar["picture_changes"]


def test_every_logged_event_reads_back_in_its_logged_form(old_take):
    lines = [json.loads(line) for line in (old_take.path / takes.EVENTS_FILE).read_text().splitlines()]
    actions = {line["event"]["action"] for line in lines}
    assert {"motion", "keyframe", "keyframe.random", "store", "hud", "model.psi", "model.class", "mover",
            "noise", "record.start"} <= actions
    read_back = [event.to_dict() for tick in sorted(events_by_tick(old_take)) for event in events_by_tick(old_take)[tick]]
    assert read_back == [line["event"] for line in lines]


def test_the_replay_command_writes_the_same_rows(old_take, tmp_path, capsys):
    out = tmp_path / "again"
    assert main(["replay", str(old_take.path), "--z-only", "-o", str(out)]) == 0
    assert np.load(f"{out}.npy").tobytes() == takes.load_z(old_take).z.tobytes()

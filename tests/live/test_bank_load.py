"""A bank loaded during the show, over real OSC (UDP): a path that is no bank is one line and
the show goes on; a saved bank replaces every slot, the next trigger goes to its z, the
thumbnails are due again, and the take (which carries the bank's z, not only its path)
replays bit for bit after the file is gone."""

from __future__ import annotations

import numpy as np
import pytest
from pythonosc.udp_client import SimpleUDPClient

from livelatent.adapters import takes
from livelatent.common import zseq
from livelatent.common.latent import sample
from livelatent.common.zseq import ZSequence
from livelatent.errors import ControlMessageError
from livelatent.instrument.actions import make
from livelatent.instrument.bank import KeyframeBank
from livelatent.live.console.thumbnails import Thumbnails
from livelatent.offline.replay import replay_z
from tests.live.conftest import arrives
from tests.live.shows import headless_show, play


def saved_bank(folder, d: int) -> KeyframeBank:
    bank = KeyframeBank.random(d, seed=99)
    bank.store(2, sample(1, d, 4)[0], label="stored@123")
    bank.save(folder / "night")
    return bank


def test_a_bank_loaded_over_osc_mid_show_is_played_recorded_and_replayed_without_its_file(tmp_path, free_udp_port,
                                                                                          capfd):
    s = headless_show(tmp_path, "--seed", "5", "--record", osc_port=free_udp_port)
    night = saved_bank(tmp_path, s.app.perf.d)
    osc, bus, seen = SimpleUDPClient("127.0.0.1", free_udp_port), s.app.bus, {}
    thumbnails = Thumbnails(decode=None, deliver=None)

    def load():
        thumbnails.refresh(s.app.perf.bank.z, None)
        seen["before"] = s.app.perf.bank.z.copy()
        osc.send_message("/livelatent/bank/load", str(tmp_path / "missing.npy"))
        arrives(bus, lambda: osc.send_message("/livelatent/bank/load", str(tmp_path / "night.npy")))

    def trigger():
        seen["thumbnails due"] = (thumbnails.refresh(s.app.perf.bank.z, None), thumbnails.pending())[1]
        arrives(bus, lambda: osc.send_message("/livelatent/keyframe", 2))

    play(s, 0.8, {0.2: load, 0.4: trigger})

    # the path that is no bank: one line, nothing applied; the bank: every slot, labels too
    err = capfd.readouterr().err
    assert err.count("missing.npy: no such bank") == 1, err
    assert [a.event.action for a in s.app.applied if a.event.source == "osc"] == ["bank.load", "keyframe"]
    assert s.app.perf.bank.z.tobytes() == night.z.tobytes() and s.app.perf.bank.labels == night.labels
    assert not np.array_equal(seen["before"], night.z) and seen["thumbnails due"] == 64
    assert s.app.perf.target_slot == 2

    # the take carries the bank's z: it replays bit for bit with the file gone
    for f in tmp_path.glob("night.*"):
        f.unlink()
    take = s.recorder.last_take
    assert [line["event"]["action"] for line in takes.read_events(take)] == ["record.start", "bank.load", "keyframe"]
    assert replay_z(take).z.tobytes() == takes.load_z(take).z.tobytes()


def test_a_bank_of_another_shape_is_one_line_and_changes_nothing(tmp_path):
    s = headless_show(tmp_path)
    before = s.app.perf.bank.z.copy()
    KeyframeBank.random(s.app.perf.d, seed=1, slots=8).save(tmp_path / "small")
    play(s, 0.3, {0.1: lambda: s.app.bus.put(make("bank.load", str(tmp_path / "small"), source="osc"))})
    assert "8 slots of z size 512, but this show's bank has 64 of 512" in s.app.error
    assert s.app.perf.bank.z.tobytes() == before.tobytes() and s.app.summary.rejected == 1


def test_what_is_not_a_saved_bank_is_one_line_naming_it(tmp_path):
    zseq.save(ZSequence(sample(3, 512, 1), 30, {"model": "default"}), tmp_path / "reel")  # a z-sequence
    (tmp_path / "bare.npy").write_bytes((tmp_path / "reel.npy").read_bytes())  # no sidecar
    for name, why in (("reel.npy", "not a bank (saved with --save-bank"), ("bare", "not a bank (saved with"),
                      ("nowhere/x.npy", "no such bank"), ("", "expected a bank's path")):
        with pytest.raises(ControlMessageError) as caught:
            make("bank.load", str(tmp_path / name) if name else "", source="console")
        assert why in str(caught.value) and "\n" not in str(caught.value)

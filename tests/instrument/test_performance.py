"""The Performance: same construction and events at the same ticks give the same z, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from livelatent.instrument.bank import KeyframeBank
from livelatent.instrument.actions import make
from livelatent.errors import ControlMessageError, UsageError
from livelatent.motion.movers import MotionParams
from livelatent.instrument.performance import Performance

D = 16
SCRIPT = {  # tick -> events applied before stepping from it
    0: [make("keyframe", 3)],
    30: [make("motion", "settle_time", 0.3, "norm"), make("noise", 0.4)],
    60: [make("keyframe.random"), make("keyframe.random")],
    90: [make("store", 10), make("mover", "smooth")],
    120: [make("keyframe", 10, 0.5), make("motion", "damping", 0.6, "raw")],
    150: [make("z", *np.ones(D))],
    180: [make("mover", "spring"), make("keyframe", 5)],
}


def perform(perf: Performance, until: int, script=SCRIPT) -> np.ndarray:
    path = []
    while perf.tick < until:
        for ev in script.get(perf.tick, []):
            perf.apply(ev)
        perf.step()
        path.append(perf.z.copy())
    return np.array(path)


def new_performance(seed=7) -> Performance:
    return Performance(KeyframeBank.random(D, seed), MotionParams(settle_time=0.5), seed=seed)


def test_same_events_same_ticks_same_z_bit_for_bit():
    a, b = perform(new_performance(), 240), perform(new_performance(), 240)
    assert np.array_equal(a, b)


def test_restored_performance_continues_identically():
    perf = new_performance()
    perform(perf, 100)
    twin = Performance.restore(perf.describe(), perf.arrays())
    assert np.array_equal(perform(perf, 240), perform(twin, 240))


def test_another_seed_changes_random_keyframes():
    assert not np.array_equal(perform(new_performance(7), 100), perform(new_performance(8), 100))


def test_keyframe_retargets_and_arrives():
    perf = new_performance()
    perf.apply(make("keyframe", 4))
    assert perf.target_slot == 4 and perf.current_slot == 0
    for _ in range(240 * 2):
        perf.step()
    assert perf.current_slot == 4
    expected = perf.bank[4] / np.linalg.norm(perf.bank[4]) * perf.radius
    assert np.allclose(perf.z, expected, atol=1e-2 * perf.radius)


def test_retarget_mid_flight_keeps_position_and_velocity_continuous():
    perf = new_performance()
    perf.apply(make("keyframe", 1))
    for _ in range(60):
        perf.step()
    p, v = perf.z.copy(), perf.mover.velocity.copy()
    perf.apply(make("keyframe", 2))
    assert np.array_equal(perf.z, p) and np.array_equal(perf.mover.velocity, v)
    perf.step()
    assert np.linalg.norm(perf.z - p) < 2 * np.linalg.norm(v) * perf.clock.dt


def test_switching_mover_mid_flight_keeps_position_and_velocity_continuous():
    perf = new_performance()
    perf.apply(make("keyframe", 1))
    for kind in ("smooth", "spring", "geodesic"):
        for _ in range(40):
            perf.step()
        p, v, target = perf.z.copy(), perf.mover.velocity.copy(), perf.mover.target.copy()
        perf.apply(make("mover", kind))
        # the same point and velocity (onto the shell, off the spring's hair of radial offset)
        assert perf.params.mover == kind and np.linalg.norm(perf.z - p) < 1e-4 * perf.radius
        assert np.linalg.norm(perf.mover.velocity - v) < 1e-3 * np.linalg.norm(v), kind
        assert np.allclose(perf.mover.target, target), kind
        perf.step()  # the first tick after the switch moves on at about the old velocity
        moved = (perf.z - p) / perf.clock.dt  # (~8% slower into "smooth", whose follower starts
        assert np.linalg.norm(moved - v) < 0.15 * np.linalg.norm(v), kind  # on its lead; a kick was 100%)


def test_store_puts_the_current_position_in_a_slot():
    perf = new_performance()
    perf.apply(make("keyframe", 1))
    for _ in range(30):
        perf.step()
    perf.apply(make("store", 20))
    assert np.array_equal(perf.bank[20], perf.z.astype(np.float32))
    assert perf.bank.labels[20] == "stored@30"


def test_motion_knobs_normalised_and_raw():
    perf = new_performance()
    perf.apply(make("motion", "damping", 0.5, "raw"))
    perf.apply(make("motion", "settle_time", 0.0, "norm"))
    assert perf.params.damping == 0.5 and perf.params.settle_time == MotionParams.RANGES["settle_time"][0]


@pytest.mark.parametrize("event", [make("keyframe", 64), make("z", 1.0, 2.0), make("motion", "damping", 99.0, "raw")],
                         ids=str)
def test_bad_events_raise_and_change_nothing(event):
    perf = new_performance()
    before = perf.arrays()
    with pytest.raises(ControlMessageError):
        perf.apply(event)
    after = perf.arrays()
    assert all(np.array_equal(before[k], after[k]) for k in before) and perf.params == MotionParams(settle_time=0.5)


def test_app_events_are_not_the_performances():
    assert new_performance().apply(make("record.start")) is False


# ---- the keyframe bank ----

def test_bank_has_64_random_slots_keyed_by_seed():
    a, b = KeyframeBank.random(D, seed=1), KeyframeBank.random(D, seed=1)
    assert len(a) == 64 and np.array_equal(a.z, b.z)
    assert not np.array_equal(a.z, KeyframeBank.random(D, seed=2).z)


def test_bank_from_chosen_frames_of_a_zsequence(tmp_path):
    from livelatent.common import zseq
    from livelatent.common.latent import sample

    reel = zseq.ZSequence(sample(50, D, seed=3), 30, {"made_by": "samples"})
    zseq.save(reel, tmp_path / "reel")
    bank = KeyframeBank.from_spec(f"{tmp_path / 'reel.npy'}:0,12,40-42", seed=1, d=D)
    assert [bank.labels[i] for i in range(5)] == ["reel#0", "reel#12", "reel#40", "reel#41", "reel#42"]
    assert np.array_equal(bank[1], reel.z[12]) and bank.labels[5] == "random"
    with pytest.raises(UsageError, match=r"^`bank`: expected frames in 0\.\.49, got '48-50'$"):
        KeyframeBank.from_spec(f"{tmp_path / 'reel.npy'}:0,48-50", seed=1, d=D)


def test_bank_saves_and_loads(tmp_path):
    bank = KeyframeBank.random(D, seed=1)
    bank.store(3, np.ones(D, np.float32))
    bank.save(tmp_path / "mine")
    back = KeyframeBank.from_spec(str(tmp_path / "mine.npy"), seed=99, d=D)
    assert np.array_equal(back.z, bank.z) and back.labels[3] == "stored"


def test_coalescing_a_ticks_events_changes_nothing():
    from livelatent.instrument.actions import coalesce

    stream = [make("motion", "damping", v / 10, "norm") for v in range(10)] + [make("keyframe", 2)] + \
             [make("noise", v / 10) for v in range(5)] + [make("motion", "settle_time", 0.2, "norm"), make("store", 4)]
    kept = coalesce(stream)
    assert [str(e) for e in kept] == ["motion('damping', 0.9, 'norm')", "keyframe(2, 1.0)", "noise(0.4)",
                                      "motion('settle_time', 0.2, 'norm')", "store(4)"]
    a, b = new_performance(), new_performance()
    for e in stream:
        a.apply(e)
    for e in kept:
        b.apply(e)
    assert np.array_equal(perform(a, 100, {}), perform(b, 100, {}))


def test_a_bank_with_a_broken_description_is_named_in_one_line(tmp_path):
    bank = KeyframeBank.random(8, seed=1, slots=4)
    bank.save(tmp_path / "mine")
    (tmp_path / "mine.json").write_text("{ not json")
    with pytest.raises(UsageError, match=r"mine\.json: not valid JSON"):
        KeyframeBank.load(tmp_path / "mine.npy", d=8)

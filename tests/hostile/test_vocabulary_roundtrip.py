"""Every event the live loop can log replays: a property test over the whole control vocabulary.

For every action in controls.ACTIONS (a new action is covered as soon as it exists), every
argument list that `make` accepts out of a pool of ordinary and hostile values must come back
from the take's event log (to_dict -> JSON line -> from_dict) as the same event, and applying
the copy must do exactly what applying the original did.
"""

import itertools
import json
import random
from pathlib import Path

import numpy as np
import pytest

from livelatent.instrument.bank import KeyframeBank
from livelatent.instrument.actions import ACTIONS, PERFORMANCE_ACTIONS, ControlEvent, make
from livelatent.errors import ControlMessageError
from livelatent.motion.params import MotionParams
from livelatent.instrument.performance import Performance

D = 8
TINY_BANK = Path(__file__).parents[1] / "data" / "banks" / "tiny.npy"  # 4 slots of d=2
POOL = [0, 1, 3, 7, 64, -1, 2**70, 0.0, -0.0, 0.25, 1.0, 2.5, 1e308, 5e-324, float("nan"), float("inf"),
        True, False, None, "", "/", "x", "geodesic", "spring", "settle_time", "damping", "norm", "raw",
        "motion/damping", "/hud/", "playing", "lost", "random", "velocity", "bar", "2bar", [0.5] * D, [0.5] * (D - 1), [True] * D, {"a": 1}]


def argument_lists(seed=10, triples=3000):
    """Every list of up to two pool values, and a seeded sample of three."""
    yield ()
    yield from ((a,) for a in POOL)
    yield from itertools.product(POOL, repeat=2)
    rng = random.Random(seed)
    for _ in range(triples):
        yield tuple(rng.choice(POOL) for _ in range(3))
    yield tuple([0.5] * D)  # a z as separate numbers, the way OSC sends it
    yield (str(TINY_BANK),)  # a saved bank's path (bank.load reads it)
    yield ("night", ["random", "stored@7"] * 8, [[0.25] * D] * 16)  # a bank by value, as a take logs it


def accepted(action):
    for args in argument_lists():
        try:
            yield make(action, *args, source="osc", arrival=1.25)
        except ControlMessageError:
            pass


def logged_and_read_back(event):
    """The path of an event through a take: a JSON line in events.jsonl, then from_dict."""
    line = json.dumps({"tick": 7, "arrival": event.arrival, "source": event.source, "event": event.to_dict()},
                      separators=(",", ":"))
    return ControlEvent.from_dict(json.loads(line)["event"])


def performance():
    return Performance(KeyframeBank.random(d=D, seed=3, slots=16), MotionParams(settle_time=0.2), seed=3)


def outcome(event):
    """What applying the event does: the error it raises, or the state a few ticks later."""
    perf = performance()
    try:
        handled = perf.apply(event)
    except ControlMessageError as exc:
        return ("refused", str(exc))
    for _ in range(5):
        perf.step()
    return handled, perf.z.tobytes(), perf.bank.z.tobytes(), json.dumps(perf.describe(), sort_keys=True)


@pytest.mark.parametrize("action", ACTIONS)
def test_every_accepted_event_survives_the_event_log_and_applies_the_same(action):
    events = list(accepted(action))
    assert events, f"no argument list from the pool makes a {action!r} event: extend POOL"
    for event in events:
        again = logged_and_read_back(event)
        assert again == event, f"{event} came back as {again}"
        if action in PERFORMANCE_ACTIONS:
            assert outcome(again) == outcome(event), f"{event} applied differently after the log"
        else:
            assert performance().apply(again) is False  # the app's own: never changes the z path


@pytest.mark.parametrize("action, args", [("hud", (0,)), ("hud", (1,)), ("hud", ()), ("grid", (1.0,)),
                                          ("grid", (0,)), ("learn", ("/motion/damping/",))],
                         ids=["hud-off", "hud-on", "hud-toggle", "grid-on", "grid-off", "learn"])
def test_the_osc_forms_that_once_broke_replay_come_back(action, args):
    event = make(action, *args, source="osc")
    assert logged_and_read_back(event) == event


@pytest.mark.parametrize("line", [
    {"args": [1]}, {"action": "keyframe", "args": 5}, {"action": "keyframe", "args": [1], "arrival": "soon"},
    {"action": "nope"}, {"action": "keyframe", "args": [1], "source": "elsewhere"}, [1, 2], "keyframe",
], ids=["no-action", "args-not-a-list", "arrival-not-a-number", "unknown-action", "unknown-source",
        "a-list", "a-string"])
def test_a_broken_logged_event_is_a_control_message_error(line):
    with pytest.raises(ControlMessageError):
        ControlEvent.from_dict(line)


def test_the_pool_reaches_z_and_store_of_this_size():
    """The z and store paths run with real arguments, not only refusals."""
    assert any(e.action == "z" and len(e.args) == D for e in accepted("z"))
    perf = performance()
    perf.apply(make("z", *([0.5] * D)))
    perf.step()
    assert np.isfinite(perf.z).all()

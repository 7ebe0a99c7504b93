"""The table of actions is the one place an action is spelled: every consumer agrees with it.

Each test walks the table, so a new action is covered by all of them as soon as its row exists.
"""

from pathlib import Path

import pytest

from livelatent.common.picture import PICTURE_ACTIONS
from livelatent.errors import ControlMessageError
from livelatent.instrument.actions import ACTIONS, KNOB, KEYS, MOTION_PARAMS, PRESS, TARGET, TOGGLE, Z, make
from livelatent.instrument.addresses import check_target, route_for, target_event, targets
from livelatent.instrument.mapping import is_knob_address, osc_event
from livelatent.instrument.performance import Performance
from livelatent.live.app import LiveApp
from livelatent.live.feedback import EVENT_ONLY, VALUES
from livelatent.live.keyboard import Keyboard

EXAMPLE_ARGS = {"keyframe": (3, 0.5), "store": (4,), "motion/<param>/raw": (0.5,), "motion/mover": ("spring",),
                "model/psi/raw": (0.5,), "model/class": (2,), "snapshot": (1,), "grid": (1,), "hud": (0,),
                "learn": ("motion/damping",), "output/<name>/enable": (0,), "tempo": (128,),
                "tempo/settle_beats": (2,), "quantise": ("bar",), "impulse": (0.5, "random"),
                "bank/load": (str(Path(__file__).parents[1] / "data" / "banks" / "tiny.npy"),)}  # 4 slots, d=2
ROUTES = [(action, route) for action in ACTIONS.values() for route in action.osc]


def example_address(address: str) -> str:
    return address.replace("<n>", "3").replace("<param>", MOTION_PARAMS[1]).replace("<name>", "stage")


@pytest.mark.parametrize("action", ACTIONS.values(), ids=lambda a: a.name)
def test_what_applies_an_action_is_there(action):
    owner = {"performance": Performance, "app": LiveApp}.get(action.applies)
    if action.applies == "picture":
        assert action.name in PICTURE_ACTIONS and not action.apply
    else:
        assert callable(getattr(owner, action.apply, None)), f"{owner.__name__}.{action.apply} applies {action.name}"


def test_the_picture_actions_are_the_pictures_own():
    assert {a.name for a in ACTIONS.values() if a.applies == "picture"} == set(PICTURE_ACTIONS)


@pytest.mark.parametrize("action, route", ROUTES, ids=lambda v: getattr(v, "address", getattr(v, "name", "")))
def test_every_address_of_the_table_sends_its_action(action, route):
    address = example_address(route.address)
    args = {Z: (0.5, 0.5), KNOB: (0.5,), PRESS: (1,), TOGGLE: (), TARGET: ("noise",)}.get(route.form)
    event = osc_event(f"/livelatent/{address}", EXAMPLE_ARGS.get(route.address, args), d=2)
    assert event.action == action.name and event.source == "osc"
    assert route_for(address)[0] is action
    assert is_knob_address(f"/livelatent/{address}") == bool(action.knob)


@pytest.mark.parametrize("target", targets(), ids=str)
def test_every_midi_target_sends_its_action_and_a_button_ignores_its_release(target):
    concrete = example_address(target)
    action, route, _ = route_for(check_target(concrete))
    event = target_event(concrete, 1.0, source="midi")
    assert event.action == action.name
    assert (target_event(concrete, 0.0, source="midi") is None) == (route.form != KNOB)


def test_the_knobs_supersede_and_nothing_else_does():
    knobs = {a.name for a in ACTIONS.values() if a.knob}
    assert knobs == {"z", "motion", "noise", "model.psi"}


def test_the_triggers_the_loop_shows_at_once_are_the_discrete_ones():
    """A fader, an audio feature's knob or push, the tempo: never a frame off the display grid."""
    triggers = {a.name for a in ACTIONS.values() if a.trigger}
    assert triggers == {"keyframe", "keyframe.random", "keyframe.next", "store", "model.class", "snapshot", "grid"}
    assert not any(ACTIONS[name].knob for name in triggers)


def test_each_key_of_the_table_sends_its_action():
    sent = []
    keyboard = Keyboard(sent.append, lambda target: 0.5)
    for key in KEYS:
        keyboard.press(key)
    assert [e.action for e in sent] == list(KEYS.values()) and all(e.source == "key" for e in sent)


def test_every_feedback_address_is_read_from_the_shows_state():
    addresses = {address for action in ACTIONS.values() for address in action.feedback}
    assert addresses == set(VALUES) | set(EVENT_ONLY)


@pytest.mark.parametrize("action", ACTIONS.values(), ids=lambda a: a.name)
def test_an_unknown_argument_list_is_refused_in_one_line_naming_the_action(action):
    with pytest.raises(ControlMessageError) as caught:
        make(action.name, *([object()] * 4))
    assert action.name in str(caught.value) and "\n" not in str(caught.value)
